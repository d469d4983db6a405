// Source: kubernetes-sigs/gateway-api at 4564255ac2c35d582249b3cdf261bdf51c8bca32, conformance/tests/httproute-request-mirror.{go,yaml};
// transcribed by hand as data (no code or text copied).
/** Transcribed from the suite's HTTPRouteRequestMirror test: Fleetgate's front doors do not mirror, so both refuse it at the filter. */
import { prefix, route, to, upstream, type ConformanceCase } from "../case";

const host = "mirror.infra.example.com";
const mirror = { type: "RequestMirror", requestMirror: { backendRef: { name: "infra-backend-v2", namespace: "gateway-conformance-infra", port: 8080 } } };
const modify = {
  type: "RequestHeaderModifier",
  requestHeaderModifier: {
    set: [{ name: "X-Header-Set", value: "set-overwrites-values" }],
    add: [
      { name: "X-Header-Add", value: "header-val-1" },
      { name: "X-Header-Add-Append", value: "header-val-2" },
    ],
    remove: ["X-Header-Remove"],
  },
};
const refusals = [0, 1].map((rule) => ({ route: "request-mirror", rule, reason: "is RequestMirror" }));

export const requestMirror: ConformanceCase = {
  name: "HTTPRouteRequestMirror",
  source: [upstream("httproute-request-mirror.go"), upstream("httproute-request-mirror.yaml")],
  hosts: [host],
  documents: [
    route("request-mirror", {
      hostnames: [host],
      rules: [
        { matches: [prefix("/mirror")], filters: [mirror], backendRefs: [to("infra-backend-v1", { namespace: "gateway-conformance-infra" })] },
        {
          matches: [prefix("/mirror-and-modify-headers")],
          filters: [modify, mirror],
          backendRefs: [to("infra-backend-v1", { namespace: "gateway-conformance-infra" })],
        },
      ],
    }),
  ],
  checks: [
    { request: { path: "/mirror", via: "request-mirror#0" }, expect: { backend: "infra-backend-v1" } },
    {
      request: {
        path: "/mirror-and-modify-headers",
        headers: { "X-Header-Remove": "remove-val", "X-Header-Add-Append": "append-val-1" },
        via: "request-mirror#1",
      },
      expect: {
        backend: "infra-backend-v1",
        request: {
          path: "/mirror-and-modify-headers",
          headers: { "X-Header-Add": "header-val-1", "X-Header-Add-Append": "append-val-1,header-val-2", "X-Header-Set": "set-overwrites-values" },
          absent: ["X-Header-Remove"],
        },
      },
    },
  ],
  refused: { gcp: refusals, aws: refusals },
};
