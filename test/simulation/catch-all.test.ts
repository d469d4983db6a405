/**
 * A first `pulumi up` of an example stack whose admin grants a namespace the environment's catch-all
 * (fleetgate:catchAll), with the shape of most published MCI examples in it (zoneprinter: an ingress with
 * only a default backend), simulated against the clouds' and controllers' documented behaviour.
 */
import { describe, expect, it } from "vitest";
import { simulateUp, type SimulatedUp } from "../../offline/simulation/run";
import { zoneprinterDocuments } from "../zoneprinter";
import { changedRoot, type Doc } from "./roots";

const withCatchAll = (stack: string, links: string[]) =>
  changedRoot(stack, {
    config: (c) => void (c["fleetgate:catchAll"] = { namespace: "zones" }),
    add: { "zones/zoneprinter.yaml": zoneprinterDocuments(links) },
  });

function converged(up: SimulatedUp): void {
  expect(up.report.failure, up.stderr.slice(0, 2000)).toBeUndefined();
  expect(up.report.violations).toEqual([]);
  expect(up.exitCode).toBe(0);
}

describe("a first pulumi up with the catch-all granted", () => {
  it("converges behind the GCP front door, its URL map's default the granted service's backend service", async () => {
    const up = await simulateUp({ stack: "dev", root: withCatchAll("dev", ["us-central1/gke-us"]) });
    converged(up);
    const urlMap = up.resources.find((r) => r.type === "gcp:compute/uRLMap:URLMap" && (r.inputs as { name: string }).name === "fg-dev")!;
    expect((urlMap.inputs as { defaultService: string }).defaultService).toMatch(/\/backendServices\/fg-dev-zones-zoneprinter-80$/);
  });

  it("converges behind the AWS front door, every gateway with a catch-all route to the granted service", async () => {
    const up = await simulateUp({ stack: "aws-prod", root: withCatchAll("aws-prod", ["us-east-1/eks-use1"]) });
    converged(up);
    const routes = up.resources.filter(
      (r) => r.type === "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute" && (r.inputs as Doc).metadata.name === "catch-all",
    );
    expect(routes.length).toBe(3);
  });
});
