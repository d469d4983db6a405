/**
 * The migration from GKE Multi Cluster Ingress in one call: a dump and the environment's stack file and
 * folder in; the files to write, the admin settings to add, the validator's answers on the result (with
 * those settings applied) and the report of what changes against GKE out. Pure: scripts/import.ts reads
 * and writes.
 */
import { planEnvironment, type Neighbour, type PlanResult, type SourceFile } from "../spec";
import { stackConfigFromFile } from "../spec/stack-config";
import { adminFragment, adminSettings, applyFragment, CATCH_ALL_KEY_KNOWN, ingressFacts, lookupFragment, type AdminSettings } from "./admin-settings";
import { planImport, withStaticIp, type ImportedObject, type ImportPlan } from "./import";
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
  /** adoptAddresses entries to complete with a look-up, then add the same way (empty: none). */
  readonly lookups: string;
  /** The validator's answers on the folder as it will be, with the fragment applied to the stack file. */
  readonly validation?: PlanResult;
  readonly changes: readonly BehaviourChange[];
}

export function migrate(input: MigrationInput): Migration {
  const imported = planImport({
    environment: input.environment,
    inputName: input.inputName,
    text: input.text,
    existing: new Set(input.files.map((f) => f.path)),
    force: input.force,
    ...(input.namespace !== undefined ? { namespace: input.namespace } : {}),
  });
  if (imported.refusals.length > 0) return { plan: imported, fragment: "", lookups: "", changes: [] };

  const stack = stackConfigFromFile(input.stack.path, input.stack.text);
  const ingresses = imported.objects.filter((o) => o.kind === "MultiClusterIngress").map(ingressFacts);
  const settings = adminSettings(ingresses, stack.values, input.environment);
  const plan = { ...imported, objects: imported.objects.map((o) => rewriteStaticIp(o, input.inputName, settings)) };
  const fragment = adminFragment(settings);
  const lookups = lookupFragment(settings);
  // The look-ups' answers stand in as names and IPs nothing else uses, so that the rest is validated now.
  const standIns = lookupFragment(settings, (k, i) =>
    k.name === undefined ? `lookup-${i}-${k.address!.replace(/[.:]/g, "-")}`.slice(0, 63).replace(/-$/, "") : `2001:db8:f1ee::${(i + 1).toString(16)}`,
  );
  const merged = stackConfigFromFile(input.stack.path, applyFragment(applyFragment(input.stack.text, fragment), standIns));
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
  return { plan, settings, fragment, lookups, validation, changes };
}

/** An ingress with the static-ip annotation the address decision wants: a name for an ephemeral address, none behind AWS. */
function rewriteStaticIp(object: ImportedObject, inputName: string, settings: AdminSettings): ImportedObject {
  if (object.kind !== "MultiClusterIngress") return object;
  const key = `${object.namespace}/${object.name}`;
  const named = settings.addresses.keep.find((k) => k.annotate !== undefined && k.ingresses.includes(key));
  if (named)
    return withStaticIp(object, inputName, named.annotate, `it names the address GKE chose (${named.address}), to be reserved under that name and adopted`);
  if (settings.addresses.lost.some((l) => l.ingress === key && l.removedStaticIp !== undefined))
    return withStaticIp(object, inputName, undefined, "behind the AWS front door no address of GKE's can be kept, and the validator refuses the annotation");
  return object;
}
