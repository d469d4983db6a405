/**
 * The picture of an environment: `npm run diagram -- --stack <env> [--out <file.md>] [--fleet-json <file>]
 * [--root <dir>]` validates the stack's spec and prints (or writes) its FleetPlan as a Mermaid flowchart
 * in Markdown; `--fleet-json` also writes the FleetPlan itself (for the pull-request summary by team).
 * `npm run diagram -- --docs` rewrites docs/diagrams.md with the pictures of every example stack.
 * Exits 1 on an invalid spec, with every error.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type * as Spec from "../spec";
import type { FleetPlan } from "../spec";
import { readEnvironmentFiles, readStackFile, stackEnvironments, stackFilePath } from "../spec/read-files";
import { stackConfigFromSource } from "../spec/stack-config";
import type * as Render from "../offline/render";
import { fleetDiagramMarkdown } from "../review/mermaid";
import { DIAGRAMS_FILE, diagramsDocument } from "../review/diagrams-doc";
import { parseCommand } from "./lib/cli";

function fleetPlanOf(root: string, environment: string): FleetPlan | undefined {
  const { formatDiagnostic, planEnvironment }: typeof Spec = require("../spec");
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

const USAGE = `Usage: npm run diagram -- --stack <env> [--out <file.md>] [--fleet-json <file>] [--root <dir>]
       npm run diagram -- --docs [--root <dir>]
  Validates the stack's spec and prints its FleetPlan as a Mermaid flowchart in Markdown.
  --stack <env>          the stack (stacks/Pulumi.<env>.yaml)
  --out <file.md>        write the picture there instead of printing it
  --fleet-json <file>    also write the FleetPlan as JSON (for npm run plan:diff --base-fleet/--head-fleet)
  --docs                 rewrite ${DIAGRAMS_FILE} with the pictures of every stack
  --root <dir>           the project root whose stacks/ to read (default: this repository)
  --help, -h             this text
  Exits 1 on an invalid spec, with every error.`;

function main(argv: readonly string[]): number {
  const { values, fail } = parseCommand(
    {
      tool: "diagram",
      usage: USAGE,
      options: { stack: { type: "string" }, out: { type: "string" }, "fleet-json": { type: "string" }, root: { type: "string" }, docs: { type: "boolean" } },
    },
    argv,
  );
  const root = values.root ?? join(__dirname, "..");
  if (values.docs) {
    if (values.stack !== undefined || values.out !== undefined || values["fleet-json"] !== undefined)
      fail("--docs draws every stack; leave out --stack, --out and --fleet-json");
    const plans = stackEnvironments(root).map((environment) => fleetPlanOf(root, environment));
    if (plans.some((p) => p === undefined)) return 1;
    writeFileSync(join(root, DIAGRAMS_FILE), diagramsDocument(plans as FleetPlan[]));
    console.log(`Wrote ${DIAGRAMS_FILE}.`);
    return 0;
  }
  const stack = values.stack ?? fail("--stack is required (or --docs)");
  const plan = fleetPlanOf(root, stack);
  if (!plan) return 1;
  const out = values.out;
  const fleetJson = values["fleet-json"];
  if (fleetJson) writeFileSync(fleetJson, (require("../offline/render") as typeof Render).stableJson(plan));
  if (out) writeFileSync(out, fleetDiagramMarkdown(plan));
  else process.stdout.write(fleetDiagramMarkdown(plan));
  return 0;
}

process.exitCode = main(process.argv.slice(2));
