/**
 * GKE's cluster links: a MultiClusterService names a cluster as `<location>/<name>`, where the location
 * is where GKE has the cluster: its region for a regional cluster, its zone for a zonal one
 * [gke.cluster-links]. A GKE cluster's location is `access.location` (region or zone), by default its
 * region; other clusters are linked by their region.
 */
import { cite } from "../contracts/contract";
import { clusterLinks } from "../contracts/gcp";
import { zonePattern } from "./regions";
import type { ClusterConfig } from "./schema/environment";

/** The location GKE links the cluster by. */
export function clusterLocation(cluster: ClusterConfig): string {
  return cluster.access.kind === "gke" ? (cluster.access.location ?? cluster.region) : cluster.region;
}

/** Whether the cluster is zonal: a GKE cluster whose location is a zone of its region. */
export function isZonal(cluster: ClusterConfig): boolean {
  return clusterLocation(cluster) !== cluster.region && (zonePattern(cluster.provider, cluster.region)?.test(clusterLocation(cluster)) ?? false);
}

/** The link that names the cluster, as GKE writes it. */
export function clusterLink(cluster: ClusterConfig): string {
  return `${clusterLocation(cluster)}/${cluster.name}`;
}

/**
 * Why `location` (the part of a link before the slash) does not name the cluster, or undefined when it
 * does. The message says which link does.
 */
export function linkLocationProblem(link: string, location: string, cluster: ClusterConfig): string | undefined {
  const own = clusterLocation(cluster);
  if (location === own) return undefined;
  const right = `write "${clusterLink(cluster)}"`;
  const inRegion = location === cluster.region || (zonePattern(cluster.provider, cluster.region)?.test(location) ?? false);
  if (isZonal(cluster)) {
    const why = `"${cluster.name}" is a zonal cluster in ${own} (fleetgate:clusters access.location), and GKE links a zonal cluster by its zone ${cite(clusterLinks)}`;
    if (location === cluster.region) return `"${link}" names cluster "${cluster.name}" by its region ${location}, but ${why}; ${right}`;
    return `"${link}" names cluster "${cluster.name}" in ${location}, but ${why}; ${right}`;
  }
  if (inRegion && cluster.provider === "gke")
    return `"${link}" names cluster "${cluster.name}" by the zone ${location}, but "${cluster.name}" is a regional cluster in ${own}, and GKE links a regional cluster by its region ${cite(clusterLinks)}; ${right}, or, if the cluster is zonal, set its access.location to ${location} in fleetgate:clusters`;
  return `"${link}" names cluster "${cluster.name}" in ${location}, but it is in ${own}; ${right}`;
}

/**
 * A GKE cluster's access.location must be its region or one of its region's zones: Fleetgate looks the
 * cluster up there, and links and NEG zones are read from it.
 */
export function accessLocationProblem(cluster: ClusterConfig): string | undefined {
  if (cluster.access.kind !== "gke" || cluster.access.location === undefined) return undefined;
  const location = cluster.access.location;
  if (location === cluster.region || zonePattern(cluster.provider, cluster.region)?.test(location)) return undefined;
  return `"${location}" is neither the cluster's region ${cluster.region} nor a zone of it; give the region for a regional cluster or its zone (like ${cluster.region}-a) for a zonal one, as \`gcloud container clusters list\` shows it under LOCATION`;
}
