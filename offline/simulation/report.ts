/**
 * What a simulated `pulumi up` took: its wall time, its critical path (the chain of operations and waits
 * that decided when it ended), and one line for the offline plan. Every figure holds against the
 * simulated actors and the latencies of latencies.ts only, and says so.
 */
import type { Lookup, Operation, SimulationResult } from "./engine";

export interface PathStep {
  readonly label: string;
  readonly start: number;
  readonly end: number;
}

export interface UpReport {
  readonly wallMs: number;
  readonly operations: Readonly<Record<string, number>>;
  readonly criticalPath: readonly PathStep[];
  readonly failure?: string;
  readonly violations: readonly string[];
}

type Activity = { readonly label: string; readonly start: number; readonly end: number; readonly dependencies: readonly string[]; readonly urn?: string };

const shortType = (type: string) => type.split(":").pop() ?? type;

/**
 * The critical path, walked back from what ended last: each step's predecessor is what it depended on
 * that ended last before it began; where that ended earlier than the step began, a wait the program made
 * (a lookup it repeated) that ended as the step began. In simulated time the program reacts at once, so
 * a step starts exactly when what held it ended.
 */
export function criticalPath(operations: readonly Operation[], lookups: readonly Lookup[]): PathStep[] {
  const acting = operations.filter((o) => o.kind !== "same" && o.kind !== "retain");
  const activities: Activity[] = [
    ...acting.map((o) => ({ label: `${o.kind} ${shortType(o.type)} ${o.name}`, start: o.start, end: o.end, dependencies: o.dependencies, urn: o.urn })),
    ...lookups.filter((l) => l.calls > 1).map((l) => ({ label: `wait for ${l.label}`, start: l.first, end: l.last, dependencies: [] as string[] })),
  ];
  if (activities.length === 0) return [];
  const byUrn = new Map(acting.map((o) => [o.urn, activities.find((a) => a.urn === o.urn)!]));
  let current = activities.reduce((a, b) => (b.end > a.end || (b.end === a.end && b.start < a.start) ? b : a));
  const path: Activity[] = [current];
  for (let guard = 0; guard < 10_000; guard++) {
    const deps = current.dependencies.map((urn) => byUrn.get(urn)).filter((a): a is Activity => a !== undefined && a.end <= current.start);
    const latestDep = deps.reduce<Activity | undefined>((best, a) => (!best || a.end > best.end ? a : best), undefined);
    const waits = activities.filter((a) => a.urn === undefined && a.end === current.start && a !== current && a.start < a.end);
    const wait = waits.reduce<Activity | undefined>((best, a) => (!best || a.start < best.start ? a : best), undefined);
    let next = latestDep;
    if (wait && (!latestDep || latestDep.end < current.start)) next = wait;
    if (!next && current.urn === undefined) {
      // A wait began when what it waits after was done.
      next = activities
        .filter((a) => a.urn !== undefined && a.end === current.start)
        .reduce<Activity | undefined>((best, a) => (!best || a.start < best.start ? a : best), undefined);
    }
    if (!next || next.end <= 0 || path.includes(next)) break;
    path.push(next);
    current = next;
  }
  return path.reverse().map(({ label, start, end }) => ({ label, start, end }));
}

export function upReport(result: SimulationResult): UpReport {
  const operations: Record<string, number> = {};
  for (const o of result.operations) operations[o.kind] = (operations[o.kind] ?? 0) + (o.urn.includes("::pulumi:pulumi:Stack::") ? 0 : 1);
  return {
    wallMs: result.endMs,
    operations,
    criticalPath: criticalPath(result.operations, result.lookups),
    ...(result.failure !== undefined ? { failure: result.failure } : {}),
    violations: result.violations,
  };
}

/** `12m 05s`. */
export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m}m ${String(seconds % 60).padStart(2, "0")}s` : `${seconds}s`;
}

/** The figure in one line: wall time, what changed, and the few slowest steps of the critical path. */
export function oneLine(report: UpReport, what = "a first pulumi up"): string {
  if (report.failure !== undefined) return `Simulated ${what} fails: ${report.failure.split("\n")[0]}`;
  const changed = ["create", "update", "replace", "delete"]
    .filter((k) => report.operations[k])
    .map((k) => `${report.operations[k]} ${k === "update" ? "updated" : k === "replace" ? "replaced" : k === "delete" ? "deleted" : "created"}`);
  const slowest = [...report.criticalPath]
    .sort((a, b) => b.end - b.start - (a.end - a.start))
    .slice(0, 3)
    .map((s) => `${s.label} ${duration(s.end - s.start)}`);
  return `Simulated ${what} (against Fleetgate's models of the clouds and controllers): ${duration(report.wallMs)}, ${changed.join(", ") || "no changes"}; critical path ${report.criticalPath.length} steps, longest: ${slowest.join("; ")}.${report.violations.length ? ` ${report.violations.length} problem(s) outside Pulumi's view.` : ""}`;
}
