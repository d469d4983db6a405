import { describe, expect, it } from "vitest";
import { loadBalancerAnnotationProblems } from "../../../contracts/kubernetes";
import {
  assertUniqueRouteNames,
  checkParametersRef,
  dispatchRoutes,
  gatewayObject,
  gatewayOptions,
  gatewaySizing,
  generatedName,
  hostRoutes,
  infrastructureAnnotations,
  listenerFor,
  listenerName,
  listeners,
  MAX_LISTENERS,
  redirectRoutes,
  referenceGrants,
  routeContext,
  nlbService,
  sizingNotes,
} from "../../../components/kubernetes/gateway-plan";
import { kubeResource } from "../../../components/kubernetes/objects";
import { MAX_RULES_PER_ROUTE, placeHostRules } from "../../../components/kubernetes/routes";
import type { FleetPlan, GatewayPlan } from "../../../spec/plan";
import { examplePlan } from "../../examples";

const prod = examplePlan("prod");
const cluster = (name: string) => prod.clusters.find((c) => c.name === name)!;
const gatewayOf = (name: string) => cluster(name).gateway!;

describe("a cluster's gateway", () => {
  it("listens for each of the cluster's hosts on the gateway port, and on the dispatch port for every host, accepting routes only from its own namespace", () => {
    const gw = gatewayOf("gke-eu");
    const ls = listeners(gw);
    expect(ls.map((l) => [l.name, l.hostname, l.port, l.protocol])).toEqual([
      ...gw.hosts.map((h) => [`http-${h}`, h, 80, "HTTP"]),
      ["dispatch", undefined, 8080, "HTTP"],
    ]);
    expect(ls.every((l) => l.allowedRoutes.namespaces.from === "Same")).toBe(true);
    expect(listenerFor(gw, "shop.example.com")).toBe("http-shop.example.com");
    expect(() => listeners({ ...gw, dispatchPort: 80 })).toThrow(/dispatch listener's port 80 is already a listener's port/);
  });

  it("keeps a long host's listener name a valid port name for the Service Istio generates: cut, ending in the host's hash", () => {
    const long = `${"a".repeat(40)}.${"b".repeat(20)}.example.com`;
    const name = listenerName(long);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name.replaceAll(".", "-")).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(name).not.toBe(listenerName(`${"a".repeat(40)}.${"b".repeat(20)}.example.org`));
    expect(listenerName("shop.example.com")).toBe("http-shop.example.com");
  });

  it("falls back to one listener for every host when it has more hosts than Gateway API allows listeners beside the dispatch one", () => {
    const many = (n: number): GatewayPlan => ({ ...gatewayOf("gke-eu"), hosts: Array.from({ length: n }, (_, i) => `h${i}.example.com`) });
    expect(listeners(many(MAX_LISTENERS - 1))).toHaveLength(MAX_LISTENERS);
    const gw = many(MAX_LISTENERS);
    expect(listeners(gw)).toEqual([expect.objectContaining({ name: "http", port: 80 }), expect.objectContaining({ name: "dispatch", port: 8080 })]);
    expect(listeners(gw)[0]).not.toHaveProperty("hostname");
    expect(listenerFor(gw, "h3.example.com")).toBe("http");
  });

  it("names its zonal NEGs on GKE with the cloud.google.com/neg annotation, on the dispatch port", () => {
    const annotations = infrastructureAnnotations(cluster("gke-us"), gatewayOf("gke-us"));
    expect(JSON.parse(annotations["cloud.google.com/neg"]!)).toEqual({ exposed_ports: { "8080": { name: "fg-prod-gke-us-dispatch" } } });
    // Where no front door dispatches, the NEGs expose the host-routing port.
    const { dispatchPort: _, ...plain } = gatewayOf("gke-us");
    expect(JSON.parse(infrastructureAnnotations(cluster("gke-us"), plain)["cloud.google.com/neg"]!)).toEqual({
      exposed_ports: { "80": { name: "fg-prod-gke-us-dispatch" } },
    });
    const gw = gatewayObject(cluster("gke-us"), gatewayOf("gke-us")).toJSON() as {
      metadata: { annotations: Record<string, string> };
      spec: { infrastructure: Record<string, unknown> };
    };
    expect(gw.metadata.annotations["networking.istio.io/service-type"]).toBe("ClusterIP");
    expect(gw.spec.infrastructure.parametersRef).toEqual({ group: "", kind: "ConfigMap", name: "fleetgate-options" });
    expect(() => checkParametersRef(gw.spec.infrastructure.parametersRef)).not.toThrow();
    expect(() => checkParametersRef({ group: "", kind: "Secret", name: "x" })).toThrow(/kind must be ConfigMap/);
  });

  it("labels the gateway with the fleetgate revision tag where Fleetgate installs Istio, and leaves it to the admin's default revision elsewhere", () => {
    const labels = (c: ReturnType<typeof cluster>) =>
      (gatewayObject(c, gatewayOf("gke-us")).toJSON() as { metadata: { labels: Record<string, string> } }).metadata.labels;
    expect(labels(cluster("gke-us"))["istio.io/rev"]).toBe("fleetgate");
    const { serving: _, ...theirs } = cluster("gke-us").istio;
    expect(labels({ ...cluster("gke-us"), istio: { ...theirs, install: false, revisions: [] } })).not.toHaveProperty("istio.io/rev");
    gatewayObject(cluster("gke-us"), gatewayOf("gke-us")).validate();
  });

  it("makes an EKS gateway's NLB from a Service of its own: internet-facing, IP targets, exactly the plan's ports, checked on Istio's readiness endpoint", () => {
    const aws = examplePlan("aws-prod");
    const eks = aws.clusters.find((c) => c.name === "eks-use1")!;
    // Istio's own Service for the Gateway stays ClusterIP: it carries Istio's status port, which must not face the internet.
    expect(infrastructureAnnotations(eks, eks.gateway!)).toEqual({});
    expect(
      (gatewayObject(eks, eks.gateway!).toJSON() as { metadata: { annotations: Record<string, string> } }).metadata.annotations[
        "networking.istio.io/service-type"
      ],
    ).toBe("ClusterIP");
    const plain = { ...eks.gateway!, nlb: { ...eks.gateway!.nlb!, ports: [{ name: "http", port: 80 }], tlsPort: undefined } };
    delete (plain.nlb as { tlsPort?: number }).tlsPort;
    const service = nlbService(eks, plain);
    service.validate();
    expect(service.metadata!.annotations).toEqual({
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "http",
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": "15021",
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/healthz/ready",
    });
    expect(service.spec).toMatchObject({
      type: "LoadBalancer",
      loadBalancerClass: "service.k8s.aws/nlb",
      selector: { "gateway.networking.k8s.io/gateway-name": "fleetgate" },
    });
    expect(service.spec!.ports!.map((p) => p.port)).toEqual([80]);
    expect(() => loadBalancerAnnotationProblems(service.metadata!.annotations!)).not.toThrow();
    expect(loadBalancerAnnotationProblems(service.metadata!.annotations!)).toEqual([]);
    expect(gatewayOptions(eks.gateway!).data).not.toHaveProperty("service");
  });

  describe("an EKS gateway behind the AWS front door", () => {
    const aws = examplePlan("aws-prod");
    const eks = aws.clusters.find((c) => c.name === "eks-use1")!;
    const tls = {
      certificateArns: ["arn:aws:acm:us-east-1:123456789012:certificate/a", "arn:aws:acm:us-east-1:123456789012:certificate/b"],
      minTlsVersion: "1.2" as const,
    };

    it("terminates TLS at the NLB on 443 with the region's certificates and a TLS 1.2+ policy, and listens on 443 and 80 only", () => {
      const service = nlbService(eks, eks.gateway!, tls);
      service.validate();
      expect(service.metadata!.annotations).toMatchObject({
        "service.beta.kubernetes.io/aws-load-balancer-ssl-cert":
          "arn:aws:acm:us-east-1:123456789012:certificate/a,arn:aws:acm:us-east-1:123456789012:certificate/b",
        "service.beta.kubernetes.io/aws-load-balancer-ssl-ports": "443",
        "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
      });
      expect(service.spec!.ports!.map((p) => [p.name, p.port, p.targetPort])).toEqual([
        ["https", 443, 443],
        ["http", 80, 80],
      ]);
      expect(
        nlbService(eks, eks.gateway!, { ...tls, minTlsVersion: "1.3" }).metadata!.annotations![
          "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy"
        ],
      ).toBe("ELBSecurityPolicy-TLS13-1-3-2021-06");
      expect(() => nlbService(eks, eks.gateway!)).toThrow(/no validated ACM certificate of us-east-1/);
      // Behind the accelerator the client's address cannot reach the gateway: no proxy protocol, no dual stack.
      expect(service.metadata!.annotations).not.toHaveProperty("service.beta.kubernetes.io/aws-load-balancer-proxy-protocol");
      expect(service.metadata!.annotations).not.toHaveProperty("service.beta.kubernetes.io/aws-load-balancer-ip-address-type");
      expect(gatewayOptions(eks.gateway!).data!.deployment).not.toContain("proxyProtocol");
    });

    it("in latency-dns mode hands the client's address to the gateway by proxy protocol, which its status port accepts too, on a dual-stack NLB when asked", () => {
      const gateway = {
        ...eks.gateway!,
        nlb: { ...eks.gateway!.nlb!, proxyProtocol: true, dualStack: true },
        forwarded: { ...eks.gateway!.forwarded, proxyProtocol: true as const },
      };
      const service = nlbService(eks, gateway, tls);
      service.validate();
      expect(service.metadata!.annotations).toMatchObject({
        "service.beta.kubernetes.io/aws-load-balancer-proxy-protocol": "*",
        "service.beta.kubernetes.io/aws-load-balancer-ip-address-type": "dualstack",
      });
      const deployment = JSON.parse(gatewayOptions(gateway).data!.deployment!);
      expect(JSON.parse(deployment.spec.template.metadata.annotations["proxy.istio.io/config"])).toEqual({ gatewayTopology: { proxyProtocol: {} } });
      expect(deployment.spec.template.spec.containers[0].env).toEqual([{ name: "ENVOY_STATUS_PORT_ENABLE_PROXY_PROTOCOL", value: "true" }]);
    });

    it("routes hosts on 443 and only redirects to HTTPS on 80, for each of its hosts", () => {
      const gw = eks.gateway!;
      expect(listeners(gw).map((l) => [l.name, l.hostname, l.port])).toEqual([...gw.hosts.map((h) => [`http-${h}`, h, 443]), ["redirect", undefined, 80]]);
      const redirects = redirectRoutes(gw);
      expect(redirects.map((r) => [r.name, r.model.spec.hostnames, r.model.spec.parentRefs![0]!.sectionName])).toEqual(
        gw.hosts.map((h) => [`${h}.redirect`, [h], "redirect"]),
      );
      for (const r of redirects) {
        r.model.validate();
        expect(r.model.spec.rules).toEqual([
          {
            matches: [{ path: { type: "PathPrefix", value: "/" } }],
            filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }],
          },
        ]);
      }
      expect(redirectRoutes(gatewayOf("gke-us"))).toEqual([]);
    });
  });

  it("gives each served backend on the dispatch listener its tag rule, its health rule's guard and its health rule, valid and within Gateway API's rules per route", () => {
    const us = cluster("gke-us");
    const cartV2 = dispatchRoutes(prod, us, us.gateway!).find((r) => r.name === "cart-v2.shop.dispatch")!;
    cartV2.model.validate();
    const service = { group: "", kind: "Service", name: "cart-v2", namespace: "shop", port: 80 };
    const health = "/.well-known/fleetgate/health/shop/cart-v2/80";
    expect(cartV2.model.spec.rules).toEqual([
      {
        matches: [{ path: { type: "PathPrefix", value: "/" }, headers: [{ type: "Exact", name: "x-fleetgate-backend", value: "shop/cart-v2:80" }] }],
        backendRefs: [service],
      },
      { matches: [{ path: { type: "Exact", value: health }, headers: [{ type: "RegularExpression", name: "x-fleetgate-backend", value: ".*" }] }] },
      {
        matches: [{ path: { type: "Exact", value: health } }],
        filters: [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplaceFullPath", replaceFullPath: "/" } } }],
        backendRefs: [service],
      },
    ]);
    // A Service with many routed ports: more HTTPRoutes, a port's three rules always in one of them.
    const ports = Array.from({ length: 7 }, (_, i) => 81 + i);
    const plan: FleetPlan = {
      ...prod,
      services: prod.services.map((s) =>
        s.key === "shop/cart" ? { ...s, ports: [...s.ports, ...ports.map((port) => ({ ...s.ports[0]!, port, backendKey: `shop/cart:${port}` }))] } : s,
      ),
      hosts: prod.hosts.map((h) =>
        h.name === "shop.example.com"
          ? {
              ...h,
              routes: [
                ...h.routes,
                ...ports.map((port, i) => ({
                  ...h.routes[0]!,
                  key: `p${port}`,
                  priority: 100 + i,
                  action: { kind: "forward" as const, backends: [{ service: "shop/cart", port, weight: 100 }] },
                })),
              ],
            }
          : h,
      ),
    };
    const routes = dispatchRoutes(plan, us, us.gateway!).filter((r) => r.name.startsWith("cart.shop"));
    expect(routes.map((r) => [r.name, r.model.spec.rules!.length])).toEqual([
      ["cart.shop.dispatch", 15],
      ["cart.shop-2.dispatch", 9],
    ]);
    for (const r of routes) {
      r.model.validate();
      expect(r.model.spec.rules!.length).toBeLessThanOrEqual(MAX_RULES_PER_ROUTE);
    }
  });

  it("refuses two routes of a cluster with one name", () => {
    const gw = gatewayOf("gke-us");
    const shop = prod.hosts.find((h) => h.name === "shop.example.com")!;
    const route = hostRoutes(gw, shop, placeHostRules(shop), routeContext(prod, "gke-us"))[0]!;
    expect(() => assertUniqueRouteNames("gke-us", [route, { ...route, host: "other.example.com" }])).toThrow(/two HTTPRoutes would be named shop.example.com/);
  });

  it("sizes the deployment Istio generates: resources always, replicas only without an autoscaler, HPA and PDB from the plan", () => {
    const gw = gatewayOf("gke-asia");
    expect(generatedName(gw)).toBe("fleetgate-istio");
    const data = gatewayOptions(gw).data!;
    expect(JSON.parse(data.deployment!)).toEqual({
      spec: {
        template: {
          // Behind the GCP front door the pods trust the two X-Forwarded-For entries Google's front end appends.
          metadata: { annotations: { "proxy.istio.io/config": JSON.stringify({ gatewayTopology: { numTrustedProxies: 2 } }) } },
          spec: { containers: [{ name: "istio-proxy", resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { memory: "1Gi" } } }] },
        },
      },
    });
    expect(JSON.parse(data.horizontalPodAutoscaler!).spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(JSON.parse(data.podDisruptionBudget!)).toEqual({ spec: { minAvailable: 2 } });

    const fixed: GatewayPlan = { ...gw, autoscaling: { ...gw.autoscaling, enabled: false } };
    const fixedData = gatewayOptions(fixed).data!;
    expect(JSON.parse(fixedData.deployment!).spec.replicas).toBe(2);
    expect(fixedData).not.toHaveProperty("horizontalPodAutoscaler");

    // What Istio renders with these overlays is valid Kubernetes.
    for (const g of [gw, fixed]) {
      const sizing = gatewaySizing(g);
      sizing.deployment.validate();
      sizing.horizontalPodAutoscaler?.validate();
      sizing.podDisruptionBudget.validate();
    }
    gatewayOptions(gw).validate();
  });

  it("warns when the disruption budget leaves no pod evictable at the minimum size", () => {
    expect(sizingNotes("gke-asia", gatewayOf("gke-asia"))).toEqual([expect.stringContaining("node drains cannot evict")]);
    expect(sizingNotes("gke-us", gatewayOf("gke-us"))).toEqual([]);
  });

  it("routes each host in one HTTPRoute on the host's listener, and grants exactly the Services the routes use", () => {
    const gw = gatewayOf("gke-us");
    const shop = prod.hosts.find((h) => h.name === "shop.example.com")!;
    const routes = hostRoutes(gw, shop, placeHostRules(shop), routeContext(prod, "gke-us"));
    expect(routes.map((r) => r.name)).toEqual(["shop.example.com"]);
    expect(routes[0]!.model.spec.parentRefs).toEqual([
      { group: "gateway.networking.k8s.io", kind: "Gateway", name: "fleetgate", namespace: "fleetgate-gateway", sectionName: "http-shop.example.com" },
    ]);
    routes[0]!.model.validate();
    const grants = referenceGrants(gw, routes);
    expect(grants.map((g) => g.toJSON())).toEqual([
      {
        apiVersion: "gateway.networking.k8s.io/v1beta1",
        kind: "ReferenceGrant",
        metadata: { name: "fleetgate-gateway-routes", namespace: "shop", labels: { "app.kubernetes.io/managed-by": "fleetgate" } },
        spec: {
          from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "fleetgate-gateway" }],
          to: ["cart", "cart-v2", "storefront"].map((name) => ({ group: "", kind: "Service", name })),
        },
      },
    ]);
    grants.forEach((g) => g.validate());
  });

  it("splits only between the backends that run in the cluster: eu serves the cart split from cart alone", () => {
    const shop = prod.hosts.find((h) => h.name === "shop.example.com")!;
    const placed = placeHostRules(shop);
    const split = (name: string) =>
      hostRoutes(gatewayOf(name), shop, placed, routeContext(prod, name))[0]!.model.spec.rules![2]!.backendRefs!.map((b) => `${b.name}:${b.weight}`);
    expect(split("gke-us")).toEqual(["cart-v2:10", "cart:90"]);
    expect(split("gke-eu")).toEqual(["cart:90"]);
    // asia is drained for cart but still runs it: it keeps its Service and gets no split to cart-v2.
    expect(split("gke-asia")).toEqual(["cart:90"]);
  });

  it("refuses to create an object that does not match its schema, or one without its cluster's provider", () => {
    const gw = gatewayOf("gke-us");
    const broken = { ...gw, hosts: ["Not_A_Host"] };
    const provider = {} as never;
    expect(() => kubeResource("broken", gatewayObject(cluster("gke-us"), broken), { provider })).toThrow();
    expect(() => kubeResource("no-provider", gatewayOptions(gw), {})).toThrow(/needs its cluster's provider/);
  });
});
