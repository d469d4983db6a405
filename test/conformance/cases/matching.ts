// Source: kubernetes-sigs/gateway-api at 4564255ac2c35d582249b3cdf261bdf51c8bca32, conformance/tests/httproute-matching.{go,yaml};
// transcribed by hand as data (no code or text copied).
/** Transcribed from the suite's HTTPRouteMatching test: rules ORing a path prefix and a header match. */
import { headers, prefix, route, to, upstream, type ConformanceCase } from "../case";

const host = "matching.infra.example.com";
const v1 = { backend: "infra-backend-v1" };
const v2 = { backend: "infra-backend-v2" };

export const matching: ConformanceCase = {
  name: "HTTPRouteMatching",
  source: [upstream("httproute-matching.go"), upstream("httproute-matching.yaml")],
  hosts: [host],
  documents: [
    route("matching", {
      hostnames: [host],
      rules: [
        { matches: [prefix("/"), { headers: headers({ version: "one" }) }], backendRefs: [to("infra-backend-v1")] },
        { matches: [prefix("/v2"), { headers: headers({ version: "two" }) }], backendRefs: [to("infra-backend-v2")] },
      ],
    }),
  ],
  checks: [
    { request: { path: "/" }, expect: v1 },
    { request: { path: "/example" }, expect: v1 },
    { request: { path: "/", headers: { Version: "one" } }, expect: v1 },
    { request: { path: "/v2" }, expect: v2 },
    { request: { path: "/v2/example" }, expect: v2 },
    { request: { path: "/", headers: { Version: "two" } }, expect: v2 },
    { request: { path: "/v2/" }, expect: v2 },
    { request: { path: "/v2example" }, expect: v1 },
    { request: { path: "/foo/v2/example" }, expect: v1 },
  ],
};
