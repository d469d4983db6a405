import { describe, expect, it } from "vitest";
import { admissionWebhookProblems, loadBalancerAnnotationProblems } from "../../../contracts/kubernetes";
import {
  baseChart,
  clusterRevisions,
  crossNetworkGateway,
  istiodRelease,
  REVISION_TAG,
  revisionTag,
  destinationRule,
  regionShares,
  eastWestValues,
  istiodValues,
  namespaceDestinationRule,
  istioSettings,
  localityFailover,
  readerObjects,
  remotePeers,
  remoteSecret,
} from "../../../components/kubernetes/mesh-plan";
import { serviceExportObject, serviceObject, clusterServices } from "../../../components/kubernetes/services-plan";
import { validateUpstreamServiceExport } from "../../../components/kubernetes/objects";
import { examplePlan } from "../../examples";

const prod = examplePlan("prod");
const service = (key: string) => prod.services.find((s) => s.key === key)!;

describe("the mesh, as data", () => {
  it("configures istiod with the mesh ID, the cluster's name and network, and the trust domain", () => {
    const us = prod.clusters.find((c) => c.name === "gke-us")!;
    expect(istiodValues(istioSettings(prod, us))).toEqual({
      global: { meshID: "acme-prod", multiCluster: { clusterName: "gke-us" }, network: "fleet-prod" },
      meshConfig: { trustDomain: "cluster.local" },
    });
  });

  it("fails over in the spec's order: each region to the first other region of the order", () => {
    expect(
      localityFailover(["us-central1", "europe-west1", "asia-northeast1"], ["asia-northeast1", "europe-west1", "us-central1", "australia-southeast1"]),
    ).toEqual([
      { from: "us-central1", to: "europe-west1" },
      { from: "europe-west1", to: "us-central1" },
      { from: "asia-northeast1", to: "us-central1" },
      { from: "australia-southeast1", to: "us-central1" },
    ]);
    expect(localityFailover(["us-central1"], ["us-central1"])).toEqual([]);
  });

  it("gives a service with outlier detection a DestinationRule in the root namespace, failing over in its order", () => {
    const rule = destinationRule(prod, service("shop/storefront"))!;
    rule.validate();
    expect(rule.toJSON()).toMatchObject({
      metadata: { name: "storefront.shop", namespace: "istio-system" },
      spec: {
        host: "storefront.shop.svc.cluster.local",
        trafficPolicy: {
          outlierDetection: { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s", maxEjectionPercent: 50 },
          loadBalancer: {
            localityLbSetting: {
              enabled: true,
              failover: [
                { from: "us-central1", to: "europe-west1" },
                { from: "europe-west1", to: "us-central1" },
                { from: "asia-northeast1", to: "us-central1" },
              ],
            },
          },
        },
      },
    });
    const even = { ...service("search/search"), outlierDetection: service("shop/storefront").outlierDetection! };
    const spread = destinationRule(prod, even)!;
    spread.validate();
    expect(spread.spec!.trafficPolicy!.loadBalancer).toEqual({
      localityLbSetting: { enabled: true, distribute: [{ from: "*", to: { "europe-west1/*": 50, "us-central1/*": 50 } }] },
    });
  });

  it("keeps a namespace's services in the client's locality with one default rule, which a service's own replaces", () => {
    const defaults = namespaceDestinationRule("shop");
    defaults.validate();
    expect(defaults.toJSON()).toMatchObject({
      metadata: { name: "shop.defaults.fleetgate", namespace: "istio-system" },
      spec: {
        host: "*.shop.svc.cluster.local",
        trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s", maxEjectionPercent: 50 } },
      },
    });
    // A nearest service that says nothing more needs no rule of its own.
    const cart = service("shop/cart");
    expect(cart.outlierDetection).toBeUndefined();
    expect(cart.clusters.length).toBeGreaterThan(1);
    expect(destinationRule(prod, cart)).toBeUndefined();
    // Even balancing spreads on purpose, by the clusters' weights per region (a drained region gets none),
    // with no ejection it did not ask for.
    expect(cart.clusters.map((c) => [c.region, c.weight])).toEqual([
      ["asia-northeast1", 0],
      ["europe-west1", 100],
      ["us-central1", 100],
    ]);
    expect(destinationRule(prod, { ...cart, balancing: "even" })!.spec!.trafficPolicy).toEqual({
      loadBalancer: { localityLbSetting: { enabled: true, distribute: [{ from: "*", to: { "europe-west1/*": 50, "us-central1/*": 50 } }] } },
    });
    // A sticky nearest service's own rule keeps the default ejection, since it replaces the namespace's.
    const sticky = {
      ...cart,
      ports: cart.ports.map((p) => ({ ...p, backend: { ...p.backend, sessionAffinity: { type: "GENERATED_COOKIE" as const, cookieTtlSeconds: 0 } } })),
    };
    expect(destinationRule(prod, sticky)!.spec!.trafficPolicy!.outlierDetection).toEqual(defaults.spec!.trafficPolicy!.outlierDetection);
  });

  it("splits an even service by region in whole percents that add up to 100, each at least 1", () => {
    const shares = (weights: [string, number][]) =>
      regionShares({ clusters: weights.map(([region, weight], i) => ({ cluster: `c${i}`, region, weight, drained: weight === 0 })) });
    expect(
      shares([
        ["a", 1],
        ["b", 1],
        ["c", 1],
      ]),
    ).toEqual({ "a/*": 34, "b/*": 33, "c/*": 33 });
    expect(
      shares([
        ["a", 60],
        ["a", 20],
        ["b", 20],
      ]),
    ).toEqual({ "a/*": 80, "b/*": 20 });
    expect(
      shares([
        ["a", 100],
        ["b", 1],
      ]),
    ).toEqual({ "a/*": 99, "b/*": 1 });
    expect(
      shares([
        ["a", 100],
        ["b", 0],
      ]),
    ).toEqual({ "a/*": 100 });
    for (const weights of [
      [1, 1, 1, 1, 1, 1, 1],
      [100, 1, 1, 1],
      [3, 7, 11, 13],
    ]) {
      const result = shares(weights.map((w, i) => [`r${i}`, w]));
      expect(Object.values(result).reduce((a, b) => a + b, 0)).toBe(100);
      expect(Math.min(...Object.values(result))).toBeGreaterThanOrEqual(1);
    }
  });

  it("keeps a client on one pod of a service with session affinity: a consistent hash per port, repeating the service's policy", () => {
    const storefront = service("shop/storefront");
    const withAffinity = (type: "GENERATED_COOKIE" | "CLIENT_IP", s = storefront) => ({
      ...s,
      ports: s.ports.map((p) => ({ ...p, backend: { ...p.backend, sessionAffinity: { type, cookieTtlSeconds: 3600 } } })),
    });
    const cookie = destinationRule(prod, withAffinity("GENERATED_COOKIE"))!;
    cookie.validate();
    const policy = cookie.spec!.trafficPolicy!;
    expect(policy.portLevelSettings).toEqual(
      storefront.ports.map((p) => ({
        port: { number: p.port },
        outlierDetection: policy.outlierDetection,
        loadBalancer: {
          consistentHash: { httpCookie: { name: "fleetgate-affinity", ttl: "3600s" } },
          localityLbSetting: policy.loadBalancer!.localityLbSetting,
        },
      })),
    );
    // Affinity alone is enough for a DestinationRule; by client address it hashes the source address,
    // which the gateway takes from the X-Forwarded-For entries it trusts.
    const accounts = service("accounts/accounts");
    expect(accounts.clusters).toHaveLength(1);
    const sticky = destinationRule(prod, withAffinity("CLIENT_IP", accounts))!;
    sticky.validate();
    expect(sticky.spec!.trafficPolicy).toEqual({
      portLevelSettings: accounts.ports.map((p) => ({ port: { number: p.port }, loadBalancer: { consistentHash: { useSourceIp: true } } })),
    });
  });

  it("writes remote secrets in Istio's format, and discovers every other cluster", () => {
    expect(remotePeers(prod, "gke-us")).toEqual(["gke-asia", "gke-eu"]);
    const secret = remoteSecret("gke-eu");
    secret.validate();
    expect(secret.toJSON()).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "istio-remote-secret-gke-eu",
        namespace: "istio-system",
        labels: { "istio/multiCluster": "true", "app.kubernetes.io/managed-by": "fleetgate" },
        annotations: { "networking.istio.io/cluster": "gke-eu" },
      },
      type: "Opaque",
    });
  });

  it("gives peers a read-only identity with an explicit, long-lived token", () => {
    const reader = readerObjects();
    Object.values(reader).forEach((o) => o.validate());
    expect(reader.token.toJSON()).toMatchObject({
      type: "kubernetes.io/service-account-token",
      metadata: { annotations: { "kubernetes.io/service-account.name": "fleetgate-istio-reader" } },
    });
    const verbs = new Set(reader.role.rules!.flatMap((r) => r.verbs));
    expect([...verbs].sort()).toEqual(["create", "get", "list", "watch"]);
    expect(reader.role.rules!.filter((r) => r.verbs.includes("create")).flatMap((r) => r.resources)).toEqual(["tokenreviews", "subjectaccessreviews"]);
  });

  it("opens the east-west gateway on 15443 with AUTO_PASSTHROUGH for *.local", () => {
    const gw = crossNetworkGateway();
    gw.validate();
    expect(gw.spec!.servers).toEqual([{ port: { number: 15443, name: "tls", protocol: "TLS" }, tls: { mode: "AUTO_PASSTHROUGH" }, hosts: ["*.local"] }]);
  });

  it("makes the east-west gateway its network's gateway, reachable on 15443 alone; on EKS behind an internet-facing NLB", () => {
    const istio = { ...prod.clusters[0]!.istio, network: "net-a" };
    // Not the chart's networkGateway, which would also put the status port and istiod's 15012 and 15017 on the load balancer.
    expect(eastWestValues({ provider: "gke", istio })).toEqual({
      revision: "fleetgate",
      podAnnotations: { "fleetgate.io/istio-revision": "1-28-0" },
      labels: { istio: "eastwestgateway", "topology.istio.io/network": "net-a" },
      env: { ISTIO_META_REQUESTED_NETWORK_VIEW: "net-a" },
      service: { type: "LoadBalancer", ports: [{ name: "tls", port: 15443, targetPort: 15443, protocol: "TCP" }] },
    });
    expect(eastWestValues({ provider: "eks", istio })).toMatchObject({
      service: {
        ports: [{ name: "tls", port: 15443, targetPort: 15443, protocol: "TCP" }],
        annotations: {
          "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
          "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
          // Targets are checked on the gateway's readiness endpoint, which needs no listener.
          "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": "15021",
          "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/healthz/ready",
        },
      },
    });
    expect(loadBalancerAnnotationProblems((eastWestValues({ provider: "eks", istio }).service as { annotations: Record<string, string> }).annotations)).toEqual(
      [],
    );
  });
});

describe("control plane revisions, as data", () => {
  const us = prod.clusters.find((c) => c.name === "gke-us")!;
  const r = (version: string) => ({ name: version.replaceAll(".", "-"), version });
  const upgrading = { ...us, istio: { ...us.istio, revisions: [r("1.28.0"), r("1.29.0")], serving: r("1.29.0") } };

  it("names each istiod release and its resource by its revision alone, so adding a revision renames none", () => {
    expect(istiodRelease(r("1.28.0"))).toEqual({ release: "istiod-1-28-0", logical: "istiod-1-28-0" });
    const names = (c: typeof us) => clusterRevisions(c).revisions.map((rev) => istiodRelease(rev).logical);
    expect(names(us)).toEqual(["istiod-1-28-0"]);
    expect(names(upgrading)).toEqual(["istiod-1-28-0", "istiod-1-29-0"]);
  });

  it("installs each istiod with its revision, and istio-base with the newest revision's CRDs, validating with the serving one", () => {
    expect(istiodValues(istioSettings(prod, us), r("1.29.0"))).toMatchObject({ revision: "1-29-0", meshConfig: { trustDomain: "cluster.local" } });
    expect(baseChart(us)).toEqual({ version: "1.28.0", values: { defaultRevision: "1-28-0" } });
    // Rolled back: the gateways run 1.28.0 while 1.29.0 stays installed; its CRDs stay.
    const rolledBack = { ...upgrading, istio: { ...upgrading.istio, serving: r("1.28.0") } };
    expect(baseChart(rolledBack)).toEqual({ version: "1.29.0", values: { defaultRevision: "1-28-0" } });
    expect(() => clusterRevisions({ ...us, istio: { ...us.istio, serving: r("1.30.0") } })).toThrow(/no installed revision to serve/);
  });

  it("points the fleetgate revision tag at the serving revision with a webhook configuration Istio reads as a tag", () => {
    const tag = revisionTag(REVISION_TAG, r("1.29.0"));
    tag.validate();
    expect(tag.metadata!.name).toBe("istio-revision-tag-fleetgate");
    expect(tag.metadata!.labels).toMatchObject({ "istio.io/tag": "fleetgate", "istio.io/rev": "1-29-0" });
    for (const webhook of tag.webhooks!) {
      expect(webhook.clientConfig.service).toEqual({ name: "istiod-1-29-0", namespace: "istio-system", path: "/inject", port: 443 });
      // Pods labelled with the tag, or in namespaces labelled with it, go to the revision it points at.
      expect(JSON.stringify([webhook.namespaceSelector, webhook.objectSelector])).toContain('"values":["fleetgate"]');
    }
    // Moving the tag changes the object, never its name: Pulumi updates it in place.
    expect(revisionTag(REVISION_TAG, r("1.28.0")).metadata!.name).toBe(tag.metadata!.name);
  });

  it("builds a tag the API server accepts, and the API server's webhook rules refuse what it would [kubernetes.admission-webhooks]", () => {
    const webhooks = (revisionTag(REVISION_TAG, r("1.29.0")).toJSON() as { webhooks: Record<string, unknown>[] }).webhooks;
    expect(admissionWebhookProblems(webhooks)).toEqual([]);
    const [first] = webhooks as [Record<string, unknown>];
    expect(
      admissionWebhookProblems([
        { ...first, name: "injector.istio" },
        { ...first, name: "injector.istio" },
        { ...first, name: "a.sidecar-injector.istio.io", sideEffects: "Some", admissionReviewVersions: ["v2"], timeoutSeconds: 31 },
        { ...first, name: "b.sidecar-injector.istio.io", clientConfig: { url: "https://injector.example.com", service: { name: "istiod" } } },
      ]),
    ).toEqual([
      "webhooks[0] (injector.istio): the name is not a fully qualified name of at least three segments",
      "webhooks[1] (injector.istio): the name is not a fully qualified name of at least three segments",
      "webhooks[1] (injector.istio): the name is used by an earlier webhook of the configuration",
      "webhooks[2] (a.sidecar-injector.istio.io): sideEffects is Some, not None or NoneOnDryRun",
      "webhooks[2] (a.sidecar-injector.istio.io): admissionReviewVersions names no version the API server speaks (v1 or v1beta1)",
      "webhooks[2] (a.sidecar-injector.istio.io): timeoutSeconds is 31, not between 1 and 30",
      "webhooks[3] (b.sidecar-injector.istio.io): clientConfig must give exactly one of url and service",
    ]);
  });

  it("injects the east-west gateway through the tag and rolls it when the serving revision changes; leaves it alone where Istio is not Fleetgate's", () => {
    expect(eastWestValues(upgrading)).toMatchObject({ revision: "fleetgate", podAnnotations: { "fleetgate.io/istio-revision": "1-29-0" } });
    const { serving: _, ...preinstalled } = us.istio;
    expect(eastWestValues({ provider: "gke", istio: { ...preinstalled, install: false, revisions: [] } })).not.toHaveProperty("revision");
  });
});

describe("services, as data", () => {
  it("runs a service wherever it is placed, drained clusters included", () => {
    expect(clusterServices(prod, "gke-asia").map((s) => s.key)).toEqual(["shop/cart", "shop/storefront"]);
    expect(clusterServices(prod, "gke-us").map((s) => s.key)).toContain("shop/cart-v2");
  });

  it("creates the Service a template describes and exports it with the kind of the cluster's multi-cluster Services, or not at all", () => {
    const cart = service("shop/cart");
    const svc = serviceObject(cart);
    svc.validate();
    expect(svc.spec).toMatchObject({ selector: { app: "cart" }, ports: [{ name: "web", port: 80, targetPort: 8080, protocol: "TCP" }] });
    const gke = prod.clusters[0]!;
    expect(gke.multiClusterServices).toBe("gke-fleet");
    expect(serviceExportObject(gke, cart)!.toJSON()).toMatchObject({
      apiVersion: "net.gke.io/v1",
      kind: "ServiceExport",
      metadata: { name: "cart", namespace: "shop" },
    });
    expect(serviceExportObject({ ...gke, multiClusterServices: "none" }, cart)).toBeUndefined();
    const upstream = serviceExportObject({ ...gke, provider: "eks", multiClusterServices: "mcs-api" }, cart)!.toJSON();
    expect(upstream).toMatchObject({ apiVersion: "multicluster.x-k8s.io/v1alpha1", kind: "ServiceExport", metadata: { name: "cart", namespace: "shop" } });
    expect(() => validateUpstreamServiceExport(upstream)).not.toThrow();
    expect(() => validateUpstreamServiceExport({ ...(upstream as object), spec: {} })).toThrow(/unknown field "spec"/);
    expect(() => validateUpstreamServiceExport({ ...(upstream as object), metadata: { name: "9cart", namespace: "shop" } })).toThrow(/RFC 1035/);
  });
});
