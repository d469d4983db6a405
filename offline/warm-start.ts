/**
 * Imported first by scripts/plan.ts, for what importing it does: it starts the program's process for the
 * stack on the command line (prestartProgramHost) before the plan command loads the spec's modules and
 * validates, so that the two processes overlap (about half a second of a plan). It starts nothing for a
 * command line without `--stack` or with `--help`; the plan command's own parsing still decides what runs,
 * and a started process that is never used ends with the command.
 */
import { parseArgs } from "node:util";
import { prestartProgramHost } from "./host-process";

const { values } = parseArgs({
  args: process.argv.slice(2),
  strict: false,
  options: { stack: { type: "string" }, root: { type: "string" }, help: { type: "boolean", short: "h" } },
});
if (typeof values.stack === "string" && typeof values.root !== "boolean" && values.help !== true) prestartProgramHost(values.stack, values.root);
