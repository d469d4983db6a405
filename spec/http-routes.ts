/**
 * Gateway API HTTPRoutes normalised into the FleetPlan's routes, with the problems that keep a route from
 * being expressed exactly. One function serves the validator (which reports the problems at their
 * fields) and the resolver (which runs only when there are none), so both read a route the same way.
 *
 * The mapping (docs/dialects.md):
 * - Exact `/x` is the plan's Exact `/x`; PathPrefix `/x` matches whole path elements, so it becomes two
 *   plan routes with one action: Exact `/x` and Prefix `/x/` (PathPrefix `/` is Prefix `/`).
 * - Several matches of a rule are ORed: each is a plan route of its own with the rule's action; so is
 *   each of the route's hostnames.
 * - A rule that only sends everything else to one backend becomes the host's default backend in the
 *   resolver, as a GKE `/*` path does (spec/resolve.ts, foldCatchAll).
 * - Precedence: spec/route-precedence.ts.
 */
import { cite } from "../contracts/contract";
import { noRegex } from "../contracts/gcp";
import { gatewayHostnameIntersection } from "../contracts/gateway-api";
import type { PathSegment } from "./diagnostics";
import { failedToLoad, keyOf, type Loaded, type LoadedDocuments } from "./documents";
import { didYouMean, hostMatchesPattern } from "./names";
import { compiles } from "./regex";
import { isReservedPath, matchKey, RESERVED_PATH_PREFIX } from "./paths";
import type * as P from "./plan";
import { sourceKey, type RoutePrecedence } from "./route-precedence";
import { durationMillis } from "./schema/common";
import type { MultiClusterService } from "./schema/documents";
import { GKE_MCS_GROUP, type HTTPBackendRef, type HTTPRoute, type HTTPRouteMatch, type HTTPRouteRule, type ReferenceGrant } from "./schema/gateway-api";
import { findPort, type Problem } from "./select";
import { fleetGateway, type ListenerView } from "./fleet-gateway";
import { grantSpecificity } from "./host-ownership";
import type { EnvironmentConfig } from "./schema/environment";

export interface HttpRouteContext {
  readonly frontDoor: "gcp" | "aws";
  /**
   * The gateway every route attaches to: the admin's Gateway (its name, in the gateway namespace, and its
   * listeners) when the environment has one, else the implicit fleet gateway GATEWAY_NAME in the gateway
   * namespace, without listeners (spec/fleet-gateway.ts). Policies that target the Gateway name it here.
   */
  readonly gateway: { readonly name: string; readonly namespace: string; readonly listeners?: readonly ListenerView[] };
  readonly services: ReadonlyMap<string, Loaded<"MultiClusterService", MultiClusterService>>;
  readonly referenceGrants: readonly Loaded<"ReferenceGrant", ReferenceGrant>[];
  readonly documents: Pick<LoadedDocuments, "invalid" | "unreadable">;
}

/** The context of the environment's routes: its front door, its fleet gateway, its services and grants. */
export function httpRouteContext(
  config: Pick<EnvironmentConfig, "frontDoor" | "gateway">,
  services: ReadonlyMap<string, Loaded<"MultiClusterService", MultiClusterService>>,
  documents: Pick<LoadedDocuments, "invalid" | "unreadable" | "referenceGrants"> & Partial<Pick<LoadedDocuments, "gateways">>,
): HttpRouteContext {
  const gateway = fleetGateway(config, documents.gateways ?? []);
  return {
    frontDoor: config.frontDoor,
    gateway: { name: gateway.name, namespace: gateway.namespace, ...(gateway.admin ? { listeners: gateway.admin.listeners } : {}) },
    services,
    referenceGrants: documents.referenceGrants,
    documents,
  };
}

/** One plan route of an HTTPRoute: a hostname and one (half of a) match of a rule. */
export interface GatewayRouteDraft {
  readonly host: string;
  readonly match: P.RouteMatchPlan;
  readonly precedence: RoutePrecedence;
  readonly action: P.RouteActionPlan;
  /** The exact half of a PathPrefix: a real Exact match of the same key on the host shadows it. */
  readonly derived: boolean;
  /** Where the match is written, for messages. */
  readonly path: PathSegment[];
  /** Where the hostname is written. */
  readonly hostPath: PathSegment[];
  /** The pre-shared certificates of the listener the host is served through (the admin's Gateway's TLS options). */
  readonly preShared?: readonly string[];
}

/** A host a route serves: one of its hostnames, or its intersection with a listener's hostname. */
export interface RouteHost {
  readonly host: string;
  /** Where it comes from: the route's hostname, or (taken from a listener) the parentRef. */
  readonly path: PathSegment[];
  readonly preShared?: readonly string[];
}

export interface NormalisedRoute {
  readonly routes: GatewayRouteDraft[];
  /** The hosts the route serves, each once: its claims under fleetgate:hostOwnership. */
  readonly hosts: RouteHost[];
  readonly problems: Problem[];
}

/** An HTTPRoute document with what it normalises to. */
export type NormalisedHttpRoute = { readonly loaded: Loaded<"HTTPRoute", HTTPRoute> } & NormalisedRoute;

/** Every HTTPRoute document, normalised once for the checks and the resolver that read them. */
export function normaliseHttpRoutes(routes: readonly Loaded<"HTTPRoute", HTTPRoute>[], ctx: HttpRouteContext): NormalisedHttpRoute[] {
  return routes.map((loaded) => ({ loaded, ...normaliseHttpRoute(loaded, ctx) }));
}

/** How a rule is named in messages: its name, or its position. */
function ruleLabel(rule: HTTPRouteRule, r: number): string {
  return rule.name !== undefined ? `rule "${rule.name}" (spec.rules[${r}])` : `spec.rules[${r}]`;
}

export function normaliseHttpRoute(loaded: Loaded<"HTTPRoute", HTTPRoute>, ctx: HttpRouteContext): NormalisedRoute {
  const route = loaded.doc;
  const problems: Problem[] = [];
  const problem = (path: PathSegment[], message: string) => problems.push({ path, message });

  if (ctx.gateway.listeners !== undefined && upgradesPort80Only(route, ctx.gateway.listeners))
    return {
      routes: [],
      hosts: [],
      problems: [
        {
          path: ["spec", "parentRefs"],
          severity: "warning",
          message: `attach the route to HTTP listeners only, where every rule redirects to HTTPS, and the front door's port 80 already does that for every host (with 301, or the status a FrontendConfig's redirectToHttps names for its ingresses' hosts), so the route adds nothing and is not planned; remove it`,
        },
      ],
    };
  const hosts =
    ctx.gateway.listeners === undefined
      ? implicitGatewayHosts(route, ctx, problem)
      : attachedHosts(route, ctx.gateway as Required<HttpRouteContext["gateway"]>, problem);

  const routes: GatewayRouteDraft[] = [];
  route.spec.rules.forEach((rule, r) => {
    const base: PathSegment[] = ["spec", "rules", r];
    const action = ruleAction(loaded, rule, r, ctx, problems);
    rule.matches.forEach((m, i) => {
      const at: PathSegment[] = [...base, "matches", i];
      const conditions = matchConditions(m, at, ctx, problem);
      const halves = pathHalves(m, at, problem);
      if (!halves || !conditions || !action) return;
      for (const { host, path: hostPath, preShared } of hosts)
        for (const half of halves) {
          const match: P.RouteMatchPlan = { path: half.path, ...conditions };
          routes.push({
            host,
            match,
            precedence: { exact: half.exact, length: half.length, source: sourceKey(loaded.file, loaded.index, r, i) },
            action: halfAction(action, half),
            derived: half.derived,
            path: at,
            hostPath,
            ...(preShared ? { preShared } : {}),
          });
        }
    });
  });
  return { routes, hosts, problems };
}

/** Without the admin's Gateway: every route attaches to the implicit fleet gateway, and serves its hostnames. */
function implicitGatewayHosts(route: HTTPRoute, ctx: HttpRouteContext, problem: (path: PathSegment[], message: string) => void): RouteHost[] {
  const namespace = route.metadata.namespace;
  route.spec.parentRefs.forEach((ref, i) => {
    const at: PathSegment[] = ["spec", "parentRefs", i];
    const attach = `parentRefs: [{ name: ${ctx.gateway.name}, namespace: ${ctx.gateway.namespace} }]`;
    if (ref.name !== ctx.gateway.name)
      problem([...at, "name"], `"${ref.name}" is not the environment's fleet gateway, the one gateway every route attaches to; write ${attach}`);
    if ((ref.namespace ?? namespace) !== ctx.gateway.namespace)
      problem(
        [...at, ref.namespace === undefined ? "name" : "namespace"],
        `${ref.namespace === undefined ? `leaves the namespace out, which means the route's own (${namespace})` : `"${ref.namespace}" is not the fleet gateway's namespace`}; the fleet gateway is in ${ctx.gateway.namespace}: write ${attach}`,
      );
    if (ref.sectionName !== undefined)
      problem(
        [...at, "sectionName"],
        `names listener "${ref.sectionName}", but the fleet gateway's listeners are Fleetgate's own (one per host, made from the routes' hostnames); leave sectionName out: the route's hostnames choose its listeners`,
      );
    if (ref.port !== undefined && ref.port !== 443)
      problem([...at, "port"], `is ${ref.port}, but the front doors serve routes on 443 only (port 80 redirects to HTTPS); leave port out or write 443`);
  });
  if (route.spec.hostnames.length === 0)
    problem(
      ["spec"],
      `has no hostnames; Fleetgate serves every team from one front door, so a route MUST name the hosts it serves: add hostnames: [shop.example.com]`,
    );
  return uniqueHostnames(route, problem).map(({ host, h }) => ({ host, path: ["spec", "hostnames", h] }));
}

/**
 * The GKE way of upgrading HTTP to HTTPS: a route on the HTTP listeners alone whose every rule only
 * redirects to https on the same host and path. The front door's port 80 does exactly that for every host.
 */
function upgradesPort80Only(route: HTTPRoute, listeners: readonly ListenerView[]): boolean {
  const onHttp = route.spec.parentRefs.every((ref) => {
    const named = listeners.filter((l) => (ref.sectionName === undefined || l.name === ref.sectionName) && (ref.port === undefined || l.port === ref.port));
    return named.length > 0 && named.every((l) => l.protocol === "HTTP");
  });
  const upgrades = route.spec.rules.every((rule) => {
    const redirect = rule.filters?.length === 1 ? rule.filters[0]!.requestRedirect : undefined;
    return (
      (rule.backendRefs ?? []).length === 0 &&
      redirect?.scheme === "https" &&
      redirect.hostname === undefined &&
      redirect.path === undefined &&
      (redirect.port === undefined || redirect.port === 443)
    );
  });
  return onHttp && upgrades;
}

/** The route's hostnames, each once (a repeated one is reported), with their positions. */
function uniqueHostnames(route: HTTPRoute, problem: (path: PathSegment[], message: string) => void): { host: string; h: number }[] {
  const out: { host: string; h: number }[] = [];
  route.spec.hostnames.forEach((host, h) => {
    const first = route.spec.hostnames.indexOf(host);
    if (first < h) problem(["spec", "hostnames", h], `"${host}" is already hostnames[${first}]; list each host once`);
    else out.push({ host, h });
  });
  return out;
}

/**
 * The Gateway API's intersection of a route hostname with a listener's: the more specific of the two
 * when one lies within the other (a wildcard `*.example.com` covers `a.example.com` and
 * `a.b.example.com`, never `example.com`), the route's own when the listener has none, else none.
 */
export function intersectHostnames(route: string, listener: string | undefined): string | undefined {
  if (listener === undefined) return route;
  if (hostMatchesPattern(route, listener)) return route;
  if (hostMatchesPattern(listener, route)) return listener;
  return undefined;
}

/**
 * With the admin's Gateway: each parentRef attaches to the listeners it names (sectionName, port) whose
 * allowedRoutes admit the route, and the route serves its hostnames' intersections with theirs
 * (contracts kubernetes.gateway-allowed-routes, kubernetes.gateway-hostname-intersection). HTTP listeners add no hosts: the front door's port 80 only redirects to HTTPS.
 */
function attachedHosts(route: HTTPRoute, gateway: Required<HttpRouteContext["gateway"]>, problem: (path: PathSegment[], message: string) => void): RouteHost[] {
  const namespace = route.metadata.namespace;
  const gatewayKey = `${gateway.namespace}/${gateway.name}`;
  const served = new Map<string, RouteHost & { rank: number }>();
  const hostnames = uniqueHostnames(route, problem);
  const intersected = new Set<number>();
  const attachedTo: ListenerView[] = [];
  let noHostnames = false;
  const names = gateway.listeners.map((l) => l.name);
  route.spec.parentRefs.forEach((ref, i) => {
    const at: PathSegment[] = ["spec", "parentRefs", i];
    const attach = `parentRefs: [{ name: ${gateway.name}, namespace: ${gateway.namespace} }]`;
    if (ref.name !== gateway.name) {
      problem([...at, "name"], `"${ref.name}" is not the environment's Gateway, ${gatewayKey}, the one every route attaches to; write ${attach}`);
      return;
    }
    if ((ref.namespace ?? namespace) !== gateway.namespace) {
      problem(
        [...at, ref.namespace === undefined ? "name" : "namespace"],
        `${ref.namespace === undefined ? `leaves the namespace out, which means the route's own (${namespace})` : `"${ref.namespace}" is not the Gateway's namespace`}; Gateway ${gateway.name} is in ${gateway.namespace}: write ${attach}`,
      );
      return;
    }
    let candidates = gateway.listeners;
    if (ref.sectionName !== undefined) {
      candidates = candidates.filter((l) => l.name === ref.sectionName);
      if (candidates.length === 0) {
        problem(
          [...at, "sectionName"],
          `names listener "${ref.sectionName}", which Gateway ${gatewayKey} does not have${didYouMean(ref.sectionName, names)}; its listeners are ${names.map((n) => `"${n}"`).join(", ")}, or leave sectionName out to attach to every listener that admits the route`,
        );
        return;
      }
    }
    if (ref.port !== undefined) {
      const before = candidates;
      candidates = candidates.filter((l) => l.port === ref.port);
      if (candidates.length === 0) {
        problem(
          [...at, "port"],
          `is ${ref.port}, but ${ref.sectionName !== undefined ? `listener "${ref.sectionName}"` : `no listener of Gateway ${gatewayKey}`} listens on it; write port: ${before[0]!.port}, or leave port out`,
        );
        return;
      }
    }
    const admitting = candidates.filter((l) => l.refuses(namespace) === undefined);
    if (admitting.length === 0) {
      const why = [...new Set(candidates.map((l) => l.refuses(namespace)!))].join("; ");
      problem(
        at,
        `attaches to no listener of Gateway ${gatewayKey}: ${why}; the route is not served. The platform admin admits namespace ${namespace} with allowedRoutes: { namespaces: { from: All } } on the listener`,
      );
      return;
    }
    const https = admitting.filter((l) => l.protocol === "HTTPS");
    if (https.length === 0) {
      problem(
        [...at, ref.sectionName !== undefined ? "sectionName" : "name"],
        `attaches only to ${admitting.map((l) => `"${l.name}"`).join(", ")} (HTTP), where the front door's port 80 redirects every request to HTTPS, so the route would serve nothing; attach it to an HTTPS listener (${
          names
            .filter((n) => gateway.listeners.find((l) => l.name === n)?.protocol === "HTTPS")
            .map((n) => `sectionName: ${n}`)
            .join(", ") || "the Gateway has none"
        })`,
      );
      return;
    }
    for (const listener of https) {
      attachedTo.push(listener);
      const rank = listener.hostname === undefined ? -1 : grantSpecificity(listener.hostname);
      const add = (host: string, path: PathSegment[]) => {
        const previous = served.get(host);
        if (!previous) served.set(host, { host, path, rank, ...(listener.preShared ? { preShared: listener.preShared } : {}) });
        else if (rank > previous.rank) served.set(host, { host, path: previous.path, rank, ...(listener.preShared ? { preShared: listener.preShared } : {}) });
      };
      if (route.spec.hostnames.length === 0) {
        if (listener.hostname === undefined) noHostnames = true;
        else add(listener.hostname, at);
        continue;
      }
      for (const { host, h } of hostnames) {
        const common = intersectHostnames(host, listener.hostname);
        if (common === undefined) continue;
        intersected.add(h);
        add(common, ["spec", "hostnames", h]);
      }
    }
  });
  if (noHostnames)
    problem(
      ["spec"],
      `has no hostnames, and a listener it attaches to serves every host; Fleetgate serves every team from one front door, so a route MUST name the hosts it serves: add hostnames: [shop.example.com]`,
    );
  if (attachedTo.length > 0)
    for (const { host, h } of hostnames)
      if (!intersected.has(h)) {
        const listed = [...new Set(attachedTo.map((l) => `"${l.name}" (${l.hostname ?? "every host"})`))].join(", ");
        problem(
          ["spec", "hostnames", h],
          `"${host}" lies within the hostname of no listener the route attaches to ${cite(gatewayHostnameIntersection)}: ${listed}; serve a host within one of them, or ask the platform admin for a listener of this host`,
        );
      }
  return [...served.values()].sort((a, b) => compareText(a.host, b.host)).map(({ rank: _rank, ...host }) => host);
}

interface PathHalf {
  readonly path: P.PathMatchPlan;
  readonly exact: boolean;
  readonly derived: boolean;
  readonly length: number;
  /** The PathPrefix's value without its final "/" (for ReplacePrefixMatch). */
  readonly prefix?: string;
}

/** The plan's path matches of a Gateway API path match (one, or the two halves of a PathPrefix). */
function pathHalves(m: HTTPRouteMatch, at: PathSegment[], problem: (path: PathSegment[], message: string) => void): PathHalf[] | undefined {
  const path = m.path ?? { type: "PathPrefix" as const, value: "/" };
  if (path.type === "RegularExpression") {
    problem(
      [...at, "path", "type"],
      `is RegularExpression, which Fleetgate cannot express exactly: the GCP front door's global load balancer matches no regular expressions ${cite(noRegex)}, and the plan both front doors are built from holds exact paths and element prefixes only; use Exact or PathPrefix, one match per path`,
    );
    return undefined;
  }
  if (isReservedPath(path.value)) {
    problem(
      [...at, "path", "value"],
      `${JSON.stringify(path.value)} lies under ${RESERVED_PATH_PREFIX}, which Fleetgate reserves on every host for the front door's health checks through the gateways (the front door answers clients there with 404 itself); serve the route under another path`,
    );
    return undefined;
  }
  if (path.type === "Exact") return [{ path: { type: "Exact", value: path.value }, exact: true, derived: false, length: path.value.length }];
  const prefix = path.value === "/" ? "/" : path.value.replace(/\/+$/, "");
  if (prefix === "/") return [{ path: { type: "Prefix", value: "/" }, exact: false, derived: false, length: 1, prefix }];
  return [
    { path: { type: "Exact", value: prefix }, exact: false, derived: true, length: prefix.length, prefix },
    { path: { type: "Prefix", value: `${prefix}/` }, exact: false, derived: false, length: prefix.length, prefix },
  ];
}

/** The headers, query parameters and method of a match, in the plan's order; undefined when refused. */
function matchConditions(
  m: HTTPRouteMatch,
  at: PathSegment[],
  ctx: HttpRouteContext,
  problem: (path: PathSegment[], message: string) => void,
): Pick<P.RouteMatchPlan, "headers" | "queryParams" | "method"> | undefined {
  let refused = false;
  const read = (
    list: readonly { type: "Exact" | "RegularExpression"; name: string; value: string }[] | undefined,
    field: "headers" | "queryParams",
  ): P.ValueMatchPlan[] => {
    const seen = new Map<string, number>();
    (list ?? []).forEach((c, i) => {
      // Header names are matched without regard to case, query parameter names with it.
      const key = field === "headers" ? c.name.toLowerCase() : c.name;
      const first = seen.get(key);
      if (first !== undefined) {
        problem(
          [...at, field, i, "name"],
          `"${c.name}" is already ${field}[${first}]; the Gateway API takes only the first condition on a name, so give each name one condition`,
        );
        refused = true;
      } else seen.set(key, i);
      if (c.type === "RegularExpression") {
        if (!compiles(c.value)) {
          problem([...at, field, i, "value"], `${JSON.stringify(c.value)} is not a valid regular expression`);
          refused = true;
        } else if (ctx.frontDoor === "gcp") {
          problem([...at, field, i, "type"], `is RegularExpression, which the GCP front door's global load balancer cannot match ${cite(noRegex)}; use Exact`);
          refused = true;
        }
      }
    });
    return (list ?? [])
      .map((c) => ({ name: c.name, type: c.type, value: c.value }))
      .sort((a, b) => compareText(a.name, b.name) || compareText(a.type, b.type) || compareText(a.value, b.value));
  };
  const headers = read(m.headers, "headers");
  const queryParams = read(m.queryParams, "queryParams");
  if (refused) return undefined;
  return { headers, queryParams, ...(m.method !== undefined ? { method: m.method } : {}) };
}

/**
 * What a rule does with a matching request, with any prefix replacement written for a Prefix `/x/`
 * half (see halfAction); undefined when something in it is refused.
 */
function ruleAction(
  loaded: Loaded<"HTTPRoute", HTTPRoute>,
  rule: HTTPRouteRule,
  r: number,
  ctx: HttpRouteContext,
  problems: Problem[],
): P.RouteActionPlan | undefined {
  const problem: Report = (path, message) => problems.push({ path, message });
  const base: PathSegment[] = ["spec", "rules", r];
  const label = ruleLabel(rule, r);
  const before = problems.length;
  checkFilterTypes(rule.filters ?? [], base, label, problem);
  const redirect = filterAt(rule, "requestRedirect");
  const rewrite = filterAt(rule, "urlRewrite");
  const refs = rule.backendRefs ?? [];
  checkPathFilters(rule.matches, redirect, rewrite, base, label, problem);

  if (redirect) {
    checkRedirect(redirect, refs.length > 0, ctx.frontDoor, base, problem);
    return problems.length > before ? undefined : redirectAction(redirect.value);
  }
  if (refs.length === 0) {
    problem([...base], `has no backendRefs and no RequestRedirect filter; add backendRefs: [{ name: <service>, port: <port> }]`);
    return undefined;
  }
  const backends = refs.map((ref, i) => backendOf(loaded, ref, [...base, "backendRefs", i], ctx, problem));
  const percents = splitPercents(refs, loaded.doc.metadata.namespace, base, label, problem);
  if (rewrite) checkRewrite(rewrite, rule.matches, ctx.frontDoor, base, problem);
  const timeoutMillis = ruleTimeoutMillis(rule.timeouts, base, problem);
  if (problems.length > before || backends.some((b) => b === undefined)) return undefined;

  const planned = backends as P.BackendRefPlan[];
  return forwardAction({
    backends: planned,
    percents,
    timeoutMillis,
    // As a MultiClusterIngress path does, a rule retries as its first backend's service declares.
    retries: ctx.services.get(planned[0]!.service)?.doc.spec.fleetgate?.retries,
    rewrite: rewrite?.value,
    requestHeaders: filterAt(rule, "requestHeaderModifier")?.value,
    responseHeaders: filterAt(rule, "responseHeaderModifier")?.value,
  });
}

/** Reports a problem at a path of the document. */
type Report = (path: PathSegment[], message: string) => void;
type RuleFilter = NonNullable<HTTPRouteRule["filters"]>[number];
type FilterField = "requestRedirect" | "urlRewrite" | "requestHeaderModifier" | "responseHeaderModifier";
/** A rule's first filter with a field set, and its index among the rule's filters. */
interface FilterAt<F extends FilterField> {
  readonly index: number;
  readonly value: NonNullable<RuleFilter[F]>;
}
type HeaderModifier = { set?: { name: string; value: string }[]; add?: { name: string; value: string }[]; remove?: string[] };
type ServiceRetries = NonNullable<NonNullable<MultiClusterService["spec"]["fleetgate"]>["retries"]>;

function filterAt<F extends FilterField>(rule: HTTPRouteRule, field: F): FilterAt<F> | undefined {
  const index = (rule.filters ?? []).findIndex((f) => f[field] !== undefined);
  return index === -1 ? undefined : { index, value: rule.filters![index]![field]! };
}

/** Refuses a filter type given twice (a rule takes each once) and the types no front door can honour: RequestMirror and ExtensionRef. */
function checkFilterTypes(filters: readonly RuleFilter[], base: PathSegment[], label: string, problem: Report): void {
  const byType = new Map<string, number>();
  filters.forEach((f, i) => {
    const at: PathSegment[] = [...base, "filters", i];
    const first = byType.get(f.type);
    if (first !== undefined) problem([...at, "type"], `is ${f.type} again (filters[${first}]); a rule takes each filter type once, so merge them`);
    else byType.set(f.type, i);
    if (f.type === "RequestMirror")
      problem(
        [...at, "type"],
        `is RequestMirror, which ${label} cannot have: Fleetgate's front doors do not mirror requests (the plan the GCP URL map and the gateways are built from carries no mirror), so the mirror would be silently missing; remove the filter`,
      );
    if (f.type === "ExtensionRef") problem([...at, "type"], `is ExtensionRef, which Fleetgate cannot honour: it knows no extension filters; remove the filter`);
  });
}

/** Refuses a redirect beside a rewrite, a prefix replacement under a match that is not a PathPrefix, and a target under the reserved path. */
function checkPathFilters(
  matches: readonly HTTPRouteMatch[],
  redirect: FilterAt<"requestRedirect"> | undefined,
  rewrite: FilterAt<"urlRewrite"> | undefined,
  base: PathSegment[],
  label: string,
  problem: Report,
): void {
  const prefixOnly = matches.every((m) => (m.path?.type ?? "PathPrefix") === "PathPrefix");
  if (redirect && rewrite)
    problem(
      [...base, "filters", rewrite.index, "type"],
      `is URLRewrite beside a RequestRedirect (filters[${redirect.index}]); a rule either redirects or forwards, so keep one`,
    );
  for (const m of [redirect, rewrite]) {
    const path = m?.value.path;
    if (path?.type === "ReplacePrefixMatch" && !prefixOnly)
      problem(
        [...base, "filters", m!.index, m === redirect ? "requestRedirect" : "urlRewrite", "path", "type"],
        `is ReplacePrefixMatch, which replaces the prefix a PathPrefix match matched, but ${label} has a match that is not a PathPrefix; use ReplaceFullPath, or make every match a PathPrefix`,
      );
    const target = path?.replaceFullPath ?? path?.replacePrefixMatch;
    if (target !== undefined && isReservedPath(target))
      problem(
        [...base, "filters", m!.index, m === redirect ? "requestRedirect" : "urlRewrite", "path"],
        `${JSON.stringify(target)} lies under ${RESERVED_PATH_PREFIX}, which Fleetgate reserves on every host; send the request to another path`,
      );
  }
}

/** Refuses a redirect the front doors would answer wrongly: beside backends, to http where it cannot or would loop, to the same URL, or to another port. */
function checkRedirect(
  redirect: FilterAt<"requestRedirect">,
  hasBackends: boolean,
  frontDoor: HttpRouteContext["frontDoor"],
  base: PathSegment[],
  problem: Report,
): void {
  const at: PathSegment[] = [...base, "filters", redirect.index, "requestRedirect"];
  const value = redirect.value;
  if (hasBackends) problem([...base, "backendRefs"], `is set beside a RequestRedirect filter; a rule either redirects or forwards, so remove one`);
  if (value.scheme === "http" && frontDoor === "gcp")
    problem([...at, "scheme"], `is http, which the GCP front door cannot answer with: its URL map serves HTTPS and only redirects to HTTPS; remove scheme`);
  else if (value.scheme === "http" && value.hostname === undefined)
    problem(
      [...at, "scheme"],
      `is http to the same host, whose port 80 redirects back to HTTPS, so the client would loop; redirect to another host or remove scheme`,
    );
  if (value.scheme !== "http" && value.hostname === undefined && value.path === undefined)
    problem(
      at,
      `changes neither the host nor the path, and every host is served over HTTPS already, so it would send the client back to the same URL; give hostname or path`,
    );
  const defaultPort = value.scheme === "http" ? 80 : 443;
  if (value.port !== undefined && value.port !== defaultPort)
    problem([...at, "port"], `is ${value.port}, but the front doors serve ${value.scheme ?? "https"} on ${defaultPort} only; leave port out`);
}

/** The redirect plan of a RequestRedirect filter that passed its checks: only what it sets, and its status code. */
function redirectAction(value: FilterAt<"requestRedirect">["value"]): P.RouteActionPlan {
  return {
    kind: "redirect",
    ...(value.scheme !== undefined ? { scheme: value.scheme } : {}),
    ...(value.hostname !== undefined ? { host: value.hostname } : {}),
    ...(value.path?.type === "ReplaceFullPath" ? { path: value.path.replaceFullPath! } : {}),
    ...(value.path?.type === "ReplacePrefixMatch" ? { prefix: value.path.replacePrefixMatch! } : {}),
    statusCode: value.statusCode,
  };
}

/** Each backend's share in percent; refuses all-zero weights, shares that are not whole percents (the front doors split in whole percents) and a backend named twice. */
function splitPercents(refs: readonly HTTPBackendRef[], namespace: string, base: PathSegment[], label: string, problem: Report): number[] {
  const total = refs.reduce((sum, ref) => sum + ref.weight, 0);
  if (total === 0)
    problem(
      [...base, "backendRefs"],
      `gives every backend weight 0, so ${label} would answer every request with an error; give at least one backend a weight above 0`,
    );
  const percents = refs.map((ref) => (total === 0 ? 0 : (ref.weight * 100) / total));
  if (total > 0 && percents.some((p) => !Number.isInteger(p)))
    problem(
      [...base, "backendRefs"],
      `splits by weights ${refs.map((ref) => ref.weight).join(", ")}, which come to ${percents.map((p) => `${Math.round(p * 100) / 100}%`).join(", ")}; the front doors split in whole percents, so use weights whose shares are whole percents (e.g. ${refs.length === 2 ? "50 and 50, or 90 and 10" : "weights that add up to 100"})`,
    );
  refs.forEach((ref, i) => {
    const key = `${ref.namespace ?? namespace}/${ref.name}:${ref.port}`;
    const first = refs.findIndex((other) => `${other.namespace ?? namespace}/${other.name}:${other.port}` === key);
    if (first < i) problem([...base, "backendRefs", i], `sends to ${key} again (backendRefs[${first}]); name each backend once`);
  });
  return percents;
}

/** Refuses a rewrite longer than the front door takes, and a full-path rewrite under a PathPrefix match, which the GCP URL map cannot express. */
function checkRewrite(
  rewrite: FilterAt<"urlRewrite">,
  matches: readonly HTTPRouteMatch[],
  frontDoor: HttpRouteContext["frontDoor"],
  base: PathSegment[],
  problem: Report,
): void {
  const at: PathSegment[] = [...base, "filters", rewrite.index, "urlRewrite"];
  for (const [field, value, max] of [
    ["hostname", rewrite.value.hostname, 255],
    ["path", rewrite.value.path?.replaceFullPath ?? rewrite.value.path?.replacePrefixMatch, 1024],
  ] as const)
    if (value !== undefined && value.length > max) problem([...at, field], `has ${value.length} characters; the front door rewrites to at most ${max}`);
  // The URL map rewrites a matched prefix (pathPrefixRewrite); only under an exact match is that the whole path.
  if (rewrite.value.path?.type === "ReplaceFullPath" && frontDoor === "gcp" && matches.some((m) => (m.path?.type ?? "PathPrefix") === "PathPrefix"))
    problem(
      [...at, "path", "type"],
      `is ReplaceFullPath under a PathPrefix match, which the GCP front door cannot express exactly: its URL map rewrites only the prefix a route matched, so /x/y would keep its /y; use ReplacePrefixMatch, or Exact matches`,
    );
}

/** A rule's timeout in milliseconds, the shorter of request and backendRequest; refuses a backendRequest longer than the whole request. */
function ruleTimeoutMillis(timeouts: HTTPRouteRule["timeouts"], base: PathSegment[], problem: Report): number | undefined {
  const request = timeouts?.request !== undefined ? durationMillis(timeouts.request) : undefined;
  const backendRequest = timeouts?.backendRequest !== undefined ? durationMillis(timeouts.backendRequest) : undefined;
  if (request !== undefined && backendRequest !== undefined && backendRequest > request)
    problem(
      [...base, "timeouts", "backendRequest"],
      `is ${timeouts!.backendRequest}, longer than request (${timeouts!.request}); a request to one backend cannot take longer than the whole request: lower it to ${timeouts!.request} at most`,
    );
  return request !== undefined && backendRequest !== undefined ? Math.min(request, backendRequest) : (request ?? backendRequest);
}

/** The forward plan of a rule that passed its checks: backends by share (those at 0 dropped, sorted so the plan is stable), its timeout, retries, rewrite and header changes. */
function forwardAction(parts: {
  readonly backends: readonly P.BackendRefPlan[];
  readonly percents: readonly number[];
  readonly timeoutMillis: number | undefined;
  readonly retries: ServiceRetries | undefined;
  readonly rewrite: FilterAt<"urlRewrite">["value"] | undefined;
  readonly requestHeaders: HeaderModifier | undefined;
  readonly responseHeaders: HeaderModifier | undefined;
}): P.RouteActionPlan {
  const planned = parts.backends.map((b, i) => ({ ...b, weight: parts.percents[i]! })).filter((b) => b.weight > 0);
  const sorted = planned.sort((a, b) => compareText(`${a.service}:${String(a.port).padStart(5, "0")}`, `${b.service}:${String(b.port).padStart(5, "0")}`));
  const { retries, rewrite } = parts;
  return {
    kind: "forward",
    backends: sorted,
    ...(parts.timeoutMillis !== undefined ? { timeoutSeconds: parts.timeoutMillis / 1000 } : {}),
    ...(retries
      ? {
          retries: {
            attempts: retries.attempts,
            ...(retries.perTryTimeout !== undefined ? { perTryTimeoutSeconds: durationMillis(retries.perTryTimeout) / 1000 } : {}),
            on: [...new Set(retries.on)].sort(),
          },
        }
      : {}),
    ...(rewrite && (rewrite.hostname !== undefined || rewrite.path !== undefined)
      ? {
          rewrite: {
            ...(rewrite.hostname !== undefined ? { host: rewrite.hostname } : {}),
            ...(rewrite.path?.type === "ReplaceFullPath" ? { path: rewrite.path.replaceFullPath! } : {}),
            ...(rewrite.path?.type === "ReplacePrefixMatch" ? { prefix: rewrite.path.replacePrefixMatch! } : {}),
          },
        }
      : {}),
    ...(parts.requestHeaders ? { requestHeaders: headerActions(parts.requestHeaders) } : {}),
    ...(parts.responseHeaders ? { responseHeaders: headerActions(parts.responseHeaders) } : {}),
  };
}

/** A header modifier as the plan's header actions, keys sorted so the plan is stable. */
function headerActions(m: HeaderModifier): P.HeaderActionsPlan {
  return {
    set: sortKeys(Object.fromEntries((m.set ?? []).map((h) => [h.name, h.value]))),
    add: sortKeys(Object.fromEntries((m.add ?? []).map((h) => [h.name, h.value]))),
    remove: [...(m.remove ?? [])].sort(),
  };
}

/**
 * The action of one half of a match. A prefix replacement is written for the element prefix `/x`: the
 * plan's Prefix `/x/` replaces `/x/` by the replacement with one final "/" (so `/x/y` becomes `/r/y`),
 * and the exact half `/x` becomes the replacement itself, as the Gateway API replaces a whole-element
 * prefix.
 */
function halfAction(action: P.RouteActionPlan, half: PathHalf): P.RouteActionPlan {
  const replacement = action.kind === "redirect" ? action.prefix : action.rewrite?.prefix;
  if (replacement === undefined) return action;
  const bare = replacement === "/" ? "/" : replacement.replace(/\/+$/, "");
  const asPrefix = bare === "/" ? "/" : `${bare}/`;
  if (action.kind === "redirect") {
    const { prefix: _prefix, ...rest } = action;
    return half.derived ? { ...rest, path: bare } : { ...rest, prefix: asPrefix };
  }
  const { prefix: _prefix, ...rewrite } = action.rewrite!;
  return { ...action, rewrite: half.derived ? { ...rewrite, path: bare } : { ...rewrite, prefix: asPrefix } };
}

/** A backendRef as the plan's backend: the MultiClusterService it names and the port. */
function backendOf(
  loaded: Loaded<"HTTPRoute", HTTPRoute>,
  ref: HTTPBackendRef,
  at: PathSegment[],
  ctx: HttpRouteContext,
  problem: (path: PathSegment[], message: string) => void,
): P.BackendRefPlan | undefined {
  const own = loaded.doc.metadata.namespace;
  const namespace = ref.namespace ?? own;
  if (ref.filters !== undefined) {
    problem(
      [...at, "filters"],
      `are filters of one backend, which Fleetgate does not apply: the front doors change a request per rule, not per backend; move them to the rule's filters`,
    );
    return undefined;
  }
  if (namespace !== own && !granted(ctx.referenceGrants, own, namespace, ref)) {
    problem(
      [...at, "namespace"],
      `is ${namespace}, another namespace, and no ReferenceGrant in ${namespace} lets HTTPRoutes of ${own} refer to its ${ref.kind} ${ref.name}; ask the owners of ${namespace} to add one to their folder: a ReferenceGrant with from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: ${own} }] and to: [{ group: "${ref.kind === "Service" ? "" : GKE_MCS_GROUP}", kind: ${ref.kind}, name: ${ref.name} }]`,
    );
    return undefined;
  }
  const service = ctx.services.get(`${namespace}/${ref.name}`);
  if (!service) {
    if (failedToLoad(ctx.documents, "MultiClusterService", namespace, ref.name)) return undefined;
    const names = [...ctx.services.values()]
      .filter((s) => s.doc.metadata.namespace === namespace)
      .map((s) => s.doc.metadata.name)
      .sort();
    problem(
      [...at, "name"],
      `"${ref.name}" is not a MultiClusterService in namespace ${namespace}${didYouMean(ref.name, names)}${names.length ? `; the services there are ${names.join(", ")}` : "; define it in the team's folder"} (a ${ref.kind} of the fleet is made from the MultiClusterService of its name)`,
    );
    return undefined;
  }
  const port = ref.port === undefined ? undefined : findPort(service.doc, ref.port);
  if (ref.port !== undefined && !port) {
    const ports = service.doc.spec.template.spec.ports.map((p) => String(p.port));
    problem([...at, "port"], `${ref.port} is not a port of ${keyOf(service.doc)}; its ports are ${ports.join(", ")}`);
    return undefined;
  }
  if (!port) return undefined; // the schema reported the missing port
  return { service: keyOf(service.doc), port: port.port, weight: ref.weight };
}

/** Whether a ReferenceGrant in `namespace` lets HTTPRoutes of `from` refer to the backend. */
export function granted(
  grants: readonly Loaded<"ReferenceGrant", ReferenceGrant>[],
  from: string,
  namespace: string,
  ref: Pick<HTTPBackendRef, "kind" | "name">,
): boolean {
  return grants.some(
    (g) =>
      g.doc.metadata.namespace === namespace &&
      g.doc.spec.from.some((f) => f.namespace === from) &&
      g.doc.spec.to.some(
        (t) => t.kind === ref.kind && t.group === (ref.kind === "Service" ? "" : GKE_MCS_GROUP) && (t.name === undefined || t.name === ref.name),
      ),
  );
}

/** Keys (`namespace/name`) of the services HTTPRoutes send to. */
export function httpRouteServices(routes: readonly HTTPRoute[]): Set<string> {
  const keys = new Set<string>();
  for (const route of routes)
    for (const rule of route.spec.rules)
      for (const ref of rule.backendRefs ?? []) if (ref.weight > 0) keys.add(`${ref.namespace ?? route.metadata.namespace}/${ref.name}`);
  return keys;
}

/**
 * Whether a route is the exact half of a PathPrefix shadowed by a real Exact match of the same key on
 * its host: the Exact always wins there, so the half never matches and is left out of the plan.
 */
export function isShadowed(route: { host: string; match: P.RouteMatchPlan; derived: boolean }, realExactKeys: ReadonlySet<string>): boolean {
  return route.derived && realExactKeys.has(`${route.host} ${matchKey(route.match)}`);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortKeys<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareText(a, b)));
}
