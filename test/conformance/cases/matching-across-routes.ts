// Source: kubernetes-sigs/gateway-api at 4564255ac2c35d582249b3cdf261bdf51c8bca32, conformance/tests/httproute-matching-across-routes.{go,yaml};
// transcribed by hand as data (no code or text copied).
/** Transcribed from the suite's HTTPRouteMatchingAcrossRoutes test: precedence across two routes sharing a host. */
import { headers, prefix, route, to, upstream, type ConformanceCase } from "../case";

// The suite's example.com and example.net.
const com = "across-com.infra.example.com";
const net = "across-net.infra.example.com";
const v1 = { backend: "infra-backend-v1" };
const v2 = { backend: "infra-backend-v2" };

export const matchingAcrossRoutes: ConformanceCase = {
  name: "HTTPRouteMatchingAcrossRoutes",
  source: [upstream("httproute-matching-across-routes.go"), upstream("httproute-matching-across-routes.yaml")],
  hosts: [com, net],
  documents: [
    route("matching-part1", {
      hostnames: [com, net],
      rules: [{ matches: [prefix("/"), { headers: headers({ version: "one" }) }], backendRefs: [to("infra-backend-v1")] }],
    }),
    route("matching-part2", {
      hostnames: [com],
      rules: [{ matches: [prefix("/v2"), { headers: headers({ version: "two" }) }], backendRefs: [to("infra-backend-v2")] }],
    }),
  ],
  checks: [
    { request: { host: com, path: "/" }, expect: v1 },
    { request: { host: com, path: "/example" }, expect: v1 },
    { request: { host: net, path: "/example" }, expect: v1 },
    { request: { host: com, path: "/example", headers: { Version: "one" } }, expect: v1 },
    { request: { host: com, path: "/v2" }, expect: v2 },
    { request: { host: net, path: "/v2" }, expect: v1 },
    { request: { host: com, path: "/v2/example" }, expect: v2 },
    { request: { host: com, path: "/", headers: { Version: "two" } }, expect: v2 },
  ],
};
