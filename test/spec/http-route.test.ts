import { describe, expect, it } from "vitest";
import type { FleetPlan } from "../../spec/index";
import type { HostPlan, RoutePlan } from "../../spec/plan";
import { planCase, type DiagnosticCase, type Want } from "./diagnostic-cases";
import { baseFixture, planFixture, type SpecFixture, withShopRoute } from "./fixtures";

type Doc = Record<string, any>;
const GATEWAY = { name: "fleetgate", namespace: "fleetgate-gateway" };

/** The base spec plus an HTTPRoute of the shop team on a host of its own. */
function routeFixture(): SpecFixture {
  const f = baseFixture();
  return withShopRoute(
    f,
    [{ ...GATEWAY }],
    [
      { matches: [{ path: { type: "PathPrefix", value: "/v2" } }], backendRefs: [{ name: "web", port: 80 }] },
      {
        matches: [{ path: { type: "Exact", value: "/cart" }, headers: [{ name: "x-canary", value: "1" }] }],
        backendRefs: [
          { name: "cart", port: 80 },
          { name: "web", port: 80 },
        ],
      },
    ],
  );
}
const route = (f: SpecFixture, index = 0): Doc => f.files["shop/routes.yaml"]![index]! as Doc;
const rule = (f: SpecFixture, r: number): Doc => route(f).spec.rules[r];

interface Case extends DiagnosticCase {
  /** Substrings of the field path and of the message of each error wanted (at a file position). */
  wantErrors: Want[];
}

const cases: Case[] = [
  { description: "the base spec with an HTTPRoute is valid", mutate: () => {}, wantErrors: [] },
  {
    description: "a RegularExpression path is refused at the match, naming the front door's reason",
    mutate: (f) => void (rule(f, 0).matches[0].path = { type: "RegularExpression", value: "/v[0-9]+" }),
    wantErrors: [{ path: "spec.rules[0].matches[0].path.type", message: "matches no regular expressions [gcp.no-regex]" }],
  },
  {
    description: "a RegularExpression header match is refused behind the GCP front door",
    mutate: (f) => void (rule(f, 1).matches[0].headers[0] = { type: "RegularExpression", name: "x-canary", value: "1|2" }),
    wantErrors: [{ path: "spec.rules[1].matches[0].headers[0].type", message: "[gcp.no-regex]" }],
  },
  {
    description: "a RegularExpression query match is refused behind the GCP front door",
    mutate: (f) => void (rule(f, 1).matches[0].queryParams = [{ type: "RegularExpression", name: "v", value: "[0-9]" }]),
    wantErrors: [{ path: "spec.rules[1].matches[0].queryParams[0].type", message: "use Exact" }],
  },
  {
    description: "two conditions on one header name are refused",
    mutate: (f) => void rule(f, 1).matches[0].headers.push({ name: "X-Canary", value: "2" }),
    wantErrors: [{ path: "spec.rules[1].matches[0].headers[1].name", message: "already headers[0]" }],
  },
  {
    description: "a RequestMirror filter is refused with the reason",
    mutate: (f) => void (rule(f, 0).filters = [{ type: "RequestMirror", requestMirror: { backendRef: { name: "cart", port: 80 } } }]),
    wantErrors: [{ path: "spec.rules[0].filters[0].type", message: "do not mirror requests" }],
  },
  {
    description: "an ExtensionRef filter is refused",
    mutate: (f) => void (rule(f, 0).filters = [{ type: "ExtensionRef", extensionRef: { group: "x", kind: "Y", name: "z" } }]),
    wantErrors: [{ path: "spec.rules[0].filters[0].type", message: "knows no extension filters" }],
  },
  {
    description: "a filter whose settings are under another type's field is refused",
    mutate: (f) => void (rule(f, 0).filters = [{ type: "URLRewrite", requestRedirect: { hostname: "shop.example.com" } }]),
    wantErrors: [{ path: "spec.rules[0].filters[0].urlRewrite", message: "is missing" }],
  },
  {
    description: "a parentRef to another gateway names the fleet gateway to attach to",
    mutate: (f) => void (route(f).spec.parentRefs = [{ name: "external", namespace: "fleetgate-gateway" }]),
    wantErrors: [{ path: "spec.parentRefs[0].name", message: "parentRefs: [{ name: fleetgate, namespace: fleetgate-gateway }]" }],
  },
  {
    description: "a parentRef without namespace means the route's own, which is not the gateway's",
    mutate: (f) => void (route(f).spec.parentRefs = [{ name: "fleetgate" }]),
    wantErrors: [{ path: "spec.parentRefs[0].name", message: "which means the route's own (shop)" }],
  },
  {
    description: "a sectionName is refused: the listeners are Fleetgate's own",
    mutate: (f) => void (route(f).spec.parentRefs[0].sectionName = "https"),
    wantErrors: [{ path: "spec.parentRefs[0].sectionName", message: "leave sectionName out" }],
  },
  {
    description: "a parentRef port other than 443 is refused",
    mutate: (f) => void (route(f).spec.parentRefs[0].port = 80),
    wantErrors: [{ path: "spec.parentRefs[0].port", message: "443 only" }],
  },
  {
    description: "a hostname that comes to an ingress host's resource names is refused at the hostname",
    mutate: (f) => {
      (f.config.hostOwnership as Doc[])[0]!.domains.push("api-shop.example.com");
      route(f).spec.hostnames.push("api-shop.example.com");
    },
    wantErrors: [{ path: "spec.hostnames[1]", message: 'would be given the same resource names as "api.shop.example.com"' }],
  },
  {
    description: "a route without hostnames is refused",
    mutate: (f) => void delete route(f).spec.hostnames,
    wantErrors: [{ path: "spec", message: "MUST name the hosts it serves" }],
  },
  {
    description: "a hostname the namespace is not granted is refused like an ingress host",
    mutate: (f) => void route(f).spec.hostnames.push("www.search.example.com"),
    wantErrors: [{ path: "spec.hostnames[1]", message: 'namespace shop may not claim "www.search.example.com"' }],
  },
  {
    description: "a hostname listed twice is refused",
    mutate: (f) => void route(f).spec.hostnames.push("api.shop.example.com"),
    wantErrors: [{ path: "spec.hostnames[1]", message: "list each host once" }],
  },
  {
    description: "an HTTPRoute shares a host with an ingress of its namespace where their matches differ",
    mutate: (f) => void route(f).spec.hostnames.push("shop.example.com"),
    wantErrors: [],
  },
  {
    description: "a PathPrefix whose prefix half an ingress's /x/* claims is refused at the match",
    mutate: (f) => {
      route(f).spec.hostnames = ["shop.example.com"];
      rule(f, 0).matches[0].path.value = "/cart";
    },
    wantErrors: [{ path: "spec.rules[0].matches[0]", message: "MultiClusterIngress shop/shop already claims" }],
  },
  {
    description: "a PathPrefix / on a host with an ingress's default backend is a second default backend",
    mutate: (f) => {
      route(f).spec.hostnames = ["shop.example.com"];
      rule(f, 0).matches = [{ path: { type: "PathPrefix", value: "/" } }];
    },
    wantErrors: [{ path: "spec.rules[0].matches[0]", message: "second default backend for host shop.example.com" }],
  },
  {
    description: "a backend in another namespace without a ReferenceGrant is refused, naming the grant to add",
    mutate: (f) => void (rule(f, 0).backendRefs = [{ name: "search", namespace: "search", port: 8080 }]),
    wantErrors: [{ path: "spec.rules[0].backendRefs[0].namespace", message: "no ReferenceGrant in search" }],
  },
  {
    description: "a backend in another namespace with a ReferenceGrant there is valid",
    mutate: (f) => {
      rule(f, 0).backendRefs = [{ name: "search", namespace: "search", port: 8080 }];
      f.files["search/grant.yaml"] = [
        {
          apiVersion: "gateway.networking.k8s.io/v1beta1",
          kind: "ReferenceGrant",
          metadata: { name: "from-shop", namespace: "search" },
          spec: { from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "shop" }], to: [{ group: "", kind: "Service", name: "search" }] },
        },
      ];
    },
    wantErrors: [],
  },
  {
    description: "a ReferenceGrant for ServiceImports does not grant Services",
    mutate: (f) => {
      rule(f, 0).backendRefs = [{ name: "search", namespace: "search", port: 8080 }];
      f.files["search/grant.yaml"] = [
        {
          apiVersion: "gateway.networking.k8s.io/v1beta1",
          kind: "ReferenceGrant",
          metadata: { name: "from-shop", namespace: "search" },
          spec: { from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "shop" }], to: [{ group: "net.gke.io", kind: "ServiceImport" }] },
        },
      ];
    },
    wantErrors: [{ path: "spec.rules[0].backendRefs[0].namespace", message: "no ReferenceGrant in search" }],
  },
  {
    description: "a ServiceImport backend names the MultiClusterService of its name",
    mutate: (f) => void (rule(f, 0).backendRefs = [{ group: "net.gke.io", kind: "ServiceImport", name: "web", port: 80 }]),
    wantErrors: [],
  },
  {
    description: "a ServiceImport in the core group is refused with the group to write",
    mutate: (f) => void (rule(f, 0).backendRefs = [{ kind: "ServiceImport", name: "web", port: 80 }]),
    wantErrors: [{ path: "spec.rules[0].backendRefs[0].group", message: "group: net.gke.io" }],
  },
  {
    description: "a backend without port is refused",
    mutate: (f) => void delete rule(f, 0).backendRefs[0].port,
    wantErrors: [{ path: "spec.rules[0].backendRefs[0].port", message: "is missing" }],
  },
  {
    description: "a misspelt backend gets a suggestion",
    mutate: (f) => void (rule(f, 0).backendRefs[0].name = "wbe"),
    wantErrors: [{ path: "spec.rules[0].backendRefs[0].name", message: 'did you mean "web"' }],
  },
  {
    description: "a port the service does not have is refused with its ports",
    mutate: (f) => void (rule(f, 0).backendRefs[0].port = 8080),
    wantErrors: [{ path: "spec.rules[0].backendRefs[0].port", message: "its ports are 80" }],
  },
  {
    description: "weights that give no whole percents are refused, not rounded",
    mutate: (f) => void (rule(f, 1).backendRefs[1].weight = 2),
    wantErrors: [{ path: "spec.rules[1].backendRefs", message: "33.33%, 66.67%" }],
  },
  {
    description: "all weights 0 are refused",
    mutate: (f) => void rule(f, 1).backendRefs.forEach((b: Doc) => (b.weight = 0)),
    wantErrors: [{ path: "spec.rules[1].backendRefs", message: "every backend weight 0" }],
  },
  {
    description: "per-backend filters are refused",
    mutate: (f) => void (rule(f, 0).backendRefs[0].filters = [{ type: "RequestHeaderModifier", requestHeaderModifier: { set: [{ name: "x", value: "y" }] } }]),
    wantErrors: [{ path: "spec.rules[0].backendRefs[0].filters", message: "move them to the rule's filters" }],
  },
  {
    description: "a redirect beside backends is refused",
    mutate: (f) => void (rule(f, 0).filters = [{ type: "RequestRedirect", requestRedirect: { hostname: "shop.example.com" } }]),
    wantErrors: [{ path: "spec.rules[0].backendRefs", message: "either redirects or forwards" }],
  },
  {
    description: "a redirect that changes nothing is refused as a loop",
    mutate: (f) => {
      rule(f, 0).filters = [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }];
      delete rule(f, 0).backendRefs;
    },
    wantErrors: [{ path: "spec.rules[0].filters[0].requestRedirect", message: "back to the same URL" }],
  },
  {
    description: "a redirect to http is refused behind the GCP front door",
    mutate: (f) => {
      rule(f, 0).filters = [{ type: "RequestRedirect", requestRedirect: { scheme: "http", hostname: "shop.example.com" } }];
      delete rule(f, 0).backendRefs;
    },
    wantErrors: [{ path: "spec.rules[0].filters[0].requestRedirect.scheme", message: "only redirects to HTTPS" }],
  },
  {
    description: "a redirect to another port is refused",
    mutate: (f) => {
      rule(f, 0).filters = [{ type: "RequestRedirect", requestRedirect: { hostname: "shop.example.com", port: 8443 } }];
      delete rule(f, 0).backendRefs;
    },
    wantErrors: [{ path: "spec.rules[0].filters[0].requestRedirect.port", message: "on 443 only" }],
  },
  {
    description: "a 307 redirect is refused with the codes the gateways can send",
    mutate: (f) => {
      rule(f, 0).filters = [{ type: "RequestRedirect", requestRedirect: { hostname: "shop.example.com", statusCode: 307 } }];
      delete rule(f, 0).backendRefs;
    },
    wantErrors: [{ path: "spec.rules[0].filters[0].requestRedirect.statusCode", message: "is 307, which Fleetgate's gateways cannot redirect with" }],
  },
  {
    description: "ReplacePrefixMatch under an Exact match is refused",
    mutate: (f) => void (rule(f, 1).filters = [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/x" } } }]),
    wantErrors: [{ path: "spec.rules[1].filters[0].urlRewrite.path.type", message: "use ReplaceFullPath" }],
  },
  {
    description: "ReplaceFullPath under a PathPrefix is refused behind the GCP front door",
    mutate: (f) => void (rule(f, 0).filters = [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplaceFullPath", replaceFullPath: "/x" } } }]),
    wantErrors: [{ path: "spec.rules[0].filters[0].urlRewrite.path.type", message: "rewrites only the prefix a route matched" }],
  },
  {
    description: "a rewrite to a host the namespace does not own is refused",
    mutate: (f) => void (rule(f, 0).filters = [{ type: "URLRewrite", urlRewrite: { hostname: "search.example.com" } }]),
    wantErrors: [{ path: "spec.rules[0].filters[0].urlRewrite.hostname", message: "does not own" }],
  },
  {
    description: "a backendRequest timeout longer than the request timeout is refused",
    mutate: (f) => void (rule(f, 0).timeouts = { request: "10s", backendRequest: "20s" }),
    wantErrors: [{ path: "spec.rules[0].timeouts.backendRequest", message: "lower it to 10s at most" }],
  },
  {
    description: "a path under Fleetgate's reserved prefix is refused",
    mutate: (f) => void (rule(f, 0).matches[0].path.value = "/.well-known/fleetgate/x"),
    wantErrors: [{ path: "spec.rules[0].matches[0].path.value", message: "reserves on every host" }],
  },
  {
    description: "a path with a // is refused as the Gateway API does",
    mutate: (f) => void (rule(f, 0).matches[0].path.value = "/v2//x"),
    wantErrors: [{ path: "spec.rules[0].matches[0].path.value", message: 'contains "//"' }],
  },
  {
    description: "an unknown field of a match gets a suggestion",
    mutate: (f) => void (rule(f, 0).matches[0].header = []),
    wantErrors: [{ path: "spec.rules[0].matches[0].header", message: 'did you mean "headers"' }],
  },
  {
    description: "the same match twice in one route is refused: the second would never be served",
    mutate: (f) => void rule(f, 0).matches.push({ path: { type: "PathPrefix", value: "/v2/" } }),
    wantErrors: [{ path: "spec.rules[0].matches[1]", message: "this route already claims" }],
  },
  {
    description: "a PathPrefix beside an Exact of the same path is valid: the Exact wins there",
    mutate: (f) => void route(f).spec.rules.push({ matches: [{ path: { type: "Exact", value: "/v2" } }], backendRefs: [{ name: "cart", port: 80 }] }),
    wantErrors: [],
  },
  {
    description: "two HTTPRoutes of one name are refused",
    mutate: (f) => void f.files["shop/routes.yaml"]!.push(structuredClone(route(f))),
    wantErrors: [{ path: "metadata.name", message: "HTTPRoute shop/api is already defined" }],
  },
];

describe("HTTPRoute validation", () => {
  for (const c of cases) {
    it(c.description, () => {
      const result = planCase(c, routeFixture());
      if (c.wantErrors.length > 0) expect(result.plan).toBeUndefined();
    });
  }
});

const hostOf = (plan: FleetPlan | undefined, name: string): HostPlan => {
  const host = plan?.hosts.find((h) => h.name === name);
  expect(host, `no host ${name}`).toBeDefined();
  return host!;
};
const summary = (routes: readonly RoutePlan[]) => routes.map((r) => `${r.priority} ${r.key}`);

describe("HTTPRoutes in the plan", () => {
  it("plans a PathPrefix as an Exact and a Prefix with one action, so /v2 never matches /v2example", () => {
    const result = planFixture(routeFixture());
    const host = hostOf(result.plan, "api.shop.example.com");
    expect(summary(host.routes)).toEqual(["1 =/cart h:x-canary=1", "2 =/v2", "3 ^/v2/"]);
    expect(host.routes[1]!.action).toEqual(host.routes[2]!.action);
    expect(host.owners).toEqual(["shop"]);
  });

  it("splits by weight in percents of the rule's total", () => {
    const f = routeFixture();
    rule(f, 1).backendRefs[1].weight = 3;
    const action = hostOf(planFixture(f).plan, "api.shop.example.com").routes[0]!.action;
    expect(action.kind === "forward" && action.backends).toEqual([
      { service: "shop/cart", port: 80, weight: 25 },
      { service: "shop/web", port: 80, weight: 75 },
    ]);
  });

  it("ORs several matches of a rule: each is a route with the rule's action", () => {
    const f = routeFixture();
    rule(f, 0).matches.push({ path: { type: "Exact", value: "/legacy" }, method: "GET" }, { queryParams: [{ name: "v", value: "2" }] });
    const routes = hostOf(planFixture(f).plan, "api.shop.example.com").routes;
    expect(summary(routes)).toEqual(["1 =/legacy m:GET", "2 =/cart h:x-canary=1", "3 =/v2", "4 ^/v2/", "5 ^/ q:v=2"]);
    expect(new Set(routes.filter((r) => !r.key.includes("cart")).map((r) => JSON.stringify(r.action))).size).toBe(1);
  });

  it("puts a real Exact before a PathPrefix's exact half whatever their conditions, and drops the half it shadows", () => {
    const f = routeFixture();
    rule(f, 0).matches[0].headers = [{ name: "x-beta", value: "1" }];
    route(f).spec.rules.push({ matches: [{ path: { type: "Exact", value: "/v2" } }], backendRefs: [{ name: "cart", port: 80 }] });
    rule(f, 1).matches[0].path.value = "/cart";
    const routes = hostOf(planFixture(f).plan, "api.shop.example.com").routes;
    expect(summary(routes)).toEqual(["1 =/cart h:x-canary=1", "2 =/v2", "3 =/v2 h:x-beta=1", "4 ^/v2/ h:x-beta=1"]);
    const f2 = routeFixture();
    route(f2).spec.rules.push({ matches: [{ path: { type: "Exact", value: "/v2" } }], backendRefs: [{ name: "cart", port: 80 }] });
    const exact = hostOf(planFixture(f2).plan, "api.shop.example.com").routes.filter((r) => r.key === "=/v2");
    expect(exact.map((r) => r.action.kind === "forward" && r.action.backends[0]!.service)).toEqual(["shop/cart"]);
  });

  it("orders by longest prefix, then method, then most headers, then most query parameters", () => {
    const f = routeFixture();
    route(f).spec.rules = [
      {
        matches: [
          {
            path: { value: "/a" },
            queryParams: [
              { name: "q", value: "1" },
              { name: "r", value: "1" },
            ],
          },
        ],
        backendRefs: [{ name: "web", port: 80 }],
      },
      { matches: [{ path: { value: "/a" }, headers: [{ name: "h", value: "1" }] }], backendRefs: [{ name: "web", port: 80 }] },
      { matches: [{ path: { value: "/a" }, method: "POST" }], backendRefs: [{ name: "web", port: 80 }] },
      { matches: [{ path: { value: "/a/b" } }], backendRefs: [{ name: "web", port: 80 }] },
    ];
    const keys = hostOf(planFixture(f).plan, "api.shop.example.com").routes.map((r) => r.key);
    expect(keys).toEqual(["=/a/b", "^/a/b/", "=/a m:POST", "^/a/ m:POST", "=/a h:h=1", "^/a/ h:h=1", "=/a q:q=1&r=1", "^/a/ q:q=1&r=1"]);
  });

  it("breaks ties between routes by file path, then position in the file (git has no creation time)", () => {
    const f = routeFixture();
    const other = (name: string, header: string): Doc => ({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name, namespace: "shop" },
      spec: {
        parentRefs: [{ ...GATEWAY }],
        hostnames: ["api.shop.example.com"],
        rules: [{ matches: [{ path: { type: "Exact", value: "/t" }, headers: [{ name: header, value: "1" }] }], backendRefs: [{ name: "web", port: 80 }] }],
      },
    });
    f.files["shop/b.yaml"] = [other("first-in-b", "z"), other("second-in-b", "y")];
    f.files["shop/a.yaml"] = [other("only-in-a", "x-last")];
    const routes = hostOf(planFixture(f).plan, "api.shop.example.com").routes.filter((r) => r.key.startsWith("=/t"));
    expect(routes.map((r) => r.ingress)).toEqual(["shop/only-in-a", "shop/first-in-b", "shop/second-in-b"]);
  });

  it("writes a ReplacePrefixMatch for both halves: /v2 becomes /v3 and /v2/x becomes /v3/x", () => {
    const f = routeFixture();
    rule(f, 0).filters = [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/v3" } } }];
    const routes = hostOf(planFixture(f).plan, "api.shop.example.com").routes;
    const rewrite = (key: string) => {
      const action = routes.find((r) => r.key === key)!.action;
      return action.kind === "forward" ? action.rewrite : undefined;
    };
    expect(rewrite("=/v2")).toEqual({ path: "/v3" });
    expect(rewrite("^/v2/")).toEqual({ prefix: "/v3/" });
  });

  it("plans header modifiers, timeouts and a redirect", () => {
    const f = routeFixture();
    rule(f, 0).filters = [
      {
        type: "RequestHeaderModifier",
        requestHeaderModifier: {
          set: [
            { name: "x-b", value: "2" },
            { name: "x-a", value: "1" },
          ],
          remove: ["x-z", "x-y"],
        },
      },
      { type: "ResponseHeaderModifier", responseHeaderModifier: { add: [{ name: "x-served-by", value: "fleet" }] } },
    ];
    rule(f, 0).timeouts = { request: "10s", backendRequest: "4s" };
    route(f).spec.rules.push({
      matches: [{ path: { type: "Exact", value: "/old" } }],
      filters: [{ type: "RequestRedirect", requestRedirect: { path: { type: "ReplaceFullPath", replaceFullPath: "/new" }, statusCode: 301 } }],
    });
    const routes = hostOf(planFixture(f).plan, "api.shop.example.com").routes;
    const v2 = routes.find((r) => r.key === "^/v2/")!.action;
    expect(v2).toMatchObject({
      kind: "forward",
      timeoutSeconds: 4,
      requestHeaders: { set: { "x-a": "1", "x-b": "2" }, add: {}, remove: ["x-y", "x-z"] },
      responseHeaders: { set: {}, add: { "x-served-by": "fleet" }, remove: [] },
    });
    expect(routes.find((r) => r.key === "=/old")!.action).toEqual({ kind: "redirect", path: "/new", statusCode: 301 });
  });

  it("makes a rule that sends everything else to one backend the host's default backend", () => {
    const f = routeFixture();
    route(f).spec.rules.push({ backendRefs: [{ name: "web", port: 80 }] });
    const host = hostOf(planFixture(f).plan, "api.shop.example.com");
    expect(host.defaultBackend).toEqual({ service: "shop/web", port: 80, weight: 100 });
    expect(host.routes.some((r) => r.key === "^/")).toBe(false);
  });
});
