/**
 * `npm run schema`: writes the JSON Schemas of the spec to schemas/ (see spec/json-schema.ts).
 * A test fails when the committed files are stale.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type * as JsonSchema from "../spec/json-schema";
import { parseCommand } from "./lib/cli";

const USAGE = `Usage: npm run schema
  Writes the JSON Schemas of the spec to schemas/ from the zod schemas in spec/schema/
  (a test fails when the committed files are stale).
  --help, -h   this text`;

parseCommand({ tool: "schema", usage: USAGE, options: {} }, process.argv.slice(2));
const { generatedSchemas }: typeof JsonSchema = require("../spec/json-schema");
const root = join(__dirname, "..");
for (const [path, text] of Object.entries(generatedSchemas())) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
  console.log(`wrote ${path}`);
}
