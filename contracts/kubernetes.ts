/**
 * What the clusters accept and do: the Kubernetes API, the Pulumi Kubernetes provider's waits, Istio's
 * gateway controller, and the CRDs others install. The simulated `pulumi up` (offline/simulation) acts
 * these out with time; the checks below run on every registration.
 */
import { lbcAnnotations } from "./aws";
import { asRecord, type Contract, type RegistrationCheck } from "./contract";

const PULUMI_KUBERNETES = { title: "pulumi/pulumi-kubernetes: provider/pkg/await/await.go" };
const ISTIO_TOPOLOGY = {
  title: "Istio: Configuring Gateway Network Topology",
  url: "https://istio.io/latest/docs/ops/configuration/traffic-management/network-topologies/",
};

export const crdRequired: Contract = {
  id: "kubernetes.crd-required",
  party: "Kubernetes",
  subject: "Custom resources",
  rule: 'a custom resource can be created only where its CustomResourceDefinition is installed; the Pulumi Kubernetes provider retries for about 31 seconds, then fails with "no matches for kind"',
  source: { ...PULUMI_KUBERNETES, section: "create: retries on NotFound and NoMatch" },
  checkedIn: { engine: "every custom resource creation in the simulated clusters" },
};

export const namespaceRequired: Contract = {
  id: "kubernetes.namespace-required",
  party: "Kubernetes",
  subject: "Namespaced objects",
  rule: "an object can be created only in a namespace that exists",
  source: { title: "Kubernetes: Namespaces", url: "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/" },
  checkedIn: { engine: "every namespaced object creation in the simulated clusters (teams' namespaces exist there, as docs/operating.md requires)" },
};

export const gatewayApiCrds: Contract = {
  id: "kubernetes.gateway-api-crds",
  party: "Istio",
  subject: "Gateway API CRDs",
  rule: "Istio does not install the Gateway API CRDs (GKE does when its Gateway controller is enabled); istio-base installs only Istio's own CRDs",
  source: { title: "Istio: Kubernetes Gateway API", section: "Setup", url: "https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/" },
  checkedIn: {
    engine:
      "the simulated clusters start with the Gateway API CRDs (the admin's prerequisite under fleetgate:gatewayApi.crds: check; a test takes them away) and gain Istio's from istio-base",
    program:
      "Fleetgate installs them itself only under fleetgate:gatewayApi.crds: manage, and otherwise checks them before any Gateway API object [kubernetes.gateway-api-bundle]",
  },
};

export const mcsCrds: Contract = {
  id: "kubernetes.mcs-crds",
  party: "Kubernetes",
  subject: "Multi-cluster ServiceExports",
  rule: "GKE has the net.gke.io ServiceExport CRD only in fleets with multi-cluster Services enabled; the multicluster.x-k8s.io CRDs come with an MCS implementation installed by the operator (no EKS add-on and no Istio chart installs them)",
  source: {
    title: "GKE: Configuring multi-cluster Services; Istio: pilot/pkg/features (ENABLE_MCS_*)",
    url: "https://cloud.google.com/kubernetes-engine/docs/how-to/multi-cluster-services",
  },
  checkedIn: {
    engine: "the simulated clusters have these CRDs only where fleetgate:clusters[].multiClusterServices says",
    validator: "fleetgate:clusters[].multiClusterServices fits the cluster's provider",
    program: "ServiceExports only in clusters that declare an implementation (components/kubernetes/services-plan.ts)",
  },
};

export const istioProgrammed: Contract = {
  id: "istio.gateway-programmed",
  party: "Istio",
  subject: "Gateway controller",
  rule: "Istio creates a Gateway's Deployment and Service and marks the Gateway Programmed once the Service has an address (a LoadBalancer's external address, or a ClusterIP Service's endpoints), not when its load balancer can carry traffic",
  source: { title: "istio/istio: pilot/pkg/config/kube/gateway", section: "conversion.go, SetProgrammedCondition" },
  checkedIn: {
    engine: "the simulated Istio gateway controller",
    wait: "pulumi.com/waitFor: condition=Programmed on every Gateway, then the NEG and NLB waits",
  },
};

/** The oldest Istio whose gateway controller reads a Gateway's infrastructure.parametersRef. */
export const MIN_ISTIO_PARAMETERS_REF = [1, 26] as const;

export const istioParametersRef: Contract = {
  id: "istio.parameters-ref",
  party: "Istio",
  subject: "Gateway controller",
  rule: `Istio reads a Gateway's spec.infrastructure.parametersRef (a ConfigMap of deployment, service, autoscaler and disruption budget overlays) from ${MIN_ISTIO_PARAMETERS_REF.join(".")} on, and its infrastructure labels and annotations from 1.21`,
  source: {
    title: "Istio 1.26 change notes",
    section: "Gateway customization",
    url: "https://istio.io/latest/news/releases/1.26.x/announcing-1.26/change-notes/",
  },
  checkedIn: { validator: "fleetgate:mesh.istio.version" },
};

export const proxyProtocol: Contract = {
  id: "istio.proxy-protocol",
  party: "Istio",
  subject: "Gateway",
  rule: "with gatewayTopology.proxyProtocol every TCP listener of the gateway requires the PROXY header and closes connections without it; the status port (15021) takes the header only with ENVOY_STATUS_PORT_ENABLE_PROXY_PROTOCOL=true, and then also accepts connections without it",
  source: { ...ISTIO_TOPOLOGY, section: "PROXY Protocol" },
  checkedIn: {
    engine: "the simulated NLB's health checks of targets behind proxy protocol",
    program: "gateway pods behind proxy protocol set the status port's switch (components/kubernetes/gateway-plan.ts)",
  },
};

export const eastWestPorts: Contract = {
  id: "istio.east-west-ports",
  party: "Istio",
  subject: "East-west gateway",
  rule: "in a multi-primary mesh on several networks only the east-west gateway's 15443 must be reachable from the other networks; 15012 and 15017 serve remote clusters of a primary-remote mesh",
  source: {
    title: "Istio: Install Multi-Primary on different networks",
    url: "https://istio.io/latest/docs/setup/install/multicluster/multi-primary_multi-network/",
  },
  checkedIn: { program: "the east-west Service exposes 15443 only (components/kubernetes/mesh-plan.ts)", engine: "the simulated load balancers' listeners" },
};

export const uniqueUrns: Contract = {
  id: "pulumi.unique-urns",
  party: "Pulumi",
  subject: "Engine",
  rule: "a resource's URN (stack, project, parent types, type and logical name) is unique in the stack: a second registration of one fails the update with \"Duplicate resource URN\"; the Pulumi SDK's mock monitor does not check it",
  source: { title: "Pulumi: Resource names and identity", section: "URN", url: "https://www.pulumi.com/docs/iac/concepts/resources/names/" },
  checkedIn: { engine: "the offline engine refuses a second registration of a URN (offline/mock-engine.ts)" },
};

export const retainOnDelete: Contract = {
  id: "pulumi.retain-on-delete",
  party: "Pulumi",
  subject: "Resource options",
  rule: "a resource marked retainOnDelete is removed from the stack's state without the provider's Delete being called; on a component the option reaches every child custom resource (children inherit it from their parent), so a ConfigFile marked so leaves every object it applied in place when it is deleted",
  source: {
    title: "Pulumi: Resource option retainOnDelete",
    url: "https://www.pulumi.com/docs/iac/concepts/resources/options/retainondelete/",
  },
  checkedIn: {
    program:
      "the Gateway API bundle Fleetgate installs (a ConfigFile) is retained on delete, so that no change of fleetgate:gatewayApi.crds removes the CRDs and with them every Gateway API object (components/kubernetes/gateway-api-crds.ts)",
  },
};

export const pulumiAwaits: Contract = {
  id: "pulumi.kubernetes-await",
  party: "Pulumi",
  subject: "Kubernetes provider",
  rule: "a create waits up to 10 minutes (pulumi.com/timeoutSeconds) for what pulumi.com/waitFor names; a custom resource without it is ready at once; a Service with a selector waits until it selects a ready pod, and a LoadBalancer Service for its ingress address, unless pulumi.com/skipAwait is true; a Helm release (helm.v3.Release) waits for its resources to be ready",
  source: { ...PULUMI_KUBERNETES, section: "await timeouts; service.go (serviceInitAwaiter); metadata/overrides.go (pulumi.com/waitFor)" },
  checkedIn: {
    engine: "every Kubernetes create in the simulated pulumi up",
    program: "the teams' Services skip the await: a cluster that reaches a service through the mesh runs no pod of it (components/kubernetes/services-plan.ts)",
  },
};

/** The redirect codes a standard-channel HTTPRoute's RequestRedirect filter takes. */
export const GATEWAY_REDIRECT_CODES = [301, 302] as const;

export const gatewayRedirectCodes: Contract = {
  id: "kubernetes.gateway-redirect-codes",
  party: "Kubernetes",
  subject: "Gateway API HTTPRoute",
  rule: "a RequestRedirect filter's statusCode is 301 or 302 in the standard channel (the API server refuses others through the CRD's enum), so a gateway redirects with no other code",
  source: {
    title: "Gateway API: API specification",
    section: "HTTPRequestRedirectFilter (statusCode)",
    url: "https://gateway-api.sigs.k8s.io/reference/spec/#httprequestredirectfilter",
  },
  checkedIn: {
    validator:
      "a FrontendConfig's redirectToHttps.responseCodeName behind the AWS front door, whose gateways answer port 80 (spec/https-redirect.ts), and a path's fleetgate.redirect.statusCode there (spec/validate.ts)",
    program: "the redirect listener's routes answer with the host's code (components/kubernetes/gateway-plan.ts)",
  },
};

export const objectMeta: Contract = {
  id: "kubernetes.object-meta",
  party: "Kubernetes",
  subject: "Object names and labels",
  rule: "a Namespace's name is an RFC 1123 label and a Service's an RFC 1035 label (at most 63 lower-case letters, digits and '-', starting with a letter); other names are DNS subdomains (at most 253 characters of those and '.'); a label key is an optional DNS-subdomain prefix and '/' before a name of at most 63 letters, digits, '-', '_' and '.', and a label value is at most 63 such characters, starting and ending with a letter or digit, or empty",
  source: {
    title: "Kubernetes: Object Names and IDs; Labels and Selectors",
    section: "Names; Syntax and character set",
    url: "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/",
  },
  checkedIn: {
    engine: "every Kubernetes object registered: its name, namespace and labels",
    validator:
      "fleetgate:clusters[].network and the region of a cluster outside the clouds are label values (Istio's network and locality labels); a MultiClusterService's name starts with a letter (its schema: it names Services)",
  },
};

export const admissionWebhooks: Contract = {
  id: "kubernetes.admission-webhooks",
  party: "Kubernetes",
  subject: "MutatingWebhookConfiguration",
  rule: "each webhook of a configuration has a unique, fully qualified name (a DNS subdomain of at least three segments, e.g. imagepolicy.kubernetes.io); in admissionregistration.k8s.io/v1 its sideEffects is None or NoneOnDryRun, its admissionReviewVersions name a version the API server speaks (v1 or v1beta1), its timeoutSeconds is between 1 and 30, and its clientConfig gives exactly one of url and service",
  source: {
    title: "Kubernetes API reference: MutatingWebhookConfiguration v1",
    section: "MutatingWebhook: name, sideEffects, admissionReviewVersions, timeoutSeconds, clientConfig",
    url: "https://kubernetes.io/docs/reference/kubernetes-api/extend-resources/mutating-webhook-configuration-v1/",
  },
  checkedIn: { engine: "every MutatingWebhookConfiguration registered (Istio's revision tag, components/kubernetes/mesh-plan.ts revisionTag)" },
};

/** What the API server refuses in a MutatingWebhookConfiguration's webhooks [kubernetes.admission-webhooks]. */
export function admissionWebhookProblems(webhooks: readonly Readonly<Record<string, unknown>>[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  webhooks.forEach((webhook, i) => {
    const name = String(webhook.name ?? "");
    const at = `webhooks[${i}] (${name || "unnamed"})`;
    if (!DNS_SUBDOMAIN.test(name) || name.split(".").length < 3) problems.push(`${at}: the name is not a fully qualified name of at least three segments`);
    if (seen.has(name)) problems.push(`${at}: the name is used by an earlier webhook of the configuration`);
    seen.add(name);
    if (!["None", "NoneOnDryRun"].includes(String(webhook.sideEffects)))
      problems.push(`${at}: sideEffects is ${String(webhook.sideEffects)}, not None or NoneOnDryRun`);
    const versions = Array.isArray(webhook.admissionReviewVersions) ? webhook.admissionReviewVersions.map(String) : [];
    if (!versions.some((v) => v === "v1" || v === "v1beta1"))
      problems.push(`${at}: admissionReviewVersions names no version the API server speaks (v1 or v1beta1)`);
    const timeout = webhook.timeoutSeconds;
    if (timeout !== undefined && !(Number.isInteger(timeout) && Number(timeout) >= 1 && Number(timeout) <= 30))
      problems.push(`${at}: timeoutSeconds is ${String(timeout)}, not between 1 and 30`);
    const client = asRecord(webhook.clientConfig);
    if ((client.url === undefined) === (client.service === undefined)) problems.push(`${at}: clientConfig must give exactly one of url and service`);
  });
  return problems;
}

// --- Checks on registrations -----------------------------------------------------------------------

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const RFC1035_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Whether a string is a Kubernetes label value (the empty value included). */
export function isLabelValue(value: string): boolean {
  return value === "" || LABEL_NAME.test(value);
}

function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf("/");
  const [prefix, name] = slash === -1 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  return LABEL_NAME.test(name) && (prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix)));
}

/** What the API server refuses in an object's metadata, as phrases. */
export function objectMetaProblems(type: string, metadata: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  const name = metadata.name;
  const kind = type.split(":").pop();
  const [rule, what] =
    kind === "Namespace"
      ? [RFC1123_LABEL, "an RFC 1123 label"]
      : kind === "Service"
        ? [RFC1035_LABEL, "an RFC 1035 label"]
        : [DNS_SUBDOMAIN, "a DNS subdomain"];
  if (typeof name === "string" && (name.length > 253 || !rule.test(name))) problems.push(`metadata.name "${name}" is not ${what}`);
  const namespace = metadata.namespace;
  if (typeof namespace === "string" && !RFC1123_LABEL.test(namespace)) problems.push(`metadata.namespace "${namespace}" is not an RFC 1123 label`);
  for (const [key, value] of Object.entries(asRecord(metadata.labels))) {
    if (!isLabelKey(key)) problems.push(`label key "${key}" is not a label key`);
    if (typeof value === "string" && !isLabelValue(value)) problems.push(`label ${key}: "${value}" is not a label value`);
  }
  return problems;
}

const LBC = "service.beta.kubernetes.io/aws-load-balancer-";
const ANNOTATION_VALUES: Readonly<Record<string, readonly string[]>> = {
  [`${LBC}type`]: ["external", "nlb-ip"],
  [`${LBC}scheme`]: ["internal", "internet-facing"],
  [`${LBC}nlb-target-type`]: ["ip", "instance"],
  [`${LBC}proxy-protocol`]: ["*"],
  [`${LBC}ip-address-type`]: ["ipv4", "dualstack"],
  [`${LBC}healthcheck-protocol`]: ["tcp", "http", "https", "TCP", "HTTP", "HTTPS"],
};

/** The load balancer controller's annotations a Service (or a Gateway's infrastructure) carries, checked. */
export function loadBalancerAnnotationProblems(annotations: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const [key, allowed] of Object.entries(ANNOTATION_VALUES)) {
    const value = annotations[key];
    if (value !== undefined && !allowed.includes(String(value))) problems.push(`${key} is "${String(value)}", not one of ${allowed.join(", ")}`);
  }
  const port = annotations[`${LBC}healthcheck-port`];
  if (port !== undefined && port !== "traffic-port" && !/^[0-9]+$/.test(String(port)))
    problems.push(`${LBC}healthcheck-port is "${String(port)}", not traffic-port or a port number`);
  if (annotations[`${LBC}type`] === "external" && annotations[`${LBC}nlb-target-type`] === undefined)
    problems.push(`${LBC}type is external without ${LBC}nlb-target-type`);
  return problems;
}

export const registrationChecks: readonly RegistrationCheck[] = [
  {
    contract: objectMeta,
    // Every Kubernetes object; a Helm release and the provider carry no metadata of their own.
    types: ["kubernetes:*"],
    check: (inputs, _name, context) => (inputs.metadata === undefined ? [] : objectMetaProblems(context?.type ?? "", asRecord(inputs.metadata))),
  },
  {
    contract: admissionWebhooks,
    types: ["kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration"],
    check: (inputs) => admissionWebhookProblems(Array.isArray(inputs.webhooks) ? inputs.webhooks.map(asRecord) : []),
  },
  {
    contract: lbcAnnotations,
    types: ["kubernetes:core/v1:Service"],
    check: (inputs) => loadBalancerAnnotationProblems(asRecord(asRecord(inputs.metadata).annotations)),
  },
];

/** How a gateway orders HTTPRoute rules: what `npm run route` and the route tests assume of the Gateway API. */
export const routePrecedence: Contract = {
  id: "kubernetes.httproute-precedence",
  party: "Kubernetes",
  subject: "Gateway API HTTPRoute",
  rule: "among the rules attached to a listener for the request's most specific host name, an Exact path wins over a PathPrefix, a longer prefix over a shorter, a method match over none, more header matches over fewer, more query matches over fewer, then the older route, then namespace/name, then rule order; PathPrefix matches whole path elements",
  source: {
    title: "Gateway API: HTTPRoute (gateway.networking.k8s.io/v1)",
    section: "HTTPRouteRule.matches: precedence of matches",
    url: "https://gateway-api.sigs.k8s.io/reference/spec/#httproutematch",
  },
  checkedIn: {
    program:
      "the route evaluator orders a gateway's rules this way (review/route-model/precedence.ts), and the route tests and `npm run route` rely on it; the gateways' verification twins (components/kubernetes/landing-routes.ts) win over their originals by their one header match more, and only for requests carrying the token",
  },
};

export const contracts: readonly Contract[] = [
  crdRequired,
  routePrecedence,
  namespaceRequired,
  objectMeta,
  admissionWebhooks,
  gatewayApiCrds,
  gatewayRedirectCodes,
  mcsCrds,
  istioProgrammed,
  istioParametersRef,
  proxyProtocol,
  eastWestPorts,
  pulumiAwaits,
  retainOnDelete,
  uniqueUrns,
];
