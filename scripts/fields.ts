/**
 * `npm run fields`: writes docs/gke-fields.md, the table of every GKE field and annotation and what Fleetgate does with it (spec/field-handling.ts).
 * A test fails when the committed file is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { FIELDS_DOC, fieldsTable } from "../spec/field-table";

const usage = "usage: npm run fields [-- --check]\n  writes docs/gke-fields.md from spec/field-handling.ts; --check only says whether it is up to date (exit 1 if not)";
try {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { check: { type: "boolean" }, help: { type: "boolean", short: "h" } }, strict: true });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const path = join(__dirname, "..", FIELDS_DOC);
  const text = fieldsTable();
  if (values.check) {
    const current = (() => {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return "";
      }
    })();
    if (current !== text) {
      console.error(`${FIELDS_DOC} is stale; run npm run fields`);
      process.exit(1);
    }
    console.log(`${FIELDS_DOC} is up to date`);
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${FIELDS_DOC}`);
  }
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
