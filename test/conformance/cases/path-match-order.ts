// Source: kubernetes-sigs/gateway-api at 4564255ac2c35d582249b3cdf261bdf51c8bca32, conformance/tests/httproute-path-match-order.{go,yaml};
// transcribed by hand as data (no code or text copied).
/** Transcribed from the suite's HTTPRoutePathMatchOrder test: exact paths before prefixes, longer prefixes first. */
import { exact, prefix, route, to, upstream, type ConformanceCase } from "../case";

const host = "order.infra.example.com";

export const pathMatchOrder: ConformanceCase = {
  name: "HTTPRoutePathMatchOrder",
  source: [upstream("httproute-path-match-order.go"), upstream("httproute-path-match-order.yaml")],
  hosts: [host],
  documents: [
    route("path-matching-order", {
      hostnames: [host],
      rules: [
        { matches: [exact("/match")], backendRefs: [to("infra-backend-v1")] },
        { matches: [exact("/match/exact")], backendRefs: [to("infra-backend-v2")] },
        { matches: [exact("/match/exact/one")], backendRefs: [to("infra-backend-v3")] },
        { matches: [prefix("/match/")], backendRefs: [to("infra-backend-v3")] },
        { matches: [prefix("/match/prefix/")], backendRefs: [to("infra-backend-v1")] },
        { matches: [prefix("/match/prefix/one")], backendRefs: [to("infra-backend-v2")] },
      ],
    }),
  ],
  checks: [
    { request: { path: "/match/exact/one" }, expect: { backend: "infra-backend-v3" } },
    { request: { path: "/match/exact" }, expect: { backend: "infra-backend-v2" } },
    { request: { path: "/match" }, expect: { backend: "infra-backend-v1" } },
    { request: { path: "/match/prefix/one/any" }, expect: { backend: "infra-backend-v2" } },
    { request: { path: "/match/prefix/any" }, expect: { backend: "infra-backend-v1" } },
    { request: { path: "/match/any" }, expect: { backend: "infra-backend-v3" } },
  ],
};
