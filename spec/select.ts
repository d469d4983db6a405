/**
 * Resolution helpers shared by validation and the resolver, so that both read the spec the same way:
 * which clusters a MultiClusterService selects and with what weight, and which BackendConfig applies to
 * each of its ports.
 */
import type { PathSegment } from "./diagnostics";
import { linkLocationProblem } from "./cluster-links";
import { describeSelector, matchesSelector } from "./label-selector";
import { didYouMean } from "./names";
import { regionsOf } from "./regions";
import { ANNOTATIONS, type BackendConfig, type MultiClusterService } from "./schema/documents";
import type { ClusterConfig } from "./schema/environment";

export interface Problem {
  readonly path: PathSegment[];
  readonly message: string;
  readonly severity?: "error" | "warning";
}

export interface SelectedCluster {
  readonly cluster: ClusterConfig;
  /** The weight the spec gives, before drains: 0..100. */
  readonly weight: number;
  /** Drained by the service owner (weight 0 or drain) or by the admin (cluster drain). */
  readonly drained: boolean;
}

export const DEFAULT_WEIGHT = 100;

/** The clusters a service selects, sorted by name. Absent `clusters` selects the whole fleet. */
export function selectClusters(service: MultiClusterService, clusters: readonly ClusterConfig[]): { selected: SelectedCluster[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const chosen = new Map<string, { weight: number; drain: boolean; path: PathSegment[] }>();
  const entries = service.spec.clusters ?? [{ selector: {} }];
  const byName = new Map(clusters.map((c) => [c.name, c]));

  entries.forEach((entry, index) => {
    const path: PathSegment[] = service.spec.clusters ? ["spec", "clusters", index] : ["spec"];
    const weight = entry.fleetgate?.weight ?? DEFAULT_WEIGHT;
    const drain = entry.fleetgate?.drain ?? false;
    let matched: ClusterConfig[] = [];
    if (entry.link !== undefined) {
      const [location, name] = entry.link.split("/") as [string, string];
      const cluster = byName.get(name);
      if (cluster === undefined) {
        problems.push({
          path: [...path, "link"],
          message: `"${entry.link}" names cluster "${name}", which is not in the fleet${didYouMean(name, byName.keys())}; the clusters are ${[...byName.keys()].sort().join(", ")}`,
        });
      } else {
        const problem = isKnownRegion(cluster) ? linkLocationProblem(entry.link, location, cluster) : undefined;
        if (problem !== undefined) problems.push({ path: [...path, "link"], message: problem });
        else matched = [cluster];
      }
    } else if (entry.selector !== undefined) {
      const selector = entry.selector;
      matched = clusters.filter((c) => matchesSelector(selector, c.labels));
      if (matched.length === 0)
        problems.push({
          path: service.spec.clusters ? [...path, "selector"] : path,
          message: `selects no cluster: no cluster has labels that meet ${describeSelector(selector)}; check the labels in fleetgate:clusters`,
        });
    }
    for (const cluster of matched) {
      const previous = chosen.get(cluster.name);
      if (previous && (previous.weight !== weight || previous.drain !== drain)) {
        problems.push({
          path,
          message: `selects cluster "${cluster.name}" again with a different weight or drain than an earlier entry; give each cluster one weight`,
        });
        continue;
      }
      chosen.set(cluster.name, { weight, drain, path });
    }
  });

  const selected = [...chosen.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, { weight, drain }]) => {
      const cluster = byName.get(name)!;
      return { cluster, weight, drained: drain || weight === 0 || cluster.drain };
    });
  return { selected, problems };
}

/** A cluster whose region is itself wrong is reported once, at the region, not again at every link. */
function isKnownRegion(cluster: ClusterConfig): boolean {
  const regions = regionsOf(cluster.provider);
  return !regions || regions.includes(cluster.region);
}

/**
 * The BackendConfig name for each port of a service, from the GKE annotation
 * `cloud.google.com/backend-config: '{"default": "bc"}'` or `'{"ports": {"80": "bc", "web": "bc2"}}'`.
 */
export function backendConfigNames(service: MultiClusterService): { byPort: Map<number, string>; problems: Problem[] } {
  const byPort = new Map<number, string>();
  const problems: Problem[] = [];
  const annotations = service.metadata.annotations ?? {};
  const key = ANNOTATIONS.backendConfig.find((k) => annotations[k] !== undefined);
  if (key === undefined) return { byPort, problems };
  const path: PathSegment[] = ["metadata", "annotations", key];
  const shape = `'{"default": "<backendconfig>"}' or '{"ports": {"80": "<backendconfig>"}}'`;
  let value: unknown;
  try {
    value = JSON.parse(annotations[key]!);
  } catch {
    problems.push({ path, message: `is not JSON; write it as ${shape}` });
    return { byPort, problems };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.push({ path, message: `is ${JSON.stringify(value)}, not an object; write it as ${shape}` });
    return { byPort, problems };
  }
  for (const field of Object.keys(value).filter((k) => k !== "default" && k !== "ports"))
    problems.push({ path, message: `has the field "${field}", which GKE does not read${didYouMean(field, ["default", "ports"])}; write it as ${shape}` });
  const { default: fallback, ports } = value as { default?: unknown; ports?: unknown };
  if (fallback !== undefined && typeof fallback !== "string")
    problems.push({ path, message: `has "default": ${JSON.stringify(fallback)}, not a BackendConfig name; write it as ${shape}` });
  if (ports !== undefined && (typeof ports !== "object" || ports === null || Array.isArray(ports))) {
    problems.push({ path, message: `has "ports": ${JSON.stringify(ports)}, not a map of ports to BackendConfig names; write it as ${shape}` });
    return { byPort, problems };
  }
  const portMap = ports as Record<string, unknown> | undefined;
  for (const [ref, name] of Object.entries(portMap ?? {}))
    if (typeof name !== "string")
      problems.push({ path, message: `maps port "${ref}" to ${JSON.stringify(name)}, not a BackendConfig name; write it as ${shape}` });
  const servicePorts = service.spec.template.spec.ports;
  for (const port of servicePorts) {
    const named = portMap?.[String(port.port)] ?? (port.name !== undefined ? portMap?.[port.name] : undefined) ?? fallback;
    if (typeof named === "string") byPort.set(port.port, named);
  }
  for (const ref of Object.keys(portMap ?? {})) {
    if (!servicePorts.some((p) => String(p.port) === ref || p.name === ref))
      problems.push({
        path,
        message: `names port "${ref}", which the service does not have; use one of ${servicePorts.map((p) => p.name ?? String(p.port)).join(", ")}`,
      });
  }
  return { byPort, problems };
}

/** Finds a service port by number or name. */
export function findPort(service: MultiClusterService, ref: number | string) {
  return service.spec.template.spec.ports.find((p) => (typeof ref === "number" ? p.port === ref : p.name === ref));
}

export type { BackendConfig };
