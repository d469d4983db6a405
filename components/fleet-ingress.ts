/**
 * FleetIngress: the top component. It turns one environment's FleetPlan into its resource tree: the
 * clusters side (shared root of trust, and per cluster its provider, mesh and gateway) and the front
 * door of the chosen cloud, which waits for the gateways it sends traffic to.
 */
import * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../spec/plan";
import { AwsCertificates } from "./aws/certificates";
import { awsEdgePlan } from "./aws/edge-plan";
import { AwsFrontDoor } from "./aws/front-door";
import { AwsRegions } from "./aws/regions";
import { GcpFrontDoor } from "./gcp/front-door";
import { FleetClusters, type ClusterStatus } from "./kubernetes/fleet-clusters";
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
  /** The front door's public IPv4 address (GCP) or DNS name (AWS accelerator). */
  readonly address: pulumi.Output<string | undefined>;
  /** Per cluster: whether it has a gateway, its hosts and whether it is drained. */
  readonly gateways: pulumi.Output<Record<string, ClusterStatus>>;

  constructor(name: string, args: FleetIngressArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:index:FleetIngress", name, {}, opts);
    const { plan, secrets } = args;

    // --- The clusters side: trust, providers, mesh, gateways, routes (components/kubernetes, components/trust).
    const clusters = new FleetClusters(plan.environment, { plan, secrets }, { parent: this });

    // --- The front door (components/gcp, components/aws).
    let address: pulumi.Output<string | undefined> = pulumi.output(undefined);
    if (plan.frontDoor.provider === "gcp") {
      const frontDoor = new GcpFrontDoor(plan.environment, { plan, gateways: clusters.gateways }, { parent: this });
      address = frontDoor.address;
    } else {
      const edge = awsEdgePlan(plan);
      const regions = new AwsRegions(plan.environment, { environment: plan.environment, regions: edge.regions.map((r) => r.region), globalRegion: plan.frontDoor.globalRegion }, { parent: this });
      new AwsCertificates(plan.environment, { environment: plan.environment, edge, regions }, { parent: this });
      const frontDoor = new AwsFrontDoor(plan.environment, { environment: plan.environment, edge, regions, gateways: clusters.gateways }, { parent: this });
      address = frontDoor.address;
    }

    this.hosts = pulumi.output(plan.hosts.map((h) => h.name));
    this.address = address;
    this.gateways = clusters.status;
    this.registerOutputs({ hosts: this.hosts, address: this.address, gateways: this.gateways });
  }
}
