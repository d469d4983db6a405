/**
 * `npm run conformance`: writes docs/conformance.md, the table of the Gateway API conformance cases and
 * what each front door does with them (test/conformance/cases/). A test fails when the file is stale.
 */
import { CONFORMANCE_DOC, conformanceTable } from "../test/conformance/report";
import { runGeneratedDoc } from "./lib/generated-doc";

runGeneratedDoc({ script: "conformance", file: CONFORMANCE_DOC, source: "test/conformance/cases/", render: () => conformanceTable() }, process.argv.slice(2));
