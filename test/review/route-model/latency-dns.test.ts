/**
 * End to end behind the AWS front door in latency-dns mode: the aws-prod stack with latency records in
 * place of the accelerator, and a host that only redirects. The route evaluator follows each host's
 * latency records to the regions' NLBs and the gateways behind them, on the configuration the program
 * registers offline.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineConfigFromStackFile, PROJECT_ROOT, runProgramOffline } from "../../../offline/run-offline";
import { readRoutingConfig, type RoutingConfig } from "../../../review/route-model/config";
import { evaluateRequest, landings, type RouteTrace } from "../../../review/route-model/evaluate";
import { parseRequest } from "../../../review/route-model/request";
import { awsEdgePlan } from "../../../components/aws/edge-plan";
import { planEnvironment, stackConfigFromFile, type FleetPlan } from "../../../spec/index";
import { readEnvironmentFiles } from "../../../spec/read-files";

const scratch = mkdtempSync(join(tmpdir(), "fleetgate-latency-dns-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const STACK = "aws-prod";
const REDIRECT = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: www, namespace: shop }
spec:
  parentRefs: [{ name: fleetgate, namespace: fleetgate-gateway }]
  hostnames: [www.example.net]
  rules:
    - filters: [{ type: RequestRedirect, requestRedirect: { hostname: shop.example.net, statusCode: 301 } }]
`;

/** The regions a trace reached, and what each region's gateways did. */
function byRegion(trace: RouteTrace): Record<string, string[]> {
  const f = trace.frontDoor;
  if (f.kind !== "aws") return {};
  return Object.fromEntries(
    f.groups.map((g) => [
      g.region,
      g.clusters.map(
        (c) =>
          `${c.cluster} ${c.gateway.outcome.kind === "redirect" ? `redirect ${c.gateway.outcome.status} ${c.gateway.outcome.location}` : c.gateway.outcome.kind}`,
      ),
    ]),
  );
}

describe("the aws-prod stack in latency-dns mode, evaluated on the generated configuration", () => {
  let config: RoutingConfig;
  let plan: FleetPlan;
  beforeAll(async () => {
    const root = join(scratch, STACK);
    cpSync(join(PROJECT_ROOT, "stacks", STACK), join(root, "stacks", STACK), { recursive: true });
    writeFileSync(join(root, "stacks", STACK, "shop", "www.yaml"), REDIRECT);
    const stackFile = readFileSync(join(PROJECT_ROOT, "stacks", `Pulumi.${STACK}.yaml`), "utf8")
      .replace("mode: accelerator", "mode: latency-dns")
      .replace("domains: [shop.example.net]", "domains: [shop.example.net, www.example.net]");
    writeFileSync(join(root, "stacks", `Pulumi.${STACK}.yaml`), stackFile);
    const path = `stacks/Pulumi.${STACK}.yaml`;
    const planned = planEnvironment({ environment: STACK, stack: stackConfigFromFile(path, stackFile), files: readEnvironmentFiles(root, STACK) });
    expect(planned.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    plan = planned.plan!;
    const run = await runProgramOffline({ stack: STACK, root, config: engineConfigFromStackFile(stackFile) });
    expect(run.exitCode, run.stderr).toBe(0);
    config = readRoutingConfig(STACK, run.resources);
  });

  it("reaches a host through its records in each region the edge plan gives it (its failover pair, or every region of its clusters), and lands on the plan's backends there", () => {
    const edge = awsEdgePlan(plan);
    const regionOf = (cluster: string) => plan.clusters.find((c) => c.name === cluster)!.region;
    let checked = 0;
    for (const host of plan.hosts.filter((h) => h.defaultBackend)) {
      const trace = evaluateRequest(config, parseRequest(`https://${host.name}/fleetgate-e2e`));
      expect(trace.frontDoor).toMatchObject({ kind: "aws", mode: "latency-dns" });
      const planned = edge.hosts.find((h) => h.host === host.name)!;
      const regions = planned.failover ? [planned.failover.primary, planned.failover.secondary].sort() : planned.regions;
      expect({ host: host.name, regions: Object.keys(byRegion(trace)).sort() }).toEqual({ host: host.name, regions });
      const clusters = host.clusters.filter((c) => regions.includes(regionOf(c)));
      expect({ host: host.name, landings: landings(trace) }).toEqual({
        host: host.name,
        landings: clusters.map((c) => `${c} ${host.defaultBackend!.service}:${host.defaultBackend!.port}`).sort(),
      });
      checked++;
    }
    // shop fails over, search is latency-routed: both kinds of record are followed.
    expect(checked).toBe(2);
    expect(edge.hosts.filter((h) => h.failover).map((h) => h.host)).toEqual(["shop.example.net"]);
  });

  it("answers a host that only redirects in every serving region, from each region's gateways", () => {
    const trace = evaluateRequest(config, parseRequest("https://www.example.net/cart?x=1"));
    const serving = plan.clusters.filter((c) => c.gateway !== undefined);
    expect(byRegion(trace)).toEqual(Object.fromEntries(serving.map((c) => [c.region, [`${c.name} redirect 301 https://shop.example.net/cart?x=1`]])));
  });
});
