/**
 * What `npm run route` and `npm run routes` share: reading a stack's spec (its FleetPlan, for owners)
 * and running the program offline for its registered inputs, which the route model evaluates.
 */
import { formatDiagnostic, planEnvironment, repositoryNeighbours } from "../../spec";
import type { FleetPlan } from "../../spec/plan";
import { readEnvironmentFiles, readStackFile, stackEnvironments, stackFilePath } from "../../spec/read-files";
import { stackConfigFromSource } from "../../spec/stack-config";
import { PROJECT_ROOT, runProgramOffline } from "../../offline/run-offline";
import { readRoutingConfig, type RoutingConfig } from "../../review/route-model/config";

/** A message on stderr when a person watches (a terminal), never in pipes or tests. */
export function progress(message: string): void {
  if (process.stderr.isTTY) process.stderr.write(`${message}\n`);
}

export type LoadedStack = { readonly config: RoutingConfig; readonly plan: FleetPlan } | { readonly error: string };

export async function loadRoutingStack(stack: string, root = PROJECT_ROOT): Promise<LoadedStack> {
  const stackFile = readStackFile(root, stack);
  if (!stackFile) return { error: `${stackFilePath(stack)}: there is no stack file for "${stack}"; pick one of ${stackEnvironments(root).join(", ")}.` };
  progress(`reading the spec of ${stack}…`);
  const neighbours = repositoryNeighbours(root, stack, planEnvironment);
  const result = planEnvironment({ environment: stack, stack: stackConfigFromSource(stackFile), files: readEnvironmentFiles(root, stack), neighbours });
  if (!result.plan)
    return {
      error: `${result.diagnostics
        .filter((d) => d.severity === "error")
        .map(formatDiagnostic)
        .join("\n")}\nthe spec of "${stack}" is invalid; fix it first (npm run plan -- --stack ${stack}).`,
    };
  progress(`running the program offline for ${stack} (a few seconds)…`);
  const run = await runProgramOffline({ stack, root });
  if (run.exitCode !== 0)
    return { error: `${run.stderr.trim()}\nthe program failed under the offline engine (exit ${run.exitCode}); see npm run plan -- --stack ${stack}.` };
  return { config: readRoutingConfig(stack, run.resources), plan: result.plan };
}
