/**
 * The stack decisions the workflows make, as a command: each prints one line of JSON on stdout (for
 * `$GITHUB_OUTPUT`) and its problems on stderr as GitHub annotations. The decisions themselves are in
 * review/stacks.ts, review/spec-change.ts, review/spec-overlay.ts and review/production.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../spec/diagnostics";
import { stackEnvironments } from "../spec/read-files";
import { PRODUCTION_FILE, readProductionList, undeclaredLookalikes } from "../review/production";
import { classifyChange } from "../review/spec-change";
import { fileState, folderReader, overlaySpec } from "../review/spec-overlay";
import { deploymentWaves, touchedStacks } from "../review/stacks";
import { parseCommand, usageError } from "./lib/cli";

const USAGE = `Usage: npm run --silent stacks -- <command> [options]

commands:
  touched    the stacks a change touches, from the changed paths on stdin (one a line):
             {"touched":[...],"existing":[...]} ("existing": those that still have a stack file)
  waves      the stacks in deployment order, production (${PRODUCTION_FILE}) last:
             {"others":[...],"production":[...]}; warns about undeclared stacks that look like production
  classify   --base <dir> --pr <dir> --changes <file>
             whether a pull request changes only spec data: {"kind":"none|spec|program","stacks":[...],"reasons":[...]}
             ("stacks": those to preview, with a stack file on both sides)
  classify   --paths-only --changes <file>
             the same from the paths alone: whether the pull request changes program files
  overlay    --base <dir> --pr <dir> --changes <file> [--into <dir>]
             copies the pull request's spec files (regular files only) over the base checkout, or into
             <dir>, and deletes those it deleted; refuses everything if any change is not spec data

options:
  --root <dir>      the project whose stacks touched and waves read (default: this one)
  --changes <file>  the changed paths, one a line or NUL-separated (git diff --name-only -z)
  -h, --help        this text`;

interface Options {
  readonly root?: string;
  readonly base?: string;
  readonly pr?: string;
  readonly changes?: string;
  readonly into?: string;
  readonly "paths-only"?: boolean;
  readonly help?: boolean;
}

/** Which options each command takes; any other is a usage error. */
const COMMAND_OPTIONS: Record<string, readonly (keyof Options)[]> = {
  touched: ["root"],
  waves: ["root"],
  classify: ["base", "pr", "changes", "paths-only"],
  overlay: ["base", "pr", "changes", "into"],
};

class UsageError extends Error {}

function main(argv: string[]): number {
  const { values: options, positionals } = parseCommand(
    {
      tool: "stacks",
      usage: USAGE,
      options: {
        root: { type: "string" },
        base: { type: "string" },
        pr: { type: "string" },
        changes: { type: "string" },
        into: { type: "string" },
        "paths-only": { type: "boolean" },
      },
      positionals: { min: 1, max: 1, what: "command (touched, waves, classify or overlay)" },
    },
    argv,
  );
  const command = positionals[0]!;
  const allowed = COMMAND_OPTIONS[command];
  if (!allowed) usageError("stacks", `"${command}" is not a command; the commands are ${Object.keys(COMMAND_OPTIONS).join(", ")}`);
  const stray = (Object.keys(options) as (keyof Options)[]).filter((o) => o !== "help" && !allowed.includes(o));
  if (stray.length > 0) usageError("stacks", `${command} does not take --${stray.join(", --")}`);
  try {
    if (command === "touched") return touched(options.root ?? join(__dirname, ".."));
    if (command === "waves") return waves(options.root ?? join(__dirname, ".."));
    if (command === "classify") return classify(options);
    return overlay(options);
  } catch (error) {
    if (error instanceof UsageError) usageError("stacks", error.message);
    throw error;
  }
}

function touched(root: string): number {
  const list = touchedStacks(readFileSync(0, "utf8").split("\n"), stackEnvironments(root));
  const existing = list.filter((s) => existsSync(join(root, "stacks", `Pulumi.${s}.yaml`)));
  console.log(JSON.stringify({ touched: list, existing }));
  return 0;
}

function waves(root: string): number {
  const known = stackEnvironments(root);
  const file = join(root, PRODUCTION_FILE);
  const list = readProductionList(existsSync(file) ? readFileSync(file, "utf8") : undefined, known);
  const diagnostics = [...list.diagnostics, ...undeclaredLookalikes(known, list.stacks)];
  for (const d of diagnostics) console.error(annotation(d));
  if (diagnostics.some((d) => d.severity === "error")) return 1;
  console.log(JSON.stringify(deploymentWaves(known, list.stacks)));
  return 0;
}

function classify(options: Options): number {
  const changed = readChanges(required(options, "changes"));
  if (options["paths-only"]) {
    if (options.base !== undefined || options.pr !== undefined) throw new UsageError("classify --paths-only reads no folders; leave out --base and --pr");
    const { kind, reasons } = classifyChange({ changed, knownStacks: [] });
    console.log(JSON.stringify({ kind, stacks: [], reasons }));
    return 0;
  }
  const base = required(options, "base");
  const pr = required(options, "pr");
  const knownStacks = stackEnvironments(base);
  const result = classifyChange({ changed, knownStacks, read: folderReader(base, pr) });
  console.log(JSON.stringify({ ...result, stacks: result.stacks.filter((s) => hasStackFile(base, s) && hasStackFile(pr, s)) }));
  return 0;
}

function overlay(options: Options): number {
  const base = required(options, "base");
  const result = overlaySpec({
    base,
    head: required(options, "pr"),
    changed: readChanges(required(options, "changes")),
    ...(options.into ? { into: options.into } : {}),
    knownStacks: stackEnvironments(base),
  });
  if (result.refused.length > 0) {
    for (const reason of result.refused) console.error(`::error::${escapeData(reason)}`);
    console.error(`::error::The pull request's files were not laid over the base branch: the change is not spec data only.`);
    return 1;
  }
  console.log(JSON.stringify({ copied: result.copied, removed: result.removed }));
  return 0;
}

function required(options: Options, name: "base" | "pr" | "changes"): string {
  const value = options[name];
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

/** Changed paths, NUL-separated (as `git diff -z` writes them, safe for any file name) or one a line. */
function readChanges(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return text.split(text.includes("\0") ? "\0" : "\n").filter((p) => p !== "");
}

function hasStackFile(root: string, stack: string): boolean {
  return fileState(root, `stacks/Pulumi.${stack}.yaml`).type === "file";
}

/** A diagnostic as a GitHub workflow command, so the run shows it at its file and line. */
function annotation(d: Diagnostic): string {
  const place = [`file=${escapeProperty(d.file)}`, ...(d.line === undefined ? [] : [`line=${d.line}`, `col=${d.column ?? 1}`])].join(",");
  return `::${d.severity} ${place}::${escapeData(d.path === "" ? d.message : `${d.path}: ${d.message}`)}`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

process.exitCode = main(process.argv.slice(2));
