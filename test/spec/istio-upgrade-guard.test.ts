/**
 * Upgrading Istio in waves on the prod example stack, step by step, as one-line edits of its stack file:
 * each step's plan diff (review/istio-waves-diff.ts) names exactly the clusters of the wave it moves, and
 * the upgrade guard (spec/istio-upgrade-guard.ts), with the previous step as the previous deployment,
 * accepts it; moving two waves at once, removing the serving revision in the step that moves off it, and
 * jumping two minor versions are refused, located at the setting to change. Pure: FleetPlans only.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readPreviousRecords } from "../../components/trust/previous-deployment";
import { startMockEngine } from "../../offline/mock-engine";
import { PROJECT_ROOT } from "../../offline/run-offline";
import { diffFleets, PLATFORM } from "../../review/fleet-diff";
import { diffIstioWaves, istioWaveLines } from "../../review/istio-waves-diff";
import { renderIstioWaves } from "../../offline/render";
import { formatDiagnostic } from "../../spec/diagnostics";
import { planEnvironment } from "../../spec";
import { checkIstioSteps, istioRecord, istioStepFindings, previousIstioFrom } from "../../spec/istio-upgrade-guard";
import type { FleetPlan } from "../../spec/plan";
import { readEnvironmentFiles } from "../../spec/read-files";
import { stackConfigFromFile } from "../../spec/stack-config";
import { baseFixture, planFixture } from "./fixtures";

const STACK_FILE = "stacks/Pulumi.prod.yaml";
const PROD = readFileSync(join(PROJECT_ROOT, STACK_FILE), "utf8");
const FILES = readEnvironmentFiles(PROJECT_ROOT, "prod");

const plans = new Map<string, FleetPlan>();

/** The prod plan of a stack file text, planned once per text. */
function plan(text: string): FleetPlan {
  const known = plans.get(text);
  if (known) return known;
  const result = planEnvironment({ environment: "prod", stack: stackConfigFromFile(STACK_FILE, text), files: FILES });
  expect(result.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
  plans.set(text, result.plan!);
  return result.plan!;
}

/** The stack file with `from` (which must occur once) replaced by `to`, which changes `lines` lines of it. */
function edit(text: string, from: string, to: string, lines = 1): string {
  expect(text.split(from)).toHaveLength(2);
  const next = text.replace(from, to);
  const [a, b] = [text.split("\n"), next.split("\n")];
  // Lines changed or added, counted from both ends.
  let head = 0;
  while (head < a.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  expect(b.length - head - tail).toBe(lines);
  return next;
}

const CANARY = "- { name: canary, clusters: [gke-us], version: 1.28.0 }";
const SEARCH = "- { name: search, selector: { search: enabled }, version: 1.28.0 }";
const REST = "      version: 1.28.0\n";
const moved = (line: string) => line.replace("version: 1.28.0 }", "version: 1.28.1, revisions: [1.28.0, 1.28.1] }");

/** What the guard says of the step from `before` to `after`, and the clusters each wave's diff names. */
function step(before: string, after: string) {
  const [base, head] = [plan(before), plan(after)];
  const diff = diffIstioWaves(base, head);
  return {
    waves: diff.waves.map((w) => ({ wave: w.wave, clusters: w.clusters, changes: w.changes })),
    lines: istioWaveLines(diff),
    refusals: istioStepFindings(istioRecord(base), head),
  };
}

describe("upgrading Istio in waves on the prod example stack", () => {
  const start = PROD;
  const canary = edit(start, CANARY, moved(CANARY));
  const search = edit(canary, SEARCH, moved(SEARCH));
  const rollback = edit(search, moved(SEARCH), moved(SEARCH).replace("version: 1.28.1,", "version: 1.28.0,"));
  const searchAgain = edit(rollback, moved(SEARCH).replace("version: 1.28.1,", "version: 1.28.0,"), moved(SEARCH));

  it("starts with a canary wave of gke-us by name, the search wave by label and gke-asia in no wave", () => {
    expect(plan(start).mesh.istioWaves).toEqual([
      { name: "canary", clusters: ["gke-us"], version: "1.28.0" },
      { name: "search", clusters: ["gke-eu"], version: "1.28.0" },
    ]);
    expect(plan(start).clusters.map((c) => [c.name, c.istio.wave ?? "(no wave)", c.istio.serving?.name])).toEqual([
      ["gke-asia", "(no wave)", "1-28-0"],
      ["gke-eu", "search", "1-28-0"],
      ["gke-us", "canary", "1-28-0"],
    ]);
  });

  it("moves the canary wave alone: its diff names gke-us, which installs 1-28-1 and moves its tag there", () => {
    expect(step(start, canary)).toEqual({
      waves: [{ wave: "canary", clusters: ["gke-us"], changes: ["installs `1-28-1`", "tag moves `1-28-0` → `1-28-1`"] }],
      lines: ["Istio wave `canary`: `gke-us` installs `1-28-1`, tag moves `1-28-0` → `1-28-1`"],
      refusals: [],
    });
  });

  it("shows the step in plan:diff's platform changes as the wave's line alone, not as cluster fields", () => {
    expect(diffFleets(plan(start), plan(canary))).toEqual([
      { owner: PLATFORM, files: STACK_FILE, lines: ["Istio wave `canary`: `gke-us` installs `1-28-1`, tag moves `1-28-0` → `1-28-1`"] },
    ]);
  });

  it("prints the waves in npm run plan: each wave's clusters, the revision they serve and those installed", () => {
    expect(renderIstioWaves(plan(canary)).split("\n")).toEqual([
      "Istio upgrade waves (in order; a new version reaches them one per pulumi up):",
      "  canary     gke-us    serves 1-28-1  installed 1-28-0, 1-28-1",
      "  search     gke-eu    serves 1-28-0  installed 1-28-0",
      "  (no wave)  gke-asia  serves 1-28-0  installed 1-28-0",
      "",
    ]);
    expect(renderIstioWaves(planFixture(baseFixture()).plan!)).toBe("");
  });

  it("moves the search wave next, naming gke-eu alone", () => {
    const s = step(canary, search);
    expect(s.waves).toEqual([{ wave: "search", clusters: ["gke-eu"], changes: ["installs `1-28-1`", "tag moves `1-28-0` → `1-28-1`"] }]);
    expect(s.refusals).toEqual([]);
  });

  it("rolls the search wave back with a one-line change that moves only its tag", () => {
    const s = step(search, rollback);
    expect(s.waves).toEqual([{ wave: "search", clusters: ["gke-eu"], changes: ["tag moves `1-28-1` → `1-28-0`"] }]);
    expect(s.refusals).toEqual([]);
    expect(step(rollback, searchAgain).waves).toEqual([{ wave: "search", clusters: ["gke-eu"], changes: ["tag moves `1-28-0` → `1-28-1`"] }]);
  });

  it("moves the clusters in no wave last, with their version and revisions (a second line)", () => {
    const s = step(searchAgain, edit(searchAgain, REST, "      version: 1.28.1\n      revisions: [1.28.0, 1.28.1]\n", 2));
    expect(s.waves).toEqual([{ clusters: ["gke-asia"], changes: ["installs `1-28-1`", "tag moves `1-28-0` → `1-28-1`"] }]);
    expect(s.refusals).toEqual([]);
  });

  it("removes the old revision of a wave in a later step: cleanup names the wave's clusters and moves no tag", () => {
    const cleanup = edit(search, moved(CANARY), moved(CANARY).replace("revisions: [1.28.0, 1.28.1]", "revisions: [1.28.1]"));
    const s = step(search, cleanup);
    expect(s.waves).toEqual([{ wave: "canary", clusters: ["gke-us"], changes: ["removes `1-28-0`"] }]);
    expect(s.refusals).toEqual([]);
  });

  it("refuses moving two waves in one update, at the later wave's version", () => {
    const both = edit(canary, SEARCH, moved(SEARCH));
    const twoAtOnce = step(start, both);
    expect(twoAtOnce.waves.map((w) => [w.wave, w.clusters])).toEqual([
      ["canary", ["gke-us"]],
      ["search", ["gke-eu"]],
    ]);
    expect(twoAtOnce.refusals).toEqual([
      expect.objectContaining({
        kind: "several-waves",
        wave: "search",
        clusters: ["gke-eu"],
        path: ["mesh", "istio", "waves", 1, "version"],
        message: expect.stringContaining('moves the gateways of wave "canary" ("gke-us") and wave "search" ("gke-eu") in one update'),
      }),
    ]);
    expect(twoAtOnce.lines[0]).toMatch(/^\*\*refused by the Istio upgrade guard at `pulumi up`\*\* \(`fleetgate:mesh\.istio\.waves\[1\]\.version`\)/);
  });

  it("refuses removing the revision the gateways ran in the step that moves them off it", () => {
    const tooEarly = edit(start, CANARY, CANARY.replace("version: 1.28.0 }", "version: 1.28.1 }"));
    expect(step(start, tooEarly).refusals).toEqual([
      expect.objectContaining({
        kind: "removed-too-early",
        clusters: ["gke-us"],
        path: ["mesh", "istio", "waves", 0, "revisions"],
        message: expect.stringMatching(
          /^removes revision 1-28-0 of "gke-us" \(wave "canary"\) too early: .* Keep 1\.28\.0 in revisions in this update \(revisions: \[1\.28\.0, 1\.28\.1\]\)/,
        ),
      }),
    ]);
  });

  it("refuses a jump of two minor versions from the recorded serving revision", () => {
    const f = baseFixture();
    const head = planFixture(f).plan!;
    const record = { version: 1 as const, clusters: { us: { revisions: ["1.26.4"], serving: "1.26.4" } } };
    expect(istioStepFindings(record, head)).toEqual([
      expect.objectContaining({ kind: "removed-too-early", clusters: ["us"] }),
      expect.objectContaining({
        kind: "unsupported-jump",
        clusters: ["us"],
        path: ["mesh", "istio", "version"],
        message: expect.stringContaining(
          "from 1.26.4 to 1.28.0 in one step, but Istio upgrades at most one minor version at a time [istio.upgrade-skew]; move them to 1.27 first",
        ),
      }),
    ]);
  });

  it("lets the first deployment, and clusters the record does not know, take any version", () => {
    const head = plan(canary);
    expect(checkIstioSteps({ plan: head, previous: { kind: "none" }, locate: () => ({ file: STACK_FILE }) })).toEqual([]);
    expect(istioStepFindings({ version: 1, clusters: {} }, head)).toEqual([]);
  });
});

describe("the Istio record of a deployment", () => {
  it("records per cluster its installed versions, the one its gateways run and its wave", () => {
    expect(istioRecord(plan(PROD.replace(CANARY, moved(CANARY))))).toEqual({
      version: 1,
      clusters: {
        "gke-asia": { revisions: ["1.28.0"], serving: "1.28.0" },
        "gke-eu": { revisions: ["1.28.0"], serving: "1.28.0", wave: "search" },
        "gke-us": { revisions: ["1.28.0", "1.28.1"], serving: "1.28.1", wave: "canary" },
      },
    });
  });

  it("is read back from the stack's previous outputs by the program's guard, which refuses a step out of order at the setting", async () => {
    const previous = istioRecord(plan(PROD));
    const engine = startMockEngine({ stack: "prod", previousOutputs: { hosts: [], istio: previous } });
    const read = await readPreviousRecords("prod");
    await engine.settle();
    expect(read.istio).toEqual({ kind: "recorded", record: previous });
    const tooEarly = PROD.replace(CANARY, CANARY.replace("version: 1.28.0 }", "version: 1.28.1 }"));
    const stack = stackConfigFromFile(STACK_FILE, tooEarly);
    const diagnostics = checkIstioSteps({ plan: plan(tooEarly), previous: read.istio, locate: (path) => stack.locate(path) });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(
        /^stacks\/Pulumi\.prod\.yaml:\d+:\d+: fleetgate:mesh\.istio\.waves\[0\]\.revisions: removes revision 1-28-0 of "gke-us" \(wave "canary"\) too early/,
      ),
    ]);
    expect(diagnostics[0]!.severity).toBe("error");
  });

  it("refuses the first update with revisions of an environment deployed before them, unless it keeps the unrevisioned istiod", () => {
    const previous = previousIstioFrom({ istio: undefined, alwaysExported: [] });
    expect(previous).toEqual({ kind: "unrecorded" });
    const locate = () => ({ file: STACK_FILE, line: 1, column: 1 });
    expect(checkIstioSteps({ plan: plan(PROD), previous, locate }).map((d) => [d.severity, d.path, d.message])).toEqual([
      [
        "error",
        "fleetgate:mesh.istio",
        expect.stringMatching(
          /^the previous deployment was made before Fleetgate installed Istio by revision: the gateways of "gke-asia", "gke-eu", "gke-us" run on its unrevisioned istiod release, .* set keepUnrevisionedIstiod: true .* \[istio\.control-plane-in-use\]\.$/,
        ),
      ],
    ]);
    const keeping = PROD.replace("    istio:\n", "    istio:\n      keepUnrevisionedIstiod: true\n");
    expect(keeping).not.toBe(PROD);
    expect(checkIstioSteps({ plan: plan(keeping), previous, locate })).toEqual([]);
  });

  it("refuses keeping an unrevisioned istiod in an environment's first deployment, which would install one", () => {
    const keeping = PROD.replace("    istio:\n", "    istio:\n      keepUnrevisionedIstiod: true\n");
    const diagnostics = checkIstioSteps({ plan: plan(keeping), previous: { kind: "none" }, locate: () => ({ file: STACK_FILE, line: 1, column: 1 }) });
    expect(diagnostics.map((d) => [d.severity, d.path])).toEqual([["error", "fleetgate:mesh.istio.keepUnrevisionedIstiod"]]);
    expect(diagnostics[0]!.message).toContain("first deployment, so there is none to keep");
  });

  it("warns at fleetgate:mesh.istio, and checks nothing, when the previous record cannot be read", () => {
    const previous = previousIstioFrom({ istio: { version: 2 }, alwaysExported: [] });
    const diagnostics = checkIstioSteps({ plan: plan(PROD), previous, locate: () => ({ file: STACK_FILE, line: 1, column: 1 }) });
    expect(diagnostics.map((d) => [d.severity, d.path, d.message])).toEqual([
      [
        "warning",
        "fleetgate:mesh.istio",
        expect.stringMatching(
          /^the previous deployment's Istio record \(the stack output "istio"\) cannot be read \(version: .*\), so the Istio upgrade guard had nothing to check/,
        ),
      ],
    ]);
  });

  it("tells a stack deployed without an Istio record from one never deployed, and says why a record cannot be read", () => {
    expect(previousIstioFrom({ istio: undefined, alwaysExported: undefined })).toEqual({ kind: "none" });
    expect(previousIstioFrom({ istio: undefined, alwaysExported: [] })).toEqual({ kind: "unrecorded" });
    expect(previousIstioFrom({ istio: { version: 1, clusters: { a: { revisions: [], serving: "1.28" } } }, alwaysExported: [] })).toMatchObject({
      kind: "unreadable",
      reason: expect.stringContaining("clusters.a.serving"),
    });
  });
});
