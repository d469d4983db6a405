/**
 * The GCP front door: a global external Application Load Balancer with Certificate Manager certificates
 * and Cloud DNS records, in front of every cluster's gateway.
 */
import * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../../spec/plan";

export interface GcpFrontDoorArgs {
  readonly plan: FleetPlan;
  /** Per serving cluster, the resource the front door waits for (its gateway), so NEGs exist first. */
  readonly gateways: Readonly<Record<string, pulumi.Resource>>;
}

// Known debt: a placeholder until the GCP front door is built; it registers no cloud resources yet.
export class GcpFrontDoor extends pulumi.ComponentResource {
  readonly address: pulumi.Output<string | undefined>;

  constructor(name: string, args: GcpFrontDoorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:gcp:GcpFrontDoor", name, {}, opts);
    void args;
    this.address = pulumi.output(undefined);
    this.registerOutputs({ address: this.address });
  }
}
