/**
 * Which stacks a change concerns, and in which order a deployment takes the stacks: the decisions the
 * workflows make, as pure functions, so they are tested here rather than discovered in CI.
 */
import { isInert, specPath } from "./spec-change";

/**
 * The stacks to plan for a change: those whose stack file (`stacks/Pulumi.<env>.yaml`) or documents
 * (`stacks/<env>/**`) changed, including stacks the change deletes, and every known stack when anything
 * else changed (the program, its scripts, the review code, the workflows, the production list, a folder
 * nobody has thought of yet). Only prose and tests touch nothing (see isInert). Sorted.
 */
export function touchedStacks(changedFiles: readonly string[], knownStacks: readonly string[]): string[] {
  const touched = new Set<string>();
  for (const file of changedFiles.map((f) => f.trim()).filter((f) => f !== "")) {
    const spec = specPath(file);
    if (spec) touched.add(spec.stack);
    else if (!isInert(file)) knownStacks.forEach((s) => touched.add(s));
  }
  return [...touched].sort();
}

/**
 * The stacks of a deployment in the order the workflow runs them: the others first, then the declared
 * production stacks (stacks/production.yaml), each of which waits for its environment's reviewers.
 */
export function deploymentWaves(stacks: readonly string[], production: readonly string[]): { readonly others: string[]; readonly production: string[] } {
  const sorted = [...stacks].sort();
  return { others: sorted.filter((s) => !production.includes(s)), production: sorted.filter((s) => production.includes(s)) };
}
