/**
 * A cluster's part of the mesh as pure data: the `istio-system` namespace on the cluster's network, the
 * Helm values of istio-base, istiod and (multi-network) the east-west gateway, the reader identity peers
 * use to discover this cluster, the remote secrets this cluster reads its peers with, and the
 * DestinationRules that make in-mesh traffic fail over between clusters.
 */
import { DestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule";
import { Gateway as IstioGateway } from "@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { MutatingWebhookConfiguration } from "kubernetes-models/admissionregistration.k8s.io/v1/MutatingWebhookConfiguration";
import type { BackendSettingsPlan, ClusterPlan, FleetPlan, IstioRevisionPlan, OutlierDetectionPlan, ServicePlan } from "../../spec/plan";
import { DEFAULT_OUTLIER_DETECTION } from "../../spec/resolve";
import { CACERTS_SECRET } from "../trust/trust-plan";
import {
  ISTIO_SYSTEM,
  MANAGED_BY,
  NETWORK_LABEL,
  READER_ACCOUNT,
  READER_TOKEN,
  remoteSecretName,
  REVISION_LABEL,
  REVISION_TAG,
  serviceRef,
  splitServiceKey,
} from "./names";

export { REVISION_LABEL, REVISION_TAG } from "./names";

/** Istio's Helm repository; chart versions are pinned from `fleetgate:mesh.istio.version`. */
export const ISTIO_CHARTS = "https://istio-release.storage.googleapis.com/charts";

/** `istio-system`, labelled with the cluster's network (Istio reads a cluster's network from it). */
export function istioSystemNamespace(cluster: ClusterPlan): Namespace {
  return new Namespace({ metadata: { name: ISTIO_SYSTEM, labels: { [NETWORK_LABEL]: cluster.istio.network } } });
}

/** The `cacerts` Secret without its data (the four files are secret Outputs, attached by the caller). */
export function cacertsSecret(): Secret {
  return new Secret({ metadata: { name: CACERTS_SECRET, namespace: ISTIO_SYSTEM, labels: { ...MANAGED_BY } }, type: "Opaque" });
}

/** The settings istiod must have in a cluster; also what is checked where Istio is installed by others. */
export interface IstioSettings {
  readonly meshId: string;
  readonly clusterName: string;
  readonly network: string;
  readonly trustDomain: string;
  readonly version?: string;
}

export function istioSettings(plan: FleetPlan, cluster: ClusterPlan): IstioSettings {
  return {
    meshId: plan.mesh.meshId,
    clusterName: cluster.istio.clusterId,
    network: cluster.istio.network,
    trustDomain: plan.trust.trustDomain,
    ...(plan.mesh.istioVersion !== undefined ? { version: plan.mesh.istioVersion } : {}),
  };
}

/** The pinned chart version, required where Fleetgate installs Istio. */
export function istioChartVersion(plan: FleetPlan, cluster: ClusterPlan): string {
  if (plan.mesh.istioVersion === undefined)
    throw new Error(`cluster ${cluster.name} installs Istio, but fleetgate:mesh.istio.version is not set; pin the chart version, e.g. 1.28.0`);
  return plan.mesh.istioVersion;
}

/** istiod's values: the mesh, this cluster's name and network, the trust domain; the revision, when it is one. */
export function istiodValues(settings: IstioSettings, revision?: IstioRevisionPlan): Record<string, unknown> {
  return {
    global: { meshID: settings.meshId, multiCluster: { clusterName: settings.clusterName }, network: settings.network },
    meshConfig: { trustDomain: settings.trustDomain },
    ...(revision ? { revision: revision.name } : {}),
  };
}

const TAG_LABEL = "istio.io/tag";

/** The cluster's installed revisions and the one its gateways run, required where Fleetgate installs Istio. */
export function clusterRevisions(cluster: ClusterPlan): { revisions: readonly IstioRevisionPlan[]; serving: IstioRevisionPlan } {
  const serving = cluster.istio.serving;
  if (!serving || !cluster.istio.revisions.some((r) => r.name === serving.name))
    throw new Error(`cluster ${cluster.name} installs Istio, but its plan names no installed revision to serve; set fleetgate:mesh.istio.version`);
  return { revisions: cluster.istio.revisions, serving };
}

/**
 * One istiod release per revision [istio.revision-control-planes]: Helm release and logical name from the
 * revision's name, so adding a revision creates a release beside the others and replaces none.
 */
export function istiodRelease(revision: IstioRevisionPlan): { release: string; logical: string } {
  return { release: `istiod-${revision.name}`, logical: `istiod-${revision.name}` };
}

/**
 * istio-base's chart version and values. Its CRDs come from the newest installed revision (Istio's Helm
 * upgrade installs the new base before the new istiod, and older control planes read newer CRDs); the
 * default validator points at the serving revision's istiod, and fails open until that istiod is ready
 * [istio.base-chart].
 */
export function baseChart(cluster: ClusterPlan): { version: string; values: Record<string, unknown> } {
  const { revisions, serving } = clusterRevisions(cluster);
  return { version: revisions[revisions.length - 1]!.version, values: { defaultRevision: serving.name } };
}

/**
 * The revision tag as Istio's chart renders it and its docs apply it, outside any Helm release: a
 * MutatingWebhookConfiguration named for the tag, labelled with the tag and the revision it points at,
 * whose webhooks send pods labelled (or in namespaces labelled) `istio.io/rev: <tag>` to that revision's
 * istiod for injection. istiod finds its tags by these labels, and fills in the CA bundle itself.
 * Pointing the tag elsewhere is an update of this one object [istio.revision-tags].
 */
export function revisionTag(tag: string, revision: IstioRevisionPlan): MutatingWebhookConfiguration {
  const webhook = (name: string, namespaceSelector: LabelSelector, objectSelector: LabelSelector) => ({
    name,
    admissionReviewVersions: ["v1"],
    clientConfig: { service: { name: `istiod-${revision.name}`, namespace: ISTIO_SYSTEM, path: "/inject", port: 443 } },
    failurePolicy: "Fail" as const,
    reinvocationPolicy: "Never" as const,
    sideEffects: "None" as const,
    rules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE" as const], resources: ["pods"] }],
    namespaceSelector,
    objectSelector,
  });
  const notOptedOut = { key: "sidecar.istio.io/inject", operator: "NotIn", values: ["false"] };
  return new MutatingWebhookConfiguration({
    metadata: {
      name: `istio-revision-tag-${tag}`,
      labels: { [TAG_LABEL]: tag, [REVISION_LABEL]: revision.name, app: "sidecar-injector", ...MANAGED_BY },
    },
    webhooks: [
      webhook(
        "rev.namespace.sidecar-injector.istio.io",
        {
          matchExpressions: [
            { key: REVISION_LABEL, operator: "In", values: [tag] },
            { key: "istio-injection", operator: "DoesNotExist" },
          ],
        },
        { matchExpressions: [notOptedOut] },
      ),
      webhook(
        "rev.object.sidecar-injector.istio.io",
        {
          matchExpressions: [
            { key: REVISION_LABEL, operator: "DoesNotExist" },
            { key: "istio-injection", operator: "DoesNotExist" },
          ],
        },
        { matchExpressions: [notOptedOut, { key: REVISION_LABEL, operator: "In", values: [tag] }] },
      ),
    ],
  });
}

type LabelSelector = { matchExpressions: { key: string; operator: string; values?: string[] }[] };

/** The revision an injected gateway's pods were made for; a new value rolls them onto the tag's revision. */
export const SERVING_REVISION_ANNOTATION = "fleetgate.io/istio-revision";

/** The port peers on other networks reach the east-west gateway on: mTLS passed through by SNI. */
export const EAST_WEST_PORT = 15443;

/**
 * The east-west gateway's values. In a multi-primary mesh only 15443 must be reachable from the other
 * networks [istio.east-west-ports]; the gateway chart's `networkGateway` would also put Istio's status
 * port and istiod's 15012 and 15017 on the load balancer, so its parts are given one by one instead: the
 * network label on the pods and the Service (istiod finds a network's gateway by it), the network view,
 * and the one port. On EKS the AWS Load Balancer Controller would make an internal NLB by default, out of
 * reach of peers in other VPCs and regions: the east-west NLB is internet-facing (mTLS end to end), with
 * IP targets checked on the gateway's readiness endpoint, which needs no listener of its own.
 */
export function eastWestValues(cluster: Pick<ClusterPlan, "provider" | "istio">): Record<string, unknown> {
  // Injected by the tag's revision; its pods keep that proxy until recreated, so the serving revision
  // is written on them, and moving the tag rolls them [istio.injected-at-creation].
  const serving = cluster.istio.serving;
  const annotations =
    cluster.provider === "eks"
      ? {
          "service.beta.kubernetes.io/aws-load-balancer-type": "external",
          "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
          "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
          "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": "15021",
          "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "http",
          "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/healthz/ready",
        }
      : {};
  return {
    ...(serving ? { revision: REVISION_TAG, podAnnotations: { [SERVING_REVISION_ANNOTATION]: serving.name } } : {}),
    labels: { istio: "eastwestgateway", [NETWORK_LABEL]: cluster.istio.network },
    env: { ISTIO_META_REQUESTED_NETWORK_VIEW: cluster.istio.network },
    service: {
      type: "LoadBalancer",
      ports: [{ name: "tls", port: EAST_WEST_PORT, targetPort: EAST_WEST_PORT, protocol: "TCP" }],
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
  };
}

/**
 * The Istio Gateway that opens the east-west gateway: mTLS traffic for any `*.local` service passes
 * through on 15443 to the workload, routed by SNI (AUTO_PASSTHROUGH), without terminating it.
 */
export function crossNetworkGateway(): IstioGateway {
  return new IstioGateway({
    metadata: { name: "cross-network-gateway", namespace: ISTIO_SYSTEM, labels: { ...MANAGED_BY } },
    spec: {
      selector: { istio: "eastwestgateway" },
      servers: [{ port: { number: EAST_WEST_PORT, name: "tls", protocol: "TLS" }, tls: { mode: "AUTO_PASSTHROUGH" }, hosts: ["*.local"] }],
    },
  });
}

/**
 * What a peer's istiod may read here: the rules of Istio's own reader role (service discovery, config,
 * endpoint slices, MCS exports; secrets, for gateway credentials in remote clusters), read-only, plus the
 * token and access reviews istiod makes on behalf of workloads.
 */
export function readerObjects(): { account: ServiceAccount; token: Secret; role: ClusterRole; binding: ClusterRoleBinding } {
  const read = ["get", "list", "watch"];
  return {
    account: new ServiceAccount({ metadata: { name: READER_ACCOUNT, namespace: ISTIO_SYSTEM, labels: { ...MANAGED_BY } } }),
    // Since Kubernetes 1.24 no token Secret is created for a service account: this one is, explicitly, so
    // that remote secrets do not stop working when a projected token expires.
    token: new Secret({
      metadata: {
        name: READER_TOKEN,
        namespace: ISTIO_SYSTEM,
        labels: { ...MANAGED_BY },
        annotations: { "kubernetes.io/service-account.name": READER_ACCOUNT },
      },
      type: "kubernetes.io/service-account-token",
    }),
    role: new ClusterRole({
      metadata: { name: READER_ACCOUNT, labels: { ...MANAGED_BY } },
      rules: [
        {
          apiGroups: [
            "config.istio.io",
            "security.istio.io",
            "networking.istio.io",
            "authentication.istio.io",
            "rbac.istio.io",
            "telemetry.istio.io",
            "extensions.istio.io",
          ],
          resources: ["*"],
          verbs: read,
        },
        { apiGroups: [""], resources: ["endpoints", "pods", "services", "nodes", "replicationcontrollers", "namespaces", "secrets"], verbs: read },
        { apiGroups: ["networking.x-k8s.io", "gateway.networking.k8s.io"], resources: ["gateways"], verbs: read },
        { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: read },
        { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: read },
        { apiGroups: ["multicluster.x-k8s.io"], resources: ["serviceexports", "serviceimports"], verbs: read },
        { apiGroups: ["apps"], resources: ["replicasets"], verbs: read },
        { apiGroups: ["authentication.k8s.io"], resources: ["tokenreviews"], verbs: ["create"] },
        { apiGroups: ["authorization.k8s.io"], resources: ["subjectaccessreviews"], verbs: ["create"] },
      ],
    }),
    binding: new ClusterRoleBinding({
      metadata: { name: READER_ACCOUNT, labels: { ...MANAGED_BY } },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: READER_ACCOUNT },
      subjects: [{ kind: "ServiceAccount", name: READER_ACCOUNT, namespace: ISTIO_SYSTEM }],
    }),
  };
}

/** The peers whose endpoints this cluster's istiod discovers, sorted. */
export function remotePeers(plan: FleetPlan, cluster: string): string[] {
  return plan.mesh.remoteSecrets
    .filter((r) => r.inCluster === cluster)
    .map((r) => r.forCluster)
    .sort();
}

/** Clusters some peer reads (they need a reader identity). */
export function readClusters(plan: FleetPlan): Set<string> {
  return new Set(plan.mesh.remoteSecrets.map((r) => r.forCluster));
}

/**
 * The remote secret of a peer without its data: Istio's format (`istio-remote-secret-<peer>` in
 * istio-system, labelled `istio/multiCluster: "true"`, the peer's kubeconfig under the peer's cluster ID).
 */
export function remoteSecret(peer: string): Secret {
  return new Secret({
    metadata: {
      name: remoteSecretName(peer),
      namespace: ISTIO_SYSTEM,
      labels: { "istio/multiCluster": "true", ...MANAGED_BY },
      annotations: { "networking.istio.io/cluster": peer },
    },
    type: "Opaque",
  });
}

/**
 * Locality failover in the spec's order, as Istio expresses it: for clients in each region, the region
 * to go to when the local one is unhealthy is the first region of the order that is not their own
 * (after that Istio spreads over the rest). Clients in regions the order does not name go to its first.
 */
export function localityFailover(order: readonly string[], regions: readonly string[]): { from: string; to: string }[] {
  if (order.length < 2) return [];
  const from = [...order, ...[...new Set(regions)].filter((r) => !order.includes(r)).sort()];
  return from.map((region) => ({ from: region, to: order.find((r) => r !== region)! }));
}

const seconds = (s: number) => `${s}s`;

const outlierPolicy = (o: OutlierDetectionPlan) => ({
  consecutive5xxErrors: o.consecutive5xxErrors,
  interval: seconds(o.intervalSeconds),
  baseEjectionTime: seconds(o.baseEjectionSeconds),
  maxEjectionPercent: o.maxEjectionPercent,
});

/**
 * The default DestinationRule of a team namespace: the spec's default ejection for every service in it.
 * Istio keeps a client's requests in its own locality only while outlier detection can eject failing
 * endpoints (without it, every cluster's endpoints are equal), so this is what makes `nearest` hold for
 * services that say nothing more. One rule per namespace and cluster, not per service: a service's own
 * rule (destinationRule) is more specific and replaces it. Its name has two dots, which no service's
 * rule name (`<name>.<namespace>`) has.
 */
export function namespaceDestinationRule(namespace: string): DestinationRule {
  return new DestinationRule({
    metadata: { name: `${namespace}.defaults.fleetgate`, namespace: ISTIO_SYSTEM, labels: { ...MANAGED_BY } },
    spec: { host: `*.${namespace}.svc.cluster.local`, trafficPolicy: { outlierDetection: outlierPolicy(DEFAULT_OUTLIER_DETECTION) } },
  });
}

/**
 * `balancing: even` in the mesh: from every client locality, the share of each region by the weights of
 * the service's clusters there, as whole percents that add up to 100 (Istio's rule for `distribute`);
 * a region whose clusters are all drained gets none. Istio places endpoints by their nodes' region label,
 * which is the cluster's region on GKE and EKS. Every client follows it, the gateways included, so the
 * spread holds whichever gateway a front door picks.
 */
export function regionShares(service: Pick<ServicePlan, "clusters">): Record<string, number> {
  const byRegion = new Map<string, number>();
  for (const c of service.clusters) byRegion.set(c.region, (byRegion.get(c.region) ?? 0) + c.weight);
  const weighted = [...byRegion].filter(([, w]) => w > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const total = weighted.reduce((sum, [, w]) => sum + w, 0);
  const shares = weighted.map(([region, w]) => ({ region, exact: (100 * w) / total, value: Math.max(1, Math.floor((100 * w) / total)) }));
  let left = 100 - shares.reduce((sum, s) => sum + s.value, 0);
  for (const s of [...shares].sort((a, b) => b.exact - b.value - (a.exact - a.value) || (a.region < b.region ? -1 : 1))) {
    if (left === 0) break;
    const step = left > 0 ? 1 : s.value > 1 ? -1 : 0;
    s.value += step;
    left -= step;
  }
  return Object.fromEntries(shares.map((s) => [`${s.region}/*`, s.value]));
}

/**
 * The DestinationRule of a service that says more than its namespace's default: its own outlier
 * detection, clients stuck to pods, a failover order, or `even` balancing across clusters (regionShares).
 * It replaces the namespace's rule for the service, so a `nearest` service keeps the default ejection
 * where it declares none. It lives in istio-system (the root namespace), so it applies to every client in
 * the cluster, whichever namespaces exist there.
 */
export function destinationRule(plan: FleetPlan, service: ServicePlan): DestinationRule | undefined {
  const sticky = service.ports.flatMap((p) => {
    const consistentHash = affinityHash(p.backend.sessionAffinity);
    return consistentHash ? [{ port: p.port, consistentHash }] : [];
  });
  const spread = service.clusters.length > 1;
  const even = service.balancing === "even" && spread;
  if (!service.outlierDetection && sticky.length === 0 && service.failover.length === 0 && !even) return undefined;
  const [namespace, name] = splitServiceKey(service.key);
  const o = service.outlierDetection ?? (service.balancing === "nearest" && spread ? DEFAULT_OUTLIER_DETECTION : undefined);
  const failover = localityFailover(
    service.failover,
    plan.clusters.map((c) => c.region),
  );
  const localityLbSetting = even
    ? { enabled: true, distribute: [{ from: "*", to: regionShares(service) }] }
    : failover.length
      ? { enabled: true, failover }
      : undefined;
  const outlierDetection = o ? { outlierDetection: outlierPolicy(o) } : {};
  return new DestinationRule({
    metadata: { name: serviceRef(service.key), namespace: ISTIO_SYSTEM, labels: { ...MANAGED_BY } },
    spec: {
      host: `${name}.${namespace}.svc.cluster.local`,
      trafficPolicy: {
        ...outlierDetection,
        ...(localityLbSetting ? { loadBalancer: { localityLbSetting } } : {}),
        // A port's settings replace the service's whole policy for that port (Istio inherits nothing), so
        // each sticky port repeats the outlier detection and locality settings beside its hash.
        ...(sticky.length
          ? {
              portLevelSettings: sticky.map((s) => ({
                port: { number: s.port },
                ...outlierDetection,
                loadBalancer: { consistentHash: s.consistentHash, ...(localityLbSetting ? { localityLbSetting } : {}) },
              })),
            }
          : {}),
      },
    },
  });
}

/** The ports of a service's Service the gateways speak TLS to: its HTTPS ports and HTTPS health ports, sorted. */
export function tlsPorts(service: Pick<ServicePlan, "ports" | "healthPorts">): number[] {
  const ports = [
    ...service.ports.filter((p) => p.appProtocol === "HTTPS").map((p) => p.port),
    ...(service.healthPorts ?? []).filter((h) => h.protocol === "HTTPS").map((h) => h.port),
  ];
  return [...new Set(ports)].sort((a, b) => a - b);
}

/**
 * The gateways' own DestinationRule of a service whose pods serve TLS themselves (an HTTPS port, from
 * networking.gke.io/app-protocols, or a health check of type HTTPS): the gateway originates TLS to those
 * ports (mode SIMPLE), as GKE's load balancer does, without checking the pods' certificates, which GKE
 * does not check either [gke.app-protocols] [istio.tls-origination]. It is not the mesh's mutual TLS: on
 * those ports the pods' own TLS replaces it, so a sidecar beside them must accept plain TLS there (no
 * STRICT PeerAuthentication on the port).
 *
 * Only the gateways may originate it: a client in the mesh that calls the port speaks TLS itself, and a
 * mesh-wide rule would wrap its TLS in another. So the rule lives in the gateway namespace, kept there by
 * exportTo ".", where Istio looks first for the gateways' rules; being found first, it replaces the
 * service's own rule for them, so it repeats that rule's policy (or the namespace default's), and each
 * TLS port, whose port settings replace the whole policy, repeats it again beside its TLS.
 */
export function gatewayDestinationRule(plan: FleetPlan, service: ServicePlan, gatewayNamespace: string): DestinationRule | undefined {
  const tls = tlsPorts(service);
  if (tls.length === 0) return undefined;
  const [namespace, name] = splitServiceKey(service.key);
  type Policy = NonNullable<NonNullable<DestinationRule["spec"]>["trafficPolicy"]>;
  const own: Policy = destinationRule(plan, service)?.spec?.trafficPolicy ?? { outlierDetection: outlierPolicy(DEFAULT_OUTLIER_DETECTION) };
  const { portLevelSettings: sticky = [], ...whole } = own;
  const ports = [...new Set([...sticky.map((s) => s.port?.number ?? 0), ...tls])].sort((a, b) => a - b);
  const portLevelSettings = ports.map((port) => {
    const settings = sticky.find((s) => s.port?.number === port) ?? {
      port: { number: port },
      ...(whole.outlierDetection ? { outlierDetection: whole.outlierDetection } : {}),
      ...(whole.loadBalancer ? { loadBalancer: whole.loadBalancer } : {}),
    };
    return tls.includes(port) ? { ...settings, tls: { mode: "SIMPLE" as const, insecureSkipVerify: true } } : settings;
  });
  return new DestinationRule({
    metadata: { name: serviceRef(service.key), namespace: gatewayNamespace, labels: { ...MANAGED_BY } },
    spec: { host: `${name}.${namespace}.svc.cluster.local`, exportTo: ["."], trafficPolicy: { ...whole, portLevelSettings } },
  });
}

/** The cookie the gateways set for a service port with cookie affinity. */
export const AFFINITY_COOKIE = "fleetgate-affinity";

/**
 * A BackendConfig's session affinity as the gateways apply it. The front door's own affinity only
 * pins a client to a cluster's gateway pod (its endpoints are gateways, not the service's pods), so the
 * gateway keeps the client on one pod of the service by a consistent hash: of a cookie it sets itself
 * (GENERATED_COOKIE; a TTL of 0 makes it a session cookie), or of the client's address (CLIENT_IP). Behind
 * the GCP front door that address is the client's, taken from the X-Forwarded-For entries the gateway
 * trusts (GatewayPlan.forwarded); behind the AWS front door it is the NLB's, which hides its clients.
 */
export function affinityHash(
  affinity: BackendSettingsPlan["sessionAffinity"],
): { httpCookie: { name: string; ttl: string } } | { useSourceIp: true } | undefined {
  if (affinity?.type === "GENERATED_COOKIE") return { httpCookie: { name: AFFINITY_COOKIE, ttl: seconds(affinity.cookieTtlSeconds ?? 0) } };
  if (affinity?.type === "CLIENT_IP") return { useSourceIp: true };
  return undefined;
}
