/**
 * The GCP URL map, evaluated as the Compute API documents it [gcp.url-map-matching] (UrlMap, HostRule, PathMatcher,
 * HttpRouteRule, HttpRouteAction, HttpRedirectAction, HttpHeaderAction):
 * - the Host header picks a host rule (an exact host before wildcards, the longest wildcard suffix
 *   first); no host rule: the URL map's own default;
 * - in the host rule's path matcher, route rules are tried by ascending `priority`; a rule's matchRules
 *   are ORed, the conditions of one match rule ANDed; the first rule that matches acts;
 * - without route rules, path rules: the longest matching path (`/x/*` a prefix, else the whole path);
 * - nothing matched: the path matcher's default (service, route action or redirect);
 * - the action forwards to a backend service or weighted ones (rewriting host and matched path prefix),
 *   redirects, or answers itself (fault injection abort at 100%);
 * - header actions apply from the weighted backend service outwards: weighted backend service, route
 *   rule, path matcher, URL map.
 */
import type { HeaderActionInput, PathMatcherInput, RouteActionInput, UrlMapInput, UrlMapMatchRuleInput, UrlRedirectInput } from "./config";
import { gcpHeaderMatches, gcpHostMatches, gcpHostSpecificity, gcpPathMatches, gcpQueryMatches } from "./matching";
import type { EvalRequest, HeaderChange } from "./request";

/** HttpRedirectAction.redirectResponseCode to the status it sends. */
export const REDIRECT_STATUS: Readonly<Record<string, number>> = {
  MOVED_PERMANENTLY_DEFAULT: 301,
  FOUND: 302,
  SEE_OTHER: 303,
  TEMPORARY_REDIRECT: 307,
  PERMANENT_REDIRECT: 308,
};

export type UrlMapAction =
  | { readonly kind: "redirect"; readonly status: number; readonly location: string }
  | { readonly kind: "answer"; readonly status: number; readonly reason: string }
  | {
      readonly kind: "forward";
      /** Backend service names with their share in percent of the rule's traffic. */
      readonly backends: readonly {
        readonly backendService: string;
        readonly weight: number;
        readonly requestHeaders: readonly HeaderChange[];
        readonly responseHeaders: readonly HeaderChange[];
      }[];
      /** The host and path the backend receives, when the rule rewrites them. */
      readonly rewrite?: { readonly host?: string; readonly path?: string };
      /** Header changes of the route rule, path matcher and URL map, in the order they apply. */
      readonly requestHeaders: readonly HeaderChange[];
      readonly responseHeaders: readonly HeaderChange[];
      readonly timeoutSeconds?: number;
      readonly mirror?: string;
    };

/** Which rule of the URL map took the request. */
export type UrlMapRule =
  | { readonly kind: "route-rule"; readonly priority: number; readonly matchIndex: number; readonly match: string }
  | { readonly kind: "path-rule"; readonly path: string }
  | { readonly kind: "path-matcher-default" }
  | { readonly kind: "url-map-default" };

export interface UrlMapResult {
  readonly urlMap: string;
  /** The host rule that took the Host header, and the pattern that matched; absent: none did. */
  readonly hostRule?: { readonly hosts: readonly string[]; readonly pattern: string; readonly pathMatcher: string; readonly description?: string };
  readonly rule: UrlMapRule;
  readonly action: UrlMapAction;
}

const lastSegment = (url: string) => url.slice(url.lastIndexOf("/") + 1);

/** A match rule in words: `prefix /cart/, header :method=POST, query id present`. */
export function describeMatchRule(m: UrlMapMatchRuleInput): string {
  const path =
    m.fullPathMatch !== undefined
      ? `path ${m.fullPathMatch}`
      : m.prefixMatch !== undefined
        ? `prefix ${m.prefixMatch}`
        : m.regexMatch !== undefined
          ? `path ~${m.regexMatch}`
          : m.pathTemplateMatch !== undefined
            ? `template ${m.pathTemplateMatch}`
            : "any path";
  const value = (v: { exactMatch?: string; prefixMatch?: string; suffixMatch?: string; presentMatch?: boolean; regexMatch?: string; invertMatch?: boolean }) =>
    `${v.invertMatch ? " not" : ""}${v.exactMatch !== undefined ? `=${v.exactMatch}` : v.prefixMatch !== undefined ? ` starts with ${v.prefixMatch}` : v.suffixMatch !== undefined ? ` ends with ${v.suffixMatch}` : v.regexMatch !== undefined ? `~${v.regexMatch}` : " present"}`;
  return [
    `${path}${m.ignoreCase ? " (any case)" : ""}`,
    ...(m.headerMatches ?? []).map((h) =>
      h.headerName === ":method" && h.exactMatch !== undefined && !h.invertMatch ? h.exactMatch : `header ${h.headerName}${value(h)}`,
    ),
    ...(m.queryParameterMatches ?? []).map((q) => `query ${q.name}${q.presentMatch === false ? " absent" : value(q)}`),
  ].join(", ");
}

function matchRuleHolds(m: UrlMapMatchRuleInput, request: EvalRequest): boolean {
  return (
    gcpPathMatches(m, request.path) &&
    (m.headerMatches ?? []).every((h) => gcpHeaderMatches(h, request)) &&
    (m.queryParameterMatches ?? []).every((q) => gcpQueryMatches(q, request))
  );
}

/** A header action as changes, in the order GCP applies them: removals, then additions. */
export function headerChanges(action: HeaderActionInput | undefined, by: string): { request: HeaderChange[]; response: HeaderChange[] } {
  const adds = (list: HeaderActionInput["requestHeadersToAdd"]) =>
    (list ?? []).map((h): HeaderChange => ({ op: h.replace ? "set" : "add", name: h.headerName.toLowerCase(), value: h.headerValue, by }));
  const removes = (list: readonly string[] | undefined) => (list ?? []).map((name): HeaderChange => ({ op: "remove", name: name.toLowerCase(), by }));
  return {
    request: [
      ...removes(action?.requestHeadersToRemove ?? action?.requestHeadersToRemoves),
      ...adds(action?.requestHeadersToAdd ?? action?.requestHeadersToAdds),
    ],
    response: [
      ...removes(action?.responseHeadersToRemove ?? action?.responseHeadersToRemoves),
      ...adds(action?.responseHeadersToAdd ?? action?.responseHeadersToAdds),
    ],
  };
}

/** Where a redirect sends the request (HttpRedirectAction). `matched` is the prefix the rule matched. */
export function redirectLocation(redirect: UrlRedirectInput, request: EvalRequest, matched: string | undefined): string {
  const scheme = redirect.httpsRedirect ? "https" : request.scheme;
  const host = redirect.hostRedirect ?? request.host;
  const path =
    redirect.pathRedirect ??
    (redirect.prefixRedirect !== undefined
      ? redirect.prefixRedirect + request.path.slice(matched !== undefined && request.path.startsWith(matched) ? matched.length : 0)
      : request.path);
  const query = !redirect.stripQuery && request.query ? `?${request.query}` : "";
  return `${scheme}://${host}${path}${query}`;
}

function seconds(timeout: RouteActionInput["timeout"]): number | undefined {
  if (!timeout) return undefined;
  return Number(timeout.seconds ?? 0) + (timeout.nanos ?? 0) / 1e9;
}

/** What one rule does with the request. `matched`: the path portion a prefix rewrite replaces. */
function act(
  target: { service?: string; routeAction?: RouteActionInput; urlRedirect?: UrlRedirectInput; headerAction?: HeaderActionInput },
  request: EvalRequest,
  matched: string | undefined,
  outer: readonly { action: HeaderActionInput | undefined; by: string }[],
  by: string,
): UrlMapAction {
  if (target.urlRedirect)
    return {
      kind: "redirect",
      status: REDIRECT_STATUS[target.urlRedirect.redirectResponseCode ?? "MOVED_PERMANENTLY_DEFAULT"] ?? 301,
      location: redirectLocation(target.urlRedirect, request, matched),
    };
  const ra = target.routeAction;
  const abort = ra?.faultInjectionPolicy?.abort;
  if (abort && (abort.percentage ?? 0) >= 100)
    return { kind: "answer", status: abort.httpStatus ?? 503, reason: `the ${by} aborts every request (fault injection)` };
  const own = headerChanges(target.headerAction, by);
  const layers = outer.map((o) => headerChanges(o.action, o.by));
  const weighted = ra?.weightedBackendServices;
  const backends =
    weighted && weighted.length > 0
      ? (() => {
          const total = weighted.reduce((s, w) => s + w.weight, 0) || 1;
          return weighted.map((w) => {
            const changes = headerChanges(w.headerAction, `weighted backend service ${lastSegment(w.backendService)}`);
            return {
              backendService: lastSegment(w.backendService),
              weight: (w.weight * 100) / total,
              requestHeaders: changes.request,
              responseHeaders: changes.response,
            };
          });
        })()
      : target.service
        ? [{ backendService: lastSegment(target.service), weight: 100, requestHeaders: [], responseHeaders: [] }]
        : [];
  if (backends.length === 0) return { kind: "answer", status: 404, reason: `the ${by} names no backend service` };
  const rewrite = ra?.urlRewrite;
  const path =
    rewrite?.pathPrefixRewrite !== undefined
      ? rewrite.pathPrefixRewrite + request.path.slice(matched !== undefined && request.path.startsWith(matched) ? matched.length : 0)
      : undefined;
  const timeout = seconds(ra?.timeout);
  return {
    kind: "forward",
    backends,
    ...(rewrite && (rewrite.hostRewrite !== undefined || path !== undefined)
      ? { rewrite: { ...(rewrite.hostRewrite !== undefined ? { host: rewrite.hostRewrite } : {}), ...(path !== undefined ? { path } : {}) } }
      : {}),
    requestHeaders: [...own.request, ...layers.flatMap((l) => l.request)],
    responseHeaders: [...own.response, ...layers.flatMap((l) => l.response)],
    ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
    ...(ra?.requestMirrorPolicy?.backendService ? { mirror: lastSegment(ra.requestMirrorPolicy.backendService) } : {}),
  };
}

/** The host rule that takes the request's host, with the pattern that matched. */
export function pickHostRule(map: UrlMapInput, request: EvalRequest): { hosts: readonly string[]; pattern: string; pathMatcher: string } | undefined {
  let best: { hosts: readonly string[]; pattern: string; pathMatcher: string; score: number } | undefined;
  for (const rule of map.hostRules ?? [])
    for (const pattern of rule.hosts)
      if (gcpHostMatches(pattern, request.host, request.port)) {
        const score = gcpHostSpecificity(pattern);
        if (!best || score > best.score) best = { hosts: rule.hosts, pattern, pathMatcher: rule.pathMatcher, score };
      }
  return best && { hosts: best.hosts, pattern: best.pattern, pathMatcher: best.pathMatcher };
}

/** The path rule a path takes: the longest matching one (`/x/*` matches `/x/` and below). */
function pickPathRule(
  matcher: PathMatcherInput,
  path: string,
): { rule: NonNullable<PathMatcherInput["pathRules"]>[number]; path: string; prefix: string } | undefined {
  let best: { rule: NonNullable<PathMatcherInput["pathRules"]>[number]; path: string; prefix: string; score: number } | undefined;
  for (const rule of matcher.pathRules ?? [])
    for (const p of rule.paths) {
      const prefix = p.endsWith("/*") ? p.slice(0, -1) : undefined;
      const matches = prefix !== undefined ? path.startsWith(prefix) : path === p;
      // An exact path beats a prefix of the same length; otherwise the longest wins.
      const score = p.length * 2 + (prefix === undefined ? 1 : 0);
      if (matches && (!best || score > best.score)) best = { rule, path: p, prefix: prefix ?? p, score };
    }
  return best;
}

/** Evaluates a URL map for a request. */
export function evaluateUrlMap(map: UrlMapInput, request: EvalRequest): UrlMapResult {
  const mapLayer = { action: map.headerAction, by: "URL map" };
  const host = pickHostRule(map, request);
  const matcher = host ? map.pathMatchers?.find((m) => m.name === host.pathMatcher) : undefined;
  const defaultOf = (d: { defaultService?: string; defaultRouteAction?: RouteActionInput; defaultUrlRedirect?: UrlRedirectInput }) => ({
    ...(d.defaultService !== undefined ? { service: d.defaultService } : {}),
    ...(d.defaultRouteAction !== undefined ? { routeAction: d.defaultRouteAction } : {}),
    ...(d.defaultUrlRedirect !== undefined ? { urlRedirect: d.defaultUrlRedirect } : {}),
  });
  if (!host || !matcher)
    return {
      urlMap: map.name,
      rule: { kind: "url-map-default" },
      action: act({ ...defaultOf(map), headerAction: map.headerAction }, request, "/", [], "URL map's default"),
    };
  const hostRule = { ...host, ...(matcher.description !== undefined ? { description: matcher.description } : {}) };
  const matcherLayer = { action: matcher.headerAction, by: `path matcher ${matcher.name}` };
  const rules = [...(matcher.routeRules ?? [])].sort((a, b) => a.priority - b.priority);
  for (const rule of rules) {
    const matchRules = rule.matchRules && rule.matchRules.length > 0 ? rule.matchRules : [{}];
    const index = matchRules.findIndex((m) => matchRuleHolds(m, request));
    if (index < 0) continue;
    const m = matchRules[index]!;
    const matched = m.fullPathMatch !== undefined ? request.path : m.prefixMatch !== undefined ? request.path.slice(0, m.prefixMatch.length) : undefined;
    return {
      urlMap: map.name,
      hostRule,
      rule: { kind: "route-rule", priority: rule.priority, matchIndex: index, match: describeMatchRule(m) },
      action: act(rule, request, matched, [matcherLayer, mapLayer], `route rule ${rule.priority}`),
    };
  }
  if (rules.length === 0) {
    const picked = pickPathRule(matcher, request.path);
    if (picked)
      return {
        urlMap: map.name,
        hostRule,
        rule: { kind: "path-rule", path: picked.path },
        action: act(picked.rule, request, picked.prefix, [matcherLayer, mapLayer], `path rule ${picked.path}`),
      };
  }
  return {
    urlMap: map.name,
    hostRule,
    rule: { kind: "path-matcher-default" },
    action: act({ ...defaultOf(matcher), headerAction: matcher.headerAction }, request, "/", [mapLayer], `path matcher ${matcher.name}'s default`),
  };
}
