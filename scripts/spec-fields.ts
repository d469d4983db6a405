/**
 * `npm run spec-fields`: writes docs/spec-fields.md, the field-by-field reference of the spec, from the
 * same zod schemas (through spec/json-schema.ts) as schemas/. A test fails when the committed file is stale.
 */
import { SPEC_FIELDS_DOC, specFieldsDoc } from "../spec/spec-reference";
import { runGeneratedDoc } from "./lib/generated-doc";

runGeneratedDoc(
  { script: "spec-fields", file: SPEC_FIELDS_DOC, source: "spec/schema/ (the JSON Schemas of schemas/)", render: () => specFieldsDoc() },
  process.argv.slice(2),
);
