// Source: kubernetes-sigs/gateway-api at 4564255ac2c35d582249b3cdf261bdf51c8bca32, conformance/tests/{httproute-redirect-host-and-status, httproute-redirect-path, httproute-redirect-scheme, httproute-redirect-port, httproute-redirect-port-and-scheme, httproute-303-redirect, httproute-307-redirect, httproute-308-redirect}.{go,yaml};
// transcribed by hand as data (no code or text copied).
/**
 * Transcribed from the suite's RequestRedirect tests: hostname and status, path, scheme, port, port and
 * scheme (the route of its HTTPS listener on 443; the others attach to plain-HTTP listeners on 80 and
 * 8080, which Fleetgate's front doors answer with the redirect to HTTPS), and the 303, 307 and 308
 * status codes. Each test's routes are on a host of their own.
 */
import { prefix, route, upstream, type ConformanceCase, type Refusal } from "../case";

const redirect = (match: string, requestRedirect: Record<string, unknown>) => ({
  matches: [prefix(match)],
  filters: [{ type: "RequestRedirect", requestRedirect }],
});
const toSamePlace = "changes neither the host nor the path";
const portRefused = "but the front doors serve https on 443 only";
/** Both front doors refuse the same rules for the same reason. */
const onBoth = (refusals: Refusal[]) => ({ gcp: refusals, aws: refusals });

const hostAndStatusHost = "redirect-host.infra.example.com";
export const redirectHostAndStatus: ConformanceCase = {
  name: "HTTPRouteRedirectHostAndStatus",
  source: [upstream("httproute-redirect-host-and-status.go"), upstream("httproute-redirect-host-and-status.yaml")],
  hosts: [hostAndStatusHost],
  documents: [
    route("redirect-host-and-status", {
      hostnames: [hostAndStatusHost],
      rules: [redirect("/hostname-redirect", { hostname: "example.org" }), redirect("/host-and-status", { statusCode: 301, hostname: "example.org" })],
    }),
  ],
  checks: [
    { request: { path: "/hostname-redirect" }, expect: { redirect: { status: 302, host: "example.org" } } },
    { request: { path: "/host-and-status" }, expect: { redirect: { status: 301, host: "example.org" } } },
  ],
};

const pathHost = "redirect-path.infra.example.com";
export const redirectPath: ConformanceCase = {
  name: "HTTPRouteRedirectPath",
  source: [upstream("httproute-redirect-path.go"), upstream("httproute-redirect-path.yaml")],
  hosts: [pathHost],
  documents: [
    route("redirect-path", {
      hostnames: [pathHost],
      rules: [
        redirect("/original-prefix", { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/replacement-prefix" } }),
        redirect("/full", { path: { type: "ReplaceFullPath", replaceFullPath: "/full-path-replacement" } }),
        redirect("/path-and-host", { hostname: "example.org", path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/replacement-prefix" } }),
        redirect("/path-and-status", { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/replacement-prefix" }, statusCode: 301 }),
        redirect("/full-path-and-host", { hostname: "example.org", path: { type: "ReplaceFullPath", replaceFullPath: "/replacement-full" } }),
        redirect("/full-path-and-status", { path: { type: "ReplaceFullPath", replaceFullPath: "/replacement-full" }, statusCode: 301 }),
      ],
    }),
  ],
  checks: [
    { request: { path: "/original-prefix/lemon" }, expect: { redirect: { status: 302, path: "/replacement-prefix/lemon" } } },
    { request: { path: "/full/path/original" }, expect: { redirect: { status: 302, path: "/full-path-replacement" } } },
    { request: { path: "/path-and-host" }, expect: { redirect: { status: 302, host: "example.org", path: "/replacement-prefix" } } },
    { request: { path: "/path-and-status" }, expect: { redirect: { status: 301, path: "/replacement-prefix" } } },
    { request: { path: "/full-path-and-host" }, expect: { redirect: { status: 302, host: "example.org", path: "/replacement-full" } } },
    { request: { path: "/full-path-and-status" }, expect: { redirect: { status: 301, path: "/replacement-full" } } },
  ],
};

const schemeHost = "redirect-scheme.infra.example.com";
export const redirectScheme: ConformanceCase = {
  name: "HTTPRouteRedirectScheme",
  source: [upstream("httproute-redirect-scheme.go"), upstream("httproute-redirect-scheme.yaml")],
  hosts: [schemeHost],
  documents: [
    route("redirect-scheme", {
      hostnames: [schemeHost],
      rules: [
        redirect("/scheme", { scheme: "https" }),
        redirect("/scheme-and-host", { hostname: "example.org", scheme: "https" }),
        redirect("/scheme-and-status", { scheme: "https", statusCode: 301 }),
        redirect("/scheme-and-host-and-status", { scheme: "https", statusCode: 302, hostname: "example.org" }),
      ],
    }),
  ],
  checks: [
    { request: { path: "/scheme", via: "redirect-scheme#0" }, expect: { redirect: { status: 302, scheme: "https" } } },
    { request: { path: "/scheme-and-host" }, expect: { redirect: { status: 302, host: "example.org", scheme: "https" } } },
    { request: { path: "/scheme-and-status", via: "redirect-scheme#2" }, expect: { redirect: { status: 301, scheme: "https" } } },
    { request: { path: "/scheme-and-host-and-status" }, expect: { redirect: { status: 302, scheme: "https", host: "example.org" } } },
  ],
  // The suite sends plain HTTP; every Fleetgate host is HTTPS only, so a redirect to the same URL over HTTPS would loop.
  refused: onBoth([
    { route: "redirect-scheme", rule: 0, reason: toSamePlace },
    { route: "redirect-scheme", rule: 2, reason: toSamePlace },
  ]),
};

const portHost = "redirect-port.infra.example.com";
export const redirectPort: ConformanceCase = {
  name: "HTTPRouteRedirectPort",
  source: [upstream("httproute-redirect-port.go"), upstream("httproute-redirect-port.yaml")],
  hosts: [portHost],
  documents: [
    route("redirect-port", {
      hostnames: [portHost],
      rules: [
        redirect("/port", { port: 8083 }),
        redirect("/port-and-host", { hostname: "example.org", port: 8083 }),
        redirect("/port-and-status", { port: 8083, statusCode: 301 }),
        redirect("/port-and-host-and-status", { port: 8083, hostname: "example.org", statusCode: 302 }),
      ],
    }),
  ],
  checks: [
    { request: { path: "/port", via: "redirect-port#0" }, expect: { redirect: { status: 302, port: "8083" } } },
    { request: { path: "/port-and-host", via: "redirect-port#1" }, expect: { redirect: { status: 302, host: "example.org", port: "8083" } } },
    { request: { path: "/port-and-status", via: "redirect-port#2" }, expect: { redirect: { status: 301, port: "8083" } } },
    { request: { path: "/port-and-host-and-status", via: "redirect-port#3" }, expect: { redirect: { status: 302, host: "example.org", port: "8083" } } },
  ],
  refused: onBoth([
    ...[0, 1, 2, 3].map((rule) => ({ route: "redirect-port", rule, reason: portRefused })),
    // Without a host, the port is all these two change, which Fleetgate's front doors cannot.
    { route: "redirect-port", rule: 0, reason: toSamePlace },
    { route: "redirect-port", rule: 2, reason: toSamePlace },
  ]),
};

const portAndSchemeHost = "redirect-ports.infra.example.com";
export const redirectPortAndScheme: ConformanceCase = {
  name: "HTTPRouteRedirectPortAndScheme",
  source: [upstream("httproute-redirect-port-and-scheme.go"), upstream("httproute-redirect-port-and-scheme.yaml")],
  hosts: [portAndSchemeHost],
  adapted: [
    "only the route of the suite's HTTPS listener on 443 (the others attach to plain-HTTP listeners, which Fleetgate's front doors answer with the redirect to HTTPS)",
  ],
  documents: [
    route("http-route-for-listener-on-port-443", {
      hostnames: [portAndSchemeHost],
      rules: [
        redirect("/scheme-nil-and-port-nil", { hostname: "example.org" }),
        redirect("/scheme-nil-and-port-443", { port: 443, hostname: "example.org" }),
        redirect("/scheme-nil-and-port-8443", { port: 8443, hostname: "example.org" }),
        redirect("/scheme-http-and-port-nil", { scheme: "http", hostname: "example.org" }),
        redirect("/scheme-http-and-port-80", { scheme: "http", port: 80, hostname: "example.org" }),
        redirect("/scheme-http-and-port-8080", { scheme: "http", port: 8080, hostname: "example.org" }),
      ],
    }),
  ],
  checks: [
    { request: { path: "/scheme-nil-and-port-nil" }, expect: { redirect: { status: 302, scheme: "https", host: "example.org" } } },
    { request: { path: "/scheme-nil-and-port-443" }, expect: { redirect: { status: 302, scheme: "https", host: "example.org" } } },
    {
      request: { path: "/scheme-nil-and-port-8443", via: "http-route-for-listener-on-port-443#2" },
      expect: { redirect: { status: 302, scheme: "https", host: "example.org", port: "8443" } },
    },
    {
      request: { path: "/scheme-http-and-port-nil", via: "http-route-for-listener-on-port-443#3" },
      expect: { redirect: { status: 302, scheme: "http", host: "example.org" } },
    },
    {
      request: { path: "/scheme-http-and-port-80", via: "http-route-for-listener-on-port-443#4" },
      expect: { redirect: { status: 302, scheme: "http", host: "example.org" } },
    },
    {
      request: { path: "/scheme-http-and-port-8080", via: "http-route-for-listener-on-port-443#5" },
      expect: { redirect: { status: 302, scheme: "http", host: "example.org", port: "8080" } },
    },
  ],
  refused: {
    gcp: [
      { route: "http-route-for-listener-on-port-443", rule: 2, reason: portRefused },
      ...[3, 4, 5].map((rule) => ({ route: "http-route-for-listener-on-port-443", rule, reason: "is http, which the GCP front door cannot answer with" })),
      { route: "http-route-for-listener-on-port-443", rule: 5, reason: "but the front doors serve http on 80 only" },
    ],
    aws: [
      { route: "http-route-for-listener-on-port-443", rule: 2, reason: portRefused },
      { route: "http-route-for-listener-on-port-443", rule: 5, reason: "but the front doors serve http on 80 only" },
    ],
  },
};

/**
 * The 303, 307 and 308 tests: a redirect that changes only the status, refused on both front doors (it
 * would send the client back to the same URL). Fleetgate also refuses the status itself: the Gateway
 * API allows 303, 307 and 308 as Extended support, but the HTTPRoute schema Fleetgate's gateways are
 * built against takes 301 and 302 only; both refusals are stated.
 */
function statusOnly(name: string, file: string, path: string, status: number, method?: string): ConformanceCase {
  const host = `redirect-${status}.infra.example.com`;
  return {
    name,
    source: [upstream(`${file}.go`), upstream(`${file}.yaml`)],
    hosts: [host],
    documents: [route(`${status}-redirect`, { hostnames: [host], rules: [redirect(path, { statusCode: status })] })],
    checks: [{ request: { path, ...(method ? { method } : {}), via: `${status}-redirect#0` }, expect: { redirect: { status } } }],
    refused: onBoth([
      { route: `${status}-redirect`, rule: 0, reason: toSamePlace },
      { route: `${status}-redirect`, rule: 0, reason: `is ${status}, which Fleetgate's gateways cannot redirect with` },
    ]),
  };
}

export const redirect303 = statusOnly("HTTPRoute303Redirect", "httproute-303-redirect", "/see-other", 303, "POST");
export const redirect307 = statusOnly("HTTPRoute307Redirect", "httproute-307-redirect", "/temporary", 307);
export const redirect308 = statusOnly("HTTPRoute308Redirect", "httproute-308-redirect", "/permanent", 308);
