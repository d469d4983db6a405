/**
 * The AWS front door: finds each EKS cluster's gateway NLB (created by the AWS Load Balancer Controller
 * from the annotations the clusters side puts on the gateway Service) and puts it behind either one
 * Global Accelerator (`accelerator`) or Route 53 latency records (`latency-dns`), with alias records for
 * every host. Each NLB terminates TLS on 443 with its region's certificates (AwsCertificates, created
 * before the clusters side) and passes port 80 to the gateway's listener that only redirects to HTTPS;
 * the accelerator and DNS pass both ports through at layer 4.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { boundedName } from "../../spec/names";
import { hostNamePart } from "../../spec/naming";
import type { AwsClusterEdge, AwsEdgePlan } from "./edge-plan";
import type { AwsRegions } from "./regions";

export interface AwsFrontDoorArgs {
  readonly environment: string;
  readonly edge: AwsEdgePlan;
  readonly regions: AwsRegions;
  /** Per serving cluster, the resource whose creation makes its NLB exist (its gateway). */
  readonly gateways: Readonly<Record<string, pulumi.Resource>>;
}

/**
 * The tags the AWS Load Balancer Controller puts on the NLB of a Service: the EKS cluster name it runs
 * with (not the Fleetgate cluster name, which may differ), and the Service.
 */
export function controllerTags(clusterName: string, service: { namespace: string; name: string }): Record<string, string> {
  return { "elbv2.k8s.aws/cluster": clusterName, "service.k8s.aws/stack": `${service.namespace}/${service.name}` };
}

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
      for (const cluster of region.clusters)
        if (cluster.gatewayService) nlbs.set(cluster.cluster, this.findNlb(cluster, region.region, args));

    if (edge.frontDoor.mode === "accelerator") {
      const accelerator = new aws.globalaccelerator.Accelerator(
        `${environment}-accelerator`,
        { name: boundedName(["fg", environment]), ipAddressType: edge.frontDoor.dualStack ? "DUAL_STACK" : "IPV4", enabled: true },
        { parent: this, provider: regions.global, protect: true },
      );
      for (const port of [443, 80]) {
        const listener = new aws.globalaccelerator.Listener(
          `${environment}-accelerator-${port}`,
          { acceleratorArn: accelerator.arn, protocol: "TCP", clientAffinity: edge.frontDoor.clientAffinity, portRanges: [{ fromPort: port, toPort: port }] },
          { parent: this, provider: regions.global },
        );
        for (const region of edge.regions) {
          new aws.globalaccelerator.EndpointGroup(
            `${environment}-accelerator-${port}-${region.region}`,
            {
              listenerArn: listener.arn,
              endpointGroupRegion: region.region,
              trafficDialPercentage: region.trafficDial,
              healthCheckProtocol: "TCP",
              healthCheckPort: port,
              healthCheckIntervalSeconds: 10,
              thresholdCount: 3,
              endpointConfigurations: region.clusters
                .filter((c) => nlbs.has(c.cluster))
                .map((c) => ({ endpointId: nlbs.get(c.cluster)!.arn, weight: c.endpointWeight, clientIpPreservationEnabled: true })),
            },
            { parent: this, provider: regions.global },
          );
        }
      }
      for (const host of edge.hosts)
        for (const type of edge.frontDoor.dualStack ? ["A", "AAAA"] : ["A"])
          new aws.route53.Record(
            boundedName([environment, hostNamePart(host.host), type.toLowerCase()]),
            {
              zoneId: host.hostedZoneId,
              name: host.host,
              type,
              aliases: [{ name: edge.frontDoor.dualStack ? accelerator.dualStackDnsName : accelerator.dnsName, zoneId: accelerator.hostedZoneId, evaluateTargetHealth: true }],
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

  private findNlb(cluster: AwsClusterEdge, region: string, args: AwsFrontDoorArgs): Nlb {
    const gateway = args.gateways[cluster.cluster];
    const nlb = aws.lb.getLoadBalancerOutput(
      { tags: controllerTags(cluster.eksClusterName ?? cluster.cluster, cluster.gatewayService!) },
      { parent: this, provider: args.regions.providers[region], ...(gateway ? { dependsOn: [gateway] } : {}) },
    );
    return { arn: nlb.arn, dnsName: nlb.dnsName, zoneId: nlb.zoneId };
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
          if (nlb)
            return new aws.route53.Record(recordName, { ...common, type: "A", aliases: [{ name: nlb.dnsName, zoneId: nlb.zoneId, evaluateTargetHealth: true }] }, { parent: this, provider });
          return new aws.route53.Record(recordName, { ...common, type: "CNAME", ttl, records: [cluster.publicHostname!], healthCheckId: checks.get(cluster.cluster)!.id }, { parent: this, provider });
        });
        regionRecords.set(`${zone} ${region.region}`, records);
      }

    for (const host of edge.hosts) {
      const target = (region: string) => ({ name: regionName(host.zone, region), zoneId: host.hostedZoneId, evaluateTargetHealth: true });
      const dependsOn = host.regions.flatMap((r) => regionRecords.get(`${host.zone} ${r}`) ?? []);
      const hostKey = hostNamePart(host.host);
      if (host.failover) {
        for (const [role, region] of [["PRIMARY", host.failover.primary], ["SECONDARY", host.failover.secondary]] as const)
          new aws.route53.Record(
            boundedName([environment, hostKey, role.toLowerCase()]),
            { zoneId: host.hostedZoneId, name: host.host, type: "A", setIdentifier: `${role.toLowerCase()}-${region}`, failoverRoutingPolicies: [{ type: role }], aliases: [target(region)] },
            { parent: this, provider, dependsOn },
          );
        continue;
      }
      for (const region of host.regions)
        new aws.route53.Record(
          boundedName([environment, hostKey, region]),
          { zoneId: host.hostedZoneId, name: host.host, type: "A", setIdentifier: region, latencyRoutingPolicies: [{ region }], aliases: [target(region)] },
          { parent: this, provider, dependsOn },
        );
    }
  }
}
