/**
 * FleetIngress: the top component. It turns one environment's FleetPlan into its resource tree: the
 * shared root of trust, one ClusterGateway per cluster, and the front door of the chosen cloud.
 */
import * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../spec/plan";
import type { FleetSecrets } from "./secrets";

export interface FleetIngressArgs {
  /** The resolved plan of the environment; every decision is in it. */
  readonly plan: FleetPlan;
  /** Secret inputs (kubeconfigs, an existing root CA) from stack configuration. */
  readonly secrets: FleetSecrets;
}

export class FleetIngress extends pulumi.ComponentResource {
  /** Hosts served by the environment, sorted. */
  readonly hosts: pulumi.Output<string[]>;

  constructor(name: string, args: FleetIngressArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:index:FleetIngress", name, {}, opts);
    const { plan } = args;
    this.hosts = pulumi.output(plan.hosts.map((h) => h.name));
    this.registerOutputs({ hosts: this.hosts });
  }
}
