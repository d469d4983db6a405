/**
 * The firewall rules a GKE mesh needs between its clusters. Clusters on one Istio network reach each
 * other's pods directly, but GKE's own rules admit only a cluster's own pod range: without a rule that
 * admits every cluster's pods, cross-cluster requests (failover, and backends served through the mesh)
 * time out. One rule per VPC network, from the pod ranges of the GKE clusters on it.
 */
import type { FleetPlan } from "../../spec/plan";
import { networkPath } from "./backend-plan";
import { cloudName, logicalName } from "./names";

/** What the mesh carries between pods: Istio's own documentation opens these for multi-cluster GKE. */
export const MESH_PROTOCOLS = ["tcp", "udp", "icmp", "esp", "ah", "sctp"] as const;

/** Istio's multi-cluster GKE setup uses 900: ahead of the default rules (1000), behind any stricter rule an operator numbers lower. */
export const MESH_FIREWALL_PRIORITY = 900;

export interface MeshFirewallSpec {
  readonly logicalName: string;
  readonly name: string;
  readonly project: string;
  /** `projects/<project>/global/networks/<network>`. */
  readonly network: string;
  /** The GKE clusters whose pod ranges are admitted, sorted: those Fleetgate looks up, so it knows their ranges. */
  readonly clusters: readonly string[];
}

/**
 * A rule per VPC network that holds two or more GKE clusters Fleetgate looks up (a cluster reached by
 * kubeconfig has no known pod range: its operator admits it).
 */
export function planMeshFirewalls(plan: FleetPlan): MeshFirewallSpec[] {
  const byNetwork = new Map<string, { project: string; network: string; clusters: string[] }>();
  for (const cluster of plan.clusters) {
    if (cluster.provider !== "gke" || cluster.access.kind !== "gke") continue;
    const path = networkPath(cluster.access.project, cluster.network);
    const [, project, , , network] = path.split("/") as [string, string, string, string, string];
    const entry = byNetwork.get(path) ?? { project, network, clusters: [] };
    entry.clusters.push(cluster.name);
    byNetwork.set(path, entry);
  }
  return [...byNetwork]
    .filter(([, entry]) => entry.clusters.length > 1)
    .map(([path, entry]) => ({
      logicalName: logicalName(plan.environment, "mesh-firewall", entry.project, entry.network),
      name: cloudName(plan.environment, entry.network, "mesh"),
      project: entry.project,
      network: path,
      clusters: entry.clusters.sort(),
    }))
    .sort((a, b) => (a.logicalName < b.logicalName ? -1 : a.logicalName > b.logicalName ? 1 : 0));
}
