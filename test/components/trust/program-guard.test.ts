import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { engineConfigFromStackFile, PROJECT_ROOT } from "../../../offline/run-offline";
import { runProgram } from "../../harness";

const scratch = mkdtempSync(join(tmpdir(), "fleetgate-guard-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let roots = 0;

/** A project root whose dev stack file ends with `trust` as its `fleetgate:trust`. */
function devRoot(trust: string): { root: string; stackFile: string } {
  const root = join(scratch, `root-${++roots}`);
  cpSync(join(PROJECT_ROOT, "stacks", "dev"), join(root, "stacks", "dev"), { recursive: true });
  const stackFile = `${readFileSync(join(PROJECT_ROOT, "stacks", "Pulumi.dev.yaml"), "utf8")}  fleetgate:trust:\n${trust}`;
  writeFileSync(join(root, "stacks", "Pulumi.dev.yaml"), stackFile);
  return { root, stackFile };
}

describe("the rotation guard in the program", () => {
  it("records the trust of a deployment, and refuses a step out of order against it before registering anything", async () => {
    const first = await runProgram("dev");
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr.split("\n").filter((line) => line.includes("rotation guard"))).toEqual([
      expect.stringContaining("fleetgate:trust: no previous deployment of this stack recorded"),
    ]);
    const record = first.stackOutputs.trust as { signingRoot: string; clusters: Record<string, unknown> };
    expect(Object.keys(record.clusters)).toEqual(["gke-eu", "gke-us"]);

    // The next deployment makes generation 2 sign at once: it skips the step that makes every cluster trust it.
    const { root, stackFile } = devRoot("    root: { source: generate, generation: 2, additionalTrustedGenerations: [1] }\n");
    const skipped = await runProgram("dev", { root, config: { ...engineConfigFromStackFile(stackFile), previousOutputs: first.stackOutputs } });
    expect(skipped.exitCode).not.toBe(0);
    expect(skipped.stderr).toContain("nothing was deployed");
    expect(skipped.stderr).toMatch(
      /stacks\/Pulumi\.dev\.yaml:\d+:\d+: fleetgate:trust\.root\.generation: is 2, but generated root 2 does not exist yet: .* First list 2 in fleetgate:trust\.root\.additionalTrustedGenerations, keeping generation 1 as fleetgate:trust\.root\.generation, and deploy/,
    );
    expect(skipped.stderr).not.toMatch(/^\s+at /m);
    expect(skipped.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });
});
