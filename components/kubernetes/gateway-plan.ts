/**
 * A cluster's gateway as pure data: the Gateway API Gateway (class `istio`) with a listener per host,
 * the infrastructure annotations the front door relies on, the sizing Istio applies to the deployment it
 * generates, and the HTTPRoutes and ReferenceGrants of the cluster's hosts.
 *
 * Besides the host listeners, the plan may give a gateway two listeners of the front door's contract:
 * - a dispatch listener (GKE behind the GCP front door, components/dispatch.ts): its NEGs expose it, and
 *   per served backend one rule forwards a request tagged with that backend to the local Service as it
 *   arrives, and one answers the front door's health check of that backend on a reserved path (with a
 *   guard that keeps proxied requests off it); the host listeners serve in-mesh and direct traffic;
 * - a redirect listener (EKS behind the AWS front door): the NLB terminates TLS and sends to the host
 *   listeners on 443; plain HTTP arrives on 80, where each host's only route redirects to HTTPS.
 *
 * Istio deploys a Gateway itself (a Deployment and Service named `<gateway>-<class>`). Fleetgate shapes
 * them through the Gateway: `spec.infrastructure.annotations` are copied onto the generated Service (the
 * GKE NEG annotation; Gateway API allows 8), and `spec.infrastructure.parametersRef` names a ConfigMap
 * whose `deployment`, `horizontalPodAutoscaler` and `podDisruptionBudget` keys Istio merges (strategic
 * merge patch) into what it renders; Istio creates the autoscaler and the disruption budget only when
 * those keys are present [istio.parameters-ref].
 *
 * On EKS the gateway's NLB comes from a LoadBalancer Service of Fleetgate's own (nlbService): the AWS Load
 * Balancer Controller makes a listener of every Service port [eks.load-balancer-annotations], and the
 * Service Istio generates always carries Istio's status port, which must not face the internet. Istio's
 * Service stays ClusterIP.
 */
import { Gateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway";
import { HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import { ReferenceGrant } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1/ReferenceGrant";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Service } from "kubernetes-models/v1/Service";
import { shortHash } from "../../spec/names";
import type { ClusterPlan, FleetPlan, GatewayPlan, HostPlan } from "../../spec/plan";
import { DISPATCH_HEADER, type DispatchedBackend, dispatchedBackends } from "../dispatch";
import { gatewayOptionsName, hostRef, MANAGED_BY, referenceGrantName, REVISION_LABEL, REVISION_TAG, serviceRef, splitServiceKey } from "./names";
import { chunkRules, type ClusterRouteContext, gatewayRule, type HttpRouteRule, MAX_RULES_PER_ROUTE, type PlacedRule, redirectStatus } from "./routes";

/** Gateway API allows at most this many listeners on a Gateway. */
export const MAX_LISTENERS = 64;
const GATEWAY_GROUP = "gateway.networking.k8s.io";

/** The name of the Deployment and Service Istio generates for a Gateway. */
export function generatedName(gateway: Pick<GatewayPlan, "name" | "className">): string {
  return `${gateway.name}-${gateway.className}`;
}

/**
 * The longest listener name kept whole. Istio names the Service port of a gateway's port after the first
 * listener on it, dots as dashes, cut at 63 characters: a longer name could be cut to one that ends in
 * a dash, which no Service accepts.
 */
const MAX_LISTENER_NAME = 63;

/**
 * The listener of a host (listener names allow dots; a wildcard's `*` becomes `wildcard`). A name that
 * would be too long is cut and ends in a hash of the host, so it stays unique and a valid port name.
 */
export function listenerName(host: string): string {
  const name = `http-${hostRef(host)}`;
  if (name.length <= MAX_LISTENER_NAME) return name;
  return `${name.slice(0, MAX_LISTENER_NAME - 9).replace(/[.-]+$/, "")}-${shortHash(host)}`;
}

/** The dispatch listener's name (no host listener's: theirs start with `http-`, or are `http`). */
export const DISPATCH_LISTENER = "dispatch";
/** The HTTP-to-HTTPS redirect listener's name. */
export const REDIRECT_LISTENER = "redirect";

/** The listeners of the contract with the front door, beside the host listeners. */
function contractListeners(gateway: GatewayPlan): { name: string; port: number }[] {
  return [
    ...(gateway.dispatchPort !== undefined ? [{ name: DISPATCH_LISTENER, port: gateway.dispatchPort }] : []),
    ...(gateway.redirectPort !== undefined ? [{ name: REDIRECT_LISTENER, port: gateway.redirectPort }] : []),
  ];
}

/**
 * The listener without a host name that takes requests for hosts the gateway has no listener for, when
 * the gateway serves the environment's catch-all (`GatewayPlan.catchAll`). Gateway API gives a request
 * to the listener whose host name matches it most specifically, so the hosts' own listeners keep theirs.
 */
export const CATCH_ALL_LISTENER = "catch-all";

/** Whether the gateway has too many hosts for a listener each (beside its contract and catch-all listeners). */
function oneHostListener(gateway: GatewayPlan): boolean {
  return gateway.hosts.length > MAX_LISTENERS - contractListeners(gateway).length - (gateway.catchAll ? 1 : 0);
}

/** The listener a host's routes attach to: its own, or the single one for every host of a very large gateway. */
export function listenerFor(gateway: GatewayPlan, host: string): string {
  return oneHostListener(gateway) ? "http" : listenerName(host);
}

/** The listener the catch-all's route attaches to: its own, or the single one for every host (which has no host name either). */
export function catchAllListener(gateway: GatewayPlan): string {
  return oneHostListener(gateway) ? "http" : CATCH_ALL_LISTENER;
}

/**
 * The Gateway's listeners: one HTTP listener per host on the gateway port, which only accepts routes from
 * the gateway's own namespace (Fleetgate is the only writer of routes on it). A gateway with more hosts
 * than Gateway API allows listeners gets one listener for every host instead; its routes still name their
 * hosts, so nothing else changes. Then the dispatch and redirect listeners the plan asks for, for every
 * host name: their routes select what they serve by tag, or redirect the cluster's hosts.
 */
export interface Listener {
  readonly name: string;
  readonly hostname?: string;
  readonly port: number;
  readonly protocol: "HTTP";
  readonly allowedRoutes: { readonly namespaces: { readonly from: "Same" }; readonly kinds: readonly { readonly group: string; readonly kind: string }[] };
}

export function listeners(gateway: GatewayPlan): Listener[] {
  const allowedRoutes = { namespaces: { from: "Same" as const }, kinds: [{ group: GATEWAY_GROUP, kind: "HTTPRoute" }] };
  const hosts: Listener[] = oneHostListener(gateway)
    ? [{ name: "http", port: gateway.port, protocol: "HTTP", allowedRoutes }]
    : gateway.hosts.map((host) => ({ name: listenerName(host), hostname: host, port: gateway.port, protocol: "HTTP", allowedRoutes }));
  if (gateway.catchAll && !oneHostListener(gateway)) hosts.push({ name: CATCH_ALL_LISTENER, port: gateway.port, protocol: "HTTP", allowedRoutes });
  const ports = new Set(hosts.map((l) => l.port));
  for (const l of contractListeners(gateway)) {
    if (ports.has(l.port))
      throw new Error(
        `gateway ${gateway.namespace}/${gateway.name}: the ${l.name} listener's port ${l.port} is already a listener's port; the plan must give it its own`,
      );
    ports.add(l.port);
  }
  return [...hosts, ...contractListeners(gateway).map((l) => ({ ...l, protocol: "HTTP" as const, allowedRoutes }))];
}

/** TLS at an EKS gateway's NLB: the region's validated ACM certificates and the environment's minimum. */
export interface GatewayTls {
  /**
   * ACM certificate ARNs of the cluster's region; the first is the NLB's default, which clients without a
   * known server name get (requests by IP address, and for hosts no rule names), the others go by SNI
   * [aws.nlb-default-certificate].
   */
  readonly certificateArns: readonly string[];
  readonly minTlsVersion: "1.2" | "1.3";
}

const LBC = "service.beta.kubernetes.io/aws-load-balancer-";
/** The AWS Load Balancer Controller's annotation naming the NLB's certificates (a comma-separated list). */
export const SSL_CERT_ANNOTATION = `${LBC}ssl-cert`;

/** The NLB security policy for a minimum TLS version: TLS 1.3 and 1.2, or TLS 1.3 only. */
export const NLB_TLS_POLICIES = { "1.2": "ELBSecurityPolicy-TLS13-1-2-2021-06", "1.3": "ELBSecurityPolicy-TLS13-1-3-2021-06" } as const;

/** Istio's gateway status port and readiness path: what the NLB's health check asks. */
export const ISTIO_STATUS = { port: 15021, path: "/healthz/ready" } as const;

/** The label Istio puts on a Gateway's pods: what the NLB Service selects. */
const GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

/**
 * Annotations for the Service Istio generates, carried by the Gateway's `spec.infrastructure` (at most 8):
 * on GKE, a standalone zonal NEG per zone, named as the plan says, on the dispatch port (or, where no
 * front door dispatches, the host-routing port); the GCP front door attaches these NEGs by name, so no
 * lookup is needed [gke.neg-controller].
 */
export function infrastructureAnnotations(cluster: ClusterPlan, gateway: GatewayPlan): Record<string, string> {
  if (cluster.provider !== "gke") return {};
  if (!gateway.negName) throw new Error(`cluster ${cluster.name} is on GKE but its gateway plan has no NEG name`);
  return { "cloud.google.com/neg": JSON.stringify({ exposed_ports: { [String(gateway.dispatchPort ?? gateway.port)]: { name: gateway.negName } } }) };
}

/**
 * The LoadBalancer Service an EKS gateway's NLB is made from: an internet-facing NLB with IP targets (the
 * gateway's pods), listening on exactly the plan's ports, its targets checked on Istio's readiness
 * endpoint. Behind the AWS front door the NLB terminates TLS on the TLS port with the region's
 * certificates and the environment's policy, and sends the decrypted stream on as TCP; in latency-dns
 * mode it also speaks proxy protocol to the pods (the client's address) and may be dual-stack.
 */
export function nlbService(cluster: ClusterPlan, gateway: GatewayPlan, tls?: GatewayTls): Service {
  const nlb = gateway.nlb;
  if (!nlb) throw new Error(`cluster ${cluster.name}: its gateway plan has no NLB`);
  if (nlb.tlsPort !== undefined && (!tls || tls.certificateArns.length === 0))
    throw new Error(
      `cluster ${cluster.name}: its gateway's NLB terminates TLS on port ${nlb.tlsPort}, but no validated ACM certificate of ${cluster.region} was given; create the region's certificates (AwsCertificates) first and pass their ARNs`,
    );
  const annotations: Record<string, string> = {
    [`${LBC}type`]: "external",
    [`${LBC}scheme`]: "internet-facing",
    [`${LBC}nlb-target-type`]: "ip",
    [`${LBC}healthcheck-protocol`]: "http",
    [`${LBC}healthcheck-port`]: String(ISTIO_STATUS.port),
    [`${LBC}healthcheck-path`]: ISTIO_STATUS.path,
    ...(nlb.tlsPort !== undefined && tls
      ? {
          [SSL_CERT_ANNOTATION]: tls.certificateArns.join(","),
          [`${LBC}ssl-ports`]: String(nlb.tlsPort),
          [`${LBC}ssl-negotiation-policy`]: NLB_TLS_POLICIES[tls.minTlsVersion],
        }
      : {}),
    ...(nlb.proxyProtocol ? { [`${LBC}proxy-protocol`]: "*" } : {}),
    ...(nlb.dualStack ? { [`${LBC}ip-address-type`]: "dualstack" } : {}),
  };
  return new Service({
    metadata: { name: nlb.serviceName, namespace: gateway.namespace, labels: { ...MANAGED_BY }, annotations },
    spec: {
      type: "LoadBalancer",
      // The controller's own class: no other load balancer controller acts on the Service.
      loadBalancerClass: "service.k8s.aws/nlb",
      selector: { [GATEWAY_NAME_LABEL]: gateway.name },
      ports: nlb.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: "TCP" })),
    },
  });
}

/**
 * Labels on the Gateway itself. Where Fleetgate installs Istio, `istio.io/rev` names the revision tag:
 * the control plane the tag points at deploys the gateway, and moving the tag rolls the gateway to the
 * new revision without touching the Gateway [istio.gateway-revision-rollout]. Where Istio is the
 * admin's, the gateway is left to their default revision.
 */
export function gatewayLabels(cluster: ClusterPlan): Record<string, string> {
  return { ...MANAGED_BY, ...(cluster.istio.install && cluster.istio.serving ? { [REVISION_LABEL]: REVISION_TAG } : {}) };
}

/** Annotations on the Gateway itself (read by Istio and by Pulumi, not copied to what Istio generates). */
export function gatewayAnnotations(cluster: ClusterPlan): Record<string, string> {
  return {
    // Pulumi waits until Istio reports the gateway programmed (deployed and addressed), so that what depends
    // on it (the front door's backends, NEGs, the NLB lookup) finds it in place.
    "pulumi.com/waitFor": "condition=Programmed",
    // Behind a GCP front door the NEGs are the only way in (no extra load balancer beside Cloud Armor); on
    // EKS the NLB comes from a Service of Fleetgate's own, without Istio's status port.
    ...(cluster.provider === "gke" || cluster.provider === "eks" ? { "networking.istio.io/service-type": "ClusterIP" } : {}),
  };
}

/** The ConfigMap reference Istio reads sizing from. Not in the Gateway API v1.1 schema of the models. */
export interface ParametersRef {
  readonly group: "";
  readonly kind: "ConfigMap";
  readonly name: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Checks `spec.infrastructure.parametersRef` (Gateway API v1.2+), which @kubernetes-models/gateway-api
 * 0.5 predates: group, kind and name are required; Istio accepts a ConfigMap in the Gateway's namespace.
 */
export function checkParametersRef(value: unknown): void {
  const ref = value as Record<string, unknown>;
  const problems: string[] = [];
  if (ref.group !== "") problems.push(`group must be "" (core), not ${JSON.stringify(ref.group)}`);
  if (ref.kind !== "ConfigMap") problems.push(`kind must be ConfigMap, not ${JSON.stringify(ref.kind)}`);
  if (typeof ref.name !== "string" || ref.name.length > 253 || !DNS_SUBDOMAIN.test(ref.name))
    problems.push(`name ${JSON.stringify(ref.name)} must be a ConfigMap name`);
  for (const key of Object.keys(ref)) if (!["group", "kind", "name"].includes(key)) problems.push(`unknown field ${key}`);
  if (problems.length) throw new Error(`invalid infrastructure.parametersRef: ${problems.join("; ")}`);
}

/** The gateway's namespace, owned by Fleetgate. */
export function gatewayNamespace(gateway: GatewayPlan): Namespace {
  return new Namespace({ metadata: { name: gateway.namespace, labels: { ...MANAGED_BY } } });
}

/** The Gateway object; `toJSON()` adds the parametersRef the model's schema does not know. */
export function gatewayObject(
  cluster: ClusterPlan,
  gateway: GatewayPlan,
): { model: Gateway; parametersRef: ParametersRef; toJSON(): unknown; validate(): void } {
  const model = new Gateway({
    metadata: { name: gateway.name, namespace: gateway.namespace, labels: gatewayLabels(cluster), annotations: gatewayAnnotations(cluster) },
    spec: {
      gatewayClassName: gateway.className,
      infrastructure: { annotations: infrastructureAnnotations(cluster, gateway) },
      listeners: listeners(gateway).map((l) => ({ ...l, allowedRoutes: { ...l.allowedRoutes, kinds: [...l.allowedRoutes.kinds] } })),
    },
  });
  const parametersRef: ParametersRef = { group: "", kind: "ConfigMap", name: gatewayOptionsName(gateway.name) };
  return {
    model,
    parametersRef,
    toJSON() {
      const json = model.toJSON() as { spec: { infrastructure?: Record<string, unknown> } };
      return { ...json, spec: { ...json.spec, infrastructure: { ...json.spec.infrastructure, parametersRef } } };
    },
    validate() {
      model.validate();
      checkParametersRef(parametersRef);
    },
  };
}

/**
 * What Istio renders for the gateway's deployment, autoscaler and disruption budget once Fleetgate's
 * overlays are merged in. The ConfigMap carries only the overlay parts; these full objects exist so that
 * tests validate the result against the Kubernetes schemas.
 */
export function gatewaySizing(gateway: GatewayPlan): {
  deployment: Deployment;
  horizontalPodAutoscaler?: HorizontalPodAutoscaler;
  podDisruptionBudget: PodDisruptionBudget;
} {
  const name = generatedName(gateway);
  const selector = { matchLabels: { "gateway.networking.k8s.io/gateway-name": gateway.name } };
  const resources = { requests: { ...gateway.resources.requests }, limits: { ...gateway.resources.limits } };
  const deployment = new Deployment({
    metadata: { name, namespace: gateway.namespace },
    spec: {
      // With an autoscaler the autoscaler owns the replica count; setting it here would fight it.
      ...(gateway.autoscaling.enabled ? {} : { replicas: gateway.replicas }),
      selector,
      template: { metadata: { labels: { ...selector.matchLabels } }, spec: { containers: [{ name: "istio-proxy", resources }] } },
    },
  });
  const horizontalPodAutoscaler = gateway.autoscaling.enabled
    ? new HorizontalPodAutoscaler({
        metadata: { name, namespace: gateway.namespace },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
          minReplicas: gateway.autoscaling.minReplicas,
          maxReplicas: gateway.autoscaling.maxReplicas,
          metrics: [
            {
              type: "Resource",
              resource: { name: "cpu", target: { type: "Utilization", averageUtilization: gateway.autoscaling.targetCPUUtilizationPercentage } },
            },
          ],
        },
      })
    : undefined;
  const podDisruptionBudget = new PodDisruptionBudget({
    metadata: { name, namespace: gateway.namespace },
    spec: { selector, minAvailable: gateway.podDisruptionBudget.minAvailable },
  });
  return { deployment, ...(horizontalPodAutoscaler ? { horizontalPodAutoscaler } : {}), podDisruptionBudget };
}

/** The pod annotation Istio reads a gateway's proxy settings from when it injects the proxy. */
export const PROXY_CONFIG_ANNOTATION = "proxy.istio.io/config";

/**
 * Istio's switch that lets the gateway's status port read a PROXY header, which an NLB with proxy
 * protocol sends on its health checks too [aws.proxy-protocol-health-checks]; the port then still accepts
 * connections without one (the kubelet's probes) [istio.proxy-protocol].
 */
export const STATUS_PORT_PROXY_PROTOCOL = "ENVOY_STATUS_PORT_ENABLE_PROXY_PROTOCOL";

/** The gateway's network topology as Istio reads it from the pod's proxy config, if the front door needs one. */
function gatewayTopology(forwarded: GatewayPlan["forwarded"]): Record<string, unknown> | undefined {
  const topology = {
    ...(forwarded.trustedProxies > 0 ? { numTrustedProxies: forwarded.trustedProxies } : {}),
    // Every listener of the gateway then requires the header: only the NLB reaches these pods.
    ...(forwarded.proxyProtocol ? { proxyProtocol: {} } : {}),
  };
  return Object.keys(topology).length > 0 ? topology : undefined;
}

/**
 * The ConfigMap Istio merges into the gateway it deploys: the parts of `gatewaySizing` Fleetgate sets,
 * and the proxy settings its front door needs.
 */
export function gatewayOptions(gateway: GatewayPlan): ConfigMap {
  const sizing = gatewaySizing(gateway);
  const deployment = sizing.deployment.spec!;
  const topology = gatewayTopology(gateway.forwarded);
  const proxyConfig = topology ? { metadata: { annotations: { [PROXY_CONFIG_ANNOTATION]: JSON.stringify({ gatewayTopology: topology }) } } } : {};
  const containers = deployment.template.spec!.containers.map((c) =>
    gateway.forwarded.proxyProtocol ? { ...c, env: [{ name: STATUS_PORT_PROXY_PROTOCOL, value: "true" }] } : c,
  );
  const data: Record<string, string> = {
    deployment: JSON.stringify({
      spec: { ...(deployment.replicas !== undefined ? { replicas: deployment.replicas } : {}), template: { ...proxyConfig, spec: { containers } } },
    }),
    podDisruptionBudget: JSON.stringify({ spec: { minAvailable: sizing.podDisruptionBudget.spec!.minAvailable } }),
  };
  if (sizing.horizontalPodAutoscaler) {
    const { minReplicas, maxReplicas, metrics } = sizing.horizontalPodAutoscaler.spec!;
    data.horizontalPodAutoscaler = JSON.stringify({ spec: { minReplicas, maxReplicas, metrics } });
  }
  return new ConfigMap({ metadata: { name: gatewayOptionsName(gateway.name), namespace: gateway.namespace, labels: { ...MANAGED_BY } }, data });
}

/** Warnings about a gateway's sizing that would hurt in operation. */
export function sizingNotes(cluster: string, gateway: GatewayPlan): string[] {
  const floor = gateway.autoscaling.enabled ? gateway.autoscaling.minReplicas : gateway.replicas;
  return gateway.podDisruptionBudget.minAvailable >= floor
    ? [
        `${cluster}: the gateway's PodDisruptionBudget keeps ${gateway.podDisruptionBudget.minAvailable} of at least ${floor} replicas available, so node drains cannot evict any gateway pod until it scales up`,
      ]
    : [];
}

/** An HTTPRoute of the cluster's gateway, with the name it is created under. */
export interface NamedRoute {
  /** The host it serves; empty for a dispatch or catch-all route, which serves every host name. */
  readonly host: string;
  readonly name: string;
  readonly model: HTTPRoute;
}

/** The HTTPRoutes of one host in one cluster (more than one only when the host has over 16 rules). */
export function hostRoutes(gateway: GatewayPlan, host: HostPlan, placed: readonly PlacedRule[], context: ClusterRouteContext): NamedRoute[] {
  return chunkRules(placed).map((rules, i) => {
    const name = i === 0 ? hostRef(host.name) : `${hostRef(host.name)}-${i + 1}`;
    return {
      host: host.name,
      name,
      model: new HTTPRoute({
        metadata: { name, namespace: gateway.namespace, labels: { ...MANAGED_BY } },
        spec: {
          parentRefs: [
            { group: GATEWAY_GROUP, kind: "Gateway", name: gateway.name, namespace: gateway.namespace, sectionName: listenerFor(gateway, host.name) },
          ],
          hostnames: [host.name],
          rules: rules.map((r) => gatewayRule(r, context)),
        },
      }),
    };
  });
}

/**
 * The name of a route of the gateway's contract listeners: `<base>.<kind>`. Host routes are named after
 * their hosts, whose last label is a top-level domain, so a contract route's kind in that place keeps
 * their names apart; a base too long for an object name is cut and given a hash.
 */
function contractRouteName(base: string, kind: "dispatch" | "redirect"): string {
  const max = 253 - kind.length - 1;
  const bounded = base.length <= max ? base : `${base.slice(0, max - 9).replace(/[.-]+$/, "")}-${shortHash(base)}`;
  return `${bounded}.${kind}`;
}

/** The dispatch rule of a backend: exactly its tag, on every path, to the local Service as it arrives. */
export function dispatchRule(service: string, port: number, tag: string): HttpRouteRule {
  const [namespace, name] = splitServiceKey(service);
  return {
    matches: [{ path: { type: "PathPrefix", value: "/" }, headers: [{ type: "Exact", name: DISPATCH_HEADER, value: tag }] }],
    backendRefs: [{ group: "", kind: "Service", name, namespace, port }],
  } as HttpRouteRule;
}

/**
 * The health rule of a backend: its reserved health path exactly, to the same local Service port (or
 * the Service's health port for it, when the check goes to another pod port or protocol) with the path
 * replaced by the service's health path. The Host header is kept (it is the plan's), and so is
 * the query (the probe carries the service's own).
 */
export function healthRule(backend: DispatchedBackend): HttpRouteRule {
  const [namespace, name] = splitServiceKey(backend.service);
  return {
    matches: [{ path: { type: "Exact", value: backend.health.path } }],
    filters: [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplaceFullPath", replaceFullPath: backend.health.servicePath } } }],
    backendRefs: [{ group: "", kind: "Service", name, namespace, port: backend.health.servicePort }],
  } as HttpRouteRule;
}

/**
 * The guard of a backend's health path: the same exact path with the dispatch header present (any
 * value), forwarding nothing (Gateway API answers a rule without backends with an error status). What the
 * front door proxies always carries a tag and a health probe never does; with one header condition more
 * than the health rule on the same path, Istio tries the guard first.
 */
export function healthGuardRule(backend: DispatchedBackend): HttpRouteRule {
  return {
    matches: [{ path: { type: "Exact", value: backend.health.path }, headers: [{ type: "RegularExpression", name: DISPATCH_HEADER, value: ".*" }] }],
  } as HttpRouteRule;
}

/**
 * The rules of one backend on the dispatch listener: its dispatch rule, its health rule's guard and its
 * health rule (written in that order too, so the guard would win even a tie).
 */
export function dispatchedBackendRules(backend: DispatchedBackend): HttpRouteRule[] {
  return [dispatchRule(backend.service, backend.port, backend.tag), healthGuardRule(backend), healthRule(backend)];
}

/** How many backends' rules one dispatch HTTPRoute holds: a backend's rules stay together. */
const BACKENDS_PER_DISPATCH_ROUTE = Math.floor(MAX_RULES_PER_ROUTE / 3);

/**
 * The routes of the dispatch listener: per Service the cluster serves to the front door, one HTTPRoute
 * with the rules of each routed port (more HTTPRoutes past Gateway API's rules per route). Istio tries the
 * exact health paths (guard, then health rule) before the tag rules, which all tie: no two rules of one
 * tier match the same request, and a tagged request for a health path is the guard's, so their order
 * decides nothing. Attached to the dispatch listener only, they never compete with the host routes.
 */
export function dispatchRoutes(plan: FleetPlan, cluster: ClusterPlan, gateway: GatewayPlan): NamedRoute[] {
  if (gateway.dispatchPort === undefined) return [];
  const byService = new Map<string, DispatchedBackend[]>();
  for (const b of dispatchedBackends(plan, cluster.name)) byService.set(b.service, [...(byService.get(b.service) ?? []), b]);
  return [...byService].flatMap(([service, backends]) => {
    const chunks: (typeof backends)[] = [];
    for (let i = 0; i < backends.length; i += BACKENDS_PER_DISPATCH_ROUTE) chunks.push(backends.slice(i, i + BACKENDS_PER_DISPATCH_ROUTE));
    return chunks.map((chunk, i) => {
      const name = contractRouteName(i === 0 ? serviceRef(service) : `${serviceRef(service)}-${i + 1}`, "dispatch");
      return {
        host: "",
        name,
        model: new HTTPRoute({
          metadata: { name, namespace: gateway.namespace, labels: { ...MANAGED_BY } },
          spec: {
            parentRefs: [{ group: GATEWAY_GROUP, kind: "Gateway", name: gateway.name, namespace: gateway.namespace, sectionName: DISPATCH_LISTENER }],
            rules: chunk.flatMap(dispatchedBackendRules),
          },
        }),
      };
    });
  });
}

/**
 * The routes of the redirect listener: per host of the gateway, one rule that answers every request with
 * a redirect to the same URL over HTTPS (Gateway API then implies port 443), with the host's code (its
 * FrontendConfig's, else 301). Gateway API redirects with 301 or 302 only [kubernetes.gateway-redirect-codes]:
 * the validator refuses other codes behind AWS, and any that reached here would take the nearest.
 */
export function redirectRoutes(gateway: GatewayPlan, hosts: readonly Pick<HostPlan, "name" | "httpsRedirectStatus">[] = []): NamedRoute[] {
  if (gateway.redirectPort === undefined) return [];
  const statusOf = new Map(hosts.map((h) => [h.name, redirectStatus(h.httpsRedirectStatus ?? 301)]));
  return gateway.hosts.map((host) => {
    const name = contractRouteName(hostRef(host), "redirect");
    return {
      host,
      name,
      model: new HTTPRoute({
        metadata: { name, namespace: gateway.namespace, labels: { ...MANAGED_BY } },
        spec: {
          parentRefs: [{ group: GATEWAY_GROUP, kind: "Gateway", name: gateway.name, namespace: gateway.namespace, sectionName: REDIRECT_LISTENER }],
          hostnames: [host],
          rules: [
            {
              matches: [{ path: { type: "PathPrefix", value: "/" } }],
              filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: statusOf.get(host) ?? 301 } }],
            },
          ],
        },
      }),
    };
  });
}

/** The name of the catch-all's route on the host-routing port, and of its redirect on the redirect port. */
export const CATCH_ALL_ROUTE = "catch-all";

/**
 * The routes of the environment's catch-all on a gateway that serves it: on the host-routing port, every
 * request for a host without a listener goes to the catch-all's service (through the mesh where it does
 * not run here), as the route of a host's default backend would; on the redirect port (EKS), such
 * requests are redirected to HTTPS as every host's are. No host names: Istio gives them the virtual
 * host `*`, which Envoy picks only for names no other virtual host matches.
 */
export function catchAllRoutes(plan: FleetPlan, gateway: GatewayPlan, context: ClusterRouteContext): NamedRoute[] {
  if (!gateway.catchAll || !plan.catchAll) return [];
  const parentRef = (sectionName: string) => ({ group: GATEWAY_GROUP, kind: "Gateway", name: gateway.name, namespace: gateway.namespace, sectionName });
  const metadata = (name: string) => ({ name, namespace: gateway.namespace, labels: { ...MANAGED_BY } });
  const every = { path: { type: "Prefix" as const, value: "/" }, headers: [], queryParams: [] };
  const rule = gatewayRule(
    {
      intent: {
        key: "(catch-all)",
        match: every,
        action: { kind: "forward", backends: [{ service: plan.catchAll.service, port: plan.catchAll.port, weight: 100 }] },
      },
      path: { type: "PathPrefix", value: "/" },
    },
    context,
  );
  const routes: NamedRoute[] = [
    {
      host: "",
      name: CATCH_ALL_ROUTE,
      model: new HTTPRoute({ metadata: metadata(CATCH_ALL_ROUTE), spec: { parentRefs: [parentRef(catchAllListener(gateway))], rules: [rule] } }),
    },
  ];
  if (gateway.redirectPort !== undefined) {
    const name = contractRouteName(CATCH_ALL_ROUTE, "redirect");
    routes.push({
      host: "",
      name,
      model: new HTTPRoute({
        metadata: metadata(name),
        spec: {
          parentRefs: [parentRef(REDIRECT_LISTENER)],
          rules: [
            {
              matches: [{ path: { type: "PathPrefix", value: "/" } }],
              filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }],
            },
          ],
        },
      }),
    });
  }
  return routes;
}

/** Fails when two of a cluster's routes would share a name (one object would overwrite the other). */
export function assertUniqueRouteNames(cluster: string, routes: readonly NamedRoute[]): void {
  const seen = new Map<string, NamedRoute>();
  for (const route of routes) {
    const other = seen.get(route.name);
    if (other)
      throw new Error(
        `cluster ${cluster}: two HTTPRoutes would be named ${route.name} (for ${other.host || "a route of every host"} and ${route.host || "a route of every host"}); rename one of the hosts`,
      );
    seen.set(route.name, route);
  }
}

/** ReferenceGrant allows at most this many targets; a namespace with more grants all its Services. */
const MAX_GRANT_TARGETS = 16;

/**
 * The ReferenceGrants that let the gateway's routes (in the gateway namespace) send to Services in the
 * teams' namespaces: one per namespace, naming exactly the Services the routes use there.
 */
export function referenceGrants(gateway: GatewayPlan, routes: readonly NamedRoute[]): ReferenceGrant[] {
  const byNamespace = new Map<string, Set<string>>();
  for (const route of routes)
    for (const rule of route.model.spec.rules ?? [])
      for (const ref of rule.backendRefs ?? []) {
        const namespace = ref.namespace ?? gateway.namespace;
        if (namespace === gateway.namespace) continue;
        byNamespace.set(namespace, (byNamespace.get(namespace) ?? new Set()).add(ref.name));
      }
  return [...byNamespace.keys()].sort().map((namespace) => {
    const names = [...byNamespace.get(namespace)!].sort();
    return new ReferenceGrant({
      metadata: { name: referenceGrantName(gateway.namespace), namespace, labels: { ...MANAGED_BY } },
      spec: {
        from: [{ group: GATEWAY_GROUP, kind: "HTTPRoute", namespace: gateway.namespace }],
        to: names.length > MAX_GRANT_TARGETS ? [{ group: "", kind: "Service" }] : names.map((name) => ({ group: "", kind: "Service", name })),
      },
    });
  });
}

/**
 * Every HTTPRoute of a cluster's gateway: one per host (more for hosts with many rules), then the routes
 * of the dispatch or redirect listener. Names are checked to be unique.
 */
export function clusterRoutes(
  plan: FleetPlan,
  cluster: ClusterPlan,
  gateway: GatewayPlan,
  placements: ReadonlyMap<string, readonly PlacedRule[]>,
): NamedRoute[] {
  const context = { ...routeContext(plan, cluster.name), ...(gateway.forwarded.proto ? { forwardedProto: gateway.forwarded.proto } : {}) };
  const routes: NamedRoute[] = [
    ...gatewayHosts(plan, gateway).flatMap((host) => {
      const placed = placements.get(host.name);
      if (!placed) throw new Error(`host ${host.name} has no placed rules`);
      return hostRoutes(gateway, host, placed, context);
    }),
    ...dispatchRoutes(plan, cluster, gateway),
    ...redirectRoutes(gateway, gatewayHosts(plan, gateway)),
    ...catchAllRoutes(plan, gateway, context),
  ];
  assertUniqueRouteNames(cluster.name, routes);
  return routes;
}

/** The services (`namespace/name`) the routes send to, sorted. */
export function routedServices(routes: readonly NamedRoute[]): string[] {
  const keys = new Set<string>();
  for (const route of routes)
    for (const rule of route.model.spec.rules ?? [])
      for (const ref of rule.backendRefs ?? []) keys.add(`${ref.namespace ?? route.model.metadata?.namespace}/${ref.name}`);
  return [...keys].sort();
}

/** The route context of a cluster: which services run there, and their own timeouts. */
export function routeContext(plan: FleetPlan, cluster: string): ClusterRouteContext {
  const local = new Set(plan.services.filter((s) => s.clusters.some((c) => c.cluster === cluster)).map((s) => s.key));
  const timeouts = new Map(plan.services.map((s) => [s.key, s.timeoutSeconds]));
  return { localServices: local, splitAtFrontDoor: plan.frontDoor.provider === "gcp", serviceTimeout: (key) => timeouts.get(key) };
}

/** The hosts of a cluster's gateway, as plan entries. */
export function gatewayHosts(plan: FleetPlan, gateway: GatewayPlan): HostPlan[] {
  const wanted = new Set(gateway.hosts);
  return plan.hosts.filter((h) => wanted.has(h.name));
}
