// Source: kubernetes-sigs/gateway-api at 4564255ac2c35d582249b3cdf261bdf51c8bca32, conformance/tests/{httproute-hostname-intersection, httproute-listener-hostname-matching}.{go,yaml};
// transcribed by hand as data (no code or text copied).
/**
 * Transcribed from the suite's HTTPRouteHostnameIntersection and HTTPRouteListenerHostnameMatching
 * tests, which depend on the admin's listeners: their host names, and routes that pick one by
 * sectionName. The suite's host names keep their shape under a common suffix (CONFORMANCE_DOMAIN), so
 * that every intersection stays what it was: `*.wildcard.io` becomes `*.wildcard.io.<suffix>`, which
 * still takes `foo.wildcard.io.<suffix>` and not `wildcard.io.<suffix>`.
 */
import { DEFAULT_GATEWAY_NAMESPACE } from "../../../spec/naming";
import { prefix, route, to, upstream, type ConformanceCase } from "../case";

export const CONFORMANCE_DOMAIN = "hosts.example.com";
/** A suite host name under Fleetgate's test domain. */
export const h = (host: string) => `${host}.${CONFORMANCE_DOMAIN}`;

/**
 * The admin's Gateway of the suite's name with these listeners, in the gateway namespace's folder: a GKE
 * multi-cluster Gateway (the class Fleetgate reads), HTTPS on 443 as Fleetgate's front doors serve.
 */
function adminGateway(name: string, listeners: readonly { name: string; hostname?: string }[]): Record<string, unknown> {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name, namespace: DEFAULT_GATEWAY_NAMESPACE },
    spec: {
      gatewayClassName: "gke-l7-global-external-managed-mc",
      listeners: listeners.map((l) => ({
        name: l.name,
        port: 443,
        protocol: "HTTPS",
        ...(l.hostname ? { hostname: l.hostname } : {}),
        allowedRoutes: { namespaces: { from: "All" } },
      })),
    },
  };
}
const INTERSECTION = "httproute-hostname-intersection";
const LISTENER_MATCHING = "httproute-listener-hostname-matching";
const v1 = { backend: "infra-backend-v1" };
const v2 = { backend: "infra-backend-v2" };
const v3 = { backend: "infra-backend-v3" };
const notFound = { status: 404 };

const intersectionRoutes = [
  route("specific-host-matches-listener-specific-host", {
    gateway: INTERSECTION,
    hostnames: [h("non.matching.com"), h("*.nonmatchingwildcard.io"), h("very.specific.com")],
    rules: [{ matches: [prefix("/s1")], backendRefs: [to("infra-backend-v1")] }],
  }),
  route("specific-host-matches-listener-wildcard-host", {
    gateway: INTERSECTION,
    hostnames: [h("non.matching.com"), h("wildcard.io"), h("foo.wildcard.io"), h("bar.wildcard.io"), h("foo.bar.wildcard.io")],
    rules: [{ matches: [prefix("/s2")], backendRefs: [to("infra-backend-v2")] }],
  }),
  route("wildcard-host-matches-listener-specific-host", {
    gateway: INTERSECTION,
    hostnames: [h("non.matching.com"), h("*.specific.com")],
    rules: [{ matches: [prefix("/s3")], backendRefs: [to("infra-backend-v3")] }],
  }),
  route("wildcard-host-matches-listener-wildcard-host", {
    gateway: INTERSECTION,
    hostnames: [h("*.anotherwildcard.io")],
    rules: [{ matches: [prefix("/s4")], backendRefs: [to("infra-backend-v1")] }],
  }),
  route("no-intersecting-hosts", {
    gateway: INTERSECTION,
    hostnames: [h("specific.but.wrong.com"), h("wildcard.io")],
    rules: [{ matches: [prefix("/s5")], backendRefs: [to("infra-backend-v2")] }],
  }),
];

/**
 * Where a route host name intersects no listener the suite's gateways ignore it; Fleetgate answers with
 * an error at the host name instead (so a typo never goes unnoticed), and the case states each one: the
 * host name leaves its route, and a route with no host name left is refused whole. Requests for those
 * hosts still get 404.
 */
const outsideListeners = "lies within the hostname of no listener the route attaches to";
const intersectionRefusals = [
  { route: "specific-host-matches-listener-specific-host", hostname: h("non.matching.com"), reason: outsideListeners },
  { route: "specific-host-matches-listener-specific-host", hostname: h("*.nonmatchingwildcard.io"), reason: outsideListeners },
  { route: "specific-host-matches-listener-wildcard-host", hostname: h("non.matching.com"), reason: outsideListeners },
  { route: "specific-host-matches-listener-wildcard-host", hostname: h("wildcard.io"), reason: outsideListeners },
  { route: "wildcard-host-matches-listener-specific-host", hostname: h("non.matching.com"), reason: outsideListeners },
  { route: "no-intersecting-hosts", reason: outsideListeners },
];

export const hostnameIntersection: ConformanceCase = {
  name: "HTTPRouteHostnameIntersection",
  source: [upstream("httproute-hostname-intersection.go"), upstream("httproute-hostname-intersection.yaml")],
  hosts: [h("very.specific.com")],
  adapted: [
    "the suite's gateway httproute-hostname-intersection is the admin's fleet gateway; its second gateway, whose one listener has no host name, is HTTPRouteHostnameIntersectionAll",
  ],
  documents: [
    adminGateway(INTERSECTION, [
      { name: "listener-1", hostname: h("very.specific.com") },
      { name: "listener-2", hostname: h("*.wildcard.io") },
      { name: "listener-3", hostname: h("*.anotherwildcard.io") },
    ]),
    ...intersectionRoutes,
  ],
  checks: [
    { request: { host: h("very.specific.com"), path: "/s1" }, expect: v1 },
    { request: { host: `${h("very.specific.com")}:1234`, path: "/s1" }, expect: v1 },
    { request: { host: h("non.matching.com"), path: "/s1" }, expect: notFound },
    { request: { host: h("foo.nonmatchingwildcard.io"), path: "/s1" }, expect: notFound },
    { request: { host: h("foo.wildcard.io"), path: "/s1" }, expect: notFound },
    { request: { host: h("very.specific.com"), path: "/non-matching-prefix" }, expect: notFound },
    { request: { host: h("foo.wildcard.io"), path: "/s2" }, expect: v2 },
    { request: { host: h("bar.wildcard.io"), path: "/s2" }, expect: v2 },
    { request: { host: h("foo.bar.wildcard.io"), path: "/s2" }, expect: v2 },
    { request: { host: h("non.matching.com"), path: "/s2" }, expect: notFound },
    { request: { host: h("wildcard.io"), path: "/s2" }, expect: notFound },
    { request: { host: h("very.specific.com"), path: "/s2" }, expect: notFound },
    { request: { host: h("foo.wildcard.io"), path: "/non-matching-prefix" }, expect: notFound },
    { request: { host: h("very.specific.com"), path: "/s3" }, expect: v3 },
    { request: { host: h("non.matching.com"), path: "/s3" }, expect: notFound },
    { request: { host: h("foo.specific.com"), path: "/s3" }, expect: notFound },
    { request: { host: h("foo.wildcard.io"), path: "/s3" }, expect: notFound },
    { request: { host: h("very.specific.com"), path: "/non-matching-prefix" }, expect: notFound },
    { request: { host: h("foo.anotherwildcard.io"), path: "/s4" }, expect: v1 },
    { request: { host: h("bar.anotherwildcard.io"), path: "/s4" }, expect: v1 },
    { request: { host: h("foo.bar.anotherwildcard.io"), path: "/s4" }, expect: v1 },
    { request: { host: h("anotherwildcard.io"), path: "/s4" }, expect: notFound },
    { request: { host: h("foo.wildcard.io"), path: "/s4" }, expect: notFound },
    { request: { host: h("very.specific.com"), path: "/s4" }, expect: notFound },
    { request: { host: h("foo.anotherwildcard.io"), path: "/non-matching-prefix" }, expect: notFound },
    { request: { host: h("specific.but.wrong.com"), path: "/s5" }, expect: notFound },
    { request: { host: h("wildcard.io"), path: "/s5" }, expect: notFound },
  ],
  refused: { gcp: intersectionRefusals, aws: intersectionRefusals },
};

/** The suite's second gateway of the test: one listener without host name takes every route host name, which is what Fleetgate does without admin listeners. */
export const hostnameIntersectionAll: ConformanceCase = {
  name: "HTTPRouteHostnameIntersectionAll",
  source: [upstream("httproute-hostname-intersection.go"), upstream("httproute-hostname-intersection.yaml")],
  hosts: [h("first.com")],
  adapted: [
    "the part of HTTPRouteHostnameIntersection on the gateway httproute-hostname-intersection-all, whose one listener has no host name: Fleetgate's fleet gateway without admin listeners",
  ],
  documents: [
    route("httproute-hostname-intersection-all", {
      hostnames: [h("first.com"), h("sub.first.com"), h("second.com"), h("sub.second.com")],
      rules: [{ backendRefs: [to("infra-backend-v2")] }],
    }),
  ],
  checks: [
    { request: { host: h("first.com"), path: "/" }, expect: v2 },
    { request: { host: h("sub.first.com"), path: "/" }, expect: v2 },
    { request: { host: h("second.com"), path: "/" }, expect: v2 },
    { request: { host: h("sub.second.com"), path: "/" }, expect: v2 },
    { request: { host: h("third.com"), path: "/" }, expect: notFound },
    { request: { host: h("sub.third.com"), path: "/" }, expect: notFound },
  ],
};

export const listenerHostnameMatching: ConformanceCase = {
  name: "HTTPRouteListenerHostnameMatching",
  source: [upstream("httproute-listener-hostname-matching.go"), upstream("httproute-listener-hostname-matching.yaml")],
  hosts: [h("bar.com")],
  documents: [
    adminGateway(LISTENER_MATCHING, [
      { name: "listener-1", hostname: h("bar.com") },
      { name: "listener-2", hostname: h("foo.bar.com") },
      { name: "listener-3", hostname: h("*.bar.com") },
      { name: "listener-4", hostname: h("*.foo.com") },
    ]),
    route("backend-v1", { gateway: LISTENER_MATCHING, hostnames: [], sectionNames: ["listener-1"], rules: [{ backendRefs: [to("infra-backend-v1")] }] }),
    route("backend-v2", { gateway: LISTENER_MATCHING, hostnames: [], sectionNames: ["listener-2"], rules: [{ backendRefs: [to("infra-backend-v2")] }] }),
    route("backend-v3", {
      gateway: LISTENER_MATCHING,
      hostnames: [],
      sectionNames: ["listener-3", "listener-4"],
      rules: [{ backendRefs: [to("infra-backend-v3")] }],
    }),
  ],
  checks: [
    { request: { host: h("bar.com"), path: "/" }, expect: v1 },
    { request: { host: h("foo.bar.com"), path: "/" }, expect: v2 },
    { request: { host: h("baz.bar.com"), path: "/" }, expect: v3 },
    { request: { host: h("boo.bar.com"), path: "/" }, expect: v3 },
    { request: { host: h("multiple.prefixes.bar.com"), path: "/" }, expect: v3 },
    { request: { host: h("multiple.prefixes.foo.com"), path: "/" }, expect: v3 },
    { request: { host: h("foo.com"), path: "/" }, expect: notFound },
    { request: { host: h("no.matching.host"), path: "/" }, expect: notFound },
  ],
};
