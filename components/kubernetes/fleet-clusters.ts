/**
 * The clusters side of the fleet: the shared root of trust and, for every cluster, its provider, mesh
 * and gateway.
 */
import * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../../spec/plan";
import type { FleetSecrets } from "../secrets";

export interface FleetClustersArgs {
  readonly plan: FleetPlan;
  readonly secrets: FleetSecrets;
}

/** What the stack reports per cluster. */
export interface ClusterStatus {
  readonly gateway: boolean;
  readonly hosts: string[];
  readonly drained: boolean;
}

// Known debt: a placeholder until the clusters side is built; it registers no cluster resources yet.
export class FleetClusters extends pulumi.ComponentResource {
  /** Per serving cluster, the resource a front door must wait for (the cluster's Gateway). */
  readonly gateways: Readonly<Record<string, pulumi.Resource>>;
  readonly status: pulumi.Output<Record<string, ClusterStatus>>;

  constructor(name: string, args: FleetClustersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:kubernetes:FleetClusters", name, {}, opts);
    this.gateways = {};
    const status: Record<string, ClusterStatus> = {};
    for (const c of args.plan.clusters) status[c.name] = { gateway: c.gateway !== undefined, hosts: [...(c.gateway?.hosts ?? [])], drained: c.drained };
    this.status = pulumi.output(status);
    this.registerOutputs({ status: this.status });
  }
}
