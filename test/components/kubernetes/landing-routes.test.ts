/**
 * The gateways' verification twins (components/kubernetes/landing-routes.ts), checked with the route
 * model's own Gateway API evaluation (review/route-model/gateway.ts): a request without the token is
 * served exactly as without twins, and one with the token is served by the twin of the rule that serves
 * it without, which removes the token and names the cluster and backends in the landed header.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { FleetClusters } from "../../../components/kubernetes/fleet-clusters";
import { dispatchedBackends, DISPATCH_HEADER } from "../../../components/dispatch";
import { clusterRoutes, gatewayObject, type NamedRoute, referenceGrants } from "../../../components/kubernetes/gateway-plan";
import { HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import { landingRouteName, landingRoutes, ruleLandedValue, TOKEN_PLACEHOLDER, unverifiableHosts } from "../../../components/kubernetes/landing-routes";
import { placeHostRules } from "../../../components/kubernetes/routes";
import { LANDED_HEADER, VERIFY_HEADER, verificationToken } from "../../../components/verification";
import {
  type ClusterObjects,
  type GatewayObject,
  type HTTPRouteObject,
  readRoutingConfig,
  type ReferenceGrantObject,
} from "../../../review/route-model/config";
import { evaluateGateway, type GatewayOutcome } from "../../../review/route-model/gateway";
import { parseRequest } from "../../../review/route-model/request";
import type { FleetPlan } from "../../../spec/plan";
import { baseFixture, planFixture, type SpecFixture, withShopRoute } from "../../spec/fixtures";
import { runComponent } from "../../harness";
import { awsFixture } from "../aws/aws-fixture";
import { validateRegistered } from "./schemas";

const TOKEN = "0123456789abcdef";

/** A fixture plus a host whose rules compete on one path by their header matches, with a split and a redirect. */
function withCompetingRules(f: SpecFixture): SpecFixture {
  return withShopRoute(
    f,
    [{ name: "fleetgate", namespace: "fleetgate-gateway" }],
    [
      { matches: [{ path: { type: "PathPrefix", value: "/v2" } }], backendRefs: [{ name: "web", port: 80 }] },
      {
        matches: [
          {
            path: { type: "Exact", value: "/cart" },
            headers: [
              { name: "x-canary", value: "1" },
              { name: "x-beta", value: "1" },
            ],
          },
        ],
        backendRefs: [{ name: "cart", port: 80 }],
      },
      {
        matches: [{ path: { type: "Exact", value: "/cart" }, headers: [{ name: "x-canary", value: "1" }] }],
        backendRefs: [
          { name: "cart", port: 80, weight: 50 },
          { name: "web", port: 80, weight: 50 },
        ],
      },
      // Ties with the rule above on a request with both headers: the order written decides.
      { matches: [{ path: { type: "Exact", value: "/cart" }, headers: [{ name: "x-beta", value: "2" }] }], backendRefs: [{ name: "web", port: 80 }] },
      { matches: [{ path: { type: "Exact", value: "/cart" } }], backendRefs: [{ name: "web", port: 80 }] },
      {
        matches: [{ path: { type: "PathPrefix", value: "/old" } }],
        filters: [{ type: "RequestRedirect", requestRedirect: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/v2" }, statusCode: 301 } }],
      },
    ],
  );
}

function planned(f: SpecFixture): FleetPlan {
  const result = planFixture(f);
  if (!result.plan) throw new Error(result.diagnostics.map((d) => `${d.path}: ${d.message}`).join("\n"));
  return result.plan;
}

function objects(name: string, gateway: GatewayObject, routes: readonly NamedRoute[]): ClusterObjects {
  return {
    name,
    gateways: [gateway],
    routes: routes.map((r) => r.model.toJSON() as unknown as HTTPRouteObject),
    services: [],
    grants: referenceGrants({ namespace: gateway.metadata.namespace } as never, routes).map((g) => g.toJSON() as unknown as ReferenceGrantObject),
    serviceUrns: new Map(),
  };
}

const PATHS = ["/", "/zz", "/v2", "/v2/x", "/v2x", "/cart", "/cart/", "/old", "/old/a", "/cart/fleetgate-e2e"];
/** An outcome without the 404's reason, which names every route tried. */
const comparable = (o: GatewayOutcome) => (o.kind === "answer" ? { kind: o.kind, status: o.status } : o);

const HEADERS: string[][] = [[], ["x-canary: 1"], ["x-beta: 1"], ["x-beta: 2"], ["x-canary: 1", "x-beta: 1"], ["x-canary: 1", "x-beta: 2"], ["x-canary: 2"]];

describe.each([
  ["GCP (dispatch listener and host listeners)", () => withCompetingRules(baseFixture())],
  ["AWS (host listeners and the redirect listener)", () => withCompetingRules(awsFixture())],
])("verification twins behind %s", (_, fixture) => {
  const plan = planned(fixture());
  const placements = new Map(plan.hosts.map((h) => [h.name, placeHostRules(h)]));
  const clusters = plan.clusters.filter((c) => c.gateway);

  it("gives every forwarding HTTPRoute a twin named <name>.landing, valid against the Gateway API schema, and none to redirects", () => {
    for (const cluster of clusters) {
      const routes = clusterRoutes(plan, cluster, cluster.gateway!, placements);
      const twins = landingRoutes(cluster.name, routes, TOKEN);
      expect(twins.length).toBeGreaterThan(0);
      for (const twin of twins) {
        twin.model.validate();
        expect(routes.map((r) => landingRouteName(r.name))).toContain(twin.name);
        expect(twin.name).not.toMatch(/\.redirect\.landing$/);
        for (const rule of twin.model.spec.rules ?? []) {
          expect(rule.backendRefs?.length).toBeGreaterThan(0);
          for (const m of rule.matches ?? []) expect(m.headers).toContainEqual({ type: "Exact", name: VERIFY_HEADER, value: TOKEN });
        }
      }
      expect(new Set(twins.map((t) => t.name)).size).toBe(twins.length);
    }
  });

  it("serves every request without the token as the routes without twins do, and every request with it by the twin of that rule", () => {
    let tokened = 0;
    for (const cluster of clusters) {
      const gateway = gatewayObject(cluster, cluster.gateway!).toJSON() as GatewayObject;
      const routes = clusterRoutes(plan, cluster, cluster.gateway!, placements);
      const without = objects(cluster.name, gateway, routes);
      const withTwins = objects(cluster.name, gateway, [...routes, ...landingRoutes(cluster.name, routes, TOKEN)]);
      const ports = [cluster.gateway!.port, ...(cluster.gateway!.dispatchPort !== undefined ? [cluster.gateway!.dispatchPort] : [])];
      const tags = dispatchedBackends(plan, cluster.name).flatMap((b) => [[`${DISPATCH_HEADER}: ${b.tag}`], [`${DISPATCH_HEADER}: ${b.tag}`, "x-canary: 1"]]);
      const healthPaths = dispatchedBackends(plan, cluster.name).map((b) => b.health.path);
      for (const host of cluster.gateway!.hosts)
        for (const port of ports)
          for (const path of [...PATHS, ...healthPaths])
            for (const headers of port === cluster.gateway!.dispatchPort ? [[], ...tags] : HEADERS) {
              const plain = parseRequest(`https://${host}${path}`, headers);
              const before = evaluateGateway(without, port, plain);
              const after = evaluateGateway(withTwins, port, plain);
              expect({ host, port, path, headers, outcome: comparable(after.outcome), route: after.route?.route }).toEqual({
                host,
                port,
                path,
                headers,
                outcome: comparable(before.outcome),
                route: before.route?.route,
              });

              const twinned = evaluateGateway(withTwins, port, parseRequest(`https://${host}${path}`, [...headers, `${VERIFY_HEADER}: ${TOKEN}`]));
              const want = { host, port, path, headers };
              if (before.outcome.kind !== "forward") {
                expect({ ...want, kind: twinned.outcome.kind }).toEqual({ ...want, kind: before.outcome.kind });
                continue;
              }
              // A health probe carries no tag (and no token through the front door): its health rule serves it either way.
              if (port === cluster.gateway!.dispatchPort && headers.length === 0) {
                expect({ ...want, route: twinned.route?.route }).toEqual({ ...want, route: before.route?.route });
                continue;
              }
              tokened++;
              const original = routes.find((r) => `${r.model.metadata!.namespace}/${r.name}` === before.route!.route)!;
              const rule = original.model.spec.rules![before.route!.ruleIndex]!;
              expect({ ...want, route: twinned.route?.route, backends: twinned.outcome.kind === "forward" && twinned.outcome.backends }).toEqual({
                ...want,
                route: `${original.model.metadata!.namespace}/${landingRouteName(original.name)}`,
                backends: before.outcome.backends,
              });
              if (twinned.outcome.kind !== "forward") continue;
              expect(twinned.outcome.responseHeaders).toContainEqual(
                expect.objectContaining({ op: "set", name: LANDED_HEADER, value: ruleLandedValue(cluster.name, rule, "fleetgate-gateway") }),
              );
              expect(twinned.outcome.requestHeaders).toContainEqual(expect.objectContaining({ op: "remove", name: VERIFY_HEADER }));
              expect(twinned.outcome.responseHeaders).toContainEqual(expect.objectContaining({ op: "set", name: "cache-control", value: "private, no-store" }));
            }
    }
    expect(tokened).toBeGreaterThan(0);
  });

  it("gives no twin to any route of a host with a rule of 16 header matches (Gateway API's most), and names the host", () => {
    const cluster = clusters[0]!;
    const routes = clusterRoutes(plan, cluster, cluster.gateway!, placements);
    const target = routes.find((r) => r.host === "api.shop.example.com" && !r.name.endsWith(".redirect"))!;
    const json = target.model.toJSON() as { spec: { rules: { matches: { headers?: unknown[] }[] }[] } };
    json.spec.rules[0]!.matches[0]!.headers = Array.from({ length: 16 }, (_, i) => ({ type: "Exact", name: `x-h${i}`, value: "1" }));
    const crowded = routes.map((r) => (r === target ? { ...r, model: new HTTPRoute(json as never) } : r));
    expect(unverifiableHosts(routes)).toEqual([]);
    expect(unverifiableHosts(crowded)).toEqual(["api.shop.example.com"]);
    const twins = landingRoutes(cluster.name, crowded, TOKEN);
    expect(twins.filter((t) => t.host === "api.shop.example.com")).toEqual([]);
    expect(twins.length).toBeGreaterThan(0);
  });

  it("checks twins with a placeholder token by default, so the object shown in plans never holds the real one", () => {
    const cluster = clusters[0]!;
    const twins = landingRoutes(cluster.name, clusterRoutes(plan, cluster, cluster.gateway!, placements));
    expect(JSON.stringify(twins.map((t) => t.model.toJSON()))).toContain(TOKEN_PLACEHOLDER);
  });
});

describe("the clusters' gateways under mocks, with and without the verification secret", () => {
  const plan = planned(withCompetingRules(baseFixture()));
  const HTTP_ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
  const secret = "a-verification-secret-of-32-chars";

  it("registers a twin of every forwarding route only with the token, its whole spec secret and holding the real token; the other routes stay as they are", async () => {
    const kubeconfig = () => pulumi.secret("");
    const without = await runComponent(() => void new FleetClusters("test", { plan, secrets: { kubeconfig } }));
    const withToken = await runComponent(
      () => void new FleetClusters("test", { plan, secrets: { kubeconfig, verificationToken: (env) => pulumi.secret(verificationToken(secret, env)) } }),
    );
    const routes = (g: typeof without) => g.ofType(HTTP_ROUTE);
    expect(routes(without).filter((r) => r.name.endsWith(".landing"))).toEqual([]);
    const originals = routes(withToken).filter((r) => !r.name.endsWith(".landing"));
    expect(originals.map((r) => ({ name: r.name, inputs: r.inputs, secret: r.secretPaths }))).toEqual(
      routes(without).map((r) => ({ name: r.name, inputs: r.inputs, secret: r.secretPaths })),
    );
    const twins = routes(withToken).filter((r) => r.name.endsWith(".landing"));
    expect(twins.length).toBeGreaterThan(0);
    for (const twin of twins) {
      expect(twin.secretPaths).toContain("spec");
      expect(JSON.stringify(twin.inputs)).toContain(verificationToken(secret, "test"));
      expect(JSON.stringify(twin.inputs)).not.toContain(TOKEN_PLACEHOLDER);
      validateRegistered(twin);
      expect(originals.some((o) => landingRouteName(o.name.replace(/^test-\w+-route-/, "")) === twin.name.replace(/^test-\w+-route-/, ""))).toBe(true);
    }
  });
});

describe("the route model reading a plan whose verification twins are masked", () => {
  it("leaves out an HTTPRoute whose spec is a secret mask, and keeps the others", () => {
    const provider = { type: "pulumi:providers:kubernetes", name: "test-us", urn: "urn:provider", inputs: {}, outputs: {}, secretPaths: [] };
    const route = (name: string, spec: unknown) => ({
      type: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
      name,
      urn: `urn:${name}`,
      provider: "urn:provider::id",
      inputs: { metadata: { name, namespace: "fleetgate-gateway" }, spec },
      outputs: {},
      secretPaths: [],
    });
    const resources = [
      provider,
      route("shop.example.com", { hostnames: ["shop.example.com"], rules: [] }),
      route("shop.example.com.landing", "[secret 3fa2c1d09b7e]"),
    ];
    const config = readRoutingConfig("test", resources as never);
    expect(config.clusters.get("us")!.routes.map((r) => r.metadata.name)).toEqual(["shop.example.com"]);
  });
});
