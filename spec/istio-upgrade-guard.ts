/**
 * The Istio upgrade guard, as a pure decision: given what the previous deployment recorded of each
 * cluster's Istio (its installed revisions and the one its gateways ran) and the next plan, which steps
 * Istio's canary upgrade does not allow in one `pulumi up`:
 * - removing the revision a cluster's gateways ran (the revision tag must move off it in an earlier
 *   update, so that rollback stays possible and no gateway loses its control plane): removed too early;
 * - moving a cluster's gateways further than Istio supports in one step [istio.upgrade-skew];
 * - moving the gateways of more than one wave at once: one wave per `pulumi up`, so a bad release stops
 *   at the wave it reached.
 * The first deployment (no record) and clusters the record does not know are free. The program's guard
 * (program.ts) and `plan:diff` (review/istio-waves-diff.ts, base plan against head plan) both call it.
 */
import { z } from "zod";
import { cite } from "../contracts/contract";
import { controlPlaneInUse } from "../contracts/istio";
import { istioMinor, istioSkewSupported, istioUpgradeSkew, nextSupportedMinor } from "../contracts/istio-upgrades";
import type { Diagnostic, PathSegment, SourceLocation } from "./diagnostics";
import { configPath } from "./environment";
import { compareVersions } from "./resolve";
import type { ClusterPlan, FleetPlan } from "./plan";

/** The stack output that carries the record. */
export const ISTIO_OUTPUT = "istio";

const version = z.string().regex(/^\d+\.\d+\.\d+$/, { error: "is not a pinned Istio version" });

export const istioRecordSchema = z.object({
  version: z.literal(1),
  /** Per cluster where Fleetgate installs Istio: its installed versions (oldest first) and the one its gateways run. */
  clusters: z.record(z.string(), z.object({ revisions: z.array(version), serving: version, wave: z.string().optional() })),
});

export type IstioRecord = z.output<typeof istioRecordSchema>;

/** What is known of the previous deployment's Istio. */
export type PreviousIstio =
  | { readonly kind: "none" }
  /** Deployed by a program that did not record its Istio: the guard has nothing to compare with. */
  | { readonly kind: "unrecorded" }
  | { readonly kind: "unreadable"; readonly reason: string }
  | { readonly kind: "recorded"; readonly record: IstioRecord };

/** Classifies the previous deployment from its `istio` output and an output every deployment has (undefined when absent). */
export function previousIstioFrom(outputs: { readonly istio: unknown; readonly alwaysExported: unknown }): PreviousIstio {
  if (outputs.istio === undefined) return outputs.alwaysExported === undefined ? { kind: "none" } : { kind: "unrecorded" };
  const parsed = istioRecordSchema.safeParse(outputs.istio);
  if (parsed.success) return { kind: "recorded", record: parsed.data };
  const issue = parsed.error.issues[0];
  return { kind: "unreadable", reason: issue ? `${issue.path.join(".") || "the record"}: ${issue.message}` : "it does not match the record's schema" };
}

/** The record of a plan: what its deployment leaves each cluster running. Sorted by cluster. */
export function istioRecord(plan: FleetPlan): IstioRecord {
  const clusters = plan.clusters
    .filter((c) => c.istio.install && c.istio.serving !== undefined)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((c) => [
      c.name,
      {
        revisions: c.istio.revisions.map((r) => r.version),
        serving: c.istio.serving!.version,
        ...(c.istio.wave !== undefined ? { wave: c.istio.wave } : {}),
      },
    ]);
  return { version: 1, clusters: Object.fromEntries(clusters) };
}

export interface IstioStepFinding {
  readonly kind: "removed-too-early" | "unsupported-jump" | "several-waves";
  /** The clusters it is about, sorted. */
  readonly clusters: readonly string[];
  /** Their wave; absent for the clusters in no wave. */
  readonly wave?: string;
  /** The setting to change, under `fleetgate:`. */
  readonly path: readonly PathSegment[];
  readonly message: string;
}

/** How a message names a cluster's wave. */
function waveName(wave: string | undefined): string {
  return wave === undefined ? "the clusters in no wave" : `wave "${wave}"`;
}

/** The settings of a wave (by its place in the plan's waves) or of the clusters in no wave. */
function settingsPath(plan: FleetPlan, wave: string | undefined): PathSegment[] {
  const index = wave === undefined ? -1 : (plan.mesh.istioWaves ?? []).findIndex((w) => w.name === wave);
  return index >= 0 ? ["mesh", "istio", "waves", index] : ["mesh", "istio"];
}

function quoted(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(", ");
}

export function istioStepFindings(previous: IstioRecord, next: FleetPlan): IstioStepFinding[] {
  const findings: IstioStepFinding[] = [];
  const known = next.clusters.filter(
    (c): c is ClusterPlan & { istio: { serving: NonNullable<ClusterPlan["istio"]["serving"]> } } =>
      c.istio.install && c.istio.serving !== undefined && previous.clusters[c.name] !== undefined,
  );

  // Removed too early and unsupported jumps, per wave and kind, so one message names all its clusters.
  const grouped = new Map<string, { kind: IstioStepFinding["kind"]; wave?: string; clusters: string[]; from: string; to: string }>();
  const add = (kind: IstioStepFinding["kind"], wave: string | undefined, cluster: string, from: string, to: string) => {
    const key = `${kind}\u0000${wave ?? ""}\u0000${from}\u0000${to}`;
    const entry = grouped.get(key) ?? { kind, ...(wave !== undefined ? { wave } : {}), clusters: [], from, to };
    entry.clusters.push(cluster);
    grouped.set(key, entry);
  };
  for (const cluster of known) {
    const before = previous.clusters[cluster.name]!;
    const after = cluster.istio.serving.version;
    if (!cluster.istio.revisions.some((r) => r.version === before.serving)) add("removed-too-early", cluster.istio.wave, cluster.name, before.serving, after);
    if (!istioSkewSupported(before.serving, after)) add("unsupported-jump", cluster.istio.wave, cluster.name, before.serving, after);
  }
  for (const g of grouped.values()) {
    const who = `${quoted(g.clusters.sort())} (${waveName(g.wave)})`;
    const settings = settingsPath(next, g.wave);
    if (g.kind === "removed-too-early")
      findings.push({
        kind: g.kind,
        clusters: g.clusters,
        ...(g.wave !== undefined ? { wave: g.wave } : {}),
        path: [...settings, "revisions"],
        message: `removes revision ${g.from.replaceAll(".", "-")} of ${who} too early: its gateways ran it in the previous deployment, and the revision tag must move off it in an earlier update, so that the gateways have a control plane throughout and moving the version back rolls them back. Keep ${g.from} in revisions in this update (revisions: [${[g.from, g.to].sort(compareVersions).join(", ")}]) and remove it in a later one`,
      });
    else
      findings.push({
        kind: g.kind,
        clusters: g.clusters,
        ...(g.wave !== undefined ? { wave: g.wave } : {}),
        path: [...settings, "version"],
        message: `moves the gateways of ${who} from ${g.from} to ${g.to} in one step, but Istio upgrades at most one minor version at a time ${cite(istioUpgradeSkew)}; move them to ${nextSupportedMinor(g.from, g.to)} first (${istioMinor(g.from)} → ${nextSupportedMinor(g.from, g.to)}), and on in later updates`,
      });
  }

  // One wave per update: the waves (in their order, the clusters in no wave last) whose gateways move.
  const moving = new Map<string | undefined, string[]>();
  for (const cluster of known)
    if (previous.clusters[cluster.name]!.serving !== cluster.istio.serving.version)
      moving.set(cluster.istio.wave, [...(moving.get(cluster.istio.wave) ?? []), cluster.name]);
  if (moving.size > 1) {
    const order = [...(next.mesh.istioWaves ?? []).map((w) => w.name), undefined];
    const waves = [...moving.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    const described = waves.map((w) => `${waveName(w)} (${quoted(moving.get(w)!.sort())})`);
    const [first, ...later] = waves;
    for (const wave of later)
      findings.push({
        kind: "several-waves",
        clusters: moving.get(wave)!,
        ...(wave !== undefined ? { wave } : {}),
        path: [...settingsPath(next, wave), "version"],
        message: `moves the gateways of ${described.join(" and ")} in one update, but a new Istio version moves one wave per \`pulumi up\`, so that a bad release stops at the wave it reached; deploy the change of ${waveName(first)} alone first, and this one in a later update`,
      });
  }
  return findings;
}

/**
 * The guard's findings as located diagnostics at the setting to change (errors stop the deployment
 * before anything is created); a record the program cannot read is a warning, as the trust check has it.
 */
export function checkIstioSteps(input: {
  readonly plan: FleetPlan;
  readonly previous: PreviousIstio;
  readonly locate: (path: readonly PathSegment[]) => SourceLocation;
}): Diagnostic[] {
  const { previous, plan, locate } = input;
  const at = (severity: Diagnostic["severity"], path: readonly PathSegment[], message: string): Diagnostic => {
    const [key, ...rest] = path;
    return { ...locate(path), severity, path: configPath(String(key), ...rest), message };
  };
  if (previous.kind === "unreadable")
    return [
      at(
        "warning",
        ["mesh", "istio"],
        `the previous deployment's Istio record (the stack output "${ISTIO_OUTPUT}") cannot be read (${previous.reason}), so the Istio upgrade guard had nothing to check this deployment's revisions against.`,
      ),
    ];
  const legacy = legacyIstiodFindings(plan, previous.kind).map((f) => at("error", f.path, f.message));
  if (previous.kind !== "recorded") return legacy;
  return [...legacy, ...istioStepFindings(previous.record, plan).map((f) => at("error", f.path, `${f.message}.`))];
}

/**
 * The unrevisioned `istiod` release of Fleetgate before revisions. A deployment that exported no Istio
 * record was made by that Fleetgate, so its gateways run on that release: the first update with
 * revisions must keep it while they move to the tag's revision, or it deletes their control plane
 * under them. Where there was no deployment at all, keeping it would install it.
 */
function legacyIstiodFindings(plan: FleetPlan, previous: PreviousIstio["kind"]): { path: PathSegment[]; message: string }[] {
  const installing = plan.clusters.filter((c) => c.istio.install && c.istio.serving !== undefined).map((c) => c.name);
  if (installing.length === 0) return [];
  if (previous === "unrecorded" && !plan.mesh.keepUnrevisionedIstiod)
    return [
      {
        path: ["mesh", "istio"],
        message: `the previous deployment was made before Fleetgate installed Istio by revision: the gateways of ${quoted(installing.sort())} run on its unrevisioned istiod release, which this update would delete while they move to the revision tag; set keepUnrevisionedIstiod: true under fleetgate:mesh.istio for this update, and remove it in the next one ${cite(controlPlaneInUse)}.`,
      },
    ];
  if (previous === "none" && plan.mesh.keepUnrevisionedIstiod)
    return [
      {
        path: ["mesh", "istio", "keepUnrevisionedIstiod"],
        message: `keeps the unrevisioned istiod of an earlier Fleetgate, but this is the environment's first deployment, so there is none to keep and this would install one beside the revisions; remove the setting.`,
      },
    ];
  return [];
}
