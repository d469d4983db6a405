// Source: kubernetes-sigs/gateway-api at 4564255ac2c35d582249b3cdf261bdf51c8bca32, conformance/tests/{httproute-request-header-modifier, httproute-response-header-modifier}.{go,yaml};
// transcribed by hand as data (no code or text copied).
/** Transcribed from the suite's HTTPRouteRequestHeaderModifier and HTTPRouteResponseHeaderModifier tests. */
import { prefix, route, to, upstream, type ConformanceCase } from "../case";

type Modifier = { set?: Record<string, string>; add?: Record<string, string>; remove?: string[] };
const list = (entries: Record<string, string> | undefined) => (entries ? Object.entries(entries).map(([name, value]) => ({ name, value })) : undefined);
const modifier = (m: Modifier) => ({
  ...(m.set ? { set: list(m.set) } : {}),
  ...(m.add ? { add: list(m.add) } : {}),
  ...(m.remove ? { remove: m.remove } : {}),
});
const requestModifier = (m: Modifier) => ({ type: "RequestHeaderModifier", requestHeaderModifier: modifier(m) });
const responseModifier = (m: Modifier) => ({ type: "ResponseHeaderModifier", responseHeaderModifier: modifier(m) });
const rule = (path: string, filters: Record<string, unknown>[]) => ({ matches: [prefix(path)], filters, backendRefs: [to("infra-backend-v1")] });

const multiple: Modifier = {
  set: { "X-Header-Set-1": "header-set-1", "X-Header-Set-2": "header-set-2" },
  add: { "X-Header-Add-1": "header-add-1", "X-Header-Add-2": "header-add-2", "X-Header-Add-3": "header-add-3" },
  remove: ["X-Header-Remove-1", "X-Header-Remove-2"],
};

const requestHost = "request-headers.infra.example.com";
export const requestHeaderModifier: ConformanceCase = {
  name: "HTTPRouteRequestHeaderModifier",
  source: [upstream("httproute-request-header-modifier.go"), upstream("httproute-request-header-modifier.yaml")],
  hosts: [requestHost],
  documents: [
    route("request-header-modifier", {
      hostnames: [requestHost],
      rules: [
        rule("/set", [requestModifier({ set: { "X-Header-Set": "set-overwrites-values" } })]),
        rule("/add", [requestModifier({ add: { "X-Header-Add": "add-appends-values" } })]),
        rule("/remove", [requestModifier({ remove: ["X-Header-Remove"] })]),
        rule("/multiple", [requestModifier(multiple)]),
        rule("/case-insensitivity", [
          requestModifier({ set: { "X-Header-Set": "header-set" }, add: { "X-Header-Add": "header-add" }, remove: ["X-Header-Remove"] }),
        ]),
      ],
    }),
  ],
  checks: [
    {
      request: { path: "/set", headers: { "Some-Other-Header": "val" } },
      expect: { backend: "infra-backend-v1", request: { path: "/set", headers: { "Some-Other-Header": "val", "X-Header-Set": "set-overwrites-values" } } },
    },
    {
      request: { path: "/set", headers: { "Some-Other-Header": "val", "X-Header-Set": "some-other-value" } },
      expect: { backend: "infra-backend-v1", request: { path: "/set", headers: { "Some-Other-Header": "val", "X-Header-Set": "set-overwrites-values" } } },
    },
    {
      request: { path: "/add", headers: { "Some-Other-Header": "val" } },
      expect: { backend: "infra-backend-v1", request: { path: "/add", headers: { "Some-Other-Header": "val", "X-Header-Add": "add-appends-values" } } },
    },
    {
      request: { path: "/add", headers: { "Some-Other-Header": "val", "X-Header-Add": "some-other-value" } },
      expect: {
        backend: "infra-backend-v1",
        request: { path: "/add", headers: { "Some-Other-Header": "val", "X-Header-Add": "some-other-value,add-appends-values" } },
      },
    },
    {
      request: { path: "/remove", headers: { "X-Header-Remove": "val" } },
      expect: { backend: "infra-backend-v1", request: { path: "/remove", absent: ["X-Header-Remove"] } },
    },
    {
      request: {
        path: "/multiple",
        headers: { "X-Header-Set-2": "set-val-2", "X-Header-Add-2": "add-val-2", "X-Header-Remove-2": "remove-val-2", "Another-Header": "another-header-val" },
      },
      expect: {
        backend: "infra-backend-v1",
        request: {
          path: "/multiple",
          headers: {
            "X-Header-Set-1": "header-set-1",
            "X-Header-Set-2": "header-set-2",
            "X-Header-Add-1": "header-add-1",
            "X-Header-Add-2": "add-val-2,header-add-2",
            "X-Header-Add-3": "header-add-3",
            "Another-Header": "another-header-val",
          },
          absent: ["X-Header-Remove-1", "X-Header-Remove-2"],
        },
      },
    },
    {
      request: {
        path: "/case-insensitivity",
        headers: {
          "x-header-set": "original-val-set",
          "x-header-add": "original-val-add",
          "x-header-remove": "original-val-remove",
          "Another-Header": "another-header-val",
        },
      },
      expect: {
        backend: "infra-backend-v1",
        request: {
          path: "/case-insensitivity",
          headers: { "X-Header-Set": "header-set", "X-Header-Add": "original-val-add,header-add", "Another-Header": "another-header-val" },
          absent: ["x-header-remove", "X-Header-Remove"],
        },
      },
    },
  ],
};

const responseHost = "response-headers.infra.example.com";
export const responseHeaderModifier: ConformanceCase = {
  name: "HTTPRouteResponseHeaderModifier",
  source: [upstream("httproute-response-header-modifier.go"), upstream("httproute-response-header-modifier.yaml")],
  hosts: [responseHost],
  documents: [
    route("response-header-modifier", {
      hostnames: [responseHost],
      rules: [
        rule("/set", [responseModifier({ set: { "X-Header-Set": "set-overwrites-values" } })]),
        rule("/add", [responseModifier({ add: { "X-Header-Add": "add-appends-values" } })]),
        rule("/remove", [responseModifier({ remove: ["X-Header-Remove"] })]),
        rule("/multiple", [responseModifier(multiple)]),
        rule("/case-insensitivity", [
          responseModifier({
            set: { "X-Header-Set": "header-set" },
            add: {
              "X-Header-Add": "header-add",
              "x-lowercase-add": "lowercase-add",
              "x-Mixedcase-ADD-1": "mixedcase-add-1",
              "X-mixeDcase-add-2": "mixedcase-add-2",
              "X-UPPERCASE-ADD": "uppercase-add",
            },
            remove: ["X-Header-Remove"],
          }),
        ]),
        rule("/response-and-request-header-modifiers", [
          responseModifier({
            set: { "X-Header-Set-1": "header-set-1", "X-Header-Set-2": "header-set-2" },
            add: { "X-Header-Add-1": "header-add-1", "X-Header-Add-2": "header-add-2" },
            remove: ["X-Header-Remove-1", "X-Header-Remove-2"],
          }),
          requestModifier({
            set: { "X-Header-Set": "set-overwrites-values" },
            add: { "X-Header-Add": "header-val-1", "X-Header-Add-Append": "header-val-2" },
            remove: ["X-Header-Remove"],
          }),
        ]),
      ],
    }),
  ],
  checks: [
    {
      request: { path: "/set" },
      expect: {
        backend: "infra-backend-v1",
        response: { fromBackend: { "Some-Other-Header": "val" }, headers: { "Some-Other-Header": "val", "X-Header-Set": "set-overwrites-values" } },
      },
    },
    {
      request: { path: "/set" },
      expect: {
        backend: "infra-backend-v1",
        response: {
          fromBackend: { "Some-Other-Header": "val", "X-Header-Set": "some-other-value" },
          headers: { "Some-Other-Header": "val", "X-Header-Set": "set-overwrites-values" },
        },
      },
    },
    {
      request: { path: "/add" },
      expect: {
        backend: "infra-backend-v1",
        response: { fromBackend: { "Some-Other-Header": "val" }, headers: { "Some-Other-Header": "val", "X-Header-Add": "add-appends-values" } },
      },
    },
    {
      request: { path: "/add" },
      expect: {
        backend: "infra-backend-v1",
        response: {
          fromBackend: { "Some-Other-Header": "val", "X-Header-Add": "some-other-value" },
          headers: { "Some-Other-Header": "val", "X-Header-Add": "some-other-value,add-appends-values" },
        },
      },
    },
    {
      request: { path: "/remove" },
      expect: { backend: "infra-backend-v1", response: { fromBackend: { "X-Header-Remove": "val" }, absent: ["X-Header-Remove"] } },
    },
    {
      request: { path: "/multiple" },
      expect: {
        backend: "infra-backend-v1",
        response: {
          fromBackend: {
            "X-Header-Set-2": "set-val-2",
            "X-Header-Add-2": "add-val-2",
            "X-Header-Remove-2": "remove-val-2",
            "Another-Header": "another-header-val",
            "X-Header-Remove-1": "val",
          },
          headers: {
            "X-Header-Set-1": "header-set-1",
            "X-Header-Set-2": "header-set-2",
            "X-Header-Add-1": "header-add-1",
            "X-Header-Add-2": "add-val-2,header-add-2",
            "X-Header-Add-3": "header-add-3",
            "Another-Header": "another-header-val",
          },
          absent: ["X-Header-Remove-1", "X-Header-Remove-2"],
        },
      },
    },
    {
      request: { path: "/case-insensitivity" },
      expect: {
        backend: "infra-backend-v1",
        response: {
          fromBackend: {
            "x-header-set": "original-val-set",
            "x-header-add": "original-val-add",
            "x-header-remove": "original-val-remove",
            "Another-Header": "another-header-val",
          },
          headers: {
            "X-Header-Set": "header-set",
            "X-Header-Add": "original-val-add,header-add",
            "X-Lowercase-Add": "lowercase-add",
            "X-Mixedcase-Add-1": "mixedcase-add-1",
            "X-Mixedcase-Add-2": "mixedcase-add-2",
            "X-Uppercase-Add": "uppercase-add",
            "Another-Header": "another-header-val",
          },
          absent: ["x-header-remove", "X-Header-Remove"],
        },
      },
    },
    {
      request: {
        path: "/response-and-request-header-modifiers",
        headers: { "X-Header-Remove": "remove-val", "X-Header-Add-Append": "append-val-1", "X-Header-Echo": "echo" },
      },
      expect: {
        backend: "infra-backend-v1",
        request: {
          path: "/response-and-request-header-modifiers",
          headers: {
            "X-Header-Add": "header-val-1",
            "X-Header-Set": "set-overwrites-values",
            "X-Header-Add-Append": "append-val-1,header-val-2",
            "X-Header-Echo": "echo",
          },
          absent: ["X-Header-Remove"],
        },
        response: {
          fromBackend: {
            "X-Header-Set-2": "set-val-2",
            "X-Header-Add-2": "add-val-2",
            "X-Header-Remove-2": "remove-val-2",
            "Another-Header": "another-header-val",
            "X-Header-Remove-1": "remove-val-1",
            "X-Header-Echo": "echo",
          },
          headers: {
            "X-Header-Set-1": "header-set-1",
            "X-Header-Set-2": "header-set-2",
            "X-Header-Add-1": "header-add-1",
            "X-Header-Add-2": "add-val-2,header-add-2",
            "Another-Header": "another-header-val",
            "X-Header-Echo": "echo",
          },
          absent: ["X-Header-Remove-1", "X-Header-Remove-2"],
        },
      },
    },
  ],
};
