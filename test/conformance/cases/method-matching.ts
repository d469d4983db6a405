// Source: kubernetes-sigs/gateway-api at 4564255ac2c35d582249b3cdf261bdf51c8bca32, conformance/tests/httproute-method-matching.{go,yaml};
// transcribed by hand as data (no code or text copied).
/** Transcribed from the suite's HTTPRouteMethodMatching test: method matches, alone and with path and header matches. */
import { headers, prefix, route, to, upstream, type ConformanceCase } from "../case";

const host = "method.infra.example.com";
const v1 = { backend: "infra-backend-v1" };
const v2 = { backend: "infra-backend-v2" };
const v3 = { backend: "infra-backend-v3" };
const notFound = { status: 404 };

export const methodMatching: ConformanceCase = {
  name: "HTTPRouteMethodMatching",
  source: [upstream("httproute-method-matching.go"), upstream("httproute-method-matching.yaml")],
  hosts: [host],
  documents: [
    route("method-matching", {
      hostnames: [host],
      rules: [
        { matches: [{ method: "POST" }], backendRefs: [to("infra-backend-v1")] },
        { matches: [{ method: "GET" }], backendRefs: [to("infra-backend-v2")] },
        { matches: [{ ...prefix("/path1"), method: "GET" }], backendRefs: [to("infra-backend-v1")] },
        { matches: [{ headers: headers({ version: "one" }), method: "PUT" }], backendRefs: [to("infra-backend-v2")] },
        { matches: [{ ...prefix("/path2"), headers: headers({ version: "two" }), method: "POST" }], backendRefs: [to("infra-backend-v3")] },
        {
          matches: [
            { ...prefix("/path3"), method: "PATCH" },
            { ...prefix("/path4"), headers: headers({ version: "three" }), method: "DELETE" },
          ],
          backendRefs: [to("infra-backend-v1")],
        },
        { matches: [prefix("/path5")], backendRefs: [to("infra-backend-v1")] },
        { matches: [{ method: "PATCH" }], backendRefs: [to("infra-backend-v2")] },
        { matches: [{ headers: headers({ version: "four" }) }], backendRefs: [to("infra-backend-v3")] },
      ],
    }),
  ],
  checks: [
    { request: { method: "POST", path: "/" }, expect: v1 },
    { request: { method: "GET", path: "/" }, expect: v2 },
    { request: { method: "HEAD", path: "/" }, expect: notFound },
    { request: { method: "GET", path: "/path1" }, expect: v1 },
    { request: { method: "PUT", path: "/", headers: { version: "one" } }, expect: v2 },
    { request: { method: "POST", path: "/path2", headers: { version: "two" } }, expect: v3 },
    { request: { method: "PATCH", path: "/path3" }, expect: v1 },
    { request: { method: "DELETE", path: "/path4", headers: { version: "three" } }, expect: v1 },
    { request: { method: "PUT", path: "/" }, expect: notFound },
    { request: { method: "DELETE", path: "/path4" }, expect: notFound },
    { request: { method: "PATCH", path: "/path5" }, expect: v1 },
    { request: { method: "PATCH", path: "/", headers: { version: "four" } }, expect: v2 },
  ],
};
