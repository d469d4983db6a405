/**
 * What GKE and Istio say about the protocol behind a gateway: which protocol a GKE user asks for on a
 * service port (the app-protocols annotation) and on its health check (BackendConfig healthCheck), and how
 * Istio is told to speak it to the pods (a Service port's appProtocol; TLS origination by DestinationRule).
 */
import type { Contract } from "./contract";

const GKE_INGRESS_CONFIGURATION = {
  title: "GKE: Ingress configuration on Google Cloud",
  url: "https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration",
};
const ISTIO_PROTOCOL_SELECTION = {
  title: "Istio: Protocol Selection",
  url: "https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/",
};
const ISTIO_DESTINATION_RULE = { title: "Istio: Destination Rule", url: "https://istio.io/latest/docs/reference/config/networking/destination-rule/" };

/** The protocols GKE accepts in app-protocols and in a health check's type. */
export const GKE_BACKEND_PROTOCOLS = ["HTTP", "HTTPS", "HTTP2"] as const;
export type BackendProtocol = (typeof GKE_BACKEND_PROTOCOLS)[number];

export const appProtocols: Contract = {
  id: "gke.app-protocols",
  party: "GKE",
  subject: "MultiClusterService annotation",
  rule: `networking.gke.io/app-protocols is a JSON object from a service port's name to the protocol the load balancer speaks to that port's pods: ${GKE_BACKEND_PROTOCOLS.join(", ")} (HTTPS and HTTP2 are encrypted to the pods, and the load balancer does not verify the pods' certificates); a port it does not name is spoken to in HTTP`,
  source: { ...GKE_INGRESS_CONFIGURATION, section: "HTTPS between load balancer and your application; Using HTTP/2 for load balancing with Ingress" },
  checkedIn: {
    validator: "the annotation's JSON, its port names and its protocols (spec/backend-protocols.ts)",
    program:
      "each named port's protocol reaches the generated Service (appProtocol) and the gateways' DestinationRules (components/kubernetes/services-plan.ts, mesh-plan.ts)",
  },
};

export const healthCheckParameters: Contract = {
  id: "gke.health-check-parameters",
  party: "GKE",
  subject: "BackendConfig healthCheck",
  rule: "healthCheck.type is the protocol of the probe (HTTP, HTTPS or HTTP2) and healthCheck.port the port it probes, which with container-native load balancing is a containerPort of the serving pods; a field left out is inferred: the type from the service port's app protocol, the port from the serving port. A type that differs from the app protocol is taken as written: the probe uses it while traffic uses the app protocol",
  source: { ...GKE_INGRESS_CONFIGURATION, section: "Custom health check configuration; Default and inferred parameters" },
  checkedIn: {
    validator: "a health check type that differs from the port's app protocol is reported at the field (spec/backend-protocols.ts)",
    program:
      "the gateway's health rule forwards to a Service port that reaches the health port with the health check's protocol (spec/backend-protocols.ts healthPorts, components/kubernetes/gateway-plan.ts)",
  },
};

export const protocolSelection: Contract = {
  id: "istio.protocol-selection",
  party: "Istio",
  subject: "Service ports",
  rule: "Istio reads a Service port's protocol from its appProtocol (before its name's prefix): http, http2 (HTTP/2 in clear text, h2c), https (TLS-encrypted HTTP), tcp, tls, grpc; a gateway forwards HTTP/1.1 to a port it does not know to be HTTP/2",
  source: { ...ISTIO_PROTOCOL_SELECTION, section: "Explicit protocol selection; HTTP gateway protocol selection" },
  checkedIn: { program: "the generated Services' ports carry the appProtocol of their GKE protocol (components/kubernetes/services-plan.ts)" },
};

export const tlsOrigination: Contract = {
  id: "istio.tls-origination",
  party: "Istio",
  subject: "DestinationRule",
  rule: "a DestinationRule's trafficPolicy (or a port's portLevelSettings, which replace the whole policy for that port) with tls.mode SIMPLE makes the client proxy originate TLS to the endpoints, instead of Istio's automatic mutual TLS; insecureSkipVerify skips the check of the server's certificate. A client looks a DestinationRule up in its own namespace first, then the service's, then the root namespace, and exportTo \".\" keeps a rule to its own namespace",
  source: { ...ISTIO_DESTINATION_RULE, section: "ClientTLSSettings; TrafficPolicy.PortTrafficPolicy; DestinationRule (exportTo, lookup)" },
  checkedIn: {
    program:
      "the gateways, and only they, originate TLS to HTTPS ports, by a DestinationRule in the gateway namespace that repeats the service's own policy (components/kubernetes/mesh-plan.ts)",
  },
};

export const contracts: readonly Contract[] = [appProtocols, healthCheckParameters, protocolSelection, tlsOrigination];
