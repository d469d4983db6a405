/**
 * Path semantics. GKE documents follow GCE URL-map path rules: `/cart` matches only `/cart`, `/cart/*`
 * matches `/cart/` and everything below it, `/*` matches every path. They normalise to a PathMatchPlan
 * whose meaning is exact (see spec/plan.ts), and routes of a host are ordered so that the most specific
 * match wins, as GCE's longest-match does.
 */
import type { PathMatchPlan, RouteMatchPlan, ValueMatchPlan } from "./plan";
import type { PathExtension } from "./schema/documents";

/**
 * The paths Fleetgate keeps for itself on every host: behind the GCP front door, each dispatching
 * gateway answers the front door's health check of a service port there (components/dispatch.ts). The
 * front door answers clients' requests under it with 404 itself, so a spec's route may not match,
 * rewrite or redirect to a path there: it would never be served.
 */
export const RESERVED_PATH_PREFIX = "/.well-known/fleetgate/";

/** Whether a path, or a path prefix, lies in the reserved prefix (or is that prefix without its final "/"). */
export function isReservedPath(path: string): boolean {
  return path.startsWith(RESERVED_PATH_PREFIX) || path === RESERVED_PATH_PREFIX.slice(0, -1);
}

export function gkePathToMatch(path: string | undefined): { match: PathMatchPlan } | { problem: string } {
  if (path === undefined || path === "" || path === "/*") return { match: { type: "Prefix", value: "/" } };
  const shown = JSON.stringify(path);
  if (!path.startsWith("/")) {
    // The suggestion must itself be a valid path: offered only when a leading "/" is the whole fix.
    const fixed = `/${path}`;
    return {
      problem: `${shown} does not start with "/"${"match" in gkePathToMatch(fixed) ? `; write it as ${JSON.stringify(fixed)}` : `; write an absolute path such as "/cart" or "/cart/*"`}`,
    };
  }
  if (/[?#]/.test(path)) return { problem: `${shown} contains "?" or "#"; a path rule matches the path only, without query or fragment` };
  if (path.endsWith("/*")) {
    const prefix = path.slice(0, -1);
    if (prefix.includes("*")) return { problem: `${shown} has a "*" before its end; GCE paths allow "*" only as a final "/*"` };
    return { match: { type: "Prefix", value: prefix } };
  }
  if (path.includes("*")) return { problem: `${shown} has a "*" that is not a final "/*"; write "/x/*" to match everything below /x/` };
  return { match: { type: "Exact", value: path } };
}

/** The key of a match: equal keys mean two rules claim the same requests. */
export function matchKey(match: RouteMatchPlan): string {
  const values = (list: RouteMatchPlan["headers"]) =>
    list.map((m) => `${m.name}${m.type === "Present" ? "?" : m.type === "Exact" ? "=" : "~"}${m.value ?? ""}`).join("&");
  const headers = values(match.headers);
  const query = values(match.queryParams);
  return `${match.path.type === "Exact" ? "=" : "^"}${match.path.value}${match.method !== undefined ? ` m:${match.method}` : ""}${headers ? ` h:${headers}` : ""}${query ? ` q:${query}` : ""}`;
}

/**
 * The full match of an ingress path: its path rule, its method and its extra conditions, in a total
 * order (name, then type, then value), so that the same conditions written in any order are the same match.
 */
export function routeMatch(path: PathMatchPlan, ext: PathExtension | undefined): RouteMatchPlan {
  const conditions = (list: readonly ValueMatchPlan[] | undefined): ValueMatchPlan[] =>
    (list ?? [])
      .map((m) => ({ name: m.name, type: m.type, ...(m.value !== undefined && m.type !== "Present" ? { value: m.value } : {}) }))
      .sort((a, b) => compareText(a.name, b.name) || compareText(a.type, b.type) || compareText(a.value ?? "", b.value ?? ""));
  const method = ext?.match?.method;
  return { path, ...(method !== undefined ? { method } : {}), headers: conditions(ext?.match?.headers), queryParams: conditions(ext?.match?.queryParams) };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
