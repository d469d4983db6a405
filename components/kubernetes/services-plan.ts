/**
 * The services of a cluster, as pure data: the Kubernetes Service each MultiClusterService template
 * describes, its ServiceExport where a multi-cluster Services implementation runs, and the Services the
 * cluster's gateway routes to through the mesh.
 *
 * ServiceExports exist only where the admin says an implementation runs [kubernetes.mcs-crds]: GKE fleet
 * multi-cluster Services reads `net.gke.io/v1` ServiceExports (and creates the ServiceImports and
 * `clusterset.local` names); an implementation of the upstream MCS API reads
 * `multicluster.x-k8s.io/v1alpha1`. Neither EKS nor Istio installs their CRDs, and Istio's own discovery
 * across clusters needs neither.
 */
import { ServiceExport as GkeServiceExport } from "@kubernetes-models/gke/net.gke.io/v1/ServiceExport";
import { Service } from "kubernetes-models/v1/Service";
import type { BackendProtocolPlan, ClusterPlan, FleetPlan, ServicePlan } from "../../spec/plan";
import { MANAGED_BY } from "./names";
import { type ObjectSource, upstreamServiceExport } from "./objects";

/**
 * The services that run in a cluster, drained ones included: a drained cluster keeps its Service and
 * export (the front door sends it no traffic, the mesh still finds the endpoints while they drain).
 */
export function clusterServices(plan: FleetPlan, cluster: string): ServicePlan[] {
  return plan.services.filter((s) => s.clusters.some((c) => c.cluster === cluster));
}

/**
 * The services a cluster's gateway routes to without running them (a rule whose backends all run
 * elsewhere): Istio routes only to a Service that exists in its own cluster, and then reaches the
 * endpoints the peers' istiods report, so the Service is created here too, without an export.
 */
export function meshReachedServices(plan: FleetPlan, cluster: string, routed: readonly string[]): ServicePlan[] {
  const local = new Set(clusterServices(plan, cluster).map((s) => s.key));
  const wanted = new Set(routed.filter((key) => !local.has(key)));
  return plan.services.filter((s) => wanted.has(s.key));
}

/**
 * The Service a MultiClusterService's template describes, in the service's namespace. Pulumi would wait
 * for it to select a ready pod [pulumi.kubernetes-await]: the team's pods are theirs to deploy, and a
 * cluster that reaches the service through the mesh never runs one, so Fleetgate does not wait.
 */
export function serviceObject(service: ServicePlan): Service {
  const health = service.healthPorts ?? [];
  // Kubernetes requires every port of a Service with more than one to have a name.
  const named = service.ports.length + health.length > 1;
  const taken = new Set([...service.ports.flatMap((p) => (p.name !== undefined ? [p.name] : [])), ...health.map((h) => h.name)]);
  const serving = service.ports.map((p) => ({
    ...(p.name !== undefined ? { name: p.name } : named ? { name: freeName(`port-${p.port}`, taken) } : {}),
    port: p.port,
    targetPort: p.targetPort,
    protocol: p.protocol,
    ...(p.appProtocol !== undefined ? { appProtocol: APP_PROTOCOLS[p.appProtocol] } : {}),
  }));
  const checks = health.map((h) => ({
    name: h.name,
    port: h.port,
    targetPort: h.targetPort,
    protocol: "TCP" as const,
    appProtocol: APP_PROTOCOLS[h.protocol],
  }));
  return new Service({
    metadata: { name: service.name, namespace: service.namespace, labels: { ...MANAGED_BY }, annotations: { "pulumi.com/skipAwait": "true" } },
    spec: { type: "ClusterIP", selector: { ...service.selector }, ports: [...serving, ...checks].sort((a, b) => a.port - b.port) },
  });
}

/** `wanted`, or `wanted-2`, `wanted-3`… where a port of the Service already has that name. */
function freeName(wanted: string, taken: Set<string>): string {
  let name = wanted;
  for (let i = 2; taken.has(name); i++) name = `${wanted}-${i}`;
  taken.add(name);
  return name;
}

/**
 * The appProtocol Istio reads for each protocol GKE names [istio.protocol-selection]: `http2` is HTTP/2
 * in clear text (h2c), which every Istio release reads (the newer `kubernetes.io/h2c` only recent ones);
 * `https` is TLS-encrypted HTTP, which the gateways originate by DestinationRule (mesh-plan.ts).
 */
export const APP_PROTOCOLS: Readonly<Record<BackendProtocolPlan, string>> = { HTTP: "http", HTTPS: "https", HTTP2: "http2" };

/** The ServiceExport of a service, of the kind the cluster's MCS implementation reads; none without one. */
export function serviceExportObject(cluster: ClusterPlan, service: ServicePlan): ObjectSource | undefined {
  if (cluster.multiClusterServices === "gke-fleet")
    return new GkeServiceExport({ metadata: { name: service.name, namespace: service.namespace, labels: { ...MANAGED_BY } } });
  if (cluster.multiClusterServices === "mcs-api") return upstreamServiceExport(service.namespace, service.name, { ...MANAGED_BY });
  return undefined;
}
