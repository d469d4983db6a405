/**
 * The resolver: a validated environment and its documents in, a FleetPlan out. Pure and deterministic:
 * every list is sorted by a stable key, so any permutation of the documents or of the cluster list
 * gives the identical plan. It assumes validation passed and does not re-check.
 */
import { redirectStatusByHost } from "./https-redirect";
import { durationMillis } from "./schema/common";
import { keyOf, type Loaded, type LoadedDocuments } from "./documents";
import { ingressAnnotations } from "./ingress";
import { hostInDomain, wildcardCovers } from "./names";
import { adoptedAddressHosts, canonicalIp, ipVersionOf } from "./static-ip";
import { addressName, DEFAULT_GATEWAY_NAMESPACE, dispatchNegName, GATEWAY_NAME, negName, NLB_SERVICE_NAME } from "./naming";
import { gkePathToMatch, matchKey, routeMatch } from "./paths";
import { comparePrecedence, gkePrecedence, type RoutePrecedence } from "./route-precedence";
import { httpRouteContext, isShadowed, normaliseHttpRoutes, type NormalisedHttpRoute } from "./http-routes";
import { fleetGateway, gatewayAddress, withGatewayAddress } from "./fleet-gateway";
import type * as P from "./plan";
import { outlierDetectionSchema, type BackendConfig, type MultiClusterIngress, type MultiClusterService, type PathExtension } from "./schema/documents";
import type { z } from "zod";
import { trustSchema, type ClusterConfig, type EnvironmentConfig } from "./schema/environment";
import { backendConfigNames, findPort, selectClusters } from "./select";
import { attachBackendPolicies } from "./gke-policies";
import { appProtocols, healthPorts } from "./backend-protocols";
import { awsRegionOf } from "./regions";
import { CONFIG_NAMESPACE } from "./stack-config";
import { catchAllIngress } from "./catch-all";

/** Defaults of the gateway deployment, overridden by `fleetgate:gateway` and then by each cluster. */
export const GATEWAY_DEFAULTS = {
  replicas: 2,
  requests: { cpu: "250m", memory: "256Mi" },
  limits: { memory: "1Gi" },
  autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 70 },
  minAvailable: 1,
  listenerPort: 80,
  publicPort: 443,
  /** The dispatch listener of a GKE gateway behind the GCP front door (what its NEGs expose). */
  dispatchPort: 8080,
  /**
   * Proxies in front of a dispatching gateway (GKE behind the GCP front door) that write X-Forwarded-For:
   * Google's front end appends the client's address and the load balancer's (`<client>, <load balancer>`).
   */
  gcpTrustedProxies: 2,
  /** An EKS gateway behind the AWS front door: host routes where the NLB's TLS listener sends, redirects on 80. */
  tlsListenerPort: 443,
  redirectPort: 80,
} as const;

/** GKE's defaults for a load balancer health check and backend timeout. */
export const HEALTH_CHECK_DEFAULTS = {
  protocol: "HTTP",
  path: "/",
  intervalSeconds: 5,
  timeoutSeconds: 5,
  healthyThreshold: 2,
  unhealthyThreshold: 2,
} as const;
export const DEFAULT_BACKEND_TIMEOUT_SECONDS = 30;

function outlierDetectionPlan(o: z.output<typeof outlierDetectionSchema>): P.OutlierDetectionPlan {
  return {
    consecutive5xxErrors: o.consecutive5xxErrors,
    intervalSeconds: durationMillis(o.interval) / 1000,
    baseEjectionSeconds: durationMillis(o.baseEjectionTime) / 1000,
    maxEjectionPercent: o.maxEjectionPercent,
  };
}

/** Outlier detection with the spec's defaults: what the mesh uses for a service that declares none. */
export const DEFAULT_OUTLIER_DETECTION: P.OutlierDetectionPlan = outlierDetectionPlan(outlierDetectionSchema.parse({}));

export function resolveFleet(environment: string, config: EnvironmentConfig, written: LoadedDocuments): P.FleetPlan {
  // GKE's backend policies are read as the BackendConfigs they equal (spec/gke-policies.ts).
  const documents = attachBackendPolicies(written).documents;
  const clusters = sortBy([...config.clusters], (c) => c.name);
  const backendConfigs = new Map(documents.backendConfigs.map((l) => [keyOf(l.doc), l.doc]));
  const serviceDocs = new Map(documents.services.map((l) => [keyOf(l.doc), l]));
  const catchAll = resolveCatchAll(config, documents, serviceDocs);

  // Which clusters serve each service (the front door and the gateways need the same answer).
  const selections = new Map([...serviceDocs].map(([key, l]) => [key, selectClusters(l.doc, clusters).selected] as const));

  // Each HTTPRoute read once, for its routes and for the hosts an admin's Gateway address serves.
  const context = httpRouteContext(config, serviceDocs, documents);
  const httpRoutes = normaliseHttpRoutes(documents.httpRoutes, context);
  const routedHosts = resolveHosts(config, documents, serviceDocs, selections, httpRoutes);
  // The services the hosts send to (a default backend a catch-all route shadows sends nothing), and the catch-all's.
  const routed = new Set([...routedHosts.flatMap((h) => backendsOf(h).map((b) => b.service)), ...(catchAll ? [catchAll.service] : [])]);
  const hostsOfService = new Map<string, Set<string>>();
  for (const host of routedHosts)
    for (const backend of backendsOf(host)) {
      const set = hostsOfService.get(backend.service) ?? new Set<string>();
      set.add(host.name);
      hostsOfService.set(backend.service, set);
    }

  const services = sortBy([...serviceDocs.values()], (l) => keyOf(l.doc)).map((l) =>
    resolveService(l, config, selections.get(keyOf(l.doc))!, backendConfigs, [...(hostsOfService.get(keyOf(l.doc)) ?? [])].sort()),
  );

  const servingClusters = new Map<string, { services: Set<string>; hosts: Set<string> }>();
  for (const service of services) {
    if (!routed.has(service.key)) continue;
    for (const c of service.clusters) {
      const entry = servingClusters.get(c.cluster) ?? { services: new Set(), hosts: new Set() };
      entry.services.add(service.key);
      service.hosts.forEach((h) => entry.hosts.add(h));
      servingClusters.set(c.cluster, entry);
    }
  }

  // Global Accelerator picks a region, and a region's NLB a cluster, without seeing the host name: every
  // serving cluster's gateway then receives every host, and serves what does not run there through the mesh.
  if (config.frontDoor === "aws" && (config.aws?.mode ?? "accelerator") === "accelerator")
    for (const entry of servingClusters.values()) routedHosts.forEach((h) => entry.hosts.add(h.name));
  const hosts = withRedirectOnlyHostsServed(config, routedHosts, servingClusters);

  const clusterPlans = clusters.map((c) => resolveCluster(environment, config, c, servingClusters.get(c.name), catchAll !== undefined));
  const certificates = resolveCertificates(config, hosts);
  return {
    environment,
    frontDoor: resolveFrontDoor(environment, config, clusterPlans, adoptedHosts(environment, config, documents, httpRoutes)),
    clusters: clusterPlans,
    services,
    hosts,
    certificates,
    dnsZones: resolveZones(config, hosts),
    trust: resolveTrust(environment, config, clusters),
    mesh: resolveMesh(environment, config, clusters, services),
    ...(catchAll ? { catchAll } : {}),
  };
}

/**
 * A host whose every route redirects follows no service, so no cluster serves it. Behind the GCP front
 * door its URL map redirects by itself; behind AWS the gateways do, so every serving gateway takes the
 * host and the front door reaches it in every serving region. In latency-dns mode a host's records
 * alias NLBs or name public gateways, never both: the EKS gateways answer it where there are any.
 */
function withRedirectOnlyHostsServed(config: EnvironmentConfig, hosts: P.HostPlan[], serving: Map<string, { hosts: Set<string> }>): P.HostPlan[] {
  if (config.frontDoor !== "aws") return hosts;
  const providerOf = new Map(config.clusters.map((c) => [c.name, c.provider]));
  const all = [...serving.keys()].sort();
  const eks = all.filter((c) => providerOf.get(c) === "eks");
  const answering = (config.aws?.mode ?? "accelerator") === "latency-dns" && eks.length > 0 ? eks : all;
  return hosts.map((host) => {
    if (host.clusters.length > 0) return host;
    for (const cluster of answering) serving.get(cluster)!.hosts.add(host.name);
    return { ...host, clusters: answering };
  });
}

/** An HTTPRoute as spec/http-routes.ts reads it. */

/** Per adopted address, the hosts pointed at it: by ingresses' static-ip annotations, and by the admin's Gateway's address. */
function adoptedHosts(
  environment: string,
  config: EnvironmentConfig,
  documents: LoadedDocuments,
  httpRoutes: readonly NormalisedHttpRoute[],
): Map<string, string[]> {
  const byIngress = adoptedAddressHosts(
    environment,
    config,
    documents.ingresses.map((l) => l.doc),
  );
  const admin = fleetGateway(config, documents.gateways).admin;
  if (!admin) return byIngress;
  const routeHosts = httpRoutes.flatMap((r) => r.hosts.map((h) => h.host));
  return withGatewayAddress(byIngress, gatewayAddress(environment, config, admin.loaded.doc), routeHosts);
}

/** The granted namespace's ingress that serves the catch-all, and its default backend. */
function resolveCatchAll(
  config: EnvironmentConfig,
  documents: LoadedDocuments,
  services: Map<string, Loaded<"MultiClusterService", MultiClusterService>>,
): P.CatchAllPlan | undefined {
  const served = catchAllIngress(config, documents.ingresses);
  const backend = served?.doc.spec.template.spec.backend;
  if (!served || !backend) return undefined;
  const namespace = served.doc.metadata.namespace;
  const service = `${namespace}/${backend.serviceName}`;
  return { service, port: findPort(services.get(service)!.doc, backend.servicePort)!.port, ingress: keyOf(served.doc), team: served.team };
}

function resolveFrontDoor(
  environment: string,
  config: EnvironmentConfig,
  clusters: readonly P.ClusterPlan[],
  adoptedHosts: ReadonlyMap<string, readonly string[]>,
): P.FrontDoorPlan {
  const minTlsVersion = config.tls?.minVersion ?? "1.2";
  if (config.frontDoor === "gcp") {
    const gcp = config.gcp!;
    return {
      provider: "gcp",
      project: gcp.project,
      addressName: addressName(environment),
      ipv6: gcp.ipv6,
      adoptedAddresses: gcp.adoptAddresses
        .map((a) => ({ name: a.name, address: canonicalIp(a.address) ?? a.address, ipVersion: ipVersionOf(a.address), hosts: adoptedHosts.get(a.name) ?? [] }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      minTlsVersion,
      sslPolicyProfile: gcp.sslPolicy.profile,
      ...(gcp.securityPolicy !== undefined ? { securityPolicy: gcp.securityPolicy } : {}),
      requireSecurityPolicy: gcp.requireSecurityPolicy,
      logSampleRate: gcp.logSampleRate,
      ...(gcp.awaitCertificates !== undefined ? { awaitCertificatesSeconds: durationMillis(gcp.awaitCertificates) / 1000 } : {}),
    };
  }
  const aws = config.aws ?? { mode: "accelerator" as const, dualStack: false, clientAffinity: "NONE" as const, globalRegion: "us-west-2" };
  return {
    provider: "aws",
    mode: aws.mode,
    dualStack: aws.dualStack,
    clientAffinity: aws.clientAffinity,
    globalRegion: aws.globalRegion,
    minTlsVersion,
    regions: [...new Set(clusters.filter((c) => c.gateway).map((c) => c.awsRegion ?? c.region))].sort(),
  };
}

/** A cluster's gateway autoscaling: the defaults, refined by the environment's, refined by the cluster's. */
export function gatewayAutoscaling(config: EnvironmentConfig, cluster: Pick<ClusterConfig, "gateway">): P.GatewayPlan["autoscaling"] {
  return { ...GATEWAY_DEFAULTS.autoscaling, ...definedOnly(config.gateway?.autoscaling ?? {}), ...definedOnly(cluster.gateway?.autoscaling ?? {}) };
}

function resolveCluster(
  environment: string,
  config: EnvironmentConfig,
  cluster: ClusterConfig,
  serving: { services: Set<string>; hosts: Set<string> } | undefined,
  catchAll: boolean,
): P.ClusterPlan {
  const access: P.ClusterAccessPlan =
    cluster.access.kind === "kubeconfig"
      ? { kind: "kubeconfig", configKey: `${CONFIG_NAMESPACE}:kubeconfigs`, entry: cluster.name }
      : cluster.access.kind === "gke"
        ? {
            kind: "gke",
            project: cluster.access.project,
            location: cluster.access.location ?? cluster.region,
            clusterName: cluster.access.name ?? cluster.name,
          }
        : {
            kind: "eks",
            clusterName: cluster.access.name ?? cluster.name,
            region: cluster.access.region ?? cluster.region,
            ...(cluster.access.roleArn !== undefined ? { roleArn: cluster.access.roleArn } : {}),
          };
  const defaults = config.gateway ?? {};
  const own = cluster.gateway ?? {};
  // A cluster's gateway settings refine the environment's field by field: a cluster that raises only
  // maxReplicas keeps the environment's CPU target.
  const pick = <K extends "replicas" | "podDisruptionBudget">(key: K) => own[key] ?? defaults[key];
  // The GCP front door reaches a GKE gateway by NEG on its dispatch port; the AWS front door reaches an
  // EKS gateway through an NLB that terminates TLS and forwards to 443, with port 80 only redirecting.
  const dispatches = cluster.provider === "gke" && config.frontDoor === "gcp";
  const tlsAtNlb = cluster.provider === "eks" && config.frontDoor === "aws";
  // Only without an accelerator does the NLB see the client's address (the accelerator cannot preserve it
  // for an NLB that terminates TLS), and only proxy protocol hands it on to ip targets.
  const latencyDns = config.frontDoor === "aws" && (config.aws?.mode ?? "accelerator") === "latency-dns";
  const proxyProtocol = tlsAtNlb && latencyDns;
  const nlb: P.NlbPlan | undefined =
    cluster.provider === "eks"
      ? {
          serviceName: NLB_SERVICE_NAME,
          ports: tlsAtNlb
            ? [
                { name: "https", port: GATEWAY_DEFAULTS.tlsListenerPort },
                { name: "http", port: GATEWAY_DEFAULTS.redirectPort },
              ]
            : [{ name: "http", port: GATEWAY_DEFAULTS.listenerPort }],
          ...(tlsAtNlb ? { tlsPort: GATEWAY_DEFAULTS.tlsListenerPort } : {}),
          dualStack: latencyDns && (config.aws?.dualStack ?? false),
          proxyProtocol,
        }
      : undefined;
  const gateway: P.GatewayPlan | undefined = serving && {
    namespace: defaults.namespace ?? DEFAULT_GATEWAY_NAMESPACE,
    name: GATEWAY_NAME,
    className: "istio",
    port: tlsAtNlb ? GATEWAY_DEFAULTS.tlsListenerPort : GATEWAY_DEFAULTS.listenerPort,
    ...(dispatches ? { dispatchPort: GATEWAY_DEFAULTS.dispatchPort } : {}),
    ...(tlsAtNlb ? { redirectPort: GATEWAY_DEFAULTS.redirectPort } : {}),
    hosts: [...serving.hosts].sort(),
    // A dispatching gateway gets the catch-all's requests tagged; the others route them by host name.
    ...(catchAll && !dispatches ? { catchAll: true as const } : {}),
    // Only a dispatching gateway is reached by Google's front end alone (through its NEGs), so only it
    // trusts the headers Google appends; a public gateway would let any client name its own address. The
    // NLB adds no X-Forwarded-* headers: the gateway would tell the services their requests came in over
    // plain HTTP, so its routes say https, which is all the NLB forwards to them.
    forwarded: dispatches
      ? { trustedProxies: GATEWAY_DEFAULTS.gcpTrustedProxies }
      : tlsAtNlb
        ? { trustedProxies: 0, proto: "https", ...(proxyProtocol ? { proxyProtocol: true as const } : {}) }
        : { trustedProxies: 0 },
    services: [...serving.services].sort(),
    replicas: pick("replicas") ?? GATEWAY_DEFAULTS.replicas,
    resources: {
      requests: sortKeys({ ...GATEWAY_DEFAULTS.requests, ...defaults.resources?.requests, ...own.resources?.requests }),
      limits: sortKeys({ ...GATEWAY_DEFAULTS.limits, ...defaults.resources?.limits, ...own.resources?.limits }),
    },
    autoscaling: gatewayAutoscaling(config, cluster),
    podDisruptionBudget: { minAvailable: pick("podDisruptionBudget")?.minAvailable ?? GATEWAY_DEFAULTS.minAvailable },
    ...(own.publicHostname !== undefined ? { publicHostname: own.publicHostname } : {}),
    publicPort: own.publicPort ?? GATEWAY_DEFAULTS.publicPort,
    ...(cluster.provider === "gke" ? { negName: dispatches ? dispatchNegName(environment, cluster.name) : negName(environment, cluster.name) } : {}),
    ...(nlb ? { nlb } : {}),
  };
  const awsRegion = config.frontDoor === "aws" ? awsRegionOf(cluster) : undefined;
  return {
    name: cluster.name,
    provider: cluster.provider,
    region: cluster.region,
    zones: [...cluster.zones].sort(),
    network: cluster.network,
    labels: sortKeys(cluster.labels),
    access,
    drained: cluster.drain,
    ...(gateway ? { gateway } : {}),
    reachableBy: reachableBy(cluster),
    istio: resolveClusterIstio(config, cluster),
    multiClusterServices: cluster.multiClusterServices,
    gatewayApiCrds: config.gatewayApi?.crds ?? "check",
    ...(awsRegion !== undefined ? { awsRegion } : {}),
  };
}

/** A cluster's Istio: whether Fleetgate installs it, and then its control plane revisions (its wave's, or the fleet's). */
function resolveClusterIstio(config: EnvironmentConfig, cluster: ClusterConfig): P.ClusterIstioPlan {
  const install = (config.mesh?.istio.install ?? true) && !(cluster.istio?.preinstalled ?? false);
  const base = { install, network: cluster.network, clusterId: cluster.name };
  const wave = istioWaveOf(config, cluster);
  const declared = wave ?? config.mesh?.istio;
  if (!install || declared?.version === undefined) return { ...base, revisions: [], ...(wave ? { wave: wave.name } : {}) };
  const versions = [...new Set([declared.version, ...(declared.revisions ?? [])])].sort(compareVersions);
  return { ...base, revisions: versions.map(istioRevision), serving: istioRevision(declared.version), ...(wave ? { wave: wave.name } : {}) };
}

/** The first upgrade wave that names or selects the cluster. */
export function istioWaveOf(config: EnvironmentConfig, cluster: Pick<ClusterConfig, "name" | "labels">) {
  return config.mesh?.istio.waves?.find(
    (w) => (w.clusters ?? []).includes(cluster.name) || (w.selector !== undefined && Object.entries(w.selector).every(([k, v]) => cluster.labels[k] === v)),
  );
}

/** The upgrade waves in their order, each with the clusters it holds where Fleetgate installs Istio. */
function resolveIstioWaves(config: EnvironmentConfig, clusters: readonly ClusterConfig[]): P.IstioWavePlan[] {
  const installing = clusters.filter((c) => resolveClusterIstio(config, c).install);
  return (config.mesh?.istio.waves ?? []).map((wave) => ({
    name: wave.name,
    clusters: installing
      .filter((c) => istioWaveOf(config, c) === wave)
      .map((c) => c.name)
      .sort(),
    version: wave.version,
  }));
}

/** Orders dotted versions numerically (1.9.0 before 1.10.0). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** Istio names a revision by a DNS label: the version with its dots as dashes. */
export function istioRevision(version: string): P.IstioRevisionPlan {
  return { name: version.replaceAll(".", "-"), version };
}

/** Which front doors could reach the cluster's gateway; the validator rejects using any other. */
export function reachableBy(cluster: ClusterConfig): P.FrontDoorMode[] {
  const hostname = cluster.gateway?.publicHostname !== undefined;
  const modes: P.FrontDoorMode[] = [];
  if (cluster.provider === "gke" || hostname) modes.push("gcp");
  if (cluster.provider === "eks") modes.push("aws-accelerator");
  if (cluster.provider === "eks" || (hostname && awsRegionOf(cluster) !== undefined)) modes.push("aws-latency-dns");
  return modes;
}

function resolveService(
  loaded: Loaded<"MultiClusterService", MultiClusterService>,
  config: EnvironmentConfig,
  selected: ReturnType<typeof selectClusters>["selected"],
  backendConfigs: Map<string, BackendConfig>,
  hosts: string[],
): P.ServicePlan {
  const service = loaded.doc;
  const key = keyOf(service);
  const ext = service.spec.fleetgate;
  const configNames = backendConfigNames(service).byPort;
  const gcp = config.frontDoor === "gcp" ? config.gcp : undefined;
  const specPorts = sortBy([...service.spec.template.spec.ports], (p) => p.port);
  const backendConfigOf = (port: number) => {
    const bcName = configNames.get(port);
    return bcName !== undefined ? backendConfigs.get(`${service.metadata.namespace}/${bcName}`)?.spec : undefined;
  };
  const protocols = appProtocols(service).byPort;
  // Only the GCP front door's checks reach the gateways' health rules (the dispatch contract); behind
  // the AWS front door a health check's type and port have no hop to act on, and no health port is made.
  const health = healthPorts(
    specPorts.map((p) => {
      const hc = backendConfigOf(p.port)?.healthCheck;
      const protocol = protocols.get(p.port);
      return {
        port: p.port,
        ...(p.name !== undefined ? { name: p.name } : {}),
        targetPort: p.targetPort ?? p.port,
        ...(protocol !== undefined ? { protocol } : {}),
        health: gcp
          ? { protocol: hc?.type ?? protocol ?? HEALTH_CHECK_DEFAULTS.protocol, ...(hc?.port !== undefined ? { port: hc.port } : {}) }
          : { protocol: protocol ?? HEALTH_CHECK_DEFAULTS.protocol },
      };
    }),
  );
  const ports = specPorts.map((p): P.ServicePortPlan => {
    const bc = backendConfigOf(p.port);
    const hc = bc?.healthCheck;
    const logging = bc?.logging;
    const appProtocol = protocols.get(p.port);
    const checkedOn = health.servicePort.get(p.port);
    return {
      port: p.port,
      ...(p.name !== undefined ? { name: p.name } : {}),
      targetPort: p.targetPort ?? p.port,
      protocol: "TCP",
      ...(appProtocol !== undefined ? { appProtocol } : {}),
      backendKey: `${key}:${p.port}`,
      healthCheck: {
        protocol: (gcp ? hc?.type : undefined) ?? appProtocol ?? HEALTH_CHECK_DEFAULTS.protocol,
        ...(checkedOn !== undefined && checkedOn !== p.port ? { servicePort: checkedOn } : {}),
        path: hc?.requestPath ?? HEALTH_CHECK_DEFAULTS.path,
        // A wildcard is no host a request can carry: check with a named host when the service has one.
        ...(healthCheckHost(hosts) !== undefined ? { host: healthCheckHost(hosts) } : {}),
        // A default never makes the timeout longer than the interval (GCP refuses that).
        intervalSeconds: hc?.checkIntervalSec ?? Math.max(HEALTH_CHECK_DEFAULTS.intervalSeconds, hc?.timeoutSec ?? 0),
        timeoutSeconds: hc?.timeoutSec ?? Math.min(HEALTH_CHECK_DEFAULTS.timeoutSeconds, hc?.checkIntervalSec ?? Infinity),
        healthyThreshold: hc?.healthyThreshold ?? HEALTH_CHECK_DEFAULTS.healthyThreshold,
        unhealthyThreshold: hc?.unhealthyThreshold ?? HEALTH_CHECK_DEFAULTS.unhealthyThreshold,
      },
      backend: {
        timeoutSeconds: bc?.timeoutSec ?? (ext?.timeout !== undefined ? Math.ceil(durationMillis(ext.timeout) / 1000) : DEFAULT_BACKEND_TIMEOUT_SECONDS),
        ...(bc?.connectionDraining ? { connectionDrainingSeconds: bc.connectionDraining.drainingTimeoutSec } : {}),
        ...((bc?.securityPolicy?.name ?? gcp?.securityPolicy) !== undefined ? { securityPolicy: bc?.securityPolicy?.name ?? gcp!.securityPolicy! } : {}),
        ...(bc?.sessionAffinity
          ? {
              sessionAffinity: {
                type: bc.sessionAffinity.affinityType,
                ...(bc.sessionAffinity.affinityCookieTtlSec !== undefined ? { cookieTtlSeconds: bc.sessionAffinity.affinityCookieTtlSec } : {}),
              },
            }
          : {}),
        cdn: bc?.cdn?.enabled ?? false,
        logSampleRate: logging ? (logging.enable ? (logging.sampleRate ?? 1) : 0) : (gcp?.logSampleRate ?? 1),
        customRequestHeaders: [...(bc?.customRequestHeaders?.headers ?? [])],
        customResponseHeaders: [...(bc?.customResponseHeaders?.headers ?? [])],
      },
    };
  });
  return {
    key,
    namespace: service.metadata.namespace,
    name: service.metadata.name,
    team: loaded.team,
    selector: sortKeys(service.spec.template.spec.selector),
    ports,
    clusters: selected.map((s) => ({ cluster: s.cluster.name, region: s.cluster.region, weight: s.drained ? 0 : s.weight, drained: s.drained })),
    balancing: ext?.balancing ?? "nearest",
    failover: [...(ext?.failover ?? [])],
    ...(ext?.outlierDetection ? { outlierDetection: outlierDetectionPlan(ext.outlierDetection) } : {}),
    ...(ext?.timeout !== undefined ? { timeoutSeconds: durationMillis(ext.timeout) / 1000 } : {}),
    ...(ext?.retries ? { retries: retryPlan(ext.retries) } : {}),
    hosts,
    ...(health.ports.length > 0 ? { healthPorts: health.ports } : {}),
  };
}

/** The host health checks send: the first named host, else the first wildcard with a label in its place. */
export function healthCheckHost(hosts: readonly string[]): string | undefined {
  const named = hosts.find((h) => !h.startsWith("*."));
  if (named !== undefined) return named;
  return hosts[0]?.replace(/^\*\./, "fleetgate-health-check.");
}

function retryPlan(retries: NonNullable<PathExtension["retries"]>): P.RetryPlan {
  return {
    attempts: retries.attempts,
    ...(retries.perTryTimeout !== undefined ? { perTryTimeoutSeconds: durationMillis(retries.perTryTimeout) / 1000 } : {}),
    on: [...new Set(retries.on)].sort(),
  };
}

interface HostDraft {
  owners: Set<string>;
  routes: (P.RoutePlan & { precedence: RoutePrecedence; derived?: boolean })[];
  defaultBackend?: P.BackendRefPlan;
  preShared?: readonly string[];
}

function resolveHosts(
  config: EnvironmentConfig,
  documents: LoadedDocuments,
  services: Map<string, Loaded<"MultiClusterService", MultiClusterService>>,
  selections: Map<string, ReturnType<typeof selectClusters>["selected"]>,
  httpRoutes: readonly NormalisedHttpRoute[],
): P.HostPlan[] {
  const drafts = new Map<string, HostDraft>();
  const redirects = redirectStatusByHost(documents);
  const portOf = (namespace: string, ref: { serviceName: string; servicePort: number | string }) =>
    findPort(services.get(`${namespace}/${ref.serviceName}`)!.doc, ref.servicePort)!.port;

  for (const loaded of sortBy([...documents.ingresses], (l) => keyOf(l.doc))) {
    const ingress: MultiClusterIngress = loaded.doc;
    const namespace = ingress.metadata.namespace;
    const spec = ingress.spec.template.spec;
    const annotations = ingressAnnotations(ingress);
    for (const rule of spec.rules) {
      const draft = drafts.get(rule.host) ?? { owners: new Set<string>(), routes: [] };
      drafts.set(rule.host, draft);
      draft.owners.add(namespace);
      if (annotations.preSharedCerts) draft.preShared = annotations.preSharedCerts;
      if (spec.backend) draft.defaultBackend = { service: `${namespace}/${spec.backend.serviceName}`, port: portOf(namespace, spec.backend), weight: 100 };
      for (const path of rule.http.paths) {
        const normalised = gkePathToMatch(path.path);
        if (!("match" in normalised)) continue;
        const ext = path.fleetgate;
        const match = routeMatch(normalised.match, ext);
        const action: P.RouteActionPlan = ext?.redirect
          ? {
              kind: "redirect",
              ...(ext.redirect.scheme !== undefined ? { scheme: ext.redirect.scheme } : {}),
              ...(ext.redirect.host !== undefined ? { host: ext.redirect.host } : {}),
              ...(ext.redirect.path !== undefined ? { path: ext.redirect.path } : {}),
              ...(ext.redirect.prefix !== undefined ? { prefix: ext.redirect.prefix } : {}),
              statusCode: ext.redirect.statusCode,
            }
          : forwardAction(namespace, path.backend!, ext, portOf, services);
        draft.routes.push({ key: matchKey(match), priority: 0, match, action, ingress: keyOf(ingress), team: loaded.team, precedence: gkePrecedence(match) });
      }
    }
  }

  // Gateway API routes join the same hosts (spec/http-routes.ts).
  for (const { loaded, routes } of httpRoutes)
    for (const route of routes) {
      const draft = drafts.get(route.host) ?? { owners: new Set<string>(), routes: [] };
      drafts.set(route.host, draft);
      draft.owners.add(loaded.doc.metadata.namespace);
      if (route.preShared) draft.preShared = route.preShared;
      draft.routes.push({
        key: matchKey(route.match),
        priority: 0,
        match: route.match,
        action: route.action,
        ingress: keyOf(loaded.doc),
        team: loaded.team,
        precedence: route.precedence,
        derived: route.derived,
      });
    }

  return [...drafts.keys()].sort().map((name): P.HostPlan => {
    const draft = foldCatchAll(drafts.get(name)!);
    // The exact half of a PathPrefix never matches where a real Exact match of its key is (spec/http-routes.ts).
    const realExact = new Set(draft.routes.filter((r) => r.precedence.exact).map((r) => `${name} ${r.key}`));
    const routes = draft.routes
      .filter((r) => !isShadowed({ host: name, match: r.match, derived: r.derived ?? false }, realExact))
      .sort(comparePrecedence)
      .map(({ precedence: _precedence, derived: _derived, ...r }, i): P.RoutePlan => ({ ...r, priority: i + 1 }));
    const clusters = new Set<string>();
    for (const b of backendsOf({ routes, defaultBackend: draft.defaultBackend })) for (const s of selections.get(b.service) ?? []) clusters.add(s.cluster.name);
    return {
      name,
      wildcard: name.startsWith("*."),
      owners: [...draft.owners].sort(),
      zone: zoneOf(config, name),
      certificate: certificateDomain(config, name, draft.preShared),
      routes,
      ...(draft.defaultBackend ? { defaultBackend: draft.defaultBackend } : {}),
      ...(redirects.has(name) ? { httpsRedirectStatus: redirects.get(name)! } : {}),
      clusters: [...clusters].sort(),
    };
  });
}

/**
 * One form for "everything else goes to this backend": a route under / with no other condition that
 * only forwards to one backend is the host's default backend. A GKE `/*` path, a Gateway API PathPrefix
 * `/` rule and a MultiClusterIngress's spec.backend then give the same plan. A catch-all that does more
 * (redirects, retries, a timeout, a rewrite, header changes, a split) stays a route, and a default
 * backend beside it is left out: the route always wins, so the default would serve nothing (and keep
 * its service's clusters receiving a host they never serve).
 */
function foldCatchAll(draft: HostDraft): HostDraft {
  const index = draft.routes.findIndex(
    ({ match: m }) => m.path.type === "Prefix" && m.path.value === "/" && m.headers.length === 0 && m.queryParams.length === 0 && m.method === undefined,
  );
  if (index === -1) return draft;
  const { action: a } = draft.routes[index]!;
  const { defaultBackend: _shadowed, ...rest } = draft;
  const plain =
    a.kind === "forward" &&
    a.backends.length === 1 &&
    a.timeoutSeconds === undefined &&
    a.retries === undefined &&
    a.rewrite === undefined &&
    a.requestHeaders === undefined &&
    a.responseHeaders === undefined;
  if (!plain) return rest;
  return { ...rest, routes: draft.routes.filter((_, i) => i !== index), defaultBackend: { ...a.backends[0]!, weight: 100 } };
}

function forwardAction(
  namespace: string,
  backend: { serviceName: string; servicePort: number | string },
  ext: PathExtension | undefined,
  portOf: (ns: string, ref: { serviceName: string; servicePort: number | string }) => number,
  services: Map<string, Loaded<"MultiClusterService", MultiClusterService>>,
): P.RouteActionPlan {
  const split = ext?.split ?? [];
  const primaryWeight = 100 - split.reduce((sum, s) => sum + s.weight, 0);
  const backends = [
    { service: `${namespace}/${backend.serviceName}`, port: portOf(namespace, backend), weight: primaryWeight },
    ...split.map((s) => ({ service: `${namespace}/${s.serviceName}`, port: portOf(namespace, s), weight: s.weight })),
  ].filter((b) => b.weight > 0);
  const primary = services.get(`${namespace}/${backend.serviceName}`)?.doc.spec.fleetgate;
  const retries = ext?.retries ?? primary?.retries;
  const headerActions = (h: PathExtension["requestHeaders"]): P.HeaderActionsPlan | undefined =>
    h ? { set: sortKeys(h.set ?? {}), add: sortKeys(h.add ?? {}), remove: [...(h.remove ?? [])].sort() } : undefined;
  const requestHeaders = headerActions(ext?.requestHeaders);
  const responseHeaders = headerActions(ext?.responseHeaders);
  return {
    kind: "forward",
    backends: sortBy(backends, (b) => `${b.service}:${String(b.port).padStart(5, "0")}`),
    ...(ext?.timeout !== undefined ? { timeoutSeconds: durationMillis(ext.timeout) / 1000 } : {}),
    ...(retries ? { retries: retryPlan(retries) } : {}),
    ...(ext?.rewrite ? { rewrite: definedOnly({ host: ext.rewrite.host, prefix: ext.rewrite.prefix, path: ext.rewrite.path }) } : {}),
    ...(requestHeaders ? { requestHeaders } : {}),
    ...(responseHeaders ? { responseHeaders } : {}),
  };
}

function backendsOf(host: Pick<P.HostPlan, "routes" | "defaultBackend">): P.BackendRefPlan[] {
  return [...host.routes.flatMap((r) => (r.action.kind === "forward" ? r.action.backends : [])), ...(host.defaultBackend ? [host.defaultBackend] : [])];
}

/** The configured zone with the longest domain that contains the host. */
export function zoneOf(config: EnvironmentConfig, host: string): string {
  const zones = config.dns.zones.filter((z) => hostInDomain(host, z.domain));
  return sortBy(zones, (z) => -z.domain.length)[0]?.domain ?? "";
}

function certificateDomain(config: EnvironmentConfig, host: string, preShared: readonly string[] | undefined): string {
  if (preShared) return `pre-shared:${preShared.join(",")}`;
  const wildcard = (config.tls?.wildcardCertificates ?? []).find((w) => wildcardCovers(w, host));
  return wildcard ?? host;
}

function resolveCertificates(config: EnvironmentConfig, hosts: readonly P.HostPlan[]): P.CertificatePlan[] {
  const byDomain = new Map<string, string[]>();
  for (const host of hosts) byDomain.set(host.certificate, [...(byDomain.get(host.certificate) ?? []), host.name]);
  return [...byDomain.keys()].sort().map((domain): P.CertificatePlan => {
    const served = byDomain.get(domain)!.sort();
    if (domain.startsWith("pre-shared:")) return { kind: "pre-shared", domain, names: domain.slice("pre-shared:".length).split(","), hosts: served };
    const authorizationDomain = domain.startsWith("*.") ? domain.slice(2) : domain;
    return { kind: "managed", domain, authorizationDomain, zone: zoneOf(config, authorizationDomain), hosts: served };
  });
}

function resolveZones(config: EnvironmentConfig, hosts: readonly P.HostPlan[]): P.DnsZonePlan[] {
  return sortBy([...config.dns.zones], (z) => z.domain).map((zone) => ({
    domain: zone.domain,
    provider: zone.cloudDns ? "cloud-dns" : "route53",
    ...(zone.cloudDns ? { managedZone: zone.cloudDns.managedZone, project: zone.cloudDns.project ?? config.gcp?.project ?? "" } : {}),
    ...(zone.route53 ? { hostedZoneId: zone.route53.hostedZoneId } : {}),
    ttl: config.dns.ttl,
    hosts: hosts.filter((h) => h.zone === zone.domain).map((h) => h.name),
  }));
}

function resolveTrust(environment: string, config: EnvironmentConfig, clusters: readonly ClusterConfig[]): P.TrustPlan {
  const trust = config.trust ?? trustSchema.parse({});
  const organization = trust.root.source === "generate" ? trust.root.organization : "Fleetgate";
  const validityHours = trust.intermediate.validityDays * 24;
  return {
    trustDomain: trust.trustDomain,
    root:
      trust.root.source === "generate"
        ? {
            source: "generate",
            commonName: trust.root.commonName ?? `Fleetgate ${environment} Root CA`,
            organization,
            validityHours: trust.root.validityDays * 24,
            algorithm: trust.root.algorithm,
            maxPathLength: trust.root.maxPathLength,
            generation: trust.root.generation,
            additionalTrustedGenerations: [...trust.root.additionalTrustedGenerations],
          }
        : { source: "existing", certConfigKey: `${CONFIG_NAMESPACE}:rootCaCert`, keyConfigKey: `${CONFIG_NAMESPACE}:rootCaKey` },
    additionalTrustedRoots: [...trust.additionalTrustedRoots],
    intermediates: clusters.map((c) => ({
      cluster: c.name,
      commonName: `Fleetgate ${environment} ${c.name} Intermediate CA`,
      organization,
      validityHours,
      configuredValidityHours: validityHours,
      pathLength: trust.intermediate.pathLength,
      algorithm: trust.intermediate.algorithm,
    })),
    ...(trust.emergencyRotation !== undefined ? { emergencyRotation: trust.emergencyRotation } : {}),
  };
}

function resolveMesh(environment: string, config: EnvironmentConfig, clusters: readonly ClusterConfig[], services: readonly P.ServicePlan[]): P.MeshPlan {
  const networks = new Map<string, string[]>();
  for (const c of clusters) networks.set(c.network, [...(networks.get(c.network) ?? []), c.name]);
  const names = clusters.map((c) => c.name);
  const installs = config.mesh?.istio.install ?? true;
  return {
    meshId: config.mesh?.id ?? `fleet-${environment}`,
    ...(installs && config.mesh?.istio.version !== undefined ? { istioVersion: config.mesh.istio.version } : {}),
    ...(installs && config.mesh?.istio.waves !== undefined ? { istioWaves: resolveIstioWaves(config, clusters) } : {}),
    keepUnrevisionedIstiod: installs && (config.mesh?.istio.keepUnrevisionedIstiod ?? false),
    networks: [...networks.keys()].sort().map((name) => ({ name, clusters: networks.get(name)!.sort() })),
    multiNetwork: networks.size > 1,
    remoteSecrets: names.flatMap((inCluster) => names.filter((n) => n !== inCluster).map((forCluster) => ({ inCluster, forCluster }))),
    failover: services.filter((s) => s.failover.length > 0).map((s) => ({ service: s.key, regions: s.failover })),
  };
}

// --- helpers -----------------------------------------------------------------------------------

function sortBy<T>(items: T[], key: (item: T) => string | number): T[] {
  return items.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

function sortKeys<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function definedOnly<T extends object>(value: T): { [K in keyof T]-?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]-?: Exclude<T[K], undefined> };
}
