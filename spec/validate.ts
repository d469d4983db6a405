/**
 * Cross-document validation: the rules no single schema can see. It runs after every document and the
 * environment passed their schemas, reports every problem it finds (never stopping at the first), and
 * places each at the field it is about.
 */
import { formatPath, type Diagnostic, type PathSegment, type Severity, type DocReport } from "./diagnostics";
import { failedToLoad, keyOf, type Loaded, type LoadedDocuments } from "./documents";
import { configPath } from "./environment";
import { dnsLabelProblem, didYouMean, hostInDomain } from "./names";
import { routedServices } from "./ingress";
import { catchAllService, checkCatchAll } from "./catch-all";
import { checkAdoptedAddresses, checkStaticIps } from "./static-ip";
import { checkFleetGateway } from "./fleet-gateway";
import { checkIstioWaves } from "./istio-waves";
import { backendNameParts, catchAllNameParts, hostNameKey } from "./naming";
import { AWS_REGIONS, awsRegionOf, exampleZone, regionsOf, zonePattern } from "./regions";
import { gatewayAutoscaling } from "./resolve";
import { ANNOTATIONS, type DocumentKind, type MultiClusterService } from "./schema/documents";
import type { Locator } from "./yaml-source";
import type { ClusterConfig, EnvironmentConfig } from "./schema/environment";
import { grantOverlaps, hostGrants, whyNotOwned } from "./host-ownership";
import { backendConfigNames, selectClusters, type Problem } from "./select";
import { checkBackendProtocols } from "./backend-protocols";
import { checkGkeFields } from "./field-handling";
import { checkUnusedConfigs } from "./unused-configs";
import { checkHttpRoutes, firstByName, type ClaimMaps } from "./http-route-checks";
import { validateIngress } from "./ingress-checks";
import { attachBackendPolicies, checkGatewayPolicies } from "./gke-policies";
import { httpRouteContext, httpRouteServices, normaliseHttpRoutes } from "./http-routes";
import { checkLatencyDnsHosts } from "./latency-dns-hosts";
import { checkGatewayApiCrds } from "./gateway-api-crds";
import { matchesSelector } from "./label-selector";
import { accessLocationProblem } from "./cluster-links";
import { redirectCodeProblems } from "./https-redirect";
import { isSecretPlaceholder, type StackConfig } from "./stack-config";
import { kubeconfigApiServer } from "./kubeconfig";
import { cite } from "../contracts/contract";
import {
  customHeaders,
  GCP_NAME_PATTERN,
  names as gcpNames,
  MAX_CUSTOM_HEADERS,
  MAX_NEG_BACKENDS,
  negBackends,
  negController,
  nearestFirst,
} from "../contracts/gcp";
import { isLabelValue, istioParametersRef, mcsCrds, MIN_ISTIO_PARAMETERS_REF, objectMeta } from "../contracts/kubernetes";
import { acceleratorLimits, dualStack, GA_LIMITS, GLOBAL_ACCELERATOR_REGION, preservation, routeRecords } from "../contracts/aws";

export interface ValidationInput {
  readonly environment: string;
  readonly config: EnvironmentConfig;
  readonly stack: StackConfig;
  readonly documents: LoadedDocuments;
}

/** The oldest Istio whose gateway controller reads a Gateway's `infrastructure.parametersRef`. */
const MIN_ISTIO = MIN_ISTIO_PARAMETERS_REF;

/** The longest environment name: it is part of every cloud resource name. */
export const MAX_ENVIRONMENT_LENGTH = 20;

export function validateFleet(input: ValidationInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  const env = envReporter(input.stack, out);
  const at = (doc: { locate: Locator }, path: PathSegment[], message: string, severity: Severity = "error") => {
    const place = doc.locate(path);
    out.push({ ...place, severity, path: place.path ?? formatPath(path), message: sentence(message) });
  };
  const report = (doc: { locate: Locator }, problems: Problem[]) => problems.forEach((p) => at(doc, p.path, p.message, p.severity));

  const nameProblem = dnsLabelProblem(input.environment, MAX_ENVIRONMENT_LENGTH);
  if (nameProblem)
    out.push({
      ...input.stack.locate([]),
      severity: "error",
      path: "",
      message: sentence(`the environment (stack) name "${input.environment}" ${nameProblem}; it becomes part of every resource name`),
    });

  validateEnvironment(input, env);
  // Documents are checked against the admin's clusters and zones only where those are sound: against a
  // misspelt region or a duplicate cluster name, a team's correct document would be reported wrong, and
  // told to copy the admin's mistake.
  const adminErrorUnder = (prefix: string) => out.some((d) => d.severity === "error" && d.path.startsWith(prefix));
  const sound: Soundness = { clusters: !adminErrorUnder(configPath("clusters")) };
  // GKE's backend policies are read as BackendConfigs from here on (spec/gke-policies.ts).
  const policies = attachBackendPolicies(input.documents);
  for (const p of policies.problems) at(p.doc, p.path, p.message, p.severity);
  validateDocuments({ ...input, documents: policies.documents }, at, report, env, sound);
  return out;
}

/** Which parts of the admin's configuration passed their own checks. */
interface Soundness {
  readonly clusters: boolean;
}

type EnvReport = (path: PathSegment[], message: string, severity?: Severity) => void;

/**
 * The checks of the cluster list that need nothing else of the environment: unique names, regions and
 * zones of the provider, access that fits the provider. They also run when other settings of the stack
 * file failed their schema, so one wrong value there does not hide a misspelt region. Returns the index
 * of each cluster name.
 */
function checkClusterList(clusters: readonly ClusterConfig[], env: EnvReport): Map<string, number> {
  const seen = new Map<string, number>();
  clusters.forEach((cluster, i) => {
    const first = seen.get(cluster.name);
    if (first !== undefined) env(["clusters", i, "name"], `"${cluster.name}" is already the name of clusters[${first}]; give every cluster its own name`);
    else seen.set(cluster.name, i);

    const regions = regionsOf(cluster.provider);
    const cloud = cluster.provider === "gke" ? "GCP" : "AWS";
    const knownRegion = !regions || regions.includes(cluster.region);
    if (!knownRegion) {
      // A region of the other cloud is a wrong provider more often than a wrong region.
      const otherProvider = cluster.provider === "gke" ? "eks" : "gke";
      const hint = regionsOf(otherProvider)?.includes(cluster.region)
        ? `; it is ${cloud === "GCP" ? "an AWS" : "a GCP"} region: is the cluster's provider "${otherProvider}"?`
        : didYouMean(cluster.region, regions!) || `; use one such as ${cluster.provider === "gke" ? "us-central1" : "us-east-1"}`;
      env(["clusters", i, "region"], `"${cluster.region}" is not a ${cloud} region${hint}`);
    }
    // Zones are checked against a known region only; an unknown region is the one error to fix.
    const pattern = knownRegion ? zonePattern(cluster.provider, cluster.region) : undefined;
    const zonesSeen = new Set<string>();
    cluster.zones.forEach((zone, z) => {
      if (pattern && !pattern.test(zone))
        env(
          ["clusters", i, "zones", z],
          `"${zone}" is not a zone of ${cluster.region}; ${cloud} zones of this region look like ${exampleZone(cluster.provider, cluster.region)}`,
        );
      if (zonesSeen.has(zone)) env(["clusters", i, "zones", z], `"${zone}" is listed twice; list each zone once`);
      zonesSeen.add(zone);
    });

    // Istio labels a cluster's namespaces and gateways with its network, and reads a cluster's locality
    // from its nodes' region label; a GKE cluster's network is a VPC, which firewalls name.
    if (!isLabelValue(cluster.network))
      env(
        ["clusters", i, "network"],
        `"${cluster.network}" is not a Kubernetes label value, and Istio labels the cluster's namespaces and gateway with its network ${cite(objectMeta)}; use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
      );
    else if (cluster.provider === "gke" && !GCP_NAME_PATTERN.test(cluster.network))
      env(
        ["clusters", i, "network"],
        `"${cluster.network}" is not a VPC network name ${cite(gcpNames)}; give the name of the cluster's VPC (lower-case letters, digits and '-', a letter first)`,
      );
    if (cluster.provider === "other" && !isLabelValue(cluster.region))
      env(
        ["clusters", i, "region"],
        `"${cluster.region}" is not a Kubernetes label value, and Istio reads a cluster's region from its nodes' topology.kubernetes.io/region label ${cite(objectMeta)}; write the region as that label has it`,
      );
    const locationProblem = knownRegion ? accessLocationProblem(cluster) : undefined;
    if (locationProblem) env(["clusters", i, "access", "location"], locationProblem);
    const access = cluster.access;
    if (access.kind === "gke" && cluster.provider !== "gke")
      env(
        ["clusters", i, "access", "kind"],
        `is "gke" but the cluster's provider is "${cluster.provider}"; use kind "${cluster.provider === "eks" ? "eks" : "kubeconfig"}"`,
      );
    if (access.kind === "eks" && cluster.provider !== "eks")
      env(
        ["clusters", i, "access", "kind"],
        `is "eks" but the cluster's provider is "${cluster.provider}"; use kind "${cluster.provider === "gke" ? "gke" : "kubeconfig"}"`,
      );
  });
  return seen;
}

/** The cluster-list checks alone, for a stack file whose other settings failed their schema. */
export function validateClusterList(stack: StackConfig, clusters: readonly ClusterConfig[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  checkClusterList(clusters, envReporter(stack, out));
  return out;
}

/** Reports a problem of the stack file at its `fleetgate:` path. */
function envReporter(stack: StackConfig, out: Diagnostic[]): EnvReport {
  return (path, message, severity = "error") => {
    const [key, ...rest] = path;
    out.push({ ...stack.locate(path), severity, path: configPath(String(key), ...(rest as (string | number)[])), message: sentence(message) });
  };
}

function validateEnvironment({ config, environment }: ValidationInput, env: EnvReport): void {
  // Autoscaling is combined from the defaults, the environment and the cluster, and checked per cluster as
  // combined: at the cluster where it sets autoscaling of its own, else once at the environment's.
  const badScaling = (s: { enabled: boolean; minReplicas: number; maxReplicas: number }) => s.enabled && s.minReplicas > s.maxReplicas;
  const scalingMessage = (whose: string, s: { minReplicas: number; maxReplicas: number }) =>
    `gives ${whose} minReplicas ${s.minReplicas}, above its maxReplicas ${s.maxReplicas} (defaults, environment and cluster combined); the autoscaler would be refused, so raise maxReplicas or lower minReplicas`;
  const ownsScaling = (c: ClusterConfig) => Object.keys(c.gateway?.autoscaling ?? {}).length > 0;
  const inheriting = config.clusters.filter((c) => !ownsScaling(c) && badScaling(gatewayAutoscaling(config, c)));
  if (inheriting.length > 0)
    env(["gateway", "autoscaling"], scalingMessage(`the gateways of ${inheriting.map((c) => c.name).join(", ")}`, gatewayAutoscaling(config, inheriting[0]!)));
  const seen = checkClusterList(config.clusters, env);
  checkGatewayApiCrds(config, env);
  config.clusters.forEach((cluster, i) => {
    if (cluster.provider === "gke" && config.frontDoor === "gcp" && cluster.zones.length === 0)
      env(
        ["clusters", i, "zones"],
        `is empty; a GKE cluster behind the GCP front door MUST list its zones: GKE makes the gateway's NEGs only in zones with nodes ${cite(negController)}, and one is attached per zone (e.g. [${exampleZone("gke", cluster.region)}])`,
      );
    const access = cluster.access;
    // GCP attaches network endpoint groups only to backend services of their own project.
    if (access.kind === "gke" && config.frontDoor === "gcp" && config.gcp !== undefined && access.project !== config.gcp.project)
      env(
        ["clusters", i, "access", "project"],
        `is "${access.project}", but the front door's backend services are in "${config.gcp.project}" and GCP attaches a cluster's network endpoint groups only within one project; run the front door in "${access.project}" or the cluster in "${config.gcp.project}"`,
      );
    const kubeconfig = config.kubeconfigs?.[cluster.name];
    if (access.kind === "kubeconfig" && kubeconfig === undefined)
      env(
        ["clusters", i, "access"],
        `reads the kubeconfig from fleetgate:kubeconfigs.${cluster.name}, which is not set; run \`pulumi config set --secret --path 'fleetgate:kubeconfigs.${cluster.name}' "$(cat kubeconfig)"\``,
      );
    // Its shape is checked where its value is known: an offline plan sees only an encrypted placeholder.
    const server = access.kind === "kubeconfig" && kubeconfig !== undefined && !isSecretPlaceholder(kubeconfig) ? kubeconfigApiServer(kubeconfig) : undefined;
    if (server && "problem" in server)
      env(["kubeconfigs", cluster.name], `${server.problem}; the other clusters' istiods reach "${cluster.name}" at that server`);
    const combined = gatewayAutoscaling(config, cluster);
    if (ownsScaling(cluster) && badScaling(combined))
      env(["clusters", i, "gateway", "autoscaling"], scalingMessage(`the gateway of ${cluster.name}`, combined));
    if (cluster.multiClusterServices === "gke-fleet" && cluster.provider !== "gke")
      env(
        ["clusters", i, "multiClusterServices"],
        `is "gke-fleet", which only GKE clusters in a fleet have ${cite(mcsCrds)}; use "mcs-api" where an implementation of the upstream API is installed, or "none"`,
      );
    if (cluster.latencyRegion !== undefined && !AWS_REGIONS.includes(cluster.latencyRegion))
      env(
        ["clusters", i, "latencyRegion"],
        `"${cluster.latencyRegion}" is not an AWS region${didYouMean(cluster.latencyRegion, AWS_REGIONS)}; Route 53's latency records name AWS regions ${cite(routeRecords)}`,
      );
  });

  if (config.frontDoor === "aws" && (config.aws?.mode ?? "accelerator") === "accelerator") {
    if (config.aws?.dualStack)
      env(
        ["aws", "dualStack"],
        `is true in accelerator mode, but a dual-stack accelerator takes only endpoints that preserve the client's address ${cite(dualStack)}, and the gateways' NLBs terminate TLS, which rules that out ${cite(preservation)}; serve IPv6 with mode "latency-dns" (dual-stack NLBs and AAAA records), or remove dualStack`,
      );
    if (config.aws !== undefined && config.aws.globalRegion !== GLOBAL_ACCELERATOR_REGION)
      env(
        ["aws", "globalRegion"],
        `is "${config.aws.globalRegion}", but Global Accelerator's API is served from ${GLOBAL_ACCELERATOR_REGION} only ${cite(acceleratorLimits)}; remove it or set it to ${GLOBAL_ACCELERATOR_REGION}`,
      );
  }

  for (const name of Object.keys(config.kubeconfigs ?? {}))
    if (!seen.has(name))
      env(
        ["kubeconfigs", name],
        `is a kubeconfig for "${name}", which is not a cluster of the fleet${didYouMean(name, seen.keys())}; remove it or fix the name`,
        "warning",
      );

  checkAdoptedAddresses(environment, config, env);
  if (config.frontDoor === "gcp" && config.gcp === undefined)
    env(["frontDoor"], `is "gcp" but fleetgate:gcp is not set; set at least fleetgate:gcp.project, the project that holds the load balancer`);
  config.dns.zones.forEach((zone, z) => {
    if (config.frontDoor === "gcp" && zone.route53)
      env(
        ["dns", "zones", z, "route53"],
        `puts ${zone.domain} in Route 53, but the front door is GCP, whose certificates and records Fleetgate writes in Cloud DNS; use cloudDns`,
      );
    if (config.frontDoor === "aws" && zone.cloudDns)
      env(
        ["dns", "zones", z, "cloudDns"],
        `puts ${zone.domain} in Cloud DNS, but the front door is AWS, whose certificates and records Fleetgate writes in Route 53; use route53`,
      );
    const twin = config.dns.zones.findIndex((other) => other.domain === zone.domain);
    if (twin < z) env(["dns", "zones", z, "domain"], `"${zone.domain}" is already zones[${twin}]; list each zone once`);
  });
  config.hostOwnership.forEach((owner, i) =>
    owner.domains.forEach((domain, d) => {
      if (!config.dns.zones.some((zone) => hostInDomain(domain, zone.domain)))
        env(
          ["hostOwnership", i, "domains", d],
          `"${domain}" is in none of the DNS zones (${config.dns.zones.map((z) => z.domain).join(", ")}); no host under it could get records or a certificate, so fix the domain or add its zone`,
        );
    }),
  );
  for (const { wider, narrower } of grantOverlaps(hostGrants(config.hostOwnership)))
    env(
      [...wider.path],
      `"${wider.pattern}" (namespace ${wider.namespace}) covers "${narrower.pattern}", which ${configPath(...(narrower.path as [string, ...(string | number)[]]))} grants to namespace ${narrower.namespace}; the more specific grant wins, so ${wider.namespace} cannot claim ${narrower.pattern.startsWith("*.") ? `names under ${narrower.pattern.slice(2)}` : narrower.pattern}. If both namespaces should, grant it to both`,
      "warning",
    );
  config.tls?.wildcardCertificates.forEach((w, i) => {
    if (!config.dns.zones.some((zone) => hostInDomain(w, zone.domain)))
      env(
        ["tls", "wildcardCertificates", i],
        `"${w}" is in none of the DNS zones (${config.dns.zones.map((z) => z.domain).join(", ")}); its certificate could not be DNS-authorized`,
      );
  });

  const trust = config.trust;
  if (trust?.root.source === "generate" && trust.intermediate.pathLength >= trust.root.maxPathLength)
    env(
      ["trust", "intermediate", "pathLength"],
      `is ${trust.intermediate.pathLength}, but the root allows ${trust.root.maxPathLength} CA${trust.root.maxPathLength === 1 ? "" : "s"} below it (fleetgate:trust.root.maxPathLength), so intermediates may have a path length of at most ${trust.root.maxPathLength - 1}; a longer chain needs a new root, made by a root rotation`,
    );
  if (config.trust?.root.source === "existing") {
    if (config.rootCaCert === undefined)
      env(["trust", "root", "source"], `is "existing" but fleetgate:rootCaCert is not set; set it to the root CA certificate (PEM)`);
    if (config.rootCaKey === undefined)
      env(
        ["trust", "root", "source"],
        `is "existing" but fleetgate:rootCaKey is not set; set it with \`pulumi config set --secret fleetgate:rootCaKey < root-key.pem\``,
      );
  }
  const istio = config.mesh?.istio ?? { install: true };
  checkIstioWaves(config, env);
  const [major = 0, minor = 0] = (istio.version ?? "").split(".").map(Number);
  if (istio.version !== undefined && (major < MIN_ISTIO[0] || (major === MIN_ISTIO[0] && minor < MIN_ISTIO[1])))
    env(
      ["mesh", "istio", "version"],
      `is ${istio.version}, older than ${MIN_ISTIO.join(".")}: Istio reads the gateways' sizing and proxy settings (the Gateway's infrastructure.parametersRef) from ${MIN_ISTIO.join(".")} on ${cite(istioParametersRef)}, so older gateways would run unsized and without them; pin ${MIN_ISTIO.join(".")} or later`,
    );
}

/**
 * The AWS front door works at layer 4 and has no per-service backend: of a BackendConfig only session
 * affinity, which the gateways apply in the mesh, takes effect. A team that asked for Cloud Armor or
 * CDN must not believe it has them.
 */
function warnUnappliedOnAws(loaded: LoadedDocuments["backendConfigs"][number], config: EnvironmentConfig, at: DocReport): void {
  // Without an accelerator the NLB hands the client's address on by proxy protocol; through one it cannot.
  if (loaded.doc.spec.sessionAffinity?.affinityType === "CLIENT_IP" && (config.aws?.mode ?? "accelerator") === "accelerator")
    at(
      loaded,
      ["spec", "sessionAffinity", "affinityType"],
      `is CLIENT_IP, but behind Global Accelerator the gateways cannot learn the client's address: the accelerator preserves it only for NLBs without TLS listeners ${cite(preservation)}, and these terminate TLS; use GENERATED_COOKIE, or the accelerator's own fleetgate:aws.clientAffinity SOURCE_IP`,
    );
  for (const field of Object.keys(loaded.doc.spec)
    .filter((f) => f !== "sessionAffinity")
    .sort())
    at(
      loaded,
      ["spec", field],
      `is not applied: the environment's front door is AWS, whose accelerator and NLBs have no per-service backend settings; only sessionAffinity takes effect (in the gateways), and a timeout is set with the service's fleetgate.timeout`,
      "warning",
    );
}

function validateDocuments(
  input: ValidationInput,
  at: DocReport,
  report: (doc: { locate: Locator }, problems: Problem[]) => void,
  env: EnvReport,
  sound: Soundness,
): void {
  const { config, documents } = input;
  const duplicates = <T extends Loaded<DocumentKind, { metadata: { name: string; namespace: string } }>>(list: readonly T[], kind: string) =>
    firstByName(list, kind, at);
  const services = duplicates(documents.services, "MultiClusterService") as Map<string, Loaded<"MultiClusterService", MultiClusterService>>;
  const backendConfigs = duplicates(documents.backendConfigs, "BackendConfig");
  const frontendConfigs = duplicates(documents.frontendConfigs, "FrontendConfig");
  duplicates(documents.ingresses, "MultiClusterIngress");

  checkDerivedNames(services, config, at);
  const routed = new Set([
    ...routedServices(
      documents.ingresses.map((l) => l.doc),
      catchAllService(config, documents.ingresses),
    ),
    ...httpRouteServices(documents.httpRoutes.map((l) => l.doc)),
  ]);
  for (const loaded of services.values()) validateService(loaded, config, at, report, backendConfigs, documents, sound, routed);
  checkBackendProtocols(services, backendConfigs as Map<string, Loaded<"BackendConfig", unknown>>, config, at);
  checkGkeFields(documents, config.frontDoor, at);
  checkUnusedConfigs(documents, at);
  if (config.frontDoor === "aws") for (const loaded of documents.backendConfigs) warnUnappliedOnAws(loaded, config, at);
  if (config.frontDoor === "gcp") for (const loaded of documents.backendConfigs) checkCustomHeaders(loaded, at);
  const claims: ClaimMaps["claims"] = new Map();
  const defaults: ClaimMaps["defaults"] = new Map();
  const certificates: ClaimMaps["certificates"] = new Map();
  for (const loaded of documents.ingresses) validateIngress(loaded, config, documents, services, frontendConfigs, { claims, defaults, certificates }, at);
  const grants = hostGrants(config.hostOwnership);
  const ownedBy = (namespace: string) => config.hostOwnership.filter((o) => o.namespace === namespace).flatMap((o) => o.domains);
  const routeContext = httpRouteContext(config, services, documents);
  for (const p of checkGatewayPolicies(documents.gcpGatewayPolicies, routeContext.gateway, config)) at(p.doc, p.path, p.message, p.severity);
  const httpRoutes = normaliseHttpRoutes(documents.httpRoutes, routeContext);
  checkHttpRoutes(documents, config, httpRoutes, { claims, defaults, certificates }, (host, ns) => whyNotOwned(host, ns, ownedBy(ns), grants), at);
  checkStaticIps(input.environment, config, input.stack.locate([]).file, documents.ingresses, at);
  checkFleetGateway(input.environment, config, documents.gateways, at);
  for (const problem of redirectCodeProblems(documents, config.frontDoor)) at(problem.doc, problem.path, problem.message);

  // Resource names are built from hosts, so two hosts must not come to the same name.
  const hostNames = new Map<string, string>();
  const written = [
    ...documents.ingresses.flatMap((loaded) =>
      loaded.doc.spec.template.spec.rules.map((rule, r) => ({
        loaded,
        host: rule.host,
        path: ["spec", "template", "spec", "rules", r, "host"] as PathSegment[],
      })),
    ),
    ...documents.httpRoutes.flatMap((loaded) =>
      loaded.doc.spec.hostnames.map((host, h) => ({ loaded, host, path: ["spec", "hostnames", h] as PathSegment[] })),
    ),
  ];
  for (const { loaded, host, path } of written) {
    const first = hostNames.get(hostNameKey(host));
    if (first !== undefined && first !== host)
      at(
        loaded,
        path,
        `"${host}" would be given the same resource names as "${first}" (${hostNameKey(host)}), because resource names write a host's dots as dashes and a leading *. as wildcard-; serve one of them under another name`,
      );
    else hostNames.set(hostNameKey(host), host);
  }

  const namespacesWithBrokenIngresses = new Set([
    ...[...documents.invalid].filter((k) => k.startsWith("MultiClusterIngress ")).map((k) => k.split(" ")[1]!.split("/")[0]!),
    ...documents.unreadable,
  ]);
  checkCatchAll(config, documents.ingresses, at, env, namespacesWithBrokenIngresses);
  for (const [key, loaded] of services)
    if (!routed.has(key) && !namespacesWithBrokenIngresses.has(loaded.doc.metadata.namespace))
      at(
        loaded,
        ["metadata", "name"],
        `${key} is routed by no MultiClusterIngress or HTTPRoute: it is exported in the mesh but the front door does not serve it`,
        "warning",
      );

  // Which clusters serve something: they get a gateway, which the front door must be able to reach.
  const serving = new Set<string>();
  for (const [key, loaded] of services) if (routed.has(key)) for (const s of selectClusters(loaded.doc, config.clusters).selected) serving.add(s.cluster.name);
  config.clusters.forEach((cluster, i) => {
    if (!serving.has(cluster.name)) return;
    if (config.frontDoor === "gcp" && cluster.provider !== "gke" && cluster.gateway?.publicHostname === undefined)
      env(
        ["clusters", i, "gateway"],
        `needs publicHostname: "${cluster.name}" is not a GKE cluster, so the GCP front door reaches its gateway through an internet NEG at that name`,
      );
    if (config.frontDoor === "aws" && cluster.provider !== "eks") {
      const mode = config.aws?.mode ?? "accelerator";
      if (mode === "accelerator")
        env(
          ["clusters", i, "provider"],
          `is "${cluster.provider}", but an AWS Global Accelerator can only send traffic to AWS load balancers; set fleetgate:aws.mode to "latency-dns" (which reaches "${cluster.name}" by its gateway's public host name) or serve from EKS clusters only`,
        );
      else {
        if (cluster.gateway?.publicHostname === undefined)
          env(["clusters", i, "gateway"], `needs publicHostname: in latency-dns mode Fleetgate points DNS at the public name of "${cluster.name}"'s gateway`);
        if (awsRegionOf(cluster) === undefined)
          env(
            ["clusters", i],
            `needs latencyRegion: in latency-dns mode a cluster outside AWS is placed in DNS by an AWS region ${cite(routeRecords)}, and "${cluster.region}" is neither an AWS region nor a GCP region Fleetgate knows the nearest AWS region of; set latencyRegion to the AWS region nearest to it, e.g. "eu-central-1"`,
          );
      }
    }
  });
  // Global Accelerator's fixed limits: one endpoint group per region and listener (two listeners), and
  // endpoints per group.
  if (config.frontDoor === "aws" && (config.aws?.mode ?? "accelerator") === "accelerator") {
    const byRegion = new Map<string, number[]>();
    config.clusters.forEach((c, i) => serving.has(c.name) && c.provider === "eks" && byRegion.set(c.region, [...(byRegion.get(c.region) ?? []), i]));
    for (const [region, indexes] of byRegion)
      if (indexes.length > GA_LIMITS.endpointsPerGroup)
        env(
          ["clusters", indexes[GA_LIMITS.endpointsPerGroup]!, "region"],
          `puts ${indexes.length} serving EKS clusters in ${region}, but an accelerator's endpoint group holds at most ${GA_LIMITS.endpointsPerGroup} load balancers by default ${cite(acceleratorLimits)}; raise the quota with AWS and split the region, or serve from fewer clusters there`,
        );
    const groups = byRegion.size * 2;
    if (groups > GA_LIMITS.endpointGroupsPerAccelerator)
      env(
        ["clusters"],
        `spreads serving EKS clusters over ${byRegion.size} regions, which needs ${groups} endpoint groups (one per region for each of the two listeners), and an accelerator holds at most ${GA_LIMITS.endpointGroupsPerAccelerator} ${cite(acceleratorLimits)}; serve from at most ${GA_LIMITS.endpointGroupsPerAccelerator / 2} regions`,
      );
  }
  checkLatencyDnsHosts(config, documents, httpRoutes, services, at);
  // In latency-dns mode a region's clusters share one weighted record name: AWS load balancers are
  // aliases and other clusters CNAMEs, and DNS forbids a CNAME beside other records of the same name.
  if (config.frontDoor === "aws" && config.aws?.mode === "latency-dns") {
    const kinds = new Map<string, Set<boolean>>();
    const regionOf = (c: ClusterConfig) => awsRegionOf(c) ?? c.region;
    for (const c of config.clusters.filter((c) => serving.has(c.name))) kinds.set(regionOf(c), (kinds.get(regionOf(c)) ?? new Set()).add(c.provider === "eks"));
    config.clusters.forEach((cluster, i) => {
      if (serving.has(cluster.name) && cluster.provider !== "eks" && kinds.get(regionOf(cluster))?.has(true))
        env(
          ["clusters", i, cluster.latencyRegion !== undefined ? "latencyRegion" : "region"],
          `puts "${cluster.name}" in ${regionOf(cluster)} beside EKS clusters; in latency-dns mode a region's clusters are either all EKS (alias records) or all reached by host name (CNAMEs), and a CNAME cannot stand beside other records of its name ${cite(routeRecords)}; set latencyRegion to another AWS region near it`,
        );
    });
  }
}

/**
 * Names of cloud resources join a service's namespace, name and port with dashes (spec/naming.ts), and
 * dashes may stand inside namespaces and names, so two services can come to one name (`shop/a-b` and
 * `shop-a/b`, both `shop-a-b-80`). The engine or the cloud would refuse the second only while deploying;
 * refuse it here, at the second service, naming the first.
 */
function checkDerivedNames(services: ReadonlyMap<string, Loaded<"MultiClusterService", MultiClusterService>>, config: EnvironmentConfig, at: DocReport): void {
  const owners = new Map<string, { key: string; loaded?: Loaded<"MultiClusterService", MultiClusterService> }>();
  for (const cluster of [undefined, ...config.clusters.map((c) => c.name)])
    owners.set(catchAllNameParts(cluster).join("-"), { key: "Fleetgate's catch-all backend" });
  const providers = new Map(config.clusters.map((c) => [c.name, c.provider]));
  for (const loaded of services.values()) {
    const key = keyOf(loaded.doc);
    // Behind the GCP front door a cluster outside GKE gets a backend of its own per service port.
    const outsideGke =
      config.frontDoor === "gcp"
        ? selectClusters(loaded.doc, config.clusters)
            .selected.map((s) => s.cluster.name)
            .filter((c) => providers.get(c) !== "gke")
        : [];
    const names = loaded.doc.spec.template.spec.ports.flatMap((p) =>
      [backendNameParts(key, p.port), ...outsideGke.map((c) => backendNameParts(key, p.port, c))].map((parts) => parts.join("-")),
    );
    for (const name of new Set(names)) {
      const other = owners.get(name);
      if (other === undefined) owners.set(name, { key, loaded });
      else if (other.key !== key) {
        const where = other.loaded?.locate(["metadata", "name"]);
        const whose = where ? `${other.key} (${where.file}:${where.line ?? 1})` : other.key;
        at(
          loaded,
          ["metadata", "name"],
          `${key} would be given the same resource names as ${whose}: a service port's backend service and health check are named after its namespace, name and port joined by dashes ("${name}"); rename one of the services`,
        );
        break;
      }
    }
  }
}

function validateService(
  loaded: Loaded<"MultiClusterService", MultiClusterService>,
  config: EnvironmentConfig,
  at: DocReport,
  report: (doc: { locate: Locator }, problems: Problem[]) => void,
  backendConfigs: Map<string, unknown>,
  documents: LoadedDocuments,
  sound: Soundness,
  routed: ReadonlySet<string>,
): void {
  const service = loaded.doc;
  const key = keyOf(service);
  const { selected, problems } = selectClusters(service, config.clusters);
  if (sound.clusters && routed.has(key)) checkFrontDoorBalancing(loaded, config, selected, at);
  if (sound.clusters) report(loaded, problems);
  if (sound.clusters && selected.length > 0 && selected.every((s) => s.drained)) {
    const byAdmin = selected.filter((s) => s.cluster.drain).map((s) => s.cluster.name);
    at(
      loaded,
      service.spec.clusters ? ["spec", "clusters"] : ["spec"],
      `drains every cluster that serves ${key} (${selected.map((s) => s.cluster.name).join(", ")})${byAdmin.length > 0 ? `; ${byAdmin.join(", ")} drained by the admin` : ""}; keep at least one cluster with a weight above 0 so someone serves`,
    );
  }
  const ext = service.spec.fleetgate;
  if (ext) {
    const regions = new Set(selected.map((s) => s.cluster.region));
    const seen = new Set<string>();
    ext.failover.forEach((region, i) => {
      if (sound.clusters && !regions.has(region))
        at(
          loaded,
          ["spec", "fleetgate", "failover", i],
          `"${region}" is not a region of any cluster that serves ${key}${didYouMean(region, regions)}; the regions are ${[...regions].sort().join(", ")}`,
        );
      if (seen.has(region)) at(loaded, ["spec", "fleetgate", "failover", i], `"${region}" is listed twice; list each region once`);
      seen.add(region);
    });
  }
  const names = backendConfigNames(service);
  report(loaded, names.problems);
  for (const name of new Set(names.byPort.values())) {
    if (!backendConfigs.has(`${service.metadata.namespace}/${name}`) && !failedToLoad(documents, "BackendConfig", service.metadata.namespace, name)) {
      const key = ANNOTATIONS.backendConfig.find((k) => service.metadata.annotations?.[k] !== undefined)!;
      at(
        loaded,
        ["metadata", "annotations", key],
        `names BackendConfig "${name}", which is not defined in namespace ${service.metadata.namespace}; add it to the team's folder or fix the name`,
      );
    }
  }
}

/**
 * What the front door does with a service's clusters: GCP attaches one NEG per zone of its GKE clusters
 * to one backend service, within its limit; and no front door splits a `nearest` service by weight (say
 * so where a spec asks it to). A failover order is the mesh's: the front doors send each client to the
 * nearest healthy gateway, and its DestinationRule follows the order from there (the schema says so).
 */
function checkFrontDoorBalancing(
  loaded: Loaded<"MultiClusterService", MultiClusterService>,
  config: EnvironmentConfig,
  selected: ReturnType<typeof selectClusters>["selected"],
  at: DocReport,
): void {
  const service = loaded.doc;
  const clustersPath = service.spec.clusters ? ["spec", "clusters"] : ["spec"];
  const ext = service.spec.fleetgate;
  const balancing = ext?.balancing ?? "nearest";
  if (config.frontDoor === "gcp") {
    const gke = selected.filter((s) => s.cluster.provider === "gke");
    const negs = gke.reduce((sum, s) => sum + s.cluster.zones.length, 0);
    if (negs > MAX_NEG_BACKENDS)
      at(
        loaded,
        clustersPath,
        `selects GKE clusters with ${negs} zones in all (${gke.map((s) => `${s.cluster.name}: ${s.cluster.zones.length}`).join(", ")}), but the front door attaches one NEG per zone to the service's backend service, and GCP allows at most ${MAX_NEG_BACKENDS} ${cite(negBackends)}; select fewer clusters (or split the service in two)`,
      );
  }
  if (ext?.failover.length && balancing === "even")
    at(
      loaded,
      ["spec", "fleetgate", "failover"],
      `is set beside balancing: even, which spreads every request by weight over all regions; Istio cannot combine a spread with a failover order (a DestinationRule's distribute and failover exclude each other), so remove one of them`,
    );
  if (balancing !== "nearest") return;
  const entries = service.spec.clusters ?? [];
  entries.forEach((entry, i) => {
    const weight = entry.fleetgate?.weight;
    if (weight === undefined || weight === 0 || weight === 100) return;
    const sharesRegion = (cluster: ClusterConfig) => selected.some((s) => s.cluster.name !== cluster.name && s.cluster.region === cluster.region);
    const matched = selected
      .map((s) => s.cluster)
      .filter((c) =>
        entry.link !== undefined ? entry.link.endsWith(`/${c.name}`) : entry.selector !== undefined && matchesSelector(entry.selector, c.labels),
      );
    if (config.frontDoor === "aws" && matched.some(sharesRegion)) return;
    const edge =
      config.frontDoor === "gcp"
        ? `the GCP front door sends each client to the nearest healthy cluster whatever its weight ${cite(nearestFirst)}`
        : "the AWS front door weighs clusters only against others of their region, and this one has none";
    at(
      loaded,
      ["spec", "clusters", i, "fleetgate", "weight"],
      `is ${weight} under balancing: nearest, where it has no effect: ${edge}, and the mesh too serves from the nearest cluster; only 0 drains. To split traffic by weight set spec.fleetgate.balancing: even`,
      "warning",
    );
  });
}

/** GCP's limit of custom headers per backend service, of which the front door's dispatch tag takes one. */
function checkCustomHeaders(loaded: LoadedDocuments["backendConfigs"][number], at: DocReport): void {
  const spec = loaded.doc.spec as { customRequestHeaders?: { headers: string[] }; customResponseHeaders?: { headers: string[] } };
  const requests = spec.customRequestHeaders?.headers.length ?? 0;
  if (requests > MAX_CUSTOM_HEADERS - 1)
    at(
      loaded,
      ["spec", "customRequestHeaders", "headers"],
      `adds ${requests} request headers; GCP allows ${MAX_CUSTOM_HEADERS} per backend service ${cite(customHeaders)} and the front door's dispatch tag takes one, so add at most ${MAX_CUSTOM_HEADERS - 1}`,
    );
  const responses = spec.customResponseHeaders?.headers.length ?? 0;
  if (responses > MAX_CUSTOM_HEADERS)
    at(
      loaded,
      ["spec", "customResponseHeaders", "headers"],
      `adds ${responses} response headers; GCP allows at most ${MAX_CUSTOM_HEADERS} per backend service ${cite(customHeaders)}`,
    );
}

function sentence(message: string): string {
  return /[.?!]$/.test(message) ? message : `${message}.`;
}
