/**
 * Which input changes make a provider replace a resource (delete and create it, or create and then
 * delete), for the resource types Fleetgate registers. Pulumi's registry marks such inputs "Changes to
 * this property will trigger replacement"; for the bridged providers (gcp, aws, tls) that mark comes
 * from the upstream Terraform schemas' ForceNew, and for Kubernetes from the provider's own table of
 * immutable fields. The table is curated by hand because the offline plan has no provider to ask: when
 * a type is missing, the diff says "replacement unknown" instead of guessing. Add a type here in the
 * same change that starts registering it.
 *
 * Paths are Pulumi property paths on the resource's inputs (camelCase, as in the plan JSON): a rule
 * `managed` covers every change under `managed`; `*` matches any key or index; `[*]` any index.
 */
import type { Path } from "./values";

export interface ReplacementRule {
  /** Inputs whose change replaces the resource; `["*"]`: every input. */
  readonly replaceOn: readonly string[];
  /** Where the rule comes from, for the reader of this table. */
  readonly why: string;
}

const EVERY_INPUT = ["*"];

/** Types whose replacing inputs are listed one by one. */
const RULES: Readonly<Record<string, ReplacementRule>> = {
  // --- GCP: global external Application Load Balancer --------------------------------------------
  "gcp:compute/globalAddress:GlobalAddress": {
    replaceOn: ["name", "project", "address", "addressType", "description", "ipVersion", "network", "prefixLength", "purpose"],
    why: "every setting but labels is immutable",
  },
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": {
    replaceOn: [
      "name",
      "project",
      "description",
      "ipAddress",
      "ipProtocol",
      "ipVersion",
      "loadBalancingScheme",
      "metadataFilters",
      "network",
      "portRange",
      "sourceIpRanges",
      "subnetwork",
      "noAutomateDnsZone",
      "serviceDirectoryRegistrations",
    ],
    why: "only target and labels can be updated in place",
  },
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy": {
    replaceOn: ["name", "project", "description", "loadBalancingScheme", "proxyBind", "httpKeepAliveTimeoutSec"],
    why: "certificate map, SSL policy and URL map are updated in place",
  },
  "gcp:compute/targetHttpProxy:TargetHttpProxy": {
    replaceOn: ["name", "project", "description", "proxyBind", "httpKeepAliveTimeoutSec"],
    why: "the URL map is updated in place",
  },
  "gcp:compute/uRLMap:URLMap": { replaceOn: ["name", "project"], why: "host rules and path matchers are updated in place" },
  "gcp:compute/backendService:BackendService": {
    replaceOn: ["name", "project", "loadBalancingScheme"],
    why: "backends, health checks and policies are updated in place",
  },
  "gcp:compute/healthCheck:HealthCheck": { replaceOn: ["name", "project"], why: "check settings are updated in place" },
  "gcp:compute/sSLPolicy:SSLPolicy": { replaceOn: ["name", "project", "description"], why: "profile and minimum TLS version are updated in place" },
  "gcp:compute/securityPolicy:SecurityPolicy": { replaceOn: ["name", "project"], why: "rules are updated in place" },
  "gcp:compute/networkEndpointGroup:NetworkEndpointGroup": { replaceOn: EVERY_INPUT, why: "zonal NEGs cannot be changed after creation" },
  "gcp:compute/globalNetworkEndpointGroup:GlobalNetworkEndpointGroup": { replaceOn: EVERY_INPUT, why: "global NEGs cannot be changed after creation" },
  "gcp:compute/globalNetworkEndpoint:GlobalNetworkEndpoint": { replaceOn: EVERY_INPUT, why: "an endpoint is replaced, never edited" },
  // --- GCP: Certificate Manager ------------------------------------------------------------------
  "gcp:certificatemanager/certificate:Certificate": {
    replaceOn: ["name", "project", "location", "scope", "managed"],
    why: "a managed certificate's domains and authorizations are fixed at creation",
  },
  "gcp:certificatemanager/dnsAuthorization:DnsAuthorization": {
    replaceOn: ["name", "project", "location", "domain", "type"],
    why: "the authorized domain is fixed at creation",
  },
  "gcp:certificatemanager/certificateMap:CertificateMap": { replaceOn: ["name", "project"], why: "description and labels are updated in place" },
  "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry": {
    replaceOn: ["name", "project", "map", "hostname", "matcher"],
    why: "the certificates of an entry are updated in place",
  },
  // --- GCP: Cloud DNS ----------------------------------------------------------------------------
  "gcp:dns/recordSet:RecordSet": { replaceOn: ["name", "type", "managedZone", "project"], why: "rrdatas, TTL and routing policy are updated in place" },
  // --- AWS: Global Accelerator, ACM, Route 53, regional NLBs -------------------------------------
  "aws:globalaccelerator/accelerator:Accelerator": { replaceOn: ["ipAddresses"], why: "name, IP address type and attributes are updated in place" },
  "aws:globalaccelerator/listener:Listener": { replaceOn: ["acceleratorArn"], why: "ports, protocol and client affinity are updated in place" },
  "aws:globalaccelerator/endpointGroup:EndpointGroup": {
    replaceOn: ["listenerArn", "endpointGroupRegion"],
    why: "endpoints, weights and health checks are updated in place",
  },
  "aws:acm/certificate:Certificate": {
    replaceOn: ["domainName", "subjectAlternativeNames", "validationMethod", "validationOptions", "keyAlgorithm", "certificateAuthorityArn"],
    why: "a requested certificate's names are fixed",
  },
  "aws:acm/certificateValidation:CertificateValidation": {
    replaceOn: ["certificateArn", "validationRecordFqdns"],
    why: "a validation waits for one certificate",
  },
  "aws:route53/healthCheck:HealthCheck": {
    replaceOn: ["type", "referenceName", "measureLatency", "requestInterval", "routingControlArn"],
    why: "the target, port, path and thresholds are updated in place",
  },
  "aws:route53/record:Record": { replaceOn: ["name", "zoneId"], why: "type, set identifier and records are changed through UPSERT" },
  "aws:lb/loadBalancer:LoadBalancer": {
    replaceOn: ["name", "namePrefix", "internal", "loadBalancerType", "customerOwnedIpv4Pool"],
    why: "subnets, attributes and tags are updated in place (NLB subnet removal replaces too; the provider decides)",
  },
  "aws:lb/listener:Listener": { replaceOn: ["loadBalancerArn"], why: "port, protocol, certificates and actions are updated in place" },
  "aws:lb/targetGroup:TargetGroup": {
    replaceOn: ["name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId", "ipAddressType"],
    why: "health checks and attributes are updated in place",
  },
  "aws:lb/targetGroupAttachment:TargetGroupAttachment": { replaceOn: EVERY_INPUT, why: "an attachment is replaced, never edited" },
  // --- tls: the mesh's root and intermediate CAs -------------------------------------------------
  "tls:index/privateKey:PrivateKey": { replaceOn: EVERY_INPUT, why: "a key is generated once; any change makes a new key" },
  "tls:index/selfSignedCert:SelfSignedCert": { replaceOn: EVERY_INPUT, why: "a certificate is issued once; any change issues a new one" },
  "tls:index/certRequest:CertRequest": { replaceOn: EVERY_INPUT, why: "a request is made once" },
  "tls:index/locallySignedCert:LocallySignedCert": { replaceOn: EVERY_INPUT, why: "a certificate is issued once; any change issues a new one" },
};

/** Every Kubernetes object is identified by its kind, API version, namespace and name. */
const KUBERNETES_IDENTITY = ["apiVersion", "kind", "metadata.name", "metadata.namespace"];

/** Immutable fields beyond the identity, from the Kubernetes provider's own table (by `group/version:Kind`). */
const KUBERNETES_IMMUTABLE: Readonly<Record<string, readonly string[]>> = {
  // Secrets and ConfigMaps are replaced on a data change unless the provider enables mutability,
  // which Fleetgate does not: a new cacerts secret is a new object that the pods roll onto.
  "core/v1:Secret": ["type", "data", "stringData"],
  "core/v1:ConfigMap": ["data", "binaryData"],
  "core/v1:Service": ["spec.clusterIP", "spec.type"],
  "apps/v1:Deployment": ["spec.selector"],
  "apps/v1:StatefulSet": ["spec.podManagementPolicy", "spec.revisionHistoryLimit", "spec.selector", "spec.serviceName", "spec.volumeClaimTemplates"],
  "batch/v1:Job": ["spec.selector", "spec.template"],
  "rbac.authorization.k8s.io/v1:RoleBinding": ["roleRef"],
  "rbac.authorization.k8s.io/v1:ClusterRoleBinding": ["roleRef"],
};

/** The rule for a type, or undefined when Fleetgate does not know how its provider decides. */
export function replacementRule(type: string): ReplacementRule | undefined {
  const listed = RULES[type];
  if (listed) return listed;
  if (type === "kubernetes:helm.sh/v3:Release") return { replaceOn: ["name", "namespace"], why: "a Helm release is identified by its name and namespace" };
  const kubernetes = /^kubernetes:(.+)$/.exec(type);
  // Providers and the YAML/Helm-v4 helpers are not Kubernetes objects; the engine decides for them.
  if (kubernetes && !type.startsWith("kubernetes:yaml") && !type.startsWith("kubernetes:helm.sh/v4")) {
    return {
      replaceOn: [...KUBERNETES_IDENTITY, ...(KUBERNETES_IMMUTABLE[kubernetes[1]!] ?? [])],
      why: "a Kubernetes object is identified by kind, API version, namespace and name",
    };
  }
  return undefined;
}

/** Parses `spec.ports[*].port` or `data["ca.crt"]` into segments; `*` and `[*]` become wildcards. */
export function parsePropertyPath(path: string): readonly string[] {
  const segments: string[] = [];
  const re = /([^.[\]]+)|\[(\*|\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  for (const m of path.matchAll(re)) segments.push(m[1] ?? m[2] ?? JSON.parse(`"${m[3]}"`));
  return segments;
}

/** True when a changed leaf lies at or below the rule's path (or the change is above it: a whole block). */
export function pathCovers(rulePath: string, changed: Path): boolean {
  const rule = parsePropertyPath(rulePath);
  const n = Math.min(rule.length, changed.length);
  for (let i = 0; i < n; i++) {
    const step = changed[i]!;
    const names = typeof step === "object" ? [String(step.before ?? ""), String(step.after ?? "")] : [String(step)];
    if (rule[i] !== "*" && !names.includes(rule[i]!)) return false;
  }
  return true;
}

export type ReplacementVerdict =
  /** At least one changed input replaces the resource. */
  | { readonly kind: "replace"; readonly because: readonly Path[]; readonly source: "provider" | "replaceOnChanges" | "both" }
  /** The type is known and no changed input replaces it. */
  | { readonly kind: "update" }
  /** The type is not in the table and the resource sets no replaceOnChanges that covers the change. */
  | { readonly kind: "unknown" };

/**
 * Whether changing `changedPaths` of a resource replaces it: by the provider's rules for its type, or by
 * the resource's own `replaceOnChanges` option (which Pulumi honours whatever the provider says).
 */
export function replacementVerdict(type: string, replaceOnChanges: readonly string[], changedPaths: readonly Path[]): ReplacementVerdict {
  const rule = replacementRule(type);
  const byProvider = rule ? changedPaths.filter((p) => rule.replaceOn.some((r) => pathCovers(r, p))) : [];
  const byOption = changedPaths.filter((p) => replaceOnChanges.some((r) => pathCovers(r, p)));
  if (byProvider.length > 0 || byOption.length > 0) {
    const because = changedPaths.filter((p) => byProvider.includes(p) || byOption.includes(p));
    const source = byProvider.length > 0 && byOption.length > 0 ? "both" : byProvider.length > 0 ? "provider" : "replaceOnChanges";
    return { kind: "replace", because, source };
  }
  return rule ? { kind: "update" } : { kind: "unknown" };
}
