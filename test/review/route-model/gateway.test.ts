import { describe, expect, it } from "vitest";
import type { ClusterObjects, GatewayObject, HTTPRouteObject, ListenerInput, RouteRuleInput, ServiceObject } from "../../../review/route-model/config";
import { evaluateGateway } from "../../../review/route-model/gateway";
import { parseRequest } from "../../../review/route-model/request";

const listener = (name: string, hostname?: string, port = 80): ListenerInput => ({
  name,
  port,
  protocol: "HTTP",
  ...(hostname ? { hostname } : {}),
  allowedRoutes: { namespaces: { from: "All" } },
});
const gateway = (listeners: ListenerInput[]): GatewayObject => ({
  metadata: { name: "gw", namespace: "infra" },
  spec: { gatewayClassName: "istio", listeners },
});
const svc = (namespace: string, name: string, port = 80): ServiceObject => ({ metadata: { name, namespace }, spec: { ports: [{ port, targetPort: 8080 }] } });
const route = (
  name: string,
  rules: RouteRuleInput[],
  extra: { hostnames?: string[]; namespace?: string; sectionName?: string; creationTimestamp?: string } = {},
): HTTPRouteObject => ({
  metadata: { name, namespace: extra.namespace ?? "app", ...(extra.creationTimestamp ? { creationTimestamp: extra.creationTimestamp } : {}) },
  spec: {
    parentRefs: [{ name: "gw", namespace: "infra", ...(extra.sectionName ? { sectionName: extra.sectionName } : {}) }],
    hostnames: extra.hostnames ?? ["shop.example.com"],
    rules,
  },
});
const to = (name: string, weight?: number) => ({ name, port: 80, ...(weight !== undefined ? { weight } : {}) });
const SERVICES = ["exact", "prefix", "long", "method", "headers", "query", "first", "second", "older", "newer", "a", "b", "wild", "exact-host", "v1", "v2"].map(
  (n) => svc("app", n),
);

function cluster(routes: HTTPRouteObject[], listeners = [listener("http")], extra: Partial<ClusterObjects> = {}): ClusterObjects {
  return { name: "c1", gateways: [gateway(listeners)], routes, services: SERVICES, grants: [], serviceUrns: new Map(), ...extra };
}
const landing = (c: ClusterObjects, url: string, headers: string[] = [], method = "GET") => {
  const r = evaluateGateway(c, 80, parseRequest(url, headers, method));
  return r.outcome.kind === "forward"
    ? r.outcome.backends.map((b) => `${b.service.split("/")[1]}${b.problem ? " (problem)" : ""}`).join(",")
    : `${r.outcome.kind} ${r.outcome.status}`;
};

describe("the gateway evaluator follows the Gateway API's precedence", () => {
  const precedence = cluster([
    route("r", [
      { matches: [{ path: { type: "PathPrefix", value: "/v2" } }], backendRefs: [to("prefix")] },
      { matches: [{ path: { type: "PathPrefix", value: "/v2/items" } }], backendRefs: [to("long")] },
      { matches: [{ path: { type: "Exact", value: "/v2" } }], backendRefs: [to("exact")] },
      {
        matches: [
          {
            path: { type: "PathPrefix", value: "/api" },
            headers: [
              { name: "a", value: "1" },
              { name: "b", value: "1" },
            ],
          },
        ],
        backendRefs: [to("headers")],
      },
      { matches: [{ path: { type: "PathPrefix", value: "/api" }, method: "POST" }], backendRefs: [to("method")] },
      { matches: [{ path: { type: "PathPrefix", value: "/q" }, queryParams: [{ name: "x", value: "1" }] }], backendRefs: [to("query")] },
      { matches: [{ path: { type: "PathPrefix", value: "/q" }, headers: [{ name: "a", value: "1" }] }], backendRefs: [to("headers")] },
      { matches: [{ path: { type: "PathPrefix", value: "/same" } }], backendRefs: [to("first")] },
      { matches: [{ path: { type: "PathPrefix", value: "/same" } }], backendRefs: [to("second")] },
    ]),
  ]);
  it.each([
    ["an Exact path before a PathPrefix of the same value", "http://shop.example.com/v2", [], "GET", "exact"],
    ["PathPrefix matches whole path elements", "http://shop.example.com/v2/x", [], "GET", "prefix"],
    ["PathPrefix never takes a longer element", "http://shop.example.com/v2example", [], "GET", "404"],
    ["the longest prefix wins", "http://shop.example.com/v2/items/1", [], "GET", "long"],
    ["a method match before more header matches", "http://shop.example.com/api", ["a: 1", "b: 1"], "POST", "method"],
    ["more header matches before fewer when no method matches", "http://shop.example.com/api", ["a: 1", "b: 1"], "GET", "headers"],
    ["header names are case-insensitive", "http://shop.example.com/api", ["A: 1", "B: 1"], "GET", "headers"],
    ["a header match before a query match (more conditions of a kind ranked first)", "http://shop.example.com/q?x=1", ["a: 1"], "GET", "headers"],
    ["a query match when the header is absent", "http://shop.example.com/q?x=1", [], "GET", "query"],
    ["within a route, the first of two tied rules", "http://shop.example.com/same", [], "GET", "first"],
  ] as const)("%s", (_, url, headers, method, want) => {
    expect(landing(precedence, url, [...headers], method)).toBe(want === "404" ? "answer 404" : want);
  });

  it("across routes, the older route wins a tie, whatever their names", () => {
    const c = cluster([
      route("a-newer", [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [to("newer")] }], {
        creationTimestamp: "2024-02-01T00:00:00Z",
      }),
      route("b-older", [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [to("older")] }], {
        creationTimestamp: "2024-01-01T00:00:00Z",
      }),
    ]);
    expect(landing(c, "http://shop.example.com/x")).toBe("older");
  });

  it("across routes of unknown age, namespace/name decides, and the tie is reported", () => {
    const c = cluster([route("b", [{ backendRefs: [to("b")] }]), route("a", [{ backendRefs: [to("a")] }])]);
    const result = evaluateGateway(c, 80, parseRequest("http://shop.example.com/x"));
    expect(result.route?.route).toBe("app/a");
    expect(result.tiesWith).toEqual(["app/b rule 0"]);
  });
});

describe("the gateway evaluator picks listeners and routes by host name", () => {
  const c = cluster(
    [
      route("wild", [{ backendRefs: [to("wild")] }], { hostnames: ["*.example.com"], sectionName: "wild" }),
      route("exact", [{ backendRefs: [to("exact-host")] }], { hostnames: ["shop.example.com"], sectionName: "wild" }),
      route("other", [{ backendRefs: [to("a")] }], { hostnames: ["other.example.org"], sectionName: "wild" }),
    ],
    [listener("wild", "*.example.com")],
  );
  it.each([
    ["a route's exact host name before another route's wildcard", "http://shop.example.com/", "exact-host"],
    ["a wildcard takes any deeper host", "http://a.b.example.com/", "wild"],
    ["a wildcard never takes its parent domain", "http://example.com/", "answer 404"],
    ["a route host name outside the listener's is ignored", "http://other.example.org/", "answer 404"],
  ])("%s", (_, url, want) => {
    expect(landing(c, url)).toBe(want);
  });

  it("a route attached to one listener by sectionName does not serve another listener's hosts", () => {
    const two = cluster(
      [route("r", [{ backendRefs: [to("a")] }], { hostnames: [], sectionName: "shop" })],
      [listener("shop", "shop.example.com"), listener("blog", "blog.example.com")],
    );
    expect([landing(two, "http://shop.example.com/"), landing(two, "http://blog.example.com/")]).toEqual(["a", "answer 404"]);
  });
});

describe("the gateway evaluator applies the rule's filters and backends", () => {
  it("redirects with ReplacePrefixMatch on whole path elements", () => {
    const c = cluster([
      route("r", [
        {
          matches: [{ path: { type: "PathPrefix", value: "/old" } }],
          filters: [
            {
              type: "RequestRedirect",
              requestRedirect: { scheme: "https", statusCode: 301, path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/new" } },
            },
          ],
        },
      ]),
    ]);
    expect(evaluateGateway(c, 80, parseRequest("http://shop.example.com/old/a?q=1")).outcome).toEqual({
      kind: "redirect",
      status: 301,
      location: "https://shop.example.com/new/a?q=1",
    });
  });

  it("rewrites the path and host and changes headers", () => {
    const c = cluster([
      route("r", [
        {
          matches: [{ path: { type: "PathPrefix", value: "/api" } }],
          filters: [
            { type: "URLRewrite", urlRewrite: { hostname: "api.internal", path: { type: "ReplaceFullPath", replaceFullPath: "/" } } },
            { type: "RequestHeaderModifier", requestHeaderModifier: { set: [{ name: "X-A", value: "1" }], remove: ["x-b"] } },
            { type: "ResponseHeaderModifier", responseHeaderModifier: { add: [{ name: "x-c", value: "2" }] } },
          ],
          backendRefs: [to("a")],
        },
      ]),
    ]);
    const outcome = evaluateGateway(c, 80, parseRequest("http://shop.example.com/api/x")).outcome;
    expect(
      outcome.kind === "forward" && [
        outcome.rewrite,
        outcome.requestHeaders.map((h) => `${h.op} ${h.name}`),
        outcome.responseHeaders.map((h) => `${h.op} ${h.name}`),
      ],
    ).toEqual([{ host: "api.internal", path: "/" }, ["set x-a", "remove x-b"], ["add x-c"]]);
  });

  it("splits by backendRef weights, leaves out weight 0, and names the pods' port", () => {
    const c = cluster([route("r", [{ backendRefs: [to("v1", 3), to("v2", 1), to("a", 0)] }])]);
    const outcome = evaluateGateway(c, 80, parseRequest("http://shop.example.com/")).outcome;
    expect(outcome.kind === "forward" && outcome.backends.map((b) => [b.service, b.weight, b.targetPort])).toEqual([
      ["app/v1", 75, 8080],
      ["app/v2", 25, 8080],
    ]);
  });

  it("refuses a backend in another namespace without a ReferenceGrant, and takes it with one", () => {
    const refs = [route("r", [{ backendRefs: [{ name: "x", namespace: "other", port: 80 }] }])];
    const without = cluster(refs, undefined, { services: [svc("other", "x")] });
    const grant = {
      metadata: { name: "g", namespace: "other" },
      spec: { from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "app" }], to: [{ group: "", kind: "Service" }] },
    };
    expect([landing(without, "http://shop.example.com/"), landing({ ...without, grants: [grant] }, "http://shop.example.com/")]).toEqual(["x (problem)", "x"]);
  });

  it("names a backend whose Service the cluster lacks", () => {
    expect(landing(cluster([route("r", [{ backendRefs: [to("missing")] }])]), "http://shop.example.com/")).toBe("missing (problem)");
  });

  it("answers 500 where the matching rule has no backend", () => {
    expect(landing(cluster([route("r", [{ matches: [{ path: { type: "Exact", value: "/guard" } }] }])]), "http://shop.example.com/guard")).toBe("answer 500");
  });
});
