/**
 * What Fleetgate does with every field and annotation GKE reads on the documents it accepts: one row per
 * (API group, kind, field), each honoured, or answered with a warning or an error at the field that says
 * why. No field is dropped in silence: the schemas accept the GKE fields Fleetgate does not model (they
 * pass them through to here), and checkGkeFields answers them with the row's message, not with the
 * strict schema's generic unknown-field error. docs/gke-fields.md is generated from these rows
 * (`npm run fields`), and test/spec/field-handling.test.ts holds the rows to account: every field of the
 * upstream schemas has a row, every warning or error row draws its diagnostic, every honoured row names
 * a test that exists. The policies of GKE's Gateway dialect (GCPBackendPolicy, HealthCheckPolicy,
 * GCPGatewayPolicy) have rows of their own; their backend settings are read as the BackendConfig fields
 * they equal (spec/gke-policies.ts), so those rows are answered as the BackendConfig's are.
 */
import { cite } from "../contracts/contract";
import { gatewayPolicyFields } from "../contracts/gke-policies";
import { formatPath, type PathSegment, type Severity } from "./diagnostics";
import type { LoadedDocuments } from "./documents";
import type { Locator } from "./yaml-source";

export type Handling = "honoured" | "warning" | "error";

/** What an answer may depend on. */
export interface FieldContext {
  readonly frontDoor: "gcp" | "aws";
}

export interface FieldRow {
  /** The API group, e.g. `networking.gke.io`. */
  readonly group: string;
  readonly kind: string;
  /**
   * The field as a path with `[]` for every element of a list (`spec.template.spec.rules[].host`), or
   * `annotation:<key>` for an annotation of the object (`annotation:*` answers every other annotation
   * of GKE's domains).
   */
  readonly field: string;
  /** The row answers for every field below this one as well: their handling is the same. */
  readonly subtree?: true;
  /** What GKE does with it, in short. */
  readonly gke: string;
  /** Fleetgate's handling behind the GCP front door (and behind AWS, unless `aws` says otherwise). */
  readonly handling: Handling;
  /** One sentence: how it is honoured, or why not and what to do instead. */
  readonly why: string;
  /** Honoured rows: the test that proves it, by file and test name. */
  readonly shownBy?: readonly [file: string, title: string];
  /**
   * Warning and error rows answered here: the message at the field for this value, or undefined when this
   * value needs no answer (e.g. the one value Fleetgate does anyway). Rows without it are checked where
   * `checkedIn` says.
   */
  readonly answer?: (value: unknown, ctx: FieldContext) => string | undefined;
  /** Warning and error rows answered elsewhere: the module that does. */
  readonly checkedIn?: string;
  /** A value of the field that draws the row's diagnostic (warning and error rows); the table's test sets it. */
  readonly example?: unknown;
  /** Behind the AWS front door, where the handling differs. */
  readonly aws?: { readonly handling: Handling; readonly why: string };
}

const MCI = { group: "networking.gke.io", kind: "MultiClusterIngress" } as const;
const MCS = { group: "networking.gke.io", kind: "MultiClusterService" } as const;
const BC = { group: "cloud.google.com", kind: "BackendConfig" } as const;
const FC = { group: "networking.gke.io", kind: "FrontendConfig" } as const;
const GBP = { group: "networking.gke.io", kind: "GCPBackendPolicy" } as const;
const HCP = { group: "networking.gke.io", kind: "HealthCheckPolicy" } as const;
const GGP = { group: "networking.gke.io", kind: "GCPGatewayPolicy" } as const;
const GW = { group: "gateway.networking.k8s.io", kind: "Gateway" } as const;

const FIELDS_TEST = "test/spec/field-handling.test.ts";
const PROTOCOLS_TEST = "test/spec/backend-protocols.test.ts";
const GATEWAY_TEST = "test/spec/fleet-gateway.test.ts";
const shown = (title: string, file = FIELDS_TEST) => [file, title] as const;

/** An answer that is the same for every value. */
const always = (message: string) => () => message;

const BC_AWS = {
  handling: "warning",
  why: "The AWS front door has no per-service backend settings; Fleetgate warns that the field is not applied (spec/validate.ts).",
} as const;

// --- MultiClusterService ------------------------------------------------------------------------

/** Fields of the Kubernetes Service spec GKE copies into each derived Service, which Fleetgate's Service does not take. */
const SERVICE_FIELDS: readonly { field: string; gke: string; handling: Handling; why: string; example: unknown; subtree?: true }[] = [
  {
    field: "allocateLoadBalancerNodePorts",
    gke: "Node ports for a LoadBalancer Service.",
    handling: "warning",
    why: "the generated Service is a ClusterIP Service behind the gateways and allocates no node ports",
    example: false,
  },
  {
    field: "clusterIP",
    gke: "The derived Service's cluster IP.",
    handling: "warning",
    why: "each cluster assigns the generated Service its own cluster IP; a fixed one would collide across clusters",
    example: "10.0.0.10",
  },
  {
    field: "clusterIPs",
    gke: "The derived Service's cluster IPs.",
    handling: "warning",
    why: "each cluster assigns the generated Service its own cluster IPs",
    example: ["10.0.0.10"],
  },
  {
    field: "externalIPs",
    gke: "External IPs routed to the Service's nodes.",
    handling: "error",
    why: "the generated Service takes no external IPs, so clients expecting to reach the service there would not; serve it through the ingress's hosts",
    example: ["203.0.113.10"],
  },
  {
    field: "externalName",
    gke: "A DNS alias (type ExternalName).",
    handling: "error",
    why: "Fleetgate's services are served by pods the selector picks, not by an external name; route to the external service from inside the mesh instead",
    example: "db.example.com",
  },
  {
    field: "externalTrafficPolicy",
    gke: "Node-local routing of external traffic.",
    handling: "warning",
    why: "traffic reaches the pods through the mesh's gateways, never through node ports, so this has no effect",
    example: "Local",
  },
  {
    field: "healthCheckNodePort",
    gke: "Node port for a Local LoadBalancer's health check.",
    handling: "warning",
    why: "the generated Service has no node ports; health checks are BackendConfig healthCheck's",
    example: 30000,
  },
  {
    field: "internalTrafficPolicy",
    gke: "Node-local routing of in-cluster traffic.",
    handling: "warning",
    why: "the generated Service uses the cluster's default (Cluster); the mesh routes the gateways' traffic",
    example: "Local",
  },
  {
    field: "ipFamilies",
    gke: "IP families of the derived Service.",
    handling: "warning",
    why: "each cluster gives the generated Service its default IP family; the front door's own addresses are the admin's",
    example: ["IPv6"],
  },
  {
    field: "ipFamilyPolicy",
    gke: "Single- or dual-stack derived Service.",
    handling: "warning",
    why: "each cluster gives the generated Service its default IP family policy",
    example: "PreferDualStack",
  },
  {
    field: "loadBalancerClass",
    gke: "Which load balancer implements a LoadBalancer Service.",
    handling: "warning",
    why: "the generated Service is not a LoadBalancer Service; the environment's front door is the load balancer",
    example: "example.com/lb",
  },
  {
    field: "loadBalancerIP",
    gke: "The IP of a LoadBalancer Service.",
    handling: "warning",
    why: "the generated Service is not a LoadBalancer Service; an ingress's address is the networking.gke.io/static-ip annotation's",
    example: "203.0.113.10",
  },
  {
    field: "loadBalancerSourceRanges",
    gke: "Client ranges a LoadBalancer Service admits.",
    handling: "error",
    why: "the front door would admit every client, which a source allow-list means to prevent; restrict clients with a Cloud Armor policy in a BackendConfig's securityPolicy",
    example: ["203.0.113.0/24"],
  },
  {
    field: "publishNotReadyAddresses",
    gke: "Route to pods that are not ready.",
    handling: "warning",
    why: "the gateways send only to ready endpoints, as the mesh does for every service",
    example: true,
  },
  {
    field: "sessionAffinity",
    gke: "Client-IP affinity of the derived Service.",
    handling: "warning",
    why: "affinity at the front door and in the gateways is a BackendConfig's sessionAffinity; set it there",
    example: "ClientIP",
  },
  {
    field: "sessionAffinityConfig",
    gke: "Timeout of the Service's client-IP affinity.",
    handling: "warning",
    why: "affinity is a BackendConfig's sessionAffinity (with affinityCookieTtlSec); set it there",
    example: { clientIP: { timeoutSeconds: 60 } },
    subtree: true,
  },
  {
    field: "trafficDistribution",
    gke: "Prefer endpoints close to the client.",
    handling: "warning",
    why: "the mesh already sends each request to the nearest healthy endpoints (spec.fleetgate.balancing: nearest)",
    example: "PreferClose",
  },
  {
    field: "ports[].appProtocol",
    gke: "The protocol of a Service port.",
    handling: "warning",
    why: "GKE's multi-cluster load balancer reads a port's protocol from the networking.gke.io/app-protocols annotation, and so does Fleetgate; write it there",
    example: "HTTPS",
  },
  {
    field: "ports[].nodePort",
    gke: "The node port of a NodePort Service.",
    handling: "warning",
    why: "the generated Service is a ClusterIP Service and allocates no node ports",
    example: 30080,
  },
];

const mcsRows: FieldRow[] = [
  {
    ...MCS,
    field: "metadata.name",
    gke: "The name of the derived Services.",
    handling: "honoured",
    why: "The generated Service in each cluster takes the MultiClusterService's name.",
    shownBy: shown("names the generated Service after the MultiClusterService, in its namespace"),
  },
  {
    ...MCS,
    field: "metadata.namespace",
    gke: "The namespace of the derived Services.",
    handling: "honoured",
    why: "It must be the team folder's name; the generated Service lives in that namespace of each cluster.",
    shownBy: shown("names the generated Service after the MultiClusterService, in its namespace"),
  },
  {
    ...MCS,
    field: "metadata.labels",
    gke: "Labels of the object itself; the load balancer reads none.",
    handling: "honoured",
    why: "Accepted as the object's own metadata, as GKE does; like GKE, Fleetgate derives nothing from them.",
    shownBy: shown("plans documents that carry labels of their own without a diagnostic"),
  },
  {
    ...MCS,
    field: "spec.template.metadata",
    subtree: true,
    gke: "Labels and annotations of the derived Services.",
    handling: "warning",
    why: "The generated Services carry Fleetgate's own labels and annotations; put labels and annotations that other tools read on your own objects.",
    answer: always(
      "is not applied: the Services Fleetgate generates in each cluster carry only Fleetgate's own labels and annotations; labels or annotations other tools read belong on objects of your own",
    ),
    example: { labels: { team: "shop" } },
  },
  {
    ...MCS,
    field: "spec.template.spec.selector",
    gke: "The pods of the service in each cluster.",
    handling: "honoured",
    why: "The generated Service in each selected cluster selects these pods.",
    shownBy: shown("selects the template's pods with the generated Service"),
  },
  {
    ...MCS,
    field: "spec.template.spec.ports[].name",
    gke: "The port's name.",
    handling: "honoured",
    why: "The generated Service's port takes the name; an ingress backend may name the port by it.",
    shownBy: shown("gives the generated Service the template's ports, names and target ports"),
  },
  {
    ...MCS,
    field: "spec.template.spec.ports[].port",
    gke: "The service port.",
    handling: "honoured",
    why: "The generated Service's port, and the port an ingress backend names.",
    shownBy: shown("gives the generated Service the template's ports, names and target ports"),
  },
  {
    ...MCS,
    field: "spec.template.spec.ports[].targetPort",
    gke: "The pods' port, by number or name.",
    handling: "honoured",
    why: "The generated Service's target port.",
    shownBy: shown("gives the generated Service the template's ports, names and target ports"),
  },
  {
    ...MCS,
    field: "spec.template.spec.ports[].protocol",
    gke: "TCP, UDP or SCTP.",
    handling: "honoured",
    why: "TCP, the only protocol an HTTP(S) front door carries; the schema refuses the others at the field.",
    shownBy: shown("refuses a UDP port at the field, since the front door carries only HTTP(S)"),
  },
  ...SERVICE_FIELDS.map((f): FieldRow => ({
    ...MCS,
    field: `spec.template.spec.${f.field}`,
    ...(f.subtree ? { subtree: true as const } : {}),
    gke: f.gke,
    handling: f.handling,
    why: `${f.why[0]!.toUpperCase()}${f.why.slice(1)}.`,
    answer: always(`is not applied: ${f.why}`),
    example: f.example,
  })),
  {
    ...MCS,
    field: "spec.template.spec.type",
    gke: "The derived Service's type.",
    handling: "warning",
    why: "The generated Service is a ClusterIP Service that the gateways reach; ClusterIP is accepted without a word, another type is answered with a warning.",
    answer: (value) =>
      value === "ClusterIP"
        ? undefined
        : `is ${JSON.stringify(value)}, but the Service Fleetgate generates in each cluster is a ClusterIP Service that only the gateways reach; the front door is the service's load balancer, so leave type out (or write ClusterIP)`,
    example: "LoadBalancer",
  },
  {
    ...MCS,
    field: "spec.clusters[].link",
    gke: "A member cluster, `<region>/<name>` (or `<zone>/<name>` for a zonal cluster).",
    handling: "honoured",
    why: "The service is served from the linked cluster of the fleet; zonal links are accepted where the cluster's location is a zone.",
    shownBy: shown("a zonal cluster is linked by its zone", "test/spec/cluster-selection.test.ts"),
  },
  {
    ...MCS,
    field: "spec.clusters[].selector.matchLabels",
    gke: "Not GKE's: Fleetgate's extension beside link (GKE links clusters one by one).",
    handling: "honoured",
    why: "The service is served from every fleet cluster whose labels include all of these.",
    shownBy: shown("serves a service from every cluster whose labels its selector's matchLabels name"),
  },
  {
    ...MCS,
    field: "spec.clusters[].selector.matchExpressions",
    gke: "Not GKE's: Fleetgate's extension, as Kubernetes label selectors write it.",
    handling: "honoured",
    why: "The service is served from every fleet cluster whose labels satisfy all of the expressions (In, NotIn, Exists, DoesNotExist).",
    shownBy: shown("matchExpressions In selects clusters whose label has one of the values", "test/spec/cluster-selection.test.ts"),
  },
  {
    ...MCS,
    field: "annotation:cloud.google.com/backend-config",
    gke: 'The BackendConfig of each port (`{"default": …}` or `{"ports": {…}}`).',
    handling: "honoured",
    why: "Each port's backend service, health check and gateway settings come from the named BackendConfig.",
    shownBy: shown("applies the BackendConfig the annotation names to the service's backend"),
  },
  {
    ...MCS,
    field: "annotation:beta.cloud.google.com/backend-config",
    gke: "The older spelling of cloud.google.com/backend-config.",
    handling: "honoured",
    why: "Read as cloud.google.com/backend-config is.",
    shownBy: shown("applies the BackendConfig the beta annotation names to the service's backend"),
  },
  {
    ...MCS,
    field: "annotation:networking.gke.io/app-protocols",
    gke: "The protocol each named port's pods speak (HTTPS, HTTP2).",
    handling: "honoured",
    why: "The gateways speak that protocol to the pods (the Service port's appProtocol, TLS origination for HTTPS) and check them in it.",
    shownBy: shown("gives each port the protocol the annotation names, and names none where it is silent", PROTOCOLS_TEST),
  },
];

// --- MultiClusterIngress ------------------------------------------------------------------------

const mciRows: FieldRow[] = [
  {
    ...MCI,
    field: "metadata.name",
    gke: "The ingress's name.",
    handling: "honoured",
    why: "Names the ingress in diagnostics and in the catch-all choice; unique per namespace.",
    shownBy: shown("refuses a second ingress of the same name in a namespace"),
  },
  {
    ...MCI,
    field: "metadata.namespace",
    gke: "The namespace of the ingress and its services.",
    handling: "honoured",
    why: "It must be the team folder's name; the namespace's host grants decide which hosts the ingress may claim.",
    shownBy: shown("refuses a host the ingress's namespace is not granted"),
  },
  {
    ...MCI,
    field: "metadata.labels",
    gke: "Labels of the object itself; the load balancer reads none.",
    handling: "honoured",
    why: "Accepted as the object's own metadata, as GKE does; like GKE, Fleetgate derives nothing from them.",
    shownBy: shown("plans documents that carry labels of their own without a diagnostic"),
  },
  {
    ...MCI,
    field: "spec.template.metadata",
    subtree: true,
    gke: "Metadata of the derived Ingress objects.",
    handling: "warning",
    why: "Fleetgate derives no Ingress objects; the environment's front door and gateways serve the hosts.",
    answer: always(
      "is not applied: Fleetgate derives no Ingress objects from the template (the environment's front door and gateways serve its hosts), so their labels and annotations would be on nothing",
    ),
    example: { labels: { team: "shop" } },
  },
  {
    ...MCI,
    field: "spec.template.spec.backend",
    subtree: true,
    gke: "The default backend: paths no rule matches, and, for the ingress's own load balancer, unknown hosts.",
    handling: "honoured",
    why: "The default backend of the ingress's hosts; for hosts no rule names it serves only where the admin grants the namespace the catch-all.",
    shownBy: shown("sends the paths no rule matches to the ingress's default backend"),
  },
  {
    ...MCI,
    field: "spec.template.spec.rules[].host",
    gke: "The host a rule serves.",
    handling: "honoured",
    why: "The URL map, certificate and DNS record of the host, where the namespace is granted it.",
    shownBy: shown("serves each rule's host with a certificate and a DNS record"),
  },
  {
    ...MCI,
    field: "spec.template.spec.rules[].http.paths[].path",
    gke: "GCE URL-map path (`/x` exact, `/x/*` prefix).",
    handling: "honoured",
    why: "Matched as GCE's URL map does, at the front door and in the gateways.",
    shownBy: shown("routes an exact path and a prefix path as GCE's URL map matches them"),
  },
  {
    ...MCI,
    field: "spec.template.spec.rules[].http.paths[].backend",
    subtree: true,
    gke: "The MultiClusterService port that serves the path.",
    handling: "honoured",
    why: "The path is routed to that service port's backend.",
    shownBy: shown("routes an exact path and a prefix path as GCE's URL map matches them"),
  },
  {
    ...MCI,
    field: "spec.template.spec.tls",
    subtree: true,
    gke: "Kubernetes Secrets holding the hosts' certificates.",
    handling: "warning",
    why: "Fleetgate issues a managed certificate for every host (or serves the Certificate Manager certificates named in fleetgate.io/certificate-manager-certs), so the Secrets are not read.",
    checkedIn: "spec/validate.ts",
    example: [{ secretName: "shop-tls" }],
  },
  {
    ...MCI,
    field: "annotation:networking.gke.io/static-ip",
    gke: "The reserved global address (its IP or name) the load balancer serves on.",
    handling: "honoured",
    why: "Behind the GCP front door an address the admin adopts (fleetgate:gcp.adoptAddresses) is read, never created or deleted, and served on beside the environment's own, with its hosts' records pointing at it.",
    aws: {
      handling: "error",
      why: "Global Accelerator allocates its own static addresses; one of your own would have to be brought to AWS (BYOIP) when the accelerator is created.",
    },
    checkedIn: "spec/static-ip.ts",
    example: "fg-test",
    shownBy: shown(
      "points the hosts of an ingress naming an adopted address at it, by IP version, and every other host at the environment's address",
      "test/components/gcp/adopted-addresses.test.ts",
    ),
  },
  {
    ...MCI,
    field: "annotation:networking.gke.io/pre-shared-certs",
    gke: "Compute Engine SSL certificates the load balancer serves.",
    handling: "warning",
    why: "The environment's one certificate map cannot serve Compute Engine certificates, so the hosts get managed certificates; import yours into Certificate Manager and name it in fleetgate.io/certificate-manager-certs.",
    checkedIn: "spec/validate.ts",
    example: "shop-cert",
  },
  {
    ...MCI,
    field: "annotation:networking.gke.io/frontend-config",
    gke: "The FrontendConfig of the ingress's load balancer.",
    handling: "honoured",
    why: "The named FrontendConfig is read and each of its fields answered (see FrontendConfig); a name that is not defined is an error.",
    shownBy: shown("refuses a frontend-config annotation that names no FrontendConfig"),
  },
  {
    ...MCI,
    field: "annotation:networking.gke.io/v1beta1.FrontendConfig",
    gke: "The older spelling of networking.gke.io/frontend-config.",
    handling: "honoured",
    why: "Read as networking.gke.io/frontend-config is.",
    shownBy: shown("refuses a frontend-config annotation that names no FrontendConfig"),
  },
];

// --- BackendConfig ------------------------------------------------------------------------------

const cdnNote =
  "Fleetgate's backend services enable Cloud CDN with the cache mode USE_ORIGIN_HEADERS and CDN's default cache key (protocol, host and query string), so the origin's Cache-Control headers decide what is cached and for how long";
const cdnRow = (field: string, gke: string, example: unknown, subtree = false): FieldRow => ({
  ...BC,
  field: `spec.cdn.${field}`,
  ...(subtree ? { subtree: true as const } : {}),
  gke,
  handling: "warning",
  why: `Not applied: ${cdnNote}.`,
  answer: always(`is not applied: ${cdnNote}; set caching with Cache-Control headers in the service's responses`),
  example,
  aws: BC_AWS,
});

const bcRows: FieldRow[] = [
  {
    ...BC,
    field: "metadata.name",
    gke: "The name a MultiClusterService's backend-config annotation refers to.",
    handling: "honoured",
    why: "Looked up by name in the service's namespace.",
    shownBy: shown("applies the BackendConfig the annotation names to the service's backend"),
  },
  {
    ...BC,
    field: "metadata.namespace",
    gke: "The namespace of the services that may use it.",
    handling: "honoured",
    why: "Only services of the same namespace find it.",
    shownBy: shown("applies the BackendConfig the annotation names to the service's backend"),
  },
  {
    ...BC,
    field: "metadata.labels",
    gke: "Labels of the object itself; the load balancer reads none.",
    handling: "honoured",
    why: "Accepted as the object's own metadata, as GKE does; like GKE, Fleetgate derives nothing from them.",
    shownBy: shown("plans documents that carry labels of their own without a diagnostic"),
  },
  {
    ...BC,
    field: "spec.timeoutSec",
    gke: "Backend service timeout.",
    handling: "honoured",
    why: "The backend service's timeout.",
    shownBy: shown("sets the backend service's timeout, draining, Cloud Armor policy, affinity, logging and custom headers from the BackendConfig"),
    aws: BC_AWS,
  },
  {
    ...BC,
    field: "spec.connectionDraining.drainingTimeoutSec",
    gke: "Connection draining timeout.",
    handling: "honoured",
    why: "The backend service's connection draining timeout.",
    shownBy: shown("sets the backend service's timeout, draining, Cloud Armor policy, affinity, logging and custom headers from the BackendConfig"),
    aws: BC_AWS,
  },
  {
    ...BC,
    field: "spec.healthCheck.checkIntervalSec",
    gke: "Health check interval.",
    handling: "honoured",
    why: "The front door's health check of the service, through each gateway.",
    shownBy: shown("checks the service's health as the BackendConfig's healthCheck says"),
    aws: BC_AWS,
  },
  {
    ...BC,
    field: "spec.healthCheck.timeoutSec",
    gke: "Health check timeout.",
    handling: "honoured",
    why: "The front door's health check of the service, through each gateway.",
    shownBy: shown("checks the service's health as the BackendConfig's healthCheck says"),
    aws: BC_AWS,
  },
  {
    ...BC,
    field: "spec.healthCheck.healthyThreshold",
    gke: "Successes that make a backend healthy.",
    handling: "honoured",
    why: "The front door's health check of the service, through each gateway.",
    shownBy: shown("checks the service's health as the BackendConfig's healthCheck says"),
    aws: BC_AWS,
  },
  {
    ...BC,
    field: "spec.healthCheck.unhealthyThreshold",
    gke: "Failures that make a backend unhealthy.",
    handling: "honoured",
    why: "The front door's health check of the service, through each gateway.",
    shownBy: shown("checks the service's health as the BackendConfig's healthCheck says"),
    aws: BC_AWS,
  },
  {
    ...BC,
    field: "spec.healthCheck.requestPath",
    gke: "Path the health check requests.",
    handling: "honoured",
    why: "The gateways forward the front door's check to the pods on this path.",
    shownBy: shown("checks the service's health as the BackendConfig's healthCheck says"),
    aws: BC_AWS,
  },
  {
    ...BC,
    field: "spec.healthCheck.type",
    gke: "Health check protocol (HTTP, HTTPS, HTTP2).",
    handling: "honoured",
    why: "The gateways check the pods in this protocol (the front door reaches the gateway in HTTP on its dispatch port).",
    shownBy: shown("checks in another protocol on the serving pod port through a Service port of its own", PROTOCOLS_TEST),
    aws: BC_AWS,
  },
  {
    ...BC,
    field: "spec.healthCheck.port",
    gke: "The pods' port that answers health checks.",
    handling: "honoured",
    why: "The generated Service gets a health port that reaches it, and the gateways forward the check there.",
    shownBy: shown("checks a health port of the pods through a Service port of its own, in the check's protocol", PROTOCOLS_TEST),
    aws: BC_AWS,
  },
  {
    ...BC,
    field: "spec.securityPolicy.name",
    gke: "Cloud Armor policy of the backend service.",
    handling: "honoured",
    why: "The backend service's security policy, in the front door's project.",
    shownBy: shown("sets the backend service's timeout, draining, Cloud Armor policy, affinity, logging and custom headers from the BackendConfig"),
    aws: BC_AWS,
  },
  {
    ...BC,
    field: "spec.sessionAffinity.affinityType",
    gke: "Session affinity (NONE, CLIENT_IP, GENERATED_COOKIE).",
    handling: "honoured",
    why: "The backend service's session affinity; behind AWS the gateways apply it.",
    shownBy: shown("sets the backend service's timeout, draining, Cloud Armor policy, affinity, logging and custom headers from the BackendConfig"),
  },
  {
    ...BC,
    field: "spec.sessionAffinity.affinityCookieTtlSec",
    gke: "Lifetime of the affinity cookie.",
    handling: "honoured",
    why: "The backend service's affinity cookie lifetime.",
    shownBy: shown("sets the backend service's timeout, draining, Cloud Armor policy, affinity, logging and custom headers from the BackendConfig"),
    aws: BC_AWS,
  },
  {
    ...BC,
    field: "spec.cdn.enabled",
    gke: "Cloud CDN on the backend service.",
    handling: "honoured",
    why: "Enables Cloud CDN on the backend service, caching by the origin's headers (USE_ORIGIN_HEADERS).",
    shownBy: shown("enables Cloud CDN on the backend service, caching by the origin's headers"),
    aws: BC_AWS,
  },
  cdnRow("cacheMode", "What CDN caches (CACHE_ALL_STATIC, USE_ORIGIN_HEADERS, FORCE_CACHE_ALL).", "CACHE_ALL_STATIC"),
  cdnRow("cachePolicy", "The cache key (host, protocol, query string).", { includeQueryString: false }, true),
  {
    ...BC,
    field: "spec.cdn.bypassCacheOnRequestHeaders",
    subtree: true,
    gke: "Request headers that bypass the cache.",
    handling: "error",
    why: "Requests that carry these headers (often a signed-in user's) would be answered from the cache, which the service meant them never to be.",
    answer: always(
      `is not applied (${cdnNote}), so requests that carry these headers would be answered from the cache; make the service send Cache-Control: private or no-store on those responses and remove the field, or disable cdn`,
    ),
    example: [{ headerName: "x-no-cache" }],
    aws: BC_AWS,
  },
  cdnRow("clientTtl", "Maximum TTL sent to clients.", 60),
  cdnRow("defaultTtl", "TTL of responses without caching headers.", 60),
  cdnRow("maxTtl", "Upper bound of cached TTLs.", 3600),
  cdnRow("negativeCaching", "Caching of error responses.", true),
  cdnRow("negativeCachingPolicy", "TTL of error responses by status code.", [{ code: 404, ttl: 60 }], true),
  cdnRow("requestCoalescing", "Coalescing of concurrent cache fills.", false),
  cdnRow("serveWhileStale", "Serving stale content while revalidating.", 60),
  {
    ...BC,
    field: "spec.cdn.signedUrlCacheMaxAgeSec",
    gke: "How long responses to signed requests are cached.",
    handling: "error",
    why: "Fleetgate configures no signed URL keys, so content meant to be served only on signed URLs would be served to anyone; protect it in the service itself (or serve it from a bucket with signed URLs).",
    answer: always(
      "asks for signed URLs, but Fleetgate configures no Cloud CDN signed URL keys, so content meant to be served only on signed URLs would be served to anyone; check signatures in the service itself, or serve that content from a Cloud Storage bucket with signed URLs",
    ),
    example: 3600,
    aws: { handling: "error", why: "As behind GCP: signed URLs are not enforced." },
  },
  {
    ...BC,
    field: "spec.cdn.signedUrlKeys",
    subtree: true,
    gke: "Keys that sign Cloud CDN URLs.",
    handling: "error",
    why: "Fleetgate configures no signed URL keys, so content meant to be served only on signed URLs would be served to anyone; protect it in the service itself (or serve it from a bucket with signed URLs).",
    answer: always(
      "names Cloud CDN signed URL keys, which Fleetgate does not configure, so content meant to be served only on signed URLs would be served to anyone; check signatures in the service itself, or serve that content from a Cloud Storage bucket with signed URLs",
    ),
    example: [{ keyName: "k1", secretName: "cdn-key" }],
    aws: { handling: "error", why: "As behind GCP: signed URLs are not enforced." },
  },
  {
    ...BC,
    field: "spec.iap",
    subtree: true,
    gke: "Identity-Aware Proxy in front of the backend service.",
    handling: "error",
    why: "Fleetgate does not put IAP in front of the service, so it would be open to the internet; require sign-in in the service (or behind an authenticating proxy of your own) and remove iap.",
    answer: always(
      "asks for Identity-Aware Proxy, which Fleetgate does not configure: the service would be served to anyone on the internet without sign-in. Require sign-in in the service itself (or in an authenticating proxy you deploy in front of it), or restrict clients with a Cloud Armor policy (securityPolicy), and remove iap",
    ),
    example: { enabled: true, oauthclientCredentials: { secretName: "iap-secret" } },
    aws: { handling: "error", why: "As behind GCP: the service would be open without sign-in." },
  },
  {
    ...BC,
    field: "spec.logging.enable",
    gke: "Request logging of the backend service.",
    handling: "honoured",
    why: "The backend service's log config (false: sample rate 0).",
    shownBy: shown("sets the backend service's timeout, draining, Cloud Armor policy, affinity, logging and custom headers from the BackendConfig"),
    aws: BC_AWS,
  },
  {
    ...BC,
    field: "spec.logging.sampleRate",
    gke: "Share of requests logged.",
    handling: "honoured",
    why: "The backend service's log sample rate.",
    shownBy: shown("sets the backend service's timeout, draining, Cloud Armor policy, affinity, logging and custom headers from the BackendConfig"),
    aws: BC_AWS,
  },
  {
    ...BC,
    field: "spec.customRequestHeaders.headers",
    gke: "Headers the load balancer adds to requests.",
    handling: "honoured",
    why: "The backend service's custom request headers (one of GCP's 16 is the front door's dispatch tag).",
    shownBy: shown("sets the backend service's timeout, draining, Cloud Armor policy, affinity, logging and custom headers from the BackendConfig"),
    aws: BC_AWS,
  },
  {
    ...BC,
    field: "spec.customResponseHeaders.headers",
    gke: "Headers the load balancer adds to responses.",
    handling: "honoured",
    why: "The backend service's custom response headers.",
    shownBy: shown("sets the backend service's timeout, draining, Cloud Armor policy, affinity, logging and custom headers from the BackendConfig"),
    aws: BC_AWS,
  },
];

// --- FrontendConfig -----------------------------------------------------------------------------

const fcRows: FieldRow[] = [
  {
    ...FC,
    field: "metadata.name",
    gke: "The name an ingress's frontend-config annotation refers to.",
    handling: "honoured",
    why: "Looked up by name in the ingress's namespace.",
    shownBy: shown("refuses a frontend-config annotation that names no FrontendConfig"),
  },
  {
    ...FC,
    field: "metadata.namespace",
    gke: "The namespace of the ingresses that may use it.",
    handling: "honoured",
    why: "Only ingresses of the same namespace find it.",
    shownBy: shown("refuses a frontend-config annotation that names no FrontendConfig"),
  },
  {
    ...FC,
    field: "metadata.labels",
    gke: "Labels of the object itself; the load balancer reads none.",
    handling: "honoured",
    why: "Accepted as the object's own metadata, as GKE does; like GKE, Fleetgate derives nothing from them.",
    shownBy: shown("plans documents that carry labels of their own without a diagnostic"),
  },
  {
    ...FC,
    field: "spec.sslPolicy",
    gke: "The SSL policy of the ingress's HTTPS proxy.",
    handling: "warning",
    why: "The environment's one front door uses the SSL policy the admin sets (fleetgate:gcp.sslPolicy, fleetgate:tls.minVersion).",
    checkedIn: "spec/validate.ts",
    example: "gke-ingress-ssl-policy",
  },
  {
    ...FC,
    field: "spec.redirectToHttps.enabled",
    gke: "Redirect HTTP to HTTPS.",
    handling: "warning",
    why: "The front door always redirects HTTP to HTTPS, so true is what happens anyway and false is answered with a warning.",
    checkedIn: "spec/validate.ts",
    example: false,
  },
  {
    ...FC,
    field: "spec.redirectToHttps.responseCodeName",
    gke: "The redirect's status (MOVED_PERMANENTLY_DEFAULT, FOUND, SEE_OTHER, TEMPORARY_REDIRECT, PERMANENT_REDIRECT).",
    handling: "honoured",
    why: "The port-80 redirect of the hosts of the ingresses that name the FrontendConfig answers with this status: on GCP every code; behind AWS 301 and 302, the codes Gateway API's redirect filter has, and the others are refused with the nearest it can give.",
    shownBy: shown("on GCP gives the hosts of each code other than 301 a host rule whose path matcher redirects with it", "test/spec/https-redirect.test.ts"),
  },
];

// --- GKE's Gateway policies ---------------------------------------------------------------------

const POLICIES_TEST = "test/spec/gke-policies.test.ts";
const SAME_PLAN = "gives the same backend plan for a BackendConfig and the equivalent GCPBackendPolicy and HealthCheckPolicy";
const POLICY_AWS = {
  handling: "warning",
  why: "Read as the BackendConfig field it equals, which the AWS front door does not apply; Fleetgate warns at the policy's field (spec/validate.ts).",
} as const;

/** The target rows every policy kind has. */
const targetRows = (kind: typeof GBP | typeof HCP | typeof GGP, target: string): FieldRow[] =>
  (["group", "kind", "name", "namespace"] as const).map((f) => ({
    ...kind,
    field: `spec.targetRef.${f}`,
    gke: `The ${f} of the object the policy attaches to.`,
    handling: "honoured",
    why: `The policy applies to ${target}; a target of another kind or namespace, one that names nothing, or one a policy of the same kind already targets is an error at the field.`,
    shownBy: shown(
      kind === GGP
        ? "refuses a GCPGatewayPolicy that targets another gateway than the fleet's, with the name to write"
        : "refuses a policy whose target names no MultiClusterService, suggesting the name meant",
      POLICIES_TEST,
    ),
  }));

/** A backend policy field read as a BackendConfig field. */
const asBackendConfig = (
  kind: typeof GBP | typeof HCP,
  field: string,
  gke: string,
  bcField: string,
  note?: string,
  aws: FieldRow["aws"] = POLICY_AWS,
): FieldRow => ({
  ...kind,
  field,
  gke,
  handling: "honoured",
  why: `Read as BackendConfig ${bcField}, and handled as that field is${note !== undefined ? `; ${note}` : ""}.`,
  shownBy: shown(SAME_PLAN, POLICIES_TEST),
  ...(aws ? { aws } : {}),
});

const gbpRows: FieldRow[] = [
  ...targetRows(GBP, "the backend service of the MultiClusterService the Service or ServiceImport names (every port of it)"),
  asBackendConfig(GBP, "spec.default.timeoutSec", "Backend service timeout.", "spec.timeoutSec"),
  asBackendConfig(GBP, "spec.default.connectionDraining.drainingTimeoutSec", "Connection draining timeout.", "spec.connectionDraining.drainingTimeoutSec"),
  asBackendConfig(GBP, "spec.default.logging.enabled", "Request logging (off by default).", "spec.logging.enable", "absent, it is false, GKE's default"),
  asBackendConfig(
    GBP,
    "spec.default.logging.sampleRate",
    "Share of requests logged, in millionths.",
    "spec.logging.sampleRate",
    "divided by 1,000,000, and only with enabled: true (an error at the field otherwise)",
  ),
  asBackendConfig(
    GBP,
    "spec.default.sessionAffinity.type",
    "Session affinity.",
    "spec.sessionAffinity.affinityType",
    "NONE, CLIENT_IP and GENERATED_COOKIE, the types BackendConfig has; the others are refused at the field",
    undefined,
  ),
  asBackendConfig(GBP, "spec.default.sessionAffinity.cookieTtlSec", "Lifetime of the affinity cookie.", "spec.sessionAffinity.affinityCookieTtlSec"),
  asBackendConfig(GBP, "spec.default.securityPolicy", "Cloud Armor policy of the backend service.", "spec.securityPolicy.name"),
  {
    ...GBP,
    field: "spec.default.iap",
    subtree: true,
    gke: "Identity-Aware Proxy in front of the backend service.",
    handling: "error",
    why: "Read as BackendConfig spec.iap, which is refused: Fleetgate does not put IAP in front of the service, so it would be open to the internet.",
    checkedIn: "spec/gke-policies.ts (answered as BackendConfig spec.iap)",
    example: { enabled: true, clientID: "client", oauth2ClientSecret: { name: "iap-secret" } },
    aws: { handling: "error", why: "As behind GCP: the service would be open without sign-in." },
  },
  {
    ...GBP,
    field: "spec.default.maxRatePerEndpoint",
    gke: "Target requests per second of each endpoint (its capacity).",
    handling: "warning",
    why: "The front door's backends take one fixed rate per endpoint so that the clusters' weights alone (their capacity scalers) divide traffic; a share per cluster is the MultiClusterService's spec.clusters[].fleetgate.weight.",
    answer: always(
      "is not applied: the front door gives every endpoint one fixed rate so that the clusters' weights alone divide the traffic, and traffic goes nearest-first, not by load; set each cluster's share with the MultiClusterService's spec.clusters[].fleetgate.weight",
    ),
    example: 100,
  },
  {
    ...GBP,
    field: "spec.default.backendPreference",
    gke: "PREFERRED backends are filled before DEFAULT ones.",
    handling: "warning",
    why: "DEFAULT is what happens anyway; PREFERRED is answered with a warning, since the order clusters are used in is the MultiClusterService's spec.fleetgate.failover.",
    answer: (value) =>
      value === "DEFAULT"
        ? undefined
        : `is ${JSON.stringify(value)}, but a policy cannot mark clusters as preferred here: traffic goes to the nearest healthy cluster, and the order clusters take over in is the MultiClusterService's spec.fleetgate.failover; write the order there and remove backendPreference`,
    example: "PREFERRED",
  },
];

const HTTP_MEMBERS = ["httpHealthCheck", "httpsHealthCheck", "http2HealthCheck"] as const;

const memberRows = (member: (typeof HTTP_MEMBERS)[number]): FieldRow[] => {
  const at = `spec.default.config.${member}`;
  return [
    asBackendConfig(HCP, `${at}.requestPath`, "Path the check requests.", "spec.healthCheck.requestPath"),
    asBackendConfig(HCP, `${at}.port`, "The pods' port the check is sent to (with USE_FIXED_PORT).", "spec.healthCheck.port"),
    asBackendConfig(
      HCP,
      `${at}.portSpecification`,
      "How the port is chosen: USE_SERVING_PORT (default), USE_FIXED_PORT, USE_NAMED_PORT.",
      "spec.healthCheck.port",
      "USE_FIXED_PORT takes port, USE_SERVING_PORT leaves it out; USE_NAMED_PORT is refused at the field",
    ),
    {
      ...HCP,
      field: `${at}.portName`,
      gke: "An instance group's named port (with USE_NAMED_PORT).",
      handling: "error",
      why: "Named ports are an instance group's; the front door's backends are the gateways' NEGs, which have none, so the check would go elsewhere than meant.",
      answer: always(
        "names an instance group's named port, but the front door's backends are the gateways' NEGs, which have no named ports, so the check could not go where you mean; write portSpecification: USE_FIXED_PORT and the pods' port number in port",
      ),
      example: "health",
    },
    {
      ...HCP,
      field: `${at}.host`,
      gke: "The Host header of the check.",
      handling: "warning",
      why: "The check reaches a gateway first, which routes it by host, so it carries one of the service's own hosts (the first it serves).",
      answer: always(
        "is not applied: the front door's check reaches a gateway first, which routes it to the service by host, so the check carries one of the service's own hosts (the first it serves); serve the health endpoint on every host of the service and remove host",
      ),
      example: "health.example.com",
    },
    {
      ...HCP,
      field: `${at}.proxyHeader`,
      gke: "A PROXY protocol header before the check (NONE, PROXY_V1).",
      handling: "warning",
      why: "NONE is what happens; the gateways forward the check as a plain request, so PROXY_V1 is answered with a warning.",
      answer: (value) =>
        value === "NONE"
          ? undefined
          : `is ${JSON.stringify(value)}, but the check reaches the pods through a gateway, which forwards it as a plain request without a PROXY header (as it forwards all traffic); remove proxyHeader`,
      example: "PROXY_V1",
    },
    {
      ...HCP,
      field: `${at}.response`,
      gke: "A string the response body must contain.",
      handling: "error",
      why: "Fleetgate's checks judge by status code alone, so a pod answering without the string would be taken as healthy.",
      answer: always(
        "asks the check to find a string in the response, but the front door's checks through the gateways judge by status code alone, so a pod whose answer lacks the string would still be sent traffic; make the health endpoint answer with a non-2xx status when unhealthy, and remove response",
      ),
      example: "OK",
    },
  ];
};

const hcpRows: FieldRow[] = [
  ...targetRows(HCP, "the health check of the MultiClusterService the Service or ServiceImport names (every port of it)"),
  asBackendConfig(HCP, "spec.default.checkIntervalSec", "Health check interval.", "spec.healthCheck.checkIntervalSec"),
  asBackendConfig(HCP, "spec.default.timeoutSec", "Health check timeout.", "spec.healthCheck.timeoutSec"),
  asBackendConfig(HCP, "spec.default.healthyThreshold", "Successes that make a backend healthy.", "spec.healthCheck.healthyThreshold"),
  asBackendConfig(HCP, "spec.default.unhealthyThreshold", "Failures that make a backend unhealthy.", "spec.healthCheck.unhealthyThreshold"),
  asBackendConfig(
    HCP,
    "spec.default.config.type",
    "Health check protocol (TCP, HTTP, HTTPS, HTTP2, GRPC).",
    "spec.healthCheck.type",
    "HTTP, HTTPS and HTTP2; TCP and GRPC are refused at the field, since the gateways forward checks in HTTP",
  ),
  ...HTTP_MEMBERS.flatMap(memberRows),
  ...(["tcpHealthCheck", "grpcHealthCheck"] as const).map((member): FieldRow => ({
    ...HCP,
    field: `spec.default.config.${member}`,
    subtree: true,
    gke: `The settings of a ${member === "tcpHealthCheck" ? "TCP" : "gRPC"} check.`,
    handling: "error",
    why: "The front door checks each service through the gateways, which forward the check to the pods in HTTP, HTTPS or HTTP2 only.",
    answer: always(
      `sets up a ${member === "tcpHealthCheck" ? "TCP" : "gRPC"} check, but the front door checks each service through the gateways, which forward the check to the pods in HTTP, HTTPS or HTTP2 only; give the pods an HTTP health endpoint and use httpHealthCheck with its requestPath instead`,
    ),
    example: member === "tcpHealthCheck" ? { request: "PING", response: "PONG" } : { grpcServiceName: "shop.Health" },
  })),
  {
    ...HCP,
    field: "spec.default.logConfig.enabled",
    gke: "Export of health check logs.",
    handling: "warning",
    why: "Fleetgate's health checks export no logs; false is what happens, true is answered with a warning.",
    answer: (value) =>
      value === true
        ? "is not applied: the front door's health checks export no logs; watch the backends' health in the backend service's health status instead, and remove logConfig"
        : undefined,
    example: true,
  },
];

const ggpRows: FieldRow[] = [
  ...targetRows(GGP, "the environment's fleet gateway: its name and namespace are the admin's (the Gateway manifest, else fleetgate:gateway)"),
  {
    ...GGP,
    field: "spec.default.sslPolicy",
    gke: "The SSL policy of the gateway's HTTPS proxy.",
    handling: "warning",
    why: "The environment's one front door uses the SSL policy the admin sets (fleetgate:gcp.sslPolicy, fleetgate:tls.minVersion); the same name is accepted without a word, another answered with a warning.",
    checkedIn: "spec/gke-policies.ts",
    example: "team-ssl-policy",
  },
  {
    ...GGP,
    field: "spec.default.allowGlobalAccess",
    gke: "Clients from every region may reach an internal regional load balancer.",
    handling: "warning",
    why: "The front door is global and external, reachable from everywhere; false is accepted without a word, true answered with a warning.",
    answer: (value) =>
      value === true
        ? `is not applied: global access is a setting of internal regional load balancers ${cite(gatewayPolicyFields)}, and the front door is a global external one that clients everywhere reach already; remove allowGlobalAccess`
        : undefined,
    example: true,
  },
  {
    ...GGP,
    field: "spec.default.region",
    gke: "The region of a regional multi-cluster Gateway's load balancer.",
    handling: "warning",
    why: "The front door is global: it serves from every region where the environment has clusters.",
    answer: always(
      `is not applied: it is the load balancer's region of a multi-cluster Gateway ${cite(gatewayPolicyFields)}, and the front door is a global load balancer that serves every region where the environment has clusters, not a regional one; remove region`,
    ),
    example: "us-central1",
  },
];

// --- Gateway (the platform admin's GKE multi-cluster Gateway, spec/fleet-gateway.ts) --------------

const GW_CHECKS = "spec/fleet-gateway.ts";
const gwShown = (title: string) => shown(title, GATEWAY_TEST);

const gwRows: FieldRow[] = [
  {
    ...GW,
    field: "metadata.name",
    gke: "The Gateway's name, which HTTPRoutes' parentRefs name.",
    handling: "honoured",
    why: "HTTPRoutes attach to it by this name (instead of the implicit fleetgate); one Gateway per environment.",
    shownBy: gwShown("a parentRef to the implicit gateway's name names the admin's Gateway instead"),
  },
  {
    ...GW,
    field: "metadata.namespace",
    gke: "The Gateway's namespace.",
    handling: "honoured",
    why: "It must be the gateway namespace (fleetgate:gateway.namespace), whose folder is the platform team's; a Gateway in a team's folder is refused.",
    shownBy: gwShown("a Gateway in a team's folder is refused: the gateway namespace's folder is the platform team's"),
  },
  {
    ...GW,
    field: "metadata.labels",
    gke: "Labels of the object itself.",
    handling: "honoured",
    why: "Accepted as the object's own metadata; Fleetgate derives nothing from them, as GKE derives nothing for the load balancer.",
    shownBy: gwShown("the base spec with the admin's Gateway and a route attached to it is valid"),
  },
  {
    ...GW,
    field: "spec.gatewayClassName",
    gke: "The GatewayClass: which load balancer GKE makes.",
    handling: "honoured",
    why: "Must be gke-l7-global-external-managed-mc, the class whose place the front door takes; another class is refused with the class to write (behind AWS too, where only the listeners apply).",
    shownBy: gwShown("a Gateway of another class is refused, naming the class Fleetgate reads"),
  },
  {
    ...GW,
    field: "spec.listeners[].name",
    gke: "The listener's name, which a route's sectionName names.",
    handling: "honoured",
    why: "A parentRef's sectionName attaches the route to the listener of this name; an unknown one is refused with a did-you-mean.",
    shownBy: gwShown("a parentRef whose sectionName names a listener attaches to it"),
  },
  {
    ...GW,
    field: "spec.listeners[].hostname",
    gke: "The host or wildcard the listener serves.",
    handling: "honoured",
    why: "Routes' hostnames are intersected with it per the Gateway API (wildcards included); the intersection is what the front door serves, and the host grants must admit it too.",
    shownBy: gwShown("serves a route wildcard on a listener's exact host as that host"),
  },
  {
    ...GW,
    field: "spec.listeners[].port",
    gke: "The port of the forwarding rule.",
    handling: "honoured",
    why: "443 for HTTPS and 80 for HTTP, the ports the front door serves; others are refused.",
    shownBy: gwShown("an HTTPS listener on another port than 443 is refused"),
  },
  {
    ...GW,
    field: "spec.listeners[].protocol",
    gke: "HTTP or HTTPS.",
    handling: "honoured",
    why: "HTTPS is served by the front door; HTTP is accepted with a warning, since the front door's port 80 redirects every host to HTTPS: a route attached only to HTTP listeners is refused, and one that only redirects there to HTTPS draws a warning; other protocols are refused.",
    shownBy: gwShown("an HTTP listener on 80 is accepted with a warning: port 80 redirects to HTTPS"),
  },
  {
    ...GW,
    field: "spec.listeners[].tls.mode",
    gke: "Terminate (TLS ends at the load balancer).",
    handling: "honoured",
    why: "Terminate is what the front door does; Passthrough is refused.",
    shownBy: gwShown("Passthrough TLS is refused"),
  },
  {
    ...GW,
    field: "spec.listeners[].tls.certificateRefs",
    subtree: true,
    gke: "Certificates in Kubernetes Secrets.",
    handling: "error",
    why: "The front door is one load balancer in front of every cluster and serves Certificate Manager certificates: those Fleetgate issues per host, or those named in the cert-manager-certs option. (That GKE's multi-cluster Gateways take no Secrets either is recorded, unconfirmed, in gke.mc-gateway-certificates.)",
    checkedIn: GW_CHECKS,
    example: [{ name: "shop-tls" }],
  },
  {
    ...GW,
    field: "spec.listeners[].tls.options",
    gke: "networking.gke.io/cert-manager-certs (Certificate Manager certificates) and networking.gke.io/pre-shared-certs (Compute Engine SSL certificates).",
    handling: "honoured",
    why: "cert-manager-certs serve the listener's hosts from the environment's certificate map, as an ingress's fleetgate.io/certificate-manager-certs (refused behind AWS); pre-shared-certs draw the ingress annotation's warning (a certificate map cannot serve Compute Engine certificates); other options draw a warning.",
    shownBy: gwShown("serves a listener's hosts with the Certificate Manager certificates its cert-manager-certs option names"),
  },
  {
    ...GW,
    field: "spec.listeners[].tls.frontendValidation",
    subtree: true,
    gke: "Client certificate validation (mTLS at the load balancer).",
    handling: "error",
    why: "The front door does not verify client certificates.",
    checkedIn: GW_CHECKS,
    example: { caCertificateRefs: [{ group: "", kind: "ConfigMap", name: "ca" }] },
  },
  {
    ...GW,
    field: "spec.listeners[].allowedRoutes.namespaces.from",
    gke: "Which namespaces' routes attach: Same (default), All, Selector.",
    handling: "honoured",
    why: "Same and All as the Gateway API says, with the host grants as a second gate; Selector is refused, since Fleetgate knows no namespace labels.",
    shownBy: gwShown("a listener that admits its own namespace only (allowedRoutes absent: Same) refuses a team's route"),
  },
  {
    ...GW,
    field: "spec.listeners[].allowedRoutes.namespaces.selector",
    subtree: true,
    gke: "The labels of the namespaces whose routes attach.",
    handling: "error",
    why: "Fleetgate knows no namespace labels: namespaces are the team folders, and the admin's config grants them hosts, not labels.",
    checkedIn: GW_CHECKS,
    example: { matchLabels: { team: "shop" } },
  },
  {
    ...GW,
    field: "spec.listeners[].allowedRoutes.kinds",
    subtree: true,
    gke: "The route kinds that may attach.",
    handling: "honoured",
    why: "HTTPRoute, the one route kind Fleetgate reads; another kind is refused, and a listener whose kinds lack HTTPRoute admits no route (an empty list is an absent one: the protocol decides, HTTPRoute).",
    shownBy: gwShown("allowedRoutes.kinds without HTTPRoute admits no route, and is refused at the Gateway"),
  },
  {
    ...GW,
    field: "spec.addresses",
    subtree: true,
    gke: "The reserved global address (NamedAddress) or its IP (IPAddress) the load balancer serves on.",
    handling: "honoured",
    why: "The environment's own address, or an address the admin adopted (fleetgate:gcp.adoptAddresses), which the routes' hosts then point at, as an ingress's static-ip annotation; one address only.",
    aws: { handling: "error", why: "Global Accelerator allocates its own static addresses." },
    checkedIn: GW_CHECKS,
    example: [{ type: "NamedAddress", value: "fg-test" }],
    shownBy: gwShown("points the routes' hosts at the adopted address the Gateway names, by name or by IP"),
  },
  {
    ...GW,
    field: "spec.infrastructure",
    subtree: true,
    gke: "Labels and annotations for the load balancer's resources, and a parametersRef.",
    handling: "error",
    why: "The front door's resources are Fleetgate's and carry its own names and labels.",
    answer: always(
      "is not applied: the front door's resources are Fleetgate's and carry its own names and labels, so labels, annotations and parameters asked for here would be missing; remove it",
    ),
    example: { labels: { team: "platform" } },
  },
  {
    ...GW,
    field: "spec.backendTLS",
    subtree: true,
    gke: "The client certificate the load balancer shows backends.",
    handling: "error",
    why: "The front door reaches the gateways with Fleetgate's own settings, and the gateways the services through the mesh's mTLS.",
    answer: always(
      "is not applied: the front door reaches the gateways with Fleetgate's own settings, and the gateways reach the services through the mesh's mTLS; remove it",
    ),
    example: { clientCertificateRef: { name: "client" } },
  },
  {
    ...GW,
    field: "spec.tls",
    subtree: true,
    gke: "Gateway-wide TLS: client certificate validation (frontend) and the certificate shown to backends.",
    handling: "error",
    why: "The front door does not verify client certificates, and reaches the gateways with Fleetgate's own settings.",
    answer: always("is not applied: the front door does not verify client certificates, and reaches the gateways with Fleetgate's own settings; remove it"),
    example: { frontend: { default: { validation: { caCertificateRefs: [{ group: "", kind: "ConfigMap", name: "ca" }] } } } },
  },
  {
    ...GW,
    field: "spec.allowedListeners",
    subtree: true,
    gke: "Which ListenerSets may add listeners to the Gateway.",
    handling: "error",
    why: "The front door's listeners are the ones in this manifest; Fleetgate reads no ListenerSets.",
    answer: always("is not applied: the front door's listeners are the ones in this manifest, and Fleetgate reads no ListenerSets; remove it"),
    example: { namespaces: { from: "Same" } },
  },
  {
    ...GW,
    field: "annotation:networking.gke.io/certmap",
    gke: "A Certificate Manager certificate map the load balancer serves.",
    handling: "error",
    why: "The front door serves the environment's own certificate map, with an entry per host; name a listener's certificates in its cert-manager-certs option instead.",
    answer: always(
      "names a certificate map, but the front door serves the environment's own certificate map, with an entry per host; name the listener's Certificate Manager certificates in its tls.options networking.gke.io/cert-manager-certs instead",
    ),
    example: "shop-map",
  },
];

// --- Annotations of GKE's domains that no row names ----------------------------------------------

/** Annotation domains GKE's load balancing reads; an annotation there that no row names is answered. */
export const GKE_ANNOTATION_DOMAINS = [
  "networking.gke.io/",
  "cloud.google.com/",
  "beta.cloud.google.com/",
  "ingress.gcp.kubernetes.io/",
  "ingress.kubernetes.io/",
] as const;

const otherAnnotations: FieldRow[] = [MCS, MCI, BC, FC, GBP, HCP, GGP, GW].map((kind) => ({
  ...kind,
  field: "annotation:*",
  gke: "Other annotations of GKE's load-balancing domains (networking.gke.io/, cloud.google.com/, ingress.gcp.kubernetes.io/, …).",
  handling: "warning",
  why: "Fleetgate reads no other annotation of these domains, so one GKE might read is answered rather than dropped; annotations of other domains are the object's own metadata.",
  answer: always(
    `is a GKE annotation Fleetgate does not read, so it changes nothing here; remove it, or see docs/gke-fields.md for the annotations Fleetgate reads`,
  ),
  example: "true",
}));

/** Every row, sorted by group, kind and field. */
export const FIELD_ROWS: readonly FieldRow[] = [
  ...mcsRows,
  ...mciRows,
  ...bcRows,
  ...fcRows,
  ...gbpRows,
  ...hcpRows,
  ...ggpRows,
  ...gwRows,
  ...otherAnnotations,
].sort((a, b) => compare(rowKey(a), rowKey(b)));

export function rowKey(row: Pick<FieldRow, "group" | "kind" | "field">): string {
  return `${row.group} ${row.kind} ${row.field}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The row that covers a field of a kind: its own, or the nearest parent's that covers its subtree. */
export function rowFor(kind: string, field: string): FieldRow | undefined {
  const rows = FIELD_ROWS.filter((r) => r.kind === kind);
  const own = rows.find((r) => r.field === field);
  if (own) return own;
  return rows.find((r) => r.subtree === true && (field.startsWith(`${r.field}.`) || field.startsWith(`${r.field}[]`)));
}

/** The description the JSON Schema gives a GKE field Fleetgate only answers. */
export function answeredDescription(kind: string, field: string): string {
  const row = rowFor(kind, field);
  if (!row) throw new Error(`no field-handling row for ${kind} ${field}`);
  const word = row.handling === "error" ? "refuses" : "accepts, with a warning,";
  return `GKE: ${row.gke} Fleetgate ${word} this field: ${row.why}`;
}

// --- Answering ----------------------------------------------------------------------------------

/** One answer of the registry: where, what, how severe. */
export interface FieldAnswer {
  readonly path: PathSegment[];
  readonly message: string;
  readonly severity: Severity;
}

/** The values at a row's field in a document, each with its concrete path (`[]` expanded). */
export function valuesAt(doc: unknown, field: string): { path: PathSegment[]; value: unknown }[] {
  const steps = field.split(".").flatMap((part) => (part.endsWith("[]") ? [part.slice(0, -2), "[]"] : [part]));
  let found: { path: PathSegment[]; value: unknown }[] = [{ path: [], value: doc }];
  for (const step of steps) {
    found = found.flatMap(({ path, value }) => {
      if (step === "[]") return Array.isArray(value) ? value.map((v, i) => ({ path: [...path, i], value: v })) : [];
      if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
      const next = (value as Record<string, unknown>)[step];
      return next === undefined ? [] : [{ path: [...path, step], value: next }];
    });
  }
  return found;
}

/** What the registry answers for one document of a kind: every answered field and annotation it holds. */
export function answerFields(kind: string, doc: unknown, ctx: FieldContext): FieldAnswer[] {
  const out: FieldAnswer[] = [];
  const rows = FIELD_ROWS.filter((r) => r.kind === kind);
  // Behind AWS a row with an AWS handling of its own is answered here only when that is an error: the
  // BackendConfig warnings behind AWS are spec/validate.ts's (one per field it does not apply).
  const severityOf = (row: FieldRow): Severity | undefined => {
    if (ctx.frontDoor === "aws" && row.aws) return row.aws.handling === "error" ? "error" : undefined;
    return row.handling === "honoured" ? undefined : row.handling;
  };
  const annotations = ((doc as { metadata?: { annotations?: Record<string, string> } }).metadata?.annotations ?? {}) as Record<string, string>;
  const named = new Set(rows.filter((r) => r.field.startsWith("annotation:")).map((r) => r.field.slice("annotation:".length)));
  for (const row of rows) {
    const severity = severityOf(row);
    if (row.answer === undefined || severity === undefined) continue;
    if (row.field === "annotation:*") {
      for (const key of Object.keys(annotations).sort())
        if (!named.has(key) && GKE_ANNOTATION_DOMAINS.some((d) => key.startsWith(d))) {
          const message = row.answer(annotations[key], ctx);
          if (message !== undefined) out.push({ path: ["metadata", "annotations", key], message, severity });
        }
      continue;
    }
    const hits = row.field.startsWith("annotation:")
      ? annotations[row.field.slice("annotation:".length)] !== undefined
        ? [{ path: ["metadata", "annotations", row.field.slice("annotation:".length)], value: annotations[row.field.slice("annotation:".length)] }]
        : []
      : valuesAt(doc, row.field);
    for (const hit of hits) {
      const message = row.answer(hit.value, ctx);
      if (message !== undefined) out.push({ path: hit.path, message, severity });
    }
  }
  return out;
}

/** The path a row's field is reported at, for a document whose lists have one element each. */
export function firstPath(field: string): string {
  if (field.startsWith("annotation:")) return formatPath(["metadata", "annotations", field.slice("annotation:".length)]);
  return formatPath(field.split(".").flatMap((part) => (part.endsWith("[]") ? [part.slice(0, -2), 0] : [part])));
}

/**
 * Answers, at the field, every GKE field and annotation of the documents that the registry answers
 * (called once from spec/validate.ts).
 */
export function checkGkeFields(
  documents: LoadedDocuments,
  frontDoor: FieldContext["frontDoor"],
  at: (doc: { locate: Locator }, path: PathSegment[], message: string, severity?: Severity) => void,
): void {
  const all = [
    ...documents.services,
    ...documents.ingresses,
    ...documents.backendConfigs,
    ...documents.frontendConfigs,
    ...documents.gcpBackendPolicies,
    ...documents.healthCheckPolicies,
    ...documents.gcpGatewayPolicies,
    ...documents.gateways,
  ];
  for (const loaded of all) for (const a of answerFields(loaded.kind, loaded.doc, { frontDoor })) at(loaded, a.path, a.message, a.severity);
}
