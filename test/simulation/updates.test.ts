/**
 * Updates of a running environment, simulated: adding a cluster, adding a host, removing a cluster. Each
 * converges in one run, touches only what it must, and never takes away what still carries traffic: the
 * front door lets go of a cluster before anything in the cluster is deleted.
 */
import { describe, expect, it } from "vitest";
import { simulateUps, type SimulatedUp } from "../../offline/simulation/run";
import { devWithCluster, devWithHost } from "./scenarios";

function converged(up: SimulatedUp): void {
  expect(up.report.failure, up.stderr.slice(0, 2000)).toBeUndefined();
  expect(up.report.violations).toEqual([]);
  expect(up.exitCode).toBe(0);
}

const ops = (up: SimulatedUp, kind: string) => up.result.operations.filter((o) => o.kind === kind);

describe("updates of dev", () => {
  it("adds a cluster, then removes it: the new cluster's resources come and go, the front door follows, nothing else is replaced", async () => {
    const [fresh, added, removed] = await simulateUps([{ stack: "dev" }, { stack: "dev", root: devWithCluster() }, { stack: "dev" }]);
    converged(fresh!);
    converged(added!);
    expect(ops(added!, "replace")).toEqual([]);
    expect(ops(added!, "delete")).toEqual([]);
    // The new cluster's own resources, and the front door's parts that now reach it.
    const created = ops(added!, "create").map((o) => o.name);
    expect(created.filter((n) => !n.includes("gke-us2"))).toEqual([]);
    expect(
      ops(added!, "update")
        .map((o) => o.type.split(":").pop())
        .sort(),
    ).toEqual(["BackendService", "BackendService", "Firewall"]);
    expect(
      Object.values(added!.result.world.gcp.negs)
        .filter((n) => n.owner.startsWith("gke-us2/"))
        .map((n) => n.zone),
    ).toEqual(["us-east1-b", "us-east1-c"]);

    converged(removed!);
    expect(ops(removed!, "create")).toEqual([]);
    const deleted = ops(removed!, "delete");
    expect(deleted.length).toBe(created.length);
    // Traffic leaves the cluster before anything in it goes: every update ends before the first deletion starts.
    const lastUpdate = Math.max(...ops(removed!, "update").map((o) => o.end));
    expect(Math.min(...deleted.map((o) => o.start))).toBeGreaterThanOrEqual(lastUpdate);
    // GKE removes the cluster's NEGs once no backend service attaches them.
    expect(Object.values(removed!.result.world.gcp.negs).filter((n) => n.owner.startsWith("gke-us2/"))).toEqual([]);
  });

  it("adds a host: its certificate, map entry and records, and the routes and URL map that serve it", async () => {
    const [fresh, added] = await simulateUps([{ stack: "dev" }, { stack: "dev", root: devWithHost() }]);
    converged(fresh!);
    converged(added!);
    expect(ops(added!, "replace")).toEqual([]);
    expect(ops(added!, "delete")).toEqual([]);
    const types = (kind: string) => [...new Set(ops(added!, kind).map((o) => o.type.split(":").pop()))].sort();
    expect(types("create")).toEqual(["Certificate", "CertificateMapEntry", "DnsAuthorization", "HTTPRoute", "RecordSet"]);
    expect(types("update")).toEqual(["Gateway", "URLMap"]);
  });
});
