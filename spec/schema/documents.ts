/**
 * The service owners' side of the spec: Kubernetes-style documents in `stacks/<env>/<team>/*.yaml`.
 * The GKE dialect (networking.gke.io/v1 MultiClusterService and MultiClusterIngress, with the
 * BackendConfig and FrontendConfig they reference) is accepted as written for GKE. What GKE cannot
 * express lives under fields named `fleetgate`, the clearly marked extension points.
 */
import { z } from "zod";
import { didYouMean, dnsLabelProblem, listChoices } from "../names";
import { answeredDescription } from "../field-handling";
import { SELECTOR_OPERATORS } from "../label-selector";
import { REDIRECT_CODE_NAMES, type RedirectCodeName } from "../redirect-codes";
import { gatewaySchema, httpRouteSchema, referenceGrantSchema } from "./gateway-api";
import { gcpBackendPolicySchema, gcpGatewayPolicySchema, healthCheckPolicySchema } from "./gke-policies";
import {
  absolutePath,
  annotationMap,
  dnsLabel,
  duration,
  HEADER_TOKEN,
  headerLine,
  headerMap,
  headerName,
  hostName,
  isLabel,
  labelKey,
  labelMap,
  labelValue,
  MAX_HEADER_NAME,
  MAX_HEADER_VALUE,
  MAX_QUERY_VALUE,
  port,
  strictObject,
} from "./common";
import type { RouteMatchPlan } from "../plan";

export const GKE_API_VERSIONS = ["networking.gke.io/v1", "networking.gke.io/v1beta1"] as const;

/**
 * A GKE field Fleetgate does not model: accepted here and passed through to spec/field-handling.ts, whose
 * row answers it at the field with its reason (a generic unknown-field error would not say why).
 */
function answered(kind: string, field: string) {
  return z.unknown().optional().describe(answeredDescription(kind, field));
}

/** The Kubernetes Service spec fields a MultiClusterService template may carry that Fleetgate answers. */
const SERVICE_SPEC_ANSWERED = [
  "allocateLoadBalancerNodePorts",
  "clusterIP",
  "clusterIPs",
  "externalIPs",
  "externalName",
  "externalTrafficPolicy",
  "healthCheckNodePort",
  "internalTrafficPolicy",
  "ipFamilies",
  "ipFamilyPolicy",
  "loadBalancerClass",
  "loadBalancerIP",
  "loadBalancerSourceRanges",
  "publishNotReadyAddresses",
  "sessionAffinity",
  "sessionAffinityConfig",
  "trafficDistribution",
  "type",
] as const;
const answeredServiceSpec = Object.fromEntries(SERVICE_SPEC_ANSWERED.map((f) => [f, answered("MultiClusterService", `spec.template.spec.${f}`)]));

/** The Cloud CDN settings of a BackendConfig Fleetgate answers (it caches by the origin's headers). */
const CDN_ANSWERED = [
  "cacheMode",
  "cachePolicy",
  "bypassCacheOnRequestHeaders",
  "clientTtl",
  "defaultTtl",
  "maxTtl",
  "negativeCaching",
  "negativeCachingPolicy",
  "requestCoalescing",
  "serveWhileStale",
  "signedUrlCacheMaxAgeSec",
  "signedUrlKeys",
] as const;
const answeredCdn = Object.fromEntries(CDN_ANSWERED.map((f) => [f, answered("BackendConfig", `spec.cdn.${f}`)]));

function objectMetadata(name: z.ZodType<string>) {
  return strictObject(
    {
      name,
      namespace: dnsLabel("The namespace of the service owners: the name of the team folder the document is in, stacks/<env>/<namespace>/."),
      labels: labelMap.optional(),
      annotations: annotationMap.optional(),
    },
    "Standard Kubernetes object metadata.",
  );
}

const metadata = objectMetadata(dnsLabel("The object's name, unique per kind within its namespace."));

/** A MultiClusterService becomes a Service in each cluster, whose name Kubernetes requires to start with a letter. */
const serviceMetadata = objectMetadata(
  dnsLabel("The service's name, unique within its namespace; it MUST start with a letter, as a Kubernetes Service name does.").superRefine((value, ctx) => {
    // The suggestion is offered only where it is itself a valid name (an upper-case or too long name is not).
    const prefixed = `svc-${value}`;
    const hint = dnsLabelProblem(prefixed) === undefined ? `; write it like "${prefixed}"` : "; start it with a letter";
    if (/^[0-9]/.test(value))
      ctx.addIssue({ code: "custom", message: `"${value}" starts with a digit, but a Kubernetes Service name must start with a letter${hint}` });
  }),
);

const servicePort = z
  .union([port("A port number of the MultiClusterService."), z.string().min(1).describe("A port name of the MultiClusterService.")])
  .describe("The MultiClusterService port, by number or by name.");

const backendRef = strictObject(
  {
    serviceName: dnsLabel("A MultiClusterService in the same namespace."),
    servicePort,
  },
  "A MultiClusterService port in the ingress's namespace.",
);

// --- Extensions ---------------------------------------------------------------------------------

const clusterExtension = strictObject(
  {
    weight: z
      .number()
      .int()
      .min(0)
      .max(100)
      .optional()
      .describe(
        "Fleetgate extension: the share of this service's traffic the cluster(s) take, 0 to 100, relative to the service's other clusters. 0 drains, everywhere. Other weights act only with balancing: even, where the mesh spreads the service by region in proportion to them; under nearest they change nothing (the validator warns), except that the AWS front door weighs a cluster against others of its region by the highest weight any of its services gives it. Default 100.",
      ),
    drain: z
      .boolean()
      .optional()
      .describe(
        "Fleetgate extension: drain the cluster(s) for this service (same as weight 0); the gateway stays and the backend stays attached with zero capacity.",
      ),
  },
  "Fleetgate extension for a cluster entry of a MultiClusterService.",
).superRefine((ext, ctx) => {
  if (ext.drain === true && ext.weight !== undefined && ext.weight > 0)
    ctx.addIssue({
      code: "custom",
      path: ["weight"],
      message: `is ${ext.weight} beside drain: true, which means weight 0; keep drain to drain the cluster, or the weight to serve from it`,
    });
});

const retries = strictObject(
  {
    attempts: z.number().int().min(1).max(10).describe("How many times a failed request is retried."),
    perTryTimeout: duration("Timeout of each try.").optional(),
    on: z
      .array(z.enum(["5xx", "gateway-error", "connect-failure", "reset", "retriable-4xx", "refused-stream"]))
      .default(["5xx", "connect-failure", "reset"])
      .describe("Which failures are retried. Default 5xx, connect-failure and reset."),
  },
  "Fleetgate extension: retry policy.",
);

export const outlierDetectionSchema = strictObject(
  {
    consecutive5xxErrors: z.number().int().min(1).default(5).describe("Errors in a row that eject an endpoint. Default 5."),
    interval: duration("How often endpoints are evaluated. Default 10s.").default("10s"),
    baseEjectionTime: duration("How long an ejected endpoint stays out at first. Default 30s.").default("30s"),
    maxEjectionPercent: z.number().int().min(1).max(100).default(50).describe("The most endpoints that may be ejected, in percent. Default 50."),
  },
  "Fleetgate extension: outlier detection, at the GCP front door and in the mesh. Without it the mesh still ejects failing endpoints with these defaults, so that nearest balancing and failover work.",
);

export const serviceExtensionSchema = strictObject(
  {
    balancing: z
      .enum(["nearest", "even"])
      .default("nearest")
      .describe(
        "`nearest`: each request goes to the closest healthy cluster (the front door picks the nearest healthy gateway, the mesh the nearest healthy endpoints); a weight of 0 drains a cluster, other weights do not split traffic. `even`: the mesh spreads the service's requests over its clusters' regions in proportion to the clusters' weights, whichever gateway they came in at and wherever the client is (Istio's locality distribute, by region); the front doors still send each client to its nearest healthy gateway. An even service cannot have a failover order.",
      ),
    failover: z
      .array(z.string().min(1))
      .default([])
      .describe(
        "Regions in failover order, followed by the mesh: where the service fails in a region, the gateways and the services there send its requests to the next region of this list (Istio's locality failover). The front doors pick the nearest healthy gateway; a region whose gateway fails loses its clients to the next-nearest region. Behind the AWS front door in latency-dns mode, the host's DNS also fails over from the first region of the list to the second.",
      ),
    outlierDetection: outlierDetectionSchema.optional(),
    timeout: duration("Request timeout towards this service. Default 30s.").optional(),
    retries: retries.optional(),
  },
  "Fleetgate extension on a MultiClusterService: what GKE cannot express about a service's global behaviour.",
);

const headerMatch = strictObject(
  {
    name: z.string().max(MAX_HEADER_NAME).regex(HEADER_TOKEN, { error: "is not a valid HTTP header name" }).describe("The header name."),
    type: z.enum(["Exact", "RegularExpression", "Present"]).default("Exact").describe("How the value is matched. Default Exact."),
    value: z.string().min(1).max(MAX_HEADER_VALUE).optional().describe("The value to match (not for Present)."),
  },
  "A request header condition.",
);

const queryParamMatch = strictObject(
  {
    name: z
      .string()
      .max(MAX_HEADER_NAME)
      .regex(HEADER_TOKEN, {
        error: (iss) => `${JSON.stringify(iss.input)} is not a valid query parameter name for the gateways' routes (letters, digits and !#$%&'*+-.^_\`|~ only)`,
      })
      .describe("The query parameter name."),
    type: z.enum(["Exact", "RegularExpression", "Present"]).default("Exact").describe("How the value is matched. Default Exact."),
    value: z.string().min(1).max(MAX_QUERY_VALUE).optional().describe("The value to match (not for Present)."),
  },
  "A query parameter condition.",
);

const headerActions = strictObject(
  {
    set: headerMap("Headers set, replacing any existing value.").optional(),
    add: headerMap("Headers added.").optional(),
    remove: z.array(headerName("A header removed.")).optional().describe("Headers removed."),
  },
  "Header changes.",
);

/** Gateway API's HTTPMethod values (HTTPRouteMatch.method), which both front doors can match. */
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"] as const satisfies readonly NonNullable<
  RouteMatchPlan["method"]
>[];

const httpMethod = z
  .enum(HTTP_METHODS)
  .describe(
    "The request's method; the path matches only requests with this method (methods are case-sensitive, so upper-case). " +
      "Behind the GCP front door the URL map matches it as the `:method` pseudo-header, exactly; behind AWS each cluster's gateway matches it (the HTTPRoute match's `method`). " +
      "On one path a route with a method is tried before routes without one, and before routes with more header or query conditions (Gateway API's precedence), so GET and POST of one path may go to different services, even of different ingresses.",
  );

export const pathExtensionSchema = strictObject(
  {
    split: z
      .array(
        strictObject(
          {
            serviceName: dnsLabel("A MultiClusterService in the same namespace."),
            servicePort,
            weight: z.number().int().min(0).max(100).describe("Percent of this path's traffic."),
          },
          "A weighted backend.",
        ),
      )
      .optional()
      .describe(
        "Fleetgate extension: send these percentages of the path's traffic to other services (a canary); the path's own backend receives the rest. The weights MUST add up to at most 100.",
      ),
    match: strictObject(
      { method: httpMethod.optional(), headers: z.array(headerMatch).optional(), queryParams: z.array(queryParamMatch).optional() },
      "Fleetgate extension: further conditions; a request matches the path only if all of them hold.",
    ).optional(),
    timeout: duration("Fleetgate extension: request timeout for this path.").optional(),
    retries: retries.optional(),
    redirect: strictObject(
      {
        scheme: z.enum(["http", "https"]).optional(),
        host: hostName("Host to redirect to.", false).optional(),
        path: absolutePath("Replace the whole path.").optional(),
        prefix: absolutePath("Replace the matched prefix of a `/x/*` path.").optional(),
        statusCode: z.union([z.literal(301), z.literal(302), z.literal(303), z.literal(307), z.literal(308)]).default(301),
      },
      "Fleetgate extension: answer with a redirect instead of forwarding (the path then has no backend).",
    )
      .superRefine((redirect, ctx) => {
        // Every host is served over HTTPS (port 80 only upgrades), so a redirect must change the host or the
        // path; where a redirect may go to plain HTTP depends on the front door (spec/validate.ts).
        if (redirect.path !== undefined && redirect.prefix !== undefined)
          ctx.addIssue({
            code: "custom",
            path: ["prefix"],
            message: `is set beside path; a redirect replaces the whole path or the matched prefix, so keep one`,
          });
        if (redirect.host === undefined && redirect.path === undefined && redirect.prefix === undefined && redirect.scheme !== "http")
          ctx.addIssue({
            code: "custom",
            message: `changes neither the host nor the path, so it would send every request back to the same URL; give host, path or prefix`,
          });
      })
      .optional(),
    rewrite: strictObject(
      {
        host: hostName("Host header sent to the backend.", false).optional(),
        prefix: absolutePath("Replace the matched prefix of a `/x/*` path before forwarding.").optional(),
        path: absolutePath("Replace the whole path of an exact path before forwarding.").optional(),
      },
      "Fleetgate extension: rewrite the request before forwarding.",
    ).optional(),
    requestHeaders: headerActions.optional(),
    responseHeaders: headerActions.optional(),
  },
  "Fleetgate extension on an ingress path: what GKE cannot express about routing.",
);

// --- MultiClusterService -----------------------------------------------------------------------

/**
 * A label requirement as Kubernetes defines it: In and NotIn compare the label's value with a non-empty
 * list, Exists and DoesNotExist look only at whether the label is there (and take no values).
 */
const selectorRequirement = strictObject(
  {
    key: labelKey.describe("The label key the requirement is about."),
    operator: z
      .enum(SELECTOR_OPERATORS)
      .describe(
        "In: the cluster has the label with one of the values. NotIn: it has not (a cluster without the label satisfies NotIn). Exists: it has the label. DoesNotExist: it has not.",
      ),
    values: z.array(labelValue).optional().describe("The values: required and non-empty for In and NotIn, absent or empty for Exists and DoesNotExist."),
  },
  "A label requirement, as in a Kubernetes label selector's matchExpressions.",
).superRefine((requirement, ctx) => {
  const count = requirement.values?.length ?? 0;
  const { key, operator } = requirement;
  if ((operator === "In" || operator === "NotIn") && count === 0)
    ctx.addIssue({
      code: "custom",
      path: ["values"],
      message: `is empty, but ${operator} compares the label "${key}" with a list of values and needs at least one; list them, or use ${operator === "In" ? "Exists" : "DoesNotExist"}`,
    });
  if ((operator === "Exists" || operator === "DoesNotExist") && count > 0)
    ctx.addIssue({
      code: "custom",
      path: ["values"],
      message: `lists values, but ${operator} looks only at whether a cluster has the label "${key}"; remove values, or use ${operator === "Exists" ? "In" : "NotIn"}`,
    });
});

const SELECTOR_FIELDS = ["matchLabels", "matchExpressions"];

/**
 * Why a selector has keys it cannot have. Labels written straight under `selector` (GKE's Service
 * selector form) are the common slip: they are shown where they go. Anything else is an unknown field.
 */
function unknownSelectorKeys(keys: readonly string[], input: unknown): string {
  const values = (input ?? {}) as Record<string, unknown>;
  const labels = keys.filter((k) => isLabel(k, values[k]));
  const others = keys.filter((k) => !labels.includes(k));
  const parts: string[] = [];
  if (labels.length > 0)
    parts.push(
      `puts ${listChoices(labels, "and")} straight under selector; labels go under matchLabels: selector: { matchLabels: { ${labels.map((k) => `${k}: ${JSON.stringify(values[k])}`).join(", ")} } }`,
    );
  for (const key of others) {
    const hint = didYouMean(key, SELECTOR_FIELDS);
    parts.push(`has the field "${key}", which a label selector does not have${hint || `; it has ${listChoices(SELECTOR_FIELDS, "and")}`}`);
  }
  return parts.join("; ");
}

const clusterSelector = z
  .strictObject(
    {
      matchLabels: labelMap.optional().describe("Labels a cluster MUST have, with these values."),
      matchExpressions: z.array(selectorRequirement).optional().describe("Requirements a cluster's labels MUST all meet."),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? unknownSelectorKeys(issue.keys, issue.input) : undefined) },
  )
  .describe(
    "A Kubernetes label selector over the fleet's clusters (Fleetgate extension): a cluster is selected when its labels (fleetgate:clusters[].labels) meet matchLabels and every matchExpressions requirement. An empty selector ({}) selects every cluster, as in Kubernetes.",
  );

const clusterSelection = strictObject(
  {
    link: z
      .string()
      .regex(/^[^/\s]+\/[^/\s]+$/, {
        error: (iss) =>
          `${JSON.stringify(iss.input)} is not a cluster link; write it as <location>/<cluster>, e.g. us-central1/gke-us (a regional cluster) or us-central1-b/gke-us (a zonal one)`,
      })
      .optional()
      .describe(
        "A cluster as GKE links it: `<location>/<cluster name>`, where the location is the cluster's region, or its zone for a zonal cluster (fleetgate:clusters[].access.location).",
      ),
    selector: clusterSelector.optional(),
    fleetgate: clusterExtension.optional(),
  },
  "One entry of the clusters list: a GKE link or a label selector.",
).superRefine((entry, ctx) => {
  if ((entry.link === undefined) === (entry.selector === undefined))
    ctx.addIssue({ code: "custom", message: "names neither or both of `link` and `selector`; give exactly one" });
});

export const multiClusterServiceSchema = strictObject(
  {
    apiVersion: z.enum(GKE_API_VERSIONS).describe("networking.gke.io/v1 (v1beta1, from older GKE releases, is read the same way)."),
    kind: z.literal("MultiClusterService"),
    metadata: serviceMetadata,
    spec: strictObject(
      {
        template: strictObject(
          {
            metadata: answered("MultiClusterService", "spec.template.metadata"),
            spec: strictObject(
              {
                selector: labelMap.describe("Pods of the service, in every cluster that serves it."),
                ...answeredServiceSpec,
                ports: z
                  .array(
                    strictObject(
                      {
                        name: dnsLabel("The port's name.").optional(),
                        protocol: z.enum(["TCP"]).default("TCP").describe("Only TCP: the front door is HTTP(S)."),
                        port: port("The service port."),
                        targetPort: z
                          .union([port("The container port."), z.string().min(1)])
                          .optional()
                          .describe("The container port, by number or name. Default: the port."),
                        appProtocol: answered("MultiClusterService", "spec.template.spec.ports[].appProtocol"),
                        nodePort: answered("MultiClusterService", "spec.template.spec.ports[].nodePort"),
                      },
                      "A service port.",
                    ),
                  )
                  .min(1, { error: "lists no ports; add the port the service listens on" }),
              },
              "The Service created in each selected cluster.",
            ),
          },
          "The template of the Service created in each selected cluster.",
        ),
        clusters: z
          .array(clusterSelection)
          .min(1, { error: "lists no cluster; leave clusters out to serve from every cluster of the fleet, or name at least one" })
          .optional()
          .describe("Which clusters serve the service. Absent: every cluster of the fleet."),
        fleetgate: serviceExtensionSchema.optional(),
      },
      "The MultiClusterService spec.",
    ),
  },
  "A service that runs in several clusters (GKE MultiClusterService).",
);

// --- MultiClusterIngress -----------------------------------------------------------------------

const ingressPath = strictObject(
  {
    path: z
      .string()
      .optional()
      .describe("GCE URL-map path: `/cart` matches only /cart; `/cart/*` matches /cart/ and everything below it; `/*` or absent matches every path."),
    backend: backendRef.optional(),
    fleetgate: pathExtensionSchema.optional(),
  },
  "A path and the backend that serves it.",
);

export const multiClusterIngressSchema = strictObject(
  {
    apiVersion: z.enum(GKE_API_VERSIONS).describe("networking.gke.io/v1 (v1beta1, from older GKE releases, is read the same way)."),
    kind: z.literal("MultiClusterIngress"),
    metadata,
    spec: strictObject(
      {
        template: strictObject(
          {
            metadata: answered("MultiClusterIngress", "spec.template.metadata"),
            spec: strictObject(
              {
                backend: backendRef.optional().describe("The default backend of this ingress's hosts: it serves every path no rule matches."),
                rules: z
                  .array(
                    strictObject(
                      {
                        host: hostName("The host this rule serves. Fleetgate serves every team from one load balancer, so a rule MUST name its host."),
                        http: strictObject({ paths: z.array(ingressPath).min(1) }, "HTTP paths of the host."),
                      },
                      "A host and its paths.",
                    ),
                  )
                  .default([]),
                tls: z
                  .array(strictObject({ hosts: z.array(z.string()).optional(), secretName: z.string().optional() }, "GKE TLS entry."))
                  .optional()
                  .describe("Accepted for compatibility; Fleetgate issues a managed certificate for every host instead."),
              },
              "The ingress spec.",
            ),
          },
          "The ingress template.",
        ),
      },
      "The MultiClusterIngress spec.",
    ),
  },
  "Hosts and paths served worldwide (GKE MultiClusterIngress).",
);

// --- BackendConfig and FrontendConfig ----------------------------------------------------------

export const backendConfigSchema = strictObject(
  {
    apiVersion: z.enum(["cloud.google.com/v1", "cloud.google.com/v1beta1"]),
    kind: z.literal("BackendConfig"),
    metadata,
    spec: strictObject(
      {
        timeoutSec: z.number().int().min(1).max(86400).optional(),
        connectionDraining: strictObject({ drainingTimeoutSec: z.number().int().min(0).max(3600) }, "Connection draining.").optional(),
        healthCheck: strictObject(
          {
            checkIntervalSec: z.number().int().min(1).max(300).optional(),
            timeoutSec: z.number().int().min(1).max(300).optional(),
            healthyThreshold: z.number().int().min(1).max(10).optional(),
            unhealthyThreshold: z.number().int().min(1).max(10).optional(),
            type: z
              .enum(["HTTP", "HTTPS", "HTTP2"])
              .optional()
              .describe(
                "The protocol the service's pods are checked in: each gateway forwards the front door's check (which reaches the gateway in HTTP on its dispatch port) to the pods in this protocol (HTTPS: TLS, without verifying the pods' certificate; HTTP2: HTTP/2 in clear text). Default: the port's protocol from the MultiClusterService's networking.gke.io/app-protocols annotation, else HTTP. A type other than that protocol is honoured as GKE does (the check uses it, traffic the app protocol), with a warning.",
              ),
            requestPath: absolutePath("The path the health check requests.").optional(),
            port: port(
              "The port of the service's pods that answers health checks (as GKE reads it with container-native load balancing: a containerPort, not a Service port). The generated Service gets a port of its own (health-<number>) that reaches it, and each gateway forwards the front door's check there. Default: the serving port's target port.",
            ).optional(),
          },
          "Health check of the service, sent through each cluster's gateway with one of the service's hosts.",
        )
          .superRefine((check, ctx) => {
            // GCP refuses a health check whose timeout is longer than its interval.
            if (check.timeoutSec !== undefined && check.checkIntervalSec !== undefined && check.timeoutSec > check.checkIntervalSec)
              ctx.addIssue({
                code: "custom",
                path: ["timeoutSec"],
                message: `${check.timeoutSec} is longer than checkIntervalSec (${check.checkIntervalSec}); a check must time out within its interval: lower timeoutSec or raise checkIntervalSec`,
              });
          })
          .optional(),
        securityPolicy: strictObject({ name: z.string().min(1) }, "A Cloud Armor policy.").optional(),
        sessionAffinity: strictObject(
          {
            affinityType: z.enum(["NONE", "CLIENT_IP", "GENERATED_COOKIE"]),
            affinityCookieTtlSec: z
              .number()
              .int()
              .min(0)
              .max(1_209_600)
              .optional()
              .describe("Lifetime of the affinity cookie, in seconds: at most two weeks (1209600), as GCP allows; 0 makes it a session cookie."),
          },
          "Session affinity.",
        ).optional(),
        cdn: strictObject(
          {
            enabled: z.boolean().describe("Enables Cloud CDN on the backend service; it caches by the origin's Cache-Control headers (USE_ORIGIN_HEADERS)."),
            ...answeredCdn,
          },
          "Cloud CDN.",
        ).optional(),
        iap: answered("BackendConfig", "spec.iap"),
        logging: strictObject({ enable: z.boolean(), sampleRate: z.number().min(0).max(1).optional() }, "Request logging.").optional(),
        customRequestHeaders: strictObject(
          { headers: z.array(headerLine("A header added to requests, `Name: value`.")) },
          "Headers added to requests, as `Name: value`.",
        ).optional(),
        customResponseHeaders: strictObject(
          { headers: z.array(headerLine("A header added to responses, `Name: value`.")) },
          "Headers added to responses, as `Name: value`.",
        ).optional(),
      },
      "The BackendConfig spec: each field GKE reads is honoured, or answered at the field with a warning or error (docs/gke-fields.md).",
    ),
  },
  "GKE BackendConfig: backend settings referenced from a MultiClusterService annotation.",
);

const REDIRECT_CODE_LIST = Object.keys(REDIRECT_CODE_NAMES) as [RedirectCodeName, ...RedirectCodeName[]];

/** GKE takes the codes by name: a number, or a name misspelt, is answered with the name to write. */
function responseCodeProblem(input: unknown): string {
  const byStatus = Object.entries(REDIRECT_CODE_NAMES).find(([, status]) => String(status) === String(input).trim());
  if (byStatus !== undefined) return `${JSON.stringify(input)} is a status code; GKE names the code: write "${byStatus[0]}"`;
  const choices = REDIRECT_CODE_LIST.map((name) => `${name} (${REDIRECT_CODE_NAMES[name]})`).join(", ");
  const hint = typeof input === "string" ? didYouMean(input.toUpperCase(), REDIRECT_CODE_LIST) : "";
  return `${JSON.stringify(input)} is not a redirect code GKE names${hint}; use one of ${choices}`;
}

export const frontendConfigSchema = strictObject(
  {
    apiVersion: z.literal("networking.gke.io/v1beta1"),
    kind: z.literal("FrontendConfig"),
    metadata,
    spec: strictObject(
      {
        sslPolicy: z.string().optional(),
        redirectToHttps: strictObject(
          {
            enabled: z.boolean().describe("GKE's switch for the redirect. The front door always redirects port 80 to HTTPS; false is answered with a warning."),
            responseCodeName: z
              .enum(REDIRECT_CODE_LIST, { error: (issue) => responseCodeProblem(issue.input) })
              .optional()
              .describe(
                "The status code port 80 answers with, for the hosts of every ingress that names this FrontendConfig: MOVED_PERMANENTLY_DEFAULT (301, the default), FOUND (302), SEE_OTHER (303), TEMPORARY_REDIRECT (307) or PERMANENT_REDIRECT (308). Ingresses that share a host MUST NOT ask for different codes. Behind the AWS front door the gateways redirect, and Gateway API offers only 301 and 302 there.",
              ),
          },
          "HTTP to HTTPS redirect.",
        ).optional(),
      },
      "The FrontendConfig spec.",
    ),
  },
  "GKE FrontendConfig, referenced from a MultiClusterIngress annotation. The front door's SSL policy and HTTP redirect belong to the environment; Fleetgate reports where a FrontendConfig asks for something else.",
);

/** Every document kind Fleetgate reads, by `kind`. */
export const DOCUMENT_SCHEMAS = {
  MultiClusterService: multiClusterServiceSchema,
  MultiClusterIngress: multiClusterIngressSchema,
  BackendConfig: backendConfigSchema,
  FrontendConfig: frontendConfigSchema,
  HTTPRoute: httpRouteSchema,
  ReferenceGrant: referenceGrantSchema,
  GCPBackendPolicy: gcpBackendPolicySchema,
  HealthCheckPolicy: healthCheckPolicySchema,
  GCPGatewayPolicy: gcpGatewayPolicySchema,
  Gateway: gatewaySchema,
} as const;

export type DocumentKind = keyof typeof DOCUMENT_SCHEMAS;
export type MultiClusterService = z.output<typeof multiClusterServiceSchema>;
export type MultiClusterIngress = z.output<typeof multiClusterIngressSchema>;
export type BackendConfig = z.output<typeof backendConfigSchema>;
export type FrontendConfig = z.output<typeof frontendConfigSchema>;
export type IngressPath = z.output<typeof ingressPath>;
export type PathExtension = z.output<typeof pathExtensionSchema>;
export type ServiceExtension = z.output<typeof serviceExtensionSchema>;

/** GKE annotations Fleetgate understands. */
export const ANNOTATIONS = {
  staticIp: "networking.gke.io/static-ip",
  /** GKE's: Compute Engine SSL certificates, which a certificate map cannot serve (read to say so). */
  gkePreSharedCerts: "networking.gke.io/pre-shared-certs",
  /** Fleetgate's: Certificate Manager certificates (names in the front door's project, or full paths). */
  certificateManagerCerts: "fleetgate.io/certificate-manager-certs",
  frontendConfig: ["networking.gke.io/frontend-config", "networking.gke.io/v1beta1.FrontendConfig"],
  backendConfig: ["cloud.google.com/backend-config", "beta.cloud.google.com/backend-config"],
  /** GKE's, on a MultiClusterService: the protocol each named port's pods speak (spec/backend-protocols.ts). */
  appProtocols: "networking.gke.io/app-protocols",
} as const;
