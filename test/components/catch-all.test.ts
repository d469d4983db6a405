/**
 * How the environment's catch-all is routed once the admin grants it (spec/catch-all.ts): the GCP URL
 * map's default takes unknown hosts and IP requests to the granted service's backend service, which the
 * dispatching gateways forward by its tag; gateways reached by host name (AWS) take them on a listener
 * without host name. Without the grant, the gateways' 404 answers them, as before.
 */
import { describe, expect, it } from "vitest";
import { CATCH_ALL, planBackends } from "../../components/gcp/backend-plan";
import { GcpFrontDoor } from "../../components/gcp/front-door";
import { planCertificates } from "../../components/gcp/certificate-plan";
import { backendName } from "../../spec/naming";
import { runComponent } from "../harness";
import { buildUrlMap, pathMatcherName } from "../../components/gcp/url-map";
import { dispatchedBackends } from "../../components/dispatch";
import {
  CATCH_ALL_LISTENER,
  CATCH_ALL_ROUTE,
  catchAllRoutes,
  clusterRoutes,
  gatewayObject,
  listeners,
  MAX_LISTENERS,
  nlbService,
  referenceGrants,
  REDIRECT_LISTENER,
  routeContext,
  SSL_CERT_ANNOTATION,
} from "../../components/kubernetes/gateway-plan";
import { placeHostRules } from "../../components/kubernetes/routes";
import type { FleetPlan } from "../../spec/plan";
import { awsFixture } from "./aws/aws-fixture";
import { baseFixture, planFixture, type SpecFixture } from "../spec/fixtures";
import { diffFleets } from "../../review/fleet-diff";
import { fleetDiagram } from "../../review/mermaid";
import { zoneprinterDocuments } from "../zoneprinter";

function withZoneprinter(f: SpecFixture, links: string[]): SpecFixture {
  f.files["zones/zoneprinter.yaml"] = zoneprinterDocuments(links);
  f.config.catchAll = { namespace: "zones" };
  return f;
}

function planned(f: SpecFixture): FleetPlan {
  const result = planFixture(f);
  if (!result.plan) throw new Error(result.diagnostics.map((d) => `${d.path}: ${d.message}`).join("\n"));
  return result.plan;
}

const routesOf = (plan: FleetPlan, name: string) => {
  const cluster = plan.clusters.find((c) => c.name === name)!;
  return clusterRoutes(plan, cluster, cluster.gateway!, new Map(plan.hosts.map((h) => [h.name, placeHostRules(h)])));
};

describe("the catch-all behind the GCP front door", () => {
  const plan = planned(withZoneprinter(baseFixture(), ["us-central1/us", "europe-west1/eu"]));
  const backends = planBackends(plan);
  const map = buildUrlMap(plan.hosts, backends, (key) => key, plan.catchAll);
  const matcher = (host: string) => map.pathMatchers.find((m) => m.name === pathMatcherName(host))!;

  it("sends unknown hosts and requests by IP address to the granted service's backend service", () => {
    expect(map.defaultService).toBe("zones/zoneprinter:80");
    expect(backends.backendServices.find((b) => b.key === "zones/zoneprinter:80")?.settings.customRequestHeaders).toEqual([
      "x-fleetgate-backend:zones/zoneprinter:80",
    ]);
  });

  it("registers the URL map with that default, as planned", async () => {
    const graph = await runComponent(() => void new GcpFrontDoor(plan.environment, { plan, gateways: {} }));
    const [urlMap] = graph.ofType("gcp:compute/uRLMap:URLMap").filter((r) => (r.inputs as { name: string }).name === "fg-test");
    expect((urlMap!.inputs as { defaultService: string }).defaultService).toMatch(
      new RegExp(`/backendServices/${backendName("test", "zones/zoneprinter", 80)}$`),
    );
  });

  it("gives requests for unknown hosts and by IP address the certificate of the map's PRIMARY entry", () => {
    // One named host's certificate: a client that checks the name it asked for sees a mismatch.
    const certificates = planCertificates(plan);
    const primary = certificates.primary!;
    expect(primary.host).toBe("api.search.example.com");
    expect(certificates.entries.map((e) => e.host)).toContain(primary.host);
  });

  it("keeps a named host's unmatched paths on its own default backend, or on the gateways' 404", () => {
    expect(matcher("shop.example.com").defaultService).toBe("shop/web:80");
    // api.search has only /v1/*: the rest of it is the gateways' 404, not the granted catch-all.
    expect(matcher("api.search.example.com").defaultService).toBe(CATCH_ALL);
    expect(matcher("api.search.example.com").routeRules[0]!.service).toBe(CATCH_ALL);
  });

  it("answers unknown hosts with the gateways' 404 without the grant", () => {
    const ungranted = planned(baseFixture());
    expect(ungranted.catchAll).toBeUndefined();
    expect(buildUrlMap(ungranted.hosts, planBackends(ungranted), (key) => key, ungranted.catchAll).defaultService).toBe(CATCH_ALL);
  });

  it("has the dispatching gateways forward the catch-all's tag to the service, and no listener without host name", () => {
    for (const name of ["us", "eu"]) {
      const gateway = plan.clusters.find((c) => c.name === name)!.gateway!;
      expect(dispatchedBackends(plan, name).map((b) => b.tag)).toContain("zones/zoneprinter:80");
      expect(gateway.catchAll).toBeUndefined();
      expect(listeners(gateway).map((l) => l.name)).not.toContain(CATCH_ALL_LISTENER);
      expect(routesOf(plan, name).map((r) => r.name)).not.toContain(CATCH_ALL_ROUTE);
    }
  });
});

describe("the catch-all behind the AWS front door", () => {
  const plan = planned(withZoneprinter(awsFixture(), ["us-east-1/us"]));
  const gateways = plan.clusters.filter((c) => c.gateway !== undefined);

  it("gives every gateway a listener without host name on the host port, beside the hosts' own", () => {
    expect(gateways.map((c) => c.name).sort()).toEqual(["eu", "us"]);
    for (const cluster of gateways) {
      const gateway = cluster.gateway!;
      expect(gateway.catchAll).toBe(true);
      const ls = listeners(gateway);
      expect(ls.find((l) => l.name === CATCH_ALL_LISTENER)).toEqual(expect.objectContaining({ port: 443, protocol: "HTTP" }));
      expect(ls.find((l) => l.name === CATCH_ALL_LISTENER)?.hostname).toBeUndefined();
      gatewayObject(cluster, gateway).validate();
    }
  });

  it("forwards what reaches the catch-all listener to the granted service, through the mesh where it does not run, and redirects its plain HTTP", () => {
    // eu runs no zoneprinter; the accelerator may still send it an IP request.
    for (const name of ["us", "eu"]) {
      const routes = routesOf(plan, name);
      const forward = routes.find((r) => r.name === CATCH_ALL_ROUTE)!.model;
      forward.validate();
      expect(forward.spec.hostnames).toBeUndefined();
      expect(forward.spec.parentRefs).toEqual([expect.objectContaining({ sectionName: CATCH_ALL_LISTENER })]);
      const rule = forward.spec.rules![0]!;
      expect(rule.matches).toEqual([{ path: { type: "PathPrefix", value: "/" } }]);
      expect(rule.backendRefs).toEqual([{ group: "", kind: "Service", name: "zoneprinter", namespace: "zones", port: 80, weight: 100 }]);
      // The NLB adds no X-Forwarded-Proto; like every host route, the catch-all says the client came over HTTPS.
      expect(JSON.stringify(rule.filters)).toContain("x-forwarded-proto");
      const redirect = routes.find((r) => r.name === `${CATCH_ALL_ROUTE}.redirect`)!.model;
      redirect.validate();
      expect(redirect.spec.hostnames).toBeUndefined();
      expect(redirect.spec.parentRefs).toEqual([expect.objectContaining({ sectionName: REDIRECT_LISTENER })]);
      const gateway = plan.clusters.find((c) => c.name === name)!.gateway!;
      expect(referenceGrants(gateway, routes).map((g) => g.metadata!.namespace)).toContain("zones");
    }
  });

  it("gives requests for unknown hosts and by IP address the NLB's default certificate, the first of its region's", () => {
    const cluster = plan.clusters.find((c) => c.name === "us")!;
    const service = nlbService(cluster, cluster.gateway!, {
      certificateArns: ["arn:aws:acm:us-east-1:1:certificate/first", "arn:aws:acm:us-east-1:1:certificate/second"],
      minTlsVersion: "1.2",
    });
    expect(service.metadata!.annotations![SSL_CERT_ANNOTATION]!.split(",")[0]).toBe("arn:aws:acm:us-east-1:1:certificate/first");
  });

  it("shares the single listener of a gateway with more hosts than listeners", () => {
    const cluster = plan.clusters.find((c) => c.name === "us")!;
    const crowded = { ...cluster.gateway!, hosts: Array.from({ length: MAX_LISTENERS }, (_, i) => `h${i}.example.com`) };
    expect(listeners(crowded).map((l) => l.name)).toEqual(["http", REDIRECT_LISTENER]);
    const [route] = catchAllRoutes(plan, crowded, routeContext(plan, "us"));
    expect(route!.model.spec.parentRefs).toEqual([expect.objectContaining({ sectionName: "http" })]);
  });

  it("leaves the gateways' 404 for unknown hosts without the grant", () => {
    const ungranted = planned(awsFixture());
    for (const cluster of ungranted.clusters.filter((c) => c.gateway !== undefined)) {
      expect(listeners(cluster.gateway!).map((l) => l.name)).not.toContain(CATCH_ALL_LISTENER);
      expect(routesOf(ungranted, cluster.name).map((r) => r.name)).not.toContain(CATCH_ALL_ROUTE);
    }
  });
});

describe("the catch-all in review", () => {
  const before = planned(baseFixture());
  const after = planned(withZoneprinter(baseFixture(), ["us-central1/us"]));

  it("tells the admin and the serving team who now answers unknown hosts and requests by IP address", () => {
    const changes = diffFleets(before, after);
    const line = "unknown hosts and requests by IP address: (the gateways' 404) → `zones/zoneprinter:80` (ingress `zones/zone-ingress`)";
    expect(changes.find((c) => c.owner === "platform")?.lines).toContain(line);
    expect(changes.find((c) => c.owner === "zones")?.lines).toContain(line);
    expect(diffFleets(after, after)).toEqual([]);
  });

  it("draws the front door's edge to the service that serves the catch-all", () => {
    expect(fleetDiagram(after)).toContain('frontdoor -->|"unknown hosts and IP requests (zones/zone-ingress)"| service_zones_zoneprinter');
    expect(fleetDiagram(before)).not.toContain("unknown hosts");
  });
});
