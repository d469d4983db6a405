/**
 * Stack lists for the workflows, as JSON on one line (for `$GITHUB_OUTPUT`):
 * - `git diff --name-only <base>...HEAD | npm run --silent stacks -- touched` prints
 *   `{"touched":[...],"existing":[...]}`: the stacks the change concerns, and those of them that still
 *   have a stack file (a deleted stack has a plan diff but no preview).
 * - `npm run --silent stacks -- waves` prints `{"others":[...],"production":[...]}` for deployment.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../offline/run-offline";
import { stackEnvironments } from "../spec/read-files";
import { deploymentWaves, touchedStacks } from "../review/stacks";

const known = stackEnvironments(PROJECT_ROOT);
const command = process.argv[2];
if (command === "touched") {
  const touched = touchedStacks(readFileSync(0, "utf8").split("\n"), known);
  const existing = touched.filter((s) => existsSync(join(PROJECT_ROOT, "stacks", `Pulumi.${s}.yaml`)));
  console.log(JSON.stringify({ touched, existing }));
} else if (command === "waves") {
  console.log(JSON.stringify(deploymentWaves(known)));
} else {
  console.error("usage: git diff --name-only <base>...HEAD | npm run --silent stacks -- touched\n       npm run --silent stacks -- waves");
  process.exitCode = 2;
}
