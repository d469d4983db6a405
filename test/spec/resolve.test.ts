import { describe, expect, it } from "vitest";
import { examplePlan } from "../examples";
import { baseFixture, planFixture } from "./fixtures";

describe("the resolver on the prod example", () => {
  const plan = examplePlan("prod");
  const host = (name: string) => plan.hosts.find((h) => h.name === name)!;
  const service = (key: string) => plan.services.find((s) => s.key === key)!;

  it("lists every cluster, sorted, with a gateway in each that serves something", () => {
    expect(plan.clusters.map((c) => c.name)).toEqual(["gke-asia", "gke-eu", "gke-us"]);
    expect(plan.clusters.every((c) => c.gateway !== undefined)).toBe(true);
    expect(plan.clusters.find((c) => c.name === "gke-eu")!.gateway!.services).toEqual([
      "accounts/accounts",
      "search/search",
      "search/suggest",
      "shop/cart",
      "shop/storefront",
    ]);
  });

  it("gives each service the clusters its links or selectors name, with weights and drains", () => {
    expect(service("shop/storefront").clusters.map((c) => [c.cluster, c.weight])).toEqual([
      ["gke-asia", 100],
      ["gke-eu", 100],
      ["gke-us", 100],
    ]);
    expect(service("shop/cart").clusters.find((c) => c.cluster === "gke-asia")).toEqual({
      cluster: "gke-asia",
      region: "asia-northeast1",
      weight: 0,
      drained: true,
    });
    expect(service("search/search").clusters.map((c) => c.cluster)).toEqual(["gke-eu", "gke-us"]);
    expect(service("accounts/accounts").clusters.map((c) => c.cluster)).toEqual(["gke-eu"]);
  });

  it("refines the environment's gateway settings field by field with a cluster's own", () => {
    const asia = plan.clusters.find((c) => c.name === "gke-asia")!.gateway!;
    const eu = plan.clusters.find((c) => c.name === "gke-eu")!.gateway!;
    expect(asia.autoscaling.maxReplicas).not.toBe(eu.autoscaling.maxReplicas);
    expect(asia.autoscaling.targetCPUUtilizationPercentage).toBe(eu.autoscaling.targetCPUUtilizationPercentage);
    expect(asia.autoscaling.targetCPUUtilizationPercentage).not.toBe(70);
  });

  it("lets only gateways that Google's front end alone reaches trust its forwarded headers; behind AWS, routes mark requests https", () => {
    for (const c of plan.clusters) expect(c.gateway!.forwarded, c.name).toEqual({ trustedProxies: 2 });
    for (const c of examplePlan("aws-prod").clusters.filter((c) => c.gateway))
      expect(c.gateway!.forwarded, c.name).toEqual({ trustedProxies: 0, proto: "https" });
  });

  it("keeps a drained cluster's gateway", () => {
    const asia = plan.clusters.find((c) => c.name === "gke-asia")!;
    expect(asia.gateway!.services).toContain("shop/cart");
  });

  it("orders a host's routes exact first, then longest prefix, header matches before plain ones", () => {
    expect(host("shop.example.com").routes.map((r) => [r.priority, r.key])).toEqual([
      [1, "=/cart"],
      [2, "^/cart/ h:x-canary=always"],
      [3, "^/cart/"],
    ]);
  });

  it("splits a canary by weight and gives the path's backend the rest", () => {
    const canary = host("shop.example.com").routes[2]!.action;
    expect(canary).toMatchObject({
      kind: "forward",
      backends: [
        { service: "shop/cart-v2", port: 80, weight: 10 },
        { service: "shop/cart", port: 80, weight: 90 },
      ],
      timeoutSeconds: 10,
    });
  });

  it("resolves named service ports to numbers", () => {
    expect(host("search.apps.example.com").routes.find((r) => r.key === "^/v1/")!.action).toMatchObject({
      backends: [{ service: "search/search", port: 8080, weight: 100 }],
    });
  });

  it("shares the admin's wildcard certificate among the hosts it covers", () => {
    expect(plan.certificates.find((c) => c.domain === "*.apps.example.com")).toEqual({
      kind: "managed",
      domain: "*.apps.example.com",
      authorizationDomain: "apps.example.com",
      zone: "apps.example.com",
      hosts: ["search.apps.example.com", "suggest.apps.example.com"],
    });
    expect(host("shop.example.com").certificate).toBe("shop.example.com");
  });

  it("places each host in the zone with the longest matching domain", () => {
    expect(host("search.apps.example.com").zone).toBe("apps.example.com");
    expect(host("accounts.example.com").zone).toBe("example.com");
    expect(plan.dnsZones.map((z) => [z.domain, z.hosts])).toEqual([
      ["apps.example.com", ["search.apps.example.com", "suggest.apps.example.com"]],
      ["example.com", ["accounts.example.com", "shop.example.com", "www.example.com"]],
    ]);
  });

  it("sends health checks with a host that routes to the service", () => {
    const port = service("shop/storefront").ports[0]!;
    expect(port.healthCheck).toMatchObject({ path: "/healthz", host: "shop.example.com", intervalSeconds: 10 });
    expect(port.backend).toMatchObject({ timeoutSeconds: 60, connectionDrainingSeconds: 30, logSampleRate: 0.5, securityPolicy: "fleet-edge-armor" });
  });

  it("lays out one intermediate CA per cluster under the environment's root", () => {
    expect(plan.trust.root).toMatchObject({ source: "generate", organization: "Acme", validityHours: 3650 * 24 });
    expect(plan.trust.intermediates.map((i) => i.cluster)).toEqual(["gke-asia", "gke-eu", "gke-us"]);
  });

  it("lets every cluster's istiod discover every other cluster", () => {
    expect(plan.mesh.remoteSecrets).toHaveLength(6);
    expect(plan.mesh.remoteSecrets).toContainEqual({ inCluster: "gke-us", forCluster: "gke-asia" });
    expect(plan.mesh.failover).toEqual([{ service: "shop/storefront", regions: ["us-central1", "europe-west1", "asia-northeast1"] }]);
    expect(plan.mesh.multiNetwork).toBe(false);
  });

  it("names NEGs deterministically from the environment and cluster", () => {
    expect(plan.clusters.map((c) => c.gateway!.negName)).toEqual(["fg-prod-gke-asia-dispatch", "fg-prod-gke-eu-dispatch", "fg-prod-gke-us-dispatch"]);
  });

  it("gives each GKE gateway behind the GCP front door a dispatch port beside its host-routing port", () => {
    expect(plan.clusters.map((c) => [c.name, c.gateway!.port, c.gateway!.dispatchPort, c.gateway!.redirectPort])).toEqual([
      ["gke-asia", 80, 8080, undefined],
      ["gke-eu", 80, 8080, undefined],
      ["gke-us", 80, 8080, undefined],
    ]);
  });

  it("routes hosts on 443 behind the AWS front door (TLS ends at the NLB) and only redirects on 80", () => {
    const aws = examplePlan("aws-prod");
    for (const c of aws.clusters) expect([c.name, c.gateway!.port, c.gateway!.redirectPort, c.gateway!.dispatchPort]).toEqual([c.name, 443, 80, undefined]);
  });
});

describe("method routes", () => {
  it("key a route by its method and try it after longer paths but before header matches on the same path", () => {
    const f = baseFixture();
    const paths = (f.files["shop/shop.yaml"]![2] as Record<string, any>).spec.template.spec.rules[0].http.paths;
    const cart = { serviceName: "cart", servicePort: 80 };
    paths.push(
      {
        path: "/cart/*",
        backend: cart,
        fleetgate: {
          match: {
            headers: [
              { name: "x-a", value: "1" },
              { name: "x-b", value: "2" },
            ],
          },
        },
      },
      { path: "/cart/*", backend: cart, fleetgate: { match: { method: "POST" } } },
      { path: "/cart/*", backend: cart, fleetgate: { match: { method: "GET", headers: [{ name: "x-a", value: "1" }] } } },
      { path: "/cart/items/*", backend: cart },
    );
    const result = planFixture(f);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const routes = result.plan!.hosts.find((h) => h.name === "shop.example.com")!.routes;
    expect(routes.map((r) => [r.priority, r.key])).toEqual([
      [1, "^/cart/items/"],
      [2, "^/cart/ m:GET h:x-a=1"],
      [3, "^/cart/ m:POST"],
      [4, "^/cart/ h:x-a=1&x-b=2"],
      [5, "^/cart/"],
    ]);
    expect(routes[2]!.match).toEqual({ path: { type: "Prefix", value: "/cart/" }, method: "POST", headers: [], queryParams: [] });
  });
});

describe("health-check defaults", () => {
  const withCheck = (healthCheck: Record<string, number>) => {
    const f = baseFixture();
    const web = f.files["shop/shop.yaml"]![0]! as Record<string, any>;
    web.metadata.annotations = { "cloud.google.com/backend-config": '{"default": "web-bc"}' };
    f.files["shop/shop.yaml"]!.push({
      apiVersion: "cloud.google.com/v1",
      kind: "BackendConfig",
      metadata: { name: "web-bc", namespace: "shop" },
      spec: { healthCheck },
    });
    const result = planFixture(f);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    return result.plan!.services.find((s) => s.key === `shop/${web.metadata.name}`)!.ports[0]!.healthCheck;
  };

  it("never time a check out after its interval: a short interval shortens the default timeout, a long timeout lengthens the default interval", () => {
    expect(withCheck({ checkIntervalSec: 2 })).toMatchObject({ intervalSeconds: 2, timeoutSeconds: 2 });
    expect(withCheck({ timeoutSec: 8 })).toMatchObject({ intervalSeconds: 8, timeoutSeconds: 8 });
    expect(withCheck({})).toMatchObject({ intervalSeconds: 5, timeoutSeconds: 5 });
  });
});
