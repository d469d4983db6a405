/**
 * The gateways' verification routes (`npm run verify`, components/verification.ts): for every HTTPRoute
 * that forwards a host's requests, or the front door's dispatched requests, a twin HTTPRoute
 * `<name>.landing` whose rules are the original's forwarding rules with one more header match, the
 * environment's verification token, and two filters more: the token is removed before the request goes
 * on (no backend ever sees it), and the response gets the landed header naming this cluster and the
 * rule's backends here, and `Cache-Control: private, no-store`, so that no shared cache hands the
 * landed header to anyone else. Requests without the token never match a twin, so they are served exactly as
 * without verification.
 *
 * Why a twin wins, and the right one [kubernetes.httproute-precedence]: Gateway API (and Istio, which
 * follows it) orders a host's rules by path kind, path length, method, then the number of header
 * matches, then query matches; only then by route age, name and rule order. A twin has its original's
 * path, method and queries and one header match more, so it sorts before its original; twins keep their
 * originals' order among themselves (each key moves by the same one header, and a route's twins are
 * written in its order, in one HTTPRoute, so ties that chunking kept together stay together). So for a
 * request with the token, the first twin that matches is the twin of the first original that matches:
 * any original that matches comes after its own twin, which matches too, and that twin comes no earlier
 * than the twin of the first matching original. An original and another original's twin may tie; which
 * goes first then decides nothing, by the same argument.
 *
 * The twins live in their own HTTPRoutes so that the originals stay exactly as they are, reviewable in
 * plain text: the token is a secret, and Pulumi marks a whole top-level property secret when a value
 * inside it is, so a twin's whole `spec` is secret in previews and state.
 */
import { HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import { shortHash } from "../../spec/names";
import { LANDED_HEADER, landedHeaderValue, VERIFY_HEADER } from "../verification";
import { DISPATCH_LISTENER, type NamedRoute, REDIRECT_LISTENER } from "./gateway-plan";
import type { HttpRouteRule } from "./routes";

type Filter = NonNullable<HttpRouteRule["filters"]>[number];
type Match = NonNullable<HttpRouteRule["matches"]>[number];

/** Gateway API allows at most this many header matches in one match. */
const MAX_HEADER_MATCHES = 16;

/** Stands in for the token while a twin is checked against its schema and shown in plain plans; the real one replaces it as a secret. */
export const TOKEN_PLACEHOLDER = "fleetgate-verification-token";

/** The name of a route's twin: `<name>.landing`, cut and hashed when too long for an object name. */
export function landingRouteName(name: string): string {
  const full = `${name}.landing`;
  return full.length <= 253 ? full : `${name.slice(0, 253 - ".landing".length - 9).replace(/[.-]+$/, "")}-${shortHash(name)}.landing`;
}

/** Whether a route gets a twin: a host's routes and the dispatch routes; not the redirect listener's, and not the catch-all (it serves no host to verify). */
function verifiable(route: NamedRoute): boolean {
  const sections = (route.model.spec.parentRefs ?? []).map((p) => p.sectionName);
  if (sections.includes(REDIRECT_LISTENER)) return false;
  return sections.includes(DISPATCH_LISTENER) || (route.model.spec.hostnames ?? []).length > 0;
}

/** Whether a rule takes requests to backends (a dispatch route's health rule does too, but only un-tagged probes reach it). */
function forwards(rule: HttpRouteRule, dispatch: boolean): boolean {
  if ((rule.backendRefs ?? []).length === 0) return false;
  return !dispatch || (rule.matches ?? []).every((m) => (m.headers ?? []).length > 0);
}

/** The landed header's value for a rule in a cluster: the cluster and the rule's backends, sorted. */
export function ruleLandedValue(cluster: string, rule: HttpRouteRule, namespace: string): string {
  return landedHeaderValue({ cluster, backends: (rule.backendRefs ?? []).map((b) => `${b.namespace ?? namespace}/${b.name}:${b.port ?? ""}`) });
}

/** A filter list with one header modifier of the kind changed (Gateway API allows each kind once per rule). */
function withModifier(
  filters: readonly Filter[],
  type: "RequestHeaderModifier" | "ResponseHeaderModifier",
  change: { set?: { name: string; value: string }[]; remove?: string[] },
): Filter[] {
  const key = type === "RequestHeaderModifier" ? "requestHeaderModifier" : "responseHeaderModifier";
  const existing = filters.find((f) => f.type === type) as (Filter & Record<string, { set?: unknown[]; add?: unknown[]; remove?: string[] }>) | undefined;
  const own = existing?.[key] ?? {};
  const merged = {
    ...own,
    ...(change.set
      ? {
          set: [
            ...((own.set as { name: string; value: string }[] | undefined) ?? []).filter((s) => !change.set!.some((c) => c.name === s.name.toLowerCase())),
            ...change.set,
          ],
        }
      : {}),
    ...(change.remove ? { remove: [...new Set([...(own.remove ?? []), ...change.remove])] } : {}),
  };
  const filter = { type, [key]: merged } as unknown as Filter;
  return existing ? filters.map((f) => (f === existing ? filter : f)) : [...filters, filter];
}

/**
 * Hosts whose twins cannot be written: a rule already has Gateway API's most header matches, so its twin
 * would need one more. A host gets all its twins or none, because a twin missing among the others could
 * let a later rule's twin outrank that rule for requests with the token. Their requests with the token
 * are served as without it (no landed header, which `npm run verify` reports).
 */
export function unverifiableHosts(routes: readonly NamedRoute[]): string[] {
  const hosts = routes
    .filter((r) => verifiable(r) && r.host !== "")
    .filter((r) => (r.model.spec.rules ?? []).some((rule) => (rule.matches ?? []).some((m) => (m.headers ?? []).length >= MAX_HEADER_MATCHES)))
    .map((r) => r.host);
  return [...new Set(hosts)].sort();
}

/** A rule's twin: one header match more (the token) in each of its matches, the token removed, the landing told. */
export function twinRule(rule: HttpRouteRule, token: string, landed: string): HttpRouteRule {
  const all: Match[] = rule.matches && rule.matches.length > 0 ? rule.matches : [{ path: { type: "PathPrefix", value: "/" } }];
  const matches = all.map((m) => ({ ...m, headers: [...(m.headers ?? []), { type: "Exact", name: VERIFY_HEADER, value: token }] }) as Match);
  let filters = withModifier(rule.filters ?? [], "RequestHeaderModifier", { remove: [VERIFY_HEADER] });
  // No cache (Cloud CDN, where a backend has it) may keep the landed header for requests without the token.
  filters = withModifier(filters, "ResponseHeaderModifier", {
    set: [
      { name: "cache-control", value: "private, no-store" },
      { name: LANDED_HEADER, value: landed },
    ],
  });
  return { ...rule, matches, filters } as HttpRouteRule;
}

/**
 * The twins of a cluster's routes, with `token` written into their header matches (TOKEN_PLACEHOLDER
 * for the object checked and shown; the shell registers the spec again with the secret token).
 */
export function landingRoutes(cluster: string, routes: readonly NamedRoute[], token: string = TOKEN_PLACEHOLDER): NamedRoute[] {
  const skipped = new Set(unverifiableHosts(routes));
  return routes
    .filter((r) => verifiable(r) && !skipped.has(r.host))
    .flatMap((route) => {
      const namespace = route.model.metadata?.namespace ?? "default";
      const dispatch = (route.model.spec.parentRefs ?? []).some((p) => p.sectionName === DISPATCH_LISTENER);
      const name = landingRouteName(route.name);
      const rules = (route.model.spec.rules ?? []).filter((r) => forwards(r, dispatch)).map((r) => twinRule(r, token, ruleLandedValue(cluster, r, namespace)));
      if (rules.length === 0) return [];
      return [
        {
          host: route.host,
          name,
          model: new HTTPRoute({
            metadata: { ...route.model.metadata, name },
            spec: { ...route.model.spec, rules },
          }),
        },
      ];
    });
}
