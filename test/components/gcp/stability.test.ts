import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { GcpFrontDoor } from "../../../components/gcp/front-door";
import type { FleetPlan } from "../../../spec/plan";
import { runComponent, type Graph, type RegisteredResource } from "../../harness";
import { addOnPremCluster, planOf, prodInputs, southAmericaCluster, type EnvironmentInputs } from "./prod-fixture";

const GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway";

/** Stands in for a cluster's Gateway: the resource backend services must wait for. */
class FakeGateway extends pulumi.CustomResource {
  constructor(name: string) {
    super(GATEWAY, name, { metadata: { name: "fleetgate" } });
  }
}

async function frontDoorGraph(plan: FleetPlan, gatewayClusters: readonly string[] = []): Promise<Graph> {
  return runComponent(() => {
    const gateways = Object.fromEntries(gatewayClusters.map((c) => [c, new FakeGateway(`gateway-${c}`)]));
    new GcpFrontDoor(plan.environment, { plan, gateways });
  });
}

/** What a preview compares: per type::name, the inputs and options. */
function registered(graph: Graph): Map<string, unknown> {
  const urnName = new Map(graph.resources.map((r) => [r.urn, `${r.type}::${r.name}`]));
  return new Map(
    graph.resources
      .filter((r) => r.type !== GATEWAY)
      .map((r: RegisteredResource) => [
        `${r.type}::${r.name}`,
        {
          inputs: r.inputs,
          parent: r.parent && urnName.get(r.parent),
          protect: r.protect,
          dependsOn: r.dependsOn.map((u) => urnName.get(u)).sort(),
          deleteBeforeReplace: r.deleteBeforeReplace,
        },
      ]),
  );
}

/** The documents in reverse file order, each file's documents reversed, and the cluster list reversed. */
function permuted(inputs: EnvironmentInputs): EnvironmentInputs {
  const copy = structuredClone(inputs);
  copy.files = copy.files.reverse().map((f) => ({ path: f.path, docs: f.docs.reverse() }));
  copy.config["fleetgate:clusters"].reverse();
  for (const cluster of copy.config["fleetgate:clusters"]) cluster.zones.reverse();
  copy.config["fleetgate:dns"].zones.reverse();
  return copy;
}

describe("the GCP front door's identity", () => {
  it("renames and replaces nothing when a cluster is added: only the backend lists it joins change", async () => {
    const before = registered(await frontDoorGraph(planOf(prodInputs())));
    const inputs = prodInputs();
    inputs.config["fleetgate:clusters"].push(southAmericaCluster());
    const after = registered(await frontDoorGraph(planOf(inputs)));

    const missing = [...before.keys()].filter((k) => !after.has(k));
    expect(missing).toEqual([]);
    const changed = [...before.keys()].filter((k) => JSON.stringify(before.get(k)) !== JSON.stringify(after.get(k)));
    expect(changed.sort()).toEqual([
      "gcp:compute/backendService:BackendService::prod-backend-catch-all",
      "gcp:compute/backendService:BackendService::prod-backend-search-search-8080",
      "gcp:compute/backendService:BackendService::prod-backend-search-suggest-8080",
    ]);
    // What changes in them is their backend list: the new cluster's zones are added.
    for (const key of changed) {
      const { backends: old, ...restBefore } = (before.get(key) as { inputs: Record<string, unknown> }).inputs;
      const { backends: now, ...restAfter } = (after.get(key) as { inputs: Record<string, unknown> }).inputs;
      expect(restAfter, key).toEqual(restBefore);
      const groups = (list: unknown) => (list as { group: string }[]).map((b) => b.group);
      expect(
        groups(now)
          .filter((g) => !groups(old).includes(g))
          .map((g) => g.split("/zones/")[1]),
        key,
      ).toEqual(["southamerica-east1-a/networkEndpointGroups/fg-prod-gke-sa-dispatch", "southamerica-east1-b/networkEndpointGroups/fg-prod-gke-sa-dispatch"]);
    }
    expect([...after.keys()].filter((k) => !before.has(k))).toEqual([]);
  });

  it("adds a non-GKE cluster's internet NEG and backend services without renaming anything", async () => {
    const before = registered(await frontDoorGraph(planOf(prodInputs())));
    const inputs = prodInputs();
    addOnPremCluster(inputs);
    const graph = await frontDoorGraph(planOf(inputs), ["gke-eu", "gke-us", "onprem"]);
    const after = registered(graph);
    expect([...before.keys()].filter((k) => !after.has(k))).toEqual([]);
    expect([...after.keys()].filter((k) => !before.has(k)).sort()).toEqual([
      "gcp:compute/backendService:BackendService::prod-backend-search-search-8080-onprem",
      "gcp:compute/backendService:BackendService::prod-backend-search-suggest-8080-onprem",
      "gcp:compute/globalNetworkEndpoint:GlobalNetworkEndpoint::prod-internet-neg-onprem-endpoint",
      "gcp:compute/globalNetworkEndpointGroup:GlobalNetworkEndpointGroup::prod-internet-neg-onprem",
    ]);
    const neg = graph.one("gcp:compute/globalNetworkEndpointGroup:GlobalNetworkEndpointGroup", "prod-internet-neg-onprem");
    expect(neg.inputs).toMatchObject({ name: "fg-prod-onprem-gw", networkEndpointType: "INTERNET_FQDN_PORT", defaultPort: 443, project: "acme-fleet-prod" });
    expect(graph.one("gcp:compute/globalNetworkEndpoint:GlobalNetworkEndpoint", "prod-internet-neg-onprem-endpoint").inputs).toMatchObject({
      fqdn: "gw.onprem.example.net",
      port: 443,
      globalNetworkEndpointGroup: "fg-prod-onprem-gw",
    });
    const internet = graph.one("gcp:compute/backendService:BackendService", "prod-backend-search-search-8080-onprem");
    expect(internet.inputs).toMatchObject({
      protocol: "HTTPS",
      loadBalancingScheme: "EXTERNAL_MANAGED",
      backends: [{ group: "https://www.googleapis.com/compute/v1/projects/acme-fleet-prod/global/networkEndpointGroups/fg-prod-onprem-gw" }],
    });
    expect(internet.inputs.healthChecks).toBeUndefined();
    // The on-premises gateway routes by host on its public listener: nothing is tagged for it.
    expect(internet.inputs.customRequestHeaders).toBeUndefined();
    expect(internet.dependsOn).toEqual(
      expect.arrayContaining([
        graph.one(GATEWAY, "gateway-onprem").urn,
        graph.one("gcp:compute/globalNetworkEndpoint:GlobalNetworkEndpoint", "prod-internet-neg-onprem-endpoint").urn,
      ]),
    );
    const search = (
      graph.one("gcp:compute/uRLMap:URLMap", "prod-url-map").inputs.pathMatchers as {
        name: string;
        defaultRouteAction?: { weightedBackendServices?: { weight: number }[] };
      }[]
    ).find((m) => m.name === "host-search-apps-example-com")!;
    // search's /* is the host's default backend: the split is the path matcher's default.
    expect(search.defaultRouteAction?.weightedBackendServices?.map((w) => w.weight)).toEqual([667, 333]);
  });

  it("registers identical inputs whatever the order of documents, files, clusters and zones", async () => {
    const inputs = prodInputs();
    const straight = registered(await frontDoorGraph(planOf(inputs)));
    const shuffled = registered(await frontDoorGraph(planOf(permuted(inputs))));
    expect([...shuffled.keys()].sort()).toEqual([...straight.keys()].sort());
    for (const [key, value] of straight) expect(shuffled.get(key), key).toEqual(value);
  });

  it("makes each backend service wait for the gateways of exactly the clusters it attaches", async () => {
    const plan = planOf(prodInputs());
    const graph = await frontDoorGraph(plan, ["gke-asia", "gke-eu", "gke-us"]);
    const gateway = (c: string) => graph.one(GATEWAY, `gateway-${c}`).urn;
    const gatewaysOf = (r: RegisteredResource) => r.dependsOn.filter((urn) => urn.includes(GATEWAY));
    for (const service of plan.services) {
      const backend = graph.one("gcp:compute/backendService:BackendService", `prod-backend-${service.namespace}-${service.name}-${service.ports[0]!.port}`);
      expect(gatewaysOf(backend), service.key).toEqual(service.clusters.map((c) => gateway(c.cluster)).sort());
    }
    expect(gatewaysOf(graph.one("gcp:compute/backendService:BackendService", "prod-backend-catch-all"))).toEqual(
      ["gke-asia", "gke-eu", "gke-us"].map(gateway).sort(),
    );
  });
});
