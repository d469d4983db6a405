/**
 * An Istio upgrade of one wave, simulated step by step as an admin would make it, one pull request each,
 * from an environment deployed by Fleetgate before revisions: the move onto revisions, the new revision installed beside the old one and the tag moved to it, a rollback by moving the version
 * back, the abandoned revision removed later. Each converges with every gateway served by an installed,
 * ready control plane at every moment; removing a revision in the same update that moves the gateways
 * off it is caught, with the cluster, the gateway and the window it ran without one.
 */
import { describe, expect, it } from "vitest";
import { simulateUps, type SimulatedUp } from "../../offline/simulation/run";
import { devIstio, programBeforeRevisions, programWithoutIstioGuard } from "./scenarios";

function converged(up: SimulatedUp): void {
  expect(up.report.failure, up.stderr.slice(0, 2000)).toBeUndefined();
  expect(up.report.violations).toEqual([]);
  expect(up.exitCode).toBe(0);
}

/** The logical names of what an update created, updated, replaced or deleted. */
const touched = (up: SimulatedUp) => up.result.operations.filter((o) => !["same", "retain"].includes(o.kind)).map((o) => `${o.kind} ${o.name}`);
/** The revision the pods of each gateway (Fleetgate's, then the east-west one) run in a cluster, and the revisions installed there. */
const istio = (up: SimulatedUp, cluster: string) => {
  const world = up.result.world.clusters[cluster]!;
  const revisions = (namespace: string) =>
    Object.values(world.objects)
      .filter((o) => o.kind === "Pod" && o.metadata.namespace === namespace)
      .map((p) => p.status?.revision);
  return { gateways: [...revisions("fleetgate-gateway"), ...revisions("istio-system")], installed: Object.keys(world.controlPlanes).sort() };
};

describe("an Istio upgrade of dev's canary wave", () => {
  it("moves an environment of earlier Fleetgate onto revisions, then upgrades the wave beside the old revision, rolls back and cleans up, with a control plane serving every gateway throughout", async () => {
    const tooEarlyRoot = devIstio({ canary: { version: "1.29.0", revisions: ["1.29.0"] } });
    const [legacy, migration, upgrade, rollback, cleanup, refused, tooEarly] = await simulateUps([
      { stack: "dev", root: devIstio({}), program: programBeforeRevisions() },
      { stack: "dev", root: devIstio({ keepUnrevisionedIstiod: true }) },
      { stack: "dev", root: devIstio({ keepUnrevisionedIstiod: true, canary: { version: "1.29.0", revisions: ["1.28.0", "1.29.0"] } }) },
      { stack: "dev", root: devIstio({ keepUnrevisionedIstiod: true, canary: { version: "1.28.0", revisions: ["1.28.0", "1.29.0"] } }) },
      { stack: "dev", root: devIstio({}) },
      { stack: "dev", root: tooEarlyRoot },
      { stack: "dev", root: tooEarlyRoot, program: programWithoutIstioGuard() },
    ]);
    converged(legacy!);
    expect(istio(legacy!, "gke-eu")).toEqual({ gateways: ["default", "default"], installed: ["default"] });

    // The first update with revisions: the revisioned istiod beside the unrevisioned one, which stays
    // unchanged while the gateways roll onto the tag's revision.
    converged(migration!);
    expect(touched(migration!).sort()).toEqual(
      ["gke-eu", "gke-us"]
        .flatMap((c) =>
          ["istio-revision-tag", "istiod-1-28-0"]
            .map((n) => `create dev-${c}-${n}`)
            .concat(["gateway", "istio-base", "istio-eastwestgateway"].map((n) => `update dev-${c}-${n}`)),
        )
        .sort(),
    );
    expect(istio(migration!, "gke-eu")).toEqual({ gateways: ["1-28-0", "1-28-0"], installed: ["1-28-0", "default"] });

    // Only the wave's cluster changes: its new istiod, its tag, istio-base's CRDs and default revision, and
    // the east-west gateway, rolled so that the tag's new revision injects its pods.
    converged(upgrade!);
    expect(touched(upgrade!).sort()).toEqual([
      "create dev-gke-eu-istiod-1-29-0",
      "update dev-gke-eu-istio-base",
      "update dev-gke-eu-istio-eastwestgateway",
      "update dev-gke-eu-istio-revision-tag",
    ]);
    expect(istio(upgrade!, "gke-eu")).toEqual({ gateways: ["1-29-0", "1-29-0"], installed: ["1-28-0", "1-29-0", "default"] });
    expect(istio(upgrade!, "gke-us")).toEqual({ gateways: ["1-28-0", "1-28-0"], installed: ["1-28-0", "default"] });
    // The tag moved only once the new istiod was ready.
    const at = (up: SimulatedUp, name: string) => up.result.operations.find((o) => o.name === name)!;
    expect(at(upgrade!, "dev-gke-eu-istio-revision-tag").start).toBeGreaterThanOrEqual(at(upgrade!, "dev-gke-eu-istiod-1-29-0").end);

    // Rollback: a one-line change; the tag moves back to the revision still installed.
    converged(rollback!);
    expect(touched(rollback!).sort()).toEqual([
      "update dev-gke-eu-istio-base",
      "update dev-gke-eu-istio-eastwestgateway",
      "update dev-gke-eu-istio-revision-tag",
    ]);
    expect(istio(rollback!, "gke-eu")).toEqual({ gateways: ["1-28-0", "1-28-0"], installed: ["1-28-0", "1-29-0", "default"] });

    // Cleanup: the revisions nothing runs on go (the abandoned one, and earlier Fleetgate's), and
    // istio-base's CRDs follow the newest one left.
    converged(cleanup!);
    expect(touched(cleanup!).sort()).toEqual([
      "delete dev-gke-eu-istiod",
      "delete dev-gke-eu-istiod-1-29-0",
      "delete dev-gke-us-istiod",
      "update dev-gke-eu-istio-base",
    ]);
    expect(istio(cleanup!, "gke-eu")).toEqual({ gateways: ["1-28-0", "1-28-0"], installed: ["1-28-0"] });

    // Moving the tag and removing the revision it left in one update: the program's upgrade guard refuses
    // it against the record the cleanup left, before anything changes.
    expect(refused!.exitCode).not.toBe(0);
    expect(refused!.stderr).toMatch(/fleetgate:mesh\.istio\.waves\[0\]\.revisions: removes revision 1-28-0 of "gke-eu" \(wave "canary"\) too early/);
    expect(touched(refused!)).toEqual([]);
    // Without the guard, the gateway still rolls when its control plane is uninstalled, and the
    // simulation says where and for how long.
    expect(tooEarly!.report.failure).toBeUndefined();
    expect(tooEarly!.report.violations).toEqual([
      expect.stringMatching(
        /^gateway fleetgate-gateway\/\S+ in gke-eu ran Istio revision 1-28-0 without its control plane from \d+ s to \d+ s into the update \(\d+ s\).*\[istio\.control-plane-in-use\]$/,
      ),
    ]);
    expect(istio(tooEarly!, "gke-eu")).toEqual({ gateways: ["1-29-0", "1-29-0"], installed: ["1-29-0"] });
    // Six updates one after another: 18 s alone on two quiet cores, over two minutes inside the whole suite on a busy machine.
  }, 300_000);
});
