import { MAX_NEG_BACKENDS } from "../../../contracts/gcp";
import { describe, expect, it } from "vitest";
import {
  capacityScaler,
  CATCH_ALL,
  GATEWAY_READINESS,
  GOOGLE_LB_SOURCE_RANGES,
  MAX_RATE_PER_ENDPOINT,
  negUrl,
  planBackends,
  type BackendServiceSpec,
} from "../../../components/gcp/backend-plan";
import { backendName, dispatchNegName, negName } from "../../../spec/naming";
import type { FleetPlan } from "../../../spec/plan";
import { examplePlan } from "../../examples";
import { addOnPremCluster, planOf, prodInputs, southAmericaCluster } from "./prod-fixture";

const prod = examplePlan("prod");
const backends = planBackends(prod);
const service = (key: string): BackendServiceSpec => backends.backendServices.find((b) => b.key === key)!;

/** [cluster, zone, capacity scaler] of a backend service's backends. */
const attached = (b: BackendServiceSpec) => b.backends.map((x) => [x.cluster, x.zone, x.capacityScaler]);

/** What the plan says a service's backends must be: every zone of every cluster that serves it. */
function expectedBackends(plan: FleetPlan, serviceKey: string) {
  const s = plan.services.find((x) => x.key === serviceKey)!;
  return s.clusters.flatMap((sc) => plan.clusters.find((c) => c.name === sc.cluster)!.zones.map((zone) => [sc.cluster, zone, sc.weight / 100]));
}

describe("the GCP backend plan", () => {
  it("has one EXTERNAL_MANAGED-ready backend service per routed service port, plus the catch-all", () => {
    expect(backends.backendServices.map((b) => [b.key, b.name])).toEqual([
      ["accounts/accounts:8443", backendName("prod", "accounts/accounts", 8443)],
      [CATCH_ALL, "fg-prod-catch-all"],
      ["search/search:8080", backendName("prod", "search/search", 8080)],
      ["search/suggest:8080", backendName("prod", "search/suggest", 8080)],
      ["shop/cart-v2:80", backendName("prod", "shop/cart-v2", 80)],
      ["shop/cart:80", backendName("prod", "shop/cart", 80)],
      ["shop/storefront:80", backendName("prod", "shop/storefront", 80)],
    ]);
    for (const b of backends.backendServices) expect([b.kind, b.protocol], b.key).toEqual(["zonal", "HTTP"]);
  });

  it("attaches the gateway NEG of exactly every serving cluster in each of its zones, weighted by capacity scaler", () => {
    for (const s of prod.services) expect(attached(service(`${s.key}:${s.ports[0]!.port}`)), s.key).toEqual(expectedBackends(prod, s.key));
    expect(attached(service("shop/storefront:80"))).toEqual([
      ["gke-asia", "asia-northeast1-a", 1],
      ["gke-asia", "asia-northeast1-b", 1],
      ["gke-eu", "europe-west1-b", 1],
      ["gke-eu", "europe-west1-c", 1],
      ["gke-eu", "europe-west1-d", 1],
      ["gke-us", "us-central1-a", 1],
      ["gke-us", "us-central1-b", 1],
      ["gke-us", "us-central1-c", 1],
    ]);
    expect(attached(service("accounts/accounts:8443")).map(([cluster]) => cluster)).toEqual(["gke-eu", "gke-eu", "gke-eu"]);
  });

  it("keeps a drained cluster attached with capacity 0", () => {
    expect(attached(service("shop/cart:80")).filter(([cluster]) => cluster === "gke-asia")).toEqual([
      ["gke-asia", "asia-northeast1-a", 0],
      ["gke-asia", "asia-northeast1-b", 0],
    ]);
  });

  it("balances by rate on the deterministic NEG names, in the front door's project (the validator refuses another)", () => {
    for (const b of backends.backendServices)
      for (const x of b.backends) {
        expect(x.balancingMode).toBe("RATE");
        expect(x.maxRatePerEndpoint).toBe(MAX_RATE_PER_ENDPOINT);
        expect(x.group).toBe(negUrl("acme-fleet-prod", x.zone, dispatchNegName("prod", x.cluster)));
      }
  });

  it("gives GCP a capacity scaler it accepts: 0, or 0.1 to 1", () => {
    expect([0, 1, 5, 9, 10, 30, 100].map(capacityScaler)).toEqual([0, 0.1, 0.1, 0.1, 0.1, 0.3, 1]);
  });

  it("health-checks each service port on the NEGs' serving port, at its reserved path, with the service's host header", () => {
    for (const s of prod.services) {
      const hc = service(`${s.key}:${s.ports[0]!.port}`).healthCheck!;
      // The NEGs expose the dispatch port (8080), where the gateway answers this path for this Service only.
      expect([hc.host, hc.requestPath, hc.port]).toEqual([
        s.ports[0]!.healthCheck.host,
        `/.well-known/fleetgate/health/${s.key}/${s.ports[0]!.port}`,
        undefined,
      ]);
    }
    // The BackendConfig's path is what the gateway asks the Service for (dispatch.test.ts); its timing stays.
    expect(service("shop/storefront:80").healthCheck).toMatchObject({
      host: "shop.example.com",
      requestPath: "/.well-known/fleetgate/health/shop/storefront/80",
      checkIntervalSec: 10,
      timeoutSec: 5,
    });
    // A query in the service's health path rides on the probe's path: the gateway matches the path and keeps the query.
    const inputs = prodInputs();
    const config = inputs.files.find((f) => f.path.endsWith("shop/storefront.yaml"))!.docs.find((d) => d.kind === "BackendConfig")!;
    config.spec.healthCheck.requestPath = "/healthz?deep=1";
    expect(planBackends(planOf(inputs)).backendServices.find((b) => b.key === "shop/storefront:80")!.healthCheck!.requestPath).toBe(
      "/.well-known/fleetgate/health/shop/storefront/80?deep=1",
    );
  });

  it("checks the catch-all on the gateways' own readiness endpoint, over every gateway", () => {
    const catchAll = service(CATCH_ALL);
    expect(catchAll.healthCheck).toMatchObject({ requestPath: GATEWAY_READINESS.path, port: GATEWAY_READINESS.port });
    expect(catchAll.healthCheck?.host).toBeUndefined();
    expect([...new Set(catchAll.backends.map((b) => b.cluster))]).toEqual(["gke-asia", "gke-eu", "gke-us"]);
    expect(catchAll.backends.every((b) => b.capacityScaler === 1)).toBe(true);
    expect(backends.catchAll).toEqual([{ backendService: CATCH_ALL, weight: 1 }]);
  });

  it("carries the BackendConfig and extension settings of each service", () => {
    expect(service("shop/storefront:80").settings).toEqual({
      timeoutSec: 60,
      connectionDrainingTimeoutSec: 30,
      securityPolicy: "projects/acme-fleet-prod/global/securityPolicies/fleet-edge-armor",
      enableCdn: false,
      logConfig: { enable: true, sampleRate: 0.5 },
      customRequestHeaders: ["x-fleetgate-backend:shop/storefront:80"],
      outlierDetection: { consecutiveErrors: 5, interval: { seconds: 10 }, baseEjectionTime: { seconds: 30 }, maxEjectionPercent: 50 },
    });
    expect(service("shop/cart:80").settings.timeoutSec).toBe(15);
  });

  it("applies a BackendConfig's own Cloud Armor policy, session affinity, CDN, custom headers and logging", () => {
    const inputs = prodInputs();
    const config = inputs.files.find((f) => f.path.endsWith("shop/storefront.yaml"))!.docs.find((d) => d.kind === "BackendConfig")!;
    Object.assign(config.spec, {
      securityPolicy: { name: "shop-armor" },
      sessionAffinity: { affinityType: "GENERATED_COOKIE", affinityCookieTtlSec: 600 },
      cdn: { enabled: true },
      customRequestHeaders: { headers: ["X-Client-Region:{client_region}"] },
      customResponseHeaders: { headers: ["X-Cache:{cdn_cache_status}"] },
      logging: { enable: false },
    });
    const settings = planBackends(planOf(inputs)).backendServices.find((b) => b.key === "shop/storefront:80")!.settings;
    expect(settings).toMatchObject({
      securityPolicy: "projects/acme-fleet-prod/global/securityPolicies/shop-armor",
      sessionAffinity: "GENERATED_COOKIE",
      affinityCookieTtlSec: 600,
      enableCdn: true,
      cdnPolicy: { cacheMode: "USE_ORIGIN_HEADERS" },
      // The team's headers, then the front door's dispatch tag.
      customRequestHeaders: ["X-Client-Region:{client_region}", "x-fleetgate-backend:shop/storefront:80"],
      customResponseHeaders: ["X-Cache:{cdn_cache_status}"],
      logConfig: { enable: false },
    });
    expect(service("shop/storefront:80").settings.cdnPolicy).toBeUndefined();
  });

  it("answers unmatched requests from one gateway per region, within GCP's 50 NEG backends", () => {
    const inputs = prodInputs();
    const base = inputs.config["fleetgate:clusters"][0];
    // Twenty more three-zone clusters in one region beside the three regions of prod: 69 zones in all.
    for (let i = 0; i < 20; i++) inputs.config["fleetgate:clusters"].push({ ...base, name: `gke-us-${String(i).padStart(2, "0")}`, labels: { region: "us" } });
    const wide = planBackends(planOf(inputs));
    const catchAll = wide.backendServices.find((b) => b.key === CATCH_ALL)!;
    expect([...new Set(catchAll.backends.map((b) => b.cluster))]).toEqual(["gke-asia", "gke-eu", "gke-us"]);
    expect(catchAll.backends.length).toBeLessThanOrEqual(MAX_NEG_BACKENDS);
  });

  it("admits Google's probe and proxy ranges to the gateway ports on the clusters' network", () => {
    expect(backends.firewalls).toEqual([
      {
        logicalName: "prod-firewall-acme-fleet-prod-fleet-prod",
        name: "fg-prod-fleet-prod-lb",
        project: "acme-fleet-prod",
        network: "projects/acme-fleet-prod/global/networks/fleet-prod",
        // Proxied requests and the services' health checks on the dispatch port, the catch-all's readiness check.
        ports: ["8080", String(GATEWAY_READINESS.port)],
        sourceRanges: [...GOOGLE_LB_SOURCE_RANGES],
        clusters: ["gke-asia", "gke-eu", "gke-us"],
      },
    ]);
    expect([...GOOGLE_LB_SOURCE_RANGES]).toEqual(["130.211.0.0/22", "35.191.0.0/16"]);
  });

  it("makes one firewall rule per VPC network", () => {
    const inputs = prodInputs();
    inputs.config["fleetgate:clusters"].push({ ...southAmericaCluster(), network: "fleet-prod-sa" });
    const firewalls = planBackends(planOf(inputs)).firewalls;
    expect(firewalls.map((f) => [f.network, f.clusters])).toEqual([
      ["projects/acme-fleet-prod/global/networks/fleet-prod", ["gke-asia", "gke-eu", "gke-us"]],
      ["projects/acme-fleet-prod/global/networks/fleet-prod-sa", ["gke-sa"]],
    ]);
  });

  it("reaches a non-GKE cluster through its own internet NEG backend service, split from the GKE one by weight", () => {
    const inputs = prodInputs();
    addOnPremCluster(inputs);
    const search = inputs.files.flatMap((f) => f.docs).find((d) => d.kind === "MultiClusterService" && d.metadata.name === "search")!;
    search.spec.fleetgate = { ...search.spec.fleetgate, outlierDetection: { consecutive5xxErrors: 3 } };
    const hybrid = planBackends(planOf(inputs));
    expect(hybrid.internetNegs).toEqual([
      { cluster: "onprem", logicalName: "prod-internet-neg-onprem", name: negName("prod", "onprem"), fqdn: "gw.onprem.example.net", port: 443 },
    ]);
    const internet = hybrid.backendServices.filter((b) => b.kind === "internet");
    expect(internet.map((b) => [b.key, b.internetCluster, b.protocol, b.healthCheck, b.backends])).toEqual([
      ["search/search:8080@onprem", "onprem", "HTTPS", undefined, []],
      ["search/suggest:8080@onprem", "onprem", "HTTPS", undefined, []],
    ]);
    expect(hybrid.targets["search/search:8080"]).toEqual([
      { backendService: "search/search:8080", weight: 200 },
      { backendService: "search/search:8080@onprem", weight: 100 },
    ]);
    // The GKE backend service keeps only the GKE clusters; the catch-all stays on the GKE gateways.
    expect([...new Set(hybrid.backendServices.find((b) => b.key === "search/search:8080")!.backends.map((b) => b.cluster))]).toEqual(["gke-eu", "gke-us"]);
    expect(hybrid.catchAll).toEqual([{ backendService: CATCH_ALL, weight: 1 }]);
    expect(hybrid.firewalls.flatMap((f) => f.clusters)).not.toContain("onprem");
    // Outlier detection stays with the NEGs GCP can eject endpoints from.
    expect(hybrid.backendServices.find((b) => b.key === "search/search:8080")!.settings.outlierDetection).toBeDefined();
    for (const b of internet) expect(b.settings.outlierDetection, b.key).toBeUndefined();
  });

  it("answers unmatched requests through the public gateways when no cluster is on GKE", () => {
    const inputs = prodInputs();
    addOnPremCluster(inputs);
    inputs.config["fleetgate:clusters"] = inputs.config["fleetgate:clusters"].filter((c: { name: string }) => c.name === "onprem");
    // prod's canary Istio wave names gke-us, which this fleet no longer has.
    delete inputs.config["fleetgate:mesh"].istio.waves;
    inputs.files = inputs.files.filter((f) => f.path.includes("/search/"));
    const plan = planOf(inputs);
    const only = planBackends(plan);
    expect(only.backendServices.map((b) => [b.key, b.kind])).toEqual([
      ["catch-all@onprem", "internet"],
      ["search/search:8080@onprem", "internet"],
      ["search/suggest:8080@onprem", "internet"],
    ]);
    expect(only.catchAll).toEqual([{ backendService: "catch-all@onprem", weight: 1 }]);
    expect(only.firewalls).toEqual([]);
  });

  it("refuses two service ports whose cloud names would collide", () => {
    const plan = structuredClone(prod) as FleetPlan & { services: FleetPlan["services"][number][] };
    const twin = structuredClone(plan.services.find((s) => s.key === "shop/cart")!);
    // "shop-cart/x" and "shop/cart-x" both become fg-prod-shop-cart-x-80.
    const clash = (namespace: string, name: string) => ({ ...twin, key: `${namespace}/${name}`, namespace, name });
    const services = [...plan.services, clash("shop-cart", "x"), clash("shop", "cart-x")];
    const hosts = plan.hosts.map((h) =>
      h.name === "shop.example.com"
        ? {
            ...h,
            routes: [
              ...h.routes,
              ...["shop-cart/x", "shop/cart-x"].map((service, i) => ({
                ...h.routes[0]!,
                key: `k${i}`,
                priority: 10 + i,
                action: { kind: "forward" as const, backends: [{ service, port: 80, weight: 100 }] },
              })),
            ],
          }
        : h,
    );
    expect(() => planBackends({ ...plan, services, hosts })).toThrow(/would name two backend services "fg-prod-shop-cart-x-80"/);
  });
});
