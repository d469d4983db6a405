/**
 * The migration from GKE Multi Cluster Ingress in one call: a dump and the environment's stack file and
 * folder in; the files to write, the admin settings to add, the validator's answers on the result (with
 * those settings applied) and the report of what changes against GKE out. Pure: scripts/import.ts reads
 * and writes.
 */
import { planEnvironment, type Neighbour, type PlanResult, type SourceFile } from "../spec";
import { stackConfigFromFile } from "../spec/stack-config";
import { adminFragment, adminSettings, applyFragment, CATCH_ALL_KEY_KNOWN, ingressFacts, type AdminSettings } from "./admin-settings";
import { planImport, type ImportPlan } from "./import";
import { behaviourChanges, type BehaviourChange } from "./report";

export interface MigrationInput {
  readonly environment: string;
  readonly inputName: string;
  readonly text: string;
  readonly stack: SourceFile;
  /** The files under stacks/<env>/ now. */
  readonly files: readonly SourceFile[];
  readonly force: boolean;
  readonly namespace?: string;
  readonly neighbours?: readonly Neighbour[];
}

export interface Migration {
  readonly plan: ImportPlan;
  readonly settings?: AdminSettings;
  /** The YAML fragment to add under `config:` (empty: nothing to add). */
  readonly fragment: string;
  /** The validator's answers on the folder as it will be, with the fragment applied to the stack file. */
  readonly validation?: PlanResult;
  readonly changes: readonly BehaviourChange[];
}

export function migrate(input: MigrationInput): Migration {
  const plan = planImport({ environment: input.environment, inputName: input.inputName, text: input.text, existing: new Set(input.files.map((f) => f.path)), force: input.force, ...(input.namespace !== undefined ? { namespace: input.namespace } : {}) });
  if (plan.refusals.length > 0) return { plan, fragment: "", changes: [] };

  const stack = stackConfigFromFile(input.stack.path, input.stack.text);
  const ingresses = plan.objects.filter((o) => o.kind === "MultiClusterIngress").map(ingressFacts);
  const settings = adminSettings(ingresses, stack.values);
  const fragment = adminFragment(settings);
  const merged = stackConfigFromFile(input.stack.path, applyFragment(input.stack.text, fragment));
  const written = new Set(plan.objects.map((o) => o.path));
  const files = [...input.files.filter((f) => !written.has(f.path)), ...plan.objects.map((o) => ({ path: o.path, text: o.text }))];
  const validation = planEnvironment({ environment: input.environment, stack: merged, files, ...(input.neighbours ? { neighbours: input.neighbours } : {}) });
  const granted = (merged.values.catchAll as { namespace?: unknown } | undefined)?.namespace;
  const frontDoor = stack.values.frontDoor === "aws" ? "aws" : stack.values.frontDoor === "gcp" ? "gcp" : undefined;
  const changes = behaviourChanges({
    environment: input.environment,
    frontDoor,
    ingresses,
    settings,
    ...(CATCH_ALL_KEY_KNOWN && typeof granted === "string" ? { catchAllServed: granted } : {}),
    diagnostics: validation.diagnostics,
    objectNotes: plan.objects.flatMap((o) => o.notes.map((n) => `${o.kind} ${o.namespace}/${o.name}: ${n}`)),
  });
  return { plan, settings, fragment, validation, changes };
}
