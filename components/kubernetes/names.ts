/**
 * Names on the clusters side: Pulumi logical names (from the environment, the cluster and the object's
 * own key, never from positions) and the names of the Kubernetes objects Fleetgate writes.
 */

/** The key every resource of one cluster starts with: `<environment>-<cluster>`. */
export function clusterKey(environment: string, cluster: string): string {
  return `${environment}-${cluster}`;
}

/**
 * A service key (`namespace/name`) as a name part: `name.namespace`, like the start of its DNS name.
 * Namespaces and Service names are DNS labels, so the dot cannot be ambiguous.
 */
export function serviceRef(serviceKey: string): string {
  const [namespace, name] = splitServiceKey(serviceKey);
  return `${name}.${namespace}`;
}

export function splitServiceKey(serviceKey: string): [namespace: string, name: string] {
  const [namespace, name] = serviceKey.split("/");
  if (!namespace || !name) throw new Error(`"${serviceKey}" is not a service key; expected namespace/name`);
  return [namespace, name];
}

/** A host as an object-name part: `*.example.com` becomes `wildcard.example.com`. */
export function hostRef(host: string): string {
  return host.replace(/^\*\./, "wildcard.");
}

export const ISTIO_SYSTEM = "istio-system";
/** The label Istio reads a namespace's (and a gateway's) network from. */
export const NETWORK_LABEL = "topology.istio.io/network";
/** Every object Fleetgate writes carries this label, so `kubectl get -l` finds them. */
export const MANAGED_BY = { "app.kubernetes.io/managed-by": "fleetgate" } as const;

/**
 * The revision tag every Fleetgate gateway is labelled with (`istio.io/rev: fleetgate`) [istio.revision-tags].
 * A tag of Fleetgate's own rather than `default`: the `default` tag also decides which istiod injects the
 * teams' `istio-injection=enabled` namespaces and validates their Istio config, and the unrevisioned
 * istiod of earlier Fleetgate owns `istio-revision-tag-default` through its Helm release, which a second
 * owner would fight. Moving `fleetgate` moves only what Fleetgate labelled: its gateways.
 */
export const REVISION_TAG = "fleetgate";
/** The label that names a control plane revision, or a tag pointing at one. */
export const REVISION_LABEL = "istio.io/rev";
/** The service account peers' istiods read this cluster with, and its long-lived token. */
export const READER_ACCOUNT = "fleetgate-istio-reader";
export const READER_TOKEN = "fleetgate-istio-reader-token";

/** The Secret in which a cluster's istiod finds the credentials of a peer. */
export function remoteSecretName(peer: string): string {
  return `istio-remote-secret-${peer}`;
}

/** The ConfigMap that sizes a gateway's deployment (Istio's `infrastructure.parametersRef`). */
export function gatewayOptionsName(gateway: string): string {
  return `${gateway}-options`;
}

/** The ReferenceGrant that lets the gateway's routes reach Services in a team's namespace. */
export function referenceGrantName(gatewayNamespace: string): string {
  return `${gatewayNamespace}-routes`;
}
