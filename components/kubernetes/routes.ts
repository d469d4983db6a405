/**
 * A host's routes in a cluster's gateway: the plan's ordered routes translated to Gateway API HTTPRoute
 * rules that Istio evaluates with exactly the plan's meaning and precedence.
 *
 * Path meaning. The plan's `Prefix` is a plain string prefix ending in "/" (from GKE's `/x/*`, which
 * matches `/x/` and below but not `/x`). Gateway API `PathPrefix` matches whole path elements and ignores
 * a trailing slash, so `PathPrefix /x/` would also take `/x`. Fleetgate therefore writes a plan prefix
 * as a `RegularExpression` (`/x/.*`, the value escaped), whose meaning is exactly the plan's; `Exact`
 * stays `Exact`.
 *
 * Precedence. Istio merges every HTTPRoute rule of a host into one list and sorts it (stable) by: match
 * kind (Exact, then PathPrefix, then RegularExpression), then length of the match value, then a method
 * match before none, then number of header matches, then number of query matches (pilot's
 * sortHTTPRoutes, which follows Gateway API's precedence); ties keep their order in the HTTPRoute (across
 * HTTPRoutes: creation time, then name). The plan orders routes by `priority`: exact paths, then longer
 * prefixes, a method before none, more conditions first. So:
 * - all of a host's rules go into one HTTPRoute (or several that never split rules that tie), in plan
 *   order, so ties resolve as the plan does;
 * - exact paths stay in Istio's first tier (they come first in the plan too), unless the header/query
 *   order of two rules on the same path would differ from the plan's, in which case they join the
 *   regular-expression tier;
 * - in the regular-expression tier Istio orders by the length of the expression, so Fleetgate pads an
 *   expression with leading `^` (a no-op: Envoy matches the whole path anyway) until every rule is longer
 *   than each later rule it overlaps.
 * Gateway API only allows `ReplacePrefixMatch` (a prefix rewrite or redirect) on a `PathPrefix` match.
 * Such a route goes into the prefix tier (with every earlier prefix route it overlaps, so they stay
 * ahead of it), and because `PathPrefix /x` also takes the bare `/x`, the bare path gets `Exact` rules
 * that do what the plan does for it (copies of the routes that match it, their prefix rewrites turned
 * into full-path rewrites).
 * Every translation is checked against a model of Istio's matching before it is used (`verifyHostRules`);
 * a host the gateway cannot serve exactly is an error that names the request that would go astray.
 *
 * Who uses these routes. Behind a layer-4 front door (AWS) the gateway is the only router. Behind the GCP
 * front door, which already routed, split, rewrote and changed headers, a GKE gateway does not route the
 * front door's requests again: they arrive on its dispatch listener, tagged with the backend the front
 * door chose, and go to that Service as they are (components/dispatch.ts, `dispatchRoutes` in
 * gateway-plan.ts), and so do the front door's health checks, each on its service's reserved health path.
 * These host routes serve in-mesh and direct traffic. A gateway outside GKE behind the GCP front door is
 * reached on its public listener and routes by host again (see `dispatchNotes`).
 */
import type { IHTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import type { BackendRefPlan, HeaderActionsPlan, HostPlan, PathMatchPlan, RouteActionPlan, RouteMatchPlan, ValueMatchPlan } from "../../spec/plan";
import { splitServiceKey } from "./names";

/** One thing the plan does for a host: a route, or the default backend after every route. */
export interface RouteIntent {
  /** The route's key, or DEFAULT_INTENT for the host's default backend. */
  readonly key: string;
  readonly match: RouteMatchPlan;
  readonly action: RouteActionPlan;
}

export const DEFAULT_INTENT = "(default backend)";

/** The host's intents in the order the plan tries them. */
export function hostIntents(host: HostPlan): RouteIntent[] {
  const routes = [...host.routes].sort((a, b) => a.priority - b.priority).map((r) => ({ key: r.key, match: r.match, action: r.action }));
  if (host.defaultBackend)
    routes.push({
      key: DEFAULT_INTENT,
      match: { path: { type: "Prefix", value: "/" }, headers: [], queryParams: [] },
      action: { kind: "forward", backends: [host.defaultBackend] },
    });
  return routes;
}

// --- Paths: the plan's meaning and Istio's ------------------------------------------------------

export type GatewayPathType = "Exact" | "PathPrefix" | "RegularExpression";
export interface GatewayPath {
  readonly type: GatewayPathType;
  readonly value: string;
}

/** How a rule changes the request path (rewrite) or the redirect target path. */
export type PathAction = { readonly kind: "prefix"; readonly replacement: string } | { readonly kind: "full"; readonly path: string };

/** Escapes RE2 metacharacters, so a path is matched literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

export function planPathMatches(path: PathMatchPlan, requestPath: string): boolean {
  return path.type === "Exact" ? requestPath === path.value : requestPath.startsWith(path.value);
}

/** Whether some request path matches both plan paths. */
export function planPathsOverlap(a: PathMatchPlan, b: PathMatchPlan): boolean {
  if (a.type === "Exact" && b.type === "Exact") return a.value === b.value;
  if (a.type === "Exact") return a.value.startsWith(b.value);
  if (b.type === "Exact") return b.value.startsWith(a.value);
  return a.value.startsWith(b.value) || b.value.startsWith(a.value);
}

/** Istio's meaning of a Gateway API path match (PathPrefix: whole path elements, trailing slash ignored). */
export function gatewayPathMatches(path: GatewayPath, requestPath: string): boolean {
  switch (path.type) {
    case "Exact":
      return requestPath === path.value;
    case "PathPrefix": {
      const prefix = istioPrefix(path.value);
      return prefix === "/" || requestPath === prefix || requestPath.startsWith(`${prefix}/`);
    }
    case "RegularExpression":
      return new RegExp(`^(?:${path.value})$`).test(requestPath);
  }
}

/** Istio drops a PathPrefix's trailing slash (except for "/"). */
function istioPrefix(value: string): string {
  return value !== "/" && value.endsWith("/") ? value.slice(0, -1) : value;
}

/** Gateway API's `ReplacePrefixMatch` on a `PathPrefix` match: element-wise, trailing slashes normalised. */
export function gatewayReplacePrefix(prefixValue: string, replacement: string, requestPath: string): string {
  const prefix = istioPrefix(prefixValue);
  const rest = prefix === "/" ? requestPath : requestPath.slice(prefix.length);
  const base = replacement.endsWith("/") ? replacement.slice(0, -1) : replacement;
  if (rest === "" || rest === "/") return rest === "/" ? `${base}/` : base || "/";
  return `${base}${rest.startsWith("/") ? rest : `/${rest}`}`;
}

function replacementOf(action: RouteActionPlan): { prefix?: string; full?: string } {
  if (action.kind === "forward")
    return {
      ...(action.rewrite?.prefix !== undefined ? { prefix: action.rewrite.prefix } : {}),
      ...(action.rewrite?.path !== undefined ? { full: action.rewrite.path } : {}),
    };
  return { ...(action.prefix !== undefined ? { prefix: action.prefix } : {}), ...(action.path !== undefined ? { full: action.path } : {}) };
}

/** The path the plan forwards (or redirects) a request to. */
export function planResultPath(intent: RouteIntent, requestPath: string): string {
  const { prefix, full } = replacementOf(intent.action);
  if (full !== undefined) return full;
  if (prefix !== undefined) return prefix + requestPath.slice(intent.match.path.value.length);
  return requestPath;
}

// --- Placing a host's intents into Istio's tiers -----------------------------------------------

/** A Gateway API rule Fleetgate writes, with the plan intent whose behaviour it gives. */
export interface PlacedRule {
  readonly intent: RouteIntent;
  readonly path: GatewayPath;
  readonly pathAction?: PathAction;
  /** Set on the Exact copies that keep a bare path out of the prefix tier: the bare path. */
  readonly guards?: string;
}

const RANK: Record<GatewayPathType, number> = { Exact: 3, PathPrefix: 2, RegularExpression: 1 };

/** Istio's sort key of a rule: bigger sorts first, compared field by field. */
export function istioSortKey(rule: { path: GatewayPath; intent: { match: RouteMatchPlan } }): [number, number, number, number, number] {
  const length = rule.path.type === "PathPrefix" ? istioPrefix(rule.path.value).length : rule.path.value.length;
  const { match } = rule.intent;
  return [RANK[rule.path.type], length, match.method !== undefined ? 1 : 0, match.headers.length, match.queryParams.length];
}

/** The rules in the order Istio tries them (a stable sort of the rules as written). */
export function istioOrder<T extends { path: GatewayPath; intent: { match: RouteMatchPlan } }>(rules: readonly T[]): T[] {
  const keyed = rules.map((rule, index) => ({ rule, index, key: istioSortKey(rule) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return b.key[i]! - a.key[i]!;
    return a.index - b.index;
  });
  return keyed.map((k) => k.rule);
}

/** An error a host's routes cannot be served with, in words the spec's owner can act on. */
export class RouteTranslationError extends Error {}

/** Conditions besides the path: a match without any takes every request for its paths. */
function conditionCount(match: RouteMatchPlan): number {
  return (match.method !== undefined ? 1 : 0) + match.headers.length + match.queryParams.length;
}

/**
 * Places a host's intents into Gateway API rules, in the order they are written. See the module comment
 * for the reasoning; `verifyHostRules` checks the result.
 */
export function placeHostRules(host: HostPlan): PlacedRule[] {
  const intents = hostIntents(host);
  checkPrefixRewrites(host.name, intents);
  const prefixTier = prefixTierOf(intents);
  const prefixRules = intents.filter((i) => prefixTier.has(i)).map(prefixTierRule);
  const bares = barePaths(prefixRules);
  const guardRules = bares.flatMap((bare) => bareGuards(host.name, intents, bare, prefixRules));
  const { exactRules, regexExact } = exactTier(intents, bares, prefixRules);
  const regexRules = regexTier(intents.filter((i) => (isPrefix(i) && !prefixTier.has(i)) || regexExact.has(i)));

  const placed = [...exactRules, ...guardRules, ...prefixRules, ...regexRules];
  verifyHostRules(host, placed);
  return placed;
}

function isPrefix(intent: RouteIntent): boolean {
  return intent.match.path.type === "Prefix";
}

/** Refuses prefix rewrites the gateway cannot do exactly: of "/" (Istio glues the replacement to the path), or to a value without a trailing "/" (Gateway API adds one). */
function checkPrefixRewrites(hostName: string, intents: readonly RouteIntent[]): void {
  for (const intent of intents) {
    const { prefix } = replacementOf(intent.action);
    // Istio hands a prefix rewrite of "/" to Envoy as a plain prefix replacement, which would glue the
    // replacement to the rest of the path ("/x" to "/apix"); the spec means "/api/x".
    if (prefix !== undefined && isPrefix(intent) && intent.match.path.value === "/")
      throw new RouteTranslationError(
        `${hostName}: route ${intent.key} replaces the prefix "/" of every path with ${JSON.stringify(prefix)}, which the gateway cannot do exactly; ` +
          `rewrite a narrower prefix (such as /v1/*), or rewrite the full path.`,
      );
    if (prefix !== undefined && isPrefix(intent) && !prefix.endsWith("/"))
      throw new RouteTranslationError(
        `${hostName}: route ${intent.key} replaces the prefix ${intent.match.path.value} with ${JSON.stringify(prefix)}, which does not end in "/"; ` +
          `Gateway API replaces whole path elements, so the gateway would add a "/" the spec does not. End the replacement with "/".`,
      );
  }
}

/** The prefix tier: routes that need ReplacePrefixMatch, and every earlier prefix route they overlap, so those stay ahead of them. */
function prefixTierOf(intents: readonly RouteIntent[]): Set<RouteIntent> {
  const index = new Map(intents.map((intent, i) => [intent, i]));
  const prefixTier = new Set(intents.filter((i) => isPrefix(i) && replacementOf(i.action).prefix !== undefined));
  for (let grew = true; grew;) {
    grew = false;
    for (const x of [...prefixTier])
      for (const y of intents.slice(0, index.get(x)))
        if (isPrefix(y) && !prefixTier.has(y) && planPathsOverlap(x.match.path, y.match.path)) {
          prefixTier.add(y);
          grew = true;
        }
  }
  return prefixTier;
}

/** A prefix-tier rule: a PathPrefix match without the trailing "/" Istio drops, keeping the route's rewrite as Gateway API's. */
function prefixTierRule(intent: RouteIntent): PlacedRule {
  const { prefix, full } = replacementOf(intent.action);
  const value = istioPrefix(intent.match.path.value);
  return {
    intent,
    path: { type: "PathPrefix", value },
    ...(full !== undefined
      ? { pathAction: { kind: "full", path: full } }
      : prefix !== undefined
        ? { pathAction: { kind: "prefix", replacement: prefix } }
        : {}),
  };
}

/** Bare paths the prefix tier would take (`/x` of `/x/`), sorted: they need Exact guard rules doing what the plan does there. */
function barePaths(prefixRules: readonly PlacedRule[]): string[] {
  return [
    ...new Set(
      prefixRules
        .map((r) => r.intent.match.path.value)
        .filter((v) => v !== "/")
        .map((v) => v.slice(0, -1)),
    ),
  ].sort();
}

/** An intent as an Exact rule on one path, its rewrite turned into that path's full-path result (Exact takes no ReplacePrefixMatch). */
function exactCopy(intent: RouteIntent, path: string, guards?: string): PlacedRule {
  const changed = replacementOf(intent.action);
  return {
    intent,
    path: { type: "Exact", value: path },
    ...(changed.full !== undefined || changed.prefix !== undefined ? { pathAction: { kind: "full", path: planResultPath(intent, path) } } : {}),
    ...(guards !== undefined ? { guards } : {}),
  };
}

/** A bare path's guards: Exact copies of the routes that match it, up to the first without conditions; an error if none takes it unconditionally, since the prefix tier would. */
function bareGuards(hostName: string, intents: readonly RouteIntent[], bare: string, prefixRules: readonly PlacedRule[]): PlacedRule[] {
  const list: RouteIntent[] = [];
  for (const intent of intents) {
    if (!planPathMatches(intent.match.path, bare)) continue;
    list.push(intent);
    if (conditionCount(intent.match) === 0) break;
  }
  if (!list.some((i) => conditionCount(i.match) === 0))
    throw new RouteTranslationError(
      `${hostName}: requests for ${bare} match no route of the spec, but the gateway would send them to ` +
        `${prefixRules.find((r) => r.intent.match.path.value === `${bare}/`)?.intent.key ?? "a PathPrefix rule"}, because a prefix rewrite or redirect needs a Gateway API PathPrefix match, which also takes ${bare}. ` +
        `Give the host a default backend or a catch-all route (path /*), or route ${bare} explicitly.`,
    );
  return list.map((intent) => exactCopy(intent, bare, bare));
}

/** Exact paths: the first tier, unless Istio's header/query order on that path differs from the plan's (then they go to the regular-expression tier). */
function exactTier(
  intents: readonly RouteIntent[],
  bares: readonly string[],
  prefixRules: readonly PlacedRule[],
): { exactRules: PlacedRule[]; regexExact: Set<RouteIntent> } {
  const groups = new Map<string, RouteIntent[]>();
  for (const intent of intents)
    if (intent.match.path.type === "Exact" && !bares.includes(intent.match.path.value))
      groups.set(intent.match.path.value, [...(groups.get(intent.match.path.value) ?? []), intent]);
  const exactRules: PlacedRule[] = [];
  const regexExact = new Set<RouteIntent>();
  for (const [value, group] of groups) {
    const rules = group.map((intent) => exactCopy(intent, value));
    const coveredByPrefixTier = prefixRules.some((r) => gatewayPathMatches(r.path, value));
    const sameOrder = istioOrder(rules).every((r, i) => r === rules[i]);
    if (sameOrder || coveredByPrefixTier) exactRules.push(...rules);
    else group.forEach((i) => regexExact.add(i));
  }
  return { exactRules, regexExact };
}

/** The regular-expression tier, each expression padded with leading "^" so that Istio's length order is the plan's order. */
function regexTier(regexIntents: readonly RouteIntent[]): PlacedRule[] {
  const natural = regexIntents.map((i) => escapeRegex(i.match.path.value) + (isPrefix(i) ? ".*" : ""));
  const lengths = paddedLengths(
    regexIntents,
    natural.map((n) => n.length),
  );
  return regexIntents.map((intent, i) => {
    const { full, prefix } = replacementOf(intent.action);
    const pathAction: PathAction | undefined =
      full !== undefined
        ? { kind: "full", path: full }
        : prefix !== undefined
          ? { kind: "full", path: planResultPath(intent, intent.match.path.value) }
          : undefined;
    return {
      intent,
      path: { type: "RegularExpression", value: "^".repeat(lengths[i]! - natural[i]!.length) + natural[i]! },
      ...(pathAction ? { pathAction } : {}),
    };
  });
}

/** Each expression's length after padding: longer than every later expression it overlaps, or as long where it already wins Istio's tie-break. */
function paddedLengths(regexIntents: readonly RouteIntent[], naturalLengths: readonly number[]): number[] {
  const lengths = [...naturalLengths];
  for (let i = regexIntents.length - 1; i >= 0; i--)
    for (let j = i + 1; j < regexIntents.length; j++)
      if (planPathsOverlap(regexIntents[i]!.match.path, regexIntents[j]!.match.path))
        lengths[i] = Math.max(lengths[i]!, lengths[j]! + (winsTie(regexIntents[i]!, regexIntents[j]!) ? 0 : 1));
  return lengths;
}

/** Whether `a` wins Istio's tie-break over `b` between equally long expressions: method, then header, then query counts. */
function winsTie(a: RouteIntent, b: RouteIntent): boolean {
  const [ka, kb] = [a, b].map((intent) => [intent.match.method !== undefined ? 1 : 0, intent.match.headers.length, intent.match.queryParams.length]);
  const differs = ka!.findIndex((v, i) => v !== kb![i]);
  return differs !== -1 && ka![differs]! > kb![differs]!;
}

// --- Checking a translation against the plan ---------------------------------------------------

interface Condition {
  readonly id: string;
  readonly kind: "method" | "header" | "query";
  readonly name: string;
  readonly match: ValueMatchPlan;
}

/** A match's conditions besides the path; a method is an exact condition that every request has one value of. */
function conditionsOf(match: RouteMatchPlan): Condition[] {
  const method: Condition[] =
    match.method !== undefined
      ? [{ id: `m:${match.method}`, kind: "method", name: "method", match: { name: "method", type: "Exact", value: match.method } }]
      : [];
  const header = (m: ValueMatchPlan): Condition => ({
    id: `h:${m.name.toLowerCase()}:${m.type}:${m.value ?? ""}`,
    kind: "header",
    name: m.name.toLowerCase(),
    match: m,
  });
  const query = (m: ValueMatchPlan): Condition => ({ id: `q:${m.name}:${m.type}:${m.value ?? ""}`, kind: "query", name: m.name, match: m });
  return [...method, ...match.headers.map(header), ...match.queryParams.map(query)];
}

interface TestRequest {
  readonly path: string;
  /** The conditions (by id) the request satisfies. */
  readonly holds: ReadonlySet<string>;
}

function fullMatch(pattern: string, value: string): boolean | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return undefined;
  }
}

/**
 * Requests that tell translations apart: paths at and around every route's boundary, and every
 * consistent combination of the host's header and query conditions (per name: absent, one of the exact
 * values named, or another value that may or may not match each regular expression).
 */
export function testRequests(intents: readonly RouteIntent[], extraPaths: readonly string[] = []): TestRequest[] {
  const paths = new Set<string>(["/", "/zz", ...extraPaths]);
  for (const i of intents) {
    const v = i.match.path.value;
    paths.add(v).add(`${v}z`).add(`${v}/`).add(`${v}z/y`);
    if (v.endsWith("/") && v !== "/") paths.add(v.slice(0, -1)).add(`${v.slice(0, -1)}z`);
  }
  const byName = new Map<string, Condition[]>();
  for (const i of intents)
    for (const c of conditionsOf(i.match)) {
      const key = `${c.kind}:${c.name}`;
      const list = byName.get(key) ?? [];
      if (!list.some((x) => x.id === c.id)) list.push(c);
      byName.set(key, list);
    }
  const options: string[][][] = [...byName.values()].map((conds) => {
    const exact = conds.filter((c) => c.match.type === "Exact");
    const regex = conds.filter((c) => c.match.type === "RegularExpression");
    const present = conds.filter((c) => c.match.type === "Present").map((c) => c.id);
    const out: string[][] = [[]];
    for (const e of exact) out.push([e.id, ...present, ...regex.filter((r) => fullMatch(r.match.value ?? "", e.match.value ?? "") !== false).map((r) => r.id)]);
    for (let mask = 0; mask < 1 << Math.min(regex.length, 8); mask++) out.push([...present, ...regex.filter((_, k) => mask & (1 << k)).map((r) => r.id)]);
    return out;
  });
  let combos: string[][] = [[]];
  const total = options.reduce((n, o) => n * o.length, 1);
  if (total <= 4096) {
    for (const o of options) combos = combos.flatMap((c) => o.map((choice) => [...c, ...choice]));
  } else {
    // Too many to try all: every pair of names at every choice, the others absent.
    for (let a = 0; a < options.length; a++)
      for (let b = a; b < options.length; b++) for (const x of options[a]!) for (const y of options[b]!) combos.push([...x, ...y]);
  }
  return [...paths].sort().flatMap((path) => combos.map((c) => ({ path, holds: new Set(c) })));
}

function intentApplies(intent: { match: RouteMatchPlan }, request: TestRequest): boolean {
  return conditionsOf(intent.match).every((c) => request.holds.has(c.id));
}

/** What the plan does with a request: the intent that takes it and the resulting path, or undefined (404). */
export function planOutcome(intents: readonly RouteIntent[], request: TestRequest): { key: string; path: string } | undefined {
  const intent = intents.find((i) => planPathMatches(i.match.path, request.path) && intentApplies(i, request));
  return intent ? { key: intent.key, path: planResultPath(intent, request.path) } : undefined;
}

/** What Istio does with a request given the rules as written. */
export function istioOutcome(rules: readonly PlacedRule[], request: TestRequest): { key: string; path: string } | undefined {
  const rule = istioOrder(rules).find((r) => gatewayPathMatches(r.path, request.path) && intentApplies(r.intent, request));
  if (!rule) return undefined;
  const action = rule.pathAction;
  const path = !action ? request.path : action.kind === "full" ? action.path : gatewayReplacePrefix(rule.path.value, action.replacement, request.path);
  return { key: rule.intent.key, path };
}

/** Throws a RouteTranslationError naming the first test request Istio would treat unlike the plan. */
export function verifyHostRules(host: HostPlan, rules: readonly PlacedRule[]): void {
  const intents = hostIntents(host);
  const extra = rules.map((r) => r.guards ?? "").filter((g) => g !== "");
  for (const request of testRequests(intents, extra)) {
    const want = planOutcome(intents, request);
    const got = istioOutcome(rules, request);
    if (want?.key === got?.key && want?.path === got?.path) continue;
    const conds = [...request.holds].sort();
    const describe = (o: { key: string; path: string } | undefined) =>
      o ? `route ${o.key}${o.path !== request.path ? ` (as ${o.path})` : ""}` : "no route (404)";
    throw new RouteTranslationError(
      `${host.name}: the gateway cannot keep the spec's route order: a request for ${request.path}${conds.length ? ` with ${conds.join(", ")}` : ""} ` +
        `goes to ${describe(want)} in the spec but would go to ${describe(got)} in the cluster, where Istio orders rules on one path by their method match, then their header matches, then their query matches. ` +
        `Give the route the spec tries first at least as many header conditions as the other, or give them different paths.`,
    );
  }
}

// --- Gateway API rules for one cluster ---------------------------------------------------------

export type HttpRouteRule = NonNullable<IHTTPRoute["spec"]["rules"]>[number];
type Filter = NonNullable<HttpRouteRule["filters"]>[number];

/** What a cluster brings to its rules: which services run there, and service defaults. */
export interface ClusterRouteContext {
  /** Keys of the services that run in this cluster (drained ones included). */
  readonly localServices: ReadonlySet<string>;
  /**
   * Whether the front door already chose a backend of each split (the GCP URL map does; the AWS front
   * door works at layer 4 and splits nothing).
   */
  readonly splitAtFrontDoor: boolean;
  /** The scheme forwarded requests are marked with where the front door adds no X-Forwarded-Proto. */
  readonly forwardedProto?: "https";
  /** A service's own request timeout (seconds), used when a route sends to it alone. */
  readonly serviceTimeout: (serviceKey: string) => number | undefined;
}

/** Gateway API's standard redirect codes are 301 and 302: the nearest with the same permanence. */
export function redirectStatus(code: 301 | 302 | 303 | 307 | 308): 301 | 302 {
  return code === 301 || code === 308 ? 301 : 302;
}

/**
 * The backends of a forward rule in this cluster. Where the front door splits, a split keeps only the
 * backends that run here, at their relative weights: the front door already chose this cluster for the
 * request, and a backend that does not run here is served by the front door's own split to the clusters
 * that run it; re-splitting across clusters here would apply the canary twice. When no backend of the
 * rule runs here (a header-matched canary that only one cluster runs, say), or the front door splits
 * nothing, the rule keeps the spec's backends: the mesh reaches them in the clusters that run them, so
 * the request still goes where the spec says.
 */
export function localBackends(backends: readonly BackendRefPlan[], context: ClusterRouteContext): readonly BackendRefPlan[] {
  if (!context.splitAtFrontDoor) return backends;
  const local = backends.filter((b) => context.localServices.has(b.service));
  return local.length > 0 ? local : backends;
}

/** A rule's request headers with X-Forwarded-Proto set to the front door's scheme, unless the spec sets it. */
function withForwardedProto(actions: HeaderActionsPlan | undefined, proto: "https" | undefined): HeaderActionsPlan | undefined {
  if (proto === undefined) return actions;
  const own = actions ?? { set: {}, add: {}, remove: [] };
  if ([...Object.keys(own.set), ...Object.keys(own.add), ...own.remove].some((name) => name.toLowerCase() === "x-forwarded-proto")) return actions;
  return { ...own, set: { ...own.set, "x-forwarded-proto": proto } };
}

function headerFilter(
  actions: HeaderActionsPlan | undefined,
): { set?: { name: string; value: string }[]; add?: { name: string; value: string }[]; remove?: string[] } | undefined {
  if (!actions) return undefined;
  const pairs = (m: Readonly<Record<string, string>>) =>
    Object.keys(m)
      .sort()
      .map((name) => ({ name, value: m[name]! }));
  const out = {
    ...(Object.keys(actions.set).length ? { set: pairs(actions.set) } : {}),
    ...(Object.keys(actions.add).length ? { add: pairs(actions.add) } : {}),
    ...(actions.remove.length ? { remove: [...actions.remove].sort() } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}

function gatewayPathModifier(
  action: PathAction,
): { type: "ReplacePrefixMatch"; replacePrefixMatch: string } | { type: "ReplaceFullPath"; replaceFullPath: string } {
  return action.kind === "prefix"
    ? { type: "ReplacePrefixMatch", replacePrefixMatch: action.replacement }
    : { type: "ReplaceFullPath", replaceFullPath: action.path };
}

function valueMatch(m: ValueMatchPlan): { name: string; type: "Exact" | "RegularExpression"; value: string } {
  // Gateway API has no "present" match; a regular expression that takes any value requires presence.
  if (m.type === "Present") return { name: m.name, type: "RegularExpression", value: ".*" };
  return { name: m.name, type: m.type, value: m.value ?? "" };
}

/**
 * A Gateway API duration: whole units only (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`), so a fractional second
 * is written as seconds and milliseconds: 2.5 -> `2s500ms`, 0.25 -> `250ms`.
 */
export function gatewayDuration(seconds: number): string {
  const millis = Math.round(seconds * 1000);
  const whole = Math.floor(millis / 1000);
  const rest = millis % 1000;
  if (rest === 0) return `${whole}s`;
  return whole === 0 ? `${rest}ms` : `${whole}s${rest}ms`;
}

/** One Gateway API rule of a placed rule, with the cluster's backends. */
export function gatewayRule(rule: PlacedRule, context: ClusterRouteContext): HttpRouteRule {
  const { match, action } = rule.intent;
  const filters: Filter[] = [];
  const matches = [
    {
      path: { type: rule.path.type, value: rule.path.value },
      ...(match.method !== undefined ? { method: match.method } : {}),
      ...(match.headers.length ? { headers: match.headers.map(valueMatch) } : {}),
      ...(match.queryParams.length ? { queryParams: match.queryParams.map(valueMatch) } : {}),
    },
  ];
  if (action.kind === "redirect") {
    filters.push({
      type: "RequestRedirect",
      requestRedirect: {
        // Behind the front door the gateway sees plain HTTP, but every public URL is HTTPS.
        scheme: action.scheme ?? "https",
        ...(action.host !== undefined ? { hostname: action.host } : {}),
        ...(rule.pathAction ? { path: gatewayPathModifier(rule.pathAction) } : {}),
        statusCode: redirectStatus(action.statusCode),
      },
    });
    return { matches, filters } as HttpRouteRule;
  }
  const request = headerFilter(withForwardedProto(action.requestHeaders, context.forwardedProto));
  if (request) filters.push({ type: "RequestHeaderModifier", requestHeaderModifier: request });
  const response = headerFilter(action.responseHeaders);
  if (response) filters.push({ type: "ResponseHeaderModifier", responseHeaderModifier: response });
  if (action.rewrite?.host !== undefined || rule.pathAction)
    filters.push({
      type: "URLRewrite",
      urlRewrite: {
        ...(action.rewrite?.host !== undefined ? { hostname: action.rewrite.host } : {}),
        ...(rule.pathAction ? { path: gatewayPathModifier(rule.pathAction) } : {}),
      },
    });
  const backends = localBackends(action.backends, context);
  const timeout = action.timeoutSeconds ?? (backends.length === 1 ? context.serviceTimeout(backends[0]!.service) : undefined);
  const perTry = action.retries?.perTryTimeoutSeconds;
  const timeouts = {
    ...(timeout !== undefined ? { request: gatewayDuration(timeout) } : {}),
    ...(perTry !== undefined && (timeout === undefined || perTry <= timeout) ? { backendRequest: gatewayDuration(perTry) } : {}),
  };
  return {
    matches,
    ...(filters.length ? { filters } : {}),
    backendRefs: backends.map((b) => {
      const [namespace, name] = splitServiceKey(b.service);
      return { group: "", kind: "Service", name, namespace, port: b.port, weight: b.weight };
    }),
    ...(Object.keys(timeouts).length ? { timeouts } : {}),
  } as HttpRouteRule;
}

/** Gateway API allows at most this many rules in one HTTPRoute. */
export const MAX_RULES_PER_ROUTE = 16;

/**
 * Splits a host's rules into HTTPRoutes of at most MAX_RULES_PER_ROUTE rules. Rules that tie in Istio's
 * order on the same path stay together, in the order written, so their order never depends on which
 * HTTPRoute was created first. (Overlapping rules that tie always share their path: the expression tier
 * is padded so that overlapping expressions never tie.) Other rules may go to any HTTPRoute.
 */
export function chunkRules(rules: readonly PlacedRule[]): PlacedRule[][] {
  const groups = new Map<string, PlacedRule[]>();
  for (const rule of rules) {
    const tie = `${istioSortKey(rule).join()} ${rule.path.value}`;
    groups.set(tie, [...(groups.get(tie) ?? []), rule]);
  }
  const chunks: PlacedRule[][] = [];
  for (const group of groups.values()) {
    if (group.length > MAX_RULES_PER_ROUTE)
      throw new RouteTranslationError(`${group.length} routes of one host tie in Istio's order on ${group[0]!.path.value}; at most ${MAX_RULES_PER_ROUTE} can`);
    const fits = chunks.find((c) => c.length + group.length <= MAX_RULES_PER_ROUTE);
    if (fits) fits.push(...group);
    else chunks.push([...group]);
  }
  return chunks;
}

/** Notes about what the in-cluster gateway does differently from the front door, per host. */
export function routeNotes(host: HostPlan): string[] {
  const notes: string[] = [];
  for (const route of host.routes) {
    if (route.action.kind === "forward" && route.action.retries)
      notes.push(
        `${host.name} ${route.key}: retries (${route.action.retries.attempts}) apply at the front door; the gateway uses Istio's default retry policy (Gateway API retries are experimental)`,
      );
    if (route.action.kind === "redirect" && redirectStatus(route.action.statusCode) !== route.action.statusCode)
      notes.push(
        `${host.name} ${route.key}: the gateway redirects with ${redirectStatus(route.action.statusCode)} instead of ${route.action.statusCode} (Gateway API's standard codes are 301 and 302)`,
      );
  }
  return notes;
}
