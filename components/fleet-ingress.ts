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
import type { TrustRecord } from "./trust/trust-record";

export interface FleetIngressArgs {
  /** The resolved plan of the environment; every decision is in it. */
  readonly plan: FleetPlan;
  /** Secret inputs (kubeconfigs, an existing root CA) from stack configuration. */
  readonly secrets: FleetSecrets;
}

export class FleetIngress extends pulumi.ComponentResource {
  /** Hosts served by the environment, sorted. */
  readonly hosts: pulumi.Output<string[]>;
  /** The front door's public IPv4 address (GCP) or DNS name (AWS accelerator; none in latency-dns mode). */
  readonly address: pulumi.Output<string | undefined>;
  /** Every public IP address of the front door (GCP global addresses, AWS accelerator addresses). */
  readonly ipAddresses: pulumi.Output<string[]>;
  /** Per host, the certificates that serve it: GCP certificate map entries and their state, or AWS ACM ARNs. */
  readonly certificates: pulumi.Output<Record<string, { certificates: string[]; state?: string }>>;
  /** GCP: per routed service port, its backend service's name. */
  readonly backendServices: pulumi.Output<Record<string, string>>;
  /** Per cluster: whether it has a gateway, its hosts and whether it is drained. */
  readonly gateways: pulumi.Output<Record<string, ClusterStatus>>;
  /** What every cluster trusts and which root signed it: the record the next deployment's rotation guard reads. */
  readonly trust: pulumi.Output<TrustRecord | undefined>;

  constructor(name: string, args: FleetIngressArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:index:FleetIngress", name, {}, opts);
    const { plan, secrets } = args;

    // --- AWS regions and certificates come first: each EKS gateway's NLB terminates TLS with its region's
    // validated certificates, so the clusters side needs their ARNs.
    const aws =
      plan.frontDoor.provider === "aws"
        ? (() => {
            const edge = awsEdgePlan(plan);
            const regions = new AwsRegions(
              plan.environment,
              { environment: plan.environment, regions: edge.regions.map((r) => r.region), globalRegion: plan.frontDoor.globalRegion },
              { parent: this },
            );
            const certificates = new AwsCertificates(plan.environment, { environment: plan.environment, edge, regions }, { parent: this });
            return { edge, regions, certificates };
          })()
        : undefined;

    // --- The clusters side: trust, providers, mesh, gateways, routes (components/kubernetes, components/trust).
    const clusters = new FleetClusters(plan.environment, { plan, secrets, ...(aws ? { certificateArns: aws.certificates.arns } : {}) }, { parent: this });

    // --- The front door (components/gcp, components/aws).
    if (!aws) {
      const frontDoor = new GcpFrontDoor(plan.environment, { plan, gateways: clusters.gateways }, { parent: this });
      this.address = frontDoor.address;
      this.ipAddresses = pulumi.all([frontDoor.address, frontDoor.ipv6Address]).apply((ips) => ips.filter((ip): ip is string => ip !== undefined));
      this.certificates = frontDoor.hosts.apply((hosts) =>
        Object.fromEntries(hosts.map((h) => [h.host, { certificates: h.certificates, state: h.certificateState }])),
      );
      this.backendServices = frontDoor.backendServices;
    } else {
      const { edge, regions, certificates } = aws;
      const frontDoor = new AwsFrontDoor(plan.environment, { environment: plan.environment, edge, regions, gateways: clusters.gateways }, { parent: this });
      this.address = frontDoor.address;
      this.ipAddresses = frontDoor.ipAddresses;
      this.certificates = pulumi
        .all(certificates.arns)
        .apply((arns) => Object.fromEntries(edge.hosts.map((h) => [h.host, { certificates: h.regions.flatMap((r) => arns[r] ?? []) }])));
      this.backendServices = pulumi.output({} as Record<string, string>);
    }

    this.hosts = pulumi.output(plan.hosts.map((h) => h.name));
    this.gateways = clusters.status;
    this.trust = clusters.trust;
    this.registerOutputs({
      hosts: this.hosts,
      address: this.address,
      ipAddresses: this.ipAddresses,
      certificates: this.certificates,
      backendServices: this.backendServices,
      gateways: this.gateways,
      trust: this.trust,
    });
  }
}
