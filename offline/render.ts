/**
 * How an offline plan is shown: a resource tree grouped by component, counts by type, and a stable JSON
 * form (sorted, secrets masked, no timestamps) that pull requests diff.
 */
import type { FleetPlan } from "../spec/plan";
import type { RegisteredResource } from "./mock-engine";
import { fingerprintMask, maskPaths, SECRET_MASK } from "./secret-mask";

/** `type::name`, the part of a URN that identifies a resource within its stack. */
export function resourceId(urn: string): string {
  const parts = urn.split("::");
  const qualifiedType = parts[2] ?? "";
  return `${qualifiedType.split("$").pop()}::${parts.slice(3).join("::")}`;
}

/** A registered resource as a plan file holds it: the provider by URN only, secrets masked in inputs. */
export type PlannedResource = Omit<RegisteredResource, "inputs" | "outputs" | "propertyDependencies" | "additionalSecretOutputs"> & {
  readonly inputs: unknown;
  readonly outputs?: unknown;
};

export interface PlanDocument {
  readonly project: string;
  readonly stack: string;
  readonly resources: readonly PlannedResource[];
}

/**
 * The stable JSON form of a run: resources sorted by URN, keys sorted, secret values masked; with a
 * fingerprint key, masked by keyed hashes, so that plans made with the same key show which secrets differ.
 */
export function planDocument(project: string, stack: string, resources: readonly RegisteredResource[], fingerprintKey?: string): PlanDocument {
  const mask = fingerprintKey ? fingerprintMask(fingerprintKey) : undefined;
  const planned = [...resources]
    .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0))
    .map((r): PlannedResource => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      custom: r.custom,
      ...(r.parent ? { parent: r.parent } : {}),
      ...(r.provider ? { provider: r.provider.split("::").slice(0, -1).join("::") } : {}),
      inputs: maskPaths(r.inputs, r.secretPaths, mask),
      secretPaths: r.secretPaths,
      protect: r.protect,
      retainOnDelete: r.retainOnDelete,
      deleteBeforeReplace: r.deleteBeforeReplace,
      dependsOn: r.dependsOn,
      ignoreChanges: r.ignoreChanges,
      replaceOnChanges: r.replaceOnChanges,
      aliases: r.aliases,
      ...(r.outputs !== undefined && !r.custom ? { outputs: r.outputs } : {}),
    }));
  return { project, stack, resources: planned };
}

/** JSON with object keys sorted at every level, so equal plans are equal text. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v === null || typeof v !== "object") return v;
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
    );
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

/** The resource tree, children under their parent, each line with the options a reviewer checks. */
export function renderTree(plan: PlanDocument): string {
  const children = new Map<string, PlannedResource[]>();
  const roots: PlannedResource[] = [];
  const byUrn = new Set(plan.resources.map((r) => r.urn));
  for (const r of plan.resources) {
    if (r.parent && byUrn.has(r.parent)) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    else roots.push(r);
  }
  const lines: string[] = [];
  const walk = (r: PlannedResource, prefix: string, last: boolean, top: boolean) => {
    const notes = [
      r.protect ? "protected" : "",
      r.retainOnDelete ? "retained on delete" : "",
      r.provider ? `provider ${r.provider.split("::").pop()}` : "",
      r.secretPaths.length ? `secret: ${r.secretPaths.join(", ")}` : "",
      r.dependsOn.length ? `after ${r.dependsOn.map((d) => d.split("::").pop()).join(", ")}` : "",
    ].filter((n) => n !== "");
    lines.push(`${prefix}${top ? "" : last ? "└─ " : "├─ "}${r.type}  ${r.name}${notes.length ? `  [${notes.join("; ")}]` : ""}`);
    const kids = children.get(r.urn) ?? [];
    kids.forEach((k, i) => walk(k, top ? "" : `${prefix}${last ? "   " : "│  "}`, i === kids.length - 1, false));
  };
  roots.forEach((r, i) => walk(r, "", i === roots.length - 1, true));
  return lines.join("\n");
}

export function renderCounts(plan: PlanDocument): string {
  const counts = new Map<string, number>();
  for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const rows = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const width = String(Math.max(...rows.map(([, n]) => n), 0)).length;
  return [...rows.map(([type, n]) => `${String(n).padStart(width)}  ${type}`), `${String(plan.resources.length).padStart(width)}  total`].join("\n");
}

export { SECRET_MASK };

/** One line per cluster: where it is, whether it has a gateway, and which front doors can reach it. */
/**
 * The mesh's Istio upgrade waves, in their order and the clusters in no wave last: each with its
 * clusters, the revision their gateways run (the revision tag's) and the revisions installed. Empty when
 * the environment declares no waves.
 */
export function renderIstioWaves(plan: FleetPlan): string {
  if (plan.mesh.istioWaves === undefined) return "";
  const installing = plan.clusters.filter((c) => c.istio.install);
  const groups = [
    ...plan.mesh.istioWaves.map((w) => ({ label: w.name, clusters: installing.filter((c) => c.istio.wave === w.name) })),
    { label: "(no wave)", clusters: installing.filter((c) => c.istio.wave === undefined) },
  ].filter((g, i) => g.clusters.length > 0 || i < plan.mesh.istioWaves!.length);
  const rows = groups.flatMap((g) => {
    // Clusters of one wave normally run alike; one row per distinct set of revisions.
    const alike = new Map<string, string[]>();
    for (const c of g.clusters) {
      const key = `serves ${c.istio.serving?.name ?? "-"}\u0000installed ${c.istio.revisions.map((r) => r.name).join(", ")}`;
      alike.set(key, [...(alike.get(key) ?? []), c.name]);
    }
    if (alike.size === 0) return [[g.label, "(no cluster)", "", ""]];
    return [...alike].map(([key, clusters]) => [g.label, clusters.join(", "), ...key.split("\u0000")]);
  });
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return `Istio upgrade waves (in order; a new version reaches them one per pulumi up):\n${rows
    .map((r) => `  ${r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join("  ")}`.trimEnd())
    .join("\n")}\n`;
}

export function renderClusters(plan: FleetPlan): string {
  const mode = plan.frontDoor.provider === "gcp" ? "gcp" : `aws-${plan.frontDoor.mode}`;
  // The validator has already rejected a serving cluster this environment's front door cannot reach.
  const rows = plan.clusters.map((c) => [
    c.name,
    `${c.provider} ${c.region}`,
    c.gateway
      ? `gateway for ${c.gateway.hosts.length} host${c.gateway.hosts.length === 1 ? "" : "s"}${c.drained ? ", drained" : ""}`
      : "no gateway (serves nothing)",
    `reachable by ${c.reachableBy.join(", ") || "no front door"}`,
  ]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return `Clusters (front door: ${mode}):\n${rows.map((r) => `  ${r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join("  ")}`).join("\n")}\n`;
}
