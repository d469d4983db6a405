// Source: kubernetes-sigs/gateway-api at 4564255ac2c35d582249b3cdf261bdf51c8bca32, conformance/tests/{httproute-rewrite-path, httproute-rewrite-host}.{go,yaml};
// transcribed by hand as data (no code or text copied).
/** Transcribed from the suite's HTTPRouteRewritePath and HTTPRouteRewriteHost tests. */
import { prefix, route, to, upstream, type ConformanceCase } from "../case";

const rewrite = (path: Record<string, unknown> | undefined, hostname?: string) => ({
  type: "URLRewrite",
  urlRewrite: { ...(hostname ? { hostname } : {}), ...(path ? { path } : {}) },
});
const replacePrefix = (value: string) => ({ type: "ReplacePrefixMatch", replacePrefixMatch: value });
const replaceFull = (value: string) => ({ type: "ReplaceFullPath", replaceFullPath: value });
const modifyHeaders = {
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
const modifiedHeaders = {
  headers: { "X-Header-Add": "header-val-1", "X-Header-Add-Append": "append-val-1,header-val-2", "X-Header-Set": "set-overwrites-values" },
  absent: ["X-Header-Remove"],
};
const sentHeaders = { "X-Header-Remove": "remove-val", "X-Header-Add-Append": "append-val-1", "X-Header-Set": "set-val" };
/** The URL map rewrites only the prefix a route matched. */
const fullUnderPrefix = "is ReplaceFullPath under a PathPrefix match, which the GCP front door cannot express exactly";

const pathHost = "rewrite-path.infra.example.com";
export const rewritePath: ConformanceCase = {
  name: "HTTPRouteRewritePath",
  source: [upstream("httproute-rewrite-path.go"), upstream("httproute-rewrite-path.yaml")],
  hosts: [pathHost],
  documents: [
    route("rewrite-path", {
      hostnames: [pathHost],
      rules: [
        { matches: [prefix("/prefix/one")], filters: [rewrite(replacePrefix("/one"))], backendRefs: [to("infra-backend-v1")] },
        { matches: [prefix("/strip-prefix")], filters: [rewrite(replacePrefix("/"))], backendRefs: [to("infra-backend-v1")] },
        { matches: [prefix("/full/one")], filters: [rewrite(replaceFull("/one"))], backendRefs: [to("infra-backend-v1")] },
        {
          matches: [prefix("/full/rewrite-path-and-modify-headers")],
          filters: [rewrite(replaceFull("/test")), modifyHeaders],
          backendRefs: [to("infra-backend-v1")],
        },
        {
          matches: [prefix("/prefix/rewrite-path-and-modify-headers")],
          filters: [rewrite(replacePrefix("/prefix")), modifyHeaders],
          backendRefs: [to("infra-backend-v1")],
        },
      ],
    }),
  ],
  checks: [
    { request: { path: "/prefix/one/two" }, expect: { backend: "infra-backend-v1", request: { path: "/one/two" } } },
    { request: { path: "/strip-prefix/three" }, expect: { backend: "infra-backend-v1", request: { path: "/three" } } },
    { request: { path: "/strip-prefix" }, expect: { backend: "infra-backend-v1", request: { path: "/" } } },
    { request: { path: "/full/one/two", via: "rewrite-path#2" }, expect: { backend: "infra-backend-v1", request: { path: "/one" } } },
    {
      request: { path: "/full/rewrite-path-and-modify-headers/test", headers: sentHeaders, via: "rewrite-path#3" },
      expect: { backend: "infra-backend-v1", request: { path: "/test", ...modifiedHeaders } },
    },
    {
      request: { path: "/prefix/rewrite-path-and-modify-headers/one", headers: sentHeaders },
      expect: { backend: "infra-backend-v1", request: { path: "/prefix/one", ...modifiedHeaders } },
    },
  ],
  refused: {
    gcp: [
      { route: "rewrite-path", rule: 2, reason: fullUnderPrefix },
      { route: "rewrite-path", rule: 3, reason: fullUnderPrefix },
    ],
  },
};

// The suite's rewrite.example; the rewritten hosts stay under example.org, which the admin grants the namespace.
const hostHost = "rewrite-host.infra.example.com";
export const rewriteHost: ConformanceCase = {
  name: "HTTPRouteRewriteHost",
  source: [upstream("httproute-rewrite-host.go"), upstream("httproute-rewrite-host.yaml")],
  hosts: [hostHost],
  adapted: [
    "the admin grants the namespace *.example.org and example.org, the hosts its rules rewrite to (Fleetgate refuses a rewrite to a host the namespace does not own)",
  ],
  documents: [
    route("rewrite-host", {
      hostnames: [hostHost],
      rules: [
        { matches: [prefix("/one")], filters: [rewrite(undefined, "one.example.org")], backendRefs: [to("infra-backend-v1")] },
        { filters: [rewrite(undefined, "example.org")], backendRefs: [to("infra-backend-v2")] },
        {
          matches: [prefix("/rewrite-host-and-modify-headers")],
          filters: [rewrite(undefined, "test.example.org"), modifyHeaders],
          backendRefs: [to("infra-backend-v2")],
        },
      ],
    }),
  ],
  checks: [
    { request: { path: "/one" }, expect: { backend: "infra-backend-v1", request: { path: "/one", host: "one.example.org" } } },
    { request: { path: "/two" }, expect: { backend: "infra-backend-v2", request: { path: "/two", host: "example.org" } } },
    {
      request: { path: "/rewrite-host-and-modify-headers", headers: { "X-Header-Remove": "remove-val", "X-Header-Add-Append": "append-val-1" } },
      expect: { backend: "infra-backend-v2", request: { path: "/rewrite-host-and-modify-headers", host: "test.example.org", ...modifiedHeaders } },
    },
  ],
};
