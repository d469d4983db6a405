/**
 * Where a request goes: from the stack's DNS records through its front door (GCP: forwarding rule,
 * proxy, URL map, backend service and its NEGs; AWS: accelerator listener and endpoint groups, or latency
 * records, to each region's NLB) to each reached cluster's gateway and the Service port it hands the
 * request to. Pure: it reads a RoutingConfig (config.ts) and nothing else.
 */
import type { AwsEndpoint, BackendServiceConfig, ClusterObjects, DnsRecord, RoutingConfig, ServiceObject } from "./config";
import { evaluateGateway, type GatewayResult } from "./gateway";
import { applyHeaderChanges, type EvalRequest, type HeaderChange } from "./request";
import { evaluateUrlMap, type UrlMapResult } from "./url-map";

export interface ClusterHop {
  readonly cluster: string;
  /** GCP: the NEGs' capacity scaler (0: drained); AWS: the endpoint weight (0-255). */
  readonly weight?: number;
  /** The port the request arrives on at the gateway. */
  readonly gatewayPort: number;
  readonly gateway: GatewayResult;
}

export interface BackendServiceHop {
  readonly backendService: string;
  /** Percent of the URL map rule's traffic. */
  readonly weight: number;
  /** The backend service's own request headers (`name:value`), such as the dispatch tag. */
  readonly customRequestHeaders: readonly string[];
  /** The request as the gateways receive it: rewritten, with every header change applied. */
  readonly request: EvalRequest;
  readonly requestHeaders: readonly HeaderChange[];
  readonly clusters: readonly ClusterHop[];
  readonly problem?: string;
}

export type FrontDoorTrace =
  | { readonly kind: "none"; readonly reason: string }
  | {
      readonly kind: "gcp";
      readonly forwardingRule: string;
      readonly proxy: string;
      readonly urlMap: UrlMapResult;
      readonly backends: readonly BackendServiceHop[];
    }
  | {
      readonly kind: "aws";
      readonly mode: "accelerator" | "latency-dns";
      readonly listener?: string;
      readonly groups: readonly {
        readonly region: string;
        readonly name: string;
        readonly trafficDialPercentage?: number;
        readonly clusters: readonly ClusterHop[];
      }[];
    };

export interface RouteTrace {
  readonly request: EvalRequest;
  /** The stack's records for the host (none: clients cannot find the front door by this name). */
  readonly dns: readonly DnsRecord[];
  readonly frontDoor: FrontDoorTrace;
}

/** The records of a name and, for aliases and CNAMEs within the stack, of what they point at. */
function recordsOf(config: RoutingConfig, name: string): DnsRecord[] {
  const out: DnsRecord[] = [];
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const r of config.dns.filter((d) => d.name === n)) {
      out.push(r);
      for (const v of r.values) visit(v.replace(/\.$/, "").toLowerCase());
    }
  };
  visit(name);
  return out;
}

/** The port a Service sends a port to (its targetPort; a named target port is kept as the port). */
function targetPortOf(service: ServiceObject | undefined, port: number): number {
  const entry = service?.spec.ports?.find((p) => p.port === port);
  return typeof entry?.targetPort === "number" ? entry.targetPort : port;
}

function evaluateGcp(config: RoutingConfig, request: EvalRequest, dns: readonly DnsRecord[]): FrontDoorTrace {
  const gcp = config.gcp!;
  const addresses = new Set(dns.flatMap((r) => r.values));
  const rules = gcp.forwardingRules.filter((f) => request.port >= f.ports[0] && request.port <= f.ports[1]);
  const rule = rules.find((f) => f.ipAddress !== undefined && addresses.has(f.ipAddress)) ?? rules[0];
  if (!rule) return { kind: "none", reason: `no forwarding rule of the GCP front door listens on port ${request.port}` };
  const proxy = gcp.proxies.get(rule.proxy);
  const map = proxy ? gcp.urlMaps.get(proxy.urlMap) : undefined;
  if (!proxy || !map) return { kind: "none", reason: `forwarding rule ${rule.name} leads to no URL map of the stack` };
  if ((proxy.kind === "https") !== (request.scheme === "https"))
    return { kind: "none", reason: `port ${request.port} of the front door speaks ${proxy.kind}, not ${request.scheme}` };
  const urlMap = evaluateUrlMap(map, request);
  if (urlMap.action.kind !== "forward") return { kind: "gcp", forwardingRule: rule.name, proxy: rule.proxy, urlMap, backends: [] };
  const action = urlMap.action;
  const backends = action.backends.map((b): BackendServiceHop => {
    const service = gcp.backendServices.get(b.backendService);
    const custom = service?.customRequestHeaders ?? [];
    // A backend service's custom request headers apply last (components/dispatch.ts); the tag replaces
    // whatever the client sent under that name, as far as routing is concerned (see dispatch.ts).
    const customChanges = custom.map((h): HeaderChange => {
      const colon = h.indexOf(":");
      return { op: "set", name: h.slice(0, colon).trim().toLowerCase(), value: h.slice(colon + 1).trim(), by: `backend service ${b.backendService}` };
    });
    const changes = [...b.requestHeaders, ...action.requestHeaders, ...customChanges];
    const host = action.rewrite?.host ?? request.host;
    const forwarded: EvalRequest = {
      ...request,
      host,
      path: action.rewrite?.path ?? request.path,
      headers: applyHeaderChanges({ ...request.headers, host: [host] }, changes),
    };
    if (!service)
      return {
        backendService: b.backendService,
        weight: b.weight,
        customRequestHeaders: [],
        request: forwarded,
        requestHeaders: changes,
        clusters: [],
        problem: `the stack registers no backend service ${b.backendService}`,
      };
    return {
      backendService: b.backendService,
      weight: b.weight,
      customRequestHeaders: custom,
      request: forwarded,
      requestHeaders: changes,
      clusters: gcpClusters(config, service, forwarded),
    };
  });
  return { kind: "gcp", forwardingRule: rule.name, proxy: rule.proxy, urlMap, backends };
}

/** The clusters behind a backend service (one per cluster, whatever its zones), each gateway evaluated. */
function gcpClusters(config: RoutingConfig, service: BackendServiceConfig, request: EvalRequest): ClusterHop[] {
  const byCluster = new Map<string, { weight?: number; port: number }>();
  for (const b of service.backends) {
    if (b.cluster === undefined) continue;
    const prior = byCluster.get(b.cluster);
    const weight = b.capacityScaler !== undefined ? Math.max(prior?.weight ?? 0, b.capacityScaler) : prior?.weight;
    byCluster.set(b.cluster, { ...(weight !== undefined ? { weight } : {}), port: b.port ?? request.port });
  }
  return [...byCluster]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([cluster, hop]) => ({
      cluster,
      ...(hop.weight !== undefined ? { weight: hop.weight } : {}),
      gatewayPort: hop.port,
      gateway: gatewayOf(config, cluster, hop.port, request),
    }));
}

function gatewayOf(config: RoutingConfig, cluster: string, port: number, request: EvalRequest): GatewayResult {
  const objects: ClusterObjects = config.clusters.get(cluster) ?? { name: cluster, gateways: [], routes: [], services: [], grants: [], serviceUrns: new Map() };
  return evaluateGateway(objects, port, request);
}

function awsHop(config: RoutingConfig, endpoint: Pick<AwsEndpoint, "cluster" | "service" | "weight">, request: EvalRequest): ClusterHop | undefined {
  if (endpoint.cluster === undefined) return undefined;
  const port = targetPortOf(endpoint.service, request.port);
  // Behind an NLB that terminates TLS the gateway's listener speaks plain HTTP on the TLS port.
  return { cluster: endpoint.cluster, weight: endpoint.weight, gatewayPort: port, gateway: gatewayOf(config, endpoint.cluster, port, request) };
}

function evaluateAws(config: RoutingConfig, request: EvalRequest, dns: readonly DnsRecord[]): FrontDoorTrace {
  const aws = config.aws;
  const latency = dns.filter((r) => r.setIdentifier !== undefined && r.name !== request.host);
  if (aws && aws.listeners.length > 0) {
    const listener = aws.listeners.find((l) => l.ports.some(([from, to]) => request.port >= from && request.port <= to));
    if (!listener) return { kind: "none", reason: `no listener of the accelerator takes port ${request.port}` };
    const groups = aws.endpointGroups
      .filter((g) => g.listenerUrn === undefined || g.listenerUrn === listener.urn)
      .map((g) => ({
        region: g.region,
        name: g.name,
        trafficDialPercentage: g.trafficDialPercentage,
        clusters: g.endpoints.flatMap((e) => awsHop(config, e, request) ?? []),
      }))
      .sort((a, b) => (a.region < b.region ? -1 : 1));
    return { kind: "aws", mode: "accelerator", listener: listener.name, groups };
  }
  if (latency.length > 0) {
    const byRegion = new Map<string, ClusterHop[]>();
    for (const hostRecord of dns.filter((r) => r.name === request.host && r.routing !== undefined)) {
      // A host's records are latency records (set identifier: the region) or a failover pair (set
      // identifier: primary-<region>, secondary-<region>); either way a group is one region's record.
      const key = `${(hostRecord.setIdentifier ?? "").replace(/^(primary|secondary)-/, "")}\t${hostRecord.routing!}`;
      const hops = recordsOf(config, hostRecord.values[0] ?? "")
        .filter((r) => r.setIdentifier !== undefined)
        .flatMap(
          (r) =>
            awsHop(
              config,
              {
                cluster: r.service?.cluster ?? r.setIdentifier,
                ...(r.service ? { service: r.service.object } : {}),
                weight: Number(r.routing?.replace(/^weight /, "")) || 0,
              },
              request,
            ) ?? [],
        );
      byRegion.set(key, [...(byRegion.get(key) ?? []), ...hops]);
    }
    return {
      kind: "aws",
      mode: "latency-dns",
      groups: [...byRegion]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, clusters]) => ({ region: key.split("\t")[0]!, name: key.split("\t")[1]!, clusters })),
    };
  }
  return { kind: "none", reason: `the stack has no accelerator and no latency records for ${request.host}` };
}

/** Evaluates a request against a stack's routing configuration. */
export function evaluateRequest(config: RoutingConfig, request: EvalRequest): RouteTrace {
  const dns = recordsOf(config, request.host);
  const frontDoor = config.gcp
    ? evaluateGcp(config, request, dns)
    : config.aws || dns.some((r) => r.setIdentifier !== undefined)
      ? evaluateAws(config, request, dns)
      : { kind: "none" as const, reason: "the stack registers no front door" };
  return { request, dns, frontDoor };
}

/** Every Service port a trace ends at, as `cluster namespace/name:port`, sorted: what tests compare. */
export function landings(trace: RouteTrace): string[] {
  const hops =
    trace.frontDoor.kind === "gcp"
      ? trace.frontDoor.backends.flatMap((b) => b.clusters)
      : trace.frontDoor.kind === "aws"
        ? trace.frontDoor.groups.flatMap((g) => g.clusters)
        : [];
  return [
    ...new Set(
      hops.flatMap((h) =>
        h.gateway.outcome.kind === "forward"
          ? h.gateway.outcome.backends.filter((b) => b.problem === undefined).map((b) => `${h.cluster} ${b.service}:${b.port ?? ""}`)
          : [],
      ),
    ),
  ].sort();
}
