/**
 * The clusters in the simulated `pulumi up`: each cluster's API server (CRDs and namespaces must exist
 * [kubernetes.crd-required] [kubernetes.namespace-required]), the Pulumi Kubernetes provider's waits
 * [pulumi.kubernetes-await], Helm installing Istio's charts, and the controllers that act on what
 * Fleetgate applies:
 * - Helm installs one istiod per revision [istio.revision-control-planes]; a revision tag (its webhook
 *   configuration) says which revision an `istio.io/rev: <tag>` label means [istio.revision-tags];
 * - Istio's gateway controller, of the revision a Gateway's label resolves to, renders its Deployment and
 *   Service and marks it Programmed once the Service has an address [istio.gateway-programmed]; when the
 *   revision changes it rolls the pods to it [istio.gateway-revision-rollout]; injected gateways keep
 *   the revision they were injected with until their chart rolls them [istio.injected-at-creation];
 * - at every moment, every gateway's pods run a revision whose control plane is installed and ready
 *   [istio.control-plane-in-use]: a violation names the cluster, the gateway and the window;
 * - GKE's NEG controller makes the NEGs a Service names, after it has endpoints, in zones with nodes
 *   [gke.neg-controller];
 * - the AWS Load Balancer Controller makes an NLB for a LoadBalancer Service and writes its name into the
 *   Service's status while it still provisions [eks.load-balancer-status] [eks.load-balancer-annotations];
 * - other LoadBalancer Services get their address from the cloud they run in.
 */
import { cite } from "../../contracts/contract";
import { lbcAnnotations, nlbSecurityGroups, proxyProtocolHealth } from "../../contracts/aws";
import { negNames } from "../../contracts/gcp";
import { controlPlaneInUse } from "../../contracts/istio";
import { crdRequired, loadBalancerAnnotationProblems, namespaceRequired, pulumiAwaits } from "../../contracts/kubernetes";
import type { RegisteredResource } from "../mock-engine";
import { nlbIdentity } from "../fakes/aws";
import type { Context, Handler, StateEntry } from "./engine";
import { LATENCIES } from "./latencies";
import {
  apiGroup,
  type ClusterWorld,
  compareVersions,
  GATEWAY_API_GROUP,
  isBuiltIn,
  ISTIO_CRD_GROUPS,
  type KubeObject,
  objectKey,
  setGatewayApiBundle,
} from "./world";

const LBC = "service.beta.kubernetes.io/aws-load-balancer-";
const GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";
const STATUS_PORT_PROXY_PROTOCOL = "ENVOY_STATUS_PORT_ENABLE_PROXY_PROTOCOL";
const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "MutatingWebhookConfiguration"]);
const REVISION_LABEL = "istio.io/rev";
const TAG_LABEL = "istio.io/tag";
/** The revision of an istiod installed without one (earlier Fleetgate's, or the admin's own). */
const UNREVISIONED = "default";

/** The cluster a Kubernetes registration is for, by its provider's cluster identifier (`<env>-<cluster>`). */
function clusterOf(ctx: Context, resource: { provider?: string; name: string }): ClusterWorld {
  const identifier = String(ctx.providerInputs(resource)?.clusterIdentifier ?? "");
  const name = identifier.startsWith(`${ctx.environment}-`) ? identifier.slice(ctx.environment.length + 1) : identifier;
  const cluster = ctx.world.clusters[name];
  if (!cluster) throw new Error(`${resource.name}: its provider names cluster "${name}", which the simulated world does not have`);
  return cluster;
}

/** The object a registration applies: its inputs, with secret data as given. */
function objectOf(resource: RegisteredResource): KubeObject {
  const inputs = resource.inputs as Record<string, unknown>;
  const object = JSON.parse(JSON.stringify(inputs)) as KubeObject;
  object.metadata ??= { name: resource.name };
  return object;
}

// --- The cluster's API --------------------------------------------------------------------------------

/** Applies an object and lets the controllers react. */
export function put(ctx: Context, cluster: ClusterWorld, object: KubeObject): void {
  const key = objectKey(object);
  const before = cluster.objects[key];
  cluster.objects[key] = { ...object, status: { ...(before?.status ?? {}), ...(object.status ?? {}) } };
  react(ctx, cluster, cluster.objects[key]!, "upsert");
  checkServed(ctx, cluster);
  ctx.changed();
}

function remove(ctx: Context, cluster: ClusterWorld, object: KubeObject): void {
  const key = objectKey(object);
  const current = cluster.objects[key];
  if (!current) return;
  delete cluster.objects[key];
  react(ctx, cluster, current, "delete");
  checkServed(ctx, cluster);
  ctx.changed();
}

function setStatus(ctx: Context, cluster: ClusterWorld, object: KubeObject, status: Record<string, unknown>): void {
  const current = cluster.objects[objectKey(object)];
  if (!current) return;
  current.status = { ...(current.status ?? {}), ...status };
  react(ctx, cluster, current, "status");
  checkServed(ctx, cluster);
  ctx.changed();
}

const find = (cluster: ClusterWorld, apiVersion: string, kind: string, namespace: string | undefined, name: string) =>
  cluster.objects[objectKey({ apiVersion, kind, metadata: { name, ...(namespace !== undefined ? { namespace } : {}) } })];
const objectsOf = (cluster: ClusterWorld, kind: string) => Object.values(cluster.objects).filter((o) => o.kind === kind);

/** Pods a selector picks in a namespace: scheduled ones, and how many are ready. */
function podsOf(cluster: ClusterWorld, namespace: string | undefined, selector: Record<string, string>): { scheduled: number; ready: number } {
  const pods = objectsOf(cluster, "Pod").filter(
    (p) => p.metadata.namespace === namespace && Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v),
  );
  return { scheduled: pods.length, ready: pods.filter((p) => p.status?.ready === true).length };
}

/** The API server's answer to a create: the CRD and the namespace must exist, retried as the provider does. */
async function admit(ctx: Context, cluster: ClusterWorld, object: KubeObject, urn: string): Promise<void> {
  await ctx.sleep("kubernetesObject");
  const group = apiGroup(object.apiVersion);
  if (!isBuiltIn(object.apiVersion) && !cluster.crds.includes(group)) {
    const message = `${urn}: creation failed because the Kubernetes API server of ${cluster.name} reported that the apiVersion for this resource does not exist; verify that any required CRDs have been created: no matches for kind "${object.kind}" in version "${object.apiVersion}"`;
    await ctx
      .until(
        () => cluster.crds.includes(group),
        LATENCIES.crdRetry.ms,
        () => message,
      )
      .catch(() => ctx.refuse(crdRequired, message));
  }
  const namespace = object.metadata.namespace;
  if (namespace !== undefined && !CLUSTER_SCOPED.has(object.kind) && !find(cluster, "v1", "Namespace", undefined, namespace)) {
    const message = `${object.kind} ${namespace}/${object.metadata.name} in ${cluster.name}: namespaces "${namespace}" not found`;
    await ctx
      .until(
        () => find(cluster, "v1", "Namespace", undefined, namespace) !== undefined,
        LATENCIES.crdRetry.ms,
        () => message,
      )
      .catch(() => ctx.refuse(namespaceRequired, message));
  }
}

/** What the Pulumi Kubernetes provider waits for after a create or update [pulumi.kubernetes-await]. */
async function providerAwait(ctx: Context, cluster: ClusterWorld, object: KubeObject, urn: string): Promise<void> {
  const annotations = object.metadata.annotations ?? {};
  if (annotations["pulumi.com/skipAwait"] === "true") return;
  const timeout = Number(annotations["pulumi.com/timeoutSeconds"] ?? 0) * 1000 || LATENCIES.awaitTimeout.ms;
  const live = () => cluster.objects[objectKey(object)];
  const fail = (what: string) => () =>
    `${urn}: the Kubernetes provider waited ${Math.round(timeout / 60_000)} minutes for ${what} in ${cluster.name}, which did not come ${cite(pulumiAwaits)}`;
  const waitFor = annotations["pulumi.com/waitFor"];
  if (waitFor?.startsWith("condition=")) {
    const type = waitFor.slice("condition=".length).split("=")[0]!;
    const hasCondition = () =>
      ((live()?.status?.conditions ?? []) as { type: string; status: string }[]).some(
        (c) => c.type.toLowerCase() === type.toLowerCase() && c.status === "True",
      );
    await ctx.until(hasCondition, timeout, fail(`${object.kind} ${object.metadata.name} to be ${type}`));
    return;
  }
  if (object.apiVersion === "v1" && object.kind === "Service") {
    const spec = (object.spec ?? {}) as { selector?: Record<string, string>; type?: string };
    if (spec.selector && Object.keys(spec.selector).length > 0)
      await ctx.until(
        () => podsOf(cluster, object.metadata.namespace, spec.selector!).ready > 0,
        timeout,
        fail(`Service ${object.metadata.namespace}/${object.metadata.name} to select a ready pod`),
      );
    if (spec.type === "LoadBalancer")
      await ctx.until(
        () => ingressOf(live()) !== undefined,
        timeout,
        fail(`Service ${object.metadata.namespace}/${object.metadata.name} to be given a load balancer`),
      );
  }
  if (object.apiVersion === "v1" && object.kind === "Secret" && (object as { type?: string }).type === "kubernetes.io/service-account-token")
    await ctx.until(() => live()?.status?.token === true, timeout, fail(`Secret ${object.metadata.name} to get its token`));
}

const ingressOf = (service: KubeObject | undefined): string | undefined => {
  const ingress = ((service?.status?.loadBalancer as { ingress?: { hostname?: string; ip?: string }[] } | undefined)?.ingress ?? [])[0];
  return ingress?.hostname ?? ingress?.ip;
};

// --- Helm ---------------------------------------------------------------------------------------------

async function installRelease(ctx: Context, cluster: ClusterWorld, inputs: Record<string, unknown>, urn: string): Promise<void> {
  const chart = String(inputs.chart);
  const namespace = String(inputs.namespace ?? "default");
  const name = String(inputs.name);
  const values = (inputs.values ?? {}) as Record<string, unknown>;
  await admit(ctx, cluster, { apiVersion: "v1", kind: "Secret", metadata: { name: `sh.helm.release.v1.${name}.v1`, namespace } }, urn);
  cluster.releases[`${namespace}/${name}`] = { chart, values };
  if (chart === "base") {
    await ctx.sleep("helmBase");
    cluster.crds = [...new Set([...cluster.crds, ...ISTIO_CRD_GROUPS])];
    ctx.changed();
    return;
  }
  if (chart === "istiod") {
    // Each revision is a control plane of its own [istio.revision-control-planes]; an upgrade of a
    // running one keeps it serving while its pods roll.
    const revision = String(values.revision ?? "") || UNREVISIONED;
    cluster.controlPlanes[revision] ??= { ready: false };
    await ctx.sleep("helmIstiod");
    // istiod reads cacerts once, when it starts: without them it signs with a root of its own.
    if (!find(cluster, "v1", "Secret", "istio-system", "cacerts"))
      ctx.violation(
        `istiod in ${cluster.name} started before the cacerts Secret existed: it signs workloads with a self-signed root, which no other cluster trusts`,
      );
    cluster.controlPlanes[revision] = { ready: true };
    cluster.istiod = true;
    ctx.event(`istiod ${revision} is ready in ${cluster.name}`);
    for (const gateway of objectsOf(cluster, "Gateway")) react(ctx, cluster, gateway, "upsert");
    checkServed(ctx, cluster);
    ctx.changed();
    return;
  }
  if (chart === "gateway") {
    const service = (values.service ?? {}) as { type?: string; ports?: { name: string; port: number }[]; annotations?: Record<string, string> };
    const labels = {
      ...((values.labels ?? {}) as Record<string, string>),
      app: name,
      ...(values.revision ? { [REVISION_LABEL]: String(values.revision) } : {}),
    };
    const existing = find(cluster, "v1", "Pod", namespace, `${name}-pod`);
    // The webhook of the revision the pods' label resolves to injects them when they are created; a
    // chart upgrade rolls them, and the new pods get what the label resolves to then [istio.injected-at-creation].
    const injected = () => resolveRevision(cluster, labels[REVISION_LABEL]);
    if (!existing)
      put(ctx, cluster, {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: `${name}-pod`, namespace, labels },
        status: { ready: false, ...revisionOf(injected()) },
      });
    put(ctx, cluster, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, namespace, labels, annotations: { ...(service.annotations ?? {}) } },
      spec: { type: service.type ?? "LoadBalancer", selector: { app: name }, ports: service.ports ?? [] },
    });
    await ctx.sleep("helmGateway");
    const pod = find(cluster, "v1", "Pod", namespace, `${name}-pod`)!;
    pod.metadata.labels = labels;
    setStatus(ctx, cluster, pod, { ready: true, ...revisionOf(injected()) });
    // `helm --wait` holds until the Service has its load balancer (the Release's timeout: 300 s).
    if ((service.type ?? "LoadBalancer") === "LoadBalancer")
      await ctx.until(
        () => ingressOf(find(cluster, "v1", "Service", namespace, name)) !== undefined,
        300_000,
        () => `${urn}: helm's wait for ${namespace}/${name} timed out: its Service got no load balancer in ${cluster.name}`,
      );
    return;
  }
  throw new Error(`${urn}: the simulated Helm knows no chart "${chart}"`);
}

// --- The controllers ----------------------------------------------------------------------------------

function react(ctx: Context, cluster: ClusterWorld, object: KubeObject, change: "upsert" | "delete" | "status"): void {
  if (object.kind === "Gateway" && object.apiVersion.startsWith("gateway.networking.k8s.io/")) istioGateway(ctx, cluster, object, change);
  // A tag moved (or came, or went): every Gateway is looked at again by the revision it now resolves to.
  if (object.kind === "MutatingWebhookConfiguration" && object.metadata.labels?.[TAG_LABEL] !== undefined && change !== "status")
    for (const g of objectsOf(cluster, "Gateway")) react(ctx, cluster, g, "upsert");
  if (object.kind === "ConfigMap" && change !== "status")
    for (const g of objectsOf(cluster, "Gateway")) if (g.metadata.namespace === object.metadata.namespace) istioGateway(ctx, cluster, g, "upsert");
  if (object.kind === "Service" && object.apiVersion === "v1") {
    if (cluster.provider === "gke") negController(ctx, cluster, object, change);
    serviceLoadBalancer(ctx, cluster, object, change);
    if (change === "status") for (const g of objectsOf(cluster, "Gateway")) programmed(ctx, cluster, g);
  }
  if (object.kind === "Pod" && change === "status")
    for (const s of objectsOf(cluster, "Service")) if (s.metadata.namespace === object.metadata.namespace) negController(ctx, cluster, s, "status");
  if (
    object.kind === "Secret" &&
    (object as { type?: string }).type === "kubernetes.io/service-account-token" &&
    change === "upsert" &&
    object.status?.token !== true
  )
    ctx.clock.later(LATENCIES.tokenController.ms, "token controller", () => setStatus(ctx, cluster, object, { token: true }));
}

/** The Service Istio generates for a Gateway, and its pods. */
const generatedName = (gateway: KubeObject) => `${gateway.metadata.name}-istio`;

function istioGateway(ctx: Context, cluster: ClusterWorld, gateway: KubeObject, change: "upsert" | "delete" | "status"): void {
  if (change === "status") return;
  const namespace = gateway.metadata.namespace;
  const name = generatedName(gateway);
  if (change === "delete") {
    ctx.clock.later(LATENCIES.istioReconcile.ms, "istio gateway controller", () => {
      for (const [kind, n] of [
        ["Service", name],
        ["Pod", `${name}-pod`],
      ] as const) {
        const o = find(cluster, "v1", kind, namespace, n);
        if (o) remove(ctx, cluster, o);
      }
    });
    return;
  }
  if (!servingRevision(cluster, gateway)) return;
  const spec = (gateway.spec ?? {}) as {
    infrastructure?: { annotations?: Record<string, string>; parametersRef?: { name: string } };
    listeners?: { port: number; name: string }[];
  };
  ctx.clock.later(LATENCIES.istioReconcile.ms, "istio gateway controller", () => {
    const live = cluster.objects[objectKey(gateway)];
    if (!live) return;
    // The control plane the Gateway's label resolves to now deploys it [istio.gateway-revision-rollout].
    const revision = servingRevision(cluster, live);
    if (!revision) return;
    const ref = spec.infrastructure?.parametersRef;
    const options = ref ? find(cluster, "v1", "ConfigMap", namespace, ref.name) : undefined;
    if (ref && !options) {
      setStatus(ctx, cluster, gateway, { conditions: [{ type: "Accepted", status: "False", reason: "InvalidParameters" }] });
      return;
    }
    const serviceType = gateway.metadata.annotations?.["networking.istio.io/service-type"] ?? "LoadBalancer";
    const ports = [{ name: "status-port", port: 15021 }, ...[...new Map((spec.listeners ?? []).map((l) => [l.port, { name: l.name, port: l.port }])).values()]];
    const deployment = JSON.parse(String((options?.data as Record<string, string> | undefined)?.deployment ?? "{}")) as {
      spec?: { template?: { spec?: { containers?: { env?: { name: string; value: string }[] }[] } } };
    };
    const env = (deployment.spec?.template?.spec?.containers ?? []).flatMap((c) => c.env ?? []);
    const pod = find(cluster, "v1", "Pod", namespace, `${name}-pod`);
    put(ctx, cluster, {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name,
        namespace: namespace!,
        annotations: { ...(spec.infrastructure?.annotations ?? {}) },
        labels: { [GATEWAY_NAME_LABEL]: gateway.metadata.name },
      },
      spec: { type: serviceType, selector: { [GATEWAY_NAME_LABEL]: gateway.metadata.name }, ports },
    });
    if (!pod) {
      put(ctx, cluster, {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: `${name}-pod`, namespace: namespace!, labels: { [GATEWAY_NAME_LABEL]: gateway.metadata.name } },
        status: {
          ready: false,
          scheduled: false,
          statusPortProxyProtocol: env.some((e) => e.name === STATUS_PORT_PROXY_PROTOCOL && e.value === "true"),
          revision,
        },
      });
      ctx.clock.later(LATENCIES.gatewayPodsScheduled.ms, "gateway pods scheduled", () => {
        const p = find(cluster, "v1", "Pod", namespace, `${name}-pod`);
        if (p) setStatus(ctx, cluster, p, { scheduled: true });
        programmed(ctx, cluster, gateway);
      });
      ctx.clock.later(LATENCIES.gatewayPodsReady.ms, "gateway pods ready", () => {
        const p = find(cluster, "v1", "Pod", namespace, `${name}-pod`);
        if (p) setStatus(ctx, cluster, p, { ready: true });
      });
    } else if (pod.status) {
      pod.status.statusPortProxyProtocol = env.some((e) => e.name === STATUS_PORT_PROXY_PROTOCOL && e.value === "true");
      if (pod.status.revision !== revision && pod.status.rollingTo !== revision) rollGateway(ctx, cluster, pod, revision);
    }
    programmed(ctx, cluster, gateway);
  });
}

/**
 * The rolling restart onto a new revision: the old pods serve until the new ones are ready, then go
 * [istio.gateway-revision-rollout]. A later move of the tag starts a new roll, and this one ends unheeded.
 */
function rollGateway(ctx: Context, cluster: ClusterWorld, pod: KubeObject, revision: string): void {
  setStatus(ctx, cluster, pod, { rollingTo: revision });
  ctx.event(`${cluster.name}: gateway ${pod.metadata.namespace}/${gatewayOfPod(pod)} rolls from Istio revision ${String(pod.status?.revision)} to ${revision}`);
  ctx.clock.later(LATENCIES.gatewayRollout.ms, "gateway rollout", () => {
    const live = cluster.objects[objectKey(pod)];
    if (!live || live.status?.rollingTo !== revision) return;
    // New pods come up only where their control plane still runs to inject their configuration.
    if (!cluster.controlPlanes[revision]?.ready) return;
    setStatus(ctx, cluster, live, { revision, rollingTo: undefined });
    ctx.event(`${cluster.name}: gateway ${live.metadata.namespace}/${gatewayOfPod(live)} runs Istio revision ${revision}`);
  });
}

// --- Revisions and the invariant ----------------------------------------------------------------------

/** Revision tags by name: the tag webhooks the cluster holds, and `default` for an unrevisioned istiod. */
function tagsOf(cluster: ClusterWorld): Record<string, string> {
  const tags: Record<string, string> = cluster.controlPlanes[UNREVISIONED] ? { [UNREVISIONED]: UNREVISIONED } : {};
  for (const w of objectsOf(cluster, "MutatingWebhookConfiguration")) {
    const tag = w.metadata.labels?.[TAG_LABEL];
    const revision = w.metadata.labels?.[REVISION_LABEL];
    if (tag !== undefined && revision !== undefined) tags[tag] = revision;
  }
  return tags;
}

/** What an `istio.io/rev` label means: a tag's revision, a revision itself, or (no label) the default tag's [istio.revision-tags]. */
function resolveRevision(cluster: ClusterWorld, label: string | undefined): string | undefined {
  const tags = tagsOf(cluster);
  const name = label ?? UNREVISIONED;
  return tags[name] ?? (cluster.controlPlanes[name] ? name : undefined);
}

/** The ready control plane that deploys a Gateway, if there is one. */
function servingRevision(cluster: ClusterWorld, gateway: KubeObject): string | undefined {
  const revision = resolveRevision(cluster, gateway.metadata.labels?.[REVISION_LABEL]);
  return revision !== undefined && cluster.controlPlanes[revision]?.ready ? revision : undefined;
}

const revisionOf = (revision: string | undefined) => (revision !== undefined ? { revision } : {});
const gatewayOfPod = (pod: KubeObject) => pod.metadata.labels?.[GATEWAY_NAME_LABEL] ?? pod.metadata.labels?.app ?? pod.metadata.name;
const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/**
 * The invariant, checked after every change in the cluster: the pods of every gateway run a revision whose
 * control plane is installed and ready [istio.control-plane-in-use]. A gateway that loses it is reported
 * with the window it ran without one: once a roll ends it, or at once when no roll is under way.
 */
function checkServed(ctx: Context, cluster: ClusterWorld): void {
  const proxies = objectsOf(cluster, "Pod").filter((p) => typeof p.status?.revision === "string");
  const now = ctx.clock.now;
  for (const pod of proxies) {
    const key = objectKey(pod);
    const revision = String(pod.status!.revision);
    const served = cluster.controlPlanes[revision]?.ready === true;
    const gone = cluster.unserved[key];
    const what = `gateway ${pod.metadata.namespace}/${gatewayOfPod(pod)} in ${cluster.name}`;
    if (!served && !gone) {
      cluster.unserved[key] = { since: now, revision };
      const rolling = typeof pod.status!.rollingTo === "string" && cluster.controlPlanes[String(pod.status!.rollingTo)]?.ready === true;
      if (!rolling)
        ctx.violation(
          `${what} runs Istio revision ${revision}, whose control plane is gone, from ${seconds(now)} into the update, and no roll to another revision is under way ${cite(controlPlaneInUse)}`,
        );
      else ctx.event(`${what} lost its control plane ${revision} while it still rolls to ${String(pod.status!.rollingTo)}`);
    } else if (served && gone) {
      delete cluster.unserved[key];
      ctx.violation(
        `${what} ran Istio revision ${gone.revision} without its control plane from ${seconds(gone.since)} to ${seconds(now)} into the update (${seconds(now - gone.since)}): the revision was removed before the gateway had rolled off it ${cite(controlPlaneInUse)}`,
      );
    }
  }
  for (const key of Object.keys(cluster.unserved))
    if (!cluster.objects[key]) {
      const gone = cluster.unserved[key]!;
      delete cluster.unserved[key];
      ctx.violation(
        `a gateway pod in ${cluster.name} ran Istio revision ${gone.revision} without its control plane from ${seconds(gone.since)} until it went at ${seconds(now)} ${cite(controlPlaneInUse)}`,
      );
    }
}

/** Istio marks a Gateway Programmed once its Service has an address: a load balancer's, or endpoints. */
function programmed(ctx: Context, cluster: ClusterWorld, gateway: KubeObject): void {
  const live = cluster.objects[objectKey(gateway)];
  if (!live) return;
  const service = find(cluster, "v1", "Service", gateway.metadata.namespace, generatedName(gateway));
  const pod = find(cluster, "v1", "Pod", gateway.metadata.namespace, `${generatedName(gateway)}-pod`);
  if (!service || !pod || pod.status?.scheduled !== true) return;
  const addressed = (service.spec as { type?: string }).type === "LoadBalancer" ? ingressOf(service) !== undefined : true;
  const conditions = ((live.status?.conditions ?? []) as { type: string; status: string }[]).filter((c) => c.type !== "Programmed");
  const already = ((live.status?.conditions ?? []) as { type: string; status: string }[]).some((c) => c.type === "Programmed" && c.status === "True");
  if (addressed && !already)
    setStatus(ctx, cluster, live, { conditions: [...conditions, { type: "Accepted", status: "True" }, { type: "Programmed", status: "True" }] });
}

/** GKE's NEG controller: NEGs for a Service's cloud.google.com/neg annotation, in zones with nodes. */
function negController(ctx: Context, cluster: ClusterWorld, service: KubeObject, change: "upsert" | "delete" | "status"): void {
  const annotation = service.metadata.annotations?.["cloud.google.com/neg"];
  if (!annotation) return;
  const exposed = (JSON.parse(annotation) as { exposed_ports?: Record<string, { name?: string }> }).exposed_ports ?? {};
  const names = Object.values(exposed)
    .map((p) => p.name)
    .filter((n): n is string => n !== undefined);
  const owner = `${cluster.name}/${service.metadata.namespace}/${service.metadata.name}`;
  const project = cluster.project ?? "";
  if (change === "delete") {
    ctx.clock.later(LATENCIES.negController.ms, "NEG controller", () => {
      for (const [key, neg] of Object.entries(ctx.world.gcp.negs)) {
        if (neg.owner !== owner) continue;
        const url = `https://www.googleapis.com/compute/v1/projects/${neg.project}/zones/${neg.zone}/networkEndpointGroups/${neg.name}`;
        const users = Object.entries(ctx.world.gcp.resources).filter(
          ([, r]) => r.type === "gcp:compute/backendService:BackendService" && JSON.stringify(r.inputs.backends ?? []).includes(url),
        );
        if (users.length > 0) ctx.event(`GKE left NEG ${neg.name} in ${neg.zone} behind: a backend service still attaches it`);
        else delete ctx.world.gcp.negs[key];
      }
      ctx.changed();
    });
    return;
  }
  const selector = ((service.spec ?? {}) as { selector?: Record<string, string> }).selector ?? {};
  if (podsOf(cluster, service.metadata.namespace, selector).scheduled === 0) return;
  const missing = names
    .flatMap((name) => cluster.zonesWithNodes.map((zone) => ({ name, zone })))
    .filter(({ name, zone }) => ctx.world.gcp.negs[`${project}/${zone}/${name}`]?.owner !== owner);
  if (missing.length === 0) return;
  ctx.clock.later(LATENCIES.negController.ms, "NEG controller", () => {
    for (const { name, zone } of missing) {
      const key = `${project}/${zone}/${name}`;
      const taken = ctx.world.gcp.negs[key];
      if (taken && taken.owner !== owner) {
        ctx.violation(`GKE's NEG controller in ${cluster.name} cannot make NEG ${name} in ${zone}: ${taken.owner} made one of that name ${cite(negNames)}`);
        continue;
      }
      ctx.world.gcp.negs[key] = { project, zone, name, owner };
    }
    const zones = cluster.zonesWithNodes;
    const status = { network_endpoint_groups: Object.fromEntries(Object.entries(exposed).map(([port, p]) => [port, p.name])), zones };
    const live = cluster.objects[objectKey(service)];
    if (live) live.metadata.annotations = { ...(live.metadata.annotations ?? {}), "cloud.google.com/neg-status": JSON.stringify(status) };
    ctx.changed();
  });
}

/** Who gives a LoadBalancer Service its address: the AWS Load Balancer Controller on EKS, else the cloud. */
function serviceLoadBalancer(ctx: Context, cluster: ClusterWorld, service: KubeObject, change: "upsert" | "delete" | "status"): void {
  const spec = (service.spec ?? {}) as { type?: string; loadBalancerClass?: string; ports?: { name?: string; port: number }[] };
  if (spec.type !== "LoadBalancer" || change === "status") return;
  const annotations = service.metadata.annotations ?? {};
  const byController = spec.loadBalancerClass === "service.k8s.aws/nlb" || ["external", "nlb-ip"].includes(annotations[`${LBC}type`] ?? "");
  if (cluster.provider === "eks" && byController) return loadBalancerController(ctx, cluster, service, change);
  if (change === "delete" || ingressOf(service) !== undefined) return;
  const delay = cluster.provider === "gke" ? LATENCIES.gkeServiceLoadBalancer.ms : LATENCIES.otherLoadBalancer.ms;
  ctx.clock.later(delay, "service load balancer", () =>
    setStatus(ctx, cluster, service, { loadBalancer: { ingress: [{ ip: `192.0.2.${Object.keys(cluster.objects).length % 250}` }] } }),
  );
}

function loadBalancerController(ctx: Context, cluster: ClusterWorld, service: KubeObject, change: "upsert" | "delete"): void {
  if (!cluster.loadBalancerController) return;
  const tags = { "elbv2.k8s.aws/cluster": cluster.eksName ?? cluster.name, "service.k8s.aws/stack": `${service.metadata.namespace}/${service.metadata.name}` };
  const identity = nlbIdentity(cluster.region, tags);
  if (change === "delete") {
    ctx.clock.later(LATENCIES.loadBalancerController.ms, "load balancer controller", () => {
      const users = [
        ...Object.entries(ctx.world.aws.endpointGroups)
          .filter(([, g]) => g.endpoints.includes(identity.arn))
          .map(([arn]) => `endpoint group ${arn}`),
        ...Object.entries(ctx.world.aws.records)
          .filter(([, r]) => r.alias === identity.dnsName)
          .map(([key]) => `record ${key.split("|").slice(1, 3).join(" ")}`),
      ];
      if (users.length > 0)
        ctx.violation(`the NLB of ${cluster.name}'s ${tags["service.k8s.aws/stack"]} was deleted while ${users.join(", ")} still sent traffic to it`);
      delete ctx.world.aws.loadBalancers[identity.arn];
      ctx.changed();
    });
    return;
  }
  const annotations = service.metadata.annotations ?? {};
  const problems = loadBalancerAnnotationProblems(annotations);
  if (problems.length > 0) {
    ctx.event(
      `the load balancer controller of ${cluster.name} refuses Service ${tags["service.k8s.aws/stack"]} ${cite(lbcAnnotations)}: ${problems.join("; ")}`,
    );
    return;
  }
  const ports = (service.spec as { ports?: { name?: string; port: number }[] }).ports ?? [];
  const sslPorts = annotations[`${LBC}ssl-ports`];
  const certificates = (annotations[`${LBC}ssl-cert`] ?? "").split(",").filter((c) => c !== "");
  const tls = (p: { name?: string; port: number }) =>
    certificates.length > 0 && (sslPorts === undefined || sslPorts.split(",").some((x) => x.trim() === String(p.port) || x.trim() === p.name));
  ctx.clock.later(LATENCIES.loadBalancerController.ms, "load balancer controller", () => {
    const live = cluster.objects[objectKey(service)];
    if (!live) return;
    for (const arn of certificates) {
      const certificate = ctx.world.aws.certificates[arn];
      if (!certificate || certificate.region !== cluster.region || certificate.status !== "ISSUED")
        ctx.violation(
          `the load balancer controller of ${cluster.name} cannot give ${tags["service.k8s.aws/stack"]}'s NLB certificate ${arn}: ${!certificate ? "it does not exist" : certificate.region !== cluster.region ? `it is in ${certificate.region}` : "it is not issued yet"}`,
        );
    }
    const existing = ctx.world.aws.loadBalancers[identity.arn];
    const withSecurityGroups = compareVersions(cluster.loadBalancerController!, "2.6.0") >= 0 && annotations[`${LBC}disable-nlb-sg`] !== "true";
    ctx.world.aws.loadBalancers[identity.arn] = {
      arn: identity.arn,
      region: cluster.region,
      dnsName: identity.dnsName,
      zoneId: identity.zoneId,
      tags,
      state: existing?.state ?? "provisioning",
      listeners: ports.map((p) => ({ port: p.port, protocol: tls(p) ? "TLS" : "TCP", certificates: tls(p) ? certificates : [] })),
      // Security groups can be attached only when an NLB is created [aws.nlb-security-groups].
      securityGroups: existing ? existing.securityGroups : withSecurityGroups ? [`sg-${identity.name}`] : [],
      ipAddressType: annotations[`${LBC}ip-address-type`] === "dualstack" ? "dualstack" : "ipv4",
      targetType: annotations[`${LBC}nlb-target-type`] === "instance" ? "instance" : "ip",
      proxyProtocol: annotations[`${LBC}proxy-protocol`] === "*",
      targetsHealthy: existing?.targetsHealthy ?? false,
    };
    if (existing && existing.securityGroups.length === 0 && withSecurityGroups)
      ctx.event(`the NLB of ${tags["service.k8s.aws/stack"]} in ${cluster.name} keeps having no security groups ${cite(nlbSecurityGroups)}`);
    setStatus(ctx, cluster, live, { loadBalancer: { ingress: [{ hostname: identity.dnsName }] } });
    if (!existing)
      ctx.clock.later(LATENCIES.nlbProvisioning.ms, "NLB provisioning", () => {
        const nlb = ctx.world.aws.loadBalancers[identity.arn];
        if (!nlb) return;
        nlb.state = "active";
        nlb.targetsHealthy = targetsAnswer(cluster, live, nlb.proxyProtocol, annotations);
        if (!nlb.targetsHealthy)
          ctx.violation(
            `the NLB of ${cluster.name}'s ${tags["service.k8s.aws/stack"]} finds no healthy target: it sends the PROXY header on its health checks ${cite(proxyProtocolHealth)}, and the pods' port ${annotations[`${LBC}healthcheck-port`] ?? "traffic-port"} does not read it`,
          );
        ctx.changed();
      });
  });
}

/** Whether the NLB's health checks pass on the Service's pods. */
function targetsAnswer(cluster: ClusterWorld, service: KubeObject, proxyProtocol: boolean, annotations: Record<string, string>): boolean {
  const selector = ((service.spec ?? {}) as { selector?: Record<string, string> }).selector ?? {};
  const pods = objectsOf(cluster, "Pod").filter(
    (p) => p.metadata.namespace === service.metadata.namespace && Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v),
  );
  if (pods.length === 0) return false;
  // Istio's status port reads a PROXY header only when told to; the traffic ports of a gateway behind proxy protocol do.
  if (proxyProtocol && annotations[`${LBC}healthcheck-port`] === "15021") return pods.every((p) => p.status?.statusPortProxyProtocol === true);
  return true;
}

/**
 * A front door may send a cluster traffic only once the cluster's gateway is programmed (and so has its
 * routes): otherwise clients meet a gateway that is not there yet. Checked wherever traffic is attached.
 */
export function expectGatewayReady(ctx: Context, clusterName: string, by: string): void {
  const cluster = ctx.world.clusters[clusterName];
  if (!cluster) return;
  const ready = objectsOf(cluster, "Gateway").some((g) =>
    ((g.status?.conditions ?? []) as { type: string; status: string }[]).some((c) => c.type === "Programmed" && c.status === "True"),
  );
  if (!ready) ctx.violation(`${by} sends traffic to ${clusterName} before its gateway is programmed`);
}

// --- The provider's handler ---------------------------------------------------------------------------

/** A create or an update: Helm installs its chart; an object is admitted (on create), applied and awaited. */
async function apply(ctx: Context, resource: RegisteredResource, wireInputs: Record<string, unknown>, creating: boolean): Promise<Record<string, unknown>> {
  const cluster = clusterOf(ctx, resource);
  if (resource.type === "kubernetes:helm.sh/v3:Release") {
    await installRelease(ctx, cluster, resource.inputs as Record<string, unknown>, resource.urn);
    return ctx.fakeOutputs(resource, wireInputs);
  }
  const object = objectOf(resource);
  if (resource.type === "kubernetes:core/v1:NamespacePatch") {
    await ctx.sleep("kubernetesObject");
    const namespace = find(cluster, "v1", "Namespace", undefined, object.metadata.name);
    if (!namespace) ctx.refuse(namespaceRequired, `namespace ${object.metadata.name} of ${cluster.name}, which a patch labels: it does not exist`);
    namespace!.metadata.labels = { ...(namespace!.metadata.labels ?? {}), ...(object.metadata.labels ?? {}) };
    return ctx.fakeOutputs(resource, wireInputs);
  }
  if (creating) await admit(ctx, cluster, object, resource.urn);
  else await ctx.sleep("kubernetesObject");
  put(ctx, cluster, object);
  await providerAwait(ctx, cluster, object, resource.urn);
  return ctx.fakeOutputs(resource, wireInputs);
}

/** The release assets a ConfigFile may name: a Gateway API bundle's install files. */
const GATEWAY_API_RELEASE = /^https:\/\/github\.com\/kubernetes-sigs\/gateway-api\/releases\/download\/(v[0-9][^/]*)\/(standard|experimental)-install\.yaml$/;

/**
 * A ConfigFile of a Gateway API release's install file: the provider applies its CRDs, whatever bundle
 * the cluster had, and they carry the release's bundle and channel [kubernetes.gateway-api-bundle].
 */
async function applyConfigFile(ctx: Context, resource: RegisteredResource): Promise<void> {
  const cluster = clusterOf(ctx, resource);
  const file = String((resource.inputs as Record<string, unknown>).file ?? "");
  const release = GATEWAY_API_RELEASE.exec(file);
  if (!release) throw new Error(`${resource.urn}: the simulated clusters know no manifest at ${file}; only Gateway API release install files`);
  await ctx.sleep("kubernetesObject");
  setGatewayApiBundle(cluster, { version: release[1]!, channel: release[2]! });
  ctx.event(`${cluster.name}: Gateway API ${release[2]} bundle ${release[1]} applied`);
}

/** The CRDs' annotations a read asks for: the Gateway API's carry the cluster's bundle; others have none. */
export function crdAnnotations(ctx: Context, clusterName: string, names: readonly string[]): Record<string, Record<string, string> | undefined> {
  const cluster = ctx.world.clusters[clusterName];
  if (!cluster) throw new Error(`the simulated world has no cluster ${clusterName} to read CRDs from`);
  return Object.fromEntries(
    names.map((name) => {
      const group = name.split(".").slice(1).join(".");
      if (!cluster.crds.includes(group)) return [name, undefined];
      const bundle = group === GATEWAY_API_GROUP ? cluster.gatewayApi : undefined;
      const annotations: Record<string, string> = bundle
        ? { "gateway.networking.k8s.io/bundle-version": bundle.version, "gateway.networking.k8s.io/channel": bundle.channel }
        : {};
      return [name, annotations];
    }),
  );
}

export const kubernetesHandler: Handler = {
  matches: (type) => type.startsWith("kubernetes:"),
  constructs: (type) => type === "kubernetes:yaml/v2:ConfigFile",
  construct: applyConfigFile,
  create: (ctx, resource, wireInputs) => apply(ctx, resource, wireInputs, true),
  update: (ctx, resource, wireInputs) => apply(ctx, resource, wireInputs, false),
  async delete(ctx, _urn, old: StateEntry) {
    const cluster = ctx.world.clusters[String(old.provider ? clusterName(ctx, old) : "")];
    if (!cluster) return;
    await ctx.sleep("kubernetesObject");
    if (old.type === "kubernetes:helm.sh/v3:Release") {
      const key = `${String(old.inputs.namespace ?? "default")}/${String(old.inputs.name)}`;
      delete cluster.releases[key];
      if (old.inputs.chart === "istiod") {
        const values = (old.inputs.values ?? {}) as Record<string, unknown>;
        delete cluster.controlPlanes[String(values.revision ?? "") || UNREVISIONED];
        cluster.istiod = Object.values(cluster.controlPlanes).some((c) => c.ready);
        ctx.event(`istiod ${String(values.revision ?? "") || UNREVISIONED} is uninstalled from ${cluster.name}`);
        checkServed(ctx, cluster);
      }
      if (old.inputs.chart === "gateway") {
        const service = find(cluster, "v1", "Service", String(old.inputs.namespace), String(old.inputs.name));
        if (service) remove(ctx, cluster, service);
      }
      return;
    }
    if (old.type === "kubernetes:core/v1:NamespacePatch") return;
    const object = old.inputs as unknown as KubeObject;
    remove(ctx, cluster, object);
  },
};

/** The cluster of a deleted resource: its provider's identifier, remembered in the state's provider URN. */
function clusterName(ctx: Context, old: StateEntry): string {
  const providerName = old.provider!.split("::").slice(0, -1).join("::").split("::").pop() ?? "";
  return providerName.startsWith(`${ctx.environment}-`) ? providerName.slice(ctx.environment.length + 1) : providerName;
}
