/**
 * The dispatch contract between the GCP front door and the GKE gateways (components/dispatch.ts), proved
 * on models: what the URL map does with a request, what GCP delivers to a NEG (a proxied request, or a
 * health probe), and how Istio matches the HTTPRoutes of the listener the NEG reaches. The models below
 * are written from GCP's, Gateway API's and Istio's rules, independently of the code under test.
 */
import { describe, expect, it } from "vitest";
import { CATCH_ALL_TAG, DISPATCH_HEADER, dispatchedBackends, dispatchNotes, healthProbe, RESERVED_PATH_PREFIX } from "../../components/dispatch";
import { type BackendServiceSpec, CATCH_ALL, planBackends } from "../../components/gcp/backend-plan";
import { buildUrlMap, type UrlMapSpec } from "../../components/gcp/url-map";
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

const hostMatches = (pattern: string | undefined, host: string) =>
  pattern === undefined || pattern === host || (pattern.startsWith("*.") && host.endsWith(pattern.slice(1)));
/** Envoy matches a header against all its values joined with ",". */
const headerValue = (r: GatewayRequest, name: string) => (r.headers[name.toLowerCase()] ? r.headers[name.toLowerCase()]!.join(",") : undefined);
const pathMatches = (m: { type: string; value: string }, path: string) => {
  if (m.type === "Exact") return path === m.value;
  if (m.type === "RegularExpression") return new RegExp(`^(?:${m.value})$`).test(path);
  const prefix = m.value !== "/" && m.value.endsWith("/") ? m.value.slice(0, -1) : m.value;
  return prefix === "/" || path === prefix || path.startsWith(`${prefix}/`);
};

/** The rule Istio applies to a request, or undefined (404). */
function gatewayRule(gateway: Json, routes: Json[], r: GatewayRequest): Json | undefined {
  const listeners = (gateway.spec.listeners as Listener[]).filter((l) => l.port === r.port && hostMatches(l.hostname, r.host));
  const attached = routes.filter(
    (route) =>
      route.spec.parentRefs.some((p: Json) => listeners.some((l) => l.name === p.sectionName)) &&
      (route.spec.hostnames ?? [undefined]).some((h: string | undefined) => hostMatches(h, r.host)),
  );
  const rank: Record<string, number> = { Exact: 3, PathPrefix: 2, RegularExpression: 1 };
  const rules = attached
    .flatMap((route) => route.spec.rules as Json[])
    .map((rule, i) => {
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
    return rule;
  }
  return undefined;
}

/**
 * What the gateway does with a request: the Service port it forwards to (`as <path>` when the rule
 * replaces the path), a redirect, 500 for a rule without backends (Gateway API's answer), or 404.
 */
function gatewayOutcome(gateway: Json, routes: Json[], r: GatewayRequest): string {
  const rule = gatewayRule(gateway, routes, r);
  if (!rule) return "404";
  if (rule.filters?.some((f: Json) => f.type === "RequestRedirect")) return "redirect";
  if (!rule.backendRefs?.length) return "500";
  const rewrite = (rule.filters as Json[] | undefined)?.find((f) => f.type === "URLRewrite" && f.urlRewrite.path?.type === "ReplaceFullPath");
  const to = (rule.backendRefs as Json[])
    .map((b) => `${b.namespace}/${b.name}:${b.port}${rule.backendRefs.length > 1 ? `@${b.weight}` : ""}`)
    .sort()
    .join(",");
  return rewrite ? `${to} as ${rewrite.urlRewrite.path.replaceFullPath}` : to;
}

/** A health rule: an exact path under the reserved prefix, forwarded somewhere. */
const isHealthRule = (rule: Json | undefined) =>
  rule !== undefined &&
  rule.matches[0].path.type === "Exact" &&
  rule.matches[0].path.value.startsWith("/.well-known/fleetgate/") &&
  (rule.backendRefs?.length ?? 0) > 0;

/** A cluster's Gateway and every HTTPRoute it would have, as the clusters side writes them. */
function clusterGateway(plan: FleetPlan, name: string): { gateway: Json; routes: Json[]; negPort: number; negName: string } {
  const cluster = plan.clusters.find((c) => c.name === name)!;
  const gw = cluster.gateway!;
  const context = routeContext(plan, name);
  const routes = [...gatewayHosts(plan, gw).flatMap((h) => hostRoutes(gw, h, placeHostRules(h), context)), ...dispatchRoutes(plan, cluster, gw)];
  const gateway = gatewayObject(cluster, gw).toJSON() as Json;
  const [[port, neg]] = Object.entries(
    JSON.parse(gateway.spec.infrastructure.annotations["cloud.google.com/neg"]).exposed_ports as Record<string, { name: string }>,
  ) as [[string, { name: string }]];
  return { gateway, routes: routes.map((r) => r.model.toJSON() as Json), negPort: Number(port), negName: neg.name };
}

// --- A model of the front door: what the URL map chooses and what GCP delivers ------------------------

/** Every backend service the URL map can choose, by key. */
function chosenBackendServices(plan: FleetPlan): Set<string> {
  const map = buildUrlMap(plan.hosts, planBackends(plan), (key) => key);
  const keys = new Set<string>();
  const add = (target: {
    service?: string;
    defaultService?: string;
    routeAction?: { weightedBackendServices?: readonly { backendService: string }[] };
    defaultRouteAction?: { weightedBackendServices: readonly { backendService: string }[] };
  }) => {
    for (const k of [target.service, target.defaultService]) if (k !== undefined) keys.add(k);
    for (const w of [...(target.routeAction?.weightedBackendServices ?? []), ...(target.defaultRouteAction?.weightedBackendServices ?? [])])
      keys.add(w.backendService);
  };
  add(map);
  for (const matcher of map.pathMatchers) {
    add(matcher);
    matcher.routeRules.forEach(add);
  }
  return keys;
}

/** What the URL map does with a request: answers it itself, or forwards it to backend services as (re)written. */
type UrlMapOutcome = { answered: number } | { backendServices: string[]; host: string; path: string };
interface ClientRequest {
  host: string;
  path: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

/** GCP's URL map: the longest host pattern, then route rules by priority (the first that matches), else the default. */
function urlMapOutcome(map: UrlMapSpec<string>, r: ClientRequest): UrlMapOutcome {
  const hostMatches = (pattern: string) => pattern === r.host || (pattern.startsWith("*") && r.host.endsWith(pattern.slice(1)));
  const hostRule = map.hostRules
    .filter((h) => h.hosts.some(hostMatches))
    .sort((a, b) => Math.max(...b.hosts.filter(hostMatches).map((h) => h.length)) - Math.max(...a.hosts.filter(hostMatches).map((h) => h.length)))[0];
  const matcher = hostRule ? map.pathMatchers.find((m) => m.name === hostRule.pathMatcher)! : undefined;
  const value = (m: { exactMatch?: string; regexMatch?: string; presentMatch?: boolean }, v: string | undefined) =>
    v !== undefined && (m.presentMatch === true || m.exactMatch === v || (m.regexMatch !== undefined && new RegExp(`^(?:${m.regexMatch})$`).test(v)));
  const rules = [...(matcher?.routeRules ?? [])].sort((a, b) => a.priority - b.priority);
  for (const rule of rules) {
    const m = rule.matchRules.find(
      (mr) =>
        (mr.prefixMatch !== undefined ? r.path.startsWith(mr.prefixMatch) : r.path === mr.fullPathMatch) &&
        (mr.headerMatches ?? []).every((h) => value(h, r.headers?.[h.headerName])) &&
        (mr.queryParameterMatches ?? []).every((q) => value(q, r.query?.[q.name])),
    );
    if (!m) continue;
    if (rule.urlRedirect) return { answered: 301 };
    const abort = rule.routeAction?.faultInjectionPolicy?.abort;
    if (abort && abort.percentage === 100) return { answered: abort.httpStatus };
    const rewrite = rule.routeAction?.urlRewrite;
    const path = rewrite?.pathPrefixRewrite !== undefined ? rewrite.pathPrefixRewrite + r.path.slice((m.prefixMatch ?? m.fullPathMatch!).length) : r.path;
    const backendServices =
      rule.service !== undefined ? [rule.service] : rule.routeAction!.weightedBackendServices!.filter((w) => w.weight > 0).map((w) => w.backendService);
    return { backendServices, host: rewrite?.hostRewrite ?? r.host, path };
  }
  const fallback = matcher ?? map;
  return {
    backendServices:
      fallback.defaultService !== undefined ? [fallback.defaultService] : fallback.defaultRouteAction!.weightedBackendServices.map((w) => w.backendService),
    host: r.host,
    path: r.path,
  };
}

/** The path the gateway routes on: Istio's default normalisation (RFC 3986: unreserved escapes decoded, dot segments removed). */
function normalised(path: string): string {
  const decoded = path.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) =>
    /[A-Za-z0-9._~-]/.test(String.fromCharCode(parseInt(hex, 16))) ? String.fromCharCode(parseInt(hex, 16)) : escape,
  );
  const out: string[] = [];
  for (const segment of decoded.split("/").slice(1)) {
    if (segment === "..") out.pop();
    else if (segment !== ".") out.push(segment);
  }
  return `/${out.join("/")}`;
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
        for (const [host, path] of [
          ["shop.example.com", "/cart/items"],
          ["search.apps.example.com", "/api/v1/items"],
          ["unknown.example.org", "/"],
        ]) {
          const outcome = gatewayOutcome(gw.gateway, gw.routes, {
            port: gw.negPort,
            host: host!,
            path: path!,
            headers: { [DISPATCH_HEADER]: delivered(spec, undefined, "replace") },
          });
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
    // Tag rules have no filters: what the URL map added, rewrote or removed is not done again.
    const tagRules = us.routes
      .filter((r) => r.spec.parentRefs[0].sectionName === "dispatch")
      .flatMap((r) => r.spec.rules as Json[])
      .filter((rule) => rule.matches[0].headers?.[0]?.type === "Exact");
    expect(tagRules.length).toBeGreaterThan(0);
    for (const rule of tagRules) expect(rule.filters).toBeUndefined();
  });

  it("never lets a client-sent tag choose a backend: the front door's tag replaces it, or the joined value matches no rule", () => {
    const tags = [
      ...prodBackends.backendServices.map((b) => b.backendKey).filter((k): k is string => k !== undefined),
      CATCH_ALL_TAG,
      "shop/cart:80,shop/cart-v2:80",
    ];
    for (const spec of prodBackends.backendServices)
      for (const cluster of new Set(spec.backends.map((b) => b.cluster))) {
        const gw = gateways.get(cluster)!;
        for (const spoofed of tags) {
          const outcome = (semantics: "replace" | "append") =>
            gatewayOutcome(gw.gateway, gw.routes, {
              port: gw.negPort,
              host: "shop.example.com",
              path: "/",
              headers: { [DISPATCH_HEADER]: delivered(spec, spoofed, semantics) },
            });
          expect(outcome("replace"), `${spoofed} to ${spec.key}`).toBe(spec.key === CATCH_ALL ? "404" : spec.backendKey);
          expect(outcome("append"), `${spoofed} to ${spec.key}`).toBe("404");
        }
      }
    // Nothing in the URL map names the tag, so GCP's rule that a URL map header beats the backend service's never applies.
    expect(JSON.stringify(buildUrlMap(prod.hosts, prodBackends, (k) => k)).toLowerCase()).not.toContain(DISPATCH_HEADER);
  });

  it("answers what the catch-all sends, and untagged requests, with 404 on the dispatch listener", () => {
    expect(prodBackends.backendServices.find((b) => b.key === CATCH_ALL)!.settings.customRequestHeaders).toEqual([`${DISPATCH_HEADER}:${CATCH_ALL_TAG}`]);
    for (const gw of gateways.values())
      expect(gatewayOutcome(gw.gateway, gw.routes, { port: gw.negPort, host: "shop.example.com", path: "/cart", headers: {} })).toBe("404");
  });

  it("health-checks every backend service on exactly its Service in each cluster it attaches: the probe takes that service port's health rule on the serving port", () => {
    let probes = 0;
    for (const spec of prodBackends.backendServices.filter((b) => b.key !== CATCH_ALL)) {
      const check = spec.healthCheck!;
      const service = prod.services.find((s) => s.ports.some((p) => p.backendKey === spec.backendKey))!;
      const own = service.ports.find((p) => p.backendKey === spec.backendKey)!.healthCheck;
      // No fixed port: GCP probes each NEG endpoint on the port it serves, the dispatch port.
      expect(check.port, spec.key).toBeUndefined();
      for (const cluster of new Set(spec.backends.map((b) => b.cluster))) {
        const gw = gateways.get(cluster)!;
        // A probe carries the check's host and path, and no custom header: no tag.
        const probe = { port: gw.negPort, host: check.host!, path: check.requestPath.split("?")[0]!, headers: {} };
        expect(gatewayOutcome(gw.gateway, gw.routes, probe), `${spec.key} in ${cluster}`).toBe(`${spec.backendKey} as ${own.path}`);
        probes++;
      }
    }
    expect(probes).toBe(prod.services.reduce((n, s) => n + s.clusters.length, 0));
    // The health rules keep the probe's Host (no hostname rewrite), so the Service sees the service's host.
    for (const gw of gateways.values())
      for (const rule of gw.routes.flatMap((r) => r.spec.rules as Json[]).filter(isHealthRule))
        expect(rule.filters).toEqual([{ type: "URLRewrite", urlRewrite: { path: { type: "ReplaceFullPath", replaceFullPath: expect.any(String) } } }]);
  });

  it("checks cart-v2 and suggest on their own Services, where routing the probe by host and path checked storefront, or nothing", () => {
    const us = gateways.get("gke-us")!;
    const check = (key: string) => prodBackends.backendServices.find((b) => b.key === key)!.healthCheck!;
    // As it was: a fixed port 80 and the service's host took the host's routes, as any request to / would.
    expect(gatewayOutcome(us.gateway, us.routes, { port: 80, host: check("shop/cart-v2:80").host!, path: "/", headers: {} })).toBe("shop/storefront:80");
    expect(gatewayOutcome(us.gateway, us.routes, { port: 80, host: check("search/suggest:8080").host!, path: "/", headers: {} })).toBe("404");
    // Now: the serving port, the service port's reserved path.
    expect([check("shop/cart-v2:80").host, check("shop/cart-v2:80").requestPath]).toEqual([
      "shop.example.com",
      "/.well-known/fleetgate/health/shop/cart-v2/80",
    ]);
    expect([check("search/suggest:8080").host, check("search/suggest:8080").requestPath]).toEqual([
      "suggest.apps.example.com",
      "/.well-known/fleetgate/health/search/suggest/8080",
    ]);
    for (const [key, want] of [
      ["shop/cart-v2:80", "shop/cart-v2:80 as /"],
      ["search/suggest:8080", "search/suggest:8080 as /"],
    ] as const)
      expect(gatewayOutcome(us.gateway, us.routes, { port: us.negPort, host: check(key).host!, path: check(key).requestPath, headers: {} })).toBe(want);
    // A health path's query rides on the probe's path, which the gateway matches without it and passes on.
    expect(healthProbe("search/suggest", 8080, { path: "/?q=health", host: "suggest.apps.example.com" })).toEqual({
      path: "/.well-known/fleetgate/health/search/suggest/8080",
      requestPath: "/.well-known/fleetgate/health/search/suggest/8080?q=health",
      servicePath: "/",
      host: "suggest.apps.example.com",
      servicePort: 8080,
    });
  });

  describe("keeps clients' requests for the reserved prefix off the health rules", () => {
    const prodMap = buildUrlMap(prod.hosts, prodBackends, (key) => key);
    const healthPaths = [...new Set(prod.clusters.flatMap((c) => dispatchedBackends(prod, c.name).map((b) => b.health.path)))].sort();
    const tags = [undefined, CATCH_ALL_TAG, ...prodBackends.backendServices.flatMap((b) => (b.backendKey ? [b.backendKey] : []))];
    /** Every gateway rule a client request reaches through the front door, for each tag a client might send and both ways GCP may deliver the front door's. */
    function reached(
      plan: FleetPlan,
      map: UrlMapSpec<string>,
      gws: typeof gateways,
      request: ClientRequest,
      backends = planBackends(plan),
    ): { outcome: UrlMapOutcome; rules: (Json | undefined)[] } {
      const rules: (Json | undefined)[] = [];
      for (const tag of tags) {
        const outcome = urlMapOutcome(map, { ...request, headers: tag === undefined ? {} : { [DISPATCH_HEADER]: tag } });
        if ("answered" in outcome) return { outcome, rules };
        for (const key of outcome.backendServices) {
          const spec = backends.backendServices.find((b) => b.key === key)!;
          for (const cluster of new Set(spec.backends.map((b) => b.cluster)))
            for (const semantics of ["replace", "append"] as const) {
              const gw = gws.get(cluster)!;
              rules.push(
                gatewayRule(gw.gateway, gw.routes, {
                  port: gw.negPort,
                  host: outcome.host,
                  path: normalised(outcome.path),
                  headers: { [DISPATCH_HEADER]: delivered(spec, tag, semantics) },
                }),
              );
            }
        }
      }
      return { outcome: urlMapOutcome(map, request), rules };
    }

    it("answers them with 404 at the front door on every host, first, whatever the host's routes say", () => {
      for (const host of prod.hosts.map((h) => h.name.replace(/^\*\./, "any.")))
        for (const path of [RESERVED_PATH_PREFIX, ...healthPaths, ...healthPaths.map((p) => `${p}/x`)])
          expect(urlMapOutcome(prodMap, { host, path }), `${host}${path}`).toEqual({ answered: 404 });
    });

    it("refuses at the gateway what reaches it anyway: an unknown host, or a path only the gateway's normalisation puts there", () => {
      let forwarded = 0;
      for (const host of [...prod.hosts.map((h) => h.name.replace(/^\*\./, "any.")), "unknown.example.org"])
        for (const path of [...healthPaths, ...healthPaths.map((p) => `/x/..${p}`), ...healthPaths.map((p) => p.replace("/fleetgate/", "/%66leetgate/"))]) {
          const { outcome, rules } = reached(prod, prodMap, gateways, { host, path });
          expect(rules.filter(isHealthRule), `${host}${path}`).toEqual([]);
          forwarded += rules.length;
          if (!host.startsWith("unknown") && path.startsWith(RESERVED_PATH_PREFIX)) expect(outcome).toEqual({ answered: 404 });
        }
      expect(forwarded).toBeGreaterThan(100);
    });

    it("refuses a spec's rewrite whose result lands under the prefix, which the URL map's rule cannot see", () => {
      const inputs = prodInputs();
      const search = inputs.files.find((f) => f.path.endsWith("search/search.yaml"))!.docs.find((d) => d.kind === "MultiClusterIngress")!;
      search.spec.template.spec.rules[0].http.paths.push({
        path: "/x/*",
        backend: { serviceName: "search", servicePort: 8080 },
        fleetgate: { rewrite: { prefix: "/" } },
      });
      const plan = planOf(inputs);
      const backends = planBackends(plan);
      const gws = new Map(plan.clusters.map((c) => [c.name, clusterGateway(plan, c.name)]));
      const request = { host: "search.apps.example.com", path: "/x/.well-known/fleetgate/health/shop/cart-v2/80" };
      const { outcome, rules } = reached(
        plan,
        buildUrlMap(plan.hosts, backends, (k) => k),
        gws,
        request,
        backends,
      );
      expect(outcome).toEqual({
        backendServices: ["search/search:8080"],
        host: "search.apps.example.com",
        path: "/.well-known/fleetgate/health/shop/cart-v2/80",
      });
      expect(rules.length).toBeGreaterThan(0);
      expect(rules.filter(isHealthRule)).toEqual([]);
      // Without the guards the front door's own request would take cart-v2's health rule in gke-us: the URL map's
      // rule alone (or sending the prefix to the catch-all, whose requests are tagged too) would not close it.
      const unguarded = (all: typeof gateways) =>
        new Map(
          [...all].map(([name, gw]) => [
            name,
            {
              ...gw,
              routes: gw.routes.map((r) => ({ ...r, spec: { ...r.spec, rules: (r.spec.rules as Json[]).filter((rule) => rule.backendRefs || rule.filters) } })),
            },
          ]),
        );
      expect(
        reached(
          plan,
          buildUrlMap(plan.hosts, backends, (k) => k),
          unguarded(gws),
          request,
          backends,
        ).rules.filter(isHealthRule).length,
      ).toBeGreaterThan(0);
      expect(
        reached(prod, prodMap, unguarded(gateways), { host: "unknown.example.org", path: "/.well-known/fleetgate/health/shop/cart-v2/80" }).rules.filter(
          isHealthRule,
        ).length,
      ).toBeGreaterThan(0);
    });
  });

  it("agrees on both sides which backends each cluster serves by tag: those whose backend services attach its NEGs", () => {
    for (const cluster of prod.clusters) {
      const attached = prodBackends.backendServices
        .filter((b) => b.key !== CATCH_ALL && b.backends.some((x) => x.cluster === cluster.name))
        .map((b) => b.backendKey);
      expect(
        dispatchedBackends(prod, cluster.name).map((b) => b.tag),
        cluster.name,
      ).toEqual(attached.sort());
    }
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

  it("keeps its place beside the health rules: no GCP health check for its internet NEGs, and the GKE clusters' checks on their reserved paths", () => {
    const backends = planBackends(hybrid);
    for (const b of backends.backendServices.filter((x) => x.kind === "internet")) expect(b.healthCheck, b.key).toBeUndefined();
    for (const b of backends.backendServices.filter((x) => x.kind === "zonal" && x.key !== CATCH_ALL))
      expect([b.healthCheck!.requestPath, b.healthCheck!.port], b.key).toEqual([`${RESERVED_PATH_PREFIX}health/${b.backendKey!.replace(":", "/")}`, undefined]);
    // Its hosts' ordinary requests still reach it through the URL map's split.
    expect(
      urlMapOutcome(
        buildUrlMap(hybrid.hosts, backends, (k) => k),
        { host: "search.apps.example.com", path: "/items" },
      ),
    ).toEqual({ backendServices: ["search/search:8080", "search/search:8080@onprem"], host: "search.apps.example.com", path: "/items" });
  });

  it("says which of its hosts are routed twice there", () => {
    expect(dispatchNotes(hybrid, onprem)).toEqual([
      expect.stringContaining("the splits, rewrites and added headers of search.apps.example.com apply again here"),
    ]);
    expect(
      dispatchNotes(
        hybrid,
        hybrid.clusters.find((c) => c.name === "gke-us")!,
      ),
    ).toEqual([]);
  });
});
