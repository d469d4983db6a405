// Source: kubernetes-sigs/gateway-api at 4564255ac2c35d582249b3cdf261bdf51c8bca32, conformance/tests/httproute-weight.{go,yaml};
// transcribed by hand as data (no code or text copied).
/**
 * Transcribed from the suite's HTTPRouteWeight test. The suite sends many requests and checks that the
 * distribution comes near 70/30/0; the evaluator reads the split the configuration plans, so the
 * planned weights are checked instead (a weight-0 backend takes no traffic).
 */
import { route, to, upstream, type ConformanceCase } from "../case";

const host = "weight.infra.example.com";

export const weight: ConformanceCase = {
  name: "HTTPRouteWeight",
  source: [upstream("httproute-weight.go"), upstream("httproute-weight.yaml")],
  hosts: [host],
  documents: [
    route("weighted-backends", {
      hostnames: [host],
      rules: [{ backendRefs: [to("infra-backend-v1", { weight: 70 }), to("infra-backend-v2", { weight: 30 }), to("infra-backend-v3", { weight: 0 })] }],
    }),
  ],
  checks: [{ request: { path: "/" }, expect: { weights: { "infra-backend-v1": 70, "infra-backend-v2": 30 } } }],
};
