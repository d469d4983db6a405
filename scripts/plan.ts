/**
 * The offline plan: `npm run plan -- --stack <env> [--json <file>]`.
 * Validates the environment's spec (printing every error with file:line:column), then runs the real
 * program entry under the mock engine with the stack's configuration and prints the resource tree and
 * counts by type. `--json` writes the plan as stable JSON for pull-request diffs. Exits 1 on invalid input.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatDiagnostic, planEnvironment, repositoryNeighbours, stackConfigFromFile } from "../spec";
import { readEnvironmentFiles, stackEnvironments, stackFilePath } from "../spec/read-files";
import { PROJECT_ROOT, runProgramOffline } from "../offline/run-offline";
import { planDocument, renderClusters, renderCounts, renderTree, stableJson } from "../offline/render";

function usage(message: string): never {
  console.error(`${message}\nusage: npm run plan -- --stack <env> [--json <file>] [--root <dir>]`);
  process.exit(2);
}

async function main(argv: string[]): Promise<number> {
  let values: { stack?: string; json?: string; root?: string };
  try {
    // --root points at another project root's stacks/ (used by tests); the program is always this one.
    ({ values } = parseArgs({ args: argv, options: { stack: { type: "string" }, json: { type: "string" }, root: { type: "string" } }, strict: true }));
  } catch (error) {
    usage((error as Error).message);
  }
  const root = values.root ?? PROJECT_ROOT;
  const stack = values.stack ?? usage(`--stack is required; the stacks are ${stackEnvironments(root).join(", ")}`);
  const jsonFile = values.json;

  let stackText: string;
  try {
    stackText = readFileSync(join(root, stackFilePath(stack)), "utf8");
  } catch {
    console.error(`${stackFilePath(stack)}: there is no stack file for "${stack}"; create it or pick one of ${stackEnvironments(root).join(", ")}.`);
    return 1;
  }
  const neighbours = repositoryNeighbours(root, stack, planEnvironment);
  const result = planEnvironment({ environment: stack, stack: stackConfigFromFile(stackFilePath(stack), stackText), files: readEnvironmentFiles(root, stack), neighbours });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  for (const d of result.diagnostics) console.error(formatDiagnostic(d));
  if (!result.plan) {
    console.error(`\n${errors.length} error${errors.length === 1 ? "" : "s"}: the spec of "${stack}" is invalid; nothing would be deployed.`);
    return 1;
  }

  const run = await runProgramOffline({ stack, root });
  if (run.exitCode !== 0) {
    console.error(run.stderr.trim());
    console.error(`\nthe program failed under the offline engine (exit ${run.exitCode}).`);
    return 1;
  }
  // The pull-request workflow plans base and head with one random key per run (see pull-request.yml).
  const plan = planDocument("fleetgate", stack, run.resources, process.env.FLEETGATE_SECRET_FINGERPRINT_KEY || undefined);
  console.log(`Fleetgate offline plan of stack "${stack}": ${plan.resources.length} resources, ${result.diagnostics.length} warning${result.diagnostics.length === 1 ? "" : "s"}.\n`);
  console.log(renderClusters(result.plan));
  console.log(renderTree(plan));
  console.log(`\nResources by type:\n${renderCounts(plan)}`);
  if (jsonFile) {
    writeFileSync(jsonFile, stableJson(plan));
    console.log(`\nWrote ${jsonFile}.`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
