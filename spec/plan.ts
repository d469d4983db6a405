/**
 * The FleetPlan: everything Fleetgate will build for one environment, as plain, sorted, deterministic
 * data. It has no Pulumi types and no secrets (secret values are referenced by config key only), so it
 * can be printed, diffed and tested without an engine. Components receive it and decide nothing
 * themselves that is not written here.
 */

export type ClusterProvider = "gke" | "eks" | "other";

/** A way a front door reaches a gateway: GCP by zonal NEG (GKE) or internet NEG (a public host name);
 * AWS by accelerator (EKS NLBs only) or by latency DNS (EKS NLBs, or a public host name in an AWS region). */
export type FrontDoorMode = "gcp" | "aws-accelerator" | "aws-latency-dns";
export type FrontDoorProvider = "gcp" | "aws";

export interface FleetPlan {
  /** The environment (the Pulumi stack name). */
  readonly environment: string;
  readonly frontDoor: FrontDoorPlan;
  /** Every cluster of the fleet, sorted by name. */
  readonly clusters: readonly ClusterPlan[];
  /** Every MultiClusterService, sorted by key (`namespace/name`). */
  readonly services: readonly ServicePlan[];
  /** Every host served, sorted by name. */
  readonly hosts: readonly HostPlan[];
  /** Certificates to issue, sorted by domain; hosts refer to them by domain. */
  readonly certificates: readonly CertificatePlan[];
  /** DNS zones that receive records, sorted by domain. */
  readonly dnsZones: readonly DnsZonePlan[];
  readonly trust: TrustPlan;
  readonly mesh: MeshPlan;
  /**
   * Who serves the environment's catch-all (requests for host names no rule names, and requests by IP
   * address): the granted namespace's ingress (`fleetgate:catchAll`, spec/catch-all.ts). Absent: the
   * gateways answer them 404.
   */
  readonly catchAll?: CatchAllPlan;
}

export interface CatchAllPlan {
  /** The service key `namespace/name` of the ingress's default backend. */
  readonly service: string;
  readonly port: number;
  /** The ingress that serves it, `namespace/name`, and its team folder. */
  readonly ingress: string;
  readonly team: string;
}

// --- Front door --------------------------------------------------------------------------------

export type FrontDoorPlan = GcpFrontDoorPlan | AwsFrontDoorPlan;

export interface GcpFrontDoorPlan {
  readonly provider: "gcp";
  readonly project: string;
  /** Name of the environment's global IPv4 address (and, with `ipv6`, the IPv6 one with suffix `-v6`). */
  readonly addressName: string;
  readonly ipv6: boolean;
  /**
   * Global addresses reserved outside Fleetgate that the front door serves on too (fleetgate:gcp.adoptAddresses,
   * spec/static-ip.ts), sorted by name: each gets forwarding rules of its own on the same proxies, and
   * the hosts of the ingresses that name it in their static-ip annotation get DNS records pointing at it.
   */
  readonly adoptedAddresses: readonly AdoptedAddressPlan[];
  readonly minTlsVersion: "1.2" | "1.3";
  readonly sslPolicyProfile: "COMPATIBLE" | "MODERN" | "RESTRICTED";
  readonly securityPolicy?: string;
  readonly requireSecurityPolicy: boolean;
  readonly logSampleRate: number;
  /** How long an update waits for each managed certificate to be ACTIVE before its host's records; absent: no wait. */
  readonly awaitCertificatesSeconds?: number;
}

/** A global address reserved outside Fleetgate: read, served on, never created, changed or deleted. */
export interface AdoptedAddressPlan {
  /** Its name in the front door's project. */
  readonly name: string;
  /** The IP address it holds, as the admin declared it. */
  readonly address: string;
  readonly ipVersion: "IPV4" | "IPV6";
  /** Hosts whose records point at it instead of the environment's address of that IP version, sorted. */
  readonly hosts: readonly string[];
}

export interface AwsFrontDoorPlan {
  readonly provider: "aws";
  readonly mode: "accelerator" | "latency-dns";
  readonly dualStack: boolean;
  readonly clientAffinity: "NONE" | "SOURCE_IP";
  readonly globalRegion: string;
  readonly minTlsVersion: "1.2" | "1.3";
  /** Regions that have serving clusters, sorted. */
  readonly regions: readonly string[];
}

// --- Clusters ----------------------------------------------------------------------------------

export type ClusterAccessPlan =
  | { readonly kind: "kubeconfig"; readonly configKey: string; readonly entry: string }
  | { readonly kind: "gke"; readonly project: string; readonly location: string; readonly clusterName: string }
  | { readonly kind: "eks"; readonly clusterName: string; readonly region: string; readonly roleArn?: string };

export interface ClusterPlan {
  readonly name: string;
  readonly provider: ClusterProvider;
  readonly region: string;
  /** Sorted. */
  readonly zones: readonly string[];
  readonly network: string;
  /** Sorted by key. */
  readonly labels: Readonly<Record<string, string>>;
  readonly access: ClusterAccessPlan;
  /** The admin drained the whole cluster. */
  readonly drained: boolean;
  /** Present when the cluster serves at least one service (drained clusters keep theirs). */
  readonly gateway?: GatewayPlan;
  /** The front doors that can send traffic to this cluster's gateway, whichever the environment uses. */
  readonly reachableBy: readonly FrontDoorMode[];
  readonly istio: ClusterIstioPlan;
  /** The multi-cluster Services implementation that runs here; ServiceExports only where one does. */
  readonly multiClusterServices: "none" | "gke-fleet" | "mcs-api";
  /** Whether Fleetgate installs the Gateway API CRDs here (`manage`) or checks those installed (`check`): fleetgate:gatewayApi.crds. */
  readonly gatewayApiCrds: "manage" | "check";
  /**
   * The AWS region the AWS front door places the cluster in: its own for EKS, else its latency region
   * (the admin's, its region when that is an AWS region, or the AWS region nearest to its GCP region).
   * Absent when the front door is not AWS.
   */
  readonly awsRegion?: string;
}

/**
 * The NLB the AWS Load Balancer Controller makes for an EKS gateway, from a LoadBalancer Service of
 * Fleetgate's own that selects the gateway's pods: only these ports are listeners (the Service Istio
 * makes for the Gateway also has Istio's status port, and stays ClusterIP).
 */
export interface NlbPlan {
  /** The Service's name, in the gateway's namespace; the NLB is found by it. */
  readonly serviceName: string;
  /** Listener ports; TLS on `tlsPort` (with the region's certificates), plain TCP on the others. */
  readonly ports: readonly { readonly name: string; readonly port: number }[];
  readonly tlsPort?: number;
  /** Dual-stack NLB (latency-dns with dualStack). */
  readonly dualStack: boolean;
  /** Proxy protocol v2 to the gateway pods, which then learn the client's address. */
  readonly proxyProtocol: boolean;
}

export interface GatewayPlan {
  readonly namespace: string;
  readonly name: string;
  readonly className: "istio";
  /**
   * Port of the gateway's host-routing HTTP listeners: one per host, carrying the host's routes. Behind
   * an AWS front door (EKS) it is 443, where the NLB sends what it decrypted; otherwise 80.
   */
  readonly port: number;
  /**
   * Port of the dispatch listener (GKE clusters behind the GCP front door): the port the gateway NEGs
   * expose. The front door tags each request with the backend it chose (components/dispatch.ts), and the
   * routes on this listener forward a tagged request to that Service without routing it again; the
   * front door's health checks arrive here too, each on its service port's reserved path. Absent:
   * the gateway has no dispatch listener and the front door reaches its host-routing listeners.
   */
  readonly dispatchPort?: number;
  /**
   * Port of the plain-HTTP listener that only redirects to HTTPS (EKS clusters behind the AWS front door,
   * whose NLB terminates TLS on `port`). Absent: no such listener.
   */
  readonly redirectPort?: number;
  /** Hosts with a listener on this gateway, sorted. */
  readonly hosts: readonly string[];
  /**
   * The gateway serves the environment's catch-all (FleetPlan.catchAll) for hosts it has no listener
   * for: a listener without host name on `port` (and the redirect port's) whose route forwards to that
   * service. Set where the front door reaches the host-routing listeners (no dispatch port): a
   * dispatching gateway gets the catch-all's requests tagged, on its dispatch listener.
   */
  readonly catchAll?: true;
  /**
   * What the gateway takes from the front door's X-Forwarded-* headers: how many proxies' X-Forwarded-For
   * entries to trust (Envoy then also keeps their X-Forwarded-Proto, and takes the client's address from
   * X-Forwarded-For), and the scheme its host routes set where a front door that adds no headers
   * terminated TLS.
   */
  readonly forwarded: { readonly trustedProxies: number; readonly proto?: "https"; readonly proxyProtocol?: true };
  /** Keys of the services this cluster serves, sorted. */
  readonly services: readonly string[];
  readonly replicas: number;
  readonly resources: { readonly requests: Readonly<Record<string, string>>; readonly limits: Readonly<Record<string, string>> };
  readonly autoscaling: {
    readonly enabled: boolean;
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly targetCPUUtilizationPercentage: number;
  };
  readonly podDisruptionBudget: { readonly minAvailable: number };
  /** The public name of the gateway's load balancer (non-GKE clusters behind a GCP front door; non-EKS in latency DNS). */
  readonly publicHostname?: string;
  readonly publicPort: number;
  /**
   * The name of the zonal network endpoint groups of the gateway Service (GKE clusters): they expose the
   * dispatch port when there is one, else `port`.
   */
  readonly negName?: string;
  /** EKS: the gateway's NLB. */
  readonly nlb?: NlbPlan;
}

export interface ClusterIstioPlan {
  /** Fleetgate installs istio-base and istiod here. */
  readonly install: boolean;
  /** The Istio network this cluster is on. */
  readonly network: string;
  /** The Istio cluster ID (the Fleetgate cluster name). */
  readonly clusterId: string;
  /**
   * The Istio control planes installed here, one per revision, oldest first; empty where Fleetgate does
   * not install Istio. Without upgrade waves, the one revision of `fleetgate:mesh.istio.version`.
   */
  readonly revisions: readonly IstioRevisionPlan[];
  /** The revision the mesh's revision tag points at here: what the gateways run. Absent where Fleetgate does not install Istio. */
  readonly serving?: IstioRevisionPlan;
  /** The upgrade wave the cluster is in; absent when the environment declares no waves. */
  readonly wave?: string;
}

/** One Istio upgrade wave: its name, its clusters and the version they run. */
export interface IstioWavePlan {
  readonly name: string;
  readonly clusters: readonly string[];
  readonly version: string;
}

/** An Istio control plane revision: the chart version, and its name as Istio's `revision` value (dots as dashes). */
export interface IstioRevisionPlan {
  readonly name: string;
  readonly version: string;
}

// --- Services and routes -----------------------------------------------------------------------

export interface ServicePlan {
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** The team folder the document came from. */
  readonly team: string;
  /** Sorted by key. */
  readonly selector: Readonly<Record<string, string>>;
  /** Sorted by port. */
  readonly ports: readonly ServicePortPlan[];
  /** The clusters that serve the service, sorted by cluster name. */
  readonly clusters: readonly ServiceClusterPlan[];
  readonly balancing: "nearest" | "even";
  /** Regions in failover order; empty when the spec names none. */
  readonly failover: readonly string[];
  readonly outlierDetection?: OutlierDetectionPlan;
  readonly timeoutSeconds?: number;
  readonly retries?: RetryPlan;
  /** Hosts whose routes reach this service, sorted. */
  readonly hosts: readonly string[];
  /**
   * Extra ports of the generated Service that only the gateways' health rules use: a health check on
   * another pod port or in another protocol than its serving port (spec/backend-protocols.ts). Sorted by
   * port; absent when there are none.
   */
  readonly healthPorts?: readonly HealthPortPlan[];
}

/** A port of the generated Service through which the gateways check a service port's pods. */
export interface HealthPortPlan {
  readonly name: string;
  readonly port: number;
  readonly targetPort: number | string;
  readonly protocol: BackendProtocolPlan;
}

/** What the gateways speak to a service's pods: HTTP/1.1, TLS (HTTPS) or HTTP/2 in clear text (HTTP2). */
export type BackendProtocolPlan = "HTTP" | "HTTPS" | "HTTP2";

export interface ServicePortPlan {
  readonly port: number;
  readonly name?: string;
  readonly targetPort: number | string;
  readonly protocol: "TCP";
  /** The protocol the gateways speak to the pods, from networking.gke.io/app-protocols; absent: HTTP (not named). */
  readonly appProtocol?: BackendProtocolPlan;
  /** Stable key of this service port as a front-door backend: `namespace/name:port`. */
  readonly backendKey: string;
  readonly healthCheck: HealthCheckPlan;
  readonly backend: BackendSettingsPlan;
}

export interface ServiceClusterPlan {
  readonly cluster: string;
  readonly region: string;
  /** Relative weight 0..100 after drains; 0 = drained but still attached. */
  readonly weight: number;
  readonly drained: boolean;
}

export interface HealthCheckPlan {
  /**
   * The protocol the gateways check the pods in (BackendConfig healthCheck.type, else the port's app
   * protocol). The front door's own probe always reaches the gateway in HTTP.
   */
  readonly protocol: BackendProtocolPlan;
  /**
   * The port of the generated Service the gateways' health rule forwards the check to: a health port
   * (ServicePlan.healthPorts) when the check needs another pod port or protocol; absent: the serving port.
   */
  readonly servicePort?: number;
  /** The path the service answers health checks on (may carry a query); default "/". */
  readonly path: string;
  /**
   * Host header: the first named host that routes to the service. Behind the GCP front door the check
   * reaches the service on a reserved path of the gateway's dispatch listener, which keeps this header.
   */
  readonly host?: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

/** Backend-service settings that come from a BackendConfig (or the environment's defaults). */
export interface BackendSettingsPlan {
  readonly timeoutSeconds: number;
  readonly connectionDrainingSeconds?: number;
  readonly securityPolicy?: string;
  readonly sessionAffinity?: { readonly type: "NONE" | "CLIENT_IP" | "GENERATED_COOKIE"; readonly cookieTtlSeconds?: number };
  readonly cdn: boolean;
  readonly logSampleRate: number;
  readonly customRequestHeaders: readonly string[];
  readonly customResponseHeaders: readonly string[];
}

export interface OutlierDetectionPlan {
  readonly consecutive5xxErrors: number;
  readonly intervalSeconds: number;
  readonly baseEjectionSeconds: number;
  readonly maxEjectionPercent: number;
}

export interface RetryPlan {
  readonly attempts: number;
  readonly perTryTimeoutSeconds?: number;
  /** Sorted. */
  readonly on: readonly string[];
}

/**
 * A path condition with its exact meaning:
 * - `Exact`: the whole path equals `value`.
 * - `Prefix`: the path starts with `value` as a plain string; `value` ends with `/` (from a GKE `/x/*`)
 *   or is `/` (every path).
 */
export interface PathMatchPlan {
  readonly type: "Exact" | "Prefix";
  readonly value: string;
}

export interface ValueMatchPlan {
  readonly name: string;
  readonly type: "Exact" | "RegularExpression" | "Present";
  readonly value?: string;
}

export interface RouteMatchPlan {
  readonly path: PathMatchPlan;
  /** The request's method must be this one (Gateway API's HTTPMethod); absent, any method matches. */
  readonly method?: "GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "CONNECT" | "OPTIONS" | "TRACE" | "PATCH";
  /** Sorted by name. */
  readonly headers: readonly ValueMatchPlan[];
  /** Sorted by name. */
  readonly queryParams: readonly ValueMatchPlan[];
}

export interface BackendRefPlan {
  /** Service key `namespace/name`. */
  readonly service: string;
  readonly port: number;
  /** Percent of the route's traffic. */
  readonly weight: number;
}

export interface HeaderActionsPlan {
  readonly set: Readonly<Record<string, string>>;
  readonly add: Readonly<Record<string, string>>;
  readonly remove: readonly string[];
}

export type RouteActionPlan =
  | {
      readonly kind: "forward";
      /** Sorted by service then port; weights add up to 100. */
      readonly backends: readonly BackendRefPlan[];
      readonly timeoutSeconds?: number;
      readonly retries?: RetryPlan;
      readonly rewrite?: { readonly host?: string; readonly prefix?: string; readonly path?: string };
      readonly requestHeaders?: HeaderActionsPlan;
      readonly responseHeaders?: HeaderActionsPlan;
    }
  | {
      readonly kind: "redirect";
      readonly scheme?: "http" | "https";
      readonly host?: string;
      readonly path?: string;
      readonly prefix?: string;
      readonly statusCode: 301 | 302 | 303 | 307 | 308;
    };

export interface RoutePlan {
  /** Stable identity within the host: derived from the match, never from document order. */
  readonly key: string;
  /**
   * 1 is tried first. Exact paths come first, then longer prefixes; on one path a method match before
   * none, then more conditions before fewer (Gateway API's precedence).
   */
  readonly priority: number;
  readonly match: RouteMatchPlan;
  readonly action: RouteActionPlan;
  /** The ingress that declared it, `namespace/name`, and its team folder. */
  readonly ingress: string;
  readonly team: string;
}

export interface HostPlan {
  readonly name: string;
  readonly wildcard: boolean;
  /** Namespaces whose ingresses claim the host, sorted. */
  readonly owners: readonly string[];
  /** The DNS zone (by domain) that receives the host's records. */
  readonly zone: string;
  /** The certificate that serves the host, by domain (see FleetPlan.certificates). */
  readonly certificate: string;
  /** Routes by priority. */
  readonly routes: readonly RoutePlan[];
  /** Serves every path no route matches; absent: the environment's catch-all (the gateways' 404). */
  readonly defaultBackend?: BackendRefPlan;
  /**
   * The status code plain HTTP on port 80 is redirected to HTTPS with, as a FrontendConfig of the host's
   * ingresses names it (redirectToHttps.responseCodeName). Absent: 301, GKE's default.
   */
  readonly httpsRedirectStatus?: 301 | 302 | 303 | 307 | 308;
  /**
   * Clusters that serve one of its backends, sorted. Their gateways have a listener for the host (behind
   * Global Accelerator, every serving cluster's gateway has one for every host).
   */
  readonly clusters: readonly string[];
}

export type CertificatePlan =
  | {
      readonly kind: "managed";
      /** The host or wildcard the certificate is for. */
      readonly domain: string;
      /** The domain that is DNS-authorized (the wildcard's parent for `*.x`). */
      readonly authorizationDomain: string;
      /** The zone (by domain) that holds the authorization record. */
      readonly zone: string;
      /** Hosts served with it, sorted. */
      readonly hosts: readonly string[];
    }
  | {
      readonly kind: "pre-shared";
      /** A key for the set of names, e.g. `pre-shared:cert-a,cert-b`. */
      readonly domain: string;
      /** Certificate Manager certificate names as given in the annotation, in order. */
      readonly names: readonly string[];
      readonly hosts: readonly string[];
    };

export interface DnsZonePlan {
  readonly domain: string;
  readonly provider: "cloud-dns" | "route53";
  readonly managedZone?: string;
  readonly project?: string;
  readonly hostedZoneId?: string;
  readonly ttl: number;
  /** Hosts whose records go here, sorted. */
  readonly hosts: readonly string[];
}

// --- Trust and mesh ----------------------------------------------------------------------------

export interface TrustPlan {
  readonly trustDomain: string;
  readonly root:
    | {
        readonly source: "generate";
        /** The first generation's common name; later generations add ` G<n>` (components/trust/trust-plan.ts). */
        readonly commonName: string;
        readonly organization: string;
        readonly validityHours: number;
        readonly algorithm: "RSA" | "ECDSA";
        readonly maxPathLength: number;
        /** The generated root that signs the intermediates. */
        readonly generation: number;
        /** Other generated roots every cluster trusts (rotation), in the order configured. */
        readonly additionalTrustedGenerations: readonly number[];
      }
    | { readonly source: "existing"; readonly certConfigKey: string; readonly keyConfigKey: string };
  /** Further roots every cluster trusts (rotation); PEM. */
  readonly additionalTrustedRoots: readonly string[];
  /** One intermediate CA per cluster, sorted by cluster. */
  readonly intermediates: readonly IntermediateCaPlan[];
  /** Why the rotation guard may let steps out of order (`fleetgate:trust.emergencyRotation`), when set. */
  readonly emergencyRotation?: string;
  /**
   * Per cluster, the roots that signed its intermediates before the current one and when they stopped,
   * carried from the previous deployment by the rotation guard (components/trust/trust-check.ts) so that
   * an old root is not dropped while workload certificates under it are still valid. Absent when nothing
   * is known of a previous deployment.
   */
  readonly retiredSigners?: Readonly<Record<string, readonly RetiredSigner[]>>;
}

export interface RetiredSigner {
  /** SHA-256 fingerprint of the root certificate. */
  readonly fingerprint: string;
  /** When it stopped signing this cluster's intermediates (ISO 8601). */
  readonly until: string;
}

export interface IntermediateCaPlan {
  readonly cluster: string;
  readonly commonName: string;
  readonly organization: string;
  /** The validity it is issued with: the configured one, or less where the root expires sooner. */
  readonly validityHours: number;
  /** `fleetgate:trust.intermediate.validityDays`, in hours. */
  readonly configuredValidityHours: number;
  readonly pathLength: number;
  readonly algorithm: "RSA" | "ECDSA";
}

export interface MeshPlan {
  readonly meshId: string;
  readonly istioVersion?: string;
  /**
   * The Istio upgrade waves, in the order of `fleetgate:mesh.istio.waves`, each with the clusters it
   * holds where Fleetgate installs Istio (sorted); absent when the environment declares no waves. The
   * clusters in no wave follow them, running `istioVersion`.
   */
  readonly istioWaves?: readonly IstioWavePlan[];
  /** `fleetgate:mesh.istio.keepUnrevisionedIstiod`: the unrevisioned `istiod` release of earlier Fleetgate stays installed this update. */
  readonly keepUnrevisionedIstiod: boolean;
  /** Networks and their clusters, sorted. */
  readonly networks: readonly { readonly name: string; readonly clusters: readonly string[] }[];
  /** Clusters are on more than one network: every cluster gets an east-west gateway. */
  readonly multiNetwork: boolean;
  /** For each cluster, the clusters whose endpoints its istiod discovers (every other cluster), sorted. */
  readonly remoteSecrets: readonly { readonly inCluster: string; readonly forCluster: string }[];
  /** Istio locality failover per service that declares it. */
  readonly failover: readonly { readonly service: string; readonly regions: readonly string[] }[];
}
