import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { certificateState, waitUntilActive, type CertificateState } from "../../../components/gcp/certificate-wait";
import { engineConfigFromStackFile, PROJECT_ROOT } from "../../../offline/run-offline";
import { runProgram } from "../../harness";

/** A clock that moves only when the wait sleeps, and a certificate that reports the given states in turn. */
function scripted(states: CertificateState[]) {
  let now = 0;
  const reads: number[] = [];
  return {
    reads,
    read: async () => {
      reads.push(now);
      return states[Math.min(reads.length - 1, states.length - 1)]!;
    },
    options: { timeoutMs: 10 * 60_000, intervalMs: 60_000, now: () => now, sleep: async (ms: number) => void (now += ms) },
  };
}

describe("waiting for a managed certificate", () => {
  it("returns once the certificate is ACTIVE, asking again at each interval", async () => {
    const cert = scripted([{ state: "PROVISIONING" }, { state: "PROVISIONING" }, { state: "ACTIVE" }]);
    await waitUntilActive("c", cert.read, cert.options);
    expect(cert.reads).toEqual([0, 60_000, 120_000]);
  });

  it("fails at once when issuance failed, with the reasons", async () => {
    const cert = scripted([{ state: "FAILED", issues: "CAA_FORBIDDEN: CAA records forbid Google" }]);
    await expect(waitUntilActive("c", cert.read, cert.options)).rejects.toThrow(
      /c failed to be issued \(CAA_FORBIDDEN: CAA records forbid Google\); its host's DNS record was not changed/,
    );
    expect(cert.reads).toHaveLength(1);
  });

  it("gives up when the time is up, saying what state it is in and what to do", async () => {
    const cert = scripted([{ state: "PROVISIONING" }]);
    await expect(waitUntilActive("c", cert.read, cert.options)).rejects.toThrow(
      /c is still PROVISIONING after 10 minutes; .*raise fleetgate:gcp.awaitCertificates/,
    );
    expect(cert.reads.at(-1)).toBe(10 * 60_000);
  });

  it("reads the state and the provisioning issues from Certificate Manager's answer", () => {
    expect(certificateState({ certificates: [] })).toEqual({ state: "" });
    const answer = {
      certificates: [{ manageds: [{ state: "PROVISIONING", provisioningIssues: [{ reason: "AUTHORIZATION_ISSUE", details: "CNAME missing" }] }] }],
    };
    expect(certificateState(answer)).toEqual({ state: "PROVISIONING", issues: "AUTHORIZATION_ISSUE: CNAME missing" });
  });

  it("in the prod example, reads certificates through a provider of the front door's project, and plans the records as before", async () => {
    const text = readFileSync(join(PROJECT_ROOT, "stacks", "Pulumi.prod.yaml"), "utf8").replace(
      "    requireSecurityPolicy: true\n",
      "    requireSecurityPolicy: true\n    awaitCertificates: 60m\n",
    );
    const graph = await runProgram("prod", { config: engineConfigFromStackFile(text) });
    expect(graph.exitCode, graph.stderr).toBe(0);
    expect(graph.ofType("pulumi:providers:gcp").map((p) => [p.name, p.inputs.project])).toEqual([["prod-certificate-map-reader", "acme-fleet-prod"]]);
    const records = graph.ofType("gcp:dns/recordSet:RecordSet").filter((r) => r.inputs.type === "A");
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(r.inputs.rrdatas).toEqual([expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/)]);
  });
});
