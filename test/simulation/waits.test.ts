/**
 * The program's waits, each proven needed: a copy of the program with one wait taken out fails a
 * simulated update (a provider refuses, or traffic meets something not ready) where the program as it is
 * converges (first-up.test.ts). Each mutation names the text it removes, and fails when that text has
 * moved, so no mutation can pass by changing nothing.
 */
import { describe, expect, it } from "vitest";
import { simulateUp } from "../../offline/simulation/run";
import { changedProgram, changedRoot } from "./roots";
import { devWithKubeconfigCluster, ONPREM_KUBECONFIG } from "./scenarios";

const failed = (up: Awaited<ReturnType<typeof simulateUp>>) =>
  [up.report.failure ?? "", ...up.report.violations, ...up.result.events.filter((e) => e.text.includes("points at the front door")).map((e) => e.text)].join(
    "\n",
  );

describe("without its waits, the program does not converge", () => {
  it("needs the NEG wait: GCP refuses a backend service naming a NEG GKE has not made yet", async () => {
    const program = changedProgram("components/gcp/backends.ts", [
      [
        "ready = afterWait(b.group, gateways[b.cluster]?.urn ?? b.group, () => waitForNeg({ cluster: b.cluster, zone: b.zone, group: b.group }, read));",
        "ready = pulumi.output(b.group);",
      ],
    ]);
    const up = await simulateUp({ stack: "dev", program });
    expect(failed(up)).toMatch(/GCP refuses .*networkEndpointGroups\/fg-dev-gke-[a-z]+-dispatch' was not found.*\[gcp\.neg-references\]/);
  });

  it("needs the NLB wait: Global Accelerator refuses an endpoint still provisioning", async () => {
    const program = changedProgram("components/aws/front-door.ts", [
      ["const arn = afterWait(nlb.arn, nlb.arn, (id) => waitForActiveNlb(cluster.cluster, region, id, read));", "const arn = nlb.arn;"],
    ]);
    const up = await simulateUp({ stack: "aws-prod", program });
    expect(failed(up)).toMatch(/AWS refuses .*is provisioning; it must be active when it is added \[aws\.endpoint-active\]/);
  });

  it("needs the NLB lookup to wait for its Service: the controller has made no NLB before", async () => {
    const program = changedProgram("components/aws/front-door.ts", [["...(gateway ? { dependsOn: [gateway] } : {})", ""]]);
    const up = await simulateUp({ stack: "aws-prod", program });
    expect(up.exitCode).not.toBe(0);
    expect(up.stderr).toContain("Search returned 0 results for load balancers tagged");
  });

  it("needs the Gateway's Programmed wait: a public gateway would get traffic before it is there", async () => {
    const program = changedProgram("components/kubernetes/gateway-plan.ts", [['"pulumi.com/waitFor": "condition=Programmed",', ""]]);
    const up = await simulateUp({
      stack: "dev",
      root: devWithKubeconfigCluster(),
      decrypted: { "fleetgate:kubeconfigs": { onprem: ONPREM_KUBECONFIG } },
      program,
    });
    expect(failed(up)).toContain("sends traffic to onprem before its gateway is programmed");
  });

  it("needs the certificate validations before the NLBs: the controller cannot give an NLB a certificate not yet issued", async () => {
    const program = changedProgram("components/aws/certificates.ts", [
      ["arns[region] = [...(arns[region] ?? []), validation.certificateArn];", "arns[region] = [...(arns[region] ?? []), resource.arn];"],
    ]);
    const up = await simulateUp({ stack: "aws-prod", program });
    expect(failed(up)).toMatch(/cannot give fleetgate-gateway\/fleetgate-nlb's NLB certificate .*: it is not issued yet/);
  });

  it("needs the certificate wait where the admin asks for it: a host would point at the front door before its certificate", async () => {
    const program = changedProgram("components/gcp/certificates.ts", [["      !wait\n        ? certificate", "      true\n        ? certificate"]]);
    const up = await simulateUp({ stack: "dev", root: changedRoot("dev", { config: (c) => void (c["fleetgate:gcp"].awaitCertificates = "60m") }), program });
    expect(failed(up)).toMatch(/host [a-z.]+ points at the front door while its certificate .* is PROVISIONING/);
  });
});
