/**
 * Names Fleetgate derives for what it creates. They come from stable keys only (environment, cluster,
 * namespace/name, host), never from positions, so reordering documents or clusters renames nothing.
 * Both sides of a contract use these: the Kubernetes side names the NEGs the GCP side attaches.
 */
import { boundedName } from "./names";

/** Every cloud resource name starts with this, so Fleetgate's resources are easy to find and filter. */
export const NAME_PREFIX = "fg";

/** The environment's global address (IPv4; the IPv6 one adds `-v6`). */
export function addressName(environment: string): string {
  return boundedName([NAME_PREFIX, environment]);
}

/**
 * The zonal network endpoint groups of a cluster's gateway Service (one per zone, same name) on the
 * host-routing port, where no front door dispatches; also the name of a non-GKE cluster's internet NEG.
 */
export function negName(environment: string, cluster: string): string {
  return boundedName([NAME_PREFIX, environment, cluster, "gw"]);
}

/**
 * The zonal network endpoint groups of a GKE gateway's dispatch port. A name of their own, not the
 * host-routing NEGs' name: GKE's NEG controller records in a named NEG which Service port it was made
 * for, and moving an existing named NEG to another port is not something to rely on; a new name gets new
 * NEGs, and the controller removes the old ones once no backend service uses them.
 */
export function dispatchNegName(environment: string, cluster: string): string {
  return boundedName([NAME_PREFIX, environment, cluster, "dispatch"]);
}

/** A cloud-side name for a service port: `fg-<env>-<namespace>-<name>-<port>`. */
export function backendName(environment: string, serviceKey: string, port: number): string {
  return boundedName([NAME_PREFIX, environment, ...backendNameParts(serviceKey, port)]);
}

/**
 * The parts that name a service port's backend service and health check at the GCP front door, and
 * with a cluster its backend through that cluster's public gateway. Names join their parts with dashes,
 * which namespaces and names may hold too, so two services can come to the same name (`shop/a-b` and
 * `shop-a/b`); the validator compares these joined, and refuses what would clash.
 */
export function backendNameParts(serviceKey: string, port: number, cluster?: string): string[] {
  const [namespace, name] = serviceKey.split("/") as [string, string];
  return [namespace, name, String(port), ...(cluster !== undefined ? [cluster] : [])];
}

/** The backend of requests no route matches; with a cluster, through that cluster's public gateway. */
export const CATCH_ALL = "catch-all";
export function catchAllNameParts(cluster?: string): string[] {
  return [CATCH_ALL, ...(cluster !== undefined ? [cluster] : [])];
}

export const GATEWAY_NAME = "fleetgate";
/** The LoadBalancer Service of an EKS gateway, from which the AWS Load Balancer Controller makes its NLB. */
export const NLB_SERVICE_NAME = `${GATEWAY_NAME}-nlb`;
export const DEFAULT_GATEWAY_NAMESPACE = "fleetgate-gateway";

/** A host as a part of resource names: `*.apps.example.com` becomes `wildcard-apps.example.com`, which
 * name building turns into `wildcard-apps-example-com`. */
export function hostNamePart(host: string): string {
  return host.startsWith("*.") ? `wildcard-${host.slice(2)}` : host;
}

/** What two hosts must not share: resource names are built from hosts with dots as dashes. */
export function hostNameKey(host: string): string {
  return boundedName([hostNamePart(host)], Number.MAX_SAFE_INTEGER);
}
