/**
 * The Gateway API's rules for a Gateway's listeners and the routes that attach to them, and GKE's for its
 * multi-cluster global external Gateway (class gke-l7-global-external-managed-mc), which the admin's
 * Gateway manifest is written for (spec/fleet-gateway.ts, spec/http-routes.ts).
 */
import type { Contract } from "./contract";

const GATEWAY_SPEC = { title: "Gateway API: API reference (gateway.networking.k8s.io/v1)", url: "https://gateway-api.sigs.k8s.io/reference/spec/" } as const;
const GKE_CAPABILITIES = {
  title: "GKE: GatewayClass capabilities",
  url: "https://docs.cloud.google.com/kubernetes-engine/docs/how-to/gatewayclass-capabilities",
} as const;
const GKE_SECURITY = { title: "GKE: Gateway security", url: "https://docs.cloud.google.com/kubernetes-engine/docs/concepts/gateway-security" } as const;
/** What a GKE rule below rests on when its page could not be read past its opening. */
const UNCONFIRMED =
  "not confirmed: the stored copies of this page end before its Gateway fields, and no other source was found either way; the rule is the authors' recollection of it";

export const gatewayRouteNamespaces: Contract = {
  id: "kubernetes.gateway-allowed-routes",
  party: "Kubernetes",
  subject: "Gateway API Gateway listener",
  rule: "a route attaches to a listener only when the listener's allowedRoutes admits its kind and namespace; namespaces.from defaults to Same (only routes of the Gateway's own namespace), All admits every namespace, Selector the namespaces its selector selects; without allowedRoutes.kinds the listener's protocol decides the kinds; a parentRef's sectionName names one listener, and a route whose parentRefs attach to no listener is not accepted",
  source: {
    ...GATEWAY_SPEC,
    section: "AllowedRoutes (kinds), RouteNamespaces (from: All, Selector, Same; CRD default Same); ParentReference.sectionName (Gateway: listener name)",
  },
  checkedIn: {
    validator:
      "an HTTPRoute's parentRef that names an unknown listener, or attaches to no listener that admits its namespace, is refused at the parentRef (spec/http-routes.ts)",
  },
};

export const gatewayHostnameIntersection: Contract = {
  id: "kubernetes.gateway-hostname-intersection",
  party: "Kubernetes",
  subject: "Gateway API HTTPRoute hostnames",
  rule: "a route serves the intersection of its hostnames with the hostnames of the listeners it attaches to: a wildcard *.example.com is a suffix match, taking a.example.com and a.b.example.com but not example.com; a route hostname matching a listener's wildcard is kept, a route wildcard matching a listener's exact hostname gives that hostname; a listener without hostname takes the route's, a route without hostnames the listener's; route hostnames that match no listener hostname are ignored, and a route none of whose hostnames match is not accepted",
  source: { ...GATEWAY_SPEC, section: "HTTPRouteSpec.hostnames; Listener.hostname" },
  checkedIn: {
    validator:
      "an HTTPRoute hostname that intersects no attached listener's hostname is refused at the hostname, naming the listeners' hostnames; the intersection is what the plan serves (spec/http-routes.ts)",
  },
};

export const gatewayListenerDistinct: Contract = {
  id: "kubernetes.gateway-listeners-distinct",
  party: "Kubernetes",
  subject: "Gateway API Gateway listeners",
  rule: "a listener's name MUST be unique within its Gateway, and each listener MUST have a unique combination of port, protocol and (where the protocol has one) hostname; listeners that are not distinct are Conflicted, and an implementation that accepts the Gateway throws out all of them, never picking a winner",
  source: { ...GATEWAY_SPEC, section: "GatewaySpec.listeners (distinct listeners, Conflicted); Listener.name" },
  checkedIn: {
    validator:
      "two listeners of the admin's Gateway with one name, or one port and hostname, are refused (spec/fleet-gateway.ts; a port there has one protocol)",
  },
};

export const gkeGatewayListeners: Contract = {
  id: "gke.mc-gateway-listeners",
  party: "GKE",
  subject: "multi-cluster Gateway (gke-l7-global-external-managed-mc)",
  rule: "the class is a global external Application Load Balancer: its listeners are HTTP or HTTPS (no TCP, UDP or TLS passthrough), and it terminates TLS at the load balancer; which ports it takes is not stated here (a GKE product manager wrote in 2021 that the Gateway controller's load balancers took ports 80, 8080 and 443)",
  source: {
    ...GKE_CAPABILITIES,
    section: `Load balancer, Gateway spec: listeners (protocol, tls.mode): ${UNCONFIRMED}; the ports: kubernetes/ingress-gce issue 1388, comment of 2021-05-03`,
  },
  checkedIn: {
    validator:
      "a listener of another protocol than HTTP or HTTPS, or a Passthrough TLS mode, is refused (spec/fleet-gateway.ts); the ports, 443 and 80, are the front door's own (components/gcp/address-plan.ts), not this rule's",
  },
};

export const gkeGatewayCertificates: Contract = {
  id: "gke.mc-gateway-certificates",
  party: "GKE",
  subject: "multi-cluster Gateway TLS",
  rule: "a multi-cluster Gateway's listener takes its certificates from Compute Engine SSL certificates (tls.options networking.gke.io/pre-shared-certs) or Certificate Manager (networking.gke.io/cert-manager-certs); certificates in Kubernetes Secrets (certificateRefs) are for single-cluster Gateways",
  source: { ...GKE_SECURITY, section: `Certificates and the Gateway classes that take them: ${UNCONFIRMED}` },
  checkedIn: {
    validator:
      "certificateRefs on the admin's Gateway are refused for the front door's own reason (one load balancer for every cluster, certificates from Certificate Manager); cert-manager-certs are served for the listener's hosts, pre-shared-certs answered with a warning (spec/fleet-gateway.ts)",
  },
};

export const gkeGatewayAddresses: Contract = {
  id: "gke.mc-gateway-addresses",
  party: "GKE",
  subject: "multi-cluster Gateway addresses",
  rule: "a global external Gateway takes one address in spec.addresses: a NamedAddress naming a reserved global static address, or an IPAddress holding the IP of one (the Gateway API itself allows up to 16, of types IPAddress, Hostname, NamedAddress or an implementation's own, and leaves which to the implementation)",
  source: { ...GKE_CAPABILITIES, section: `Gateway spec: addresses: ${UNCONFIRMED}; the Gateway API's limits: GatewaySpec.addresses` },
  checkedIn: {
    validator:
      "a second address, another type, or an address the environment neither owns nor adopted is refused, each for the front door's own reason (spec/fleet-gateway.ts)",
  },
};

export const contracts: readonly Contract[] = [
  gatewayRouteNamespaces,
  gatewayHostnameIntersection,
  gatewayListenerDistinct,
  gkeGatewayListeners,
  gkeGatewayCertificates,
  gkeGatewayAddresses,
];
