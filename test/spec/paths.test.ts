import { describe, expect, it } from "vitest";
import { gkePathToMatch, matchKey, routeMatch } from "../../spec/paths";
import { compareGkeMatches as compareMatches } from "../../spec/route-precedence";
import { healthCheckHost } from "../../spec/resolve";
import type { RouteMatchPlan } from "../../spec/plan";

describe("GKE path rules", () => {
  it.each([
    [undefined, { type: "Prefix", value: "/" }],
    ["/*", { type: "Prefix", value: "/" }],
    ["/cart", { type: "Exact", value: "/cart" }],
    ["/cart/*", { type: "Prefix", value: "/cart/" }],
    ["/", { type: "Exact", value: "/" }],
  ])("normalise %s to %o", (path, match) => {
    expect(gkePathToMatch(path)).toEqual({ match });
  });

  it.each(["cart", "/a/*/b", "/a*", "/a?b=1"])("reject %s with an explanation", (path) => {
    const result = gkePathToMatch(path);
    expect("problem" in result && result.problem).toContain(JSON.stringify(path));
  });
});

const m = (type: "Exact" | "Prefix", value: string, headers = 0): RouteMatchPlan => ({
  path: { type, value },
  headers: Array.from({ length: headers }, (_, i) => ({ name: `h${i}`, type: "Exact" as const, value: "1" })),
  queryParams: [],
});

describe("route precedence", () => {
  it("puts exact paths first, then longer prefixes, then more conditions", () => {
    const ordered = [m("Exact", "/cart"), m("Exact", "/"), m("Prefix", "/cart/items/"), m("Prefix", "/cart/", 1), m("Prefix", "/cart/"), m("Prefix", "/")];
    const shuffled = [ordered[4]!, ordered[0]!, ordered[5]!, ordered[2]!, ordered[1]!, ordered[3]!];
    expect(shuffled.sort(compareMatches)).toEqual(ordered);
  });

  it("puts a method match after the path but before header and query conditions, as Gateway API orders them", () => {
    const withMethod = (match: RouteMatchPlan, method: RouteMatchPlan["method"]): RouteMatchPlan => ({ ...match, method });
    const ordered = [
      m("Exact", "/cart"),
      withMethod(m("Prefix", "/cart/items/"), "GET"),
      m("Prefix", "/cart/items/", 2),
      withMethod(m("Prefix", "/cart/", 1), "POST"),
      withMethod(m("Prefix", "/cart/"), "GET"),
      m("Prefix", "/cart/", 2),
      m("Prefix", "/cart/"),
    ];
    const shuffled = [ordered[5]!, ordered[2]!, ordered[6]!, ordered[4]!, ordered[0]!, ordered[3]!, ordered[1]!];
    expect(shuffled.sort(compareMatches)).toEqual(ordered);
  });

  it("lets the longest match win, as GCE path rules do", () => {
    // For any request path, the first matching rule in precedence order is the longest one that matches.
    const rules = [m("Prefix", "/"), m("Prefix", "/a/"), m("Exact", "/a/b"), m("Prefix", "/a/b/"), m("Exact", "/a")].sort(compareMatches);
    const matches = (rule: RouteMatchPlan, path: string) => (rule.path.type === "Exact" ? path === rule.path.value : path.startsWith(rule.path.value));
    for (const path of ["/", "/a", "/a/", "/a/b", "/a/b/", "/a/b/c", "/ab", "/x"]) {
      const candidates = rules.filter((r) => matches(r, path));
      const longest = Math.max(...candidates.map((r) => r.path.value.length));
      expect(candidates[0]!.path.value.length, path).toBe(longest);
    }
  });
});

describe("route conditions", () => {
  it("are put in one order whatever order they are written in", () => {
    const a = routeMatch(
      { type: "Prefix", value: "/" },
      {
        match: {
          headers: [
            { name: "x-b", type: "Exact", value: "2" },
            { name: "x-a", type: "Present" },
            { name: "x-a", type: "Exact", value: "1" },
          ],
        },
      },
    );
    const b = routeMatch(
      { type: "Prefix", value: "/" },
      {
        match: {
          headers: [
            { name: "x-a", type: "Exact", value: "1" },
            { name: "x-b", type: "Exact", value: "2" },
            { name: "x-a", type: "Present" },
          ],
        },
      },
    );
    expect(a).toEqual(b);
    expect(a.headers.map((h) => `${h.name}:${h.type}`)).toEqual(["x-a:Exact", "x-a:Present", "x-b:Exact"]);
  });
});

describe("route keys", () => {
  it("tell methods apart, and a method from none", () => {
    const key = (method?: "GET" | "POST") => matchKey(routeMatch({ type: "Prefix", value: "/cart/" }, method ? { match: { method } } : undefined));
    expect([key(), key("GET"), key("POST")]).toEqual(["^/cart/", "^/cart/ m:GET", "^/cart/ m:POST"]);
  });
});

describe("health check hosts", () => {
  it("prefer a named host and stand a label in for a wildcard", () => {
    expect(healthCheckHost(["*.shop.example.com", "shop.example.com"])).toBe("shop.example.com");
    expect(healthCheckHost(["*.shop.example.com"])).toBe("fleetgate-health-check.shop.example.com");
    expect(healthCheckHost([])).toBeUndefined();
  });
});
