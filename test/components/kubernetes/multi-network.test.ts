import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { examplePlan } from "../../examples";
import { type Graph, type RegisteredResource, runProgram } from "../../harness";
import { kubernetesResources, validateRegistered } from "./schemas";

// One offline run of the aws-prod example: three EKS clusters, each on its own network.
let graph: Graph;
beforeAll(async () => {
  const run = await runProgram("aws-prod");
  if (run.exitCode !== 0) throw new Error(run.stderr);
  graph = run;
});

const plan = examplePlan("aws-prod");
const key = (cluster: string) => `aws-prod-${cluster}`;
const inputs = (r: RegisteredResource) => r.inputs as Record<string, any>;

describe("the clusters side of a fleet on several networks (aws-prod)", () => {
  it("reaches each EKS cluster with `aws eks get-token` in its region, assuming the deployer role", () => {
    for (const c of plan.clusters) {
      const config = parse(inputs(graph.one("pulumi:providers:kubernetes", key(c.name))).kubeconfig);
      expect(config.clusters[0].cluster.server).toMatch(new RegExp(`^https://[0-9A-F]+\\.gr7\\.${c.region}\\.eks\\.amazonaws\\.com$`));
      expect(config.users[0].user.exec).toMatchObject({
        command: "aws",
        args: [
          "--region",
          c.region,
          "eks",
          "get-token",
          "--cluster-name",
          c.name,
          "--output",
          "json",
          "--role-arn",
          "arn:aws:iam::123456789012:role/fleetgate-deployer",
        ],
      });
    }
  });

  it("labels each istio-system with its own network and opens an east-west gateway on 15443 for *.local", () => {
    expect(plan.mesh.multiNetwork).toBe(true);
    for (const c of plan.clusters) {
      expect(inputs(graph.one("kubernetes:core/v1:Namespace", `${key(c.name)}-istio-system`)).metadata.labels).toEqual({
        "topology.istio.io/network": c.network,
      });
      const istiod = graph.one("kubernetes:helm.sh/v3:Release", `${key(c.name)}-istiod-1-28-0`);
      expect(inputs(istiod).values.global.network).toBe(c.network);
      const tag = graph.one("kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration", `${key(c.name)}-istio-revision-tag`);
      const eastWest = graph.one("kubernetes:helm.sh/v3:Release", `${key(c.name)}-istio-eastwestgateway`);
      expect(inputs(eastWest)).toMatchObject({
        name: "istio-eastwestgateway",
        chart: "gateway",
        version: "1.28.0",
        values: {
          revision: "fleetgate",
          podAnnotations: { "fleetgate.io/istio-revision": "1-28-0" },
          labels: { istio: "eastwestgateway", "topology.istio.io/network": c.network },
          service: { ports: [{ port: 15443 }], annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" } },
        },
      });
      // Injected through the tag, which is moved only once its istiod is ready.
      expect(eastWest.dependsOn).toContain(tag.urn);
      const cross = graph.one("kubernetes:networking.istio.io/v1beta1:Gateway", `${key(c.name)}-cross-network-gateway`);
      expect(inputs(cross).spec.servers).toEqual([
        { port: { number: 15443, name: "tls", protocol: "TLS" }, tls: { mode: "AUTO_PASSTHROUGH" }, hosts: ["*.local"] },
      ]);
    }
  });

  it("asks the AWS Load Balancer Controller for an internet-facing NLB for each gateway, from a Service the AWS front door waits for", () => {
    for (const c of plan.clusters.filter((x) => x.gateway)) {
      const gateway = graph.one("kubernetes:gateway.networking.k8s.io/v1:Gateway", `${key(c.name)}-gateway`);
      expect(inputs(gateway).spec.infrastructure.annotations).toEqual({});
      expect(inputs(gateway).metadata.annotations).toEqual({ "pulumi.com/waitFor": "condition=Programmed", "networking.istio.io/service-type": "ClusterIP" });
      const nlb = graph.one("kubernetes:core/v1:Service", `${key(c.name)}-gateway-nlb`);
      expect(inputs(nlb).metadata.annotations).toMatchObject({
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      });
      expect(inputs(nlb).spec).toMatchObject({ type: "LoadBalancer", selector: { "gateway.networking.k8s.io/gateway-name": "fleetgate" } });
    }
  });

  it("exports services with the upstream MCS kind where the admin says an implementation runs", () => {
    expect(plan.clusters.map((c) => c.multiClusterServices)).toEqual(["mcs-api", "mcs-api", "mcs-api"]);
    expect(graph.ofType("kubernetes:net.gke.io/v1:ServiceExport")).toEqual([]);
    const exports = graph.ofType("kubernetes:multicluster.x-k8s.io/v1alpha1:ServiceExport");
    const expected = plan.services.flatMap((s) => s.clusters.map((c) => `${c.cluster} ${s.namespace}/${s.name}`)).sort();
    expect(
      exports.map((r) => `${r.name.slice("aws-prod-".length).split("-export-")[0]} ${inputs(r).metadata.namespace}/${inputs(r).metadata.name}`).sort(),
    ).toEqual(expected);
  });

  it("gives each cluster the remote secrets of the others and validates every object against its schema", () => {
    for (const pair of plan.mesh.remoteSecrets)
      expect(
        graph.find("kubernetes:core/v1:Secret", `${key(pair.inCluster)}-remote-secret-${pair.forCluster}`),
        `${pair.inCluster} <- ${pair.forCluster}`,
      ).toBeDefined();
    for (const r of kubernetesResources(graph.resources)) {
      expect(graph.providerOf(r)?.name, r.name).toBe(key(plan.clusters.find((c) => r.name.startsWith(`${key(c.name)}-`))!.name));
      validateRegistered(r);
    }
  });
});
