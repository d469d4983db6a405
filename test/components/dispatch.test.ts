/**
 * The dispatch contract between the GCP front door and the GKE gateways (components/dispatch.ts), proved
 * on models: what the URL map chooses, what GCP delivers to a NEG, and how Istio matches the HTTPRoutes
 * of the listener the NEG reaches. The gateway model below is written from Gateway API's and Istio's
 * rules, independently of the code under test.
 */
import { describe, expect, it } from "vitest";
import { assertNoDispatchHeader, CATCH_ALL_TAG, DISPATCH_HEADER, dispatchedBackends, dispatchNotes } from "../../components/dispatch";
import { type BackendServiceSpec, CATCH_ALL, planBackends } from "../../components/gcp/backend-plan";
import { buildUrlMap } from "../../components/gcp/url-map";
import { dispatchRoutes, gatewayHosts, gatewayObject, hostRoutes, routeContext } from "../../components/kubernetes/gateway-plan";
import { placeHostRules } from "../../components/kubernetes/routes";
import type { FleetPlan } from "../../spec/plan";
import { examplePlan } from "../examples";
import { addOnPremCluster, planOf, prodInputs } from "./gcp/prod-fixture";

// --- A model of a cluster's gateway: listeners, attached HTTPRoutes, Istio's rule order --------------

type Json = Record<string, any>;
interface Listener {
  name: string;
  port: number;
  hostname?: string;
}
interface GatewayRequest {
  port: number;
  host: string;
  path: string;
  /** Header values by lower-case name, in the order they arrive. */
  headers: Record<string, string[]>;
}

const hostMatches = (pattern: string | undefined, host: string) => pattern === undefined || pattern === host || (pattern.startsWith("*.") && host.endsWith(pattern.slice(1)));
/** Envoy matches a header against all its values joined with ",". */
const headerValue = (r: GatewayRequest, name: string) => (r.headers[name.toLowerCase()] ? r.headers[name.toLowerCase()]!.join(",") : undefined);
const pathMatches = (m: { type: string; value: string }, path: string) => {
  if (m.type === "Exact") return path === m.value;
  if (m.type === "RegularExpression") return new RegExp(`^(?:${m.value})$`).test(path);
  const prefix = m.value !== "/" && m.value.endsWith("/") ? m.value.slice(0, -1) : m.value;
  return prefix === "/" || path === prefix || path.startsWith(`${prefix}/`);
};

/** What the gateway does with a request: the Service port it forwards to, a redirect, or 404. */
function gatewayOutcome(gateway: Json, routes: Json[], r: GatewayRequest): string {
  const listeners = (gateway.spec.listeners as Listener[]).filter((l) => l.port === r.port && hostMatches(l.hostname, r.host));
  const attached = routes.filter((route) => route.spec.parentRefs.some((p: Json) => listeners.some((l) => l.name === p.sectionName)) && (route.spec.hostnames ?? [undefined]).some((h: string | undefined) => hostMatches(h, r.host)));
  const rank: Record<string, number> = { Exact: 3, PathPrefix: 2, RegularExpression: 1 };
  const rules = attached.flatMap((route) => route.spec.rules as Json[]).map((rule, i) => {
    const m = rule.matches[0];
    const value: string = m.path.type === "PathPrefix" && m.path.value !== "/" ? m.path.value.replace(/\/$/, "") : m.path.value;
    return { rule, i, key: [rank[m.path.type]!, value.length, m.headers?.length ?? 0, m.queryParams?.length ?? 0] };
  });
  rules.sort((a, b) => a.key.map((k, j) => b.key[j]! - k).find((d) => d !== 0) ?? a.i - b.i);
  for (const { rule } of rules) {
    const m = rule.matches[0];
    const headersHold = (m.headers ?? []).every((h: Json) => {
      const v = headerValue(r, h.name);
      return v !== undefined && (h.type === "RegularExpression" ? new RegExp(`^(?:${h.value})$`).test(v) : v === h.value);
    });
    if (!pathMatches(m.path, r.path) || !headersHold || (m.queryParams ?? []).length > 0) continue;
    if (rule.filters?.some((f: Json) => f.type === "RequestRedirect")) return "redirect";
    return (rule.backendRefs as Json[]).map((b) => `${b.namespace}/${b.name}:${b.port}${rule.backendRefs.length > 1 ? `@${b.weight}` : ""}`).sort().join(",");
  }
  return "404";
}

/** A cluster's Gateway and every HTTPRoute it would have, as the clusters side writes them. */
function clusterGateway(plan: FleetPlan, name: string): { gateway: Json; routes: Json[]; negPort: number; negName: string } {
  const cluster = plan.clusters.find((c) => c.name === name)!;
  const gw = cluster.gateway!;
  const context = routeContext(plan, name);
  const routes = [...gatewayHosts(plan, gw).flatMap((h) => hostRoutes(gw, h, placeHostRules(h), context)), ...dispatchRoutes(plan, cluster, gw)];
  const gateway = gatewayObject(cluster, gw).toJSON() as Json;
  const [[port, neg]] = Object.entries(JSON.parse(gateway.spec.infrastructure.annotations["cloud.google.com/neg"]).exposed_ports as Record<string, { name: string }>) as [[string, { name: string }]];
  return { gateway, routes: routes.map((r) => r.model.toJSON() as Json), negPort: Number(port), negName: neg.name };
}

// --- A model of the front door: what the URL map chooses and what GCP delivers ------------------------

/** Every backend service the URL map can choose, by key. */
function chosenBackendServices(plan: FleetPlan): Set<string> {
  const map = buildUrlMap(plan.hosts, planBackends(plan), (key) => key);
  const keys = new Set<string>();
  const add = (target: { service?: string; defaultService?: string; routeAction?: { weightedBackendServices?: readonly { backendService: string }[] }; defaultRouteAction?: { weightedBackendServices: readonly { backendService: string }[] } }) => {
    for (const k of [target.service, target.defaultService]) if (k !== undefined) keys.add(k);
    for (const w of [...(target.routeAction?.weightedBackendServices ?? []), ...(target.defaultRouteAction?.weightedBackendServices ?? [])]) keys.add(w.backendService);
  };
  add(map);
  for (const matcher of map.pathMatchers) {
    add(matcher);
    matcher.routeRules.forEach(add);
  }
  return keys;
}

/** The dispatch header GCP delivers: the backend service's tag replaces a client's, or is appended to it. */
function delivered(spec: BackendServiceSpec, clientTag: string | undefined, semantics: "replace" | "append"): string[] {
  const own = (spec.settings.customRequestHeaders ?? []).filter((h) => h.split(":")[0] === DISPATCH_HEADER).map((h) => h.slice(h.indexOf(":") + 1));
  if (clientTag === undefined || (semantics === "replace" && own.length > 0)) return own.length ? own : clientTag === undefined ? [] : [clientTag];
  return [clientTag, ...own];
}

const negNameOf = (group: string) => group.split("/networkEndpointGroups/")[1];
const prod = examplePlan("prod");
const prodBackends = planBackends(prod);
const gateways = new Map(prod.clusters.map((c) => [c.name, clusterGateway(prod, c.name)]));

describe("the dispatch contract of the GCP front door and the GKE gateways", () => {
  it("forwards a tagged request to exactly the backend the URL map chose, in every cluster the backend service attaches, whatever its host and path", () => {
    const chosen = chosenBackendServices(prod);
    expect([...chosen].sort()).toEqual(prodBackends.backendServices.map((b) => b.key).sort());
    let checked = 0;
    for (const key of chosen) {
      const spec = prodBackends.backendServices.find((b) => b.key === key)!;
      for (const cluster of new Set(spec.backends.map((b) => b.cluster))) {
        const gw = gateways.get(cluster)!;
        // The NEG the backend service attaches is the one the cluster's gateway Service exposes, on the dispatch port.
        for (const b of spec.backends.filter((x) => x.cluster === cluster)) expect(negNameOf(b.group)).toBe(gw.negName);
        expect(gw.negPort).toBe(prod.clusters.find((c) => c.name === cluster)!.gateway!.dispatchPort);
        // The front door has already rewritten the path: it is not routed again.
        for (const [host, path] of [["shop.example.com", "/cart/items"], ["search.apps.example.com", "/api/v1/items"], ["unknown.example.org", "/"]]) {
          const outcome = gatewayOutcome(gw.gateway, gw.routes, { port: gw.negPort, host: host!, path: path!, headers: { [DISPATCH_HEADER]: delivered(spec, undefined, "replace") } });
          expect(outcome, `${key} in ${cluster} for ${host}${path}`).toBe(key === CATCH_ALL ? "404" : spec.backendKey);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it("does not apply a split, rewrite or added header twice: the cart-v2 canary the front door chose stays cart-v2", () => {
    const us = gateways.get("gke-us")!;
    const cartV2 = prodBackends.backendServices.find((b) => b.key === "shop/cart-v2:80")!;
    const request = { host: "shop.example.com", path: "/cart/items", headers: { [DISPATCH_HEADER]: delivered(cartV2, undefined, "replace") } };
    // What the host listener would do with the same request: split 10/90 again.
    expect(gatewayOutcome(us.gateway, us.routes, { ...request, port: 80 })).toBe("shop/cart-v2:80@10,shop/cart:80@90");
    expect(gatewayOutcome(us.gateway, us.routes, { ...request, port: us.negPort })).toBe("shop/cart-v2:80");
    // Dispatch rules have no filters: what the URL map added, rewrote or removed is not done again.
    for (const route of us.routes.filter((r) => r.spec.parentRefs[0].sectionName === "dispatch")) for (const rule of route.spec.rules) expect(rule.filters).toBeUndefined();
  });

  it("never lets a client-sent tag choose a backend: the front door's tag replaces it, or the joined value matches no rule", () => {
    const tags = [...prodBackends.backendServices.map((b) => b.backendKey).filter((k): k is string => k !== undefined), CATCH_ALL_TAG, "shop/cart:80,shop/cart-v2:80"];
    for (const spec of prodBackends.backendServices)
      for (const cluster of new Set(spec.backends.map((b) => b.cluster))) {
        const gw = gateways.get(cluster)!;
        for (const spoofed of tags) {
          const outcome = (semantics: "replace" | "append") => gatewayOutcome(gw.gateway, gw.routes, { port: gw.negPort, host: "shop.example.com", path: "/", headers: { [DISPATCH_HEADER]: delivered(spec, spoofed, semantics) } });
          expect(outcome("replace"), `${spoofed} to ${spec.key}`).toBe(spec.key === CATCH_ALL ? "404" : spec.backendKey);
          expect(outcome("append"), `${spoofed} to ${spec.key}`).toBe("404");
        }
      }
    // Nothing in the URL map names the tag, so GCP's rule that a URL map header beats the backend service's never applies.
    expect(JSON.stringify(buildUrlMap(prod.hosts, prodBackends, (k) => k)).toLowerCase()).not.toContain(DISPATCH_HEADER);
  });

  it("answers what the catch-all sends, and untagged requests, with 404 on the dispatch listener", () => {
    expect(prodBackends.backendServices.find((b) => b.key === CATCH_ALL)!.settings.customRequestHeaders).toEqual([`${DISPATCH_HEADER}:${CATCH_ALL_TAG}`]);
    for (const gw of gateways.values()) expect(gatewayOutcome(gw.gateway, gw.routes, { port: gw.negPort, host: "shop.example.com", path: "/cart", headers: {} })).toBe("404");
  });

  it("keeps the health checks on the host routes: the service's host, on the host-routing port of the pods the NEGs hold", () => {
    for (const spec of prodBackends.backendServices.filter((b) => b.key !== CATCH_ALL)) {
      const check = spec.healthCheck!;
      for (const cluster of new Set(spec.backends.map((b) => b.cluster))) {
        const gw = gateways.get(cluster)!;
        expect(check.port).toBe(prod.clusters.find((c) => c.name === cluster)!.gateway!.port);
        expect(check.port).not.toBe(gw.negPort);
        expect((gw.gateway.spec.listeners as Listener[]).some((l) => l.port === check.port && hostMatches(l.hostname, check.host!)), `${spec.key} in ${cluster}`).toBe(true);
      }
    }
    const storefront = prodBackends.backendServices.find((b) => b.key === "shop/storefront:80")!.healthCheck!;
    const eu = gateways.get("gke-eu")!;
    expect(gatewayOutcome(eu.gateway, eu.routes, { port: storefront.port!, host: storefront.host!, path: storefront.requestPath, headers: {} })).toBe("shop/storefront:80");
  });

  it("agrees on both sides which backends each cluster serves by tag: those whose backend services attach its NEGs", () => {
    for (const cluster of prod.clusters) {
      const attached = prodBackends.backendServices.filter((b) => b.key !== CATCH_ALL && b.backends.some((x) => x.cluster === cluster.name)).map((b) => b.backendKey);
      expect(dispatchedBackends(prod, cluster.name).map((b) => b.tag), cluster.name).toEqual(attached.sort());
    }
  });

  it("refuses a spec that would set, add or remove the dispatch header", () => {
    const plan = structuredClone(prod) as FleetPlan;
    const route = plan.hosts.find((h) => h.name === "accounts.example.com")!.routes[0]!;
    (route.action as { requestHeaders: unknown }).requestHeaders = { set: { "X-Fleetgate-Backend": "shop/cart:80" }, add: {}, remove: [] };
    expect(() => assertNoDispatchHeader(plan)).toThrow(/accounts.example.com route .* changes the header x-fleetgate-backend.*may not set, add or remove it/);
    expect(() => planBackends(plan)).toThrow(/x-fleetgate-backend/);
    const inputs = prodInputs();
    const config = inputs.files.find((f) => f.path.endsWith("shop/storefront.yaml"))!.docs.find((d) => d.kind === "BackendConfig")!;
    config.spec.customRequestHeaders = { headers: ["x-fleetgate-backend:shop/cart:80"] };
    expect(() => planBackends(planOf(inputs))).toThrow(/BackendConfig of shop\/storefront port 80 sets the header x-fleetgate-backend/);
  });
});

describe("a cluster outside GKE behind the GCP front door", () => {
  const inputs = prodInputs();
  addOnPremCluster(inputs);
  const hybrid = planOf(inputs);
  const onprem = hybrid.clusters.find((c) => c.name === "onprem")!;

  it("is reached on its public listener, which routes by host: no dispatch listener, no tag on its backend services", () => {
    expect(onprem.gateway!.dispatchPort).toBeUndefined();
    expect(dispatchRoutes(hybrid, onprem, onprem.gateway!)).toEqual([]);
    const internet = planBackends(hybrid).backendServices.filter((b) => b.kind === "internet");
    expect(internet.length).toBeGreaterThan(0);
    for (const b of internet) expect(b.settings.customRequestHeaders, b.key).toBeUndefined();
  });

  it("says which of its hosts are routed twice there", () => {
    expect(dispatchNotes(hybrid, onprem)).toEqual([expect.stringContaining("the splits, rewrites and added headers of search.apps.example.com apply again here")]);
    expect(dispatchNotes(hybrid, hybrid.clusters.find((c) => c.name === "gke-us")!)).toEqual([]);
  });
});
