/**
 * What exists outside Pulumi's state during a simulated `pulumi up`: every cluster's objects and the
 * CRDs and controllers installed there, and what the clouds hold (NEGs, NLBs, certificates and their
 * states, DNS records, load balancer parts). Plain JSON, so that one run's world is the next run's start,
 * and several stacks can share one world (as they share a GCP project or an AWS account).
 *
 * The world starts as the admin's prerequisites say (docs/operating.md's "What each cluster must already
 * have"): the Gateway API CRDs (the standard bundle Fleetgate is tested with), the teams' namespaces, nodes in every listed zone, the AWS Load Balancer
 * Controller on EKS, GKE's NEG controller on GKE, and the multi-cluster Services CRDs only where
 * `multiClusterServices` says [kubernetes.mcs-crds]. A test may change it (a zone without nodes, an older
 * controller) to see what the program does then.
 */
import type { FleetPlan } from "../../spec/plan";
import { MIN_LOAD_BALANCER_CONTROLLER } from "../../contracts/aws";

/**
 * The bundle the admin's prerequisite installs in the simulated clusters: the one Fleetgate is tested
 * with (components/kubernetes/gateway-api-bundle.ts's GATEWAY_API_BUNDLE; a test keeps the two equal).
 */
export const PREREQUISITE_GATEWAY_API_BUNDLE = "v1.4.0";

export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface ClusterWorld {
  readonly name: string;
  readonly provider: "gke" | "eks" | "other";
  readonly region: string;
  /** GKE: the project its NEGs live in. */
  readonly project?: string;
  /** EKS: the name its load balancer controller tags NLBs with. */
  readonly eksName?: string;
  /** A cluster reached on its gateway's public name (behind the GCP front door's internet NEGs, or latency DNS). */
  readonly publicHostname?: string;
  /** Zones that have nodes: GKE makes NEGs only there. */
  zonesWithNodes: string[];
  /** API groups whose CRDs are installed. */
  crds: string[];
  /**
   * The Gateway API bundle its CRDs carry (their bundle-version and channel annotations), while the
   * gateway.networking.k8s.io group is installed [kubernetes.gateway-api-bundle]; absent: no annotation.
   */
  gatewayApi?: { version: string; channel: string };
  /** GKE: the cluster's name there, and its Gateway API channel (gatewayApiConfig.channel; unset: disabled). */
  readonly gkeName?: string;
  gkeGatewayApiChannel?: string;
  /** istiod runs (installed by Fleetgate's chart, or by others). */
  istiod: boolean;
  /** The control planes installed, by revision (`default`: one installed without a revision), and whether each is ready. */
  controlPlanes: Record<string, { ready: boolean }>;
  /** Gateway pods (by objectKey) whose revision's control plane is gone: since when, and which revision. */
  unserved: Record<string, { since: number; revision: string }>;
  /** EKS: the AWS Load Balancer Controller's version, if it runs. */
  loadBalancerController?: string;
  /** Objects by objectKey. */
  objects: Record<string, KubeObject>;
  /** Helm releases by `namespace/name`: the chart they installed. */
  releases: Record<string, { chart: string; values: Record<string, unknown> }>;
}

export interface Neg {
  readonly project: string;
  readonly zone: string;
  readonly name: string;
  /** The cluster and Service (`namespace/name`) whose controller made it. */
  readonly owner: string;
}

export interface Nlb {
  readonly arn: string;
  readonly region: string;
  readonly dnsName: string;
  readonly zoneId: string;
  readonly tags: Record<string, string>;
  state: "provisioning" | "active" | "failed";
  readonly listeners: { readonly port: number; readonly protocol: "TCP" | "TLS"; readonly certificates: string[] }[];
  readonly securityGroups: string[];
  readonly ipAddressType: "ipv4" | "dualstack";
  readonly targetType: "ip" | "instance";
  readonly proxyProtocol: boolean;
  /** Whether its targets answer its health checks. */
  targetsHealthy: boolean;
}

export interface DnsRecord {
  readonly type: string;
  readonly setIdentifier?: string;
  readonly values: string[];
  /** The alias target's name, for alias records. */
  readonly alias?: string;
  /** Route 53: the routing policy (simple, weighted, latency, failover). */
  readonly policy?: string;
  /** The stack and logical name that wrote it. */
  readonly owner: string;
}

export interface World {
  clusters: Record<string, ClusterWorld>;
  gcp: {
    negs: Record<string, Neg>;
    /** Resources Pulumi created, by self link (or id), with their inputs. */
    resources: Record<string, { type: string; inputs: Record<string, unknown> }>;
    /** Managed certificates by id: their state, and when their authorizations' records were first seen. */
    certificates: Record<string, { state: "PROVISIONING" | "ACTIVE" | "FAILED"; authorizationRecords: string[] }>;
    /** Cloud DNS records by `project/zone|name|type`. */
    dns: Record<string, DnsRecord>;
  };
  aws: {
    loadBalancers: Record<string, Nlb>;
    certificates: Record<string, { region: string; domains: string[]; status: "PENDING_VALIDATION" | "ISSUED"; validationRecords: string[] }>;
    /** Route 53 records by `zoneId|name|type|setIdentifier`. */
    records: Record<string, DnsRecord>;
    /** Global Accelerator endpoint groups by ARN: the load balancers they send to. */
    endpointGroups: Record<string, { endpoints: string[] }>;
    /** Accelerators by ARN, and listeners by ARN with their accelerator's. */
    accelerators: Record<string, { ipAddressType: string }>;
    listeners: Record<string, { accelerator: string }>;
  };
}

/** An object's identity in its cluster. */
export function objectKey(o: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): string {
  return `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ""}|${o.metadata.name}`;
}

/** API groups every cluster serves without CRDs. */
const BUILT_IN_GROUPS = new Set([
  "",
  "apps",
  "batch",
  "policy",
  "autoscaling",
  "rbac.authorization.k8s.io",
  "networking.k8s.io",
  "discovery.k8s.io",
  "apiextensions.k8s.io",
  "storage.k8s.io",
  "coordination.k8s.io",
  "admissionregistration.k8s.io",
]);

/** The API group of an apiVersion (`v1` is the core group ""). */
export function apiGroup(apiVersion: string): string {
  return apiVersion.includes("/") ? apiVersion.split("/")[0]! : "";
}

export function isBuiltIn(apiVersion: string): boolean {
  return BUILT_IN_GROUPS.has(apiGroup(apiVersion));
}

/** The CRDs istio-base installs: Istio's own, never the Gateway API's [kubernetes.gateway-api-crds]. */
export const ISTIO_CRD_GROUPS = ["networking.istio.io", "security.istio.io", "telemetry.istio.io", "extensions.istio.io"];

export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";

/**
 * The world a fresh environment starts from: the plan's clusters as the admin's prerequisites describe
 * them, and empty clouds.
 */
export function initialWorld(plan: FleetPlan): World {
  const teams = [...new Set(plan.services.map((s) => s.namespace))].sort();
  const clusters: Record<string, ClusterWorld> = {};
  for (const c of plan.clusters) {
    const crds = [GATEWAY_API_GROUP];
    if (c.multiClusterServices === "gke-fleet") crds.push("net.gke.io");
    if (c.multiClusterServices === "mcs-api") crds.push("multicluster.x-k8s.io");
    const preinstalled = !c.istio.install;
    if (preinstalled) crds.push(...ISTIO_CRD_GROUPS);
    const objects: Record<string, KubeObject> = {};
    const namespace = (name: string) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
    for (const ns of ["default", "kube-system", ...teams, ...(preinstalled ? ["istio-system"] : [])]) objects[objectKey(namespace(ns))] = namespace(ns);
    // The teams run their workloads where their services are placed: the pods behind their Services.
    for (const s of plan.services.filter((s) => s.clusters.some((sc) => sc.cluster === c.name))) {
      const pod = workloadPod(s.namespace, s.name, s.selector);
      objects[objectKey(pod)] = pod;
    }
    clusters[c.name] = {
      name: c.name,
      provider: c.provider,
      region: c.region,
      ...(c.access.kind === "gke" ? { project: c.access.project, gkeName: c.access.clusterName } : {}),
      ...(c.provider === "eks" ? { eksName: c.access.kind === "eks" ? c.access.clusterName : c.name } : {}),
      ...(c.gateway?.publicHostname !== undefined ? { publicHostname: c.gateway.publicHostname } : {}),
      zonesWithNodes: [...c.zones],
      crds,
      gatewayApi: { version: PREREQUISITE_GATEWAY_API_BUNDLE, channel: "standard" },
      istiod: preinstalled,
      controlPlanes: preinstalled ? { default: { ready: true } } : {},
      unserved: {},
      ...(c.provider === "eks" ? { loadBalancerController: MIN_LOAD_BALANCER_CONTROLLER } : {}),
      objects,
      releases: {},
    };
  }
  return {
    clusters,
    gcp: { negs: {}, resources: {}, certificates: {}, dns: {} },
    aws: { loadBalancers: {}, certificates: {}, records: {}, endpointGroups: {}, accelerators: {}, listeners: {} },
  };
}

/** Adds the clusters a later plan brings (a cluster added to the fleet) to a world, as initialWorld would. */
export function withNewClusters(world: World, plan: FleetPlan): World {
  const fresh = initialWorld(plan);
  const clusters = { ...world.clusters };
  for (const [name, cluster] of Object.entries(fresh.clusters)) {
    if (!clusters[name]) clusters[name] = cluster;
    // Teams placed in a cluster for the first time deploy there (and their namespaces exist).
    else {
      const known = clusters[name]!;
      for (const [key, object] of Object.entries(cluster.objects))
        if ((object.kind === "Namespace" || object.kind === "Pod") && !known.objects[key]) known.objects[key] = object;
    }
  }
  return { ...world, clusters };
}

/** A running pod of a team's workload, with the labels its Service selects. */
export function workloadPod(namespace: string, service: string, labels: Readonly<Record<string, string>>): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: `${service}-workload`, namespace, labels: { ...labels } }, status: { ready: true } };
}

/** Semantic versions compared: negative when a is older. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** Takes a cluster's Gateway API CRDs away (a fresh cluster), or gives it a bundle (installed by others). */
export function setGatewayApiBundle(cluster: ClusterWorld, bundle: { version: string; channel: string } | undefined): void {
  cluster.crds = cluster.crds.filter((group) => group !== GATEWAY_API_GROUP);
  delete cluster.gatewayApi;
  if (bundle) {
    cluster.crds.push(GATEWAY_API_GROUP);
    cluster.gatewayApi = { ...bundle };
  }
}
