import { describe, expect, it } from "vitest";
import { CATCH_ALL, planBackends, type GcpBackendsPlan } from "../../../components/gcp/backend-plan";
import {
  buildUrlMap,
  httpsRedirectMap,
  type PathMatcher,
  pathMatcherName,
  RESERVED_PRIORITY,
  ROUTE_PRIORITY_STEP,
  type RouteRule,
} from "../../../components/gcp/url-map";
import type { HostPlan, RouteActionPlan, RoutePlan, RouteMatchPlan } from "../../../spec/plan";
import { examplePlan } from "../../examples";
import { addOnPremCluster, planOf, prodInputs } from "./prod-fixture";

const prod = examplePlan("prod");
const prodBackends = planBackends(prod);
const prodMap = buildUrlMap(prod.hosts, prodBackends, (key) => key);
/** A path matcher with the rules of the plan's routes only (after the reserved prefix's rule). */
const routesOnly = <R>(m: PathMatcher<R>): PathMatcher<R> => ({ ...m, routeRules: m.routeRules.filter((r) => r.priority !== RESERVED_PRIORITY) });
const matcher = (host: string) => routesOnly(prodMap.pathMatchers.find((m) => m.name === pathMatcherName(host))!);

/** Backends for synthetic hosts: each service port is served by one backend service of the same key. */
const simpleBackends: Pick<GcpBackendsPlan, "targets" | "catchAll"> = {
  targets: { "ns/a:80": [{ backendService: "ns/a:80", weight: 100 }], "ns/b:80": [{ backendService: "ns/b:80", weight: 100 }] },
  catchAll: [{ backendService: CATCH_ALL, weight: 1 }],
};
const noConditions = (path: RouteMatchPlan["path"]): RouteMatchPlan => ({ path, headers: [], queryParams: [] });
function host(routes: { match: RouteMatchPlan; action: RouteActionPlan }[], extra: Partial<HostPlan> = {}): HostPlan {
  return {
    name: "x.example.com",
    wildcard: false,
    owners: ["ns"],
    zone: "example.com",
    certificate: "x.example.com",
    clusters: [],
    routes: routes.map((r, i): RoutePlan => ({ key: `r${i}`, priority: i + 1, match: r.match, action: r.action, ingress: "ns/x", team: "ns" })),
    ...extra,
  };
}
const forwardA: RouteActionPlan = { kind: "forward", backends: [{ service: "ns/a", port: 80, weight: 100 }] };
function onlyRule(h: HostPlan): RouteRule<string> {
  return routesOnly(buildUrlMap([h], simpleBackends, (k) => k).pathMatchers[0]!).routeRules[0]!;
}

describe("the GCP URL map", () => {
  it("has one host rule and path matcher per host, each host on its own matcher", () => {
    expect(prodMap.hostRules).toEqual(prod.hosts.map((h) => ({ hosts: [h.name], pathMatcher: pathMatcherName(h.name) })));
    expect(prodMap.pathMatchers.map((m) => m.name)).toEqual(prod.hosts.map((h) => pathMatcherName(h.name)).sort());
  });

  it("turns GKE prefixes into prefixMatch and exact paths into fullPathMatch, route for route", () => {
    for (const h of prod.hosts) {
      const rules = matcher(h.name).routeRules;
      expect(rules.map((r) => r.matchRules)).toEqual(
        h.routes.map((route) => [
          route.match.path.type === "Exact"
            ? expect.objectContaining({ fullPathMatch: route.match.path.value })
            : expect.objectContaining({ prefixMatch: route.match.path.value }),
        ]),
      );
      for (const rule of rules) expect(Object.keys(rule.matchRules[0]!).filter((k) => k.endsWith("PathMatch") || k === "prefixMatch")).toHaveLength(1);
    }
    expect(matcher("shop.example.com").routeRules.map((r) => r.matchRules[0])).toEqual([
      { fullPathMatch: "/cart" },
      { prefixMatch: "/cart/", headerMatches: [{ headerName: "x-canary", exactMatch: "always" }] },
      { prefixMatch: "/cart/" },
    ]);
  });

  it("keeps the plan's precedence with priorities that leave gaps for later inserts", () => {
    for (const h of prod.hosts) {
      const priorities = matcher(h.name).routeRules.map((r) => r.priority);
      expect(priorities).toEqual(h.routes.map((r) => r.priority * ROUTE_PRIORITY_STEP));
      expect(priorities.every((p, i) => i === 0 || p - priorities[i - 1]! >= ROUTE_PRIORITY_STEP)).toBe(true);
    }
  });

  it("splits the canary by the spec's percentages with weighted backend services", () => {
    const canary = matcher("shop.example.com").routeRules[2]!;
    expect(canary.service).toBeUndefined();
    expect(canary.routeAction?.weightedBackendServices).toEqual([
      { backendService: "shop/cart-v2:80", weight: 10 },
      { backendService: "shop/cart:80", weight: 90 },
    ]);
    expect(matcher("shop.example.com").routeRules[1]!.service).toBe("shop/cart-v2:80");
  });

  it("matches headers and query parameters exactly, by regular expression or by presence", () => {
    const rule = onlyRule(
      host([
        {
          match: {
            path: { type: "Prefix", value: "/" },
            headers: [
              { name: "x-a", type: "Exact", value: "1" },
              { name: "x-b", type: "RegularExpression", value: "^v[0-9]+$" },
              { name: "x-c", type: "Present" },
            ],
            queryParams: [
              { name: "q", type: "Present" },
              { name: "lang", type: "Exact", value: "de" },
            ],
          },
          action: forwardA,
        },
      ]),
    );
    expect(rule.matchRules).toEqual([
      {
        prefixMatch: "/",
        headerMatches: [
          { headerName: "x-a", exactMatch: "1" },
          { headerName: "x-b", regexMatch: "^v[0-9]+$" },
          { headerName: "x-c", presentMatch: true },
        ],
        queryParameterMatches: [
          { name: "q", presentMatch: true },
          { name: "lang", exactMatch: "de" },
        ],
      },
    ]);
    expect(matcher("suggest.apps.example.com").routeRules[0]!.matchRules).toEqual([
      { prefixMatch: "/", queryParameterMatches: [{ name: "q", presentMatch: true }] },
    ]);
  });

  it("matches a method as the :method pseudo-header, exactly, before the route's own header matches", () => {
    const forwardB: RouteActionPlan = { kind: "forward", backends: [{ service: "ns/b", port: 80, weight: 100 }] };
    const rules = routesOnly(
      buildUrlMap(
        [
          host([
            {
              match: { path: { type: "Prefix", value: "/cart/" }, method: "POST", headers: [{ name: "x-a", type: "Exact", value: "1" }], queryParams: [] },
              action: forwardB,
            },
            { match: { ...noConditions({ type: "Prefix", value: "/cart/" }), method: "GET" }, action: forwardA },
            { match: noConditions({ type: "Prefix", value: "/cart/" }), action: forwardA },
          ]),
        ],
        simpleBackends,
        (k) => k,
      ).pathMatchers[0]!,
    ).routeRules;
    expect(rules.map((r) => [r.priority, r.matchRules, r.service])).toEqual([
      [
        ROUTE_PRIORITY_STEP,
        [
          {
            prefixMatch: "/cart/",
            headerMatches: [
              { headerName: ":method", exactMatch: "POST" },
              { headerName: "x-a", exactMatch: "1" },
            ],
          },
        ],
        "ns/b:80",
      ],
      [2 * ROUTE_PRIORITY_STEP, [{ prefixMatch: "/cart/", headerMatches: [{ headerName: ":method", exactMatch: "GET" }] }], "ns/a:80"],
      [3 * ROUTE_PRIORITY_STEP, [{ prefixMatch: "/cart/" }], "ns/a:80"],
    ]);
  });

  it("answers redirects with the spec's host, path or prefix and status code, keeping the query", () => {
    expect(matcher("www.example.com").routeRules[0]!.urlRedirect).toEqual({
      hostRedirect: "shop.example.com",
      redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT",
      stripQuery: false,
    });
    expect(matcher("search.apps.example.com").routeRules[0]!.urlRedirect).toEqual({ pathRedirect: "/", redirectResponseCode: "FOUND", stripQuery: false });
    const prefix = onlyRule(
      host([{ match: noConditions({ type: "Prefix", value: "/old/" }), action: { kind: "redirect", prefix: "/new/", scheme: "https", statusCode: 308 } }]),
    );
    expect(prefix).toEqual({
      priority: ROUTE_PRIORITY_STEP,
      matchRules: [{ prefixMatch: "/old/" }],
      urlRedirect: { prefixRedirect: "/new/", redirectResponseCode: "PERMANENT_REDIRECT", stripQuery: false },
    });
    for (const [code, name] of [
      [303, "SEE_OTHER"],
      [307, "TEMPORARY_REDIRECT"],
    ] as const)
      expect(
        onlyRule(host([{ match: noConditions({ type: "Exact", value: "/a" }), action: { kind: "redirect", path: "/b", statusCode: code } }])).urlRedirect
          ?.redirectResponseCode,
      ).toBe(name);
  });

  it("rewrites the matched prefix, the whole exact path, and the host", () => {
    expect(matcher("search.apps.example.com").routeRules[1]!.routeAction?.urlRewrite).toEqual({ pathPrefixRewrite: "/api/v1/" });
    const exact = onlyRule(
      host([{ match: noConditions({ type: "Exact", value: "/old" }), action: { ...forwardA, rewrite: { path: "/new", host: "internal.example.com" } } }]),
    );
    expect(exact.matchRules).toEqual([{ fullPathMatch: "/old" }]);
    expect(exact.routeAction?.urlRewrite).toEqual({ hostRewrite: "internal.example.com", pathPrefixRewrite: "/new" });
  });

  it("sets, adds and removes request and response headers", () => {
    expect(matcher("accounts.example.com").routeRules[0]!.headerAction).toEqual({
      requestHeadersToAdds: [{ headerName: "x-forwarded-proto", headerValue: "https", replace: true }],
    });
    const rule = onlyRule(
      host([
        {
          match: noConditions({ type: "Prefix", value: "/" }),
          action: {
            ...forwardA,
            requestHeaders: { set: { "x-b": "2" }, add: { "x-a": "1" }, remove: ["x-z", "x-y"] },
            responseHeaders: { set: {}, add: { "x-served-by": "fleetgate" }, remove: ["server"] },
          },
        },
      ]),
    );
    expect(rule.headerAction).toEqual({
      requestHeadersToAdds: [
        { headerName: "x-a", headerValue: "1", replace: false },
        { headerName: "x-b", headerValue: "2", replace: true },
      ],
      requestHeadersToRemoves: ["x-y", "x-z"],
      responseHeadersToAdds: [{ headerName: "x-served-by", headerValue: "fleetgate", replace: false }],
      responseHeadersToRemoves: ["server"],
    });
  });

  it("sets timeouts and retry policies where the spec asks, in GCP's terms", () => {
    const canary = matcher("shop.example.com").routeRules[2]!;
    expect(canary.routeAction?.timeout).toEqual({ seconds: "10" });
    expect(canary.routeAction?.retryPolicy).toEqual({ numRetries: 2, perTryTimeout: { seconds: "5" }, retryConditions: ["5xx", "connect-failure"] });
    const rule = onlyRule(
      host([
        {
          match: noConditions({ type: "Prefix", value: "/" }),
          action: {
            ...forwardA,
            timeoutSeconds: 2.5,
            retries: { attempts: 4, perTryTimeoutSeconds: 0.25, on: ["gateway-error", "refused-stream", "reset", "retriable-4xx"] },
          },
        },
      ]),
    );
    expect(rule.routeAction).toEqual({
      timeout: { seconds: "2", nanos: 500_000_000 },
      retryPolicy: {
        numRetries: 4,
        perTryTimeout: { seconds: "0", nanos: 250_000_000 },
        retryConditions: ["5xx", "gateway-error", "refused-stream", "retriable-4xx"],
      },
    });
    expect(onlyRule(host([{ match: noConditions({ type: "Prefix", value: "/" }), action: forwardA }]))).toEqual({
      priority: ROUTE_PRIORITY_STEP,
      matchRules: [{ prefixMatch: "/" }],
      service: "ns/a:80",
    });
  });

  it("sends a host's unmatched paths to its default backend, or to the environment's catch-all", () => {
    expect(matcher("shop.example.com").defaultService).toBe("shop/storefront:80");
    expect(matcher("accounts.example.com").defaultService).toBe("accounts/accounts:8443");
    // search's /* only forwards to one service: it is the host's default backend (spec/resolve.ts).
    expect(matcher("search.apps.example.com").defaultService).toBe("search/search:8080");
    // suggest's /* matches a query parameter, so the host has no default backend.
    expect(matcher("suggest.apps.example.com").defaultService).toBe(CATCH_ALL);
    expect(prodMap.defaultService).toBe(CATCH_ALL);
  });

  it("splits a service served by GKE and non-GKE clusters by the clusters' weights, in per mille that add up", () => {
    const inputs = prodInputs();
    addOnPremCluster(inputs);
    const plan = planOf(inputs);
    const map = buildUrlMap(plan.hosts, planBackends(plan), (key) => key);
    const search = map.pathMatchers.find((m) => m.name === pathMatcherName("search.apps.example.com"))!;
    // gke-eu and gke-us (100 each) share one backend service; onprem (100) has its own. The split is
    // the host's default, as search's /* is its default backend.
    expect(search.defaultRouteAction?.weightedBackendServices).toEqual([
      { backendService: "search/search:8080", weight: 667 },
      { backendService: "search/search:8080@onprem", weight: 333 },
    ]);
    // Services without a non-GKE cluster keep their percentages.
    const shop = routesOnly(map.pathMatchers.find((m) => m.name === pathMatcherName("shop.example.com"))!);
    expect(shop.routeRules[2]!.routeAction?.weightedBackendServices?.map((w) => w.weight)).toEqual([10, 90]);
  });

  it("weights a split of hybrid services so that every part keeps its share of the route", () => {
    const backends: Pick<GcpBackendsPlan, "targets" | "catchAll"> = {
      targets: {
        "ns/a:80": [
          { backendService: "ns/a:80", weight: 150 },
          { backendService: "ns/a:80@dc", weight: 50 },
        ],
        "ns/b:80": [{ backendService: "ns/b:80", weight: 100 }],
      },
      catchAll: simpleBackends.catchAll,
    };
    const rule = buildUrlMap(
      [
        host([
          {
            match: noConditions({ type: "Prefix", value: "/" }),
            action: {
              kind: "forward",
              backends: [
                { service: "ns/a", port: 80, weight: 70 },
                { service: "ns/b", port: 80, weight: 30 },
              ],
            },
          },
        ]),
      ],
      backends,
      (k) => k,
    ).pathMatchers[0]!.routeRules[1]!;
    expect(rule.routeAction?.weightedBackendServices).toEqual([
      { backendService: "ns/a:80", weight: 525 },
      { backendService: "ns/a:80@dc", weight: 175 },
      { backendService: "ns/b:80", weight: 300 },
    ]);
  });

  it("answers the reserved prefix with 404 itself, first on every host, before any of the spec's routes", () => {
    for (const m of prodMap.pathMatchers) {
      expect(m.routeRules[0], m.name).toEqual({
        priority: RESERVED_PRIORITY,
        matchRules: [{ prefixMatch: "/.well-known/fleetgate/" }],
        service: CATCH_ALL,
        routeAction: { faultInjectionPolicy: { abort: { httpStatus: 404, percentage: 100 } } },
      });
      expect(m.routeRules.slice(1).every((r) => r.priority > RESERVED_PRIORITY)).toBe(true);
    }
    // Where the catch-all is a split (no GKE cluster), the rule names the split; it forwards nothing either way.
    const split = {
      ...simpleBackends,
      catchAll: [
        { backendService: "catch-all@a", weight: 1 },
        { backendService: "catch-all@b", weight: 1 },
      ],
    };
    expect(buildUrlMap([host([])], split, (k) => k).pathMatchers[0]!.routeRules[0]!.routeAction).toEqual({
      weightedBackendServices: [
        { backendService: "catch-all@a", weight: 500 },
        { backendService: "catch-all@b", weight: 500 },
      ],
      faultInjectionPolicy: { abort: { httpStatus: 404, percentage: 100 } },
    });
  });

  it("has a second map that redirects every HTTP request to HTTPS", () => {
    expect(httpsRedirectMap()).toEqual({ defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT", stripQuery: false } });
  });

  it("refers to backend services only through the reference it is given", () => {
    const refs = new Set<string>();
    buildUrlMap(prod.hosts, prodBackends, (key) => (refs.add(key), key));
    expect([...refs].sort()).toEqual(prodBackends.backendServices.map((b) => b.key).sort());
  });
});
