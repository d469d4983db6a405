/**
 * `fleetgate:gatewayApi.crds: manage` in a fleet with GKE clusters: GKE keeps the Gateway API CRDs of a
 * cluster whose Gateway API is enabled [gke.gateway-api-crds-managed], and Fleetgate then refuses to
 * install over them when it reads the cluster's channel in an update. Which GKE clusters have it enabled
 * is known only then, so the admin is told here, once, which clusters the condition applies to.
 */
import { cite } from "../contracts/contract";
import { gkeManagedCrds } from "../contracts/gateway-api-bundle";
import type { PathSegment, Severity } from "./diagnostics";
import type { EnvironmentConfig } from "./schema/environment";

export function checkGatewayApiCrds(config: EnvironmentConfig, env: (path: PathSegment[], message: string, severity?: Severity) => void): void {
  if (config.gatewayApi?.crds !== "manage") return;
  const gke = config.clusters.filter((c) => c.provider === "gke").map((c) => c.name);
  if (gke.length === 0) return;
  env(
    ["gatewayApi", "crds"],
    `is manage, and ${gke.join(", ")} ${gke.length === 1 ? "is a GKE cluster" : "are GKE clusters"}: GKE keeps the Gateway API CRDs where its own Gateway API is enabled ${cite(gkeManagedCrds)}, and Fleetgate installs its bundle there only where it is disabled (it refuses the cluster in pulumi up otherwise); disable GKE's Gateway API on ${gke.length === 1 ? "it" : "them"} (gcloud container clusters update <name> --gateway-api=disabled), or set crds to check and keep GKE's`,
    "warning",
  );
}
