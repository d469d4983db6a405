/**
 * `npm run contracts`: writes docs/contracts.md, the table of every contract of the boundary (contracts/).
 * A test fails when the committed file is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CONTRACTS_DOC, contractsTable } from "../contracts/table";

const usage = "usage: npm run contracts [-- --check]\n  writes docs/contracts.md from contracts/; --check only says whether it is up to date (exit 1 if not)";
try {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { check: { type: "boolean" }, help: { type: "boolean", short: "h" } }, strict: true });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const path = join(__dirname, "..", CONTRACTS_DOC);
  const text = contractsTable();
  if (values.check) {
    const current = (() => {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return "";
      }
    })();
    if (current !== text) {
      console.error(`${CONTRACTS_DOC} is stale; run npm run contracts`);
      process.exit(1);
    }
    console.log(`${CONTRACTS_DOC} is up to date`);
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${CONTRACTS_DOC}`);
  }
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
