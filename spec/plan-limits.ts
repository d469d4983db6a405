/**
 * Limits no single field shows: what the whole environment adds up to at the GCP front door. Its one URL
 * map holds every host and route, so GCP's limits on URL maps [gcp.url-map-size] [gcp.url-map-limits] and
 * the project's certificate map entries [gcp.certificate-limits] are the environment's. They are measured
 * on what the front door builds, by the same pure planners the component uses (components/gcp), and
 * reported where one can act: at a host's first rule for its own routes, else at the front door.
 */
import { cite } from "../contracts/contract";
import { certificateLimits, URL_MAP_LIMITS, URL_MAP_MAX_BYTES, urlMapBytes, urlMapLimits, urlMapSize } from "../contracts/gcp";
import { planBackends } from "../components/gcp/backend-plan";
import { planCertificates } from "../components/gcp/certificate-plan";
import { cloudName } from "../components/gcp/names";
import { buildUrlMap, pathMatcherName } from "../components/gcp/url-map";
import type { Diagnostic } from "./diagnostics";
import type { FleetPlan } from "./plan";

/** Certificate map entries one project may hold. */
export const MAX_MAP_ENTRIES = 5000;

export interface LimitPlaces {
  /** The place of a host's first rule. */
  host(host: string): Omit<Diagnostic, "severity" | "message"> | undefined;
  /** The place of the front door's settings. */
  frontDoor(): Omit<Diagnostic, "severity" | "message">;
}

export function planLimits(plan: FleetPlan, places: LimitPlaces): Diagnostic[] {
  if (plan.frontDoor.provider !== "gcp") return [];
  const out: Diagnostic[] = [];
  const atFrontDoor = (message: string) => out.push({ ...places.frontDoor(), severity: "error", message });
  const project = plan.frontDoor.project;
  const backends = planBackends(plan);
  const names = new Map(backends.backendServices.map((b) => [b.key, b.name]));
  const map = buildUrlMap(
    plan.hosts,
    backends,
    (key) => `https://www.googleapis.com/compute/v1/projects/${project}/global/backendServices/${names.get(key) ?? key}`,
    plan.catchAll,
  );
  // Measured as the component registers it (components/gcp/front-door.ts).
  const bytes = urlMapBytes({ name: cloudName(plan.environment), project, description: `Fleetgate: every host and route of ${plan.environment}`, ...map });
  if (bytes > URL_MAP_MAX_BYTES)
    atFrontDoor(
      `the environment's URL map, which holds every host and route, would be ${bytes} bytes, and GCP allows ${URL_MAP_MAX_BYTES} ${cite(urlMapSize)}; serve some hosts from another environment.`,
    );
  if (map.hostRules.length > URL_MAP_LIMITS.hostRules)
    atFrontDoor(
      `the environment serves ${map.hostRules.length} hosts, one host rule and path matcher each, and a URL map holds at most ${URL_MAP_LIMITS.hostRules} ${cite(urlMapLimits)}; serve some hosts from another environment.`,
    );
  if (backends.backendServices.length > URL_MAP_LIMITS.backendServicesPerUrlMap)
    atFrontDoor(
      `the environment's URL map would reference ${backends.backendServices.length} backend services, and GCP allows ${URL_MAP_LIMITS.backendServicesPerUrlMap} ${cite(urlMapLimits)}; serve some services from another environment.`,
    );
  const matchers = new Map(map.pathMatchers.map((m) => [m.name, m]));
  for (const host of plan.hosts) {
    const matcher = matchers.get(pathMatcherName(host.name));
    if (!matcher) continue;
    const predicates = matcher.routeRules.reduce(
      (sum, r) => sum + r.matchRules.reduce((n, m) => n + 1 + (m.headerMatches?.length ?? 0) + (m.queryParameterMatches?.length ?? 0), 0),
      0,
    );
    const problems = [
      ...(matcher.routeRules.length > URL_MAP_LIMITS.routeRulesPerPathMatcher ? [`${matcher.routeRules.length} route rules`] : []),
      ...(predicates > URL_MAP_LIMITS.predicatesPerPathMatcher ? [`${predicates} conditions (a path, each header, each query parameter)`] : []),
    ];
    if (problems.length > 0) {
      const place = places.host(host.name) ?? places.frontDoor();
      out.push({
        ...place,
        severity: "error",
        message: `host ${host.name} would have ${problems.join(" and ")} in its path matcher, and GCP allows ${URL_MAP_LIMITS.routeRulesPerPathMatcher} of each ${cite(urlMapLimits)}; route fewer paths of it, or fewer conditions.`,
      });
    }
  }
  const entries = planCertificates(plan).entries.length + 1;
  if (entries > MAX_MAP_ENTRIES)
    atFrontDoor(
      `the environment's certificate map would hold ${entries} entries, and a project holds at most ${MAX_MAP_ENTRIES} ${cite(certificateLimits)}; serve some hosts from another project's environment.`,
    );
  return out;
}
