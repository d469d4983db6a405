import { describe, expect, it } from "vitest";
import type { UrlMapInput } from "../../../review/route-model/config";
import { parseRequest } from "../../../review/route-model/request";
import { evaluateUrlMap, type UrlMapAction } from "../../../review/route-model/url-map";

const bs = (name: string) => `https://www.googleapis.com/compute/v1/projects/p/global/backendServices/${name}`;

/** One host rule per host pattern, each with its own path matcher; `routes` go to the `shop` matcher. */
function map(routeRules: NonNullable<UrlMapInput["pathMatchers"]>[number]["routeRules"] = [], extra: Partial<UrlMapInput> = {}): UrlMapInput {
  return {
    name: "fg-test",
    defaultService: bs("catch-all"),
    hostRules: [
      { hosts: ["shop.example.com"], pathMatcher: "shop" },
      { hosts: ["*.example.com"], pathMatcher: "wild" },
      { hosts: ["*.eu.example.com"], pathMatcher: "wild-eu" },
    ],
    pathMatchers: [
      { name: "shop", defaultService: bs("storefront"), routeRules },
      { name: "wild", defaultService: bs("wild") },
      { name: "wild-eu", defaultService: bs("wild-eu") },
    ],
    ...extra,
  };
}

const services = (a: UrlMapAction) => (a.kind === "forward" ? a.backends.map((b) => `${b.backendService} ${b.weight}`) : [`${a.kind} ${a.status}`]);
const go = (m: UrlMapInput, url: string, headers: string[] = [], method = "GET") => evaluateUrlMap(m, parseRequest(url, headers, method));

describe("the URL map evaluator follows GCP's host rules", () => {
  it.each([
    ["an exact host before a wildcard that also takes it", "https://shop.example.com/", "storefront 100"],
    ["a wildcard takes one label", "https://blog.example.com/", "wild 100"],
    ["a wildcard takes several labels (* matches dots)", "https://a.b.example.com/", "wild 100"],
    ["the longest wildcard suffix wins", "https://x.eu.example.com/", "wild-eu 100"],
    ["a host no rule takes goes to the URL map's default", "https://example.com/", "catch-all 100"],
    ["host matching ignores case", "https://SHOP.Example.com/", "storefront 100"],
  ])("%s", (_, url, want) => {
    expect(services(go(map(), url).action)).toEqual([want]);
  });
});

describe("the URL map evaluator tries route rules by priority", () => {
  const rules = [
    { priority: 20, matchRules: [{ prefixMatch: "/cart/" }], service: bs("cart-prefix") },
    { priority: 10, matchRules: [{ fullPathMatch: "/cart" }], service: bs("cart-exact") },
    { priority: 5, matchRules: [{ prefixMatch: "/api/", headerMatches: [{ headerName: ":method", exactMatch: "POST" }] }], service: bs("api-write") },
    { priority: 6, matchRules: [{ prefixMatch: "/api/", queryParameterMatches: [{ name: "v", exactMatch: "2" }] }], service: bs("api-v2") },
    { priority: 7, matchRules: [{ prefixMatch: "/api/", headerMatches: [{ headerName: "x-beta", presentMatch: true }] }], service: bs("api-beta") },
    { priority: 8, matchRules: [{ prefixMatch: "/api/" }], service: bs("api") },
    { priority: 3, matchRules: [{ fullPathMatch: "/Docs", ignoreCase: true }], service: bs("docs") },
    {
      priority: 4,
      matchRules: [{ prefixMatch: "/old/", headerMatches: [{ headerName: ":method", exactMatch: "GET", invertMatch: true }] }],
      service: bs("old-writes"),
    },
    { priority: 9, matchRules: [{ prefixMatch: "/x/" }, { prefixMatch: "/y/" }], service: bs("x-or-y") },
  ];
  it.each([
    ["fullPathMatch takes only the whole path", "https://shop.example.com/cart", [], "GET", "cart-exact 100", 10],
    ["prefixMatch is a plain string prefix", "https://shop.example.com/cart/items", [], "GET", "cart-prefix 100", 20],
    ["a path no rule takes goes to the path matcher's default", "https://shop.example.com/cartoon", [], "GET", "storefront 100", undefined],
    ["the query is not part of the path", "https://shop.example.com/cart?id=1", [], "GET", "cart-exact 100", 10],
    ["a :method header match takes the method", "https://shop.example.com/api/items", [], "POST", "api-write 100", 5],
    ["a request the method match refuses falls to the next priority", "https://shop.example.com/api/items?v=2", [], "GET", "api-v2 100", 6],
    ["a query parameter match compares the first value", "https://shop.example.com/api/items?v=3&v=2", [], "GET", "api 100", 8],
    ["a present header match needs the header, whatever its value", "https://shop.example.com/api/items", ["X-Beta: "], "GET", "api-beta 100", 7],
    ["ignoreCase folds the path", "https://shop.example.com/DOCS", [], "GET", "docs 100", 3],
    ["invertMatch takes what the condition refuses", "https://shop.example.com/old/a", [], "DELETE", "old-writes 100", 4],
    ["match rules of one route rule are ORed", "https://shop.example.com/y/z", [], "GET", "x-or-y 100", 9],
  ] as const)("%s", (_, url, headers, method, want, priority) => {
    const result = go(map(rules), url, [...headers], method);
    expect(services(result.action)).toEqual([want]);
    expect(result.rule.kind === "route-rule" ? result.rule.priority : undefined).toBe(priority);
  });
});

describe("the URL map evaluator acts as the matched rule says", () => {
  it("splits between weighted backend services by their weights", () => {
    const m = map([
      {
        priority: 1,
        matchRules: [{ prefixMatch: "/" }],
        routeAction: {
          weightedBackendServices: [
            { backendService: bs("v1"), weight: 900 },
            { backendService: bs("v2"), weight: 100 },
          ],
        },
      },
    ]);
    expect(services(go(m, "https://shop.example.com/a").action)).toEqual(["v1 90", "v2 10"]);
  });

  it("rewrites the matched prefix and the host", () => {
    const m = map([
      {
        priority: 1,
        matchRules: [{ prefixMatch: "/api/" }],
        service: bs("api"),
        routeAction: { urlRewrite: { pathPrefixRewrite: "/v1/", hostRewrite: "api.internal" } },
      },
    ]);
    const action = go(m, "https://shop.example.com/api/items?x=1").action;
    expect(action.kind === "forward" && action.rewrite).toEqual({ host: "api.internal", path: "/v1/items" });
  });

  it.each([
    [{ prefixRedirect: "/new/", redirectResponseCode: "FOUND" }, "https://shop.example.com/old/a?q=1", 302, "https://shop.example.com/new/a?q=1"],
    [{ pathRedirect: "/", hostRedirect: "www.example.com", stripQuery: true }, "https://shop.example.com/old/a?q=1", 301, "https://www.example.com/"],
    [{ httpsRedirect: true, redirectResponseCode: "PERMANENT_REDIRECT" }, "http://shop.example.com/old/a", 308, "https://shop.example.com/old/a"],
  ])("redirects %j", (urlRedirect, url, status, location) => {
    const m = map([{ priority: 1, matchRules: [{ prefixMatch: "/old/" }], urlRedirect }]);
    expect(go(m, url).action).toEqual({ kind: "redirect", status, location });
  });

  it("applies header actions from the weighted backend service outwards to the URL map", () => {
    const add = (name: string) => ({ requestHeadersToAdds: [{ headerName: name, headerValue: "1", replace: true }] });
    const m: UrlMapInput = {
      ...map(),
      headerAction: add("x-map"),
      pathMatchers: [
        {
          name: "shop",
          headerAction: add("x-matcher"),
          routeRules: [
            {
              priority: 1,
              matchRules: [{ prefixMatch: "/" }],
              headerAction: add("x-rule"),
              routeAction: { weightedBackendServices: [{ backendService: bs("a"), weight: 1, headerAction: add("x-weighted") }] },
            },
          ],
        },
      ],
    };
    const action = go(m, "https://shop.example.com/").action;
    expect(action.kind === "forward" && [...action.backends[0]!.requestHeaders, ...action.requestHeaders].map((c) => c.name)).toEqual([
      "x-weighted",
      "x-rule",
      "x-matcher",
      "x-map",
    ]);
  });

  it("answers itself where a rule aborts every request", () => {
    const m = map([
      {
        priority: 0,
        matchRules: [{ prefixMatch: "/.well-known/fleetgate/" }],
        service: bs("catch-all"),
        routeAction: { faultInjectionPolicy: { abort: { httpStatus: 404, percentage: 100 } } },
      },
    ]);
    expect(services(go(m, "https://shop.example.com/.well-known/fleetgate/health/x").action)).toEqual(["answer 404"]);
  });

  it("uses path rules by longest match when a path matcher has no route rules", () => {
    const m: UrlMapInput = {
      ...map(),
      pathMatchers: [
        {
          name: "shop",
          defaultService: bs("d"),
          pathRules: [
            { paths: ["/a/*"], service: bs("a") },
            { paths: ["/a/b/*"], service: bs("ab") },
            { paths: ["/a"], service: bs("a-exact") },
          ],
        },
      ],
    };
    expect(
      [
        go(m, "https://shop.example.com/a/b/c"),
        go(m, "https://shop.example.com/a/c"),
        go(m, "https://shop.example.com/a"),
        go(m, "https://shop.example.com/ab"),
      ].map((r) => services(r.action)[0]),
    ).toEqual(["ab 100", "a 100", "a-exact 100", "d 100"]);
  });
});
