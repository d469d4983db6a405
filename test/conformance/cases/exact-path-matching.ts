// Source: kubernetes-sigs/gateway-api at 4564255ac2c35d582249b3cdf261bdf51c8bca32, conformance/tests/httproute-exact-path-matching.{go,yaml};
// transcribed by hand as data (no code or text copied).
/** Transcribed from the suite's HTTPRouteExactPathMatching test. */
import { exact, route, to, upstream, type ConformanceCase } from "../case";

const host = "exact.infra.example.com";
const notFound = { status: 404 };

export const exactPathMatching: ConformanceCase = {
  name: "HTTPRouteExactPathMatching",
  source: [upstream("httproute-exact-path-matching.go"), upstream("httproute-exact-path-matching.yaml")],
  hosts: [host],
  documents: [
    route("exact-matching", {
      hostnames: [host],
      rules: [
        { matches: [exact("/one")], backendRefs: [to("infra-backend-v1")] },
        { matches: [exact("/two")], backendRefs: [to("infra-backend-v2")] },
      ],
    }),
  ],
  checks: [
    { request: { path: "/one" }, expect: { backend: "infra-backend-v1" } },
    { request: { path: "/two" }, expect: { backend: "infra-backend-v2" } },
    { request: { path: "/" }, expect: notFound },
    { request: { path: "/one/example" }, expect: notFound },
    { request: { path: "/two/" }, expect: notFound },
    { request: { path: "/Two" }, expect: notFound },
  ],
};
