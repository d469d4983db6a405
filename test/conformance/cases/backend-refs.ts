// Source: kubernetes-sigs/gateway-api at 4564255ac2c35d582249b3cdf261bdf51c8bca32, conformance/tests/{httproute-simple-same-namespace, httproute-named-rule, httproute-omitted-backendrefs, httproute-invalid-nonexistent-backendref, httproute-request-header-modifier-backend-weights}.{go,yaml};
// transcribed by hand as data (no code or text copied).
/**
 * Transcribed from the suite's tests of a route's backends: HTTPRouteSimpleSameNamespace,
 * HTTPRouteNamedRule, HTTPRouteNoBackendRefs, HTTPRouteInvalidNonExistentBackendRef and
 * HTTPRouteRequestHeaderModifierBackendWeights. Where the suite wants the gateway to answer 500 (a rule
 * without backends, a backend that does not exist), Fleetgate refuses the spec at the field instead.
 */
import { exact, prefix, route, to, upstream, type ConformanceCase, type Refusal } from "../case";

const onBoth = (refusals: Refusal[]) => ({ gcp: refusals, aws: refusals });

const simpleHost = "simple.infra.example.com";
export const simpleSameNamespace: ConformanceCase = {
  name: "HTTPRouteSimpleSameNamespace",
  source: [upstream("httproute-simple-same-namespace.go"), upstream("httproute-simple-same-namespace.yaml")],
  hosts: [simpleHost],
  documents: [route("gateway-conformance-infra-test", { hostnames: [simpleHost], rules: [{ backendRefs: [to("infra-backend-v1")] }] })],
  checks: [{ request: { path: "/" }, expect: { backend: "infra-backend-v1" } }],
};

const namedHost = "named-rule.infra.example.com";
export const namedRule: ConformanceCase = {
  name: "HTTPRouteNamedRule",
  source: [upstream("httproute-named-rule.go"), upstream("httproute-named-rule.yaml")],
  hosts: [namedHost],
  adapted: ["the suite checks only for status 200; the backend each rule names is checked too"],
  documents: [
    route("http-named-rules", {
      hostnames: [namedHost],
      rules: [
        { name: "named-rule", matches: [prefix("/named")], backendRefs: [to("infra-backend-v1")] },
        { matches: [prefix("/unnamed")], backendRefs: [to("infra-backend-v2")] },
      ],
    }),
  ],
  checks: [
    { request: { path: "/named" }, expect: { backend: "infra-backend-v1" } },
    { request: { path: "/unnamed" }, expect: { backend: "infra-backend-v2" } },
  ],
};

const omittedHost = "omitted-backends.infra.example.com";
const noBackends = "has no backendRefs and no RequestRedirect filter";
export const noBackendRefs: ConformanceCase = {
  name: "HTTPRouteNoBackendRefs",
  source: [upstream("httproute-omitted-backendrefs.go"), upstream("httproute-omitted-backendrefs.yaml")],
  hosts: [omittedHost],
  documents: [
    route("omitted-backendrefs", {
      hostnames: [omittedHost],
      rules: [
        { matches: [exact("/omitted-no-forward")] },
        { matches: [exact("/empty-no-forward")], backendRefs: [] },
        { matches: [prefix("/")], backendRefs: [to("infra-backend-v1")] },
      ],
    }),
  ],
  checks: [
    { request: { path: "/forward" }, expect: { backend: "infra-backend-v1" } },
    { request: { path: "/omitted-no-forward", via: "omitted-backendrefs#0" }, expect: { status: 500 } },
    { request: { path: "/empty-no-forward", via: "omitted-backendrefs#1" }, expect: { status: 500 } },
  ],
  refused: onBoth([
    { route: "omitted-backendrefs", rule: 0, reason: noBackends },
    { route: "omitted-backendrefs", rule: 1, reason: noBackends },
  ]),
};

const nonexistentHost = "nonexistent-backend.infra.example.com";
export const invalidNonExistentBackendRef: ConformanceCase = {
  name: "HTTPRouteInvalidNonExistentBackendRef",
  source: [upstream("httproute-invalid-nonexistent-backendref.go"), upstream("httproute-invalid-nonexistent-backendref.yaml")],
  hosts: [nonexistentHost],
  documents: [
    route("invalid-nonexistent-backend-ref", {
      hostnames: [nonexistentHost],
      rules: [{ backendRefs: [to("nonexistent", { namespace: "gateway-conformance-infra" })] }],
    }),
  ],
  checks: [{ request: { path: "/" }, expect: { status: 500 } }],
  refused: onBoth([
    { route: "invalid-nonexistent-backend-ref", rule: 0, reason: `"nonexistent" is not a MultiClusterService in namespace gateway-conformance-infra` },
  ]),
};

const weightsHost = "backend-headers.infra.example.com";
const setBackend = (value: string) => [{ type: "RequestHeaderModifier", requestHeaderModifier: { set: [{ name: "Backend", value }] } }];
export const requestHeaderModifierBackendWeights: ConformanceCase = {
  name: "HTTPRouteRequestHeaderModifierBackendWeights",
  source: [upstream("httproute-request-header-modifier-backend-weights.go"), upstream("httproute-request-header-modifier-backend-weights.yaml")],
  hosts: [weightsHost],
  documents: [
    route("request-header-modifier-backend-weights", {
      hostnames: [weightsHost],
      rules: [
        {
          backendRefs: [
            { ...to("infra-backend-v1", { weight: 10 }), filters: setBackend("infra-backend-v1") },
            { ...to("infra-backend-v2", { weight: 10 }), filters: setBackend("infra-backend-v2") },
          ],
        },
      ],
    }),
  ],
  // The suite checks that the Backend header names the pod that answered; the split is what the evaluator can check.
  checks: [{ request: { path: "/" }, expect: { weights: { "infra-backend-v1": 50, "infra-backend-v2": 50 } } }],
  refused: onBoth([{ route: "request-header-modifier-backend-weights", rule: 0, reason: "are filters of one backend, which Fleetgate does not apply" }]),
};
