/**
 * The command behind every generated table in docs/ (`npm run contracts`, `npm run fields`): write the
 * file, or with `--check` only say whether the committed one is up to date.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

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
  const usage = `usage: npm run ${doc.script} [-- --check]\n  writes ${doc.file} from ${doc.source}; --check only says whether it is up to date (exit 1 if not)`;
  let check: boolean | undefined;
  try {
    const { values } = parseArgs({ args: [...args], options: { check: { type: "boolean" }, help: { type: "boolean", short: "h" } }, strict: true });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    check = values.check;
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
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
