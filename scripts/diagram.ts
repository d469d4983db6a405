/**
 * The picture of an environment: `npm run diagram -- --stack <env> [--out <file.md>] [--fleet-json <file>]
 * [--root <dir>]` validates the stack's spec and prints (or writes) its FleetPlan as a Mermaid flowchart
 * in Markdown; `--fleet-json` also writes the FleetPlan itself (for the pull-request summary by team).
 * `npm run diagram -- --docs` rewrites docs/diagrams.md with the pictures of every example stack.
 * Exits 1 on an invalid spec, with every error.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatDiagnostic, planEnvironment, type FleetPlan } from "../spec";
import { readEnvironmentFiles, readStackFile, stackEnvironments, stackFilePath } from "../spec/read-files";
import { stackConfigFromSource } from "../spec/stack-config";
import { PROJECT_ROOT } from "../offline/run-offline";
import { stableJson } from "../offline/render";
import { fleetDiagramMarkdown } from "../review/mermaid";
import { DIAGRAMS_FILE, diagramsDocument } from "../review/diagrams-doc";

function fleetPlanOf(root: string, environment: string): FleetPlan | undefined {
  const stackFile = readStackFile(root, environment);
  if (!stackFile) {
    console.error(`${stackFilePath(environment)}: there is no stack file for "${environment}"; create it or pick an existing stack.`);
    return undefined;
  }
  const result = planEnvironment({ environment, stack: stackConfigFromSource(stackFile), files: readEnvironmentFiles(root, environment) });
  for (const d of result.diagnostics) console.error(formatDiagnostic(d));
  if (!result.plan) console.error(`the spec of "${environment}" is invalid; there is nothing to draw.`);
  return result.plan;
}

function main(argv: readonly string[]): number {
  const option = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i === -1 ? undefined : argv[i + 1];
  };
  const root = option("root") ?? PROJECT_ROOT;
  if (argv.includes("--docs")) {
    const plans = stackEnvironments(root).map((environment) => fleetPlanOf(root, environment));
    if (plans.some((p) => p === undefined)) return 1;
    writeFileSync(join(root, DIAGRAMS_FILE), diagramsDocument(plans as FleetPlan[]));
    console.log(`Wrote ${DIAGRAMS_FILE}.`);
    return 0;
  }
  const stack = option("stack");
  if (!stack) {
    console.error("usage: npm run diagram -- --stack <env> [--out <file.md>] [--fleet-json <file>] [--root <dir>]\n       npm run diagram -- --docs");
    return 2;
  }
  const plan = fleetPlanOf(root, stack);
  if (!plan) return 1;
  const out = option("out");
  const fleetJson = option("fleet-json");
  if (fleetJson) writeFileSync(fleetJson, stableJson(plan));
  if (out) writeFileSync(out, fleetDiagramMarkdown(plan));
  else process.stdout.write(fleetDiagramMarkdown(plan));
  return 0;
}

process.exitCode = main(process.argv.slice(2));
