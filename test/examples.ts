/**
 * The example stacks as tests read them: the FleetPlan of stacks/Pulumi.<env>.yaml and its documents.
 */
import { readFileSync } from "node:fs";
import { planEnvironment, stackConfigFromFile } from "../spec/index";
import type { FleetPlan } from "../spec/plan";
import { readEnvironmentFiles } from "../spec/read-files";
import { PROJECT_ROOT } from "../offline/run-offline";

export function examplePlan(environment: string): FleetPlan {
  const path = `stacks/Pulumi.${environment}.yaml`;
  const result = planEnvironment({
    environment,
    stack: stackConfigFromFile(path, readFileSync(`${PROJECT_ROOT}/${path}`, "utf8")),
    files: readEnvironmentFiles(PROJECT_ROOT, environment),
  });
  if (!result.plan) throw new Error(`example ${environment} is invalid:\n${result.diagnostics.map((d) => d.message).join("\n")}`);
  return result.plan;
}
