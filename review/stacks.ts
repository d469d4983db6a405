/**
 * Which stacks a change concerns, and which stacks are production: the decisions the workflows make,
 * as pure functions over file names, so they are tested here rather than discovered in CI.
 */

/**
 * Files of the program itself: a change to any of them can change what every stack registers, so every
 * stack is planned. (`offline/` changes what the offline plan shows, not what is deployed, but a reviewer
 * still wants to see that effect; `policies/` changes what gates every stack's preview and up, so every
 * stack's preview runs the new pack.)
 */
const PROGRAM_FILES = [/^index\.ts$/, /^Pulumi\.yaml$/, /^package(-lock)?\.json$/, /^tsconfig\.json$/, /^components\//, /^spec\//, /^offline\//, /^policies\//];

/**
 * The stacks to plan for a change: those whose stack file (`stacks/Pulumi.<env>.yaml`) or documents
 * (`stacks/<env>/**`) changed, including stacks the change deletes, or every known stack when the
 * program changed. Sorted.
 */
export function touchedStacks(changedFiles: readonly string[], knownStacks: readonly string[]): string[] {
  const touched = new Set<string>();
  for (const file of changedFiles.map((f) => f.trim()).filter((f) => f !== "")) {
    const stackFile = /^stacks\/Pulumi\.([^/]+)\.yaml$/.exec(file);
    const document = /^stacks\/([^/]+)\/.+/.exec(file);
    if (stackFile) touched.add(stackFile[1]!);
    else if (document) touched.add(document[1]!);
    else if (PROGRAM_FILES.some((p) => p.test(file))) knownStacks.forEach((s) => touched.add(s));
  }
  return [...touched].sort();
}

/**
 * Production stacks deploy only after a reviewer approves (their GitHub environment requires it):
 * any stack whose name has `prod` or `production` as a dash-separated word (`prod`, `aws-prod`,
 * `prod-eu`, `production`).
 */
export function isProduction(stack: string): boolean {
  return stack.split("-").some((word) => word === "prod" || word === "production");
}

/** The stacks of a deployment in the order the workflow runs them: the others first, then production. */
export function deploymentWaves(stacks: readonly string[]): { readonly others: string[]; readonly production: string[] } {
  const sorted = [...stacks].sort();
  return { others: sorted.filter((s) => !isProduction(s)), production: sorted.filter(isProduction) };
}
