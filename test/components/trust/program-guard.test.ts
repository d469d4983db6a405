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

/** A project root whose dev stack file has `edit` applied. */
function editedDevRoot(edit: (text: string) => string): { root: string; stackFile: string } {
  const root = join(scratch, `root-${++roots}`);
  cpSync(join(PROJECT_ROOT, "stacks", "dev"), join(root, "stacks", "dev"), { recursive: true });
  const stackFile = edit(readFileSync(join(PROJECT_ROOT, "stacks", "Pulumi.dev.yaml"), "utf8"));
  writeFileSync(join(root, "stacks", "Pulumi.dev.yaml"), stackFile);
  return { root, stackFile };
}

// The first deployment of dev, whose outputs both guards read as the previous deployment's.
let firstRun: ReturnType<typeof runProgram> | undefined;
const firstDeployment = () => (firstRun ??= runProgram("dev"));

describe("the rotation guard in the program", () => {
  it("records the trust of a deployment, and refuses a step out of order against it before registering anything", async () => {
    const first = await firstDeployment();
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

describe("the Istio upgrade guard in the program", () => {
  it("records each cluster's Istio revisions, and refuses removing the revision the gateways ran before registering anything", async () => {
    const first = await firstDeployment();
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stackOutputs.istio).toEqual({
      version: 1,
      clusters: { "gke-eu": { revisions: ["1.28.0"], serving: "1.28.0" }, "gke-us": { revisions: ["1.28.0"], serving: "1.28.0" } },
    });

    // An in-place upgrade: the new version replaces the one the gateways ran, with nothing to fall back to.
    const { root, stackFile } = editedDevRoot((text) => text.replace("istio: { version: 1.28.0 }", "istio: { version: 1.28.1 }"));
    const inPlace = await runProgram("dev", { root, config: { ...engineConfigFromStackFile(stackFile), previousOutputs: first.stackOutputs } });
    expect(inPlace.exitCode).not.toBe(0);
    expect(inPlace.stderr).toMatch(
      /stacks\/Pulumi\.dev\.yaml:\d+:\d+: fleetgate:mesh\.istio\.revisions: removes revision 1-28-0 of "gke-eu", "gke-us" \(the clusters in no wave\) too early: .* Keep 1\.28\.0 in revisions in this update \(revisions: \[1\.28\.0, 1\.28\.1\]\)/,
    );
    expect(inPlace.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });
});
