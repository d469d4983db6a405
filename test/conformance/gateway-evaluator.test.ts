/**
 * The route evaluator's gateway model (review/route-model/gateway.ts) on every conformance case as the
 * suite means it, including what Fleetgate refuses to plan: the case's documents are handed to one
 * cluster's gateway directly (its listeners are the admin's Gateway of the case, else one HTTPS
 * listener on 443 without host name, as the suite's same-namespace gateway has), and every request
 * must get what the suite expects. This proves the evaluator's Gateway API semantics on their own,
 * so that conformance.test.ts measures only what Fleetgate's planning does to them.
 */
import { describe, expect, it } from "vitest";
import type { ClusterObjects, GatewayObject, HTTPRouteObject, ReferenceGrantObject, ServiceObject } from "../../review/route-model/config";
import { evaluateGateway } from "../../review/route-model/gateway";
import { DEFAULT_GATEWAY_NAMESPACE, GATEWAY_NAME } from "../../spec/naming";
import { INFRA, WEB, type ConformanceCase } from "./case";
import { CASES } from "./cases";
import { describeRequest, mismatches, requestOf } from "./compare";
import { gatewayObservation } from "./observe";

const services: ServiceObject[] = [
  ...["infra-backend-v1", "infra-backend-v2", "infra-backend-v3"].map((name) => ({
    metadata: { name, namespace: INFRA },
    spec: { ports: [{ port: 8080, targetPort: 3000 }] },
  })),
  { metadata: { name: "web-backend", namespace: WEB }, spec: { ports: [{ port: 8080, targetPort: 3000 }] } },
];

const sameNamespaceGateway: GatewayObject = {
  metadata: { name: GATEWAY_NAME, namespace: DEFAULT_GATEWAY_NAMESPACE },
  spec: { gatewayClassName: "istio", listeners: [{ name: "https", port: 443, protocol: "HTTPS", allowedRoutes: { namespaces: { from: "All" } } }] },
};

function clusterOf(c: ConformanceCase): ClusterObjects {
  const of = <T>(kind: string) => c.documents.filter((d) => d.kind === kind) as unknown as T[];
  const gateways = of<GatewayObject>("Gateway");
  return {
    name: "c1",
    gateways: gateways.length > 0 ? gateways : [sameNamespaceGateway],
    routes: of<HTTPRouteObject>("HTTPRoute"),
    services,
    grants: of<ReferenceGrantObject>("ReferenceGrant"),
    serviceUrns: new Map(),
  };
}

describe("the gateway evaluator on the conformance cases as the suite writes them", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s: every request gets what the suite expects", (_, c) => {
    const cluster = clusterOf(c);
    const problems = c.checks.flatMap((check) => {
      const request = requestOf(c, check);
      return mismatches(check, gatewayObservation(evaluateGateway(cluster, 443, request), request)).map((m) => `${describeRequest(c, check)}: ${m}`);
    });
    expect(problems).toEqual([]);
  });
});
