/**
 * What the API server and GKE's controllers add to an object [gke.mci-server-fields], taken off so that
 * what remains is what its owner wrote. A dump holds the live objects (what GKE acts on), so the live
 * spec is imported; the last-applied annotation is only compared with it, to say when the two differ.
 */
import { isDeepStrictEqual } from "node:util";

/** Metadata the API server sets (Kubernetes ObjectMeta: read-only or system-populated fields). */
const SERVER_METADATA = [
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "selfLink",
  "managedFields",
  "finalizers",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
];

/** Metadata Fleetgate's documents keep: the rest of an object's metadata has no meaning to them. */
const KEPT_METADATA = ["name", "namespace", "labels", "annotations"];

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/**
 * Annotations and labels written by tools rather than by the object's owner: kubectl's last-applied
 * copy; the Multi Cluster Ingress controller's reconcile stamp (it writes
 * `networking.gke.io/last-reconcile-time` on every MultiClusterIngress it reconciles, beside its
 * `mci.finalizer.networking.gke.io` finalizer); and Config Sync's bookkeeping when the objects were
 * synced from a repository (they would claim Fleetgate's files for a Config Sync inventory).
 */
const TOOL_ANNOTATIONS = [LAST_APPLIED, "networking.gke.io/last-reconcile-time", "config.k8s.io/owning-inventory", "config.kubernetes.io/origin"];
const TOOL_PREFIXES = ["configsync.gke.io/", "configmanagement.gke.io/"];
const TOOL_LABELS: Readonly<Record<string, string | undefined>> = { "app.kubernetes.io/managed-by": "configmanagement.gke.io" };

function isToolKey(key: string, exact: readonly string[]): boolean {
  return exact.includes(key) || TOOL_PREFIXES.some((p) => key.startsWith(p));
}

export interface CleanObject {
  /** apiVersion, kind, metadata (name, namespace, labels, annotations) and spec, in that order. */
  readonly object: Record<string, unknown>;
  /** Fields taken off that are not the server's or a tool's own, e.g. `metadata.ownerReferences`. */
  readonly dropped: readonly string[];
  /** The live spec differs from the one in the last-applied annotation (edited since, or defaulted). */
  readonly differsFromLastApplied: boolean;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function cleanMap(map: unknown, drop: (key: string, value: unknown) => boolean): Record<string, unknown> | undefined {
  if (!isMap(map)) return map as undefined;
  const kept = Object.fromEntries(Object.entries(map).filter(([k, v]) => !drop(k, v)));
  return Object.keys(kept).length > 0 ? kept : undefined;
}

export function cleanObject(value: Record<string, unknown>): CleanObject {
  const dropped: string[] = [];
  const metadata = isMap(value.metadata) ? value.metadata : {};
  for (const key of Object.keys(metadata)) if (!KEPT_METADATA.includes(key) && !SERVER_METADATA.includes(key)) dropped.push(`metadata.${key}`);
  for (const key of Object.keys(value)) if (!["apiVersion", "kind", "metadata", "spec", "status"].includes(key)) dropped.push(key);

  const annotations = cleanMap(metadata.annotations, (k) => isToolKey(k, TOOL_ANNOTATIONS));
  const labels = cleanMap(metadata.labels, (k, v) => isToolKey(k, []) || (TOOL_LABELS[k] !== undefined && TOOL_LABELS[k] === v));
  const cleanMetadata = {
    name: metadata.name,
    ...(metadata.namespace !== undefined ? { namespace: metadata.namespace } : {}),
    ...(labels !== undefined ? { labels } : {}),
    ...(annotations !== undefined ? { annotations } : {}),
  };
  const object = { apiVersion: value.apiVersion, kind: value.kind, metadata: cleanMetadata, ...("spec" in value ? { spec: value.spec } : {}) };
  return { object, dropped, differsFromLastApplied: differsFromLastApplied(metadata, value.spec) };
}

/** Whether the last kubectl apply wrote another spec than the live one; false when there is none to compare. */
function differsFromLastApplied(metadata: Record<string, unknown>, spec: unknown): boolean {
  const text = isMap(metadata.annotations) ? metadata.annotations[LAST_APPLIED] : undefined;
  if (typeof text !== "string") return false;
  try {
    const applied: unknown = JSON.parse(text);
    return isMap(applied) && !isDeepStrictEqual(applied.spec, spec);
  } catch {
    return false;
  }
}
