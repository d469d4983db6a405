/**
 * End to end: for every host and route of each example stack's FleetPlan, a request built to match it,
 * evaluated on the configuration the program registers offline, lands where the plan says.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runProgramOffline } from "../../../offline/run-offline";
import { readRoutingConfig, type RoutingConfig } from "../../../review/route-model/config";
import { evaluateRequest, landings, type RouteTrace } from "../../../review/route-model/evaluate";
import { parseRequest } from "../../../review/route-model/request";
import { routeRows } from "../../../review/route-model/table";
import type { FleetPlan, HostPlan, RouteMatchPlan, RoutePlan } from "../../../spec/plan";
import { examplePlan } from "../../examples";

/** A request the match takes: the exact path or a path under the prefix, and every header and parameter it asks for. */
function requestFor(host: string, match: RouteMatchPlan) {
  const path = match.path.type === "Exact" ? match.path.value : `${match.path.value}fleetgate-e2e`;
  const value = (m: { type: string; value?: string }) => (m.type === "Exact" ? m.value! : "present");
  const query = match.queryParams.map((q) => `${encodeURIComponent(q.name)}=${encodeURIComponent(value(q))}`).join("&");
  const method = (match as { method?: string }).method ?? "GET";
  return parseRequest(
    `https://${host}${path}${query ? `?${query}` : ""}`,
    match.headers.map((h) => `${h.name}: ${value(h)}`),
    method,
  );
}

/**
 * Where the plan says a forward lands: behind GCP, the Service in each cluster that runs it (its backend
 * service holds only those clusters' NEGs); behind AWS, the Service in each cluster whose gateway serves
 * the host (the accelerator reaches every serving cluster, and each has a listener for every host; its
 * mesh then finds the Service's endpoints wherever they run).
 */
function expectedLandings(plan: FleetPlan, host: HostPlan, backends: readonly { service: string; port: number }[]): string[] {
  const clustersOf = (service: string) =>
    plan.frontDoor.provider === "gcp"
      ? plan.services
          .find((s) => s.key === service)!
          .clusters.filter((c) => !c.drained)
          .map((c) => c.cluster)
      : plan.clusters.filter((c) => c.gateway?.hosts.includes(host.name)).map((c) => c.name);
  return [...new Set(backends.flatMap((b) => clustersOf(b.service).map((c) => `${c} ${b.service}:${b.port}`)))].sort();
}

function redirectOf(trace: RouteTrace): { status: number; location: string } | undefined {
  const f = trace.frontDoor;
  if (f.kind === "gcp") return f.urlMap.action.kind === "redirect" ? { status: f.urlMap.action.status, location: f.urlMap.action.location } : undefined;
  if (f.kind === "aws") {
    const outcomes = f.groups.flatMap((g) => g.clusters.map((c) => c.gateway.outcome));
    return outcomes[0]?.kind === "redirect" && outcomes.every((o) => JSON.stringify(o) === JSON.stringify(outcomes[0]))
      ? { status: outcomes[0].status, location: outcomes[0].location }
      : undefined;
  }
  return undefined;
}

const testable = (route: RoutePlan) => [...route.match.headers, ...route.match.queryParams].every((m) => m.type !== "RegularExpression");

describe.each(["dev", "aws-prod"])("the example stack %s", (stack) => {
  let config: RoutingConfig;
  let plan: FleetPlan;
  beforeAll(async () => {
    plan = examplePlan(stack);
    const run = await runProgramOffline({ stack });
    expect(run.exitCode).toBe(0);
    config = readRoutingConfig(stack, run.resources);
  });

  it("sends a request for every route of every host to the backends the plan names, in the clusters that run them", () => {
    let checked = 0;
    for (const host of plan.hosts)
      for (const route of host.routes.filter(testable)) {
        const request = requestFor(host.name, route.match);
        const trace = evaluateRequest(config, request);
        const want = route.action.kind === "forward" ? expectedLandings(plan, host, route.action.backends) : [];
        expect({ route: `${host.name} ${route.key}`, landings: landings(trace) }).toEqual({ route: `${host.name} ${route.key}`, landings: want });
        if (route.action.kind === "redirect") expect(redirectOf(trace)?.status).toBe(route.action.statusCode);
        checked++;
      }
    expect(checked).toBeGreaterThan(0);
  });

  it("sends a path no route takes to the host's default backend", () => {
    for (const host of plan.hosts.filter((h) => h.defaultBackend)) {
      const trace = evaluateRequest(config, parseRequest(`https://${host.name}/fleetgate-e2e-unrouted`));
      expect({ host: host.name, landings: landings(trace) }).toEqual({ host: host.name, landings: expectedLandings(plan, host, [host.defaultBackend!]) });
    }
  });

  it("redirects plain HTTP to HTTPS with the host's status", () => {
    for (const host of plan.hosts) {
      const trace = evaluateRequest(config, parseRequest(`http://${host.name}/a?b=1`));
      expect(redirectOf(trace)).toEqual({ status: host.httpsRedirectStatus ?? 301, location: `https://${host.name}/a?b=1` });
    }
  });

  it("lists every host of the plan in the routes table, with its owners", () => {
    const rows = routeRows(config, plan);
    for (const host of plan.hosts)
      expect(rows.filter((r) => r.host === host.name).every((r) => r.owners.join() === host.owners.join()) && rows.some((r) => r.host === host.name)).toBe(
        true,
      );
  });
});
