/**
 * The Gateway API's rules for a Gateway's listeners and the routes that attach to them, and GKE's for its
 * multi-cluster global external Gateway (class gke-l7-global-external-managed-mc), which the admin's
 * Gateway manifest is written for (spec/fleet-gateway.ts, spec/http-routes.ts).
 */
import type { Contract } from "./contract";

const GATEWAY_SPEC = { title: "Gateway API: API reference (gateway.networking.k8s.io/v1)", url: "https://gateway-api.sigs.k8s.io/reference/spec/" } as const;
const GKE_CAPABILITIES = { title: "GKE: GatewayClass capabilities", url: "https://docs.cloud.google.com/kubernetes-engine/docs/how-to/gatewayclass-capabilities" } as const;
const GKE_SECURITY = { title: "GKE: Gateway security", url: "https://docs.cloud.google.com/kubernetes-engine/docs/concepts/gateway-security" } as const;

export const gatewayRouteNamespaces: Contract = {
  id: "kubernetes.gateway-allowed-routes",
  party: "Kubernetes",
  subject: "Gateway API Gateway listener",
  rule: "a route attaches to a listener only when the listener's allowedRoutes admits its kind and namespace; namespaces.from defaults to Same (the Gateway's own namespace), All admits every namespace, Selector the namespaces whose labels match; a parentRef's sectionName names one listener, and a route whose parentRefs attach to no listener is not accepted",
  source: { ...GATEWAY_SPEC, section: "AllowedRoutes, RouteNamespaces; ParentReference.sectionName" },
  checkedIn: { validator: "an HTTPRoute's parentRef that names an unknown listener, or attaches to no listener that admits its namespace, is refused at the parentRef (spec/http-routes.ts)" },
};

export const gatewayHostnameIntersection: Contract = {
  id: "kubernetes.gateway-hostname-intersection",
  party: "Kubernetes",
  subject: "Gateway API HTTPRoute hostnames",
  rule: "a route serves the intersection of its hostnames with the hostnames of the listeners it attaches to: a wildcard *.example.com matches every name below example.com (a.example.com, a.b.example.com) but not example.com itself; a route hostname matching a listener's wildcard is kept, a route wildcard matching a listener's exact hostname gives that hostname; a listener without hostname takes the route's, a route without hostnames the listener's; a route with hostnames none of which intersect is not accepted by that listener",
  source: { ...GATEWAY_SPEC, section: "HTTPRouteSpec.hostnames; Listener.hostname" },
  checkedIn: { validator: "an HTTPRoute hostname that intersects no attached listener's hostname is refused at the hostname, naming the listeners' hostnames; the intersection is what the plan serves (spec/http-routes.ts)" },
};

export const gatewayListenerDistinct: Contract = {
  id: "kubernetes.gateway-listeners-distinct",
  party: "Kubernetes",
  subject: "Gateway API Gateway listeners",
  rule: "listener names are unique in a Gateway, and listeners on one port MUST be distinct by hostname; listeners that conflict are not programmed",
  source: { ...GATEWAY_SPEC, section: "GatewaySpec.listeners" },
  checkedIn: { validator: "two listeners of the admin's Gateway with one name, or one port and hostname, are refused (spec/fleet-gateway.ts)" },
};

export const gkeGatewayListeners: Contract = {
  id: "gke.mc-gateway-listeners",
  party: "GKE",
  subject: "multi-cluster Gateway (gke-l7-global-external-managed-mc)",
  rule: "the global external Application Load Balancer behind the class serves HTTP and HTTPS listeners (no TCP, UDP or TLS passthrough), and terminates TLS at the load balancer",
  source: { ...GKE_CAPABILITIES, section: "Gateway spec: listeners (protocol, port, tls.mode)" },
  checkedIn: { validator: "a listener of another protocol, a Passthrough TLS mode, or a port other than 443 for HTTPS and 80 for HTTP is refused (spec/fleet-gateway.ts)" },
};

export const gkeGatewayCertificates: Contract = {
  id: "gke.mc-gateway-certificates",
  party: "GKE",
  subject: "multi-cluster Gateway TLS",
  rule: "a multi-cluster Gateway's listener takes its certificates from Compute Engine SSL certificates (tls.options networking.gke.io/pre-shared-certs) or Certificate Manager (networking.gke.io/cert-manager-certs); certificates in Kubernetes Secrets (certificateRefs) are for single-cluster Gateways",
  source: { ...GKE_SECURITY, section: "Certificates and the Gateway classes that take them" },
  checkedIn: { validator: "certificateRefs on the admin's Gateway are refused with the reason; cert-manager-certs are served for the listener's hosts, pre-shared-certs answered with a warning (spec/fleet-gateway.ts)" },
};

export const gkeGatewayAddresses: Contract = {
  id: "gke.mc-gateway-addresses",
  party: "GKE",
  subject: "multi-cluster Gateway addresses",
  rule: "a global external Gateway takes one address in spec.addresses: a NamedAddress naming a reserved global static address, or an IPAddress holding the IP of one",
  source: { ...GKE_CAPABILITIES, section: "Gateway spec: addresses" },
  checkedIn: { validator: "a second address, another type, or an address the environment neither owns nor adopted is refused (spec/fleet-gateway.ts)" },
};

export const contracts: readonly Contract[] = [gatewayRouteNamespaces, gatewayHostnameIntersection, gatewayListenerDistinct, gkeGatewayListeners, gkeGatewayCertificates, gkeGatewayAddresses];
