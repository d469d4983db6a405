/**
 * Google Cloud's rules for what the GCP front door registers: the global external Application Load
 * Balancer (EXTERNAL_MANAGED), Certificate Manager and Cloud DNS, and GKE's NEG controller. Each rule
 * names its documentation; the checks below are what the offline engine's fakes apply to every
 * registration (offline/fakes), the way Compute Engine's API refuses a request.
 */
import { asArray, asNumber, asRecord, type Contract, type Inputs, type RegistrationCheck } from "./contract";

const LB_QUOTAS = { title: "Cloud Load Balancing: Quotas and limits", url: "https://cloud.google.com/load-balancing/docs/quotas" };
const BACKEND_SERVICES = { title: "Cloud Load Balancing: Backend services overview", url: "https://cloud.google.com/load-balancing/docs/backend-service" };
const COMPUTE_API = { title: "Compute Engine API reference" };
const LB_POLICY = {
  title: "Cloud Load Balancing: Advanced load balancing optimizations",
  url: "https://cloud.google.com/load-balancing/docs/service-lb-policy",
};
const CERTIFICATE_MANAGER = { title: "Certificate Manager: Quotas and limits", url: "https://cloud.google.com/certificate-manager/docs/quotas" };
const STANDALONE_NEG = {
  title: "GKE: Container-native load balancing through standalone zonal NEGs",
  url: "https://cloud.google.com/kubernetes-engine/docs/how-to/standalone-neg",
};

export const GCP_NAME_PATTERN = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const names: Contract = {
  id: "gcp.resource-names",
  party: "GCP",
  subject: "Compute resources (backend services, health checks, URL maps, proxies, forwarding rules, addresses, NEGs, firewalls, SSL policies)",
  rule: "a name is 1 to 63 characters, a lower-case letter first, then lower-case letters, digits and dashes, not ending in a dash (RFC 1035); VPC networks are named so too",
  source: { ...COMPUTE_API, section: "the `name` field of every resource" },
  checkedIn: {
    engine: "every compute registration, and the network a firewall names",
    program: "spec/naming.ts bounds and hashes every cloud name",
    validator: "fleetgate:clusters[].network of a GKE cluster",
  },
};

/** GCE_VM_IP_PORT NEG backends one backend service may hold; not configurable. */
export const MAX_NEG_BACKENDS = 50;

export const negBackends: Contract = {
  id: "gcp.neg-backends",
  party: "GCP",
  subject: "Backend service",
  rule: `a backend service holds at most ${MAX_NEG_BACKENDS} GCE_VM_IP_PORT NEG backends; the limit is not configurable`,
  source: { ...LB_QUOTAS, section: "Backends: backends per backend service" },
  checkedIn: {
    engine: "backend service registrations",
    validator: "a MultiClusterService's spec.clusters: the zones of the GKE clusters it selects",
    program: "the catch-all attaches one cluster per region (components/gcp/backend-plan.ts)",
  },
};

export const backendKinds: Contract = {
  id: "gcp.backend-kinds",
  party: "GCP",
  subject: "Backend service",
  rule: "a global external Application Load Balancer's backend service holds zonal NEGs, or one global internet NEG, never both; a global internet NEG holds one endpoint",
  source: { ...BACKEND_SERVICES, section: "Backend services and supported backend types" },
  checkedIn: {
    engine: "backend service and internet NEG endpoint registrations",
    program: "a non-GKE cluster gets backend services of its own (components/gcp/backend-plan.ts)",
  },
};

export const healthCheckByBackend: Contract = {
  id: "gcp.health-check-by-backend",
  party: "GCP",
  subject: "Backend service",
  rule: "a backend service of zonal NEGs must name one health check; a backend service of an internet NEG must name none",
  source: { ...COMPUTE_API, section: "BackendService.healthChecks" },
  checkedIn: { engine: "backend service registrations" },
};

export const balancing: Contract = {
  id: "gcp.backend-balancing",
  party: "GCP",
  subject: "Backend service",
  rule: "a zonal NEG backend with balancing mode RATE needs maxRatePerEndpoint (or maxRate); its capacityScaler is 0 or between 0.1 and 1, and not 0 when it is the only backend; internet NEG backends take no balancing mode, rate or capacity scaler",
  source: { ...BACKEND_SERVICES, section: "Balancing mode; Capacity scaler" },
  checkedIn: { engine: "backend service registrations", program: "weights become capacity scalers through capacityScaler() (components/gcp/backend-plan.ts)" },
};

export const backendSettings: Contract = {
  id: "gcp.backend-settings",
  party: "GCP",
  subject: "Backend service",
  rule: "timeoutSec is at least 1; connection draining lasts 0 to 3600 s; an affinity cookie lives at most 1,209,600 s (two weeks) and only with GENERATED_COOKIE or HTTP_COOKIE; a log sample rate is between 0 and 1 and only with logging enabled; outlier detection is for zonal NEG backends, not internet NEGs",
  source: { ...COMPUTE_API, section: "BackendService: timeoutSec, connectionDraining, affinityCookieTtlSec, logConfig, outlierDetection" },
  checkedIn: { engine: "backend service registrations", validator: "BackendConfig fields (their schema ranges)" },
};

/** Custom request and response headers one backend service may add, each. */
export const MAX_CUSTOM_HEADERS = 16;

export const customHeaders: Contract = {
  id: "gcp.custom-headers",
  party: "GCP",
  subject: "Backend service",
  rule: `a backend service adds at most ${MAX_CUSTOM_HEADERS} custom request headers and ${MAX_CUSTOM_HEADERS} custom response headers`,
  source: { ...LB_QUOTAS, section: "Header size: custom headers per backend service" },
  checkedIn: {
    engine: "backend service registrations",
    validator: "BackendConfig spec.customRequestHeaders (one place is the front door's dispatch tag) and spec.customResponseHeaders",
  },
};

export const lbAlgorithms: Contract = {
  id: "gcp.lb-algorithms",
  party: "GCP",
  subject: "Service LB policy",
  rule: "for Application Load Balancers a service LB policy's algorithm is SPRAY_TO_REGION, WATERFALL_BY_REGION (the default) or WATERFALL_BY_ZONE; each keeps a client's traffic in the nearest region with capacity, and spreading over every region in proportion to capacity (SPRAY_TO_WORLD) is documented for Cloud Service Mesh only",
  source: { ...LB_POLICY, section: "Load balancing algorithm" },
  checkedIn: {
    engine: "service LB policy registrations",
    program: "`balancing: even` is a weighted split of per-cluster backend services in the URL map (components/gcp/backend-plan.ts)",
  },
};

export const nearestFirst: Contract = {
  id: "gcp.nearest-first",
  party: "GCP",
  subject: "Global external Application Load Balancer",
  rule: "with WATERFALL_BY_REGION, requests go to the region nearest the client that has capacity, and overflow to the next region only once that region's backends are at their target capacity; the capacity scaler matters only then, and 0 drains a backend",
  source: { ...LB_POLICY, section: "WATERFALL_BY_REGION" },
  checkedIn: {
    validator:
      "a cluster's fleetgate.weight between 1 and 99, and a service's fleetgate.failover, under balancing: nearest (warnings that say what the front door does instead)",
  },
};

export const urlMapSize: Contract = {
  id: "gcp.url-map-size",
  party: "GCP",
  subject: "URL map",
  rule: "an Envoy-based URL map is at most 1 MB (the quotas page still gives 64 KB for external load balancers; the URL map size page, which describes quota units, gives 1 MB), and counts against the project's configuration-size quota once per forwarding rule that uses it",
  source: { title: "Cloud Load Balancing: URL map size and quota units", url: "https://cloud.google.com/load-balancing/docs/url-map-size-quota" },
  checkedIn: { engine: "URL map registrations", validator: "the environment's plan: the URL map built from every host (spec/plan-limits.ts)" },
};

export const URL_MAP_LIMITS = {
  hostRules: 1000,
  pathMatchers: 1000,
  hostsPerHostRule: 1000,
  routeRulesPerPathMatcher: 1000,
  predicatesPerPathMatcher: 1000,
  backendServicesPerUrlMap: 2500,
} as const;

export const urlMapLimits: Contract = {
  id: "gcp.url-map-limits",
  party: "GCP",
  subject: "URL map",
  rule: `a URL map has at most ${URL_MAP_LIMITS.hostRules} host rules and ${URL_MAP_LIMITS.pathMatchers} path matchers, ${URL_MAP_LIMITS.hostsPerHostRule} hosts per host rule, ${URL_MAP_LIMITS.routeRulesPerPathMatcher} route rules and ${URL_MAP_LIMITS.predicatesPerPathMatcher} predicates (a path match, each header match, each query match) per path matcher, and references at most ${URL_MAP_LIMITS.backendServicesPerUrlMap} backend services; none of these can be raised`,
  source: { ...LB_QUOTAS, section: "URL maps" },
  checkedIn: { engine: "URL map registrations", validator: "the environment's plan: hosts, and each host's routes at its first rule (spec/plan-limits.ts)" },
};

export const urlMapRules: Contract = {
  id: "gcp.url-map-rules",
  party: "GCP",
  subject: "URL map",
  rule: "route rule priorities are 0 to 2,147,483,647 and unique within a path matcher; a match rule has exactly one of prefixMatch, fullPathMatch or pathTemplateMatch, 1 to 1024 characters starting with /; weighted backend service weights are 0 to 1000; pathPrefixRewrite is 1 to 1024 characters and hostRewrite 1 to 255; numRetries is above 0",
  source: { ...COMPUTE_API, section: "UrlMap: HttpRouteRule, HttpRouteRuleMatch, WeightedBackendService, UrlRewrite, HttpRetryPolicy" },
  checkedIn: { engine: "URL map registrations", validator: "rewrite lengths at fleetgate.rewrite" },
};

export const noRegex: Contract = {
  id: "gcp.no-regex",
  party: "GCP",
  subject: "URL map",
  rule: "global external Application Load Balancers do not support regular expressions (regexMatch) in path, header or query parameter matches",
  source: { ...LB_QUOTAS, section: "URL maps" },
  checkedIn: {
    engine: "URL map registrations",
    validator:
      "fleetgate.match headers and queryParams of type RegularExpression, and an HTTPRoute's RegularExpression header and query matches behind the GCP front door",
  },
};

/** The pseudo-header a URL map's header match reads the request's method from. */
export const METHOD_HEADER = ":method";

export const methodMatch: Contract = {
  id: "gcp.method-match",
  party: "GCP",
  subject: "URL map",
  rule: `a route rule matches the request's method with a header match on the pseudo-header "${METHOD_HEADER}" (exactMatch of the method, such as "GET"); the URL map has no method field of its own`,
  source: {
    ...COMPUTE_API,
    section: "UrlMap: HttpRouteRuleMatch.headerMatches, HttpHeaderMatch.headerName",
    url: "https://cloud.google.com/compute/docs/reference/rest/v1/urlMaps",
  },
  checkedIn: { program: "a route's method becomes its match rule's first header match, `:method` with exactMatch of the method (components/gcp/url-map.ts)" },
};

export const healthChecks: Contract = {
  id: "gcp.health-checks",
  party: "GCP",
  subject: "Health check",
  rule: "a health check's timeoutSec may not exceed its checkIntervalSec",
  source: { ...COMPUTE_API, section: "HealthCheck.timeoutSec" },
  checkedIn: { engine: "health check registrations", validator: "BackendConfig spec.healthCheck.timeoutSec" },
};

export const firewallPriority: Contract = {
  id: "gcp.firewall-priority",
  party: "GCP",
  subject: "Firewall rule",
  rule: "a firewall rule's priority is 0 to 65535",
  source: { ...COMPUTE_API, section: "Firewall.priority" },
  checkedIn: { engine: "firewall registrations" },
};

export const negReferences: Contract = {
  id: "gcp.neg-references",
  party: "GCP",
  subject: "Backend service",
  rule: "every backend a backend service names must exist; a NEG attached to a backend service cannot be deleted (GKE then leaves it behind instead of garbage-collecting it)",
  source: { ...BACKEND_SERVICES, section: "Backends" },
  checkedIn: {
    engine: "backend service creates and updates in the simulated pulumi up; NEG deletions by the NEG controller",
    wait: "each GKE gateway's NEGs (components/gcp/neg-wait.ts)",
  },
};

export const negController: Contract = {
  id: "gke.neg-controller",
  party: "GKE",
  subject: "NEG controller",
  rule: "GKE creates the standalone NEGs a Service's cloud.google.com/neg annotation names only after the Service exists and has endpoints, only in zones where the cluster has nodes, and records them in the cloud.google.com/neg-status annotation; it needs a VPC-native cluster",
  source: { ...STANDALONE_NEG, section: "Creating standalone NEGs; Limitations" },
  checkedIn: {
    engine: "the simulated NEG controller, with time",
    wait: "backend services wait for each zone's NEG and fail naming the cluster and zone (components/gcp/neg-wait.ts)",
    validator: "a GKE cluster behind the GCP front door lists its zones",
  },
};

export const clusterLinks: Contract = {
  id: "gke.cluster-links",
  party: "GKE",
  subject: "Multi Cluster Ingress: MultiClusterService clusters",
  rule: "a MultiClusterService's clusters[].link is `<location>/<cluster name>`, where the location is the cluster's own: its zone for a zonal cluster, its region for a regional one (as `gcloud container clusters list` shows it); a link with another location names no member of the fleet, and GKE serves the service from no cluster there",
  source: {
    title: "GKE: Deploying Ingress across clusters",
    section: "Cluster selection",
    url: "https://cloud.google.com/kubernetes-engine/docs/how-to/multi-cluster-ingress",
  },
  checkedIn: {
    validator:
      "a link whose location is not the cluster's (fleetgate:clusters[].access.location, else its region), answered with the link GKE reads (spec/cluster-links.ts)",
  },
};

export const negNames: Contract = {
  id: "gke.neg-names",
  party: "GKE",
  subject: "NEG controller",
  rule: "a custom NEG name must not be taken in the zone by a NEG the controller did not create for this Service; the controller refuses to adopt it",
  source: { title: "kubernetes/ingress-gce: pkg/neg/syncers/utils.go", section: "custom named NEGs" },
  checkedIn: { engine: "the simulated NEG controller", program: "NEG names carry the environment and cluster (spec/naming.ts)" },
};

export const perProjectRecords: Contract = {
  id: "gcp.per-project-dns-authorization",
  party: "GCP",
  subject: "Certificate Manager DNS authorization",
  rule: "a PER_PROJECT_RECORD DNS authorization answers with a CNAME that depends only on the project and the domain, so every authorization of one domain in one project needs the same DNS record, which only one stack can own",
  source: {
    title: "Certificate Manager: Domain authorization",
    section: "DNS authorization per project",
    url: "https://cloud.google.com/certificate-manager/docs/dns-authorizations",
  },
  checkedIn: {
    engine: "Cloud DNS record creation in a world shared by the stacks",
    validator: "the hosts of two stacks of this repository whose front doors share a project (fleetgate:gcp.project)",
  },
};

/** Domains one Certificate Manager certificate may cover with DNS authorization. */
export const MAX_CERTIFICATE_DOMAINS = 100;

export const certificateLimits: Contract = {
  id: "gcp.certificate-limits",
  party: "GCP",
  subject: "Certificate Manager certificate",
  rule: `a managed certificate with DNS authorization covers at most ${MAX_CERTIFICATE_DOMAINS} domains, each authorized (a wildcard by the authorization of its parent domain); a project holds at most 5000 certificate map entries`,
  source: { ...CERTIFICATE_MANAGER, section: "Limits; Quotas" },
  checkedIn: { engine: "certificate registrations", validator: "the environment's plan: map entries (spec/plan-limits.ts)" },
};

export const certificateIssuance: Contract = {
  id: "gcp.certificate-issuance",
  party: "GCP",
  subject: "Certificate Manager certificate",
  rule: "a managed certificate is PROVISIONING until its DNS authorizations' CNAME records resolve, then ACTIVE (up to 60 minutes after DNS propagates) or FAILED, which is final",
  source: { title: "Certificate Manager: Troubleshooting", section: "Managed certificate state" },
  checkedIn: { engine: "the simulated Certificate Manager, with time", wait: "fleetgate:gcp.awaitCertificates (components/gcp/certificates.ts)" },
};

export const certificateMapPrimary: Contract = {
  id: "gcp.certificate-map-primary",
  party: "GCP",
  subject: "Certificate Manager certificate map",
  rule: "a certificate map serves its PRIMARY entry's certificate to a client that sends no server name, or one no entry of the map matches (a request by IP address, an unknown host); without a PRIMARY entry such a client gets no certificate",
  source: {
    title: "Certificate Manager API reference",
    section: "CertificateMapEntry.Matcher: PRIMARY",
    url: "https://cloud.google.com/certificate-manager/docs/reference/certificate-manager/rest/v1/projects.locations.certificateMaps.certificateMapEntries",
  },
  checkedIn: {
    program:
      "the map's PRIMARY entry serves one named host's certificate, which requests for unknown hosts and by IP address get (components/gcp/certificate-plan.ts)",
  },
};

export const dnsRecords: Contract = {
  id: "gcp.dns-records",
  party: "GCP",
  subject: "Cloud DNS record set",
  rule: "a record set of a name and type that already exists cannot be created again, and a CNAME cannot stand beside other records of its name",
  source: { title: "RFC 1034 section 3.6.2; Cloud DNS: Managing records", url: "https://cloud.google.com/dns/docs/records" },
  checkedIn: { engine: "Cloud DNS record creation in the simulated world" },
};

const FORWARDING_RULES = {
  title: "Cloud Load Balancing: Forwarding rules overview",
  url: "https://cloud.google.com/load-balancing/docs/forwarding-rule-concepts",
};
const GLOBAL_LB_ADDRESSES = {
  title: "Cloud Load Balancing: IP addresses for global external Application Load Balancers",
  url: "https://cloud.google.com/load-balancing/docs/https#ip-addresses",
};

export const forwardingRuleAddress: Contract = {
  id: "gcp.forwarding-rule-address",
  party: "GCP",
  subject: "Global forwarding rule (global external Application Load Balancer)",
  rule: "a global external Application Load Balancer's forwarding rule (EXTERNAL_MANAGED) is global and on the Premium network tier; its address is a global EXTERNAL address of the project, IPv4 or IPv6 (a regional or internal address, or the Standard tier, cannot serve it), given by IP or by the address's URL",
  source: { ...GLOBAL_LB_ADDRESSES, section: "IP addresses; Network Service Tiers" },
  checkedIn: {
    engine: "global forwarding rule registrations: EXTERNAL_MANAGED on the Premium tier, with an IP address or a global address's URL",
    program: "the front door reads each adopted address as a global address of its project and serves on its IP (components/gcp/front-door.ts)",
  },
};

export const forwardingRulePorts: Contract = {
  id: "gcp.forwarding-rule-ports",
  party: "GCP",
  subject: "Global forwarding rule",
  rule: "one IP address, protocol and port take one forwarding rule: several forwarding rules may share an external address only on different ports, so a second rule on the same address and port is refused",
  source: { ...FORWARDING_RULES, section: "Forwarding rules and IP addresses; multiple forwarding rules with a common IP address" },
  checkedIn: {
    engine: "global forwarding rule registrations, against the other forwarding rules of the cloud",
    validator: "fleetgate:gcp.adoptAddresses: the environment's own address cannot be adopted",
    program: "each address of the front door (its own and each adopted one) gets one HTTPS rule on 443 and one HTTP rule on 80 (components/gcp/front-door.ts)",
  },
};

const FORWARDING_RULE = "gcp:compute/globalForwardingRule:GlobalForwardingRule";

/** The address a forwarding rule serves on, comparable across rules; undefined when not known yet. */
function ruleAddress(inputs: Inputs): string | undefined {
  const value = inputs.ipAddress;
  if (typeof value !== "string" || value === "" || value === "<computed>") return undefined;
  return value.toLowerCase();
}

function forwardingRuleAddressProblems(inputs: Inputs): string[] {
  const problems: string[] = [];
  const scheme = String(inputs.loadBalancingScheme ?? "EXTERNAL");
  if (scheme !== "EXTERNAL_MANAGED") return problems;
  const tier = inputs.networkTier;
  if (tier !== undefined && tier !== "PREMIUM") problems.push(`it asks for the ${String(tier)} network tier`);
  const address = ruleAddress(inputs);
  if (address !== undefined && !/^[0-9.]+$|^[0-9a-f:]+$/.test(address) && !/\/global\/addresses\/[^/]+$/.test(address))
    problems.push(`its address "${String(inputs.ipAddress)}" is neither an IP address nor a global address's URL`);
  if (address !== undefined && /\/regions\/[^/]+\/addresses\//.test(address)) problems.push(`its address "${String(inputs.ipAddress)}" is a regional address`);
  return problems;
}

function forwardingRulePortProblems(inputs: Inputs, _name: string, context?: { others?: readonly { type: string; name: string; inputs: Inputs }[] }): string[] {
  const address = ruleAddress(inputs);
  if (address === undefined) return [];
  const port = String(inputs.portRange ?? "");
  const protocol = String(inputs.ipProtocol ?? "TCP");
  return (context?.others ?? [])
    .filter(
      (o) =>
        o.type === FORWARDING_RULE &&
        ruleAddress(o.inputs) === address &&
        String(o.inputs.portRange ?? "") === port &&
        String(o.inputs.ipProtocol ?? "TCP") === protocol,
    )
    .map((o) => `forwarding rule ${String(o.inputs.name ?? o.name)} already serves ${String(inputs.ipAddress)} on ${protocol} port ${port}`);
}

// --- Checks on registrations -----------------------------------------------------------------------

const BACKEND_SERVICE = "gcp:compute/backendService:BackendService";
const URL_MAP = "gcp:compute/uRLMap:URLMap";

const COMPUTE_TYPES = [
  BACKEND_SERVICE,
  URL_MAP,
  "gcp:compute/healthCheck:HealthCheck",
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
  "gcp:compute/targetHttpProxy:TargetHttpProxy",
  "gcp:compute/globalForwardingRule:GlobalForwardingRule",
  "gcp:compute/globalAddress:GlobalAddress",
  "gcp:compute/sSLPolicy:SSLPolicy",
  "gcp:compute/firewall:Firewall",
  "gcp:compute/globalNetworkEndpointGroup:GlobalNetworkEndpointGroup",
];

const isZonalNeg = (group: unknown) => typeof group === "string" && /\/zones\/[^/]+\/networkEndpointGroups\//.test(group);
const isGlobalNeg = (group: unknown) => typeof group === "string" && /\/global\/networkEndpointGroups\//.test(group);

function backendServiceProblems(inputs: Inputs): { contract: Contract; problems: string[] }[] {
  const backends = asArray(inputs.backends).map(asRecord);
  const zonal = backends.filter((b) => isZonalNeg(b.group));
  const internet = backends.filter((b) => isGlobalNeg(b.group));
  const out: { contract: Contract; problems: string[] }[] = [];
  const add = (contract: Contract, problem: string) => {
    const entry = out.find((e) => e.contract === contract) ?? (out.push({ contract, problems: [] }), out[out.length - 1]!);
    entry.problems.push(problem);
  };
  if (zonal.length > MAX_NEG_BACKENDS) add(negBackends, `it names ${zonal.length} zonal NEG backends`);
  if (zonal.length > 0 && internet.length > 0) add(backendKinds, `it mixes ${zonal.length} zonal NEGs with an internet NEG`);
  if (internet.length > 1) add(backendKinds, `it names ${internet.length} internet NEGs`);
  const healthChecks = inputs.healthChecks;
  const hasCheck = typeof healthChecks === "string" ? healthChecks !== "" : asArray(healthChecks).length > 0;
  if (zonal.length > 0 && !hasCheck) add(healthCheckByBackend, "its zonal NEG backends have no health check");
  if (internet.length > 0 && hasCheck) add(healthCheckByBackend, "its internet NEG backend has a health check");
  for (const b of zonal) {
    const scaler = asNumber(b.capacityScaler);
    if (b.balancingMode === "RATE" && asNumber(b.maxRatePerEndpoint) === undefined && asNumber(b.maxRate) === undefined)
      add(balancing, `backend ${b.group} has balancing mode RATE without maxRatePerEndpoint`);
    if (scaler !== undefined && (scaler < 0 || scaler > 1 || (scaler > 0 && scaler < 0.1))) add(balancing, `backend ${b.group} has capacity scaler ${scaler}`);
    if (scaler === 0 && backends.length === 1) add(balancing, `its only backend has capacity scaler 0`);
  }
  for (const b of internet)
    for (const field of ["balancingMode", "capacityScaler", "maxRatePerEndpoint", "maxRate"])
      if (b[field] !== undefined) add(balancing, `its internet NEG backend sets ${field}`);
  const timeout = asNumber(inputs.timeoutSec);
  if (timeout !== undefined && timeout < 1) add(backendSettings, `timeoutSec is ${timeout}`);
  const draining = asNumber(inputs.connectionDrainingTimeoutSec);
  if (draining !== undefined && (draining < 0 || draining > 3600)) add(backendSettings, `connection draining is ${draining} s`);
  const cookieTtl = asNumber(inputs.affinityCookieTtlSec);
  if (cookieTtl !== undefined && (cookieTtl > 1_209_600 || !["GENERATED_COOKIE", "HTTP_COOKIE"].includes(String(inputs.sessionAffinity))))
    add(backendSettings, `affinityCookieTtlSec is ${cookieTtl} with session affinity ${String(inputs.sessionAffinity ?? "NONE")}`);
  const log = asRecord(inputs.logConfig);
  const rate = asNumber(log.sampleRate);
  if (rate !== undefined && (rate < 0 || rate > 1 || log.enable !== true))
    add(backendSettings, `log sample rate ${rate} with logging ${log.enable === true ? "on" : "off"}`);
  if (inputs.outlierDetection !== undefined && internet.length > 0) add(backendSettings, "it sets outlier detection on an internet NEG");
  for (const field of ["customRequestHeaders", "customResponseHeaders"] as const) {
    const count = asArray(inputs[field]).length;
    if (count > MAX_CUSTOM_HEADERS) add(customHeaders, `it adds ${count} ${field === "customRequestHeaders" ? "request" : "response"} headers`);
  }
  return out;
}

/** The size GCP counts a URL map at: its configuration as JSON, in bytes. */
export function urlMapBytes(inputs: Inputs): number {
  return Buffer.byteLength(JSON.stringify(inputs), "utf8");
}

export const URL_MAP_MAX_BYTES = 1024 * 1024;

function urlMapProblems(inputs: Inputs): { contract: Contract; problems: string[] }[] {
  const size: string[] = [];
  const limits: string[] = [];
  const rules: string[] = [];
  const regex: string[] = [];
  const bytes = urlMapBytes(inputs);
  if (bytes > URL_MAP_MAX_BYTES) size.push(`it is ${bytes} bytes`);
  const hostRules = asArray(inputs.hostRules).map(asRecord);
  const pathMatchers = asArray(inputs.pathMatchers).map(asRecord);
  if (hostRules.length > URL_MAP_LIMITS.hostRules) limits.push(`it has ${hostRules.length} host rules`);
  if (pathMatchers.length > URL_MAP_LIMITS.pathMatchers) limits.push(`it has ${pathMatchers.length} path matchers`);
  for (const h of hostRules)
    if (asArray(h.hosts).length > URL_MAP_LIMITS.hostsPerHostRule) limits.push(`host rule ${String(h.pathMatcher)} has ${asArray(h.hosts).length} hosts`);
  const services = new Set<string>();
  const noteService = (value: unknown) => typeof value === "string" && services.add(value);
  noteService(inputs.defaultService);
  for (const matcher of pathMatchers) {
    const name = String(matcher.name);
    noteService(matcher.defaultService);
    for (const w of asArray(asRecord(matcher.defaultRouteAction).weightedBackendServices)) noteService(asRecord(w).backendService);
    const routeRules = asArray(matcher.routeRules).map(asRecord);
    if (routeRules.length > URL_MAP_LIMITS.routeRulesPerPathMatcher) limits.push(`path matcher ${name} has ${routeRules.length} route rules`);
    let predicates = 0;
    const priorities = new Set<number>();
    for (const rule of routeRules) {
      const priority = asNumber(rule.priority);
      if (priority === undefined || priority < 0 || priority > 2_147_483_647 || !Number.isInteger(priority))
        rules.push(`path matcher ${name} has a route rule of priority ${String(rule.priority)}`);
      else if (priorities.has(priority)) rules.push(`path matcher ${name} has two route rules of priority ${priority}`);
      else priorities.add(priority);
      noteService(rule.service);
      for (const match of asArray(rule.matchRules).map(asRecord)) {
        const paths = ["prefixMatch", "fullPathMatch", "pathTemplateMatch", "regexMatch"].filter((k) => match[k] !== undefined);
        if (match.regexMatch !== undefined) regex.push(`path matcher ${name} matches the path by regular expression`);
        if (paths.length !== 1) rules.push(`path matcher ${name} has a match rule with ${paths.length} path matches`);
        for (const k of paths) {
          const value = String(match[k]);
          if (value.length < 1 || value.length > 1024 || !value.startsWith("/"))
            rules.push(`path matcher ${name} matches ${k} ${JSON.stringify(value.slice(0, 40))}`);
        }
        const headers = asArray(match.headerMatches).map(asRecord);
        const queries = asArray(match.queryParameterMatches).map(asRecord);
        predicates += 1 + headers.length + queries.length;
        for (const m of [...headers, ...queries])
          if (m.regexMatch !== undefined) regex.push(`path matcher ${name} matches ${String(m.headerName ?? m.name)} by regular expression`);
      }
      const action = asRecord(rule.routeAction);
      for (const w of asArray(action.weightedBackendServices).map(asRecord)) {
        noteService(w.backendService);
        const weight = asNumber(w.weight);
        if (weight === undefined || weight < 0 || weight > 1000) rules.push(`path matcher ${name} weighs a backend service ${String(w.weight)}`);
      }
      const rewrite = asRecord(action.urlRewrite);
      if (rewrite.pathPrefixRewrite !== undefined && (String(rewrite.pathPrefixRewrite).length < 1 || String(rewrite.pathPrefixRewrite).length > 1024))
        rules.push(`path matcher ${name} rewrites to a prefix of ${String(rewrite.pathPrefixRewrite).length} characters`);
      if (rewrite.hostRewrite !== undefined && (String(rewrite.hostRewrite).length < 1 || String(rewrite.hostRewrite).length > 255))
        rules.push(`path matcher ${name} rewrites to a host of ${String(rewrite.hostRewrite).length} characters`);
      const retries = asRecord(action.retryPolicy);
      if (action.retryPolicy !== undefined && !((asNumber(retries.numRetries) ?? 0) > 0))
        rules.push(`path matcher ${name} retries ${String(retries.numRetries)} times`);
    }
    if (predicates > URL_MAP_LIMITS.predicatesPerPathMatcher) limits.push(`path matcher ${name} has ${predicates} predicates`);
  }
  if (services.size > URL_MAP_LIMITS.backendServicesPerUrlMap) limits.push(`it references ${services.size} backend services`);
  return [
    { contract: urlMapSize, problems: size },
    { contract: urlMapLimits, problems: limits },
    { contract: urlMapRules, problems: rules },
    { contract: noRegex, problems: regex },
  ];
}

function only(contract: Contract, of: (inputs: Inputs) => { contract: Contract; problems: string[] }[]): (inputs: Inputs) => string[] {
  return (inputs) =>
    of(inputs)
      .filter((e) => e.contract === contract)
      .flatMap((e) => e.problems);
}

export const registrationChecks: readonly RegistrationCheck[] = [
  { contract: forwardingRuleAddress, types: [FORWARDING_RULE], check: forwardingRuleAddressProblems },
  { contract: forwardingRulePorts, types: [FORWARDING_RULE], check: forwardingRulePortProblems },
  {
    contract: names,
    types: COMPUTE_TYPES,
    check: (inputs, name) => {
      const cloud = typeof inputs.name === "string" ? inputs.name : name;
      const problems = GCP_NAME_PATTERN.test(cloud)
        ? []
        : [`its name "${cloud}" (${cloud.length} characters) is not an RFC 1035 label of at most 63 characters`];
      // A network is named by the same rule, so a reference to anything else names no network.
      const network = typeof inputs.network === "string" ? inputs.network.split("/").pop()! : undefined;
      if (network !== undefined && !GCP_NAME_PATTERN.test(network))
        problems.push(`its network "${network}" is not an RFC 1035 label, so no such network exists`);
      return problems;
    },
  },
  ...[negBackends, backendKinds, healthCheckByBackend, balancing, backendSettings, customHeaders].map((contract): RegistrationCheck => ({
    contract,
    types: [BACKEND_SERVICE],
    check: only(contract, backendServiceProblems),
  })),
  ...[urlMapSize, urlMapLimits, urlMapRules, noRegex].map((contract): RegistrationCheck => ({
    contract,
    types: [URL_MAP],
    check: only(contract, urlMapProblems),
  })),
  {
    contract: backendKinds,
    types: ["gcp:compute/globalNetworkEndpoint:GlobalNetworkEndpoint"],
    // One endpoint per global internet NEG: the engine's simulation counts them; here, the endpoint's own shape.
    check: (inputs) =>
      typeof inputs.fqdn === "string" || typeof inputs.ipAddress === "string" ? [] : ["the endpoint names neither an fqdn nor an IP address"],
  },
  {
    contract: healthChecks,
    types: ["gcp:compute/healthCheck:HealthCheck"],
    check: (inputs) => {
      const timeout = asNumber(inputs.timeoutSec) ?? 5;
      const interval = asNumber(inputs.checkIntervalSec) ?? 5;
      return timeout > interval ? [`its timeoutSec ${timeout} exceeds its checkIntervalSec ${interval}`] : [];
    },
  },
  {
    contract: firewallPriority,
    types: ["gcp:compute/firewall:Firewall"],
    check: (inputs) => {
      const priority = asNumber(inputs.priority);
      return priority !== undefined && (priority < 0 || priority > 65535) ? [`its priority is ${priority}`] : [];
    },
  },
  {
    contract: lbAlgorithms,
    types: ["gcp:networkservices/serviceLbPolicies:ServiceLbPolicies"],
    check: (inputs) => {
      const algorithm = inputs.loadBalancingAlgorithm;
      return algorithm === undefined || ["SPRAY_TO_REGION", "WATERFALL_BY_REGION", "WATERFALL_BY_ZONE"].includes(String(algorithm))
        ? []
        : [`its algorithm is ${String(algorithm)}`];
    },
  },
  {
    contract: certificateLimits,
    types: ["gcp:certificatemanager/certificate:Certificate"],
    check: (inputs) => {
      const managed = asRecord(inputs.managed);
      const domains = asArray(managed.domains).map(String);
      const problems: string[] = [];
      if (domains.length > MAX_CERTIFICATE_DOMAINS) problems.push(`it covers ${domains.length} domains`);
      if (domains.some((d) => d.startsWith("*.")) && asArray(managed.dnsAuthorizations).length === 0)
        problems.push("it covers a wildcard without DNS authorization");
      return problems;
    },
  },
];

/** How a URL map picks a rule: what `npm run route` and the route tests assume of GCP. */
export const urlMapMatching: Contract = {
  id: "gcp.url-map-matching",
  party: "GCP",
  subject: "URL map",
  rule: "a request takes the host rule whose host matches (an exact host before wildcards; `*` stands for any run of letters, digits, dashes and dots), then in its path matcher the route rule of lowest priority number whose match rules hold (the match rules of one route rule are ORed, the conditions inside one ANDed; the method is matched as the `:method` header), else the path matcher's default; the query is not part of the path",
  source: { ...COMPUTE_API, section: "urlMaps: HostRule.hosts, HttpRouteRule.priority and matchRules, HttpHeaderMatch.headerName" },
  checkedIn: {
    program: "the route evaluator walks the registered URL map this way (review/route-model/url-map.ts), and the route tests and `npm run route` rely on it",
  },
};

export const contracts: readonly Contract[] = [
  urlMapMatching,
  names,
  forwardingRuleAddress,
  forwardingRulePorts,
  negBackends,
  backendKinds,
  healthCheckByBackend,
  balancing,
  backendSettings,
  customHeaders,
  lbAlgorithms,
  nearestFirst,
  urlMapSize,
  urlMapLimits,
  urlMapRules,
  noRegex,
  methodMatch,
  healthChecks,
  firewallPriority,
  negReferences,
  negController,
  clusterLinks,
  negNames,
  perProjectRecords,
  certificateLimits,
  certificateIssuance,
  certificateMapPrimary,
  dnsRecords,
];
