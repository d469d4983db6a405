/**
 * A first `pulumi up` of every example stack and of the variants an operator meets, simulated against
 * the clouds' and controllers' documented behaviour (offline/simulation): each converges in one run, and
 * a second run with nothing changed changes nothing. "Converges" holds against the simulated actors only.
 */
import { describe, expect, it } from "vitest";
import { simulateUp, simulateUps, type SimulatedUp } from "../../offline/simulation/run";
import { changedRoot } from "./roots";
import { awsLatencyDns, awsWithGkeCluster, devWithKubeconfigCluster, ONPREM_KUBECONFIG } from "./scenarios";

/** Says what went wrong, so a failing expectation reads as the simulation's own words. */
function converged(up: SimulatedUp): void {
  expect(up.report.failure, up.stderr.slice(0, 2000)).toBeUndefined();
  expect(up.report.violations).toEqual([]);
  expect(up.exitCode).toBe(0);
}

const kinds = (up: SimulatedUp) => Object.keys(up.report.operations).sort();

describe.each(["dev", "prod", "aws-prod"])("a first pulumi up of %s", (stack) => {
  it("converges in one run, and a second run changes nothing", async () => {
    const [first, second] = await simulateUps([{ stack }, { stack }]);
    converged(first!);
    expect(kinds(first!)).toEqual(["create"]);
    converged(second!);
    expect(kinds(second!)).toEqual(["same"]);
    expect(first!.report.wallMs).toBeGreaterThan(0);
    expect(first!.report.criticalPath.length).toBeGreaterThan(1);
    // The stated minimum of the AWS Load Balancer Controller (2.5) gives NLBs no security groups, and needs none.
    for (const nlb of Object.values(first!.result.world.aws.loadBalancers)) expect(nlb.securityGroups).toEqual([]);
  });
});

describe("a first pulumi up of the variants", () => {
  it("converges with a cluster reached by kubeconfig behind the GCP front door", async () => {
    const up = await simulateUp({ stack: "dev", root: devWithKubeconfigCluster(), decrypted: { "fleetgate:kubeconfigs": { onprem: ONPREM_KUBECONFIG } } });
    converged(up);
    expect(up.resources.some((r) => r.type === "gcp:compute/globalNetworkEndpoint:GlobalNetworkEndpoint")).toBe(true);
  });

  it("converges in latency-dns mode, and with IPv6 on dual-stack NLBs", async () => {
    for (const dualStack of [false, true]) {
      const up = await simulateUp({ stack: "aws-prod", root: awsLatencyDns(dualStack) });
      converged(up);
      const nlbs = Object.values(up.result.world.aws.loadBalancers).filter((n) => n.tags["service.k8s.aws/stack"] === "fleetgate-gateway/fleetgate-nlb");
      expect(nlbs).toHaveLength(3);
      expect(nlbs.map((n) => n.ipAddressType)).toEqual(nlbs.map(() => (dualStack ? "dualstack" : "ipv4")));
      expect(nlbs.every((n) => n.proxyProtocol && n.targetsHealthy)).toBe(true);
      expect(Object.values(up.result.world.aws.records).some((r) => r.type === "AAAA")).toBe(dualStack);
    }
  });

  it("converges with a GKE cluster behind the AWS front door, reached by CNAME in its nearest AWS region", async () => {
    const up = await simulateUp({ stack: "aws-prod", root: awsWithGkeCluster() });
    converged(up);
    const records = Object.entries(up.result.world.aws.records).filter(([key]) => key.split("|")[1] === "inventory.example.net");
    expect(records.map(([key, r]) => [key.split("|")[2], r.policy, r.alias])).toEqual([
      ["CNAME", "latencyRoutingPolicies", "us-east-2.fg-aws-prod.example.net"],
    ]);
  });

  it("with fleetgate:gcp.awaitCertificates points no host at the front door before its certificate is active", async () => {
    const up = await simulateUp({ stack: "dev", root: changedRoot("dev", { config: (c) => void (c["fleetgate:gcp"].awaitCertificates = "60m") }) });
    converged(up);
    expect(up.result.events.filter((e) => e.text.includes("points at the front door"))).toEqual([]);
    // The wait is what the update spends its time on.
    expect(up.report.criticalPath.some((s) => s.label.startsWith("wait for certificate"))).toBe(true);
  });
});

describe("what the admin's prerequisites must hold to", () => {
  it("ends a first pulumi up naming the cluster and zone where GKE makes no NEG, instead of hanging", async () => {
    const up = await simulateUp({ stack: "dev", prepare: (world) => void (world.clusters["gke-eu"]!.zonesWithNodes = ["europe-west1-b"]) });
    expect(up.exitCode).not.toBe(0);
    expect(up.stderr).toContain("cluster gke-eu: GKE's NEG controller made no NEG fg-dev-gke-eu-dispatch in zone europe-west1-c within 10 minutes");
    expect(up.stderr).toContain("[gke.neg-controller]");
  });

  it("fails to export services where the admin says an implementation runs but its CRDs are missing", async () => {
    const up = await simulateUp({
      stack: "prod",
      prepare: (world) => void (world.clusters["gke-us"]!.crds = world.clusters["gke-us"]!.crds.filter((g) => g !== "net.gke.io")),
    });
    expect(up.report.failure).toContain('no matches for kind "ServiceExport" in version "net.gke.io/v1"');
    expect(up.report.failure).toContain("[kubernetes.crd-required]");
  });
});
