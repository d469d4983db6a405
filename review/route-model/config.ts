/**
 * The routing configuration of a stack, read from what the program registered (the inputs `pulumi up`
 * would send): the front door's resources, and per cluster the Gateway API objects and Services. Only
 * reading and indexing happens here; the evaluation is in url-map.ts, gateway.ts and evaluate.ts.
 */
import type { RegisteredResource } from "../../offline/mock-engine";
import type { GatewayMatchInput } from "./matching";

// --- Kubernetes objects (the fields routing reads) ------------------------------------------------

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly creationTimestamp?: string;
}
export interface ListenerInput {
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
  readonly hostname?: string;
  readonly allowedRoutes?: { readonly namespaces?: { readonly from?: "Same" | "All" | "Selector" } };
}
export interface GatewayObject {
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly gatewayClassName: string;
    readonly listeners: readonly ListenerInput[];
    readonly infrastructure?: { readonly annotations?: Readonly<Record<string, string>> };
  };
}
export interface HeaderModifierInput {
  readonly set?: readonly { readonly name: string; readonly value: string }[];
  readonly add?: readonly { readonly name: string; readonly value: string }[];
  readonly remove?: readonly string[];
}
export interface PathModifierInput {
  readonly type: "ReplaceFullPath" | "ReplacePrefixMatch";
  readonly replaceFullPath?: string;
  readonly replacePrefixMatch?: string;
}
export interface RouteFilterInput {
  readonly type: string;
  readonly requestHeaderModifier?: HeaderModifierInput;
  readonly responseHeaderModifier?: HeaderModifierInput;
  readonly urlRewrite?: { readonly hostname?: string; readonly path?: PathModifierInput };
  readonly requestRedirect?: {
    readonly scheme?: string;
    readonly hostname?: string;
    readonly port?: number;
    readonly path?: PathModifierInput;
    readonly statusCode?: number;
  };
  readonly requestMirror?: { readonly backendRef: BackendRefInput };
}
export interface BackendRefInput {
  readonly group?: string;
  readonly kind?: string;
  readonly name: string;
  readonly namespace?: string;
  readonly port?: number;
  readonly weight?: number;
}
export interface RouteRuleInput {
  readonly name?: string;
  readonly matches?: readonly GatewayMatchInput[];
  readonly filters?: readonly RouteFilterInput[];
  readonly backendRefs?: readonly BackendRefInput[];
  readonly timeouts?: { readonly request?: string; readonly backendRequest?: string };
}
export interface HTTPRouteObject {
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly parentRefs?: readonly {
      readonly group?: string;
      readonly kind?: string;
      readonly name: string;
      readonly namespace?: string;
      readonly sectionName?: string;
      readonly port?: number;
    }[];
    readonly hostnames?: readonly string[];
    readonly rules?: readonly RouteRuleInput[];
  };
}
export interface ServiceObject {
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly type?: string;
    readonly ports?: readonly { readonly name?: string; readonly port: number; readonly targetPort?: number | string }[];
    readonly selector?: Readonly<Record<string, string>>;
  };
}
export interface ReferenceGrantObject {
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly from: readonly { readonly group: string; readonly kind: string; readonly namespace: string }[];
    readonly to: readonly { readonly group: string; readonly kind: string; readonly name?: string }[];
  };
}

export interface ClusterObjects {
  readonly name: string;
  readonly gateways: GatewayObject[];
  readonly routes: HTTPRouteObject[];
  readonly services: ServiceObject[];
  readonly grants: ReferenceGrantObject[];
  /** URN of each Service, to follow a front door's dependency on it (an NLB's Service). */
  readonly serviceUrns: Map<string, ServiceObject>;
}

// --- Front door resources -------------------------------------------------------------------------

/** The Compute API spells these `requestHeadersToAdd`; the Pulumi provider `requestHeadersToAdds`. Both are read. */
export interface HeaderActionInput {
  readonly requestHeadersToAdd?: readonly HeaderAddInput[];
  readonly requestHeadersToAdds?: readonly HeaderAddInput[];
  readonly requestHeadersToRemove?: readonly string[];
  readonly requestHeadersToRemoves?: readonly string[];
  readonly responseHeadersToAdd?: readonly HeaderAddInput[];
  readonly responseHeadersToAdds?: readonly HeaderAddInput[];
  readonly responseHeadersToRemove?: readonly string[];
  readonly responseHeadersToRemoves?: readonly string[];
}
export interface HeaderAddInput {
  readonly headerName: string;
  readonly headerValue: string;
  readonly replace?: boolean;
}
export interface UrlRedirectInput {
  readonly hostRedirect?: string;
  readonly pathRedirect?: string;
  readonly prefixRedirect?: string;
  readonly httpsRedirect?: boolean;
  readonly redirectResponseCode?: string;
  readonly stripQuery?: boolean;
}
export interface RouteActionInput {
  readonly weightedBackendServices?: readonly { readonly backendService: string; readonly weight: number; readonly headerAction?: HeaderActionInput }[];
  readonly urlRewrite?: { readonly pathPrefixRewrite?: string; readonly hostRewrite?: string; readonly pathTemplateRewrite?: string };
  readonly faultInjectionPolicy?: { readonly abort?: { readonly httpStatus?: number; readonly percentage?: number }; readonly delay?: unknown };
  readonly timeout?: { readonly seconds?: number | string; readonly nanos?: number };
  readonly requestMirrorPolicy?: { readonly backendService?: string };
  readonly retryPolicy?: unknown;
}
export interface UrlMapMatchRuleInput {
  readonly prefixMatch?: string;
  readonly fullPathMatch?: string;
  readonly regexMatch?: string;
  readonly pathTemplateMatch?: string;
  readonly ignoreCase?: boolean;
  readonly headerMatches?: readonly import("./matching").GcpHeaderMatch[];
  readonly queryParameterMatches?: readonly import("./matching").GcpQueryMatch[];
}
export interface RouteRuleGcpInput {
  readonly priority: number;
  readonly description?: string;
  readonly matchRules?: readonly UrlMapMatchRuleInput[];
  readonly service?: string;
  readonly routeAction?: RouteActionInput;
  readonly urlRedirect?: UrlRedirectInput;
  readonly headerAction?: HeaderActionInput;
}
export interface PathRuleInput {
  readonly paths: readonly string[];
  readonly service?: string;
  readonly routeAction?: RouteActionInput;
  readonly urlRedirect?: UrlRedirectInput;
}
export interface PathMatcherInput {
  readonly name: string;
  readonly description?: string;
  readonly defaultService?: string;
  readonly defaultRouteAction?: RouteActionInput;
  readonly defaultUrlRedirect?: UrlRedirectInput;
  readonly headerAction?: HeaderActionInput;
  readonly routeRules?: readonly RouteRuleGcpInput[];
  readonly pathRules?: readonly PathRuleInput[];
}
export interface UrlMapInput {
  readonly name: string;
  readonly defaultService?: string;
  readonly defaultRouteAction?: RouteActionInput;
  readonly defaultUrlRedirect?: UrlRedirectInput;
  readonly headerAction?: HeaderActionInput;
  readonly hostRules?: readonly { readonly hosts: readonly string[]; readonly pathMatcher: string }[];
  readonly pathMatchers?: readonly PathMatcherInput[];
}
/** A backend of a backend service: a NEG and the cluster whose gateway it exposes. */
export interface BackendGroup {
  readonly group: string;
  /** The cluster whose gateway the NEG holds; undefined when no registered Gateway names it. */
  readonly cluster?: string;
  readonly capacityScaler?: number;
  readonly balancingMode?: string;
  /** The gateway port the NEG exposes (GKE NEGs), or the internet NEG's port. */
  readonly port?: number;
}
export interface BackendServiceConfig {
  readonly name: string;
  readonly customRequestHeaders: readonly string[];
  readonly customResponseHeaders: readonly string[];
  readonly backends: readonly BackendGroup[];
  readonly timeoutSec?: number;
}
export interface GcpFrontDoorConfig {
  readonly forwardingRules: readonly {
    readonly name: string;
    readonly ports: readonly [number, number];
    readonly ipAddress?: string;
    readonly proxy: string;
  }[];
  readonly proxies: ReadonlyMap<string, { readonly kind: "http" | "https"; readonly urlMap: string }>;
  readonly urlMaps: ReadonlyMap<string, UrlMapInput>;
  readonly backendServices: ReadonlyMap<string, BackendServiceConfig>;
}

export interface AwsEndpoint {
  readonly endpointId: string;
  readonly cluster?: string;
  readonly weight: number;
  /** The NLB Service in the cluster, whose ports lead to the gateway's. */
  readonly service?: ServiceObject;
}
export interface AwsFrontDoorConfig {
  readonly listeners: readonly {
    readonly name: string;
    readonly urn: string;
    readonly ports: readonly (readonly [number, number])[];
    readonly protocol: string;
  }[];
  readonly endpointGroups: readonly {
    readonly name: string;
    readonly listenerUrn?: string;
    readonly region: string;
    readonly trafficDialPercentage: number;
    readonly endpoints: readonly AwsEndpoint[];
  }[];
}

/** A DNS record of the stack (Cloud DNS or Route 53), with what it points at. */
export interface DnsRecord {
  readonly name: string;
  readonly type: string;
  readonly values: readonly string[];
  readonly setIdentifier?: string;
  readonly routing?: string;
  /** The NLB Service the record aliases to, when it does (latency DNS). */
  readonly service?: { readonly cluster: string; readonly object: ServiceObject };
}

export interface RoutingConfig {
  readonly stack: string;
  /** By cluster name, sorted. */
  readonly clusters: ReadonlyMap<string, ClusterObjects>;
  readonly gcp?: GcpFrontDoorConfig;
  readonly aws?: AwsFrontDoorConfig;
  readonly dns: readonly DnsRecord[];
}

// --- Reading the registrations --------------------------------------------------------------------

const lastSegment = (url: string) => url.slice(url.lastIndexOf("/") + 1);
const trimDot = (name: string) => name.replace(/\.$/, "").toLowerCase();

/** Which cluster each Kubernetes provider talks to: the Fleetgate cluster component it belongs to. */
function clusterOfProvider(resources: readonly RegisteredResource[], stack: string): Map<string, string> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const out = new Map<string, string>();
  for (const r of resources) {
    if (r.type !== "pulumi:providers:kubernetes") continue;
    const parent = r.parent !== undefined ? byUrn.get(r.parent) : undefined;
    const status = parent?.outputs?.["status"] as { istio?: { clusterName?: string } } | undefined;
    const name = status?.istio?.clusterName ?? (r.name.startsWith(`${stack}-`) ? r.name.slice(stack.length + 1) : r.name);
    out.set(r.urn, name);
  }
  return out;
}

/** The NEG names a cluster's Gateway asks GKE for (`cloud.google.com/neg` exposed ports) and their ports. */
function negsOfGateway(gateway: GatewayObject): [string, number][] {
  const annotation = gateway.spec.infrastructure?.annotations?.["cloud.google.com/neg"];
  if (!annotation) return [];
  try {
    const parsed = JSON.parse(annotation) as { exposed_ports?: Record<string, { name?: string }> };
    return Object.entries(parsed.exposed_ports ?? {}).flatMap(([port, v]) => (v.name ? [[v.name, Number(port)] as [string, number]] : []));
  } catch {
    return [];
  }
}

export function readRoutingConfig(stack: string, resources: readonly RegisteredResource[]): RoutingConfig {
  const providers = clusterOfProvider(resources, stack);
  // A resource's provider is `<provider urn>::<id>`.
  const clusterOf = (r: RegisteredResource) => (r.provider ? providers.get(r.provider.slice(0, r.provider.lastIndexOf("::"))) : undefined);
  const clusters = new Map<string, ClusterObjects>();
  const serviceOfUrn = new Map<string, { cluster: string; object: ServiceObject }>();
  const cluster = (name: string) => {
    let c = clusters.get(name);
    if (!c) clusters.set(name, (c = { name, gateways: [], routes: [], services: [], grants: [], serviceUrns: new Map() }));
    return c;
  };
  for (const name of [...new Set(providers.values())].sort()) cluster(name);
  for (const r of resources) {
    const name = clusterOf(r);
    if (name === undefined) continue;
    const inputs = r.inputs as unknown;
    if (r.type === "kubernetes:gateway.networking.k8s.io/v1:Gateway") cluster(name).gateways.push(inputs as GatewayObject);
    else if (r.type === "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute") {
      // A route whose spec is secret, masked in a plan (the gateways' verification twins), serves only
      // requests that carry the verification token: nothing the route model is asked about.
      const spec = (inputs as { spec?: unknown }).spec;
      if (spec !== null && typeof spec === "object") cluster(name).routes.push(inputs as HTTPRouteObject);
    } else if (r.type === "kubernetes:core/v1:Service") {
      cluster(name).services.push(inputs as ServiceObject);
      cluster(name).serviceUrns.set(r.urn, inputs as ServiceObject);
      serviceOfUrn.set(r.urn, { cluster: name, object: inputs as ServiceObject });
    } else if (r.type.startsWith("kubernetes:gateway.networking.k8s.io/") && r.type.endsWith(":ReferenceGrant"))
      cluster(name).grants.push(inputs as ReferenceGrantObject);
  }

  const negCluster = new Map<string, { cluster: string; port: number }>();
  for (const c of clusters.values()) for (const g of c.gateways) for (const [neg, port] of negsOfGateway(g)) negCluster.set(neg, { cluster: c.name, port });
  // Internet NEGs: the endpoint's host name is a gateway's public name; the cluster is the one whose
  // registered GlobalNetworkEndpoint names it through the NEG (by the NEG's logical inputs).
  const internetNeg = new Map<string, { fqdn?: string; port?: number }>();
  for (const r of resources)
    if (r.type === "gcp:compute/globalNetworkEndpoint:GlobalNetworkEndpoint") {
      const i = r.inputs as { globalNetworkEndpointGroup?: string; fqdn?: string; port?: number };
      if (i.globalNetworkEndpointGroup)
        internetNeg.set(lastSegment(i.globalNetworkEndpointGroup), { ...(i.fqdn ? { fqdn: i.fqdn } : {}), ...(i.port ? { port: i.port } : {}) });
    }

  const of = (type: string) => resources.filter((r) => r.type === type);
  const urlMaps = new Map(of("gcp:compute/uRLMap:URLMap").map((r) => [String(r.inputs["name"]), r.inputs as unknown as UrlMapInput]));
  let gcp: GcpFrontDoorConfig | undefined;
  if (urlMaps.size > 0) {
    const proxies = new Map<string, { kind: "http" | "https"; urlMap: string }>();
    for (const r of of("gcp:compute/targetHttpProxy:TargetHttpProxy"))
      proxies.set(String(r.inputs["name"]), { kind: "http", urlMap: lastSegment(String(r.inputs["urlMap"])) });
    for (const r of of("gcp:compute/targetHttpsProxy:TargetHttpsProxy"))
      proxies.set(String(r.inputs["name"]), { kind: "https", urlMap: lastSegment(String(r.inputs["urlMap"])) });
    const forwardingRules = of("gcp:compute/globalForwardingRule:GlobalForwardingRule").map((r) => {
      const range = String(r.inputs["portRange"] ?? "")
        .split("-")
        .map(Number);
      return {
        name: String(r.inputs["name"]),
        ports: [range[0] ?? 0, range[1] ?? range[0] ?? 0] as const,
        ...(r.inputs["ipAddress"] !== undefined ? { ipAddress: String(r.inputs["ipAddress"]) } : {}),
        proxy: lastSegment(String(r.inputs["target"])),
      };
    });
    const backendServices = new Map(
      of("gcp:compute/backendService:BackendService").map((r) => {
        const i = r.inputs as {
          name: string;
          customRequestHeaders?: string[];
          customResponseHeaders?: string[];
          timeoutSec?: number;
          backends?: { group: string; capacityScaler?: number; balancingMode?: string }[];
        };
        const backends = (i.backends ?? []).map((b): BackendGroup => {
          const neg = lastSegment(b.group);
          const gke = negCluster.get(neg);
          const internet = internetNeg.get(neg);
          const publicCluster = internet?.fqdn !== undefined ? publicNameCluster(resources, providers, internet.fqdn) : undefined;
          return {
            group: b.group,
            ...(gke
              ? { cluster: gke.cluster, port: gke.port }
              : publicCluster
                ? { cluster: publicCluster, ...(internet?.port ? { port: internet.port } : {}) }
                : {}),
            ...(b.capacityScaler !== undefined ? { capacityScaler: b.capacityScaler } : {}),
            ...(b.balancingMode !== undefined ? { balancingMode: b.balancingMode } : {}),
          };
        });
        return [
          i.name,
          {
            name: i.name,
            customRequestHeaders: i.customRequestHeaders ?? [],
            customResponseHeaders: i.customResponseHeaders ?? [],
            backends,
            ...(i.timeoutSec !== undefined ? { timeoutSec: i.timeoutSec } : {}),
          },
        ] as const;
      }),
    );
    gcp = { forwardingRules, proxies, urlMaps, backendServices };
  }

  const listeners = of("aws:globalaccelerator/listener:Listener").map((r) => ({
    name: r.name,
    urn: r.urn,
    ports: ((r.inputs["portRanges"] as { fromPort: number; toPort: number }[] | undefined) ?? []).map((p) => [p.fromPort, p.toPort] as const),
    protocol: String(r.inputs["protocol"] ?? "TCP"),
  }));
  // An endpoint's NLB is the one Fleetgate's NLB Service makes: the endpoint group depends on that Service.
  const nlbServices = (r: RegisteredResource, property: string) =>
    (r.propertyDependencies[property] ?? []).flatMap((urn) => (serviceOfUrn.has(urn) ? [serviceOfUrn.get(urn)!] : []));
  const endpointGroups = of("aws:globalaccelerator/endpointGroup:EndpointGroup").map((r) => {
    const i = r.inputs as { endpointGroupRegion: string; trafficDialPercentage?: number; endpointConfigurations?: { endpointId: string; weight?: number }[] };
    const services = nlbServices(r, "endpointConfigurations");
    const endpoints = (i.endpointConfigurations ?? []).map((e, k): AwsEndpoint => {
      // Endpoint k was built from the k-th NLB it depends on when the counts agree; else by region alone.
      const s = services.length === (i.endpointConfigurations ?? []).length ? services[k] : services.length === 1 ? services[0] : undefined;
      return { endpointId: e.endpointId, weight: e.weight ?? 128, ...(s ? { cluster: s.cluster, service: s.object } : {}) };
    });
    const listenerUrn = r.propertyDependencies["listenerArn"]?.[0];
    return {
      name: r.name,
      ...(listenerUrn ? { listenerUrn } : {}),
      region: i.endpointGroupRegion,
      trafficDialPercentage: i.trafficDialPercentage ?? 100,
      endpoints,
    };
  });
  const aws = listeners.length > 0 || endpointGroups.length > 0 ? { listeners, endpointGroups } : undefined;

  const dns: DnsRecord[] = [];
  for (const r of of("gcp:dns/recordSet:RecordSet")) {
    const i = r.inputs as { name: string; type: string; rrdatas?: string[] };
    dns.push({ name: trimDot(i.name), type: i.type, values: i.rrdatas ?? [] });
  }
  for (const r of of("aws:route53/record:Record")) {
    const i = r.inputs as {
      name: string;
      type: string;
      records?: string[];
      aliases?: { name: string }[];
      setIdentifier?: string;
      latencyRoutingPolicies?: { region: string }[];
      weightedRoutingPolicies?: { weight: number }[];
      failoverRoutingPolicies?: { type: string }[];
    };
    const routing = i.latencyRoutingPolicies?.[0]
      ? `latency ${i.latencyRoutingPolicies[0].region}`
      : i.weightedRoutingPolicies?.[0]
        ? `weight ${i.weightedRoutingPolicies[0].weight}`
        : i.failoverRoutingPolicies?.[0]
          ? `failover ${i.failoverRoutingPolicies[0].type}`
          : undefined;
    const service = nlbServices(r, "aliases")[0];
    dns.push({
      name: trimDot(i.name),
      type: i.type,
      values: [...(i.records ?? []), ...(i.aliases ?? []).map((a) => trimDot(a.name))],
      ...(i.setIdentifier !== undefined ? { setIdentifier: i.setIdentifier } : {}),
      ...(routing ? { routing } : {}),
      ...(service ? { service } : {}),
    });
  }
  return { stack, clusters: new Map([...clusters].sort(([a], [b]) => (a < b ? -1 : 1))), ...(gcp ? { gcp } : {}), ...(aws ? { aws } : {}), dns };
}

/** A gateway's public name belongs to the cluster whose Fleetgate component reports it (ClusterGateway outputs). */
function publicNameCluster(resources: readonly RegisteredResource[], providers: Map<string, string>, fqdn: string): string | undefined {
  for (const r of resources) {
    if (r.type !== "fleetgate:kubernetes:Cluster") continue;
    if (JSON.stringify(r.outputs ?? {}).includes(JSON.stringify(fqdn))) return [...providers.entries()].find(([urn]) => urn.includes(`::${r.name}`))?.[1];
  }
  return undefined;
}
