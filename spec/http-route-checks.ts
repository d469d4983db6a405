/**
 * Cross-document checks of Gateway API HTTPRoutes: what spec/http-routes.ts refuses, reported at its
 * field; the hostnames as claims under the admin's grants, exactly as a MultiClusterIngress's hosts
 * (one owner per host and match, across dialects; one default backend per host; one certificate per
 * host); and unique names.
 */
import type { DocReport, PathSegment } from "./diagnostics";
import { keyOf, type Loaded, type LoadedDocuments } from "./documents";
import { hostGrants, ownersOf } from "./host-ownership";
import { isShadowed, type GatewayRouteDraft, type NormalisedHttpRoute } from "./http-routes";
import { matchKey } from "./paths";
import type { RouteMatchPlan } from "./plan";
import type { DocumentKind } from "./schema/documents";
import type { EnvironmentConfig } from "./schema/environment";

type Named = Loaded<DocumentKind, { metadata: { name: string; namespace: string } }>;

/** The claims of every dialect, shared with the MultiClusterIngress checks (spec/validate.ts). */
export interface ClaimMaps {
  /** `host matchKey` -> who claimed it first. */
  readonly claims: Map<string, { loaded: Named; path: PathSegment[] }>;
  readonly defaults: Map<string, { service: string; loaded: Named }>;
  readonly certificates: Map<string, { names: string; loaded: Named }>;
}

export function checkHttpRoutes(
  documents: LoadedDocuments,
  config: EnvironmentConfig,
  normalised: readonly NormalisedHttpRoute[],
  maps: ClaimMaps,
  whyNotOwned: (host: string, namespace: string) => string,
  at: DocReport,
): void {
  firstByName(documents.httpRoutes, "HTTPRoute", at);
  firstByName(documents.referenceGrants, "ReferenceGrant", at);
  const grants = hostGrants(config.hostOwnership);

  // A real Exact match (a GKE exact path, or a Gateway API Exact) shadows the exact half of a PathPrefix.
  const realExact = new Set([...maps.claims.keys()].filter((key) => key.split(" ")[1]?.startsWith("=")));
  for (const { routes } of normalised) for (const r of routes) if (r.precedence.exact) realExact.add(`${r.host} ${matchKey(r.match)}`);

  for (const { loaded, routes, hosts, problems } of normalised) {
    const namespace = loaded.doc.metadata.namespace;
    for (const p of problems) at(loaded, p.path, p.message, p.severity);
    const owns = (host: string) => ownersOf(host, grants).owners.has(namespace);
    const claimable = new Set<string>();
    // The hosts the route serves (its hostnames, or their intersections with the admin's listeners) are
    // claims: the listeners admit the route, and the admin's grants must admit each host as well.
    for (const { host, path } of hosts) {
      if (!owns(host)) at(loaded, path, `namespace ${namespace} may not claim "${host}"; ${whyNotOwned(host, namespace)}`);
      else claimable.add(host);
    }
    loaded.doc.spec.rules.forEach((rule, r) =>
      (rule.filters ?? []).forEach((f, i) => {
        const host = f.urlRewrite?.hostname;
        if (host !== undefined && !owns(host))
          at(
            loaded,
            ["spec", "rules", r, "filters", i, "urlRewrite", "hostname"],
            `rewrites requests to "${host}", which namespace ${namespace} does not own: a gateway that routes by host would hand them to that host's routes; ${whyNotOwned(host, namespace)}`,
          );
      }),
    );
    for (const route of routes) {
      if (!claimable.has(route.host) || isShadowed(route, realExact)) continue;
      claim(loaded, route, maps, at);
    }
    for (const { host, path, preShared } of hosts) {
      if (!claimable.has(host)) continue;
      const names = preShared?.join(",") ?? "managed";
      const previous = maps.certificates.get(host);
      const said = (n: string) => (n === "managed" ? "a managed certificate" : `pre-shared certificates ${n}`);
      if (!previous) maps.certificates.set(host, { names, loaded });
      else if (previous.names !== names)
        at(
          loaded,
          path,
          `is served with ${said(names)} here but with ${said(previous.names)} by ${keyOf(previous.loaded.doc)}; a host has one certificate, so agree on one`,
        );
    }
  }
}

function claim(loaded: Loaded<"HTTPRoute", { metadata: { name: string; namespace: string } }>, route: GatewayRouteDraft, maps: ClaimMaps, at: DocReport): void {
  const key = `${route.host} ${matchKey(route.match)}`;
  const previous = maps.claims.get(key);
  if (previous) {
    const where = previous.loaded.locate(previous.path);
    const same = previous.loaded === loaded ? "this route" : `${previous.loaded.kind} ${keyOf(previous.loaded.doc)}`;
    at(
      loaded,
      route.path,
      `claims ${describe(route.host, route.match)}, which ${same} already claims at ${where.file}:${where.line ?? 1}; one host and match have one owner, and the later one would never be served: remove one of them or tell them apart with headers, queryParams or method`,
    );
    return;
  }
  maps.claims.set(key, { loaded, path: route.path });
  // A match of everything under / with no other condition is the host's catch-all, as a default backend is.
  const m = route.match;
  if (m.path.type !== "Prefix" || m.path.value !== "/" || m.headers.length > 0 || m.queryParams.length > 0 || m.method !== undefined) return;
  const service = route.action.kind === "forward" ? route.action.backends.map((b) => `${b.service}:${b.port}`).join(",") : "a redirect";
  const previousDefault = maps.defaults.get(route.host);
  if (!previousDefault) maps.defaults.set(route.host, { service, loaded });
  else if (previousDefault.loaded !== loaded || previousDefault.service !== service) {
    const where = previousDefault.loaded.locate(["metadata", "name"]);
    at(
      loaded,
      route.path,
      `makes a second default backend for host ${route.host}, which ${previousDefault.loaded.kind} ${keyOf(previousDefault.loaded.doc)} (${where.file}:${where.line ?? 1}) already gives one; a host has one default backend, so remove one or give this rule a narrower match`,
    );
  }
}

/** A match in words, for messages: `shop.example.com Exact /cart with header x=1`. */
export function describe(host: string, match: RouteMatchPlan): string {
  const parts = [`${host} ${match.path.type === "Exact" ? "exactly" : "under"} ${match.path.value}`];
  if (match.method !== undefined) parts.push(`method ${match.method}`);
  for (const h of match.headers) parts.push(`header ${h.name}${h.type === "Present" ? "" : `${h.type === "Exact" ? "=" : "~"}${h.value ?? ""}`}`);
  for (const q of match.queryParams) parts.push(`query ${q.name}${q.type === "Present" ? "" : `${q.type === "Exact" ? "=" : "~"}${q.value ?? ""}`}`);
  return parts.join(", ");
}

/** Each object of a kind once per namespace: a second one with the same name is reported at its name. */
export function firstByName<T extends Named>(list: readonly T[], kind: string, at: DocReport): Map<string, T> {
  const first = new Map<string, T>();
  for (const loaded of list) {
    const key = keyOf(loaded.doc);
    const previous = first.get(key);
    if (previous) {
      const where = previous.locate(["metadata", "name"]);
      at(loaded, ["metadata", "name"], `${kind} ${key} is already defined at ${where.file}:${where.line ?? 1}; give each ${kind} its own name`);
    } else first.set(key, loaded);
  }
  return first;
}
