/**
 * The shape of most published MultiClusterIngress examples (Google's zoneprinter): a service and an
 * ingress with only a default backend, in namespace `zones`. The catch-all tests grant it
 * fleetgate:catchAll, in the spec and components tests and in the simulated `pulumi up`.
 */
type Doc = Record<string, unknown>;

export function zoneprinterDocuments(links: readonly string[]): Doc[] {
  return [
    {
      apiVersion: "networking.gke.io/v1",
      kind: "MultiClusterService",
      metadata: { name: "zoneprinter", namespace: "zones" },
      spec: {
        template: { spec: { selector: { app: "zoneprinter" }, ports: [{ name: "web", protocol: "TCP", port: 80, targetPort: 8080 }] } },
        clusters: links.map((link) => ({ link })),
      },
    },
    {
      apiVersion: "networking.gke.io/v1",
      kind: "MultiClusterIngress",
      metadata: { name: "zone-ingress", namespace: "zones" },
      spec: { template: { spec: { backend: { serviceName: "zoneprinter", servicePort: 80 } } } },
    },
  ];
}
