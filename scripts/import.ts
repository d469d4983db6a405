/**
 * The migration from GKE Multi Cluster Ingress: `npm run import -- --stack <env> <file | ->`.
 * Reads what `kubectl get multiclusteringress,multiclusterservice,backendconfig,frontendconfig -A -o
 * yaml` prints from a fleet's config cluster (from a file, or standard input for `-`), writes each
 * object without what the server added to `stacks/<env>/<namespace>/<kind>-<name>.yaml`, and prints the
 * settings the admin must add to the stack file (with the adoptAddresses entries that wait for a gcloud
 * look-up), the addresses to keep and the order of the cutover, and what changes against GKE,
 * with every warning and error the validator gives on the imported folder once those settings are in.
 * Exits 0 when the folder plans, 1 when the input is refused (nothing is written) or the imported folder
 * does not plan yet (the files are written; the errors say what to fix), 2 on a usage error.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type * as Spec from "../spec";
import { decodeSpecFile, readEnvironmentFiles, readStackFile, stackEnvironments, stackFilePath } from "../spec/read-files";
import type * as AdminSettings from "../migrate/admin-settings";
import type * as Migrate from "../migrate";
import type * as Report from "../migrate/report";
import { parseCommand } from "./lib/cli";

const USAGE = `Usage: npm run import -- --stack <env> [--force] [--namespace <ns>] [--root <dir>] <file | ->

Imports GKE Multi Cluster Ingress objects into stacks/<env>/<namespace>/<kind>-<name>.yaml from the
output of
  kubectl get multiclusteringress,multiclusterservice,backendconfig,frontendconfig -A -o yaml
run against the fleet's config cluster (a file, or - for standard input).

  --stack <env>       the environment to import into (its stack file must exist)
  --force             replace files that exist (the import says which it replaced)
  --namespace <ns>    namespace of objects that name none (a manifest saved by hand, not a dump)
  --root <dir>        the project root whose stacks/ to use (default: this repository)
  -h, --help          this text`;

function main(argv: string[]): number {
  const { values, positionals, fail } = parseCommand(
    {
      tool: "import",
      usage: USAGE,
      options: { stack: { type: "string" }, force: { type: "boolean" }, namespace: { type: "string" }, root: { type: "string" } },
      positionals: { min: 1, max: 1, what: "dump (a file, or - for standard input)" },
    },
    argv,
  );
  const root = values.root ?? join(__dirname, "..");
  const stack = values.stack ?? fail(`--stack is required; the stacks are ${stackEnvironments(root).join(", ")}`);
  const source = positionals[0]!;
  // Loaded once the command line is known good: --help and usage errors answer without them.
  const { formatDiagnostic, planEnvironment, repositoryNeighbours }: typeof Spec = require("../spec");
  const { CATCH_ALL_KEY_KNOWN }: typeof AdminSettings = require("../migrate/admin-settings");
  const { migrate }: typeof Migrate = require("../migrate");
  const { renderReport }: typeof Report = require("../migrate/report");

  const stackFile = readStackFile(root, stack);
  if (!stackFile || stackFile.unreadable) {
    console.error(
      `${stackFilePath(stack)}: ${stackFile?.unreadable?.message ?? `there is no stack file for "${stack}"; create it (clusters, front door, DNS zones) first, or pick one of ${stackEnvironments(root).join(", ")}.`}`,
    );
    return 1;
  }
  const inputName = source === "-" ? "standard input" : basename(source);
  let bytes: Buffer;
  try {
    bytes = readFileSync(source === "-" ? 0 : source);
  } catch (error) {
    console.error(`${source}: cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}).`);
    return 1;
  }
  const decoded = decodeSpecFile(inputName, bytes);
  if (decoded.unreadable) {
    console.error(`${inputName}: ${decoded.unreadable.message}`);
    return 1;
  }

  const existing = readEnvironmentFiles(root, stack);
  const result = migrate({
    environment: stack,
    inputName,
    text: decoded.text,
    stack: stackFile,
    files: existing,
    force: values.force ?? false,
    ...(values.namespace !== undefined ? { namespace: values.namespace } : {}),
    neighbours: repositoryNeighbours(root, stack, planEnvironment),
  });
  const { plan } = result;
  if (plan.refusals.length > 0) {
    for (const d of plan.refusals) console.error(formatDiagnostic(d));
    console.error(`\nNothing was imported: ${plan.refusals.length} problem${plan.refusals.length === 1 ? "" : "s"} above.`);
    return 1;
  }

  const replaced = new Set(plan.replaces);
  for (const object of plan.objects) {
    mkdirSync(dirname(join(root, object.path)), { recursive: true });
    writeFileSync(join(root, object.path), object.text);
  }
  console.log(`Imported ${plan.objects.length} object${plan.objects.length === 1 ? "" : "s"} from ${inputName} into stacks/${stack}/:`);
  for (const object of plan.objects) console.log(`  ${replaced.has(object.path) ? "replaced" : "wrote"} ${object.path}`);
  // A new team folder has no owner: .github/CODEOWNERS gives each folder to its team (test/review/codeowners.test.ts).
  const folders = (paths: readonly string[]) => new Set(paths.map((p) => p.split("/").slice(0, 3).join("/")));
  const known = folders(existing.map((f) => f.path));
  const newFolders = [...folders(plan.objects.map((o) => o.path))].filter((f) => !known.has(f)).sort();
  if (newFolders.length > 0)
    console.log(`\nNew team folders; give each its team in .github/CODEOWNERS:\n${newFolders.map((f) => `  /${f}/  @<team>`).join("\n")}`);
  if (plan.skipped.length > 0) console.log(`\nLeft out:\n${plan.skipped.map((s) => `  - ${s}`).join("\n")}`);

  console.log(
    result.fragment === ""
      ? `\nThe stack file ${stackFilePath(stack)} needs no new settings.`
      : `\nAdd to ${stackFilePath(stack)}, under config: (append list items to a list that is already there):\n\n${result.fragment
          .trimEnd()
          .split("\n")
          .map((l) => `    ${l}`)
          .join("\n")}`,
  );
  const indent = (text: string) =>
    text
      .trimEnd()
      .split("\n")
      .map((l) => `    ${l}`)
      .join("\n");
  if (result.lookups !== "")
    console.log(
      `\nThe dump names these addresses by one half only: run the command above each entry, put what it prints in place of the <...> placeholder, and add the entries to ${stackFilePath(stack)} the same way (the address must be in the front door's project):\n\n${indent(result.lookups)}`,
    );
  const settings = result.settings;
  if (settings?.catchAll !== undefined && !CATCH_ALL_KEY_KNOWN)
    console.log(
      `\n    fleetgate:catchAll: { namespace: ${settings.catchAll} }\n  (this Fleetgate does not read fleetgate:catchAll yet; the validation below ran without it)`,
    );

  const errors = result.validation?.diagnostics.filter((d) => d.severity === "error").length ?? 0;
  if (result.fragment !== "" && result.validation?.diagnostics.some((d) => d.file === stackFilePath(stack)))
    console.log(`\n(Places in ${stackFilePath(stack)} below are those of the file with the settings above added.)`);
  console.log(`\nWhat changes against GKE:\n\n${renderReport(result.changes)}`);
  console.log(
    errors === 0
      ? `\nstacks/${stack}/ plans with these settings${result.lookups !== "" ? " once the looked-up names and addresses are in (the check above stood in for them)" : ""}; check it with \`npm run plan -- --stack ${stack}\`.`
      : `\nstacks/${stack}/ does not plan yet: ${errors} error${errors === 1 ? "" : "s"} above; the files are written, fix them there.`,
  );
  return errors === 0 ? 0 : 1;
}

process.exit(main(process.argv.slice(2)));
