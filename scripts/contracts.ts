/**
 * `npm run contracts`: writes docs/contracts.md, the table of every contract of the boundary (contracts/).
 * A test fails when the committed file is stale.
 */
import { CONTRACTS_DOC, contractsTable } from "../contracts/table";
import { runGeneratedDoc } from "./lib/generated-doc";

runGeneratedDoc({ script: "contracts", file: CONTRACTS_DOC, source: "contracts/", render: contractsTable }, process.argv.slice(2));
