/**
 * The difference between two offline plans (base branch and pull request) as data: which resources are
 * created, updated, replaced or deleted, with the changed inputs, the reason for every replacement and
 * what a reviewer must not miss (protected resources that would go, values that stop being secret).
 * Pure: two PlanDocuments in, a PlanDiff out. Rendering is review/render-diff.ts.
 */
import type { PlanDocument, PlannedResource } from "../offline/render";
import type { FleetPlan } from "../spec/plan";
import { replacementVerdict, type ReplacementVerdict } from "./replacement";
import { diffRoutes, planRouteRows, type HostRouteChanges } from "./route-changes";
import { changedLeaves, isSecretPath, sameValue, type LeafChange, type Path } from "./values";

export type ChangeKind = "create" | "update" | "replace" | "delete";

/** A resource option that changed (protect, provider, dependsOn, ...), with plain before/after values. */
export interface OptionChange {
  readonly option: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface ResourceChange {
  readonly kind: ChangeKind;
  readonly type: string;
  /** The logical name in the head plan (the base one for deletions). */
  readonly name: string;
  readonly urn: string;
  /** Set when the logical name changed: the base name. With an alias Pulumi moves the resource in place. */
  readonly renamedFrom?: { readonly name: string; readonly urn: string; readonly aliased: boolean };
  /** Changed input leaves; values at secret paths are masked. Empty for create and delete. */
  readonly inputs: readonly LeafChange[];
  readonly options: readonly OptionChange[];
  /**
   * For updates and replacements: how the provider treats the changed inputs. `unknown` when the type
   * is not in Fleetgate's replacement table (the change may replace it; a real preview tells).
   */
  readonly verdict?: ReplacementVerdict | { readonly kind: "rename" };
  /** The resource is protected (in the base for deletions and replacements, otherwise in the head). */
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
  /** Whether it is a component (a grouping with no cloud resource of its own). */
  readonly custom: boolean;
  /** The chain of component ancestors below the stack, outermost first: `FleetIngress dev`, ... */
  readonly components: readonly ComponentRef[];
  /** Clusters the resource belongs to, judged by its own, its ancestors' and its provider's names. */
  readonly cluster?: string;
  /** Inputs that were secret in the base and are plain in the head. */
  readonly noLongerSecret: readonly string[];
}

export interface ComponentRef {
  readonly type: string;
  readonly name: string;
}

/** A component whose registered outputs changed (the stack's outputs are the stack component's). */
export interface OutputChange {
  readonly type: string;
  readonly name: string;
  readonly components: readonly ComponentRef[];
  readonly changes: readonly LeafChange[];
}

export interface PlanDiff {
  readonly stack: string;
  readonly changes: readonly ResourceChange[];
  readonly outputs: readonly OutputChange[];
  /** Resources present and identical on both sides. */
  readonly unchanged: number;
  /** Names of the fleet's clusters (from the stack's `gateways` output), for the per-cluster view. */
  readonly clusters: readonly string[];
  /**
   * The route changes as rules, per host (review/route-changes.ts); absent when neither plan has a
   * routing front door or gateway to read rules from.
   */
  readonly routes?: readonly HostRouteChanges[];
}

const OPTIONS = [
  "protect",
  "retainOnDelete",
  "deleteBeforeReplace",
  "provider",
  "parent",
  "dependsOn",
  "ignoreChanges",
  "replaceOnChanges",
  "aliases",
] as const;

/** @param fleets the FleetPlans of both sides, when known: they give the hosts' owners in the Routes section. */
export function diffPlans(base: PlanDocument, head: PlanDocument, fleets?: { readonly base: FleetPlan; readonly head: FleetPlan }): PlanDiff {
  const baseByUrn = new Map(base.resources.map((r) => [r.urn, r]));
  const headByUrn = new Map(head.resources.map((r) => [r.urn, r]));
  const clusters = [...new Set([...clusterNames(base), ...clusterNames(head)])].sort();
  const place = (plan: PlanDocument) => placer(plan, clusters);
  const placeBase = place(base);
  const placeHead = place(head);

  // Pair every head resource with its base: same URN, or a base URN the head lists as an alias.
  const pairs: { readonly before: PlannedResource; readonly after: PlannedResource; readonly aliased: boolean }[] = [];
  const matchedBase = new Set<string>();
  const created: PlannedResource[] = [];
  for (const after of head.resources) {
    const same = baseByUrn.get(after.urn);
    const alias = same ? undefined : after.aliases.map((a) => baseByUrn.get(a)).find((r) => r !== undefined && !headByUrn.has(r.urn));
    const before = same ?? alias;
    if (before && !matchedBase.has(before.urn)) {
      matchedBase.add(before.urn);
      pairs.push({ before, after, aliased: alias !== undefined });
    } else created.push(after);
  }
  const deleted = base.resources.filter((r) => !matchedBase.has(r.urn));

  // A resource that left under one name and came back under another of the same type and parent is a
  // rename without an alias: Pulumi deletes the old one and creates the new one. Within a type and
  // parent, names pair by the longest shared beginning and end (`dev-shop-…-a` with `dev-store-…-a`).
  const renames: { before: PlannedResource; after: PlannedResource }[] = [];
  const groupKey = (r: PlannedResource) => `${r.type}\u0000${r.parent ?? ""}`;
  const createdByGroup = groupBy(created, groupKey);
  for (const [key, gone] of groupBy(deleted, groupKey)) renames.push(...pairRenames(gone, createdByGroup.get(key) ?? []));
  const renamedBefore = new Set(renames.map((r) => r.before.urn));
  const renamedAfter = new Set(renames.map((r) => r.after.urn));

  const changes: ResourceChange[] = [];
  let unchanged = 0;
  for (const { before, after, aliased } of pairs) {
    const change = compare(before, after, aliased, placeHead(after));
    if (change) changes.push(change);
    else unchanged++;
  }
  for (const { before, after } of renames) {
    const inputs = maskedLeaves(before, after);
    changes.push({
      ...describe(after, placeHead(after)),
      kind: "replace",
      renamedFrom: { name: before.name, urn: before.urn, aliased: false },
      inputs,
      options: optionChanges(before, after),
      verdict: { kind: "rename" },
      protect: before.protect,
      retainOnDelete: before.retainOnDelete,
      deleteBeforeReplace: after.deleteBeforeReplace,
      noLongerSecret: noLongerSecret(before, after),
    });
  }
  for (const r of created.filter((c) => !renamedAfter.has(c.urn)))
    changes.push({ ...describe(r, placeHead(r)), kind: "create", inputs: [], options: [], noLongerSecret: [] });
  for (const r of deleted.filter((d) => !renamedBefore.has(d.urn)))
    changes.push({ ...describe(r, placeBase(r)), kind: "delete", inputs: [], options: [], noLongerSecret: [] });

  // The stack's outputs are what the program exports; the components' outputs feed them and would repeat them.
  const outputs = pairs.flatMap(({ before, after }) => {
    if (after.type !== "pulumi:pulumi:Stack" || sameValue(before.outputs, after.outputs)) return [];
    return [{ type: after.type, name: after.name, components: placeHead(after).components, changes: changedLeaves(before.outputs ?? {}, after.outputs ?? {}) }];
  });

  const baseRows = planRouteRows(base, fleets?.base);
  const headRows = planRouteRows(head, fleets?.head);
  const routes = baseRows.length > 0 || headRows.length > 0 ? { routes: diffRoutes(baseRows, headRows) } : {};
  return { stack: head.stack || base.stack, changes: changes.sort(byPlace), outputs, unchanged, clusters, ...routes };
}

function compare(before: PlannedResource, after: PlannedResource, aliased: boolean, where: Placement): ResourceChange | undefined {
  const inputs = maskedLeaves(before, after);
  const options = optionChanges(before, after);
  const lostSecrets = noLongerSecret(before, after);
  const renamed = before.urn !== after.urn;
  if (inputs.length === 0 && options.length === 0 && lostSecrets.length === 0 && !renamed) return undefined;
  const verdict = after.custom
    ? replacementVerdict(
        after.type,
        after.replaceOnChanges,
        inputs.map((c) => c.path),
      )
    : { kind: "update" as const };
  return {
    ...describe(after, where),
    kind: verdict.kind === "replace" ? "replace" : "update",
    ...(renamed ? { renamedFrom: { name: before.name, urn: before.urn, aliased } } : {}),
    inputs,
    options,
    ...(after.custom && (inputs.length > 0 || verdict.kind === "replace") ? { verdict } : {}),
    protect: before.protect || after.protect,
    retainOnDelete: after.retainOnDelete,
    deleteBeforeReplace: after.deleteBeforeReplace,
    noLongerSecret: lostSecrets,
  };
}

/** Changed input leaves, with every value at a path that is secret on either side masked. */
function maskedLeaves(before: PlannedResource, after: PlannedResource): LeafChange[] {
  const secret = [...before.secretPaths, ...after.secretPaths];
  const mask = (path: Path, value: unknown) => (value !== undefined && isSecretPath(path, secret) ? "[secret]" : value);
  return changedLeaves(before.inputs, after.inputs).map((c) => ({ path: c.path, before: mask(c.path, c.before), after: mask(c.path, c.after) }));
}

function optionChanges(before: PlannedResource, after: PlannedResource): OptionChange[] {
  return OPTIONS.flatMap((option) => {
    let b: unknown = before[option];
    let a: unknown = after[option];
    // A parent or provider URN changes with a rename higher up; what matters is which resource it is.
    if (option === "parent" || option === "provider") [b, a] = [typeAndName(b), typeAndName(a)];
    if (option === "aliases" || option === "dependsOn") [b, a] = [(b as string[]).map(typeAndName), (a as string[]).map(typeAndName)];
    if (option === "aliases") return []; // aliases only explain a rename; the rename itself is shown
    return sameValue(b ?? null, a ?? null) ? [] : [{ option, before: b, after: a }];
  });
}

function noLongerSecret(before: PlannedResource, after: PlannedResource): string[] {
  return before.secretPaths.filter((p) => !after.secretPaths.some((q) => p === q || p.startsWith(`${q}.`)));
}

/** `type::name` of a URN (or undefined), enough to say which resource a reference points at. */
function typeAndName(urn: unknown): string | undefined {
  if (typeof urn !== "string") return undefined;
  const parts = urn.split("::");
  return `${(parts[2] ?? "").split("$").pop()}::${parts.slice(3).join("::")}`;
}

interface Placement {
  readonly components: readonly ComponentRef[];
  readonly cluster?: string;
}

function describe(r: PlannedResource, where: Placement) {
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    custom: r.custom,
    protect: r.protect,
    retainOnDelete: r.retainOnDelete,
    deleteBeforeReplace: r.deleteBeforeReplace,
    components: where.components,
    ...(where.cluster ? { cluster: where.cluster } : {}),
  };
}

/**
 * Where a resource sits: its component ancestors (the stack itself left out) and the cluster it belongs
 * to. Fleetgate's logical names carry their cluster (`dev-gke-us-gateway`) and every Kubernetes resource
 * has its cluster's provider. So a resource's cluster is its provider's, else the cluster named first in
 * its own or its nearest ancestor's name (`prod-gke-eu-remote-secret-gke-us2` lives in gke-eu; of names
 * that start at the same place, the longest).
 */
function placer(plan: PlanDocument, clusters: readonly string[]): (r: PlannedResource) => Placement {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const longestFirst = [...clusters].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const clusterIn = (name: string) => {
    let found: { cluster: string; at: number } | undefined;
    for (const c of longestFirst) {
      const match = new RegExp(`(^|[^a-z0-9])${escapeRegExp(c)}($|[^a-z0-9])`).exec(name);
      if (match && (found === undefined || match.index < found.at)) found = { cluster: c, at: match.index };
    }
    return found?.cluster;
  };
  return (r) => {
    const ancestors: PlannedResource[] = [];
    for (let p = r.parent ? byUrn.get(r.parent) : undefined; p; p = p.parent ? byUrn.get(p.parent) : undefined) ancestors.unshift(p);
    const components = ancestors.filter((a) => !a.custom && a.type !== "pulumi:pulumi:Stack").map((a) => ({ type: a.type, name: a.name }));
    const provider = r.provider ? byUrn.get(r.provider) : undefined;
    const names = [...(provider ? [provider.name] : []), r.name, ...[...ancestors].reverse().map((a) => a.name)];
    const cluster = names.map(clusterIn).find((c) => c !== undefined);
    return { components, ...(cluster ? { cluster } : {}) };
  };
}

/** The fleet's cluster names: the keys of the program's `gateways` stack output (see index.ts). */
export function clusterNames(plan: PlanDocument): string[] {
  const stack = plan.resources.find((r) => r.type === "pulumi:pulumi:Stack");
  const gateways = (stack?.outputs as { gateways?: unknown } | undefined)?.gateways;
  return gateways !== null && typeof gateways === "object" && !Array.isArray(gateways) ? Object.keys(gateways).sort() : [];
}

/**
 * Pairs deleted and created names that are one rename apart: the pair sharing the most leading and
 * trailing characters first, as long as what they share is at least half of the shorter name.
 */
function pairRenames(gone: readonly PlannedResource[], came: readonly PlannedResource[]): { before: PlannedResource; after: PlannedResource }[] {
  const shared = (a: string, b: string) => {
    let p = 0;
    while (p < a.length && p < b.length && a[p] === b[p]) p++;
    let q = 0;
    while (q < a.length - p && q < b.length - p && a[a.length - 1 - q] === b[b.length - 1 - q]) q++;
    return p + q;
  };
  const candidates = gone
    .flatMap((before) => came.map((after) => ({ before, after, score: shared(before.name, after.name) })))
    .filter((c) => c.score * 2 >= Math.min(c.before.name.length, c.after.name.length))
    .sort((x, y) => y.score - x.score || (x.before.urn + x.after.urn < y.before.urn + y.after.urn ? -1 : 1));
  const used = new Set<string>();
  const pairs: { before: PlannedResource; after: PlannedResource }[] = [];
  for (const c of candidates) {
    if (used.has(c.before.urn) || used.has(c.after.urn)) continue;
    used.add(c.before.urn).add(c.after.urn);
    pairs.push({ before: c.before, after: c.after });
  }
  return pairs;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const KIND_ORDER: Record<ChangeKind, number> = { replace: 0, delete: 1, update: 2, create: 3 };

function byPlace(a: ResourceChange, b: ResourceChange): number {
  const ka = a.components.map((c) => `${c.type}::${c.name}`).join("/");
  const kb = b.components.map((c) => `${c.type}::${c.name}`).join("/");
  if (ka !== kb) return ka < kb ? -1 : 1;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  return a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0;
}
