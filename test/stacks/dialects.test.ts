/**
 * Each example stack written in the Gateway API gives the plan its GKE form gives. The Gateway API forms
 * live in test/stacks/gateway-api/stacks/<env>/: the same services, the routes as HTTPRoutes, and, where
 * a GKE path has no Gateway API equivalent (docs/dialects.md), that path kept as a MultiClusterIngress
 * beside the routes, as one host may be served by both dialects.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { PROJECT_ROOT } from "../../offline/run-offline";
import { formatDiagnostic } from "../../spec/diagnostics";
import { planEnvironment, stackConfigFromFile } from "../../spec/index";
import type { FleetPlan } from "../../spec/plan";
import { readEnvironmentFiles, stackEnvironments } from "../../spec/read-files";

/** Hosts whose every path has no Gateway API equivalent: prod's suggest matches a query parameter's presence. */
const WHOLLY_GKE: Record<string, string[]> = { prod: ["suggest.apps.example.com"] };

const GATEWAY_FORMS = join(PROJECT_ROOT, "test/stacks/gateway-api");

function planOf(environment: string, root: string): FleetPlan {
  const path = `stacks/Pulumi.${environment}.yaml`;
  const result = planEnvironment({
    environment,
    stack: stackConfigFromFile(path, readFileSync(join(PROJECT_ROOT, path), "utf8")),
    files: readEnvironmentFiles(root, environment),
  });
  expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
  return result.plan!;
}

/** The plan without the names of the documents that wrote each route: which dialect wrote it is all they differ in. */
function behaviour(plan: FleetPlan): unknown {
  return { ...plan, hosts: plan.hosts.map((h) => ({ ...h, routes: h.routes.map(({ ingress: _ingress, ...r }) => r) })) };
}

describe("the example stacks in the Gateway API", () => {
  it("cover every example stack", () => {
    expect(readdirSync(join(GATEWAY_FORMS, "stacks")).sort()).toEqual(stackEnvironments(PROJECT_ROOT));
  });

  it.each(stackEnvironments(PROJECT_ROOT))("give the GKE form's plan for %s", (environment) => {
    const gateway = planOf(environment, GATEWAY_FORMS);
    const gke = planOf(environment, PROJECT_ROOT);
    // Every other host is written (at least in part) as an HTTPRoute.
    const routed = readEnvironmentFiles(GATEWAY_FORMS, environment)
      .flatMap((f) => parseAllDocuments(f.text).map((d) => d.toJS() as { kind?: string; spec?: { hostnames?: string[] } }))
      .flatMap((d) => (d.kind === "HTTPRoute" ? (d.spec?.hostnames ?? []) : []));
    expect(gateway.hosts.map((h) => h.name).filter((h) => !routed.includes(h))).toEqual(WHOLLY_GKE[environment] ?? []);
    expect(behaviour(gateway)).toEqual(behaviour(gke));
  });
});
