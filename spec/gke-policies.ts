/**
 * GKE's Gateway policies read as what Fleetgate already honours. A GCPBackendPolicy and a
 * HealthCheckPolicy set the same backend-service settings a BackendConfig does, so they are translated,
 * purely, into one BackendConfig per targeted MultiClusterService (read as the service's `default`
 * BackendConfig). The validator and the resolver then treat it as any BackendConfig: its fields are
 * checked, answered behind AWS and planned as a BackendConfig's are, and every message lands at the
 * policy's own field (the BackendConfig's locator translates each path back to the policy's).
 *
 * Decisions:
 * - A target is a Service or a net.gke.io ServiceImport of the policy's namespace; either names the
 *   MultiClusterService of that name, as an HTTPRoute backendRef does. The policy applies to every port.
 * - Two policies of one kind on one target: an error at the second [gke.policy-attachment]. For
 *   GCPBackendPolicy GKE attaches the older and refuses the other; documents in git have no age, and the
 *   other's fields must not be dropped in silence. For HealthCheckPolicy and GCPGatewayPolicy GKE
 *   documents nothing, and one target carries one health check or one set of gateway settings.
 * - A MultiClusterService that also names a BackendConfig in its annotation: an error at the policy.
 *   GKE never combines the two (Ingress controllers read BackendConfigs, the Gateway controller reads
 *   policies, each for a backend service of its own); Fleetgate has one backend service per service port
 *   whichever dialect routes it, so its settings come from one place.
 * - GCPGatewayPolicy targets the fleet gateway; the front door is the admin's, so its fields are
 *   answered (checkGatewayPolicies).
 */
import { cite } from "../contracts/contract";
import { backendSettings } from "../contracts/gcp";
import { backendPolicyFields, gatewayPolicyFields, policyAttachment } from "../contracts/gke-policies";
import { formatPath, type PathSegment, type Severity, type SourceLocation } from "./diagnostics";
import { failedToLoad, keyOf, type Loaded, type LoadedDocuments } from "./documents";
import { didYouMean, listChoices } from "./names";
import { ANNOTATIONS, type BackendConfig, type MultiClusterService } from "./schema/documents";
import type { EnvironmentConfig } from "./schema/environment";
import { GATEWAY_GROUP, GKE_MCS_GROUP } from "./schema/gateway-api";
import { HEALTH_CHECK_MEMBER, SAMPLE_RATE_SCALE, type GCPBackendPolicy, type GCPGatewayPolicy, type HealthCheckPolicy } from "./schema/gke-policies";
import type { Locator } from "./yaml-source";

type BackendPolicy = Loaded<"GCPBackendPolicy", GCPBackendPolicy> | Loaded<"HealthCheckPolicy", HealthCheckPolicy>;

/** Why a second policy of a kind on one target is refused: GKE's documented rule, or (where GKE documents none) what a single target can carry. */
const SECOND_POLICY: Readonly<Record<BackendPolicy["kind"] | "GCPGatewayPolicy", string>> = {
  GCPBackendPolicy: "GKE attaches only the older of two GCPBackendPolicies, and documents in git have no age",
  HealthCheckPolicy: "a backend service has one health check, so one HealthCheckPolicy sets it",
  GCPGatewayPolicy: "the front door has one set of gateway settings, so one GCPGatewayPolicy sets them",
};

export interface PolicyProblem {
  readonly doc: { readonly locate: Locator };
  readonly path: PathSegment[];
  readonly message: string;
  readonly severity?: Severity;
}

/** The policies attached to one MultiClusterService. */
interface Attached {
  backend?: Loaded<"GCPBackendPolicy", GCPBackendPolicy>;
  health?: Loaded<"HealthCheckPolicy", HealthCheckPolicy>;
}

const POLICY_CONFIG_SUFFIX = ".gke-policies";

/** The name of the BackendConfig a service's policies are read as: a dot keeps it apart from every written one. */
export function policyConfigName(service: string): string {
  return `${service}${POLICY_CONFIG_SUFFIX}`;
}

/** Whether a BackendConfig is a service's policies read as one, so that a message can say what to write in the policy. */
export function isPolicyConfig(name: string): boolean {
  return name.endsWith(POLICY_CONFIG_SUFFIX);
}

/**
 * The documents with every service's backend policies read as its BackendConfig, and the problems of the
 * policies' targets and of the fields a BackendConfig has no check for.
 */
export function attachBackendPolicies(documents: LoadedDocuments): { documents: LoadedDocuments; problems: PolicyProblem[] } {
  const problems: PolicyProblem[] = [];
  if (documents.gcpBackendPolicies.length === 0 && documents.healthCheckPolicies.length === 0) return { documents, problems };
  const services = new Map<string, Loaded<"MultiClusterService", MultiClusterService>>();
  for (const l of documents.services) if (!services.has(keyOf(l.doc))) services.set(keyOf(l.doc), l);

  const attached = new Map<string, Attached>();
  const attach = (loaded: BackendPolicy, slot: keyof Attached) => {
    const key = serviceTarget(loaded, services, documents, problems);
    if (key === undefined) return;
    const entry = attached.get(key) ?? {};
    const first = entry[slot];
    if (first !== undefined) {
      const where = first.locate(["metadata", "name"]);
      problems.push({
        doc: loaded,
        path: ["spec", "targetRef", "name"],
        message: `targets ${loaded.doc.spec.targetRef.kind} ${loaded.doc.spec.targetRef.name}, which ${loaded.kind} ${first.doc.metadata.name} (${where.file}:${where.line ?? 1}) already targets ${cite(policyAttachment)}; ${SECOND_POLICY[loaded.kind]}: merge this policy's settings into ${first.doc.metadata.name}`,
      });
      return;
    }
    attached.set(key, { ...entry, [slot]: loaded });
  };
  for (const l of uniqueNames(documents.gcpBackendPolicies, problems)) {
    attach(l, "backend");
    problems.push(...backendPolicyProblems(l));
  }
  for (const l of uniqueNames(documents.healthCheckPolicies, problems)) attach(l, "health");

  const configs: Loaded<"BackendConfig", BackendConfig>[] = [];
  const named = new Map<string, Loaded<"MultiClusterService", MultiClusterService>>();
  for (const [key, policies] of [...attached].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const service = services.get(key)!;
    const annotation = ANNOTATIONS.backendConfig.find((k) => service.doc.metadata.annotations?.[k] !== undefined);
    if (annotation !== undefined) {
      for (const policy of [policies.backend, policies.health].filter((p) => p !== undefined))
        problems.push({
          doc: policy,
          path: ["spec", "targetRef", "name"],
          message: `targets ${key}, whose MultiClusterService also names a BackendConfig (annotation ${annotation}); both set its backend service, which Fleetgate takes from one place (GKE never combines them: each sets a backend service of its own controller's): move the policy's settings into that BackendConfig, or remove the annotation`,
        });
      continue;
    }
    const config = policyBackendConfig(service, policies);
    configs.push(config);
    named.set(key, {
      ...service,
      doc: {
        ...service.doc,
        metadata: {
          ...service.doc.metadata,
          annotations: { ...service.doc.metadata.annotations, [ANNOTATIONS.backendConfig[0]]: JSON.stringify({ default: config.doc.metadata.name }) },
        },
      },
    });
  }
  return {
    documents: {
      ...documents,
      services: documents.services.map((l) => named.get(keyOf(l.doc)) ?? l),
      backendConfigs: [...documents.backendConfigs, ...configs],
    },
    problems,
  };
}

/** The policies of a list whose name is the first of its kind in the namespace; the others are reported, as Kubernetes keeps one object per name. */
function uniqueNames<T extends Loaded<"GCPBackendPolicy" | "HealthCheckPolicy" | "GCPGatewayPolicy", { metadata: { name: string; namespace: string } }>>(
  list: readonly T[],
  problems: PolicyProblem[],
): T[] {
  const first = new Map<string, T>();
  for (const loaded of list) {
    const previous = first.get(keyOf(loaded.doc));
    if (previous === undefined) {
      first.set(keyOf(loaded.doc), loaded);
      continue;
    }
    const where = previous.locate(["metadata", "name"]);
    problems.push({
      doc: loaded,
      path: ["metadata", "name"],
      message: `${loaded.kind} ${keyOf(loaded.doc)} is already defined at ${where.file}:${where.line ?? 1}; give each ${loaded.kind} its own name`,
    });
  }
  return [...first.values()];
}

/** The key of the MultiClusterService a backend policy targets, or undefined (with the problem) when it names none. */
function serviceTarget(
  loaded: BackendPolicy,
  services: ReadonlyMap<string, unknown>,
  documents: LoadedDocuments,
  problems: PolicyProblem[],
): string | undefined {
  const ref = loaded.doc.spec.targetRef;
  const namespace = loaded.doc.metadata.namespace;
  const at = (field: string, message: string) => problems.push({ doc: loaded, path: ["spec", "targetRef", field], message });
  if (ref.namespace !== undefined && ref.namespace !== namespace) {
    at(
      "namespace",
      `is "${ref.namespace}", but a ${loaded.kind} attaches only to a target in its own namespace ${cite(policyAttachment)}; put the policy in stacks/<env>/${ref.namespace}/ (that team's folder), or remove namespace`,
    );
    return undefined;
  }
  if (ref.kind !== "Service" && ref.kind !== "ServiceImport") {
    at(
      "kind",
      `"${ref.kind}" is not a kind a ${loaded.kind} attaches to${didYouMean(ref.kind, ["Service", "ServiceImport"])} ${cite(policyAttachment)}; target a Service (group "") or a ServiceImport (group ${GKE_MCS_GROUP}), either of which names the MultiClusterService of its name`,
    );
    return undefined;
  }
  const group = ref.kind === "Service" ? "" : GKE_MCS_GROUP;
  if (ref.group !== group) {
    at("group", `${JSON.stringify(ref.group)} is not the group of kind ${ref.kind}; write group: ${group === "" ? '""' : group}`);
    return undefined;
  }
  const key = `${namespace}/${ref.name}`;
  if (services.has(key)) return key;
  if (!failedToLoad(documents, "MultiClusterService", namespace, ref.name)) {
    const names = documents.services.filter((l) => l.doc.metadata.namespace === namespace).map((l) => l.doc.metadata.name);
    at(
      "name",
      `names ${ref.kind} "${ref.name}", but namespace ${namespace} has no MultiClusterService of that name${didYouMean(ref.name, names)}, so the policy would apply to nothing; ${names.length > 0 ? `target one of ${listChoices([...new Set(names)].sort())}` : "define the MultiClusterService in this folder"}`,
    );
  }
  return undefined;
}

/** The session affinities a GCPBackendPolicy may ask for that the backend service cannot give here, and why. */
const REFUSED_AFFINITY: Record<string, string> = {
  // Whether GKE's Gateway controller refuses these two is unconfirmed (see the contract); the reason given is Fleetgate's own.
  HEADER_FIELD: `the policy is read as a BackendConfig's spec.sessionAffinity, whose affinityType has no such type ${cite(backendPolicyFields)}`,
  HTTP_COOKIE: `the policy is read as a BackendConfig's spec.sessionAffinity, whose affinityType has no such type ${cite(backendPolicyFields)}`,
  CLIENT_IP_PROTO: "it is an affinity of passthrough network load balancers, and the front door is an Application Load Balancer",
  CLIENT_IP_PORT_PROTO: "it is an affinity of passthrough network load balancers, and the front door is an Application Load Balancer",
};

/** What a GCPBackendPolicy asks that GKE or GCP refuse, beyond its schema. */
function backendPolicyProblems(loaded: Loaded<"GCPBackendPolicy", GCPBackendPolicy>): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const settings = loaded.doc.spec.default;
  const at = (path: PathSegment[], message: string) => out.push({ doc: loaded, path: ["spec", "default", ...path], message });
  const logging = settings?.logging;
  if (logging?.sampleRate !== undefined && logging.enabled !== true)
    at(
      ["logging", "sampleRate"],
      `is set, but logging.enabled is ${logging.enabled === false ? "false" : "not set (GKE's default: false)"} ${cite(backendPolicyFields)}; GKE takes a sample rate only with logging on: add enabled: true, or remove sampleRate`,
    );
  const affinity = settings?.sessionAffinity;
  const type = affinity?.type;
  if (type !== undefined && REFUSED_AFFINITY[type] !== undefined)
    at(
      ["sessionAffinity", "type"],
      `is ${type}, which Fleetgate cannot give: ${REFUSED_AFFINITY[type]}; use GENERATED_COOKIE, NONE, or (behind the GCP front door) CLIENT_IP`,
    );
  if (affinity?.cookieTtlSec !== undefined && type !== "GENERATED_COOKIE" && (type === undefined || REFUSED_AFFINITY[type] === undefined))
    at(
      ["sessionAffinity", "cookieTtlSec"],
      `is set, but the affinity is ${type ?? "NONE (the default)"}, which has no cookie ${cite(backendSettings)}; write type: GENERATED_COOKIE, or remove cookieTtlSec`,
    );
  return out;
}

/** The BackendConfig spec a service's policies set: each field the one of BackendConfig it equals. */
export function policySettings(backend: GCPBackendPolicy | undefined, health: HealthCheckPolicy | undefined): BackendConfig["spec"] {
  const b = backend?.spec.default;
  const h = health?.spec.default;
  const type = h?.config?.type;
  const member = h?.config?.[HEALTH_CHECK_MEMBER[type ?? "HTTP"]] as { requestPath?: string; port?: number; portSpecification?: string } | undefined;
  const checkType = type === "HTTP" || type === "HTTPS" || type === "HTTP2" ? type : undefined;
  const affinityType = b?.sessionAffinity ? (b.sessionAffinity.type ?? "NONE") : undefined;
  return {
    ...(b?.timeoutSec !== undefined ? { timeoutSec: b.timeoutSec } : {}),
    ...(b?.connectionDraining?.drainingTimeoutSec !== undefined ? { connectionDraining: { drainingTimeoutSec: b.connectionDraining.drainingTimeoutSec } } : {}),
    ...(b?.logging
      ? {
          logging: {
            enable: b.logging.enabled ?? false,
            ...(b.logging.sampleRate !== undefined ? { sampleRate: b.logging.sampleRate / SAMPLE_RATE_SCALE } : {}),
          },
        }
      : {}),
    ...(affinityType === "NONE" || affinityType === "CLIENT_IP" || affinityType === "GENERATED_COOKIE"
      ? {
          sessionAffinity: {
            affinityType,
            ...(b?.sessionAffinity?.cookieTtlSec !== undefined ? { affinityCookieTtlSec: b.sessionAffinity.cookieTtlSec } : {}),
          },
        }
      : {}),
    ...(b?.securityPolicy !== undefined ? { securityPolicy: { name: b.securityPolicy } } : {}),
    ...(b?.iap !== undefined ? { iap: b.iap } : {}),
    ...(h
      ? {
          healthCheck: {
            ...(h.checkIntervalSec !== undefined ? { checkIntervalSec: h.checkIntervalSec } : {}),
            ...(h.timeoutSec !== undefined ? { timeoutSec: h.timeoutSec } : {}),
            ...(h.healthyThreshold !== undefined ? { healthyThreshold: h.healthyThreshold } : {}),
            ...(h.unhealthyThreshold !== undefined ? { unhealthyThreshold: h.unhealthyThreshold } : {}),
            ...(checkType !== undefined ? { type: checkType } : {}),
            ...(member?.requestPath !== undefined ? { requestPath: member.requestPath } : {}),
            ...(member?.port !== undefined && member.portSpecification === "USE_FIXED_PORT" ? { port: member.port } : {}),
          },
        }
      : {}),
  };
}

/** Where each BackendConfig field is written in the policies: BackendConfig name to policy name, by step. */
const RENAMED: Readonly<Record<string, string>> = { enable: "enabled", affinityType: "type", affinityCookieTtlSec: "cookieTtlSec" };
const HEALTH_CHECK_TOP = new Set(["checkIntervalSec", "timeoutSec", "healthyThreshold", "unhealthyThreshold"]);

/** The policy and path a BackendConfig path of the translation is written at. */
export function policyPath(path: readonly PathSegment[], policies: Attached): { policy: BackendPolicy; path: PathSegment[] } {
  const first = (policies.backend ?? policies.health)!;
  const [top, field, ...rest] = path;
  if (top !== "spec") return { policy: first, path: [...path] };
  if (field === "healthCheck" && policies.health) {
    const [step, ...below] = rest;
    const at = (...p: PathSegment[]) => ({ policy: policies.health!, path: ["spec", "default", ...p] });
    if (step === undefined) return at();
    if (HEALTH_CHECK_TOP.has(String(step))) return at(step, ...below);
    if (step === "type") return at("config", "type");
    return at("config", HEALTH_CHECK_MEMBER[policies.health.doc.spec.default?.config?.type ?? "HTTP"], step, ...below);
  }
  const owner = policies.backend ?? first;
  if (field === undefined) return { policy: first, path: ["spec", "default"] };
  if (field === "securityPolicy") return { policy: owner, path: ["spec", "default", "securityPolicy"] };
  return { policy: owner, path: ["spec", "default", String(field), ...rest.map((s) => (typeof s === "string" ? (RENAMED[s] ?? s) : s))] };
}

function policyBackendConfig(service: Loaded<"MultiClusterService", MultiClusterService>, policies: Attached): Loaded<"BackendConfig", BackendConfig> {
  const first = (policies.backend ?? policies.health)!;
  // Messages about the translation land at the policy's field, named as the policy writes it.
  const locate: Locator = (path, place) => {
    const to = policyPath(path, policies);
    const location: SourceLocation = to.policy.locate(to.path, place);
    return { ...location, path: formatPath(to.path) };
  };
  return {
    kind: "BackendConfig",
    file: first.file,
    team: first.team,
    index: first.index,
    locate,
    doc: {
      apiVersion: "cloud.google.com/v1",
      kind: "BackendConfig",
      metadata: { name: policyConfigName(service.doc.metadata.name), namespace: service.doc.metadata.namespace },
      spec: policySettings(policies.backend?.doc, policies.health?.doc),
    },
  };
}

// --- GCPGatewayPolicy ---------------------------------------------------------------------------

/**
 * Answers each GCPGatewayPolicy: its target must be the fleet gateway (HttpRouteContext.gateway), in the
 * gateway's namespace; one policy per gateway; an SSL policy is answered with a warning, as a
 * FrontendConfig's is (the front door's SSL policy is made from the admin's settings). Its other fields are answered by the field registry.
 */
export function checkGatewayPolicies(
  policies: readonly Loaded<"GCPGatewayPolicy", GCPGatewayPolicy>[],
  gateway: { readonly name: string; readonly namespace: string },
  config: Pick<EnvironmentConfig, "frontDoor">,
): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  let first: Loaded<"GCPGatewayPolicy", GCPGatewayPolicy> | undefined;
  for (const loaded of uniqueNames(policies, out)) {
    const ref = loaded.doc.spec.targetRef;
    const at = (path: PathSegment[], message: string, severity?: Severity) => out.push({ doc: loaded, path, message, ...(severity ? { severity } : {}) });
    const namespace = loaded.doc.metadata.namespace;
    if (ref.group !== GATEWAY_GROUP || ref.kind !== "Gateway") {
      at(
        ["spec", "targetRef", ref.kind !== "Gateway" ? "kind" : "group"],
        `${ref.kind !== "Gateway" ? `"${ref.kind}"` : JSON.stringify(ref.group)} is not what a GCPGatewayPolicy attaches to ${cite(policyAttachment)}; target the fleet gateway: group: ${GATEWAY_GROUP}, kind: Gateway, name: ${gateway.name}`,
      );
      continue;
    }
    if ((ref.namespace ?? namespace) !== gateway.namespace || namespace !== gateway.namespace) {
      const path = ref.namespace !== undefined && ref.namespace !== gateway.namespace ? ["spec", "targetRef", "namespace"] : ["metadata", "namespace"];
      at(
        path,
        `is "${path.length === 3 ? ref.namespace : namespace}", but the fleet gateway is in namespace ${gateway.namespace}, and a GCPGatewayPolicy attaches only to a Gateway of its own namespace ${cite(policyAttachment)}; put the policy in the admin's folder stacks/<env>/${gateway.namespace}/`,
      );
      continue;
    }
    if (ref.name !== gateway.name) {
      at(
        ["spec", "targetRef", "name"],
        `names Gateway "${ref.name}", but the environment's one gateway is "${gateway.name}"${didYouMean(ref.name, [gateway.name])}, so the policy would apply to nothing; write name: ${gateway.name}`,
      );
      continue;
    }
    if (first !== undefined) {
      const where = first.locate(["metadata", "name"]);
      at(
        ["spec", "targetRef", "name"],
        `targets Gateway ${gateway.name}, which GCPGatewayPolicy ${first.doc.metadata.name} (${where.file}:${where.line ?? 1}) already targets ${cite(policyAttachment)}; ${SECOND_POLICY.GCPGatewayPolicy}: merge this policy's settings into ${first.doc.metadata.name}`,
      );
      continue;
    }
    first = loaded;
    const ssl = loaded.doc.spec.default?.sslPolicy;
    if (ssl !== undefined && ssl !== "")
      at(
        ["spec", "default", "sslPolicy"],
        `is not applied: it names the SSL policy of the gateway's HTTPS proxy ${cite(gatewayPolicyFields)}, and the environment's one front door uses the SSL policy Fleetgate makes from the admin's settings (${config.frontDoor === "gcp" ? "fleetgate:gcp.sslPolicy.profile and " : ""}fleetgate:tls.minVersion), not one named by a team; ask the admin to set the profile and minimum TLS version you need there`,
        "warning",
      );
  }
  return out;
}
