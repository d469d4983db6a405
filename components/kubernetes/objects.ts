/**
 * Kubernetes objects to Pulumi resources. Every object is built with its @kubernetes-models class (or,
 * for the upstream MCS ServiceExport that has no model, checked by `upstreamServiceExport` here) and its
 * `toJSON()` is handed to the matching typed @pulumi/kubernetes resource, or to CustomResource for CRDs.
 * Nothing here picks a provider: callers pass their cluster's provider in `opts`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** What every model's `toJSON()` gives. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [field: string]: unknown;
}

/** Anything with a `toJSON()` that yields a Kubernetes object: a model, or a plain object with its own check. */
export interface ObjectSource {
  toJSON(): unknown;
  /** Throws when the object does not match its kind's schema. */
  validate(): void;
}

/** API groups whose kinds are custom resources (CRDs installed by Istio, Gateway API, GKE or MCS). */
const CUSTOM_GROUPS = new Set(["gateway.networking.k8s.io", "networking.istio.io", "net.gke.io", "multicluster.x-k8s.io"]);

/**
 * Creates the Pulumi resource for an object. `extra` adds fields whose values are Outputs (secret data),
 * which a model cannot hold; the object is otherwise exactly the model's JSON.
 */
export function kubeResource(
  name: string,
  source: ObjectSource,
  opts: pulumi.CustomResourceOptions,
  extra: Record<string, pulumi.Input<unknown>> = {},
): pulumi.CustomResource {
  if (!opts.provider) throw new Error(`${name}: every Kubernetes resource needs its cluster's provider`);
  // An object that does not match its schema stops the program here, before anything is deployed.
  source.validate();
  const object = source.toJSON() as KubeObject;
  // The typed args only restate the object's shape, which the schema has just checked.
  const args = { ...object, ...extra } as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  switch (`${object.apiVersion} ${object.kind}`) {
    case "v1 Namespace":
      return new k8s.core.v1.Namespace(name, args, opts);
    case "v1 Secret":
      return new k8s.core.v1.Secret(name, args, opts);
    case "v1 Service":
      return new k8s.core.v1.Service(name, args, opts);
    case "v1 ServiceAccount":
      return new k8s.core.v1.ServiceAccount(name, args, opts);
    case "v1 ConfigMap":
      return new k8s.core.v1.ConfigMap(name, args, opts);
    case "rbac.authorization.k8s.io/v1 ClusterRole":
      return new k8s.rbac.v1.ClusterRole(name, args, opts);
    case "rbac.authorization.k8s.io/v1 ClusterRoleBinding":
      return new k8s.rbac.v1.ClusterRoleBinding(name, args, opts);
    case "admissionregistration.k8s.io/v1 MutatingWebhookConfiguration":
      return new k8s.admissionregistration.v1.MutatingWebhookConfiguration(name, args, opts);
    default:
      if (!CUSTOM_GROUPS.has(object.apiVersion.split("/")[0] ?? ""))
        throw new Error(`${name}: ${object.apiVersion} ${object.kind} has no typed resource here; add it to kubeResource`);
      return new k8s.apiextensions.CustomResource(name, args as unknown as k8s.apiextensions.CustomResourceArgs, opts);
  }
}

/**
 * Labels an existing namespace without owning it (server-side apply patch): used where the namespace
 * belongs to an installation Fleetgate does not manage, so that deleting the stack never deletes it.
 */
export function namespacePatch(name: string, source: ObjectSource, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
  if (!opts.provider) throw new Error(`${name}: every Kubernetes resource needs its cluster's provider`);
  source.validate();
  const object = source.toJSON() as KubeObject;
  return new k8s.core.v1.NamespacePatch(name, { metadata: object.metadata as k8s.types.input.meta.v1.ObjectMetaPatch }, opts);
}

/**
 * The upstream Multi-Cluster Services ServiceExport (multicluster.x-k8s.io/v1alpha1, KEP-1645), used
 * outside GKE. No @kubernetes-models package carries it, so its (tiny) schema is checked here: the kind
 * has no spec, and its name must be that of the Service it exports (an RFC 1035 label).
 */
export function upstreamServiceExport(namespace: string, name: string, labels: Record<string, string>): ObjectSource {
  const object = { apiVersion: "multicluster.x-k8s.io/v1alpha1", kind: "ServiceExport", metadata: { name, namespace, labels } };
  return {
    toJSON: () => object,
    validate: () => validateUpstreamServiceExport(object),
  };
}

const RFC1035_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function validateUpstreamServiceExport(object: unknown): void {
  const o = object as Record<string, unknown>;
  const problems: string[] = [];
  if (o.apiVersion !== "multicluster.x-k8s.io/v1alpha1")
    problems.push(`apiVersion must be multicluster.x-k8s.io/v1alpha1, not ${JSON.stringify(o.apiVersion)}`);
  if (o.kind !== "ServiceExport") problems.push(`kind must be ServiceExport, not ${JSON.stringify(o.kind)}`);
  const allowed = new Set(["apiVersion", "kind", "metadata", "status"]);
  for (const key of Object.keys(o)) if (!allowed.has(key)) problems.push(`unknown field "${key}" (a ServiceExport has no spec)`);
  const metadata = (o.metadata ?? {}) as Record<string, unknown>;
  if (typeof metadata.name !== "string" || !RFC1035_LABEL.test(metadata.name))
    problems.push(`metadata.name ${JSON.stringify(metadata.name)} must be the exported Service's name (an RFC 1035 label)`);
  if (typeof metadata.namespace !== "string" || !RFC1123_LABEL.test(metadata.namespace))
    problems.push(`metadata.namespace ${JSON.stringify(metadata.namespace)} must be a namespace name`);
  for (const field of ["labels", "annotations"]) {
    const map = metadata[field];
    if (map !== undefined && (typeof map !== "object" || map === null || Object.values(map).some((v) => typeof v !== "string")))
      problems.push(`metadata.${field} must map strings to strings`);
  }
  if (problems.length) throw new Error(`invalid ServiceExport: ${problems.join("; ")}`);
}
