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
      listeners: listeners.map((l) => ({ name: l.name, port: 443, protocol: "HTTPS", ...(l.hostname ? { hostname: l.hostname } : {}), allowedRoutes: { namespaces: { from: "All" } } })),
    },
  };
}
const notAKind = "is not a kind Fleetgate reads";
const notTheFleetGateway = "is not the environment's fleet gateway";
const INTERSECTION = "httproute-hostname-intersection";
const LISTENER_MATCHING = "httproute-listener-hostname-matching";
const nameOf = (doc: Record<string, unknown>) => (doc.metadata as { name: string }).name;
const v1 = { backend: "infra-backend-v1" };
const v2 = { backend: "infra-backend-v2" };
const v3 = { backend: "infra-backend-v3" };
const notFound = { status: 404 };

const intersectionRoutes = [
  route("specific-host-matches-listener-specific-host", { gateway: INTERSECTION, hostnames: [h("non.matching.com"), h("*.nonmatchingwildcard.io"), h("very.specific.com")], rules: [{ matches: [prefix("/s1")], backendRefs: [to("infra-backend-v1")] }] }),
  route("specific-host-matches-listener-wildcard-host", { gateway: INTERSECTION, hostnames: [h("non.matching.com"), h("wildcard.io"), h("foo.wildcard.io"), h("bar.wildcard.io"), h("foo.bar.wildcard.io")], rules: [{ matches: [prefix("/s2")], backendRefs: [to("infra-backend-v2")] }] }),
  route("wildcard-host-matches-listener-specific-host", { gateway: INTERSECTION, hostnames: [h("non.matching.com"), h("*.specific.com")], rules: [{ matches: [prefix("/s3")], backendRefs: [to("infra-backend-v3")] }] }),
  route("wildcard-host-matches-listener-wildcard-host", { gateway: INTERSECTION, hostnames: [h("*.anotherwildcard.io")], rules: [{ matches: [prefix("/s4")], backendRefs: [to("infra-backend-v1")] }] }),
  route("no-intersecting-hosts", { gateway: INTERSECTION, hostnames: [h("specific.but.wrong.com"), h("wildcard.io")], rules: [{ matches: [prefix("/s5")], backendRefs: [to("infra-backend-v2")] }] }),
];

/*
 * To switch the awaiting cases on once Fleetgate reads the admin's Gateway: drop `awaiting` and the
 * refusals of today (the Gateway's kind, the parentRefs to a gateway other than the fleet gateway, and
 * sectionName and missing hostnames in HTTPRouteListenerHostnameMatching). Where a route host name
 * intersects no listener Fleetgate answers with an error rather than ignoring it as the suite's gateways
 * do, so HTTPRouteHostnameIntersection then states those as refusals by `hostname` (non.matching.com and
 * *.nonmatchingwildcard.io of the first route, non.matching.com and wildcard.io of the second,
 * non.matching.com of the third) and refuses no-intersecting-hosts whole; the requests for those hosts
 * still want 404.
 */
export const hostnameIntersection: ConformanceCase = {
  name: "HTTPRouteHostnameIntersection",
  source: [upstream("httproute-hostname-intersection.go"), upstream("httproute-hostname-intersection.yaml")],
  awaiting: "listeners",
  hosts: [h("very.specific.com")],
  adapted: ["the suite's gateway httproute-hostname-intersection is the admin's fleet gateway; its second gateway, whose one listener has no host name, is HTTPRouteHostnameIntersectionAll"],
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
  refused: {
    gcp: [{ route: INTERSECTION, reason: notAKind }, ...intersectionRoutes.map((r) => ({ route: nameOf(r), reason: notTheFleetGateway }))],
    aws: [{ route: INTERSECTION, reason: notAKind }, ...intersectionRoutes.map((r) => ({ route: nameOf(r), reason: notTheFleetGateway }))],
  },
};

/** The suite's second gateway of the test: one listener without host name takes every route host name, which is what Fleetgate does without admin listeners. */
export const hostnameIntersectionAll: ConformanceCase = {
  name: "HTTPRouteHostnameIntersectionAll",
  source: [upstream("httproute-hostname-intersection.go"), upstream("httproute-hostname-intersection.yaml")],
  hosts: [h("first.com")],
  adapted: ["the part of HTTPRouteHostnameIntersection on the gateway httproute-hostname-intersection-all, whose one listener has no host name: Fleetgate's fleet gateway without admin listeners"],
  documents: [route("httproute-hostname-intersection-all", { hostnames: [h("first.com"), h("sub.first.com"), h("second.com"), h("sub.second.com")], rules: [{ backendRefs: [to("infra-backend-v2")] }] })],
  checks: [
    { request: { host: h("first.com"), path: "/" }, expect: v2 },
    { request: { host: h("sub.first.com"), path: "/" }, expect: v2 },
    { request: { host: h("second.com"), path: "/" }, expect: v2 },
    { request: { host: h("sub.second.com"), path: "/" }, expect: v2 },
    { request: { host: h("third.com"), path: "/" }, expect: notFound },
    { request: { host: h("sub.third.com"), path: "/" }, expect: notFound },
  ],
};

const sectionName = "leave sectionName out";
const noHostnames = "has no hostnames";
const listenerRoutes = ["backend-v1", "backend-v2", "backend-v3"];
export const listenerHostnameMatching: ConformanceCase = {
  name: "HTTPRouteListenerHostnameMatching",
  source: [upstream("httproute-listener-hostname-matching.go"), upstream("httproute-listener-hostname-matching.yaml")],
  awaiting: "listeners",
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
    route("backend-v3", { gateway: LISTENER_MATCHING, hostnames: [], sectionNames: ["listener-3", "listener-4"], rules: [{ backendRefs: [to("infra-backend-v3")] }] }),
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
  refused: {
    gcp: [{ route: LISTENER_MATCHING, reason: notAKind }, ...listenerRoutes.flatMap((r) => [{ route: r, reason: sectionName }, { route: r, reason: noHostnames }, { route: r, reason: notTheFleetGateway }])],
    aws: [{ route: LISTENER_MATCHING, reason: notAKind }, ...listenerRoutes.flatMap((r) => [{ route: r, reason: sectionName }, { route: r, reason: noHostnames }, { route: r, reason: notTheFleetGateway }])],
  },
};
