/**
 * End to end with the admin's Gateway: the dev stack plus a multi-cluster Gateway manifest and an
 * HTTPRoute whose wildcard hostname is intersected with a listener's narrower wildcard. The route
 * evaluator, run on the configuration the program registers offline, serves the intersection (at the
 * GCP URL map and in the generated gateways' listeners) and nothing wider.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineConfigFromStackFile, PROJECT_ROOT, runProgramOffline } from "../../../offline/run-offline";
import { readRoutingConfig, type RoutingConfig } from "../../../review/route-model/config";
import { evaluateRequest, landings } from "../../../review/route-model/evaluate";
import { parseRequest } from "../../../review/route-model/request";

const scratch = mkdtempSync(join(tmpdir(), "fleetgate-admin-gateway-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: external, namespace: fleetgate-gateway }
spec:
  gatewayClassName: gke-l7-global-external-managed-mc
  listeners:
    - name: catalog
      hostname: "*.catalog.dev.example.com"
      port: 443
      protocol: HTTPS
      allowedRoutes: { namespaces: { from: All } }
`;

const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: regions, namespace: catalog }
spec:
  parentRefs: [{ name: external, namespace: fleetgate-gateway, sectionName: catalog }]
  hostnames: ["*.dev.example.com"]
  rules:
    - matches: [{ path: { type: PathPrefix, value: /api } }]
      backendRefs: [{ name: catalog, port: 8080 }]
    - matches: [{ path: { type: Exact, value: /old } }]
      filters: [{ type: RequestRedirect, requestRedirect: { hostname: catalog.dev.example.com, statusCode: 301 } }]
`;

describe("a route intersected with the admin's listener, evaluated on the generated configuration", () => {
  let config: RoutingConfig;
  beforeAll(async () => {
    cpSync(join(PROJECT_ROOT, "stacks", "dev"), join(scratch, "stacks", "dev"), { recursive: true });
    mkdirSync(join(scratch, "stacks", "dev", "fleetgate-gateway"));
    writeFileSync(join(scratch, "stacks", "dev", "fleetgate-gateway", "gateway.yaml"), GATEWAY);
    writeFileSync(join(scratch, "stacks", "dev", "catalog", "routes.yaml"), ROUTE);
    const stackFile = readFileSync(join(PROJECT_ROOT, "stacks", "Pulumi.dev.yaml"), "utf8");
    writeFileSync(join(scratch, "stacks", "Pulumi.dev.yaml"), stackFile);
    const run = await runProgramOffline({ stack: "dev", root: scratch, config: engineConfigFromStackFile(stackFile) });
    expect(run.exitCode, run.stderr).toBe(0);
    config = readRoutingConfig("dev", run.resources);
  });

  it("serves the intersection's hosts, one label deep and deeper, through the gateways to the route's backend", () => {
    for (const host of ["eu.catalog.dev.example.com", "a.b.catalog.dev.example.com"]) {
      const got = landings(evaluateRequest(config, parseRequest(`https://${host}/api/items`)));
      expect(got.length, host).toBeGreaterThan(0);
      expect(got.every((l) => l.endsWith(" catalog/catalog:8080")), host).toBe(true);
    }
  });

  it("redirects at the front door on the intersected host", () => {
    const trace = evaluateRequest(config, parseRequest("https://eu.catalog.dev.example.com/old"));
    expect(trace.frontDoor.kind === "gcp" && trace.frontDoor.urlMap.action).toMatchObject({ kind: "redirect", status: 301, location: "https://catalog.dev.example.com/old" });
  });

  it("serves nothing of the route on a host of the route's wildcard outside the listener's", () => {
    expect(landings(evaluateRequest(config, parseRequest("https://shop2.dev.example.com/api/items")))).toEqual([]);
  });
});
