/**
 * The AWS front door: finds each EKS cluster's gateway NLB (created by the AWS Load Balancer Controller
 * from the gateway's NLB Service), waits until it is active, and puts it behind either one Global
 * Accelerator (`accelerator`) or Route 53 latency records (`latency-dns`), with alias records for every
 * host. Each NLB terminates TLS on 443 with its region's certificates (AwsCertificates, created before
 * the clusters side) and passes port 80 to the gateway's listener that only redirects to HTTPS; the
 * accelerator and DNS pass both ports through at layer 4.
 *
 * The accelerator's endpoints preserve no client address: Global Accelerator cannot, for NLBs with TLS
 * listeners [aws.client-ip-preservation], so the accelerator is IPv4 only [aws.dual-stack-accelerator]
 * and the gateways see the NLB's addresses. Without an accelerator the NLB sees the client and tells the
 * gateways by proxy protocol; with `dualStack` its NLBs and records serve IPv6 too.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { boundedName } from "../../spec/names";
import { hostNamePart } from "../../spec/naming";
import { afterWait } from "../waits";
import type { AwsClusterEdge, AwsEdgePlan } from "./edge-plan";
import { loadBalancerStateReader, waitForActiveNlb } from "./nlb-wait";
import type { AwsRegions } from "./regions";

export interface AwsFrontDoorArgs {
  readonly environment: string;
  readonly edge: AwsEdgePlan;
  readonly regions: AwsRegions;
  /** Per serving cluster, the resource whose creation makes its NLB exist (the gateway's NLB Service). */
  readonly gateways: Readonly<Record<string, pulumi.Resource>>;
}

/**
 * The tags the AWS Load Balancer Controller puts on the NLB of a Service: the EKS cluster name it runs
 * with (not the Fleetgate cluster name, which may differ), and the Service.
 */
export function controllerTags(clusterName: string, service: { namespace: string; name: string }): Record<string, string> {
  return { "elbv2.k8s.aws/cluster": clusterName, "service.k8s.aws/stack": `${service.namespace}/${service.name}` };
}

/** A gateway's NLB, each field known once the NLB is active. */
interface Nlb {
  readonly arn: pulumi.Output<string>;
  readonly dnsName: pulumi.Output<string>;
  readonly zoneId: pulumi.Output<string>;
}

export class AwsFrontDoor extends pulumi.ComponentResource {
  /** The accelerator's DNS name, or undefined in latency-dns mode. */
  readonly address: pulumi.Output<string | undefined>;
  /** The accelerator's static IP addresses. */
  readonly ipAddresses: pulumi.Output<string[]>;

  constructor(name: string, args: AwsFrontDoorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:aws:AwsFrontDoor", name, {}, opts);
    const { environment, edge, regions } = args;
    const nlbs = new Map<string, Nlb>();
    for (const region of edge.regions)
      for (const cluster of region.clusters) if (cluster.gatewayService) nlbs.set(cluster.cluster, this.findNlb(cluster, region.region, args));

    if (edge.frontDoor.mode === "accelerator") {
      const accelerator = new aws.globalaccelerator.Accelerator(
        `${environment}-accelerator`,
        { name: boundedName(["fg", environment]), ipAddressType: "IPV4", enabled: true },
        { parent: this, provider: regions.global, protect: true },
      );
      for (const port of [443, 80]) {
        const listener = new aws.globalaccelerator.Listener(
          `${environment}-accelerator-${port}`,
          { acceleratorArn: accelerator.arn, protocol: "TCP", clientAffinity: edge.frontDoor.clientAffinity, portRanges: [{ fromPort: port, toPort: port }] },
          { parent: this, provider: regions.global },
        );
        for (const region of edge.regions) {
          // No health check settings: for load balancer endpoints the accelerator uses the NLB's own target
          // health [aws.endpoint-group-health].
          new aws.globalaccelerator.EndpointGroup(
            `${environment}-accelerator-${port}-${region.region}`,
            {
              listenerArn: listener.arn,
              endpointGroupRegion: region.region,
              trafficDialPercentage: region.trafficDial,
              endpointConfigurations: region.clusters
                .filter((c) => nlbs.has(c.cluster))
                .map((c) => ({ endpointId: nlbs.get(c.cluster)!.arn, weight: c.endpointWeight, clientIpPreservationEnabled: false })),
            },
            { parent: this, provider: regions.global },
          );
        }
      }
      for (const host of edge.hosts)
        new aws.route53.Record(
          boundedName([environment, hostNamePart(host.host), "a"]),
          {
            zoneId: host.hostedZoneId,
            name: host.host,
            type: "A",
            aliases: [{ name: accelerator.dnsName, zoneId: accelerator.hostedZoneId, evaluateTargetHealth: true }],
          },
          { parent: this, provider: regions.global },
        );
      this.address = accelerator.dnsName;
      this.ipAddresses = accelerator.ipSets.apply((sets) => sets.flatMap((s) => s.ipAddresses ?? []));
    } else {
      this.latencyRecords(args, nlbs);
      this.address = pulumi.output(undefined);
      this.ipAddresses = pulumi.output([]);
    }
    this.registerOutputs({ address: this.address, ipAddresses: this.ipAddresses });
  }

  /** The cluster's NLB, found once its Service has been given one, and known once it is active. */
  private findNlb(cluster: AwsClusterEdge, region: string, args: AwsFrontDoorArgs): Nlb {
    const gateway = args.gateways[cluster.cluster];
    const nlb = aws.lb.getLoadBalancerOutput(
      { tags: controllerTags(cluster.eksClusterName ?? cluster.cluster, cluster.gatewayService!) },
      { parent: this, provider: args.regions.providers[region], ...(gateway ? { dependsOn: [gateway] } : {}) },
    );
    const read = loadBalancerStateReader();
    const arn = afterWait(nlb.arn, nlb.arn, (id) => waitForActiveNlb(cluster.cluster, region, id, read));
    const active = <T>(value: pulumi.Output<T>) => pulumi.all([value, arn]).apply(([v]) => v);
    return { arn, dnsName: active(nlb.dnsName), zoneId: active(nlb.zoneId) };
  }

  /**
   * Latency DNS: per zone and region a weighted record set (one record per cluster, by edge weight),
   * and per host either latency records to its regions' sets or, when its service names a failover
   * order, a primary and a secondary record.
   */
  private latencyRecords(args: AwsFrontDoorArgs, nlbs: Map<string, Nlb>): void {
    const { environment, edge, regions } = args;
    const provider = regions.global;
    const regionName = (zone: string, region: string) => `${region}.${boundedName(["fg", environment])}.${zone}`;
    // With dualStack every name the hosts resolve through has an AAAA record beside its A record.
    const addressTypes = edge.frontDoor.dualStack ? (["A", "AAAA"] as const) : (["A"] as const);

    // A cluster outside AWS is reached by its gateway's public name, checked by Route 53 itself: one
    // check per cluster, shared by its records in every zone.
    const checks = new Map(
      edge.regions.flatMap((region) =>
        region.clusters
          .filter((cluster) => !nlbs.has(cluster.cluster))
          .map((cluster) => [
            cluster.cluster,
            new aws.route53.HealthCheck(
              boundedName([environment, cluster.cluster, "health"]),
              { type: "TCP", fqdn: cluster.publicHostname!, port: cluster.publicPort ?? 443, requestInterval: 10, failureThreshold: 3 },
              { parent: this, provider },
            ),
          ]),
      ),
    );
    const regionRecords = new Map<string, aws.route53.Record[]>();
    for (const { domain: zone, hostedZoneId: zoneId, ttl } of edge.zones)
      for (const region of edge.regions) {
        const records = region.clusters.map((cluster) => {
          const nlb = nlbs.get(cluster.cluster);
          const common = {
            zoneId,
            name: regionName(zone, region.region),
            setIdentifier: cluster.cluster,
            weightedRoutingPolicies: [{ weight: cluster.endpointWeight }],
          };
          const recordName = boundedName([environment, zone, region.region, cluster.cluster]);
          // A dual-stack NLB answers both families under its name; a public name by CNAME covers both too.
          if (nlb)
            return addressTypes.map(
              (type) =>
                new aws.route53.Record(
                  type === "A" ? recordName : `${recordName}-aaaa`,
                  { ...common, type, aliases: [{ name: nlb.dnsName, zoneId: nlb.zoneId, evaluateTargetHealth: true }] },
                  { parent: this, provider },
                ),
            );
          return [
            new aws.route53.Record(
              recordName,
              { ...common, type: "CNAME", ttl, records: [cluster.publicHostname!], healthCheckId: checks.get(cluster.cluster)!.id },
              { parent: this, provider },
            ),
          ];
        });
        regionRecords.set(`${zone} ${region.region}`, records.flat());
      }

    for (const host of edge.hosts) {
      const target = (region: string) => ({ name: regionName(host.zone, region), zoneId: host.hostedZoneId, evaluateTargetHealth: true });
      const dependsOn = host.regions.flatMap((r) => regionRecords.get(`${host.zone} ${r}`) ?? []);
      const hostKey = hostNamePart(host.host);
      // An alias has the type of the records it routes to: A (and AAAA) for NLBs, CNAME for public names.
      const types = host.reachedBy === "public-names" ? (["CNAME"] as const) : addressTypes;
      const named = (base: string, type: "A" | "AAAA" | "CNAME") => (type === "AAAA" ? `${base}-aaaa` : base);
      for (const type of types) {
        if (host.failover) {
          for (const [role, region] of [
            ["PRIMARY", host.failover.primary],
            ["SECONDARY", host.failover.secondary],
          ] as const)
            new aws.route53.Record(
              named(boundedName([environment, hostKey, role.toLowerCase()]), type),
              {
                zoneId: host.hostedZoneId,
                name: host.host,
                type,
                setIdentifier: `${role.toLowerCase()}-${region}`,
                failoverRoutingPolicies: [{ type: role }],
                aliases: [target(region)],
              },
              { parent: this, provider, dependsOn },
            );
          continue;
        }
        for (const region of host.regions)
          new aws.route53.Record(
            named(boundedName([environment, hostKey, region]), type),
            { zoneId: host.hostedZoneId, name: host.host, type, setIdentifier: region, latencyRoutingPolicies: [{ region }], aliases: [target(region)] },
            { parent: this, provider, dependsOn },
          );
      }
    }
  }
}
