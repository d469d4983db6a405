// Source: kubernetes-sigs/gateway-api at 4564255ac2c35d582249b3cdf261bdf51c8bca32, conformance/tests/{httproute-cross-namespace, httproute-reference-grant}.{go,yaml};
// transcribed by hand as data (no code or text copied).
/** Transcribed from the suite's HTTPRouteCrossNamespace and HTTPRouteReferenceGrant tests. */
import { INFRA, route, to, upstream, WEB, type ConformanceCase } from "../case";

// The suite's route attaches from its backend's namespace to a gateway in the infra namespace whose
// listener admits routes of namespaces with a label; every Fleetgate team attaches to the fleet gateway.
const crossHost = "cross-namespace.web.example.com";
export const crossNamespace: ConformanceCase = {
  name: "HTTPRouteCrossNamespace",
  source: [upstream("httproute-cross-namespace.go"), upstream("httproute-cross-namespace.yaml")],
  hosts: [crossHost],
  documents: [route("cross-namespace", { namespace: WEB, hostnames: [crossHost], rules: [{ backendRefs: [to("web-backend")] }] })],
  checks: [{ request: { path: "/" }, expect: { backend: `${WEB}/web-backend` } }],
};

const grantHost = "reference-grant.infra.example.com";
const grant = {
  apiVersion: "gateway.networking.k8s.io/v1beta1",
  kind: "ReferenceGrant",
  metadata: { name: "reference-grant", namespace: WEB },
  spec: { from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: INFRA }], to: [{ group: "", kind: "Service", name: "web-backend" }] },
};
export const referenceGrant: ConformanceCase = {
  name: "HTTPRouteReferenceGrant",
  source: [upstream("httproute-reference-grant.go"), upstream("httproute-reference-grant.yaml")],
  hosts: [grantHost],
  documents: [grant, route("reference-grant", { hostnames: [grantHost], rules: [{ backendRefs: [to("web-backend", { namespace: WEB })] }] })],
  checks: [{ request: { path: "/" }, expect: { backend: `${WEB}/web-backend` } }],
};

/**
 * The same test's second half: once the grant is deleted the suite wants 500 for the request. A spec
 * without the grant never reaches the gateways: Fleetgate refuses the backendRef at its namespace.
 */
const withoutGrantHost = "reference-grant-deleted.infra.example.com";
const noGrant = [
  {
    route: "reference-grant",
    reason: "no ReferenceGrant in gateway-conformance-web-backend lets HTTPRoutes of gateway-conformance-infra refer to its Service web-backend",
  },
];
export const referenceGrantDeleted: ConformanceCase = {
  name: "HTTPRouteReferenceGrantDeleted",
  source: [upstream("httproute-reference-grant.go"), upstream("httproute-reference-grant.yaml")],
  hosts: [withoutGrantHost],
  adapted: ["the second half of HTTPRouteReferenceGrant, after the grant is deleted"],
  documents: [route("reference-grant", { hostnames: [withoutGrantHost], rules: [{ backendRefs: [to("web-backend", { namespace: WEB })] }] })],
  checks: [{ request: { path: "/" }, expect: { status: 500 } }],
  refused: { gcp: noGrant, aws: noGrant },
};
