/**
 * The offline plan: `npm run plan -- --stack <env> [--json <file>] [--preview] [--quiet]`.
 * Validates the environment's spec (printing every error with file:line:column), then runs the real
 * program entry with the stack's configuration as a simulated first `pulumi up` (offline/simulation:
 * the clouds and controllers acting as documented, on a virtual clock), and prints the resource tree,
 * the counts by type and the update's simulated wall time and critical path in one line. The update
 * registers exactly what a preview does, in about the same time; `--preview` runs a preview alone.
 * `--json` writes the plan as stable JSON for pull-request diffs. Exits 1 on invalid input, or where a
 * simulated provider refuses what the program asks or it leaves traffic facing something not ready.
 * On a terminal, stderr shows the phase and counts while it runs (offline/progress.ts; the count of
 * resources is of registrations answered and asked for so far); `--quiet`, or stderr not a terminal, none.
 */
// First: starts the program's process while this one loads (offline/warm-start.ts).
import "../offline/warm-start";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { readEnvironmentFiles, readStackFile, stackEnvironments, stackFilePath } from "../spec/read-files";
import { stackConfigFromSource } from "../spec/stack-config";
import type * as Spec from "../spec";
import type * as RunOffline from "../offline/run-offline";
import type * as Report from "../offline/simulation/report";
import type * as Simulation from "../offline/simulation/run";
import type * as Render from "../offline/render";
import { parseCommand } from "./lib/cli";
import { runMain } from "./lib/run-main";
import { createProgress } from "../offline/progress";

const USAGE = `Usage: npm run plan -- --stack <env> [--json <file>] [--preview] [--root <dir>]
  Validates the stack's spec (every error with file:line:column), then runs the program offline as a
  simulated first pulumi up and prints the resource tree, the counts by type and the simulated wall time.
  --stack <env>    the stack (stacks/Pulumi.<env>.yaml)
  --json <file>    also write the plan as stable JSON (for npm run plan:diff)
  --preview        run a preview alone, without the simulated pulumi up
  --root <dir>     the project root whose stacks/ to read (default: this repository; the program is always this one)
  --quiet          no progress line (it is shown only when stderr is a terminal)
  --help, -h       this text
  Exits 1 on an invalid spec, or when the simulated up is refused or leaves traffic facing something not ready.`;

async function main(argv: string[]): Promise<number> {
  // --root points at another project root's stacks/ (used by tests); the program is always this one.
  const { values, fail } = parseCommand(
    {
      tool: "plan",
      usage: USAGE,
      options: { stack: { type: "string" }, json: { type: "string" }, root: { type: "string" }, preview: { type: "boolean" }, quiet: { type: "boolean" } },
    },
    argv,
  );
  const root = values.root ?? join(__dirname, "..");
  const stack = values.stack ?? fail(`--stack is required; the stacks are ${stackEnvironments(root).join(", ")}`);
  const jsonFile = values.json;
  // Loaded once the command line is known good: --help and usage errors answer without them.
  const { formatDiagnostic, planEnvironment, repositoryNeighbours }: typeof Spec = require("../spec");
  const { engineConfigFromStackFile, runProgramOffline }: typeof RunOffline = require("../offline/run-offline");
  const { oneLine }: typeof Report = require("../offline/simulation/report");
  const { simulateUp }: typeof Simulation = require("../offline/simulation/run");
  const { planDocument, renderClusters, renderCounts, renderIstioWaves, renderTree, stableJson }: typeof Render = require("../offline/render");

  const stackFile = readStackFile(root, stack);
  if (!stackFile) {
    console.error(`${stackFilePath(stack)}: there is no stack file for "${stack}"; create it or pick one of ${stackEnvironments(root).join(", ")}.`);
    return 1;
  }
  // Phases and counts on stderr when it is a terminal (offline/progress.ts); nothing otherwise or with --quiet.
  const progress = createProgress(process.stderr, { quiet: values.quiet });
  progress.phase(`reading the spec of ${stack}`);
  const files = readEnvironmentFiles(root, stack);
  progress.phase(`validating ${files.length} files`);
  const neighbours = repositoryNeighbours(root, stack, planEnvironment);
  const result = planEnvironment({ environment: stack, stack: stackConfigFromSource(stackFile), files, neighbours });
  progress.end();
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  for (const d of result.diagnostics) console.error(formatDiagnostic(d));
  if (!result.plan) {
    console.error(`\n${errors.length} error${errors.length === 1 ? "" : "s"}: the spec of "${stack}" is invalid; nothing would be deployed.`);
    return 1;
  }

  progress.phase("starting the program");
  const onProgress = progress.active ? (registered: number, asked: number) => progress.count("registering resources", registered, asked) : undefined;
  const simulated = values.preview ? undefined : await simulateUp({ stack, root, onProgress });
  const run = simulated ?? (await runProgramOffline({ stack, root, onProgress }));
  progress.end();
  const report = simulated?.report;
  if (report?.failure !== undefined) {
    console.error(`${oneLine(report)}\n\nthe simulated pulumi up failed: ${report.failure}`);
    return 1;
  }
  if (run.exitCode !== 0) {
    console.error(run.stderr.trim());
    console.error(`\nthe program failed under the offline engine (exit ${run.exitCode}).`);
    return 1;
  }
  // The program's own warnings (its root of trust, checked against a previous deployment there is none of
  // offline), each one line; the spec's were printed above.
  const printed = new Set(result.diagnostics.map(formatDiagnostic));
  for (const warning of run.stderr.split("\n").flatMap((line) => line.match(/^warning: \[runtime\] (.+)$/)?.slice(1) ?? []))
    if (!printed.has(warning)) console.error(warning);
  // The pull-request workflow plans base and head with one random key per run (see pull-request.yml).
  const plan = planDocument("fleetgate", stack, [...run.resources], process.env.FLEETGATE_SECRET_FINGERPRINT_KEY || undefined);
  console.log(
    `Fleetgate offline plan of stack "${stack}": ${plan.resources.length} resources, ${result.diagnostics.length} warning${result.diagnostics.length === 1 ? "" : "s"}.\n`,
  );
  const standIns = engineConfigFromStackFile(stackFile.text).standIns ?? [];
  if (standIns.length > 0)
    console.log(
      `Encrypted values planned with stand-ins (this machine has not the stack's key; a real preview reads the values themselves):\n${standIns.map((s) => `  ${s.path}: ${s.description}`).join("\n")}\n`,
    );
  console.log(renderClusters(result.plan));
  const waves = renderIstioWaves(result.plan);
  if (waves) console.log(waves);
  console.log(renderTree(plan));
  console.log(`\nResources by type:\n${renderCounts(plan)}`);
  if (jsonFile) {
    progress.phase(`writing ${jsonFile}`);
    writeFileSync(jsonFile, stableJson(plan));
    progress.end();
    console.log(`\nWrote ${jsonFile}.`);
  }
  if (report) {
    console.log(`\n${oneLine(report)}`);
    if (report.violations.length > 0) {
      console.error(
        `\nThe simulated pulumi up left ${report.violations.length} problem(s) outside Pulumi's view:\n${report.violations.map((v) => `- ${v}`).join("\n")}`,
      );
      return 1;
    }
  }
  return 0;
}

runMain(main);
