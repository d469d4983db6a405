/**
 * `npm run fields`: writes docs/gke-fields.md, the table of every GKE field and annotation and what
 * Fleetgate does with it (spec/field-handling.ts). A test fails when the committed file is stale.
 */
import { FIELDS_DOC, fieldsTable } from "../spec/field-table";
import { runGeneratedDoc } from "./lib/generated-doc";

runGeneratedDoc({ script: "fields", file: FIELDS_DOC, source: "spec/field-handling.ts", render: fieldsTable }, process.argv.slice(2));
