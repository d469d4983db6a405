// Source: kubernetes-sigs/gateway-api at 4564255ac2c35d582249b3cdf261bdf51c8bca32, conformance/tests/httproute-header-matching.{go,yaml};
// transcribed by hand as data (no code or text copied).
/** Transcribed from the suite's HTTPRouteHeaderMatching test: exact header matches, ANDed within a match and ORed across matches. */
import { headers, route, to, upstream, type ConformanceCase } from "../case";

const host = "headers.infra.example.com";
const v1 = { backend: "infra-backend-v1" };
const v2 = { backend: "infra-backend-v2" };
const notFound = { status: 404 };

export const headerMatching: ConformanceCase = {
  name: "HTTPRouteHeaderMatching",
  source: [upstream("httproute-header-matching.go"), upstream("httproute-header-matching.yaml")],
  hosts: [host],
  documents: [
    route("header-matching", {
      hostnames: [host],
      rules: [
        { matches: [{ headers: headers({ version: "one" }) }], backendRefs: [to("infra-backend-v1")] },
        { matches: [{ headers: headers({ version: "two" }) }], backendRefs: [to("infra-backend-v2")] },
        { matches: [{ headers: headers({ version: "two", color: "orange" }) }], backendRefs: [to("infra-backend-v1")] },
        { matches: [{ headers: headers({ color: "blue" }) }, { headers: headers({ color: "green" }) }], backendRefs: [to("infra-backend-v1")] },
        { matches: [{ headers: headers({ color: "red" }) }, { headers: headers({ color: "yellow" }) }], backendRefs: [to("infra-backend-v2")] },
      ],
    }),
  ],
  checks: [
    { request: { path: "/", headers: { Version: "one" } }, expect: v1 },
    { request: { path: "/", headers: { Version: "two" } }, expect: v2 },
    { request: { path: "/", headers: { Version: "two", Color: "orange" } }, expect: v1 },
    { request: { path: "/", headers: { Version: "two", Color: "blue" } }, expect: v2 },
    { request: { path: "/", headers: { Color: "orange" } }, expect: notFound },
    { request: { path: "/", headers: { "Some-Other-Header": "one" } }, expect: notFound },
    { request: { path: "/", headers: { Color: "blue" } }, expect: v1 },
    { request: { path: "/", headers: { Color: "green" } }, expect: v1 },
    { request: { path: "/", headers: { Color: "red" } }, expect: v2 },
    { request: { path: "/", headers: { Color: "yellow" } }, expect: v2 },
    { request: { path: "/", headers: { Color: "purple" } }, expect: notFound },
  ],
};
