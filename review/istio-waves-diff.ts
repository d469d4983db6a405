/**
 * What a change does to the mesh's Istio, per upgrade wave: exactly the clusters whose control planes
 * or revision tag change, and how (installs 1-28-1, tag moves 1-28-0 → 1-28-1, removes 1-27-3), and what
 * the Istio upgrade guard would refuse at `pulumi up` (spec/istio-upgrade-guard.ts, the same decision the
 * program takes against the previous deployment, here with the base plan as the previous deployment).
 */
import { istioRecord, istioStepFindings, type IstioStepFinding } from "../spec/istio-upgrade-guard";
import { configPath } from "../spec/environment";
import type { ClusterPlan, FleetPlan } from "../spec/plan";
import { code } from "./values";

/** The clusters of one wave that change alike. */
export interface IstioWaveChange {
  /** The wave; absent for the clusters in no wave. */
  readonly wave?: string;
  readonly clusters: readonly string[];
  /** What happens to each of them, in the order it happens: installs, tag moves, removes. */
  readonly changes: readonly string[];
}

export interface IstioWavesDiff {
  /** In wave order (the clusters in no wave last), then by cluster. */
  readonly waves: readonly IstioWaveChange[];
  /** What the upgrade guard refuses of this step. */
  readonly refusals: readonly IstioStepFinding[];
}

type Istio = ClusterPlan["istio"];

/** What changes of one cluster's Istio; empty when nothing does. */
function clusterChanges(before: Istio | undefined, after: Istio | undefined): string[] {
  // A plan written before Fleetgate planned revisions (a base branch's) has none to compare with.
  if ((before && before.revisions === undefined) || (after && after.revisions === undefined)) return [];
  const names = (istio: Istio | undefined) => (istio?.install ? istio.revisions.map((r) => r.name) : []);
  const [b, a] = [names(before), names(after)];
  const installs = a.filter((r) => !b.includes(r));
  const removes = b.filter((r) => !a.includes(r));
  const [from, to] = [before?.install ? before.serving?.name : undefined, after?.install ? after.serving?.name : undefined];
  const changes: string[] = [];
  if (before?.install && after?.install && before.wave !== after.wave)
    changes.push(after.wave !== undefined ? `joins wave ${code(after.wave)}` : `leaves wave ${code(before.wave!)}`);
  if (installs.length > 0) changes.push(`installs ${installs.map(code).join(", ")}`);
  if (from !== to)
    changes.push(from === undefined ? `tag at ${code(to!)}` : to === undefined ? `tag ${code(from)} removed` : `tag moves ${code(from)} → ${code(to)}`);
  if (removes.length > 0) changes.push(`removes ${removes.map(code).join(", ")}`);
  return changes;
}

export function diffIstioWaves(base: FleetPlan | undefined, head: FleetPlan | undefined): IstioWavesDiff {
  const before = new Map((base?.clusters ?? []).map((c) => [c.name, c]));
  const after = new Map((head?.clusters ?? []).map((c) => [c.name, c]));
  const grouped = new Map<string, { wave?: string; clusters: string[]; changes: string[] }>();
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const changes = clusterChanges(before.get(name)?.istio, after.get(name)?.istio);
    if (changes.length === 0) continue;
    const wave = after.get(name)?.istio.wave ?? (after.has(name) ? undefined : before.get(name)?.istio.wave);
    const key = `${wave ?? ""}\u0000${changes.join("\u0000")}`;
    const entry = grouped.get(key) ?? { ...(wave !== undefined ? { wave } : {}), clusters: [], changes };
    entry.clusters.push(name);
    grouped.set(key, entry);
  }
  const order = [...(head?.mesh.istioWaves ?? []).map((w) => w.name), ...(base?.mesh.istioWaves ?? []).map((w) => w.name)];
  const rank = (wave: string | undefined) => (wave === undefined ? Number.MAX_SAFE_INTEGER : order.indexOf(wave));
  const waves = [...grouped.values()].sort((x, y) => rank(x.wave) - rank(y.wave) || (x.clusters[0]! < y.clusters[0]! ? -1 : 1));
  return { waves, refusals: base && head ? istioStepFindings(istioRecord(base), head) : [] };
}

/** The diff as lines of the platform admin's changes (review/fleet-diff.ts), refusals first. */
export function istioWaveLines(diff: IstioWavesDiff): string[] {
  const refusals = diff.refusals.map((f) => {
    const [key, ...rest] = f.path;
    return `**refused by the Istio upgrade guard at \`pulumi up\`** (${code(configPath(String(key), ...rest))}): ${f.message}`;
  });
  const waves = diff.waves.map(
    (w) => `Istio ${w.wave !== undefined ? `wave ${code(w.wave)}` : "(clusters in no wave)"}: ${w.clusters.map(code).join(", ")} ${w.changes.join(", ")}`,
  );
  return [...refusals, ...waves];
}
