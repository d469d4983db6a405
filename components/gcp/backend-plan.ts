/**
 * The backends of the GCP front door, decided from the FleetPlan: one backend service and health check
 * per routed service port, its backends the gateway NEGs of exactly the clusters that serve the service
 * (one per cluster zone, the cluster's weight as capacity scaler), the environment's catch-all, the
 * internet NEGs of non-GKE clusters, and the firewall rules that let Google's probes and proxies reach
 * the gateways. Pure data; GcpBackends only creates what this says.
 *
 * Route once: the NEGs are the gateways' dispatch ports, and each backend service tags what it proxies
 * with the service port it serves (components/dispatch.ts), so a gateway forwards it to that Service
 * without routing it again. Health checks go to the same port, on the service port's reserved health
 * path with the service's host, which the gateway forwards to that Service's health path.
 *
 * Hybrid fleets. GCP does not let one backend service mix zonal NEGs with an internet NEG, and a global
 * internet NEG holds a single endpoint, takes no balancing mode or capacity scaler and has no health
 * check [gcp.backend-kinds]. So a service port gets one backend service over the zonal NEGs of its GKE
 * clusters and, per non-GKE cluster that serves it, one backend service over that cluster's internet NEG
 * (the gateway's public host name and port). The URL map splits each route's traffic between them in
 * proportion to the clusters' weights (see `targets`): inside the GKE share requests go nearest-first;
 * a non-GKE cluster gets a fixed share that does not fail over, because no GCP health check watches it.
 *
 * `balancing: even`. The global external Application Load Balancer always serves a client from the
 * nearest region with capacity [gcp.nearest-first]; spreading over every region (SPRAY_TO_WORLD) is not
 * one of its algorithms [gcp.lb-algorithms]. So the front door treats an even service like any other
 * (nearest healthy gateway, 0 drains), and the mesh behind the gateways spreads it by the clusters'
 * weights (components/kubernetes/mesh-plan.ts, destinationRule).
 *
 * The catch-all answers requests no host or route matches with the gateways' 404: one cluster per region
 * is plenty, and keeps it within GCP's 50 NEG backends per backend service [gcp.neg-backends].
 */
import { backendName, backendNameParts, CATCH_ALL, catchAllNameParts, negName } from "../../spec/naming";
import type {
  BackendRefPlan,
  BackendSettingsPlan,
  ClusterPlan,
  FleetPlan,
  GcpFrontDoorPlan,
  OutlierDetectionPlan,
  ServicePlan,
  ServicePortPlan,
} from "../../spec/plan";
import { CATCH_ALL_TAG, dispatches, dispatchHeaderEntry, healthProbe, routedBackends } from "../dispatch";
import { MAX_NEG_BACKENDS } from "../../contracts/gcp";
import { assertUniqueNames, cloudName, logicalName } from "./names";

/** Where Google's health checks and global external Application Load Balancer proxies come from. */
export const GOOGLE_LB_SOURCE_RANGES = ["130.211.0.0/22", "35.191.0.0/16"] as const;

/**
 * Istio's gateway readiness endpoint. The catch-all checks it: the gateway answers unmatched hosts with
 * 404, so only this endpoint says "the gateway itself is up".
 */
export const GATEWAY_READINESS = { port: 15021, path: "/healthz/ready" } as const;

/**
 * The spec declares no gateway capacity, so every gateway endpoint gets a rate no gateway reaches:
 * traffic then goes nearest-first by proximity and health (not by load), and a scaler of 0 drains
 * [gcp.nearest-first]. Known debt: a per-cluster capacity in the spec would let traffic spill over by load.
 */
export const MAX_RATE_PER_ENDPOINT = 100_000_000;

/** The load balancer's scheme: the global external Application Load Balancer (Envoy-based). */
export const LOAD_BALANCING_SCHEME = "EXTERNAL_MANAGED";

const COMPUTE_API = "https://www.googleapis.com/compute/v1";

/** The catch-all's key among backend service keys. */
export { CATCH_ALL };

export interface HealthCheckSpec {
  readonly logicalName: string;
  readonly name: string;
  readonly description: string;
  /** Host header: the service's host (the gateway passes it on to the service). */
  readonly host?: string;
  /** A service's check: its reserved health path on the gateways' dispatch listener (components/dispatch.ts). */
  readonly requestPath: string;
  /**
   * A fixed port; absent: the NEG endpoint's serving port. A service's check uses the serving port (the
   * dispatch port); the catch-all's uses Istio's readiness port.
   */
  readonly port?: number;
  readonly checkIntervalSec: number;
  readonly timeoutSec: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

export interface ZonalBackendSpec {
  readonly cluster: string;
  readonly zone: string;
  /** The full URL of the cluster's gateway NEG in the zone. */
  readonly group: string;
  readonly balancingMode: "RATE";
  readonly maxRatePerEndpoint: number;
  /** The cluster's weight / 100; 0 keeps a drained cluster attached with no capacity. */
  readonly capacityScaler: number;
}

/** Backend service inputs that are plain data (references are added by the component). */
export interface BackendServiceSettings {
  readonly timeoutSec: number;
  readonly connectionDrainingTimeoutSec?: number;
  /** `projects/<project>/global/securityPolicies/<name>`. */
  readonly securityPolicy?: string;
  readonly sessionAffinity?: "NONE" | "CLIENT_IP" | "GENERATED_COOKIE";
  readonly affinityCookieTtlSec?: number;
  readonly enableCdn: boolean;
  readonly cdnPolicy?: { readonly cacheMode: "USE_ORIGIN_HEADERS" };
  readonly logConfig: { readonly enable: boolean; readonly sampleRate?: number };
  readonly customRequestHeaders?: readonly string[];
  readonly customResponseHeaders?: readonly string[];
  readonly outlierDetection?: {
    readonly consecutiveErrors: number;
    readonly interval: { readonly seconds: number; readonly nanos?: number };
    readonly baseEjectionTime: { readonly seconds: number; readonly nanos?: number };
    readonly maxEjectionPercent: number;
  };
}

export interface BackendServiceSpec {
  /** Stable key: `namespace/name:port`, `namespace/name:port@cluster` (internet NEG), `catch-all`, `catch-all@cluster`. */
  readonly key: string;
  readonly logicalName: string;
  readonly name: string;
  readonly description: string;
  /** The service port it serves (absent for the catch-all). */
  readonly backendKey?: string;
  /** `zonal`: the gateway NEGs of GKE clusters; `internet`: one non-GKE cluster's internet NEG. */
  readonly kind: "zonal" | "internet";
  /** The protocol to the gateway. */
  readonly protocol: "HTTP" | "HTTPS";
  /** Sorted by cluster, then zone. Empty for `internet`. */
  readonly backends: readonly ZonalBackendSpec[];
  /** The non-GKE cluster whose internet NEG is the only backend (`internet`). */
  readonly internetCluster?: string;
  /** Shared by the backend services of one service port (its GKE one; internet NEG ones have none). */
  readonly healthCheck?: HealthCheckSpec;
  readonly settings: BackendServiceSettings;
  /** The clusters whose gateways must exist first, sorted. */
  readonly clusters: readonly string[];
}

export interface InternetNegSpec {
  readonly cluster: string;
  readonly logicalName: string;
  readonly name: string;
  readonly fqdn: string;
  readonly port: number;
}

export interface FirewallSpec {
  readonly logicalName: string;
  readonly name: string;
  readonly project: string;
  /** `projects/<project>/global/networks/<network>`. */
  readonly network: string;
  /** TCP ports of the gateway pods the front door reaches, as strings, sorted. */
  readonly ports: readonly string[];
  readonly sourceRanges: readonly string[];
  /** GKE clusters on the network, sorted. */
  readonly clusters: readonly string[];
}

/** One backend service of a split, with its relative weight. */
export interface WeightedTarget {
  readonly backendService: string;
  readonly weight: number;
}

export interface GcpBackendsPlan {
  readonly project: string;
  /** Sorted by key. */
  readonly backendServices: readonly BackendServiceSpec[];
  /** Sorted by cluster. */
  readonly internetNegs: readonly InternetNegSpec[];
  /** Sorted by logical name. */
  readonly firewalls: readonly FirewallSpec[];
  /** Per routed service port (`namespace/name:port`): the backend services that serve it, by weight. */
  readonly targets: Readonly<Record<string, readonly WeightedTarget[]>>;
  /** What answers requests no host or route matches: the gateways' 404. */
  readonly catchAll: readonly WeightedTarget[];
}

/** `namespace/name:port` of a backend reference. */
export function refKey(ref: Pick<BackendRefPlan, "service" | "port">): string {
  return `${ref.service}:${ref.port}`;
}

/**
 * A weight of 0..100 as GCP's capacity scaler: 0, or 0.1..1 (GCP accepts nothing between 0 and 0.1,
 * so a weight below 10 is raised to 0.1).
 */
export function capacityScaler(weight: number): number {
  if (weight <= 0) return 0;
  return Math.max(0.1, Math.min(1, weight / 100));
}

/**
 * The project of a cluster's GKE resources (its NEGs and VPC): the GKE access project, else the front
 * door's. GCP attaches NEGs to a backend service of the same project only, so the validator refuses a GKE
 * cluster in another project than the front door (serving one would need a backend service per project
 * and cross-project service referencing in the URL map).
 */
export function clusterProject(cluster: ClusterPlan, frontDoor: GcpFrontDoorPlan): string {
  return cluster.access.kind === "gke" ? cluster.access.project : frontDoor.project;
}

export function negUrl(project: string, zone: string, name: string): string {
  return `${COMPUTE_API}/projects/${project}/zones/${zone}/networkEndpointGroups/${name}`;
}

/** A network by name in a project, or as given when it is already a path (a shared VPC). */
export function networkPath(project: string, network: string): string {
  const match = /(?:^|\/)projects\/([^/]+)\/global\/networks\/([^/]+)$/.exec(network);
  return match ? `projects/${match[1]}/global/networks/${match[2]}` : `projects/${project}/global/networks/${network}`;
}

export function securityPolicyPath(project: string, policy: string): string {
  return policy.includes("/") ? policy.replace(/^https:\/\/www\.googleapis\.com\/compute\/v1\//, "") : `projects/${project}/global/securityPolicies/${policy}`;
}

function withoutOutlierDetection(settings: BackendServiceSettings): BackendServiceSettings {
  const { outlierDetection: _ejection, ...rest } = settings;
  return rest;
}

/** A duration in seconds as GCP's { seconds, nanos }. */
export function duration(seconds: number): { seconds: number; nanos?: number } {
  const whole = Math.floor(seconds);
  const nanos = Math.round((seconds - whole) * 1e9);
  return nanos > 0 ? { seconds: whole, nanos } : { seconds: whole };
}

export function planBackends(plan: FleetPlan): GcpBackendsPlan {
  const frontDoor = gcpFrontDoor(plan);
  const env = plan.environment;
  const clusters = new Map(plan.clusters.map((c) => [c.name, c]));
  const routed = routedPorts(plan);

  const backendServices: BackendServiceSpec[] = [];
  const targets: Record<string, WeightedTarget[]> = {};
  for (const service of plan.services)
    for (const port of service.ports) {
      const key = refKey({ service: service.key, port: port.port });
      if (!routed.has(key)) continue;
      const serving = service.clusters.map((sc): ServingCluster => ({ cluster: sc.cluster, weight: sc.weight, plan: clusterOf(clusters, sc.cluster) }));
      const portBackends = servicePortBackends(env, frontDoor, service, port, serving);
      backendServices.push(...portBackends.backendServices);
      targets[key] = portBackends.split;
    }
  const catchAll = catchAllBackendServices(
    env,
    frontDoor,
    plan.clusters.filter((c) => c.gateway !== undefined),
  );
  backendServices.push(...catchAll.backendServices);
  const internetNegs = internetNegsOf(env, clusters, backendServices);

  const sorted = backendServices.sort((a, b) => compare(a.key, b.key));
  assertUniqueBackendNames(sorted);
  return {
    project: frontDoor.project,
    backendServices: sorted,
    internetNegs,
    firewalls: planFirewalls(plan, frontDoor),
    targets: Object.fromEntries(Object.entries(targets).sort(([a], [b]) => compare(a, b))),
    catchAll: catchAll.split,
  };
}

/** A cluster that serves a service, with its weight and its plan. */
interface ServingCluster {
  readonly cluster: string;
  readonly weight: number;
  readonly plan: ClusterPlan;
}

/** Backend services and the weighted split over them, for one service port or for the catch-all. */
interface BackendsAndSplit {
  readonly backendServices: BackendServiceSpec[];
  readonly split: WeightedTarget[];
}

/** One service port's backend services: one over its GKE clusters' NEGs, one per non-GKE cluster, because GCP mixes no NEG kinds [gcp.backend-kinds]. */
function servicePortBackends(
  env: string,
  frontDoor: GcpFrontDoorPlan,
  service: ServicePlan,
  port: ServicePortPlan,
  serving: readonly ServingCluster[],
): BackendsAndSplit {
  const key = refKey({ service: service.key, port: port.port });
  const gke = serving.filter((s) => s.plan.provider === "gke");
  const others = serving.filter((s) => s.plan.provider !== "gke");
  const settings = serviceSettings(frontDoor, service, port.backend);
  const backendServices: BackendServiceSpec[] = [];
  const split: WeightedTarget[] = [];
  const dispatch =
    gke.length > 0 &&
    dispatching(
      key,
      gke.map((s) => s.plan),
    );
  const healthCheck = serviceHealthCheck(env, service, port, dispatch);
  if (gke.length > 0) {
    backendServices.push(gkeBackendService(env, frontDoor, service.key, port.port, gke, healthCheck, dispatchedSettings(settings, dispatch, key)));
    split.push({ backendService: key, weight: gke.reduce((sum, s) => sum + s.weight, 0) });
  }
  for (const other of others) {
    const internet = internetBackendService(env, service.key, port.port, other.plan, settings);
    backendServices.push(internet);
    split.push({ backendService: internet.key, weight: other.weight });
  }
  return { backendServices, split };
}

/** Tells each gateway's dispatch listener which backend the URL map chose (components/dispatch.ts), when its gateways dispatch. */
function dispatchedSettings(settings: BackendServiceSettings, dispatch: boolean, key: string): BackendServiceSettings {
  return dispatch ? { ...settings, customRequestHeaders: [...(settings.customRequestHeaders ?? []), dispatchHeaderEntry(key)] } : settings;
}

/** A service port's backend service over the gateway NEGs of its GKE clusters, each weighted by capacity scaler so traffic goes nearest-first. */
function gkeBackendService(
  env: string,
  frontDoor: GcpFrontDoorPlan,
  serviceKey: string,
  port: number,
  gke: readonly ServingCluster[],
  healthCheck: HealthCheckSpec,
  settings: BackendServiceSettings,
): BackendServiceSpec {
  const key = refKey({ service: serviceKey, port });
  return {
    key,
    logicalName: logicalName(env, "backend", ...backendNameParts(serviceKey, port)),
    name: backendName(env, serviceKey, port),
    description: `Fleetgate ${env}: ${key} through the gateways of its GKE clusters`,
    backendKey: key,
    kind: "zonal",
    protocol: "HTTP",
    backends: withCapacity(gke.flatMap((s) => zonalBackends(env, frontDoor, s.plan, s.weight))),
    healthCheck,
    settings,
    clusters: gke.map((s) => s.cluster),
  };
}

/** A service port's backend service over one non-GKE cluster's internet NEG, without outlier detection, which GCP applies to no internet NEG. */
function internetBackendService(env: string, serviceKey: string, port: number, cluster: ClusterPlan, settings: BackendServiceSettings): BackendServiceSpec {
  const key = refKey({ service: serviceKey, port });
  return {
    key: `${key}@${cluster.name}`,
    logicalName: logicalName(env, "backend", ...backendNameParts(serviceKey, port, cluster.name)),
    name: cloudName(env, ...backendNameParts(serviceKey, port, cluster.name)),
    description: `Fleetgate ${env}: ${key} through the public gateway of ${cluster.name}`,
    backendKey: key,
    kind: "internet",
    protocol: internetProtocol(cluster),
    backends: [],
    internetCluster: cluster.name,
    // Outlier detection applies to NEGs of endpoints GCP can eject, which excludes internet NEGs.
    settings: withoutOutlierDetection(settings),
    clusters: [cluster.name],
  };
}

/** The catch-all, answered with the gateways' 404: over the GKE gateways' NEGs, or without GKE clusters, by each non-GKE gateway. */
function catchAllBackendServices(env: string, frontDoor: GcpFrontDoorPlan, gateways: readonly ClusterPlan[]): BackendsAndSplit {
  const gkeGateways = gateways.filter((c) => c.provider === "gke");
  const settings = catchAllSettings(frontDoor);
  if (gkeGateways.length > 0)
    return { backendServices: [zonalCatchAll(env, frontDoor, gkeGateways, settings)], split: [{ backendService: CATCH_ALL, weight: 1 }] };
  const backendServices = gateways.map((cluster) => internetCatchAll(env, cluster, settings));
  return { backendServices, split: gateways.map((cluster, i) => ({ backendService: backendServices[i]!.key, weight: cluster.drained ? 0 : 1 })) };
}

/** The catch-all's settings: no CDN and the front door's security policy and log sampling, because it serves no service of its own. */
function catchAllSettings(frontDoor: GcpFrontDoorPlan): BackendServiceSettings {
  return {
    timeoutSec: 30,
    ...(frontDoor.securityPolicy !== undefined ? { securityPolicy: securityPolicyPath(frontDoor.project, frontDoor.securityPolicy) } : {}),
    enableCdn: false,
    logConfig: logConfig(frontDoor.logSampleRate),
  };
}

/** The catch-all over one GKE gateway per region, checked on Istio's readiness port, because only that says the gateway itself is up. */
function zonalCatchAll(env: string, frontDoor: GcpFrontDoorPlan, gkeGateways: readonly ClusterPlan[], settings: BackendServiceSettings): BackendServiceSpec {
  const dispatch = dispatching(CATCH_ALL, gkeGateways);
  const members = catchAllBackends(env, frontDoor, gkeGateways);
  return {
    key: CATCH_ALL,
    logicalName: logicalName(env, "backend", ...catchAllNameParts()),
    name: cloudName(env, ...catchAllNameParts()),
    description: `Fleetgate ${env}: requests no host or route matches, answered by one gateway per region`,
    kind: "zonal",
    protocol: "HTTP",
    backends: members,
    healthCheck: {
      logicalName: logicalName(env, "health", "gateway"),
      name: cloudName(env, "gateway"),
      description: `Fleetgate ${env}: the readiness of each gateway itself`,
      requestPath: GATEWAY_READINESS.path,
      port: GATEWAY_READINESS.port,
      checkIntervalSec: 5,
      timeoutSec: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 2,
    },
    // A tag no dispatch rule matches: the gateways answer 404, whatever tag a client sent.
    settings: dispatch ? { ...settings, customRequestHeaders: [dispatchHeaderEntry(CATCH_ALL_TAG)] } : settings,
    clusters: [...new Set(members.map((b) => b.cluster))],
  };
}

/** The catch-all through one non-GKE gateway's internet NEG, used only when the fleet has no GKE gateway to answer it. */
function internetCatchAll(env: string, cluster: ClusterPlan, settings: BackendServiceSettings): BackendServiceSpec {
  return {
    key: `${CATCH_ALL}@${cluster.name}`,
    logicalName: logicalName(env, "backend", ...catchAllNameParts(cluster.name)),
    name: cloudName(env, ...catchAllNameParts(cluster.name)),
    description: `Fleetgate ${env}: requests no host or route matches, answered by the public gateway of ${cluster.name}`,
    kind: "internet",
    protocol: internetProtocol(cluster),
    backends: [],
    internetCluster: cluster.name,
    settings,
    clusters: [cluster.name],
  };
}

/** One internet NEG per non-GKE cluster some backend service reaches, sorted; its gateway must name a public host, the NEG's only endpoint. */
function internetNegsOf(env: string, clusters: Map<string, ClusterPlan>, backendServices: readonly BackendServiceSpec[]): InternetNegSpec[] {
  const internetClusters = new Set(backendServices.flatMap((b) => (b.internetCluster !== undefined ? [b.internetCluster] : [])));
  return [...internetClusters].sort().map((name): InternetNegSpec => {
    const cluster = clusterOf(clusters, name);
    if (cluster.gateway?.publicHostname === undefined)
      throw new Error(
        `cluster "${name}" is not a GKE cluster, so the GCP front door reaches it through an internet NEG, but its gateway has no publicHostname; set fleetgate:clusters[].gateway.publicHostname`,
      );
    return {
      cluster: name,
      logicalName: logicalName(env, "internet-neg", name),
      name: negName(env, name),
      fqdn: cluster.gateway.publicHostname,
      port: cluster.gateway.publicPort,
    };
  });
}

/** Backend service names, logical names and health check names must each be unique, or GCP or Pulumi would refuse the second. */
function assertUniqueBackendNames(sorted: readonly BackendServiceSpec[]): void {
  assertUniqueNames(
    "backend services",
    sorted.map((b) => [b.key, b.name] as const),
  );
  assertUniqueNames(
    "backend services (logical names)",
    sorted.map((b) => [b.key, b.logicalName] as const),
  );
  assertUniqueNames(
    "health checks",
    sorted.flatMap((b) => (b.healthCheck ? [[b.backendKey ?? b.key, b.healthCheck.name] as const] : [])),
  );
}

/** A VPC network of GKE clusters: its path, its project and name, and its clusters sorted by name. */
export interface ClusterNetwork {
  /** `projects/<project>/global/networks/<network>`. */
  readonly path: string;
  readonly project: string;
  readonly network: string;
  readonly clusters: readonly ClusterPlan[];
}

/** The given clusters grouped by the VPC network they are on (in the project `projectOf` names), by path. */
export function clustersByNetwork(clusters: readonly ClusterPlan[], projectOf: (cluster: ClusterPlan) => string): ClusterNetwork[] {
  const byPath = new Map<string, ClusterPlan[]>();
  for (const cluster of clusters) {
    const path = networkPath(projectOf(cluster), cluster.network);
    byPath.set(path, [...(byPath.get(path) ?? []), cluster]);
  }
  return [...byPath].map(([path, members]) => {
    const [, project, , , network] = path.split("/") as [string, string, string, string, string];
    return { path, project, network, clusters: [...members].sort((a, b) => compare(a.name, b.name)) };
  });
}

/** Per VPC network of the GKE gateways: admit Google's probe and proxy ranges to the gateway pods. */
export function planFirewalls(plan: FleetPlan, frontDoor: GcpFrontDoorPlan = gcpFrontDoor(plan)): FirewallSpec[] {
  const env = plan.environment;
  const gateways = plan.clusters.filter((c) => c.provider === "gke" && c.gateway !== undefined);
  const rules = clustersByNetwork(gateways, (c) => clusterProject(c, frontDoor)).map((net): FirewallSpec => {
    // The port the NEGs expose (the dispatch port, else the host-routing port): proxied requests and the
    // services' health checks. The host-routing port of a dispatching gateway is not reached from Google.
    const ports = new Set([GATEWAY_READINESS.port, ...net.clusters.map((c) => c.gateway!.dispatchPort ?? c.gateway!.port)]);
    return {
      logicalName: logicalName(env, "firewall", net.project, net.network),
      name: cloudName(env, net.network, "lb"),
      project: net.project,
      network: net.path,
      ports: [...ports].sort((a, b) => a - b).map(String),
      sourceRanges: [...GOOGLE_LB_SOURCE_RANGES],
      clusters: net.clusters.map((c) => c.name),
    };
  });
  return rules.sort((a, b) => compare(a.logicalName, b.logicalName));
}

/** Every `namespace/name:port` some route or default backend sends traffic to. */
function routedPorts(plan: FleetPlan): Set<string> {
  return routedBackends(plan);
}

/**
 * Whether the GKE gateways behind a backend service dispatch. Both sides of the contract must agree for
 * every gateway the backend service attaches: all of them dispatch or none does (the tag and the health
 * check's path are the backend service's, one for all its gateways).
 */
function dispatching(key: string, clusters: readonly ClusterPlan[]): boolean {
  const dispatching = clusters.filter(dispatches);
  if (dispatching.length > 0 && dispatching.length !== clusters.length)
    throw new Error(
      `backend service ${key} attaches gateways that dispatch (${dispatching.map((c) => c.name).join(", ")}) and gateways that do not; every GKE gateway behind the GCP front door needs a dispatch port`,
    );
  return dispatching.length > 0;
}

function zonalBackends(env: string, frontDoor: GcpFrontDoorPlan, cluster: ClusterPlan, weight: number): ZonalBackendSpec[] {
  const neg = cluster.gateway?.negName ?? negName(env, cluster.name);
  const project = clusterProject(cluster, frontDoor);
  return cluster.zones.map((zone) => ({
    cluster: cluster.name,
    zone,
    group: negUrl(project, zone, neg),
    balancingMode: "RATE",
    maxRatePerEndpoint: MAX_RATE_PER_ENDPOINT,
    capacityScaler: capacityScaler(weight),
  }));
}

/**
 * The catch-all's backends: per region, the gateway NEGs of one cluster (the first by name that is not
 * drained, else the first), so that every client is answered from nearby. Were there more than 50 NEGs,
 * each region keeps one zone [gcp.neg-backends]. A cluster added in a region that already answers
 * changes nothing.
 */
export function catchAllBackends(env: string, frontDoor: GcpFrontDoorPlan, gateways: readonly ClusterPlan[]): ZonalBackendSpec[] {
  const byRegion = new Map<string, ClusterPlan[]>();
  for (const c of [...gateways].sort((a, b) => compare(a.name, b.name))) byRegion.set(c.region, [...(byRegion.get(c.region) ?? []), c]);
  const chosen = [...byRegion.keys()].sort(compare).map((region) => {
    const members = byRegion.get(region)!;
    return members.find((c) => !c.drained) ?? members[0]!;
  });
  const all = chosen.flatMap((c) => zonalBackends(env, frontDoor, c, 100));
  const within = all.length <= MAX_NEG_BACKENDS ? all : chosen.flatMap((c) => zonalBackends(env, frontDoor, c, 100).slice(0, 1)).slice(0, MAX_NEG_BACKENDS);
  return within.sort((a, b) => compare(`${a.cluster} ${a.zone}`, `${b.cluster} ${b.zone}`));
}

/**
 * GCP rejects a backend service whose backends all have no capacity. That happens only when every GKE
 * cluster of a service is drained and non-GKE clusters serve it; the URL map then gives the backend
 * service weight 0, so its backends may keep full capacity without receiving traffic.
 */
function withCapacity(backends: ZonalBackendSpec[]): ZonalBackendSpec[] {
  const sorted = backends.sort((a, b) => compare(`${a.cluster} ${a.zone}`, `${b.cluster} ${b.zone}`));
  return sorted.every((b) => b.capacityScaler === 0) ? sorted.map((b) => ({ ...b, capacityScaler: 1 })) : sorted;
}

function serviceHealthCheck(env: string, service: ServicePlan, port: ServicePortPlan, dispatch: boolean): HealthCheckSpec {
  const hc = port.healthCheck;
  // The front door speaks HTTP to the gateway's listener whatever the service speaks behind it. On the
  // serving (dispatch) port a probe carries no tag, so it asks for the service port's reserved health
  // path, which the gateway forwards to exactly that local Service on its own health path, as the plan's
  // host. (A gateway that does not dispatch routes the probe by host and path, as any request.)
  const probe = healthProbe(service.key, port.port, hc);
  return {
    logicalName: logicalName(env, "health", ...backendNameParts(service.key, port.port)),
    name: backendName(env, service.key, port.port),
    description: `Fleetgate ${env}: ${service.key}:${port.port} through each gateway${hc.host !== undefined ? ` as ${hc.host}` : ""}`,
    ...(hc.host !== undefined ? { host: hc.host } : {}),
    requestPath: dispatch ? probe.requestPath : hc.path,
    checkIntervalSec: hc.intervalSeconds,
    timeoutSec: hc.timeoutSeconds,
    healthyThreshold: hc.healthyThreshold,
    unhealthyThreshold: hc.unhealthyThreshold,
  };
}

function serviceSettings(frontDoor: GcpFrontDoorPlan, service: ServicePlan, backend: BackendSettingsPlan): BackendServiceSettings {
  const affinity = backend.sessionAffinity;
  return {
    timeoutSec: backend.timeoutSeconds,
    ...(backend.connectionDrainingSeconds !== undefined ? { connectionDrainingTimeoutSec: backend.connectionDrainingSeconds } : {}),
    ...(backend.securityPolicy !== undefined ? { securityPolicy: securityPolicyPath(frontDoor.project, backend.securityPolicy) } : {}),
    ...(affinity ? { sessionAffinity: affinity.type } : {}),
    ...(affinity?.type === "GENERATED_COOKIE" && affinity.cookieTtlSeconds !== undefined ? { affinityCookieTtlSec: affinity.cookieTtlSeconds } : {}),
    enableCdn: backend.cdn,
    // Cache only what the service marks cacheable: a shared front door must not cache private pages.
    ...(backend.cdn ? { cdnPolicy: { cacheMode: "USE_ORIGIN_HEADERS" as const } } : {}),
    logConfig: logConfig(backend.logSampleRate),
    ...(backend.customRequestHeaders.length > 0 ? { customRequestHeaders: [...backend.customRequestHeaders] } : {}),
    ...(backend.customResponseHeaders.length > 0 ? { customResponseHeaders: [...backend.customResponseHeaders] } : {}),
    ...(service.outlierDetection ? { outlierDetection: outlierDetection(service.outlierDetection) } : {}),
  };
}

function outlierDetection(o: OutlierDetectionPlan): NonNullable<BackendServiceSettings["outlierDetection"]> {
  return {
    consecutiveErrors: o.consecutive5xxErrors,
    interval: duration(o.intervalSeconds),
    baseEjectionTime: duration(o.baseEjectionSeconds),
    maxEjectionPercent: o.maxEjectionPercent,
  };
}

function logConfig(sampleRate: number): BackendServiceSettings["logConfig"] {
  return sampleRate > 0 ? { enable: true, sampleRate } : { enable: false };
}

/** A public gateway on 80 speaks HTTP; on any other port, HTTPS (its load balancer terminates TLS). */
function internetProtocol(cluster: ClusterPlan): "HTTP" | "HTTPS" {
  return cluster.gateway?.publicPort === 80 ? "HTTP" : "HTTPS";
}

function clusterOf(clusters: Map<string, ClusterPlan>, name: string): ClusterPlan {
  const cluster = clusters.get(name);
  if (!cluster) throw new Error(`the plan names cluster "${name}", which is not among its clusters`);
  return cluster;
}

export function gcpFrontDoor(plan: FleetPlan): GcpFrontDoorPlan {
  if (plan.frontDoor.provider !== "gcp") throw new Error(`the environment ${plan.environment} has an ${plan.frontDoor.provider} front door, not gcp`);
  return plan.frontDoor;
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
