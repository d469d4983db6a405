/**
 * The spec pipeline in one call: stack configuration and documents in; a FleetPlan (or the reasons there
 * is none) out. Pure and synchronous: file reading happens in the caller.
 */
import { hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics";
import { loadDocuments, type LoadedDocuments, type SourceFile } from "./documents";
import { parseEnvironment } from "./environment";
import type { FleetPlan } from "./plan";
import { redactDiagnostics } from "./redact";
import { planLimits } from "./plan-limits";
import { resolveFleet } from "./resolve";
import { type Neighbour, sharedAuthorizations } from "./neighbours";
import type { StackConfig } from "./stack-config";
import { validateClusterList, validateFleet } from "./validate";

export interface PlanInput {
  /** The environment name: the Pulumi stack name. */
  readonly environment: string;
  readonly stack: StackConfig;
  /** The YAML files under `stacks/<environment>/`. */
  readonly files: readonly SourceFile[];
  /** The other environments of the repository, for what stacks share (spec/neighbours.ts). */
  readonly neighbours?: readonly Neighbour[];
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
  if (!environment.config || hasErrors(diagnostics)) return { diagnostics: sortDiagnostics(redactDiagnostics(diagnostics, input.stack)) };
  const plan = resolveFleet(input.environment, environment.config, loaded.documents);
  // What the whole environment adds up to, and what it shares with the repository's other stacks.
  const places = {
    host: (host: string) => hostPlace(loaded.documents, host),
    frontDoor: () => ({ ...input.stack.locate(["gcp"]), path: "fleetgate:gcp" }),
  };
  diagnostics.push(...planLimits(plan, places), ...sharedAuthorizations(plan, input.neighbours ?? [], places));
  const reported = sortDiagnostics(redactDiagnostics(diagnostics, input.stack));
  return hasErrors(diagnostics) ? { diagnostics: reported } : { plan, diagnostics: reported };
}

/** Where a host is first claimed: its first ingress rule, else its first HTTPRoute hostname. */
function hostPlace(documents: LoadedDocuments, host: string): Omit<Diagnostic, "severity" | "message"> | undefined {
  for (const loaded of documents.ingresses) {
    const index = loaded.doc.spec.template.spec.rules.findIndex((r) => r.host === host);
    if (index === -1) continue;
    const path = ["spec", "template", "spec", "rules", index, "host"];
    return { ...loaded.locate(path), path: `spec.template.spec.rules[${index}].host` };
  }
  for (const loaded of documents.httpRoutes) {
    const index = loaded.doc.spec.hostnames.indexOf(host);
    if (index !== -1) return { ...loaded.locate(["spec", "hostnames", index]), path: `spec.hostnames[${index}]` };
  }
  return undefined;
}

export type { FleetPlan } from "./plan";
export { type Neighbour, repositoryNeighbours } from "./neighbours";
export { formatDiagnostic, InvalidSpecError, type Diagnostic } from "./diagnostics";
export type { SourceFile } from "./documents";
export { stackConfigFromEngine, stackConfigFromFile, type StackConfig } from "./stack-config";
