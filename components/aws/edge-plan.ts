/**
 * What the AWS front door needs to know, derived from the FleetPlan: which regions have serving
 * clusters, which certificate domains each region terminates, how much traffic each cluster and region
 * takes at the edge, and how each host is routed in DNS. Pure data; the components only build it.
 *
 * The accelerator and the NLBs work at layer 4, so they cannot tell services apart: a cluster's edge
 * weight is the highest weight any of its routed services gives it (a cluster drained for every service,
 * or by the admin, takes 0 and stays attached).
 *
 * Known limit: per-service weights between clusters do not act at the AWS edge. A request reaches a
 * cluster by its edge weight, and its gateway sends it to the local Service, whose endpoints Istio
 * chooses: nearest first, or for `balancing: even` spread by region in proportion to the service's
 * weights (components/kubernetes/mesh-plan.ts, regionShares). So a service drained in one cluster still
 * gets requests at that cluster's gateway while other services keep the cluster's edge weight up; the mesh
 * then sends them on to where the service is not drained.
 */
import { shortHash } from "../../spec/names";
import type { AwsFrontDoorPlan, ClusterPlan, FleetPlan, HostPlan } from "../../spec/plan";

/** ACM's default quota of names per certificate. */
export const MAX_NAMES_PER_CERTIFICATE = 10;
/** Names per certificate aimed at when a region needs several: room to grow before a bucket splits. */
const NAMES_PER_BUCKET = 8;

export interface AwsEdgePlan {
  readonly frontDoor: AwsFrontDoorPlan;
  /** Regions with serving clusters, sorted. */
  readonly regions: readonly AwsRegionEdge[];
  /** Hosts, sorted, with their DNS routing. */
  readonly hosts: readonly AwsHostEdge[];
  /** The hosted zones that hold the hosts' records, sorted by domain, with the TTL of their plain records. */
  readonly zones: readonly { readonly domain: string; readonly hostedZoneId: string; readonly ttl: number }[];
  /** Every certificate name that needs a DNS validation record, with its hosted zone, sorted. */
  readonly validationDomains: readonly { readonly domain: string; readonly hostedZoneId: string }[];
}

export interface AwsRegionEdge {
  readonly region: string;
  /** Serving clusters in the region, sorted. */
  readonly clusters: readonly AwsClusterEdge[];
  /** 100, or 0 when every cluster of the region takes no traffic. */
  readonly trafficDial: number;
  /** The certificates the region's NLBs present (EKS clusters only), each at most MAX_NAMES_PER_CERTIFICATE names. */
  readonly certificates: readonly AwsCertificateEdge[];
}

export interface AwsCertificateEdge {
  /** Content-addressed key: a change of names is a new certificate, created before the old one goes. */
  readonly key: string;
  /** Sorted; the first is the certificate's domain name, the rest its subject alternative names. */
  readonly domains: readonly string[];
}

export interface AwsClusterEdge {
  readonly cluster: string;
  readonly provider: ClusterPlan["provider"];
  /** 0..100: the highest weight of the cluster's routed services; 0 when drained. */
  readonly weight: number;
  /** The same on Global Accelerator's and Route 53's 0..255 scale. */
  readonly endpointWeight: number;
  /** Where DNS reaches a non-EKS cluster's gateway, and on which port. */
  readonly publicHostname?: string;
  readonly publicPort?: number;
  /** The namespace and name of the gateway's NLB Service, which the AWS Load Balancer Controller turns into an NLB. */
  readonly gatewayService?: { readonly namespace: string; readonly name: string };
  /**
   * The EKS cluster name the cluster's AWS Load Balancer Controller runs with (its `clusterName`), which it
   * tags the NLB with: the EKS name the cluster is looked up by, or the Fleetgate cluster name where the
   * cluster is given by kubeconfig (the controller MUST then run with that name).
   */
  readonly eksClusterName?: string;
}

export interface AwsHostEdge {
  readonly host: string;
  readonly zone: string;
  readonly hostedZoneId: string;
  /** Regions whose clusters serve the host, sorted. */
  readonly regions: readonly string[];
  /** DNS failover between two regions, from the failover order of the service behind the host's catch-all. */
  readonly failover?: { readonly primary: string; readonly secondary: string };
  /**
   * latency-dns: what the host's records alias to, which fixes their type (an alias has the type of the
   * records it routes to [aws.route53-records]): NLBs (A, and AAAA with dual stack), or the public names
   * of clusters outside AWS (CNAME).
   */
  readonly reachedBy: "load-balancers" | "public-names";
}

export function awsEdgePlan(plan: FleetPlan): AwsEdgePlan {
  if (plan.frontDoor.provider !== "aws") throw new Error("awsEdgePlan needs a plan whose front door is aws");
  const zoneIds = new Map(plan.dnsZones.map((z) => [z.domain, z.hostedZoneId ?? ""]));
  const serving = plan.clusters.filter((c) => c.gateway !== undefined);
  const edges = new Map(serving.map((c) => [c.name, clusterEdge(plan, c)]));
  const byRegion = new Map<string, ClusterPlan[]>();
  // Clusters outside AWS stand in an AWS region of their own choosing (ClusterPlan.awsRegion).
  const edgeRegion = (c: ClusterPlan) => c.awsRegion ?? c.region;
  for (const c of serving) byRegion.set(edgeRegion(c), [...(byRegion.get(edgeRegion(c)) ?? []), c]);

  const regions = [...byRegion.keys()].sort().map((region): AwsRegionEdge => {
    const clusters = byRegion.get(region)!.map((c) => edges.get(c.name)!);
    // A region's certificates cover the hosts its EKS gateways listen for: what its NLBs can receive.
    const listened = new Set(byRegion.get(region)!.flatMap((c) => (c.provider === "eks" ? c.gateway!.hosts : [])));
    const domains = [...new Set(plan.hosts.filter((h) => listened.has(h.name)).map((h) => h.certificate))].sort();
    return {
      region,
      clusters,
      trafficDial: clusters.some((c) => c.weight > 0) ? 100 : 0,
      certificates: certificateGroups(domains).map((names) => ({ key: shortHash(names.join(",")), domains: names })),
    };
  });

  const regionOf = new Map(serving.map((c) => [c.name, edgeRegion(c)]));
  const providerOf = new Map(serving.map((c) => [c.name, c.provider]));
  const hosts = plan.hosts.map((h): AwsHostEdge => {
    const hostRegions = [...new Set(h.clusters.map((c) => regionOf.get(c)!).filter((r) => r !== undefined))].sort();
    const failover = hostFailover(plan, h).filter((r) => hostRegions.includes(r));
    const kinds = new Set(h.clusters.map((c) => (providerOf.get(c) === "eks" ? "load-balancers" : "public-names")));
    if (plan.frontDoor.provider === "aws" && plan.frontDoor.mode === "latency-dns" && kinds.size > 1)
      throw new Error(
        `host ${h.name} is served by EKS clusters and by clusters outside AWS; Route 53 cannot route one name to both (the validator says so at the host)`,
      );
    return {
      host: h.name,
      zone: h.zone,
      hostedZoneId: zoneIds.get(h.zone) ?? "",
      regions: hostRegions,
      ...(failover.length >= 2 ? { failover: { primary: failover[0]!, secondary: failover[1]! } } : {}),
      reachedBy: kinds.has("public-names") ? "public-names" : "load-balancers",
    };
  });

  // Each certificate name is validated in the zone the resolver placed its certificate in.
  const validation = new Map<string, string>();
  for (const r of regions)
    for (const cert of r.certificates)
      for (const domain of cert.domains) {
        const planned = plan.certificates.find((c) => c.domain === domain);
        validation.set(domain, planned?.kind === "managed" ? (zoneIds.get(planned.zone) ?? "") : "");
      }

  const hostZones = new Set(hosts.map((h) => h.zone));
  return {
    frontDoor: plan.frontDoor,
    regions,
    hosts,
    zones: plan.dnsZones.filter((z) => hostZones.has(z.domain)).map((z) => ({ domain: z.domain, hostedZoneId: z.hostedZoneId ?? "", ttl: z.ttl })),
    validationDomains: [...validation.keys()].sort().map((domain) => ({ domain, hostedZoneId: validation.get(domain)! })),
  };
}

function clusterEdge(plan: FleetPlan, cluster: ClusterPlan): AwsClusterEdge {
  const routed = new Set(cluster.gateway?.services ?? []);
  const weights = plan.services.filter((s) => routed.has(s.key)).flatMap((s) => s.clusters.filter((c) => c.cluster === cluster.name).map((c) => c.weight));
  const weight = cluster.drained ? 0 : Math.max(0, ...weights);
  return {
    cluster: cluster.name,
    provider: cluster.provider,
    weight,
    endpointWeight: Math.round((weight * 255) / 100),
    ...(cluster.gateway?.publicHostname !== undefined ? { publicHostname: cluster.gateway.publicHostname, publicPort: cluster.gateway.publicPort } : {}),
    ...(cluster.provider === "eks" && cluster.gateway?.nlb
      ? {
          gatewayService: { namespace: cluster.gateway.namespace, name: cluster.gateway.nlb.serviceName },
          eksClusterName: cluster.access.kind === "eks" ? cluster.access.clusterName : cluster.name,
        }
      : {}),
  };
}

/** The failover order of the service that answers the host's unmatched paths (its catch-all). */
function hostFailover(plan: FleetPlan, host: HostPlan): readonly string[] {
  const catchAll = host.routes.find(
    (r) =>
      r.match.path.type === "Prefix" &&
      r.match.path.value === "/" &&
      r.match.method === undefined &&
      r.match.headers.length === 0 &&
      r.match.queryParams.length === 0,
  );
  const service =
    catchAll?.action.kind === "forward" ? [...catchAll.action.backends].sort((a, b) => b.weight - a.weight)[0]?.service : host.defaultBackend?.service;
  return plan.services.find((s) => s.key === service)?.failover ?? [];
}

/**
 * Groups a region's certificate names into certificates. While they fit one certificate they share it.
 * Beyond that each name goes to a bucket chosen by a hash of the name, and the number of buckets is a
 * power of two, so adding a host changes only its own bucket's certificate — all regroup only when the
 * number of buckets doubles. A bucket that outgrows ACM's quota is split in name order.
 */
export function certificateGroups(domains: readonly string[]): string[][] {
  const sorted = [...domains].sort();
  if (sorted.length <= MAX_NAMES_PER_CERTIFICATE) return sorted.length > 0 ? [sorted] : [];
  const buckets = 2 ** Math.ceil(Math.log2(Math.ceil(sorted.length / NAMES_PER_BUCKET)));
  const grouped = Array.from({ length: buckets }, () => [] as string[]);
  for (const name of sorted) grouped[parseInt(shortHash(name), 16) % buckets]!.push(name);
  return grouped.filter((g) => g.length > 0).flatMap((g) => chunk(g, MAX_NAMES_PER_CERTIFICATE));
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
