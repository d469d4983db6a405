// Source: kubernetes-sigs/gateway-api at 4564255ac2c35d582249b3cdf261bdf51c8bca32, conformance/tests/httproute-query-param-matching.{go,yaml};
// transcribed by hand as data (no code or text copied).
/** Transcribed from the suite's HTTPRouteQueryParamMatching test: exact query parameter matches, alone and with path and header matches. */
import { headers, prefix, route, to, upstream, type ConformanceCase } from "../case";

const host = "query.infra.example.com";
const v1 = { backend: "infra-backend-v1" };
const v2 = { backend: "infra-backend-v2" };
const v3 = { backend: "infra-backend-v3" };
const notFound = { status: 404 };
const query = (entries: Record<string, string>) => Object.entries(entries).map(([name, value]) => ({ name, value }));

export const queryParamMatching: ConformanceCase = {
  name: "HTTPRouteQueryParamMatching",
  source: [upstream("httproute-query-param-matching.go"), upstream("httproute-query-param-matching.yaml")],
  hosts: [host],
  documents: [
    route("query-param-matching", {
      hostnames: [host],
      rules: [
        { matches: [{ queryParams: query({ animal: "whale" }) }], backendRefs: [to("infra-backend-v1")] },
        { matches: [{ queryParams: query({ animal: "dolphin" }) }], backendRefs: [to("infra-backend-v2")] },
        {
          matches: [{ queryParams: query({ animal: "dolphin", color: "blue" }) }, { queryParams: query({ ANIMAL: "Whale" }) }],
          backendRefs: [to("infra-backend-v3")],
        },
        { matches: [{ ...prefix("/path1"), queryParams: query({ animal: "whale" }) }], backendRefs: [to("infra-backend-v1")] },
        { matches: [{ headers: headers({ version: "one" }), queryParams: query({ animal: "whale" }) }], backendRefs: [to("infra-backend-v2")] },
        {
          matches: [{ ...prefix("/path2"), headers: headers({ version: "two" }), queryParams: query({ animal: "whale" }) }],
          backendRefs: [to("infra-backend-v3")],
        },
        {
          matches: [
            { ...prefix("/path3"), queryParams: query({ animal: "shark" }) },
            { ...prefix("/path4"), headers: headers({ version: "three" }), queryParams: query({ animal: "kraken" }) },
          ],
          backendRefs: [to("infra-backend-v1")],
        },
        { matches: [prefix("/path5")], backendRefs: [to("infra-backend-v1")] },
        { matches: [{ queryParams: query({ animal: "hydra" }) }], backendRefs: [to("infra-backend-v2")] },
        { matches: [{ headers: headers({ version: "four" }) }], backendRefs: [to("infra-backend-v3")] },
      ],
    }),
  ],
  checks: [
    { request: { path: "/?animal=whale" }, expect: v1 },
    { request: { path: "/?animal=dolphin" }, expect: v2 },
    { request: { path: "/?animal=dolphin&color=blue" }, expect: v3 },
    { request: { path: "/?ANIMAL=Whale" }, expect: v3 },
    { request: { path: "/?animal=whale&otherparam=irrelevant" }, expect: v1 },
    { request: { path: "/?animal=dolphin&color=yellow" }, expect: v2 },
    { request: { path: "/?color=blue" }, expect: notFound },
    { request: { path: "/?animal=dog" }, expect: notFound },
    { request: { path: "/?animal=whaledolphin" }, expect: notFound },
    { request: { path: "/" }, expect: notFound },
    { request: { path: "/path1?animal=whale" }, expect: v1 },
    { request: { path: "/?animal=whale", headers: { version: "one" } }, expect: v2 },
    { request: { path: "/path2?animal=whale", headers: { version: "two" } }, expect: v3 },
    { request: { path: "/path3?animal=shark" }, expect: v1 },
    { request: { path: "/path4?animal=kraken", headers: { version: "three" } }, expect: v1 },
    { request: { path: "/?animal=shark" }, expect: notFound },
    { request: { path: "/path4?animal=kraken" }, expect: notFound },
    { request: { path: "/path5?animal=hydra" }, expect: v1 },
    { request: { path: "/?animal=hydra", headers: { version: "four" } }, expect: v3 },
  ],
};
