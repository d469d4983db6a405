/**
 * The firewall rules a GKE mesh needs between its clusters. Clusters on one Istio network reach each
 * other's pods directly, but GKE's own rules admit only a cluster's own pod range: without a rule that
 * admits every cluster's pods, cross-cluster requests (failover, and backends served through the mesh)
 * time out. One rule per VPC network, from the pod ranges of the GKE clusters on it.
 */
import type { FleetPlan } from "../../spec/plan";
import { clustersByNetwork, compare } from "./backend-plan";
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
  const lookedUp = plan.clusters.filter((c) => c.provider === "gke" && c.access.kind === "gke");
  return clustersByNetwork(lookedUp, (c) => (c.access.kind === "gke" ? c.access.project : ""))
    .filter((net) => net.clusters.length > 1)
    .map((net) => ({
      logicalName: logicalName(plan.environment, "mesh-firewall", net.project, net.network),
      name: cloudName(plan.environment, net.network, "mesh"),
      project: net.project,
      network: net.path,
      clusters: net.clusters.map((c) => c.name),
    }))
    .sort((a, b) => compare(a.logicalName, b.logicalName));
}
