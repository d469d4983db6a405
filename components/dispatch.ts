/**
 * The dispatch contract between the GCP front door and the GKE gateways: route once, not twice.
 *
 * The front door's URL map routes every request (priorities, splits, rewrites, redirects, header actions,
 * timeouts, retries) to a backend service per service port. Each such backend service tags what it
 * proxies with the service port it serves, `x-fleetgate-backend: <namespace>/<name>:<port>` (a custom
 * request header of the backend service). Its backends are the gateways' NEGs on the dispatch port, where
 * one HTTPRoute rule per served backend matches exactly that tag and forwards to the local Service with
 * no filters: the request arrives as the front door left it and is not routed by host and path again.
 * The catch-all backend service tags `catch-all`, which no rule matches, so the gateway answers 404. When
 * the admin grants a namespace the environment's catch-all (spec/catch-all.ts), the URL map sends unknown
 * hosts to that service's own backend service instead, which tags them as any request for it.
 *
 * Why the tag is set by the backend service, and nothing in the URL map names it: GCP applies both a URL
 * map's and a backend service's custom headers, but where both set the same header the URL map's wins and
 * the backend service's is ignored; and a URL map's header actions apply from the weighted backend service
 * outwards to the URL map, each level after the one inside it. So removing a client-sent tag in the URL
 * map could remove the front door's own tag too, and every dispatched request would be refused. Instead:
 * - the URL map never sets, adds or removes the tag, and the validator refuses a spec that would (every
 *   `x-fleetgate-` header is reserved: spec/schema/common.ts);
 * - a client-sent tag cannot select a backend whatever the load balancer does with it: if the backend
 *   service's header replaces it, only the front door's tag arrives; if it is appended, the gateway's
 *   Envoy matches a header against all its values joined with "," (since CVE-2020-25017), and a tag holds
 *   no ",", so the joined value equals no rule's and the gateway answers 404.
 *
 * Health checks follow the same road. A GCP health check probes each NEG endpoint on its serving port
 * (the dispatch port) with a Host header and a path, and no custom header, so it carries no tag. Each
 * served backend therefore also has a health rule on the dispatch listener: an exact path under the
 * reserved prefix, `/.well-known/fleetgate/health/<namespace>/<name>/<port>`, forwarded to the same
 * Service port with the path replaced by the service's health path (its query, if any, rides on the
 * probe's own path and passes through) and the plan's Host kept. Where the service's BackendConfig checks
 * another pod port or in another protocol (HTTPS, HTTP2), "the same Service port" is the Service's health
 * port for it, which reaches that pod port in that protocol; the front door's probe itself stays HTTP on
 * the dispatch port. So a probe tests exactly this gateway
 * pod and its route to that Service: nothing that routes by host and path can send it elsewhere.
 *
 * Clients never reach a health rule, by two independent means:
 * - the URL map answers every client request under the reserved prefix with 404 in its first rule on
 *   every host, before any of the spec's routes (the validator refuses a spec's paths there);
 * - on the dispatch listener, a guard rule on each health path that also requires the dispatch header
 *   (any value) forwards nothing. Everything the front door proxies carries a tag, the catch-all's
 *   included, and a probe carries none; the guard has one header condition more than the health rule
 *   on the same exact path, so Istio tries it first. This catches what the URL map's rule cannot see:
 *   an unknown host (the URL map's default, the catch-all), a rewrite whose result lands under the
 *   prefix (`/api/*` rewritten to `/`), and a path the gateway normalises differently from GCP.
 *
 * Where the contract does not apply: a cluster outside GKE behind the GCP front door (an internet NEG at
 * its gateway's public host name) is reached on its public listener, which the internet can reach
 * directly. A dispatch rule there would let anyone who names a backend skip the front door's routing,
 * redirects and Cloud Armor, and a dispatch rule cannot outrank exact-path host rules on a shared listener
 * anyway. So those backend services carry no tag and that gateway routes by host and path, as before
 * (`dispatchNotes` says which of its hosts are routed twice there).
 */
import { RESERVED_PATH_PREFIX } from "../spec/paths";
import { RESERVED_HEADER_PREFIX } from "../spec/schema/common";
import type { ClusterPlan, FleetPlan, HealthCheckPlan } from "../spec/plan";

export { RESERVED_PATH_PREFIX };

/** The request header that carries the front door's choice. */
export const DISPATCH_HEADER = `${RESERVED_HEADER_PREFIX}backend`;

/** The tag of the catch-all: no dispatch rule matches it. */
export const CATCH_ALL_TAG = "catch-all";

/** The tag of a service port: its backend key `namespace/name:port`. */
export function dispatchTag(service: string, port: number): string {
  return `${service}:${port}`;
}

/** A GCP backend service's custom request header carrying a tag (GCP's `name:value` form). */
export function dispatchHeaderEntry(tag: string): string {
  return `${DISPATCH_HEADER}:${tag}`;
}

/** Whether a gateway dispatches: its plan gives it a dispatch port. */
export function dispatches(cluster: ClusterPlan): boolean {
  return cluster.gateway?.dispatchPort !== undefined;
}

/** Every `namespace/name:port` some route, default backend or the catch-all of the plan sends traffic to. */
export function routedBackends(plan: FleetPlan): Set<string> {
  const keys = new Set<string>(plan.catchAll ? [dispatchTag(plan.catchAll.service, plan.catchAll.port)] : []);
  for (const host of plan.hosts) {
    for (const route of host.routes) if (route.action.kind === "forward") for (const b of route.action.backends) keys.add(dispatchTag(b.service, b.port));
    if (host.defaultBackend) keys.add(dispatchTag(host.defaultBackend.service, host.defaultBackend.port));
  }
  return keys;
}

/** How the front door's health check of a service port goes through a dispatching gateway. */
export interface HealthProbe {
  /** The path the gateway's health rule matches exactly: `/.well-known/fleetgate/health/<namespace>/<name>/<port>`. */
  readonly path: string;
  /** The GCP health check's request path: `path`, followed by the query of the service's health path, if any. */
  readonly requestPath: string;
  /** The path the Service receives: its health path without the query (which passes through unchanged). */
  readonly servicePath: string;
  /** The Host header: the plan's, one of the service's hosts. */
  readonly host?: string;
  /**
   * The Service port the gateway forwards the check to: the serving port, or the health port that
   * reaches the pods on the health check's port and in its protocol (BackendConfig healthCheck).
   */
  readonly servicePort: number;
}

/** The health probe of a service port (`service` is `namespace/name`). */
export function healthProbe(service: string, port: number, check: Pick<HealthCheckPlan, "path" | "host" | "servicePort">): HealthProbe {
  const path = `${RESERVED_PATH_PREFIX}health/${service}/${port}`;
  const q = check.path.indexOf("?");
  return {
    path,
    requestPath: q < 0 ? path : `${path}${check.path.slice(q)}`,
    servicePath: q < 0 ? check.path : check.path.slice(0, q) || "/",
    servicePort: check.servicePort ?? port,
    ...(check.host !== undefined ? { host: check.host } : {}),
  };
}

/** A backend a cluster's dispatch listener serves: a routed port of a service that runs there. */
export interface DispatchedBackend {
  /** `namespace/name`. */
  readonly service: string;
  readonly port: number;
  readonly tag: string;
  /** Where the front door's health check of this service port arrives, and what the Service receives. */
  readonly health: HealthProbe;
}

/**
 * The backends a dispatching cluster's gateway serves by tag: every routed port of every service that
 * runs in the cluster (drained ones included: the front door keeps them attached at no capacity). These
 * are exactly the service ports whose backend services attach this cluster's NEGs. Sorted by tag.
 */
export function dispatchedBackends(plan: FleetPlan, cluster: string): DispatchedBackend[] {
  const routed = routedBackends(plan);
  return plan.services
    .filter((s) => s.clusters.some((c) => c.cluster === cluster))
    .flatMap((s) => s.ports.map((p) => ({ service: s.key, port: p.port, tag: dispatchTag(s.key, p.port), health: healthProbe(s.key, p.port, p.healthCheck) })))
    .filter((b) => routed.has(b.tag))
    .sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
}

/**
 * What a cluster outside GKE behind the GCP front door does differently: its public listener routes the
 * front door's requests by host and path again, so the named hosts' splits, rewrites (matched again as
 * rewritten) and added headers apply a second time there. (Headers set or removed twice end the same.)
 */
export function dispatchNotes(plan: FleetPlan, cluster: ClusterPlan): string[] {
  if (plan.frontDoor.provider !== "gcp" || !cluster.gateway || dispatches(cluster)) return [];
  const hosts = plan.hosts.filter(
    (h) =>
      cluster.gateway!.hosts.includes(h.name) &&
      h.routes.some(
        (r) =>
          r.action.kind === "forward" &&
          (r.action.backends.length > 1 ||
            r.action.rewrite !== undefined ||
            Object.keys(r.action.requestHeaders?.add ?? {}).length > 0 ||
            Object.keys(r.action.responseHeaders?.add ?? {}).length > 0),
      ),
  );
  return hosts.length
    ? [
        `${cluster.name}: the GCP front door reaches this gateway through its public listener, which routes what the front door already routed: ` +
          `the splits, rewrites and added headers of ${hosts.map((h) => h.name).join(", ")} apply again here`,
      ]
    : [];
}
