/**
 * The command behind every generated table in docs/ (`npm run contracts`, `npm run fields`): write the
 * file, or with `--check` only say whether the committed one is up to date.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCommand } from "./cli";

export interface GeneratedDoc {
  /** The npm script's name. */
  readonly script: string;
  /** The file, relative to the repository root. */
  readonly file: string;
  /** What it is generated from, for the usage line. */
  readonly source: string;
  readonly render: () => string;
}

export function runGeneratedDoc(doc: GeneratedDoc, args: readonly string[]): never {
  const usage = `Usage: npm run ${doc.script} [-- --check]\n  Writes ${doc.file} from ${doc.source}; --check only says whether it is up to date (exit 1 if not).\n  --check      compare, do not write\n  --help, -h   this text`;
  const check = parseCommand({ tool: doc.script, usage, options: { check: { type: "boolean" } } }, args).values.check;
  const path = join(__dirname, "..", "..", doc.file);
  const text = doc.render();
  if (!check) {
    writeFileSync(path, text);
    console.log(`wrote ${doc.file}`);
    process.exit(0);
  }
  if (currentText(path) !== text) {
    console.error(`${doc.file} is stale; run npm run ${doc.script}`);
    process.exit(1);
  }
  console.log(`${doc.file} is up to date`);
  process.exit(0);
}

function currentText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
