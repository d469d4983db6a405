/**
 * `npm run check -- --stack <env> [--stack <env>]... | --all [--root <dir>]`: validates the stacks' spec
 * with the spec code alone (no program, no engine), for editors and pre-commit hooks. Prints every error
 * and warning on stderr as `npm run plan` does (file:line:column: path: message) and one summary line per
 * stack on stdout. Exits 1 when a stack has an error, 0 otherwise, 2 on a usage error.
 */
import { join } from "node:path";
import { stackEnvironments } from "../spec/read-files";
import type * as CheckStacks from "./lib/check-stacks";
import { formatDiagnostic } from "../spec/diagnostics";
import { parseCommand } from "./lib/cli";

const USAGE = `Usage: npm run check -- --stack <env> [--stack <env>]... [--root <dir>]
       npm run check -- --all [--root <dir>]
  Validates the stacks' spec as npm run plan does before it runs the program, without the program or the
  engine (well under a second for a stack): every error and warning on stderr (file:line:column: path:
  message), one summary line per stack on stdout. Exits 1 when a stack has an error.
  --stack, -s <env>   a stack (stacks/Pulumi.<env>.yaml); give it again for more
  --all               every stack under stacks/
  --root <dir>        the project root whose stacks/ to read (default: this repository)
  --help, -h          this text`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function main(argv: string[]): number {
  const { values, fail } = parseCommand(
    { tool: "check", usage: USAGE, options: { stack: { type: "string", short: "s", multiple: true }, all: { type: "boolean" }, root: { type: "string" } } },
    argv,
  );
  const root = values.root ?? join(__dirname, "..");
  let known: string[];
  try {
    known = stackEnvironments(root);
  } catch {
    return fail(`${root} has no stacks/ folder`);
  }
  if (values.all && values.stack) fail("give --stack or --all, not both");
  const stacks = values.all ? known : [...new Set(values.stack ?? fail(`name a stack with --stack, or --all; the stacks are ${known.join(", ")}`))];
  // Loaded once the command line is known good: --help and usage errors answer without them.
  const { checkStacks }: typeof CheckStacks = require("./lib/check-stacks");
  let failed = 0;
  for (const result of checkStacks(root, stacks)) {
    for (const d of result.diagnostics) console.error(formatDiagnostic(d));
    const errors = result.diagnostics.filter((d) => d.severity === "error").length;
    const warnings = result.diagnostics.length - errors;
    if (!result.valid) failed++;
    console.log(
      result.valid
        ? `${result.stack}: valid, ${plural(warnings, "warning")}`
        : `${result.stack}: invalid, ${plural(errors, "error")} and ${plural(warnings, "warning")}`,
    );
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
