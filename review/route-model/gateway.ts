/**
 * A cluster's gateway, evaluated on its Gateway API objects as Istio serves them:
 * - the listeners on the port the request arrives on, whose host name takes the request's host;
 * - the HTTPRoutes attached to them (parentRefs by gateway, sectionName and port; the listener's
 *   allowedRoutes namespaces), whose hostnames take the host; among those, only the routes on the most
 *   specific host name (listener's or route's) serve the request, as Envoy picks the most specific
 *   virtual host;
 * - their matches in the Gateway API's precedence (precedence.ts); the first that holds wins;
 * - the rule's filters (RequestRedirect, URLRewrite, Request/ResponseHeaderModifier, RequestMirror) and
 *   its backendRefs with weights, each to a Service port in the cluster (a reference across namespaces
 *   needs a ReferenceGrant) or to a multi-cluster ServiceImport.
 */
import { gatewayReplacePrefix } from "../../components/kubernetes/routes";
import type {
  BackendRefInput,
  ClusterObjects,
  GatewayObject,
  HeaderModifierInput,
  HTTPRouteObject,
  ListenerInput,
  PathModifierInput,
  RouteRuleInput,
} from "./config";
import { describeGatewayMatch, gatewayHostMatches, gatewayHostSpecificity, gatewayMatchHolds, gatewayPathOf, type GatewayMatchInput } from "./matching";
import { orderMatches, tie, type RankedMatch } from "./precedence";
import type { EvalRequest, HeaderChange } from "./request";

const GATEWAY_GROUP = "gateway.networking.k8s.io";

export interface GatewayBackend {
  /** `namespace/name`. */
  readonly service: string;
  readonly kind: "Service" | "ServiceImport" | string;
  readonly port?: number;
  /** Percent of the rule's traffic. */
  readonly weight: number;
  /** The pod port the Service sends it to. */
  readonly targetPort?: number | string;
  /** Why this backend cannot take traffic (the gateway answers 500 for its share). */
  readonly problem?: string;
}

export type GatewayOutcome =
  | { readonly kind: "redirect"; readonly status: number; readonly location: string }
  | { readonly kind: "answer"; readonly status: number; readonly reason: string }
  | {
      readonly kind: "forward";
      readonly backends: readonly GatewayBackend[];
      readonly rewrite?: { readonly host?: string; readonly path?: string };
      readonly requestHeaders: readonly HeaderChange[];
      readonly responseHeaders: readonly HeaderChange[];
      readonly mirror?: string;
      readonly timeout?: string;
    };

export interface GatewayResult {
  readonly cluster: string;
  /** `namespace/name` of the Gateway; absent when the cluster has none. */
  readonly gateway?: string;
  readonly port: number;
  readonly listener?: string;
  readonly route?: { readonly route: string; readonly ruleIndex: number; readonly ruleName?: string; readonly matchIndex: number; readonly match: string };
  /** Other routes' matches that also hold and tie with the winner: their creation order decides in the cluster. */
  readonly tiesWith?: readonly string[];
  readonly outcome: GatewayOutcome;
}

const keyOf = (meta: { name: string; namespace?: string }) => `${meta.namespace ?? "default"}/${meta.name}`;

/** Whether a route attaches to a listener of a gateway (parentRefs, allowedRoutes). */
export function attaches(route: HTTPRouteObject, gateway: GatewayObject, listener: ListenerInput): boolean {
  const routeNs = route.metadata.namespace ?? "default";
  const gatewayNs = gateway.metadata.namespace ?? "default";
  const parent = (route.spec.parentRefs ?? []).some(
    (p) =>
      (p.group ?? GATEWAY_GROUP) === GATEWAY_GROUP &&
      (p.kind ?? "Gateway") === "Gateway" &&
      p.name === gateway.metadata.name &&
      (p.namespace ?? routeNs) === gatewayNs &&
      (p.sectionName === undefined || p.sectionName === listener.name) &&
      (p.port === undefined || p.port === listener.port),
  );
  const from = listener.allowedRoutes?.namespaces?.from ?? "Same";
  return parent && (from !== "Same" || routeNs === gatewayNs);
}

/** The most specific host name of a route on a listener that takes the host; undefined: it does not. */
function effectiveHostname(route: HTTPRouteObject, listener: ListenerInput, host: string): number | undefined {
  if (!gatewayHostMatches(listener.hostname, host)) return undefined;
  const names = route.spec.hostnames ?? [];
  if (names.length === 0) return gatewayHostSpecificity(listener.hostname);
  const scores = names.filter((n) => gatewayHostMatches(n, host)).map((n) => Math.max(gatewayHostSpecificity(n), gatewayHostSpecificity(listener.hostname)));
  return scores.length > 0 ? Math.max(...scores) : undefined;
}

interface Candidate {
  readonly route: HTTPRouteObject;
  readonly listener: ListenerInput;
  readonly gateway: GatewayObject;
}

/** The routes that serve a host on a port: attached, host names taking it, most specific host name only. */
export function candidateRoutes(cluster: ClusterObjects, port: number, host: string): Candidate[] {
  const scored: (Candidate & { score: number })[] = [];
  for (const gateway of cluster.gateways)
    for (const listener of gateway.spec.listeners)
      if (listener.port === port && (listener.protocol === "HTTP" || listener.protocol === "HTTPS"))
        for (const route of cluster.routes) {
          if (!attaches(route, gateway, listener)) continue;
          const score = effectiveHostname(route, listener, host);
          if (score !== undefined) scored.push({ route, listener, gateway, score });
        }
  const best = Math.max(...scored.map((s) => s.score));
  const seen = new Set<HTTPRouteObject>();
  return scored.filter((s) => s.score === best && !seen.has(s.route) && seen.add(s.route));
}

function headerChangesOf(modifier: HeaderModifierInput | undefined, by: string): HeaderChange[] {
  if (!modifier) return [];
  return [
    ...(modifier.set ?? []).map((h): HeaderChange => ({ op: "set", name: h.name.toLowerCase(), value: h.value, by })),
    ...(modifier.add ?? []).map((h): HeaderChange => ({ op: "add", name: h.name.toLowerCase(), value: h.value, by })),
    ...(modifier.remove ?? []).map((name): HeaderChange => ({ op: "remove", name: name.toLowerCase(), by })),
  ];
}

function modifiedPath(modifier: PathModifierInput, match: GatewayMatchInput, path: string): string {
  if (modifier.type === "ReplaceFullPath") return modifier.replaceFullPath ?? path;
  const p = gatewayPathOf(match);
  return p.type === "PathPrefix" ? gatewayReplacePrefix(p.value, modifier.replacePrefixMatch ?? "/", path) : path;
}

const WELL_KNOWN_PORT: Readonly<Record<string, number>> = { http: 80, https: 443 };

function backendsOf(cluster: ClusterObjects, route: HTTPRouteObject, refs: readonly BackendRefInput[]): GatewayBackend[] {
  const routeNs = route.metadata.namespace ?? "default";
  const weighted = refs.map((ref) => ({ ref, weight: ref.weight ?? 1 })).filter((r) => r.weight > 0);
  const total = weighted.reduce((s, r) => s + r.weight, 0);
  return weighted.map(({ ref, weight }) => {
    const namespace = ref.namespace ?? routeNs;
    const kind = ref.kind ?? "Service";
    const group = ref.group ?? "";
    const base = { service: `${namespace}/${ref.name}`, kind, ...(ref.port !== undefined ? { port: ref.port } : {}), weight: (weight * 100) / total };
    if (namespace !== routeNs) {
      const granted = cluster.grants.some(
        (g) =>
          g.metadata.namespace === namespace &&
          g.spec.from.some((f) => f.group === GATEWAY_GROUP && f.kind === "HTTPRoute" && f.namespace === routeNs) &&
          g.spec.to.some((t) => t.group === group && t.kind === kind && (t.name === undefined || t.name === ref.name)),
      );
      if (!granted) return { ...base, problem: `no ReferenceGrant in namespace ${namespace} lets HTTPRoutes of ${routeNs} refer to ${kind} ${ref.name}` };
    }
    if (kind !== "Service" || group !== "") return base;
    const service = cluster.services.find((s) => s.metadata.name === ref.name && (s.metadata.namespace ?? "default") === namespace);
    if (!service) return { ...base, problem: `cluster ${cluster.name} has no Service ${namespace}/${ref.name}` };
    const port = service.spec.ports?.find((p) => p.port === ref.port);
    if (!port) return { ...base, problem: `Service ${namespace}/${ref.name} in ${cluster.name} has no port ${ref.port ?? "(none given)"}` };
    return { ...base, targetPort: port.targetPort ?? port.port };
  });
}

/** What the rule does with the request that its match took. */
function ruleOutcome(
  cluster: ClusterObjects,
  route: HTTPRouteObject,
  rule: RouteRuleInput,
  match: GatewayMatchInput,
  request: EvalRequest,
  listenerPort: number,
): GatewayOutcome {
  const filters = rule.filters ?? [];
  const by = `HTTPRoute ${keyOf(route.metadata)}`;
  const redirect = filters.find((f) => f.type === "RequestRedirect")?.requestRedirect;
  if (redirect) {
    const scheme = redirect.scheme ?? request.scheme;
    const port = redirect.port ?? (redirect.scheme !== undefined ? WELL_KNOWN_PORT[scheme] : listenerPort);
    const host = redirect.hostname ?? request.host;
    const path = redirect.path ? modifiedPath(redirect.path, match, request.path) : request.path;
    const shownPort = port !== undefined && port !== WELL_KNOWN_PORT[scheme] ? `:${port}` : "";
    return {
      kind: "redirect",
      status: redirect.statusCode ?? 302,
      location: `${scheme}://${host}${shownPort}${path}${request.query ? `?${request.query}` : ""}`,
    };
  }
  const rewrite = filters.find((f) => f.type === "URLRewrite")?.urlRewrite;
  const requestHeaders = filters.filter((f) => f.type === "RequestHeaderModifier").flatMap((f) => headerChangesOf(f.requestHeaderModifier, by));
  const responseHeaders = filters.filter((f) => f.type === "ResponseHeaderModifier").flatMap((f) => headerChangesOf(f.responseHeaderModifier, by));
  const mirror = filters.find((f) => f.type === "RequestMirror")?.requestMirror?.backendRef;
  const backends = backendsOf(cluster, route, rule.backendRefs ?? []);
  if (backends.length === 0) return { kind: "answer", status: 500, reason: `the matching rule of ${by} forwards to no backend` };
  const path = rewrite?.path ? modifiedPath(rewrite.path, match, request.path) : undefined;
  return {
    kind: "forward",
    backends,
    ...(rewrite && (rewrite.hostname !== undefined || path !== undefined)
      ? { rewrite: { ...(rewrite.hostname !== undefined ? { host: rewrite.hostname } : {}), ...(path !== undefined ? { path } : {}) } }
      : {}),
    requestHeaders,
    responseHeaders,
    ...(mirror
      ? { mirror: `${mirror.namespace ?? route.metadata.namespace ?? "default"}/${mirror.name}${mirror.port !== undefined ? `:${mirror.port}` : ""}` }
      : {}),
    ...(rule.timeouts?.request ? { timeout: rule.timeouts.request } : {}),
  };
}

/** Evaluates a cluster's gateway for a request arriving on `port`. */
export function evaluateGateway(cluster: ClusterObjects, port: number, request: EvalRequest): GatewayResult {
  const gateway = cluster.gateways[0];
  const base = { cluster: cluster.name, ...(gateway ? { gateway: keyOf(gateway.metadata) } : {}), port };
  if (!gateway) return { ...base, outcome: { kind: "answer", status: 503, reason: `cluster ${cluster.name} has no gateway` } };
  const listeners = cluster.gateways.flatMap((g) => g.spec.listeners.filter((l) => l.port === port));
  if (listeners.length === 0) return { ...base, outcome: { kind: "answer", status: 503, reason: `no listener of the gateway listens on port ${port}` } };
  const candidates = candidateRoutes(cluster, port, request.host);
  const ranked: RankedMatch<Candidate>[] = candidates.flatMap((c) =>
    (c.route.spec.rules ?? []).flatMap((rule, ruleIndex) =>
      (rule.matches && rule.matches.length > 0 ? rule.matches : [{}]).map((match, matchIndex) => ({
        route: c,
        routeKey: keyOf(c.route.metadata),
        ...(c.route.metadata.creationTimestamp !== undefined ? { age: Date.parse(c.route.metadata.creationTimestamp) } : {}),
        ruleIndex,
        matchIndex,
        match,
      })),
    ),
  );
  const holding = orderMatches(ranked).filter((m) => gatewayMatchHolds(m.match, request));
  const winner = holding[0];
  if (!winner) {
    const why =
      candidates.length === 0
        ? `no HTTPRoute on port ${port} serves host ${request.host}`
        : `no rule of ${candidates.map((c) => keyOf(c.route.metadata)).join(", ")} matches`;
    return { ...base, outcome: { kind: "answer", status: 404, reason: why } };
  }
  const rule = winner.route.route.spec.rules![winner.ruleIndex]!;
  const ties = holding
    .slice(1)
    .filter((m) => m.routeKey !== winner.routeKey && m.route.route.metadata.creationTimestamp === undefined && tie(m.match, winner.match));
  return {
    ...base,
    listener: winner.route.listener.name,
    route: {
      route: winner.routeKey,
      ruleIndex: winner.ruleIndex,
      ...(rule.name ? { ruleName: rule.name } : {}),
      matchIndex: winner.matchIndex,
      match: describeGatewayMatch(winner.match),
    },
    ...(ties.length > 0 ? { tiesWith: [...new Set(ties.map((t) => `${t.routeKey} rule ${t.ruleIndex}`))] } : {}),
    outcome: ruleOutcome(cluster, winner.route.route, rule, winner.match, request, winner.route.listener.port),
  };
}
