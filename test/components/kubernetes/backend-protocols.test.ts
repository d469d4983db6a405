/**
 * The objects that carry a service's protocol to its pods: the Service port's appProtocol, the health
 * port a BackendConfig's check needs, the gateway's health rule that forwards to it, and the gateways'
 * own DestinationRule that originates TLS. Each is checked against its upstream schema, and the whole
 * clusters side is registered under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { dispatchRoutes } from "../../../components/kubernetes/gateway-plan";
import { FleetClusters } from "../../../components/kubernetes/fleet-clusters";
import { destinationRule, gatewayDestinationRule, tlsPorts } from "../../../components/kubernetes/mesh-plan";
import { serviceObject } from "../../../components/kubernetes/services-plan";
import type { FleetPlan, ServicePlan } from "../../../spec/plan";
import { baseFixture, planFixture, type SpecFixture } from "../../spec/fixtures";
import { type Graph, type RegisteredResource, runComponent } from "../../harness";
import { kubernetesResources, validateRegistered } from "./schemas";

type Doc = Record<string, any>;
const web = (f: SpecFixture): Doc => f.files["shop/shop.yaml"]![0]! as Doc;

/** shop/web serving HTTPS on 443 (pods on 8443) beside HTTP on 80, checked on pod port 9901 in HTTPS. */
function tlsFixture(options: { healthCheck?: Doc; affinity?: boolean } = {}): SpecFixture {
  const f = baseFixture();
  web(f).spec.template.spec.ports.push({ name: "tls", port: 443, targetPort: 8443 });
  web(f).metadata.annotations = { "networking.gke.io/app-protocols": '{"tls": "HTTPS"}', "cloud.google.com/backend-config": '{"ports": {"http": "web-bc"}}' };
  const spec: Doc = { healthCheck: options.healthCheck ?? { type: "HTTPS", port: 9901, requestPath: "/healthz" } };
  if (options.affinity) spec.sessionAffinity = { affinityType: "GENERATED_COOKIE" };
  (f.files["shop/shop.yaml"]![2] as Doc).spec.template.spec.rules[0].http.paths.push({
    path: "/secure/*",
    backend: { serviceName: "web", servicePort: "tls" },
  });
  f.files["shop/shop.yaml"]!.push({ apiVersion: "cloud.google.com/v1", kind: "BackendConfig", metadata: { name: "web-bc", namespace: "shop" }, spec });
  return f;
}

function planOf(f: SpecFixture): FleetPlan {
  const result = planFixture(f);
  if (!result.plan) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  return result.plan;
}

const webOf = (plan: FleetPlan): ServicePlan => plan.services.find((s) => s.key === "shop/web")!;

describe("the Service of a service with app protocols and a health port", () => {
  const service = serviceObject(webOf(planOf(tlsFixture())));

  it("gives each port Istio's appProtocol for its GKE protocol, and adds the health port", () => {
    service.validate();
    expect(service.spec!.ports).toEqual([
      { name: "http", port: 80, targetPort: 8080, protocol: "TCP" },
      { name: "tls", port: 443, targetPort: 8443, protocol: "TCP", appProtocol: "https" },
      { name: "health-9901", port: 9901, targetPort: 9901, protocol: "TCP", appProtocol: "https" },
    ]);
  });

  it("names an unnamed port once the Service has more than one, as Kubernetes requires", () => {
    const f = baseFixture();
    (f.files["shop/shop.yaml"]![1] as Doc).metadata.annotations = { "cloud.google.com/backend-config": '{"default": "cart-bc"}' };
    f.files["shop/shop.yaml"]!.push({
      apiVersion: "cloud.google.com/v1",
      kind: "BackendConfig",
      metadata: { name: "cart-bc", namespace: "shop" },
      spec: { healthCheck: { type: "HTTP2" } },
    });
    const cart = serviceObject(planOf(f).services.find((s) => s.key === "shop/cart")!);
    cart.validate();
    expect(cart.spec!.ports).toEqual([
      { name: "port-80", port: 80, targetPort: 80, protocol: "TCP" },
      { name: "health-81", port: 81, targetPort: 80, protocol: "TCP", appProtocol: "http2" },
    ]);
  });

  it("gives an unnamed port a name no other port of the Service has", () => {
    const plan = planOf(baseFixture());
    const cart = plan.services.find((s) => s.key === "shop/cart")!;
    const crowded: ServicePlan = { ...cart, ports: [...cart.ports, { ...cart.ports[0]!, port: 8080, name: "port-80", targetPort: 8080 }] };
    const service = serviceObject(crowded);
    service.validate();
    expect(service.spec!.ports!.map((p) => `${p.name} ${p.port}`)).toEqual(["port-80-2 80", "port-80 8080"]);
  });

  it("leaves a service that names no protocol as it was", () => {
    const plain = serviceObject(webOf(planOf(baseFixture())));
    expect(plain.spec!.ports).toEqual([{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }]);
  });
});

describe("the gateway's health rule", () => {
  it("forwards the front door's check of a service port to the health port that reaches the pods' health port", () => {
    const plan = planOf(tlsFixture());
    const cluster = plan.clusters.find((c) => c.name === "us")!;
    const rules = dispatchRoutes(plan, cluster, cluster.gateway!).flatMap((r) => r.model.spec!.rules ?? []);
    const healthTo = (path: string) =>
      rules.find((r) => r.matches?.[0]?.path?.value === path && (r.backendRefs?.length ?? 0) > 0)?.backendRefs?.map((b) => b.port);
    expect(healthTo("/.well-known/fleetgate/health/shop/web/80")).toEqual([9901]);
    // The HTTPS port has no BackendConfig: it is checked on itself, in its own protocol.
    expect(healthTo("/.well-known/fleetgate/health/shop/web/443")).toEqual([443]);
  });
});

describe("the gateways' DestinationRule of a service whose pods serve TLS", () => {
  it("originates TLS to the HTTPS ports alone, without checking the pods' certificates, in the gateway namespace only", () => {
    const plan = planOf(tlsFixture());
    const rule = gatewayDestinationRule(plan, webOf(plan), "fleetgate-gateway")!;
    rule.validate();
    expect(rule.metadata).toMatchObject({ name: "web.shop", namespace: "fleetgate-gateway" });
    expect(rule.spec!.host).toBe("web.shop.svc.cluster.local");
    expect(rule.spec!.exportTo).toEqual(["."]);
    const outlierDetection = { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s", maxEjectionPercent: 50 };
    // The mesh's own rule for shop/web is its namespace's default ejection, which this one repeats.
    expect(destinationRule(plan, webOf(plan))).toBeUndefined();
    expect(rule.spec!.trafficPolicy).toEqual({
      outlierDetection,
      portLevelSettings: [
        { port: { number: 443 }, outlierDetection, tls: { mode: "SIMPLE", insecureSkipVerify: true } },
        { port: { number: 9901 }, outlierDetection, tls: { mode: "SIMPLE", insecureSkipVerify: true } },
      ],
    });
  });

  it("keeps the service's own policy beside the TLS, a sticky port's hash included", () => {
    const plan = planOf(tlsFixture({ affinity: true, healthCheck: { requestPath: "/healthz" } }));
    const service = webOf(plan);
    const own = destinationRule(plan, service)!.spec!.trafficPolicy!;
    const rule = gatewayDestinationRule(plan, service, "fleetgate-gateway")!;
    rule.validate();
    const { portLevelSettings, ...whole } = rule.spec!.trafficPolicy!;
    expect(whole).toEqual(Object.fromEntries(Object.entries(own).filter(([k]) => k !== "portLevelSettings")));
    expect(portLevelSettings!.map((p) => [p.port?.number, p.tls?.mode, p.loadBalancer?.consistentHash !== undefined])).toEqual([
      [80, undefined, true],
      [443, "SIMPLE", false],
    ]);
  });

  it("is not made for a service whose pods serve no TLS", () => {
    const plan = planOf(baseFixture());
    for (const service of plan.services) {
      expect(tlsPorts(service)).toEqual([]);
      expect(gatewayDestinationRule(plan, service, "fleetgate-gateway")).toBeUndefined();
    }
  });
});

describe("the clusters side of a service with app protocols, under mocks", () => {
  let graph: Graph;
  beforeAll(async () => {
    const plan = planOf(tlsFixture());
    graph = await runComponent(() => void new FleetClusters("test", { plan, secrets: { kubeconfig: () => pulumi.secret("") } }));
  });
  const inputs = (r: RegisteredResource) => r.inputs as Record<string, any>;

  it("registers the gateways' DestinationRule in each cluster whose gateway routes to the service, and every object validates", () => {
    const objects = kubernetesResources(graph.resources);
    expect(objects.length).toBeGreaterThan(20);
    for (const resource of objects) validateRegistered(resource);
    const rules = graph.ofType("kubernetes:networking.istio.io/v1beta1:DestinationRule").filter((r) => inputs(r).metadata.namespace === "fleetgate-gateway");
    expect(rules.map((r) => r.name).sort()).toEqual(["test-eu-gateway-destination-web.shop", "test-us-gateway-destination-web.shop"]);
    for (const r of rules) expect(graph.parentOf(r)?.type).toBe("fleetgate:kubernetes:ClusterGateway");
  });

  it("registers the Service with its appProtocol and health port in every cluster that runs it", () => {
    const services = graph.ofType("kubernetes:core/v1:Service").filter((r) => inputs(r).metadata.name === "web");
    expect(services.length).toBeGreaterThan(0);
    for (const s of services)
      expect(inputs(s).spec.ports.map((p: Doc) => `${p.name}:${p.port}:${p.appProtocol ?? "-"}`)).toEqual([
        "http:80:-",
        "tls:443:https",
        "health-9901:9901:https",
      ]);
  });
});
