/**
 * End to end with the admin's Gateway: the dev and aws-prod stacks plus a multi-cluster Gateway manifest and an
 * HTTPRoute whose wildcard hostname is intersected with a listener's narrower wildcard. The route
 * evaluator, run on the configuration the program registers offline, serves the intersection (at the
 * GCP URL map, behind AWS in the gateways' generated listeners) and nothing wider.
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

interface Stack {
  readonly stack: string;
  readonly namespace: string;
  readonly service: string;
  /** The listener's hostname, the route's wider wildcard, and hosts inside and outside the intersection. */
  readonly listener: string;
  readonly routeHost: string;
  readonly inside: readonly string[];
  readonly outside: string;
  readonly redirectTo: string;
}

const STACKS: readonly Stack[] = [
  {
    stack: "dev",
    namespace: "catalog",
    service: "catalog",
    listener: "*.catalog.dev.example.com",
    routeHost: "*.dev.example.com",
    inside: ["eu.catalog.dev.example.com", "a.b.catalog.dev.example.com"],
    outside: "shop2.dev.example.com",
    redirectTo: "catalog.dev.example.com",
  },
  {
    stack: "aws-prod",
    namespace: "search",
    service: "search",
    listener: "*.search.example.net",
    routeHost: "*.example.net",
    inside: ["eu.search.example.net", "a.b.search.example.net"],
    outside: "shop2.example.net",
    redirectTo: "api.search.example.net",
  },
];

const gatewayOf = (s: Stack) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: external, namespace: fleetgate-gateway }
spec:
  gatewayClassName: gke-l7-global-external-managed-mc
  listeners:
    - name: wide
      hostname: "${s.listener}"
      port: 443
      protocol: HTTPS
      allowedRoutes: { namespaces: { from: All } }
`;

const routeOf = (s: Stack) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: regions, namespace: ${s.namespace} }
spec:
  parentRefs: [{ name: external, namespace: fleetgate-gateway, sectionName: wide }]
  hostnames: ["${s.routeHost}"]
  rules:
    - matches: [{ path: { type: PathPrefix, value: /api } }]
      backendRefs: [{ name: ${s.service}, port: 8080 }]
    - matches: [{ path: { type: Exact, value: /old } }]
      filters: [{ type: RequestRedirect, requestRedirect: { hostname: ${s.redirectTo}, statusCode: 301 } }]
`;

describe.each(STACKS)("a route intersected with the admin's listener on $stack, evaluated on the generated configuration", (s) => {
  let config: RoutingConfig;
  beforeAll(async () => {
    const root = join(scratch, s.stack);
    cpSync(join(PROJECT_ROOT, "stacks", s.stack), join(root, "stacks", s.stack), { recursive: true });
    mkdirSync(join(root, "stacks", s.stack, "fleetgate-gateway"));
    writeFileSync(join(root, "stacks", s.stack, "fleetgate-gateway", "gateway.yaml"), gatewayOf(s));
    writeFileSync(join(root, "stacks", s.stack, s.namespace, "routes.yaml"), routeOf(s));
    const stackFile = readFileSync(join(PROJECT_ROOT, "stacks", `Pulumi.${s.stack}.yaml`), "utf8");
    writeFileSync(join(root, "stacks", `Pulumi.${s.stack}.yaml`), stackFile);
    const run = await runProgramOffline({ stack: s.stack, root, config: engineConfigFromStackFile(stackFile) });
    expect(run.exitCode, run.stderr).toBe(0);
    config = readRoutingConfig(s.stack, run.resources);
  });

  it("serves the intersection's hosts, one label deep and deeper, through the gateways to the route's backend", () => {
    for (const host of s.inside) {
      const got = landings(evaluateRequest(config, parseRequest(`https://${host}/api/items`)));
      expect(got.length, host).toBeGreaterThan(0);
      expect(
        got.every((l) => l.endsWith(` ${s.namespace}/${s.service}:8080`)),
        host,
      ).toBe(true);
    }
  });

  it("redirects on the intersected host", () => {
    const trace = evaluateRequest(config, parseRequest(`https://${s.inside[0]}/old`));
    const f = trace.frontDoor;
    const outcome = f.kind === "gcp" ? f.urlMap.action : f.kind === "aws" ? f.groups[0]?.clusters[0]?.gateway.outcome : undefined;
    expect(outcome).toMatchObject({ kind: "redirect", status: 301, location: `https://${s.redirectTo}/old` });
  });

  it("serves nothing of the route on a host of the route's wildcard outside the listener's", () => {
    expect(landings(evaluateRequest(config, parseRequest(`https://${s.outside}/api/items`)))).toEqual([]);
  });
});
