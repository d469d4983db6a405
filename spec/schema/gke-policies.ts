/**
 * The policies GKE's Gateway controller attaches to Services, ServiceImports and Gateways
 * (networking.gke.io/v1 GCPBackendPolicy, HealthCheckPolicy, GCPGatewayPolicy), as their CRDs write them
 * (GoogleCloudPlatform/gke-gateway-api, apis/networking/v1). The backend policies are translated onto
 * the BackendConfig settings the resolver already reads (spec/gke-policies.ts); what has no such setting
 * is answered at the field by the field registry (spec/field-handling.ts, docs/gke-fields.md).
 */
import { z } from "zod";
import { healthCheckPolicyRules } from "../../contracts/gke-policies";
import { dnsLabel, strictObject, annotationMap, labelMap, port } from "./common";
import { GATEWAY_GROUP, GKE_MCS_GROUP } from "./gateway-api";

export const GKE_POLICY_API_VERSION = "networking.gke.io/v1";

const metadata = strictObject(
  {
    name: dnsLabel("The policy's name, unique per kind within its namespace."),
    namespace: dnsLabel(
      "The namespace of the service owners: the name of the team folder the document is in, stacks/<env>/<namespace>/. GKE requires it to be the target's namespace.",
    ),
    labels: labelMap.optional(),
    annotations: annotationMap.optional(),
  },
  "Standard Kubernetes object metadata.",
);

/** GKE's NamespacedPolicyTargetReference; which group and kind a policy may target is checked beside the target (spec/gke-policies.ts). */
function targetRef(description: string) {
  return strictObject(
    {
      group: z.string().describe(`The target's API group: "" for a Service, ${GKE_MCS_GROUP} for a ServiceImport, ${GATEWAY_GROUP} for a Gateway.`),
      kind: z.string().min(1).describe("The target's kind."),
      name: dnsLabel("The target's name."),
      namespace: dnsLabel("The target's namespace; GKE requires the policy's own. Default: the policy's.").optional(),
    },
    description,
  );
}

const serviceTarget = targetRef(
  "The Service or net.gke.io ServiceImport the policy applies to; either names the MultiClusterService of that name in the policy's namespace.",
);

// --- GCPBackendPolicy ---------------------------------------------------------------------------

export const SESSION_AFFINITY_TYPES = [
  "CLIENT_IP",
  "CLIENT_IP_PORT_PROTO",
  "CLIENT_IP_PROTO",
  "GENERATED_COOKIE",
  "HEADER_FIELD",
  "HTTP_COOKIE",
  "NONE",
] as const;
/** GKE's logging.sampleRate is in millionths (0 to 1,000,000), GCP's backend service sample rate a fraction. */
export const SAMPLE_RATE_SCALE = 1_000_000;

export const gcpBackendPolicySchema = strictObject(
  {
    apiVersion: z.literal(GKE_POLICY_API_VERSION),
    kind: z.literal("GCPBackendPolicy"),
    metadata,
    spec: strictObject(
      {
        targetRef: serviceTarget,
        default: strictObject(
          {
            timeoutSec: z
              .number()
              .int()
              .min(1)
              .max(2_147_483_647)
              .optional()
              .describe("The backend service's timeout, as BackendConfig spec.timeoutSec. Default 30."),
            connectionDraining: strictObject(
              {
                drainingTimeoutSec: z
                  .number()
                  .int()
                  .min(0)
                  .max(3600)
                  .optional()
                  .describe("Connection draining timeout, as BackendConfig spec.connectionDraining.drainingTimeoutSec. Default 0."),
              },
              "Connection draining.",
            ).optional(),
            logging: strictObject(
              {
                enabled: z
                  .boolean()
                  .optional()
                  .describe("Request logging of the backend service, as BackendConfig spec.logging.enable. GKE's default is false."),
                sampleRate: z
                  .number()
                  .int()
                  .min(0)
                  .max(SAMPLE_RATE_SCALE)
                  .optional()
                  .describe(
                    "The share of requests logged, in millionths (500000 logs half), as BackendConfig spec.logging.sampleRate in a fraction; only with enabled: true. Default: all.",
                  ),
              },
              "Request logging.",
            ).optional(),
            sessionAffinity: strictObject(
              {
                type: z
                  .enum(SESSION_AFFINITY_TYPES)
                  .optional()
                  .describe("Session affinity, as BackendConfig spec.sessionAffinity.affinityType: NONE, CLIENT_IP or GENERATED_COOKIE. Default NONE."),
                cookieTtlSec: z
                  .number()
                  .int()
                  .min(0)
                  .max(1_209_600)
                  .optional()
                  .describe("Lifetime of the affinity cookie, as BackendConfig spec.sessionAffinity.affinityCookieTtlSec; only with GENERATED_COOKIE."),
              },
              "Session affinity.",
            ).optional(),
            securityPolicy: z.string().min(1).optional().describe("The Cloud Armor policy of the backend service, as BackendConfig spec.securityPolicy.name."),
            iap: z.unknown().optional().describe("Refused, as BackendConfig spec.iap is: Fleetgate does not put Identity-Aware Proxy in front of a service."),
            maxRatePerEndpoint: z
              .number()
              .int()
              .min(1)
              .max(1_000_000_000)
              .optional()
              .describe("Answered with a warning: the front door balances by cluster weight (docs/gke-fields.md)."),
            backendPreference: z
              .enum(["DEFAULT", "PREFERRED"])
              .optional()
              .describe("Answered with a warning when PREFERRED: the order clusters are used in is the MultiClusterService's spec.fleetgate.failover."),
          },
          "The settings of the target's backend service.",
        ).optional(),
      },
      "The GCPBackendPolicy spec.",
    ),
  },
  "GKE GCPBackendPolicy: backend service settings of a Service or ServiceImport, as BackendConfig sets them for a MultiClusterService.",
);

// --- HealthCheckPolicy --------------------------------------------------------------------------

export const HEALTH_CHECK_TYPES = ["TCP", "HTTP", "HTTPS", "HTTP2", "GRPC"] as const;
export type HealthCheckType = (typeof HEALTH_CHECK_TYPES)[number];
/** The member of `config` that carries each type's settings. */
export const HEALTH_CHECK_MEMBER = {
  TCP: "tcpHealthCheck",
  HTTP: "httpHealthCheck",
  HTTPS: "httpsHealthCheck",
  HTTP2: "http2HealthCheck",
  GRPC: "grpcHealthCheck",
} as const satisfies Record<HealthCheckType, string>;

const portSelection = {
  portSpecification: z
    .enum(["USE_FIXED_PORT", "USE_NAMED_PORT", "USE_SERVING_PORT"])
    .optional()
    .describe("USE_SERVING_PORT (the default): the serving port; USE_FIXED_PORT: port."),
  port: port("The pods' port the check is sent to (USE_FIXED_PORT), as BackendConfig spec.healthCheck.port.").optional(),
  portName: z.string().max(63).optional().describe("An instance group's named port (USE_NAMED_PORT); refused."),
};
const asciiText = (description: string) => z.string().max(1024).optional().describe(description);
const httpCheck = (protocol: string) =>
  strictObject(
    {
      ...portSelection,
      host: z
        .string()
        .max(2048)
        .optional()
        .describe("The Host header of the check; answered with a warning: the check carries one of the service's hosts so that the gateways can route it."),
      requestPath: z
        .string()
        .max(2048)
        .regex(/^\/[A-Za-z0-9/\-._~%!?$&'()*+,;=:]*$/, {
          error: (i) =>
            `${JSON.stringify(i.input)} is not an absolute path of URL characters, which the check requests (GKE's CRD takes only URL characters after the last "/"); write one that begins with "/", such as "/healthz"`,
        })
        .optional()
        .describe("The path the check requests, as BackendConfig spec.healthCheck.requestPath. Default /."),
      proxyHeader: z.enum(["NONE", "PROXY_V1"]).optional().describe("NONE (the default); PROXY_V1 is answered with a warning."),
      response: asciiText("A string the response must contain; refused: Fleetgate's checks judge by status code."),
    },
    `The ${protocol} check's settings.`,
  ).superRefine(portSelectionProblems);

const healthCheckConfig = strictObject(
  {
    type: z
      .enum(HEALTH_CHECK_TYPES)
      .optional()
      .describe("The check's protocol: HTTP, HTTPS or HTTP2, as BackendConfig spec.healthCheck.type; TCP and GRPC are refused. GKE's default HTTP."),
    httpHealthCheck: httpCheck("HTTP").optional(),
    httpsHealthCheck: httpCheck("HTTPS").optional(),
    http2HealthCheck: httpCheck("HTTP2").optional(),
    tcpHealthCheck: strictObject(
      {
        ...portSelection,
        request: asciiText("Data sent once connected."),
        response: asciiText("Bytes the response must begin with."),
        proxyHeader: z.enum(["NONE", "PROXY_V1"]).optional(),
      },
      "Refused: the TCP check's settings.",
    ).optional(),
    grpcHealthCheck: strictObject(
      { ...portSelection, grpcServiceName: asciiText("The gRPC service checked.") },
      "Refused: the gRPC check's settings.",
    ).optional(),
  },
  "The protocol of the check and its settings: type and the one member of that type.",
).superRefine((config, ctx) => {
  // GKE's CRD: the type names the one member that carries the settings. TCP and gRPC are refused (the
  // front door's check reaches the pods through the gateways, which forward HTTP), at the type and at their members.
  const type = config.type ?? "HTTP";
  const written = (Object.values(HEALTH_CHECK_MEMBER) as string[]).filter((m) => (config as Record<string, unknown>)[m] !== undefined);
  // GKE's CRD: config holds exactly two fields, the type and the member of that type.
  // A TCP or gRPC member alone is refused by the field registry, with the HTTP check to write instead.
  if (config.type === undefined && !written.some((m) => m === "tcpHealthCheck" || m === "grpcHealthCheck"))
    ctx.addIssue({
      code: "custom",
      path: [],
      message: `has no type ${citeHealth}; GKE requires it beside the settings of that type: write type: HTTP${written.length === 0 ? " with httpHealthCheck: { requestPath: / }" : ""} (or HTTPS, HTTP2 with their own member)`,
    });
  else if (type !== "TCP" && type !== "GRPC" && written.length === 0)
    ctx.addIssue({
      code: "custom",
      path: ["type"],
      message: `is ${type}, but config has no ${HEALTH_CHECK_MEMBER[type]} ${citeHealth}; GKE requires the settings of the type beside it: add ${HEALTH_CHECK_MEMBER[type]}: { requestPath: / } (or the path your pods answer checks on)`,
    });
  if (type === "TCP" || type === "GRPC")
    ctx.addIssue({
      code: "custom",
      path: ["type"],
      message: `is ${type}, but the front door checks each service through the gateways, which forward the check to the pods in HTTP, HTTPS or HTTP2 only; give the pods an HTTP health endpoint and write type: HTTP with httpHealthCheck.requestPath`,
    });
  for (const [t, member] of Object.entries(HEALTH_CHECK_MEMBER) as [HealthCheckType, string][]) {
    const settings = (config as Record<string, unknown>)[member];
    if (settings === undefined || t === type || t === "TCP" || t === "GRPC") continue; // TCP and gRPC members: the field registry answers them
    ctx.addIssue({
      code: "custom",
      path: [member],
      message: `is set, but the check's type is ${type} ${citeHealth}; GKE reads only ${HEALTH_CHECK_MEMBER[type]} for it: move these settings there, or set type: ${t}`,
    });
  }
});

/** GKE's CRD: port goes with USE_FIXED_PORT (portName, with USE_NAMED_PORT, is answered by the field registry). */
function portSelectionProblems(check: { portSpecification?: string | undefined; port?: number | undefined }, ctx: z.RefinementCtx): void {
  if (check.portSpecification === "USE_NAMED_PORT")
    ctx.addIssue({
      code: "custom",
      path: ["portSpecification"],
      message: `is USE_NAMED_PORT, but named ports are an instance group's, and the front door's backends are NEGs of the gateways; write portSpecification: USE_FIXED_PORT with the pods' port in port`,
    });
  if (check.portSpecification === "USE_FIXED_PORT" && check.port === undefined)
    ctx.addIssue({
      code: "custom",
      path: ["port"],
      message: `is missing, but portSpecification is USE_FIXED_PORT ${citeHealth}; write the pods' port the check is sent to, e.g. port: 8080`,
    });
  if (check.portSpecification !== "USE_FIXED_PORT" && check.port !== undefined)
    ctx.addIssue({
      code: "custom",
      path: ["port"],
      message: `is set, but portSpecification is ${check.portSpecification ?? "USE_SERVING_PORT (the default)"} ${citeHealth}, with which GKE refuses a port; add portSpecification: USE_FIXED_PORT, or remove port to check the serving port`,
    });
}

const citeHealth = `[${healthCheckPolicyRules.id}]`;

export const healthCheckPolicySchema = strictObject(
  {
    apiVersion: z.literal(GKE_POLICY_API_VERSION),
    kind: z.literal("HealthCheckPolicy"),
    metadata,
    spec: strictObject(
      {
        targetRef: serviceTarget,
        default: strictObject(
          {
            checkIntervalSec: z
              .number()
              .int()
              .min(1)
              .max(300)
              .optional()
              .describe("Seconds between checks, as BackendConfig spec.healthCheck.checkIntervalSec. Default 5."),
            timeoutSec: z
              .number()
              .int()
              .min(1)
              .max(300)
              .optional()
              .describe("Seconds a check may take, at most checkIntervalSec, as BackendConfig spec.healthCheck.timeoutSec. Default 5."),
            healthyThreshold: z.number().int().min(1).max(10).optional().describe("As BackendConfig spec.healthCheck.healthyThreshold. Default 2."),
            unhealthyThreshold: z.number().int().min(1).max(10).optional().describe("As BackendConfig spec.healthCheck.unhealthyThreshold. Default 2."),
            config: healthCheckConfig.optional(),
            logConfig: strictObject(
              { enabled: z.boolean().optional().describe("Health check logging; true is answered with a warning.") },
              "Health check logging.",
            ).optional(),
          },
          "The health check of the target's backend service.",
        )
          .superRefine((check, ctx) => {
            // GKE's CRD rules: the timeout fits in the interval, also where one of them is the default 5.
            const interval = check.checkIntervalSec ?? 5;
            const timeout = check.timeoutSec ?? 5;
            if (timeout > interval) {
              const path = check.timeoutSec !== undefined ? "timeoutSec" : "checkIntervalSec";
              const shown =
                check.timeoutSec !== undefined
                  ? `${timeout} is longer than checkIntervalSec (${interval}${check.checkIntervalSec === undefined ? ", GKE's default" : ""})`
                  : `${interval} is shorter than timeoutSec (${timeout}, GKE's default)`;
              ctx.addIssue({
                code: "custom",
                path: [path],
                message: `${shown} ${citeHealth}; a check must time out within its interval: lower timeoutSec or raise checkIntervalSec`,
              });
            }
          })
          .optional(),
      },
      "The HealthCheckPolicy spec.",
    ),
  },
  "GKE HealthCheckPolicy: the health check of a Service's or ServiceImport's backend service, as BackendConfig spec.healthCheck sets it for a MultiClusterService.",
);

// --- GCPGatewayPolicy ---------------------------------------------------------------------------

export const gcpGatewayPolicySchema = strictObject(
  {
    apiVersion: z.literal(GKE_POLICY_API_VERSION),
    kind: z.literal("GCPGatewayPolicy"),
    metadata,
    spec: strictObject(
      {
        targetRef: targetRef("The fleet gateway (gateway.networking.k8s.io Gateway), in the policy's namespace."),
        default: strictObject(
          {
            sslPolicy: z
              .string()
              .optional()
              .describe("The SSL policy of the front door's HTTPS proxy: it MUST be the environment's (fleetgate:gcp.sslPolicy), which the admin sets."),
            allowGlobalAccess: z
              .boolean()
              .optional()
              .describe("Global access of an internal load balancer; the front door is global and external, so true is answered with a warning."),
            region: z
              .string()
              .optional()
              .describe("The region of a regional multi-cluster Gateway; the front door is global, so a region is answered with a warning."),
          },
          "The settings of the gateway's load balancer.",
        ).optional(),
      },
      "The GCPGatewayPolicy spec.",
    ),
  },
  "GKE GCPGatewayPolicy: settings of the fleet gateway's load balancer. The front door belongs to the environment; Fleetgate reports where a policy asks for something else.",
);

export type GCPBackendPolicy = z.output<typeof gcpBackendPolicySchema>;
export type HealthCheckPolicy = z.output<typeof healthCheckPolicySchema>;
export type GCPGatewayPolicy = z.output<typeof gcpGatewayPolicySchema>;
