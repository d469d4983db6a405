/**
 * `npm run conformance`: writes docs/conformance.md, the table of the Gateway API conformance cases and
 * what each front door does with them (test/conformance/cases/). It lives under test/ with the cases it
 * reads, since no program code may import from test/. conformance.test.ts fails when the file is stale.
 */
import { runGeneratedDoc } from "../../scripts/lib/generated-doc";
import { CONFORMANCE_DOC, conformanceTable } from "./report";

runGeneratedDoc({ script: "conformance", file: CONFORMANCE_DOC, source: "test/conformance/cases/", render: () => conformanceTable() }, process.argv.slice(2));
