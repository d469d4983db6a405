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
export const referenceGrant: ConformanceCase = {
  name: "HTTPRouteReferenceGrant",
  source: [upstream("httproute-reference-grant.go"), upstream("httproute-reference-grant.yaml")],
  hosts: [grantHost],
  documents: [
    {
      apiVersion: "gateway.networking.k8s.io/v1beta1",
      kind: "ReferenceGrant",
      metadata: { name: "reference-grant", namespace: WEB },
      spec: { from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: INFRA }], to: [{ group: "", kind: "Service", name: "web-backend" }] },
    },
    route("reference-grant", { hostnames: [grantHost], rules: [{ backendRefs: [to("web-backend", { namespace: WEB })] }] }),
  ],
  checks: [{ request: { path: "/" }, expect: { backend: `${WEB}/web-backend` } }],
};
