/**
 * The spec pipeline in one call: stack configuration and documents in; a FleetPlan (or the reasons there
 * is none) out. Pure and synchronous: file reading happens in the caller.
 */
import { hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics";
import { loadDocuments, type SourceFile } from "./documents";
import { parseEnvironment } from "./environment";
import type { FleetPlan } from "./plan";
import { redactDiagnostics } from "./redact";
import { resolveFleet } from "./resolve";
import type { StackConfig } from "./stack-config";
import { validateClusterList, validateFleet } from "./validate";

export interface PlanInput {
  /** The environment name: the Pulumi stack name. */
  readonly environment: string;
  readonly stack: StackConfig;
  /** The YAML files under `stacks/<environment>/`. */
  readonly files: readonly SourceFile[];
}

export interface PlanResult {
  /** Present only when there are no errors. */
  readonly plan?: FleetPlan;
  /** Every error and warning of the run, sorted by place. */
  readonly diagnostics: readonly Diagnostic[];
}

export function planEnvironment(input: PlanInput): PlanResult {
  const environment = parseEnvironment(input.stack);
  const loaded = loadDocuments(input.environment, input.files);
  const diagnostics = [...environment.diagnostics, ...loaded.diagnostics];
  // Cross-document checks need a well-formed environment; documents that failed their schema are left
  // out of them (and references to those are not reported again). Where only other settings failed, the
  // cluster list still gets its own checks.
  if (environment.config)
    diagnostics.push(...validateFleet({ environment: input.environment, config: environment.config, stack: input.stack, documents: loaded.documents }));
  else if (environment.clusters) diagnostics.push(...validateClusterList(input.stack, environment.clusters));
  const reported = sortDiagnostics(redactDiagnostics(diagnostics, input.stack));
  if (!environment.config || hasErrors(diagnostics)) return { diagnostics: reported };
  return { plan: resolveFleet(input.environment, environment.config, loaded.documents), diagnostics: reported };
}

export type { FleetPlan } from "./plan";
export { formatDiagnostic, InvalidSpecError, type Diagnostic } from "./diagnostics";
export type { SourceFile } from "./documents";
export { stackConfigFromEngine, stackConfigFromFile, type StackConfig } from "./stack-config";
