/**
 * What `npm run check` does for each stack: the spec pipeline alone (spec/: read the files, validate,
 * resolve, plan the limits and what the stack shares with its neighbours), no program and no engine, so
 * it answers in well under a second for an editor or a pre-commit hook. It reports exactly the
 * diagnostics `npm run plan` prints before it runs the program. Nothing here may import @pulumi
 * (test/scripts/check.test.ts walks the imports).
 */
import { planEnvironment, repositoryNeighbours, type Diagnostic } from "../../spec";
import { readEnvironmentFiles, readStackFile, stackEnvironments, stackFilePath } from "../../spec/read-files";
import { stackConfigFromSource } from "../../spec/stack-config";

export interface StackCheck {
  readonly stack: string;
  /** Every error and warning, in the order plan prints them; a missing stack file is one error. */
  readonly diagnostics: readonly Diagnostic[];
  /** Whether the spec plans (no error). */
  readonly valid: boolean;
}

/** Checks each stack; a stack planned as another's neighbour is planned once for all of them. */
export function checkStacks(root: string, stacks: readonly string[]): StackCheck[] {
  const asNeighbour = new Map<string, ReturnType<typeof planEnvironment>>();
  const planNeighbour: Parameters<typeof repositoryNeighbours>[2] = (input) => {
    let result = asNeighbour.get(input.environment);
    if (!result) asNeighbour.set(input.environment, (result = planEnvironment(input)));
    return result;
  };
  return stacks.map((stack) => {
    const stackFile = readStackFile(root, stack);
    if (!stackFile)
      return {
        stack,
        valid: false,
        diagnostics: [
          {
            file: stackFilePath(stack),
            path: "",
            severity: "error",
            message: `there is no stack file for "${stack}"; create it or pick one of ${stackEnvironments(root).join(", ")}.`,
          },
        ],
      };
    const neighbours = repositoryNeighbours(root, stack, planNeighbour);
    const result = planEnvironment({ environment: stack, stack: stackConfigFromSource(stackFile), files: readEnvironmentFiles(root, stack), neighbours });
    return { stack, valid: result.plan !== undefined, diagnostics: result.diagnostics };
  });
}
