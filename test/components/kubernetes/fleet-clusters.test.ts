import { X509Certificate } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { splitPems } from "../../../components/trust/trust-plan";
import { examplePlan } from "../../examples";
import { type Graph, type RegisteredResource, runProgram } from "../../harness";
import { kubernetesResources, validateRegistered } from "./schemas";

// One offline run of the real program for the prod example (three GKE clusters, one network).
let graph: Graph;
beforeAll(async () => {
  const run = await runProgram("prod");
  if (run.exitCode !== 0) throw new Error(run.stderr);
  graph = run;
});

const plan = examplePlan("prod");
const clusters = plan.clusters.map((c) => c.name);
const key = (cluster: string) => `prod-${cluster}`;
const inputs = (r: RegisteredResource) => r.inputs as Record<string, any>;
/** Whether the value at a dotted path is secret: it or one of its parents is. */
const isSecretAt = (r: RegisteredResource, path: string) => r.secretPaths.some((p) => p === path || path.startsWith(`${p}.`));
const clusterComponent = (cluster: string) => graph.one("fleetgate:kubernetes:Cluster", key(cluster));

describe("the clusters side of the prod example", () => {
  it("builds a tree per cluster under FleetClusters: access, mesh, services, Gateway API CRDs and gateway", () => {
    const fleet = graph.one("fleetgate:kubernetes:FleetClusters", "prod");
    expect(
      graph
        .childrenOf(fleet)
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toEqual(
      [
        "fleetgate:trust:SharedTrust prod",
        "gcp:compute/firewall:Firewall prod-mesh-firewall-acme-fleet-prod-fleet-prod",
        ...clusters.map((c) => `fleetgate:kubernetes:Cluster ${key(c)}`),
      ].sort(),
    );
    for (const c of clusters)
      expect(
        graph
          .childrenOf(clusterComponent(c))
          .filter((r) => !r.custom)
          .map((r) => r.type)
          .sort(),
      ).toEqual([
        "fleetgate:kubernetes:ClusterGateway",
        "fleetgate:kubernetes:ClusterMesh",
        "fleetgate:kubernetes:ClusterServices",
        "fleetgate:kubernetes:GatewayApiCrds",
      ]);
  });

  it("registers one Kubernetes provider per cluster, from a secret kubeconfig that authenticates with gke-gcloud-auth-plugin", () => {
    const providers = graph.ofType("pulumi:providers:kubernetes");
    expect(providers.map((p) => p.name).sort()).toEqual(clusters.map(key).sort());
    for (const c of plan.clusters) {
      const provider = graph.one("pulumi:providers:kubernetes", key(c.name));
      expect(graph.parentOf(provider)).toBe(clusterComponent(c.name));
      expect(provider.secretPaths).toContain("kubeconfig");
      expect(inputs(provider)).toMatchObject({ clusterIdentifier: key(c.name), enableSecretMutable: "true", enableConfigMapMutable: "true" });
      const config = parse(inputs(provider).kubeconfig);
      expect(config.clusters[0].cluster.server).toMatch(/^https:\/\/203\.0\.113\.\d+$/);
      expect(config.clusters[0].cluster["certificate-authority-data"]).toBeTruthy();
      expect(config.users[0].user.exec.command).toBe("gke-gcloud-auth-plugin");
    }
  });

  it("creates no Kubernetes resource through a default provider: each uses its own cluster's", () => {
    const k8s = kubernetesResources(graph.resources);
    expect(k8s.length).toBeGreaterThan(80);
    for (const r of k8s) {
      const provider = graph.providerOf(r);
      expect(provider?.type, `${r.type} ${r.name}`).toBe("pulumi:providers:kubernetes");
      // The provider belongs to the cluster whose component tree holds the resource.
      const cluster = clusters.find((c) => r.name.startsWith(`${key(c)}-`));
      expect(provider!.name, r.name).toBe(key(cluster!));
      expect(graph.descendantsOf(clusterComponent(cluster!)), r.name).toContain(r);
    }
  });

  it("writes cacerts into istio-system of every cluster: four secret files, the chain intermediate then the one shared root", () => {
    const roots = new Set<string>();
    const intermediates = new Set<string>();
    for (const c of clusters) {
      const secret = graph.one("kubernetes:core/v1:Secret", `${key(c)}-cacerts`);
      expect(inputs(secret).metadata).toMatchObject({ name: "cacerts", namespace: "istio-system" });
      const files = inputs(secret).stringData as Record<string, string>;
      expect(Object.keys(files).sort()).toEqual(["ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem"]);
      for (const f of Object.keys(files)) expect(isSecretAt(secret, `stringData.${f}`), f).toBe(true);

      const intermediate = new X509Certificate(files["ca-cert.pem"]!);
      const chain = splitPems(files["cert-chain.pem"]!).map((p) => new X509Certificate(p));
      const root = new X509Certificate(splitPems(files["root-cert.pem"]!)[0]!);
      expect(chain.map((x) => x.fingerprint256)).toEqual([intermediate.fingerprint256, root.fingerprint256]);
      expect(root.verify(root.publicKey) && intermediate.checkIssued(root) && intermediate.verify(root.publicKey)).toBe(true);
      expect(intermediate.ca).toBe(true);
      expect(intermediate.subject).toContain(`Fleetgate prod ${c} Intermediate CA`);
      roots.add(root.fingerprint256);
      intermediates.add(intermediate.fingerprint256);

      // cacerts exists before anything of Istio in the cluster.
      const namespace = graph.one("kubernetes:core/v1:Namespace", `${key(c)}-istio-system`);
      expect(secret.dependsOn).toContain(namespace.urn);
      for (const release of graph.ofType("kubernetes:helm.sh/v3:Release").filter((r) => r.name.startsWith(`${key(c)}-`)))
        expect(release.dependsOn, release.name).toContain(secret.urn);
    }
    expect(roots.size).toBe(1);
    expect(intermediates.size).toBe(clusters.length);
    expect(graph.one("tls:index/selfSignedCert:SelfSignedCert", "prod-root-ca").protect).toBe(true);
  });

  it("labels istio-system with the cluster's network and installs pinned istio-base and istiod with mesh, cluster and network, by revision", () => {
    for (const c of plan.clusters) {
      expect(inputs(graph.one("kubernetes:core/v1:Namespace", `${key(c.name)}-istio-system`)).metadata.labels).toEqual({
        "topology.istio.io/network": "fleet-prod",
      });
      const base = graph.one("kubernetes:helm.sh/v3:Release", `${key(c.name)}-istio-base`);
      const istiod = graph.one("kubernetes:helm.sh/v3:Release", `${key(c.name)}-istiod-1-28-0`);
      for (const release of [base, istiod])
        expect(inputs(release)).toMatchObject({
          version: "1.28.0",
          namespace: "istio-system",
          repositoryOpts: { repo: "https://istio-release.storage.googleapis.com/charts" },
        });
      expect(inputs(istiod)).toMatchObject({
        name: "istiod-1-28-0",
        chart: "istiod",
        values: {
          global: { meshID: "acme-prod", multiCluster: { clusterName: c.name }, network: "fleet-prod" },
          meshConfig: { trustDomain: "cluster.local" },
          revision: "1-28-0",
        },
      });
      expect(inputs(base).values).toEqual({ defaultRevision: "1-28-0" });
      expect(istiod.dependsOn).toContain(base.urn);
      // The tag points at the serving revision, once its istiod is ready; no unrevisioned istiod is left.
      const tag = graph.one("kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration", `${key(c.name)}-istio-revision-tag`);
      expect(inputs(tag).metadata.labels).toMatchObject({ "istio.io/tag": "fleetgate", "istio.io/rev": "1-28-0" });
      expect(tag.dependsOn).toContain(istiod.urn);
      expect(graph.resources.filter((r) => r.name === `${key(c.name)}-istiod`)).toEqual([]);
    }
    // One network: no east-west gateways.
    expect(graph.resources.filter((r) => r.name.endsWith("-istio-eastwestgateway"))).toEqual([]);
  });

  it("gives every serving cluster a Gateway with a listener per host, a dispatch listener its NEGs expose, which the front door waits for", () => {
    const fleet = graph.one("fleetgate:kubernetes:FleetClusters", "prod");
    const inFleet = new Set(graph.descendantsOf(fleet));
    for (const c of plan.clusters) {
      const gateway = graph.one("kubernetes:gateway.networking.k8s.io/v1:Gateway", `${key(c.name)}-gateway`);
      const spec = inputs(gateway).spec;
      expect(spec.gatewayClassName).toBe("istio");
      expect(inputs(gateway).metadata).toMatchObject({ name: "fleetgate", namespace: "fleetgate-gateway" });
      expect(spec.listeners.map((l: { name: string; hostname?: string; port: number }) => `${l.hostname ?? l.name}:${l.port}`)).toEqual([
        ...c.gateway!.hosts.map((h) => `${h}:80`),
        "dispatch:8080",
      ]);
      expect(JSON.parse(spec.infrastructure.annotations["cloud.google.com/neg"])).toEqual({ exposed_ports: { "8080": { name: c.gateway!.negName } } });
      expect(gateway.dependsOn).toContain(
        graph.one("kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration", `${key(c.name)}-istio-revision-tag`).urn,
      );
      expect(inputs(gateway).metadata.labels).toMatchObject({ "istio.io/rev": "fleetgate" });
      const waiting = graph.resources.filter((r) => r.dependsOn.includes(gateway.urn) && !inFleet.has(r));
      expect(waiting.length, `nothing outside the clusters side waits for ${gateway.name}`).toBeGreaterThan(0);

      const options = graph.one("kubernetes:core/v1:ConfigMap", `${key(c.name)}-gateway-options`);
      expect(spec.infrastructure.parametersRef).toEqual({ group: "", kind: "ConfigMap", name: inputs(options).metadata.name });
      expect(JSON.parse(inputs(options).data.horizontalPodAutoscaler).spec).toMatchObject({
        minReplicas: c.gateway!.autoscaling.minReplicas,
        maxReplicas: c.gateway!.autoscaling.maxReplicas,
      });
    }
  });

  it("routes every host of a cluster through one HTTPRoute on its listener, with ReferenceGrants for the teams' namespaces", () => {
    for (const c of plan.clusters) {
      const all = graph.ofType("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute").filter((r) => r.name.startsWith(`${key(c.name)}-`));
      const routes = all.filter((r) => inputs(r).spec.parentRefs[0].sectionName !== "dispatch");
      expect(routes.map((r) => inputs(r).spec.hostnames[0]).sort()).toEqual([...c.gateway!.hosts].sort());
      // The dispatch routes name no host and attach to the dispatch listener only.
      for (const route of all.filter((r) => !routes.includes(r)))
        expect([inputs(route).spec.hostnames, inputs(route).spec.parentRefs.length]).toEqual([undefined, 1]);
      for (const route of routes) {
        const spec = inputs(route).spec;
        expect(inputs(route).metadata.namespace).toBe("fleetgate-gateway");
        expect(spec.parentRefs).toEqual([expect.objectContaining({ name: "fleetgate", sectionName: `http-${spec.hostnames[0]}` })]);
      }
      const used = new Set(
        all.flatMap((r) => inputs(r).spec.rules.flatMap((rule: { backendRefs?: { namespace: string }[] }) => (rule.backendRefs ?? []).map((b) => b.namespace))),
      );
      const grants = graph.ofType("kubernetes:gateway.networking.k8s.io/v1beta1:ReferenceGrant").filter((r) => r.name.startsWith(`${key(c.name)}-`));
      expect(grants.map((g) => inputs(g).metadata.namespace).sort()).toEqual([...used].sort());
    }
    // The cart canary: the split reaches cart-v2 only where it runs.
    const shopRule = (c: string) =>
      inputs(graph.one("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", `${key(c)}-route-shop.example.com`)).spec.rules[2].backendRefs.map(
        (b: { name: string }) => b.name,
      );
    expect(shopRule("gke-us")).toEqual(["cart-v2", "cart"]);
    expect(shopRule("gke-eu")).toEqual(["cart"]);
  });

  it("creates and exports every service in every cluster that runs it, drained clusters included", () => {
    for (const c of clusters) {
      const expected = plan.services
        .filter((s) => s.clusters.some((x) => x.cluster === c))
        .map((s) => `${s.namespace}/${s.name}`)
        .sort();
      const exports = graph.ofType("kubernetes:net.gke.io/v1:ServiceExport").filter((r) => r.name.startsWith(`${key(c)}-`));
      expect(exports.map((r) => `${inputs(r).metadata.namespace}/${inputs(r).metadata.name}`).sort()).toEqual(expected);
    }
    expect(graph.find("kubernetes:net.gke.io/v1:ServiceExport", "prod-gke-asia-export-cart.shop")).toBeDefined();
  });

  it("has a Service for every backend its gateway routes to, exporting only those it runs (Istio routes only to local Services)", () => {
    const nameOf = (r: RegisteredResource) => `${inputs(r).metadata.namespace}/${inputs(r).metadata.name}`;
    for (const c of clusters) {
      const running = plan.services.filter((s) => s.clusters.some((x) => x.cluster === c)).map((s) => `${s.namespace}/${s.name}`);
      const routed = graph
        .ofType("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute")
        .filter((r) => r.name.startsWith(`${key(c)}-`))
        .flatMap((r) => (inputs(r).spec.rules as any[]).flatMap((rule) => (rule.backendRefs ?? []).map((b: any) => `${b.namespace}/${b.name}`)));
      const services = graph
        .ofType("kubernetes:core/v1:Service")
        .filter((r) => r.name.startsWith(`${key(c)}-service-`))
        .map(nameOf)
        .sort();
      expect(services).toEqual([...new Set([...running, ...routed])].sort());
    }
    // The cart-v2 canary runs in the US only; the other gateways route its header match through the mesh.
    expect(plan.services.find((s) => s.key === "shop/cart-v2")!.clusters.map((x) => x.cluster)).toEqual(["gke-us"]);
    for (const c of ["gke-asia", "gke-eu"]) {
      expect(graph.find("kubernetes:core/v1:Service", `${key(c)}-service-cart-v2.shop`)).toBeDefined();
      expect(graph.find("kubernetes:net.gke.io/v1:ServiceExport", `${key(c)}-export-cart-v2.shop`)).toBeUndefined();
    }
  });

  it("puts a remote secret for every other cluster in each, holding a kubeconfig with the peer's API server and reader token", () => {
    for (const inCluster of clusters)
      for (const peer of clusters.filter((c) => c !== inCluster)) {
        const secret = graph.one("kubernetes:core/v1:Secret", `${key(inCluster)}-remote-secret-${peer}`);
        expect(inputs(secret).metadata).toEqual({
          name: `istio-remote-secret-${peer}`,
          namespace: "istio-system",
          labels: { "istio/multiCluster": "true", "app.kubernetes.io/managed-by": "fleetgate" },
          annotations: { "networking.istio.io/cluster": peer },
        });
        expect(Object.keys(inputs(secret).stringData)).toEqual([peer]);
        expect(isSecretAt(secret, `stringData.${peer}`)).toBe(true);
        const config = parse(inputs(secret).stringData[peer]);
        const peerProvider = parse(inputs(graph.one("pulumi:providers:kubernetes", key(peer))).kubeconfig);
        expect(config.clusters[0].cluster.server).toBe(peerProvider.clusters[0].cluster.server);
        const token = graph.one("kubernetes:core/v1:Secret", `${key(peer)}-istio-reader-token`);
        expect(inputs(token)).toMatchObject({ type: "kubernetes.io/service-account-token", metadata: { namespace: "istio-system" } });
        expect(config.users[0].user.token).toMatch(/^eyJ/);
        expect(secret.dependsOn).toContain(token.urn);
      }
    for (const c of clusters) {
      expect(graph.find("kubernetes:core/v1:ServiceAccount", `${key(c)}-istio-reader`)).toBeDefined();
      expect(graph.find("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", `${key(c)}-istio-reader`)).toBeDefined();
    }
  });

  it("gives a service's DestinationRule only to the clusters with its Service, whose clients can call it", () => {
    const search = plan.services.find((s) => s.key === "search/search")!;
    const serving = search.clusters.map((c) => c.cluster);
    expect(serving.length).toBeGreaterThan(1);
    expect(serving.length).toBeLessThan(clusters.length);
    for (const c of clusters) {
      const rule = graph.find("kubernetes:networking.istio.io/v1beta1:DestinationRule", `${key(c)}-destination-search.search`);
      const service = graph.find("kubernetes:core/v1:Service", `${key(c)}-service-search.search`);
      expect(rule !== undefined, c).toBe(service !== undefined);
      // The namespace's default rule goes wherever one of its services has a Service.
      expect(graph.find("kubernetes:networking.istio.io/v1beta1:DestinationRule", `${key(c)}-destination-defaults-search`) !== undefined, c).toBe(
        graph.resources.some((r) => r.type === "kubernetes:core/v1:Service" && r.name.startsWith(`${key(c)}-service-`) && r.name.endsWith(".search")),
      );
    }
  });

  it("gives every cluster the DestinationRule of each service with outlier detection, failing over in the spec's order", () => {
    for (const c of clusters) {
      const rule = graph.one("kubernetes:networking.istio.io/v1beta1:DestinationRule", `${key(c)}-destination-storefront.shop`);
      expect(inputs(rule).spec.trafficPolicy.loadBalancer.localityLbSetting.failover[0]).toEqual({ from: "us-central1", to: "europe-west1" });
    }
  });

  it("admits every GKE cluster's pods to the others on their shared VPC network, from the looked-up pod ranges", () => {
    const [rule, ...others] = graph.ofType("gcp:compute/firewall:Firewall").filter((r) => r.name.includes("mesh-firewall"));
    expect(others).toEqual([]);
    expect(rule!.inputs).toMatchObject({
      project: "acme-fleet-prod",
      network: "projects/acme-fleet-prod/global/networks/fleet-prod",
      direction: "INGRESS",
      priority: 900,
    });
    expect((rule!.inputs.allows as { protocol: string }[]).map((a) => a.protocol)).toEqual(["tcp", "udp", "icmp", "esp", "ah", "sctp"]);
    const ranges = rule!.inputs.sourceRanges as string[];
    expect(ranges).toHaveLength(clusters.length);
    expect(new Set(ranges).size).toBe(clusters.length);
    for (const range of ranges) expect(range).toMatch(/^10\.\d+\.0\.0\/14$/);
    // Pods to pods only, not to every machine of the network.
    expect(rule!.inputs.destinationRanges).toEqual(ranges);
  });

  it("validates every Kubernetes object it registers against its upstream schema", () => {
    const k8s = kubernetesResources(graph.resources);
    expect([...new Set(k8s.map((r) => r.type.split(":").slice(1).join(":")))].sort()).toEqual([
      "admissionregistration.k8s.io/v1:MutatingWebhookConfiguration",
      "core/v1:ConfigMap",
      "core/v1:Namespace",
      "core/v1:Secret",
      "core/v1:Service",
      "core/v1:ServiceAccount",
      "gateway.networking.k8s.io/v1:Gateway",
      "gateway.networking.k8s.io/v1:HTTPRoute",
      "gateway.networking.k8s.io/v1beta1:ReferenceGrant",
      "helm.sh/v3:Release",
      "net.gke.io/v1:ServiceExport",
      "networking.istio.io/v1beta1:DestinationRule",
      "rbac.authorization.k8s.io/v1:ClusterRole",
      "rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    ]);
    for (const r of k8s) validateRegistered(r);
    // The walk is not a formality: a broken object fails it.
    const route = graph.ofType("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute")[0]!;
    const broken = { ...route, inputs: { ...route.inputs, spec: { ...inputs(route).spec, hostnames: ["Not_A_Host"] } } };
    expect(() => validateRegistered(broken)).toThrow(/HTTPRoute/);
  });

  it("gives every resource its own type and name (URNs keep only the parent's type, not its name)", () => {
    const ids = graph.resources.map((r) => `${r.type}::${r.name}`);
    expect(ids.length).toBe(new Set(ids).size);
  });

  it("reports per cluster its gateway, hosts, drain, Istio settings, routes, exports, peers and notes", () => {
    const status = graph.stackOutputs.gateways as Record<string, any>;
    expect(Object.keys(status).sort()).toEqual(clusters);
    expect(status["gke-asia"]).toMatchObject({
      gateway: true,
      drained: false,
      // www.example.com only redirects, which the GCP front door's URL map does by itself.
      hosts: ["shop.example.com"],
      istio: { managedByFleetgate: true, meshId: "acme-prod", clusterName: "gke-asia", network: "fleet-prod", version: "1.28.0" },
      routes: ["cart.shop.dispatch", "shop.example.com", "storefront.shop.dispatch"],
      exports: ["shop/cart", "shop/storefront"],
      discovers: ["gke-eu", "gke-us"],
    });
    expect(status["gke-asia"].notes).toContainEqual(expect.stringContaining("PodDisruptionBudget"));
  });
});
