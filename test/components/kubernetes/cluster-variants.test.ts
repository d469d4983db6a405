import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { FleetClusters } from "../../../components/kubernetes/fleet-clusters";
import type { FleetSecrets } from "../../../components/secrets";
import type { ClusterPlan, FleetPlan } from "../../../spec/plan";
import { examplePlan } from "../../examples";
import { type Graph, type RegisteredResource, runComponent } from "../../harness";
import { kubernetesResources, validateRegistered } from "./schemas";

/**
 * The prod plan with the cases the example does not have: gke-asia's Istio installed by others,
 * gke-eu given by kubeconfig and drained, and gke-spare, a cluster that serves nothing.
 */
function variantPlan(): FleetPlan {
  const prod = examplePlan("prod");
  const byName = (n: string) => prod.clusters.find((c) => c.name === n)!;
  const { gateway: _, ...us } = byName("gke-us");
  const spare: ClusterPlan = {
    ...us,
    name: "gke-spare",
    access: { kind: "gke", project: "acme-fleet-prod", location: "us-central1", clusterName: "gke-spare" },
    istio: { ...us.istio, clusterId: "gke-spare" },
  };
  const clusters = [
    { ...byName("gke-asia"), istio: { ...byName("gke-asia").istio, install: false } },
    { ...byName("gke-eu"), drained: true, access: { kind: "kubeconfig" as const, configKey: "fleetgate:kubeconfigs", entry: "gke-eu" } },
    byName("gke-us"),
    spare,
  ];
  const names = clusters.map((c) => c.name);
  return {
    ...prod,
    clusters,
    trust: {
      ...prod.trust,
      intermediates: [
        ...prod.trust.intermediates,
        { ...prod.trust.intermediates[0]!, cluster: "gke-spare", commonName: "Fleetgate prod gke-spare Intermediate CA" },
      ],
    },
    mesh: { ...prod.mesh, remoteSecrets: names.flatMap((inCluster) => names.filter((n) => n !== inCluster).map((forCluster) => ({ inCluster, forCluster }))) },
  };
}

const euKubeconfig = stringify({
  apiVersion: "v1",
  kind: "Config",
  clusters: [{ name: "eu", cluster: { server: "https://eu.k8s.example.net:6443", "certificate-authority-data": "Q0E=" } }],
  contexts: [{ name: "eu", context: { cluster: "eu", user: "admin" } }],
  "current-context": "eu",
  users: [{ name: "admin", user: { token: "admin-token" } }],
});
const secrets: FleetSecrets = { kubeconfig: (cluster) => pulumi.secret(cluster === "gke-eu" ? euKubeconfig : "") };

let graph: Graph;
let fleet: FleetClusters;
let status: Record<string, any>;
beforeAll(async () => {
  graph = await runComponent(() => {
    fleet = new FleetClusters("prod", { plan: variantPlan(), secrets });
  });
  status = await new Promise((resolve) => fleet.status.apply((s) => (resolve(s), s)));
});

const inputs = (r: RegisteredResource) => r.inputs as Record<string, any>;

describe("clusters the prod example does not have", () => {
  it("leaves an Istio installed by others alone: no charts, istio-system labelled but not owned, the expected settings reported", () => {
    expect(graph.ofType("kubernetes:helm.sh/v3:Release").filter((r) => r.name.startsWith("prod-gke-asia-"))).toEqual([]);
    expect(graph.find("kubernetes:core/v1:Namespace", "prod-gke-asia-istio-system")).toBeUndefined();
    const patch = graph.one("kubernetes:core/v1:NamespacePatch", "prod-gke-asia-istio-system");
    expect(inputs(patch).metadata).toEqual({ name: "istio-system", labels: { "topology.istio.io/network": "fleet-prod" } });
    // The shared root of trust still reaches it, and its gateway still waits for cacerts.
    const cacerts = graph.one("kubernetes:core/v1:Secret", "prod-gke-asia-cacerts");
    expect(graph.one("kubernetes:gateway.networking.k8s.io/v1:Gateway", "prod-gke-asia-gateway").dependsOn).toContain(cacerts.urn);
    expect(status["gke-asia"].istio).toEqual({
      managedByFleetgate: false,
      meshId: "acme-prod",
      clusterName: "gke-asia",
      network: "fleet-prod",
      trustDomain: "cluster.local",
      version: "1.28.0",
    });
  });

  it("deploys to a cluster given by kubeconfig with that kubeconfig, and points peers at its API server", () => {
    const provider = graph.one("pulumi:providers:kubernetes", "prod-gke-eu");
    expect(provider.secretPaths).toContain("kubeconfig");
    expect(inputs(provider).kubeconfig).toBe(euKubeconfig);
    const remote = graph.one("kubernetes:core/v1:Secret", "prod-gke-us-remote-secret-gke-eu");
    expect(parse(inputs(remote).stringData["gke-eu"]).clusters[0].cluster.server).toBe("https://eu.k8s.example.net:6443");
  });

  it("keeps the gateway of a drained cluster, and gives a cluster that serves nothing a mesh but no gateway", () => {
    expect(Object.keys(fleet.gateways).sort()).toEqual(["gke-asia", "gke-eu", "gke-us"]);
    expect(status["gke-eu"]).toMatchObject({ gateway: true, drained: true });
    expect(graph.find("fleetgate:kubernetes:ClusterGateway", "prod-gke-spare")).toBeUndefined();
    expect(status["gke-spare"]).toMatchObject({ gateway: false, hosts: [], routes: [], exports: [], discovers: ["gke-asia", "gke-eu", "gke-us"] });
    expect(graph.find("kubernetes:core/v1:Secret", "prod-gke-spare-cacerts")).toBeDefined();
    expect(graph.find("kubernetes:core/v1:Secret", "prod-gke-eu-remote-secret-gke-spare")).toBeDefined();
  });

  it("still uses only explicit providers, and every object is valid", () => {
    for (const r of kubernetesResources(graph.resources)) {
      expect(graph.providerOf(r)?.type, r.name).toBe("pulumi:providers:kubernetes");
      validateRegistered(r);
    }
  });
});

describe("a fleet that grows", () => {
  it("keeps every name and the objects of existing clusters when a cluster is added", async () => {
    const prod = examplePlan("prod");
    const before = await runComponent(() => void new FleetClusters("prod", { plan: prod, secrets }));
    const spare = variantPlan().clusters.find((c) => c.name === "gke-spare")!;
    const names = [...prod.clusters.map((c) => c.name), "gke-spare"];
    const grown: FleetPlan = {
      ...prod,
      clusters: [...prod.clusters, spare],
      trust: {
        ...prod.trust,
        intermediates: [
          ...prod.trust.intermediates,
          { ...prod.trust.intermediates[0]!, cluster: "gke-spare", commonName: "Fleetgate prod gke-spare Intermediate CA" },
        ],
      },
      mesh: {
        ...prod.mesh,
        remoteSecrets: names.flatMap((inCluster) => names.filter((n) => n !== inCluster).map((forCluster) => ({ inCluster, forCluster }))),
      },
    };
    const after = await runComponent(() => void new FleetClusters("prod", { plan: grown, secrets }));
    const ids = (g: Graph) => new Set(g.resources.map((r) => `${r.type}::${r.name}`));
    const afterIds = ids(after);
    expect([...ids(before)].filter((id) => !afterIds.has(id))).toEqual([]);
    const kinds = [
      "kubernetes:gateway.networking.k8s.io/v1:Gateway",
      "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
      "kubernetes:core/v1:Service",
      "kubernetes:net.gke.io/v1:ServiceExport",
      "kubernetes:helm.sh/v3:Release",
    ];
    for (const r of before.resources.filter((x) => kinds.includes(x.type))) expect(after.one(r.type, r.name).inputs, r.name).toEqual(r.inputs);
  });
});

describe("a plan the clusters side cannot build", () => {
  it("stops when a cluster installs Istio without a pinned version, saying what to set", async () => {
    const plan = examplePlan("prod");
    const { istioVersion: _, ...mesh } = plan.mesh;
    const clusters = plan.clusters.map((c) => {
      const { serving: _serving, ...istio } = c.istio;
      return { ...c, istio: { ...istio, revisions: [] } };
    });
    await expect(runComponent(() => void new FleetClusters("prod", { plan: { ...plan, mesh, clusters }, secrets }))).rejects.toThrow(
      /names no installed revision to serve; set fleetgate:mesh\.istio\.version/,
    );
  });
});
