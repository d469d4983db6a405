/**
 * What a GKE config cluster holds beside what its owners wrote, which the migration from Multi Cluster
 * Ingress (`npm run import`, migrate/) takes off or reads.
 */
import type { Contract } from "./contract";

export const mciServerFields: Contract = {
  id: "gke.mci-server-fields",
  party: "GKE",
  subject: "Multi Cluster Ingress controller",
  rule: "the controller writes on every MultiClusterIngress it reconciles the annotation networking.gke.io/last-reconcile-time, the finalizer mci.finalizer.networking.gke.io and a status of CloudResources (the load balancer's backend services, firewalls, forwarding rules, health checks, NEGs, target proxies, URL map) and VIP, the address it serves on; the API server adds uid, resourceVersion, generation, creationTimestamp, managedFields (and selfLink before Kubernetes 1.20), kubectl apply the last-applied-configuration annotation",
  source: {
    title: "GoogleCloudPlatform/gke-networking-recipes: ingress/multi-cluster/mci-basic/README.md",
    section: "kubectl describe mci/foobar-ingress",
    url: "https://github.com/GoogleCloudPlatform/gke-networking-recipes/tree/main/ingress/multi-cluster/mci-basic",
  },
  checkedIn: {
    program: "npm run import takes these off every imported object and reads status.VIP as the address to keep (migrate/strip.ts, migrate/import.ts)",
  },
};

export const contracts: readonly Contract[] = [mciServerFields];
