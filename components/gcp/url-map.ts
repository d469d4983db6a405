/**
 * The URL map of the GCP front door, built from the FleetPlan's hosts and routes. Pure: backend
 * services are referred to through `ref(key)`, so tests read keys and the component passes self links.
 *
 * - One host rule and path matcher per host; the path matcher's default is the host's default backend,
 *   or the gateways' 404 (the catch-all backend service).
 * - The URL map's own default takes requests for hosts no host rule names, and requests by IP address:
 *   the service that serves the environment's catch-all (FleetPlan.catchAll), or the gateways' 404.
 * - One route rule per plan route. GKE path semantics survive exactly: a `Prefix` (always ending in
 *   `/`, or `/` itself) is GCP's plain-string `prefixMatch`, an `Exact` is `fullPathMatch`.
 * - Priorities keep the plan's order (1 first) with gaps of ROUTE_PRIORITY_STEP, so an operator's
 *   temporary rule can sit between two of Fleetgate's without renumbering.
 * - Splits become weighted backend services: the plan's percentages, or per mille when a service is
 *   also served by non-GKE clusters (see backend-plan.ts) and its share is split further.
 * - Before them all, at priority 0, every path matcher answers requests under the reserved prefix
 *   (`/.well-known/fleetgate/`, where the gateways answer the front door's health checks) with 404 by
 *   aborting them at the load balancer: no client request for it reaches a cluster through a host's
 *   routes. (Unknown hosts go to the catch-all unchanged; the gateways' guard rules keep those, and
 *   anything else tagged by the front door, off the health rules: components/dispatch.ts.)
 */
import { METHOD_HEADER } from "../../contracts/gcp";
import { boundedName } from "../../spec/names";
import { RESERVED_PATH_PREFIX } from "../../spec/paths";
import type { CatchAllPlan, HeaderActionsPlan, HostPlan, RetryPlan, RouteActionPlan, RoutePlan, RouteMatchPlan, ValueMatchPlan } from "../../spec/plan";
import { compare, refKey, type GcpBackendsPlan, type WeightedTarget } from "./backend-plan";
import { hostPart } from "./names";

export const ROUTE_PRIORITY_STEP = 10;

/** The priority of the rule that keeps the reserved prefix: GCP's first, before every route of the plan. */
export const RESERVED_PRIORITY = 0;

/** What a client gets for a path under the reserved prefix. */
export const RESERVED_STATUS = 404;

/** GCP's redirect response codes by HTTP status. */
export const REDIRECT_CODES = {
  301: "MOVED_PERMANENTLY_DEFAULT",
  302: "FOUND",
  303: "SEE_OTHER",
  307: "TEMPORARY_REDIRECT",
  308: "PERMANENT_REDIRECT",
} as const;

/** GCP's names of the retry conditions the spec allows. */
const RETRY_CONDITIONS: Readonly<Record<string, string>> = {
  "5xx": "5xx",
  "gateway-error": "gateway-error",
  "connect-failure": "connect-failure",
  // GCP has no condition for resets alone: its 5xx also retries a backend that resets or does not answer.
  reset: "5xx",
  "retriable-4xx": "retriable-4xx",
  "refused-stream": "refused-stream",
};

export interface Duration {
  readonly seconds: string;
  readonly nanos?: number;
}

export interface WeightedBackendService<R> {
  readonly backendService: R;
  readonly weight: number;
}

export interface HeaderAction {
  readonly requestHeadersToAdds?: readonly { readonly headerName: string; readonly headerValue: string; readonly replace: boolean }[];
  readonly requestHeadersToRemoves?: readonly string[];
  readonly responseHeadersToAdds?: readonly { readonly headerName: string; readonly headerValue: string; readonly replace: boolean }[];
  readonly responseHeadersToRemoves?: readonly string[];
}

export interface ValueMatch {
  readonly exactMatch?: string;
  readonly regexMatch?: string;
  readonly presentMatch?: boolean;
}

export interface MatchRule {
  readonly prefixMatch?: string;
  readonly fullPathMatch?: string;
  readonly headerMatches?: readonly (ValueMatch & { readonly headerName: string })[];
  readonly queryParameterMatches?: readonly (ValueMatch & { readonly name: string })[];
}

export interface RouteAction<R> {
  readonly weightedBackendServices?: readonly WeightedBackendService<R>[];
  readonly timeout?: Duration;
  readonly retryPolicy?: { readonly numRetries: number; readonly perTryTimeout?: Duration; readonly retryConditions: readonly string[] };
  readonly urlRewrite?: { readonly hostRewrite?: string; readonly pathPrefixRewrite?: string };
  /** Answers every matching request itself (the reserved prefix's rule); nothing is forwarded. */
  readonly faultInjectionPolicy?: { readonly abort: { readonly httpStatus: number; readonly percentage: number } };
}

export interface UrlRedirect {
  readonly hostRedirect?: string;
  readonly pathRedirect?: string;
  readonly prefixRedirect?: string;
  readonly httpsRedirect?: boolean;
  readonly redirectResponseCode: (typeof REDIRECT_CODES)[keyof typeof REDIRECT_CODES];
  readonly stripQuery: boolean;
}

export interface RouteRule<R> {
  readonly priority: number;
  readonly matchRules: readonly MatchRule[];
  readonly service?: R;
  readonly routeAction?: RouteAction<R>;
  readonly headerAction?: HeaderAction;
  readonly urlRedirect?: UrlRedirect;
}

/** Where requests go by default: one backend service, or a weighted split. */
export type DefaultTarget<R> = { readonly service: R } | { readonly weightedBackendServices: readonly WeightedBackendService<R>[] };

export interface PathMatcher<R> {
  readonly name: string;
  readonly description: string;
  readonly defaultService?: R;
  readonly defaultRouteAction?: { readonly weightedBackendServices: readonly WeightedBackendService<R>[] };
  readonly routeRules: readonly RouteRule<R>[];
}

export interface UrlMapSpec<R> {
  readonly defaultService?: R;
  readonly defaultRouteAction?: { readonly weightedBackendServices: readonly WeightedBackendService<R>[] };
  /** Sorted by host. */
  readonly hostRules: readonly { readonly hosts: readonly string[]; readonly pathMatcher: string }[];
  /** Sorted by name. */
  readonly pathMatchers: readonly PathMatcher<R>[];
}

/** The name of a host's path matcher. */
export function pathMatcherName(host: string): string {
  return boundedName(["host", hostPart(host)]);
}

export function buildUrlMap<R>(
  hosts: readonly HostPlan[],
  backends: Pick<GcpBackendsPlan, "targets" | "catchAll">,
  ref: (key: string) => R,
  served?: Pick<CatchAllPlan, "service" | "port">,
): UrlMapSpec<R> {
  const catchAll = defaultTarget(
    split(
      backends.catchAll.map((t) => ({ key: t.backendService, share: t.weight })),
      false,
    ),
    ref,
  );
  const unknownHosts = served ? defaultTarget(forwardTo([{ ...served, weight: 100 }], backends.targets), ref) : catchAll;
  const pathMatchers = hosts.map((host): PathMatcher<R> => {
    const fallback = host.defaultBackend ? defaultTarget(forwardTo([host.defaultBackend], backends.targets), ref) : catchAll;
    return {
      name: pathMatcherName(host.name),
      description: `${host.name}: ${host.routes.length} route${host.routes.length === 1 ? "" : "s"} of ${host.owners.join(", ")}`,
      ...defaultFields(fallback),
      routeRules: [
        reservedPathRule(catchAll),
        ...[...host.routes].sort((a, b) => a.priority - b.priority).map((route) => routeRule(host, route, backends.targets, ref)),
      ],
    };
  });
  return {
    ...defaultFields(unknownHosts),
    hostRules: [...hosts].sort((a, b) => compare(a.name, b.name)).map((host) => ({ hosts: [host.name], pathMatcher: pathMatcherName(host.name) })),
    pathMatchers: pathMatchers.sort((a, b) => compare(a.name, b.name)),
  };
}

/**
 * The first rule of every path matcher: requests under the reserved prefix are aborted with 404 at the
 * load balancer. GCP wants a backend on the rule even so: the catch-all, which never sees them.
 */
export function reservedPathRule<R>(catchAll: DefaultTarget<R>): RouteRule<R> {
  const abort = { faultInjectionPolicy: { abort: { httpStatus: RESERVED_STATUS, percentage: 100 } } };
  return {
    priority: RESERVED_PRIORITY,
    matchRules: [{ prefixMatch: RESERVED_PATH_PREFIX }],
    ...("service" in catchAll
      ? { service: catchAll.service, routeAction: abort }
      : { routeAction: { weightedBackendServices: catchAll.weightedBackendServices, ...abort } }),
  };
}

export interface RedirectMapSpec {
  readonly defaultUrlRedirect: UrlRedirect;
  /** Sorted by path matcher; one host rule per code other than 301, naming its hosts (sorted). */
  readonly hostRules?: readonly { readonly hosts: readonly string[]; readonly pathMatcher: string }[];
  readonly pathMatchers?: readonly { readonly name: string; readonly description: string; readonly defaultUrlRedirect: UrlRedirect }[];
}

/** The name of the port-80 path matcher that redirects with `status`. */
export function redirectMatcherName(status: keyof typeof REDIRECT_CODES): string {
  return `https-${status}`;
}

/**
 * The port-80 URL map: every request is redirected to the same URL over HTTPS, with 301 unless the host's
 * FrontendConfig names another code: such hosts get a host rule per code, whose path matcher redirects
 * with it. Hosts keep their place when codes change elsewhere: rules are keyed by code, not position.
 */
export function httpsRedirectMap(hosts: readonly Pick<HostPlan, "name" | "httpsRedirectStatus">[] = []): RedirectMapSpec {
  const redirect = (status: keyof typeof REDIRECT_CODES): UrlRedirect => ({
    httpsRedirect: true,
    redirectResponseCode: REDIRECT_CODES[status],
    stripQuery: false,
  });
  const byStatus = new Map<keyof typeof REDIRECT_CODES, string[]>();
  for (const host of hosts) {
    const status = host.httpsRedirectStatus ?? 301;
    if (status !== 301) byStatus.set(status, [...(byStatus.get(status) ?? []), host.name]);
  }
  const statuses = [...byStatus.keys()].sort((a, b) => a - b);
  if (statuses.length === 0) return { defaultUrlRedirect: redirect(301) };
  return {
    defaultUrlRedirect: redirect(301),
    hostRules: statuses.map((status) => ({ hosts: [...byStatus.get(status)!].sort(compare), pathMatcher: redirectMatcherName(status) })),
    pathMatchers: statuses.map((status) => ({
      name: redirectMatcherName(status),
      description: `HTTP to HTTPS with ${status} (${REDIRECT_CODES[status]})`,
      defaultUrlRedirect: redirect(status),
    })),
  };
}

export function routeRule<R>(host: HostPlan, route: RoutePlan, targets: GcpBackendsPlan["targets"], ref: (key: string) => R): RouteRule<R> {
  const base = { priority: route.priority * ROUTE_PRIORITY_STEP, matchRules: [matchRule(route.match)] };
  const action = route.action;
  if (action.kind === "redirect") return { ...base, urlRedirect: urlRedirect(action) };

  const weighted = forwardTo(action.backends, targets);
  const single = weighted.length === 1 ? weighted[0]! : undefined;
  const routeAction: RouteAction<R> = {
    ...(single ? {} : { weightedBackendServices: weighted.map((w) => ({ backendService: ref(w.key), weight: w.weight })) }),
    ...(action.timeoutSeconds !== undefined ? { timeout: durationOf(action.timeoutSeconds) } : {}),
    ...(action.retries ? { retryPolicy: retryPolicy(action.retries) } : {}),
    ...(action.rewrite && (action.rewrite.host !== undefined || action.rewrite.prefix !== undefined || action.rewrite.path !== undefined)
      ? {
          urlRewrite: {
            ...(action.rewrite.host !== undefined ? { hostRewrite: action.rewrite.host } : {}),
            // The matched portion of the path is replaced: the prefix of a prefixMatch, or the whole path of a
            // fullPathMatch (validation allows `prefix` only for prefix paths and `path` only for exact ones).
            ...((action.rewrite.prefix ?? action.rewrite.path) !== undefined ? { pathPrefixRewrite: (action.rewrite.prefix ?? action.rewrite.path)! } : {}),
          },
        }
      : {}),
  };
  const headerAction = headerActionOf(action.requestHeaders, action.responseHeaders);
  return {
    ...base,
    ...(single ? { service: ref(single.key) } : {}),
    ...(Object.keys(routeAction).length > 0 ? { routeAction } : {}),
    ...(headerAction ? { headerAction } : {}),
  };
}

export function matchRule(match: RouteMatchPlan): MatchRule {
  const values = <K extends string>(list: readonly ValueMatchPlan[], nameKey: K) =>
    list.map((m) => ({ [nameKey]: m.name, ...valueMatch(m) }) as ValueMatch & Record<K, string>);
  // The URL map has no method field: it reads the method as a pseudo-header [gcp.method-match].
  const headers = [...(match.method !== undefined ? [{ headerName: METHOD_HEADER, exactMatch: match.method }] : []), ...values(match.headers, "headerName")];
  return {
    ...(match.path.type === "Exact" ? { fullPathMatch: match.path.value } : { prefixMatch: match.path.value }),
    ...(headers.length > 0 ? { headerMatches: headers } : {}),
    ...(match.queryParams.length > 0 ? { queryParameterMatches: values(match.queryParams, "name") } : {}),
  };
}

function valueMatch(m: ValueMatchPlan): ValueMatch {
  if (m.type === "Present") return { presentMatch: true };
  if (m.type === "RegularExpression") return { regexMatch: m.value ?? "" };
  return { exactMatch: m.value ?? "" };
}

function urlRedirect(action: Extract<RouteActionPlan, { kind: "redirect" }>): UrlRedirect {
  // The HTTPS map only sees HTTPS requests, so the scheme stays https (the validator refuses http, and a
  // redirect that changes neither host nor path).
  return {
    ...(action.host !== undefined ? { hostRedirect: action.host } : {}),
    ...(action.path !== undefined ? { pathRedirect: action.path } : {}),
    ...(action.prefix !== undefined ? { prefixRedirect: action.prefix } : {}),
    redirectResponseCode: REDIRECT_CODES[action.statusCode],
    stripQuery: false,
  };
}

function retryPolicy(retries: RetryPlan): NonNullable<RouteAction<never>["retryPolicy"]> {
  const conditions = [...new Set(retries.on.map((on) => RETRY_CONDITIONS[on] ?? on))].sort();
  return {
    numRetries: retries.attempts,
    ...(retries.perTryTimeoutSeconds !== undefined ? { perTryTimeout: durationOf(retries.perTryTimeoutSeconds) } : {}),
    retryConditions: conditions,
  };
}

function headerActionOf(request: HeaderActionsPlan | undefined, response: HeaderActionsPlan | undefined): HeaderAction | undefined {
  const adds = (h: HeaderActionsPlan | undefined) =>
    h
      ? [
          ...Object.entries(h.set).map(([headerName, headerValue]) => ({ headerName, headerValue, replace: true })),
          ...Object.entries(h.add).map(([headerName, headerValue]) => ({ headerName, headerValue, replace: false })),
        ].sort((a, b) => compare(`${a.headerName} ${a.replace}`, `${b.headerName} ${b.replace}`))
      : [];
  const action: HeaderAction = {
    ...(adds(request).length > 0 ? { requestHeadersToAdds: adds(request) } : {}),
    ...(request && request.remove.length > 0 ? { requestHeadersToRemoves: [...request.remove].sort() } : {}),
    ...(adds(response).length > 0 ? { responseHeadersToAdds: adds(response) } : {}),
    ...(response && response.remove.length > 0 ? { responseHeadersToRemoves: [...response.remove].sort() } : {}),
  };
  return Object.keys(action).length > 0 ? action : undefined;
}

/**
 * The weighted backend services of a forward: each backend reference's percentage, split among the
 * backend services that serve its port by their relative weights. Sorted by key.
 */
export function forwardTo(
  refs: readonly { service: string; port: number; weight: number }[],
  targets: GcpBackendsPlan["targets"],
): { key: string; weight: number }[] {
  const expanded = refs.flatMap((ref) => {
    const list = targets[refKey(ref)];
    if (!list || list.length === 0) throw new Error(`no backend service serves ${refKey(ref)}; the plan routes to it but no cluster serves it`);
    return shares(list).map((t) => ({ key: t.backendService, share: ref.weight * t.weight, whole: list.length === 1 }));
  });
  return split(
    expanded,
    expanded.every((e) => e.whole),
  );
}

/** Relative weights as fractions; when all are 0 (every cluster drained), equal fractions. */
function shares(list: readonly WeightedTarget[]): WeightedTarget[] {
  const total = list.reduce((sum, t) => sum + t.weight, 0);
  return list.map((t) => ({ backendService: t.backendService, weight: total > 0 ? t.weight / total : 1 / list.length }));
}

/**
 * Integer weights for GCP (0..1000). When every share is already a whole percentage (`exact`), they are
 * kept as they are; otherwise they are scaled to 1000 with the largest-remainder method (ties by key),
 * so the weights add up exactly and the same input always gives the same output.
 */
function split(entries: readonly { key: string; share: number }[], exact: boolean): { key: string; weight: number }[] {
  const merged = new Map<string, number>();
  for (const e of entries) merged.set(e.key, (merged.get(e.key) ?? 0) + e.share);
  const sorted = [...merged].sort(([a], [b]) => compare(a, b));
  if (exact && sorted.every(([, share]) => Number.isInteger(share))) return sorted.map(([key, weight]) => ({ key, weight }));
  const total = sorted.reduce((sum, [, share]) => sum + share, 0);
  const scaled = sorted.map(([key, share]) => {
    const value = total > 0 ? (share * 1000) / total : 1000 / sorted.length;
    return { key, weight: Math.floor(value), remainder: value - Math.floor(value) };
  });
  let left = 1000 - scaled.reduce((sum, s) => sum + s.weight, 0);
  for (const s of [...scaled].sort((a, b) => b.remainder - a.remainder || compare(a.key, b.key))) {
    if (left <= 0) break;
    s.weight += 1;
    left -= 1;
  }
  return scaled.map(({ key, weight }) => ({ key, weight }));
}

function defaultTarget<R>(weighted: readonly { key: string; weight: number }[], ref: (key: string) => R): DefaultTarget<R> {
  if (weighted.length === 1) return { service: ref(weighted[0]!.key) };
  return { weightedBackendServices: weighted.map((w) => ({ backendService: ref(w.key), weight: w.weight })) };
}

function defaultFields<R>(
  target: DefaultTarget<R>,
): { defaultService: R } | { defaultRouteAction: { weightedBackendServices: readonly WeightedBackendService<R>[] } } {
  return "service" in target ? { defaultService: target.service } : { defaultRouteAction: { weightedBackendServices: target.weightedBackendServices } };
}

function durationOf(seconds: number): Duration {
  const whole = Math.floor(seconds);
  const nanos = Math.round((seconds - whole) * 1e9);
  return nanos > 0 ? { seconds: String(whole), nanos } : { seconds: String(whole) };
}
