/**
 * The Kubernetes Gateway API dialect of the service owners' documents: HTTPRoute
 * (gateway.networking.k8s.io/v1, standard channel) and ReferenceGrant (v1beta1), and the platform admin's
 * multi-cluster Gateway (spec/fleet-gateway.ts). An HTTPRoute attaches
 * to the environment's fleet gateway and normalises into the same FleetPlan as a MultiClusterIngress
 * (spec/http-routes.ts); what the front doors cannot express exactly is refused at the field by the
 * validator (spec/http-route-checks.ts), never approximated.
 */
import { z } from "zod";
import {
  dnsLabel,
  duration,
  HEADER_TOKEN,
  headerName,
  hostName,
  MAX_HEADER_NAME,
  MAX_HEADER_VALUE,
  MAX_QUERY_VALUE,
  port,
  strictObject,
  annotationMap,
  labelMap,
} from "./common";

export const GATEWAY_GROUP = "gateway.networking.k8s.io";
/** The group of GKE's multi-cluster ServiceImport, which a backendRef may name. */
export const GKE_MCS_GROUP = "net.gke.io";
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

const metadata = strictObject(
  {
    name: dnsLabel("The object's name, unique per kind within its namespace."),
    namespace: dnsLabel("The namespace of the service owners: the name of the team folder the document is in, stacks/<env>/<namespace>/."),
    labels: labelMap.optional(),
    annotations: annotationMap.optional(),
  },
  "Standard Kubernetes object metadata.",
);

/** The characters the Gateway API allows in a path, and the sequences it refuses (HTTPRoute's CRD). */
const PATH_CHARACTERS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;
const PATH_SEQUENCES = ["//", "/./", "/../", "%2f", "%2F", "#"];

/** What is wrong with an Exact or PathPrefix value; undefined when nothing. */
export function gatewayPathProblem(value: string): string | undefined {
  const shown = JSON.stringify(value);
  if (!value.startsWith("/")) return `${shown} does not start with "/"; a path match is an absolute path such as "/cart"`;
  if (value.length > 1024) return `has ${value.length} characters; a path match has at most 1024`;
  const sequence = PATH_SEQUENCES.find((s) => value.includes(s));
  if (sequence !== undefined)
    return `${shown} contains ${JSON.stringify(sequence)}, which the Gateway API refuses in a path match; write the path as clients' normalised requests carry it`;
  if (value.endsWith("/..") || value.endsWith("/.")) return `${shown} ends with a dot segment, which the Gateway API refuses in a path match`;
  if (!PATH_CHARACTERS.test(value)) return `${shown} has characters a URL path cannot carry unescaped; percent-encode them`;
  return undefined;
}

const pathMatch = strictObject(
  {
    type: z
      .enum(["Exact", "PathPrefix", "RegularExpression"])
      .default("PathPrefix")
      .describe(
        "Exact: the whole path equals value. PathPrefix (the default): the path's elements begin with value's elements, so `/v2` matches /v2, /v2/ and /v2/x but never /v2example (a final / of value is ignored). RegularExpression is refused: no front door of Fleetgate matches paths by expression.",
      ),
    value: z.string().max(1024).default("/").describe("The path, starting with /. Default /."),
  },
  "A path condition.",
).superRefine((match, ctx) => {
  if (match.type === "RegularExpression") return; // answered by the validator, with the front door's reason
  const problem = gatewayPathProblem(match.value);
  if (problem) ctx.addIssue({ code: "custom", path: ["value"], message: problem });
});

const headerMatch = strictObject(
  {
    type: z
      .enum(["Exact", "RegularExpression"])
      .default("Exact")
      .describe("Exact (the default) or RegularExpression (refused behind the GCP front door, whose global load balancer matches no expressions)."),
    name: z
      .string()
      .max(MAX_HEADER_NAME)
      .regex(HEADER_TOKEN, { error: (iss) => `${JSON.stringify(iss.input)} is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~ only)` })
      .describe("The header name; matched without regard to case."),
    value: z.string().min(1).max(MAX_HEADER_VALUE).describe("The value to match."),
  },
  "A request header condition.",
);

const queryParamMatch = strictObject(
  {
    type: z.enum(["Exact", "RegularExpression"]).default("Exact").describe("Exact (the default) or RegularExpression (refused behind the GCP front door)."),
    name: z
      .string()
      .max(MAX_HEADER_NAME)
      .regex(HEADER_TOKEN, { error: (iss) => `${JSON.stringify(iss.input)} is not a valid query parameter name (letters, digits and !#$%&'*+-.^_\`|~ only)` })
      .describe("The query parameter name; matched with case."),
    value: z.string().min(1).max(MAX_QUERY_VALUE).describe("The value to match."),
  },
  "A query parameter condition.",
);

const routeMatch = strictObject(
  {
    path: pathMatch.optional().describe("The path condition. Default: PathPrefix /."),
    headers: z.array(headerMatch).max(16).optional().describe("Header conditions; all must hold."),
    queryParams: z.array(queryParamMatch).max(16).optional().describe("Query parameter conditions; all must hold."),
    method: z.enum(HTTP_METHODS).optional().describe("The request method the match requires."),
  },
  "A match: a request matches when every condition holds. The matches of a rule are ORed.",
);

const headerList = z
  .array(
    strictObject({ name: headerName("The header name."), value: z.string().min(1).max(MAX_HEADER_VALUE).describe("The value.") }, "A header and its value."),
  )
  .max(16);

const headerModifier = strictObject(
  {
    set: headerList.optional().describe("Headers set, replacing any value."),
    add: headerList.optional().describe("Headers added."),
    remove: z.array(headerName("A header removed.")).max(16).optional().describe("Headers removed."),
  },
  "Header changes.",
);

const pathModifier = strictObject(
  {
    type: z
      .enum(["ReplaceFullPath", "ReplacePrefixMatch"])
      .describe("ReplaceFullPath replaces the whole path; ReplacePrefixMatch the matched prefix of a PathPrefix match."),
    replaceFullPath: z.string().max(1024).optional().describe("The new path, for ReplaceFullPath."),
    replacePrefixMatch: z.string().max(1024).optional().describe("What replaces the matched prefix, for ReplacePrefixMatch."),
  },
  "A path change.",
).superRefine((modifier, ctx) => {
  const field = modifier.type === "ReplaceFullPath" ? "replaceFullPath" : "replacePrefixMatch";
  const other = modifier.type === "ReplaceFullPath" ? "replacePrefixMatch" : "replaceFullPath";
  if (modifier[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message: `is missing; type ${modifier.type} takes its value in ${field}` });
  else if (!modifier[field]!.startsWith("/"))
    ctx.addIssue({ code: "custom", path: [field], message: `${JSON.stringify(modifier[field])} does not start with "/"; write an absolute path` });
  if (modifier[other] !== undefined)
    ctx.addIssue({
      code: "custom",
      path: [other],
      message: `is set, but type is ${modifier.type}; use ${field}, or type ${other === "replaceFullPath" ? "ReplaceFullPath" : "ReplacePrefixMatch"}`,
    });
});

export const FILTER_TYPES = ["RequestHeaderModifier", "ResponseHeaderModifier", "RequestRedirect", "URLRewrite", "RequestMirror", "ExtensionRef"] as const;
/** The field each filter type carries its settings in. */
export const FILTER_FIELDS = {
  RequestHeaderModifier: "requestHeaderModifier",
  ResponseHeaderModifier: "responseHeaderModifier",
  RequestRedirect: "requestRedirect",
  URLRewrite: "urlRewrite",
  RequestMirror: "requestMirror",
  ExtensionRef: "extensionRef",
} as const;

const filter = strictObject(
  {
    type: z
      .enum(FILTER_TYPES)
      .describe(
        "The filter: RequestHeaderModifier, ResponseHeaderModifier, RequestRedirect and URLRewrite are honoured; RequestMirror and ExtensionRef are refused with the reason.",
      ),
    requestHeaderModifier: headerModifier.optional(),
    responseHeaderModifier: headerModifier.optional(),
    requestRedirect: strictObject(
      {
        scheme: z
          .enum(["http", "https"])
          .optional()
          .describe("The scheme of the redirect (http is refused behind the GCP front door, which serves only HTTPS)."),
        hostname: hostName("The host to redirect to.", false).optional(),
        path: pathModifier.optional(),
        port: port("The port to redirect to: only the scheme's own (443 for https, 80 for http), which the front doors serve.").optional(),
        statusCode: z
          .union([z.literal(301), z.literal(302)], {
            // The Gateway API allows 303, 307 and 308 as Extended support; the HTTPRoute schema the gateways' routes are validated against (@kubernetes-models/gateway-api) predates them.
            error: (iss) =>
              `is ${JSON.stringify(iss.input)}, which Fleetgate's gateways cannot redirect with: the HTTPRoute schema their routes are built against takes 301 and 302 only (303, 307 and 308 are the Gateway API's Extended support, which it lacks); use 301 or 302`,
          })
          .default(302)
          .describe("301 or 302 (the Gateway API's default)."),
      },
      "Answer with a redirect instead of forwarding.",
    ).optional(),
    urlRewrite: strictObject(
      { hostname: hostName("The Host header sent to the backend.", false).optional(), path: pathModifier.optional() },
      "Rewrite the request before forwarding.",
    ).optional(),
    requestMirror: z.unknown().optional().describe("Refused: Fleetgate's front doors do not mirror requests."),
    extensionRef: z.unknown().optional().describe("Refused: Fleetgate knows no extension filters."),
  },
  "A filter of a rule.",
).superRefine((f, ctx) => {
  const field = FILTER_FIELDS[f.type];
  if (f.type !== "RequestMirror" && f.type !== "ExtensionRef" && f[field] === undefined)
    ctx.addIssue({ code: "custom", path: [field], message: `is missing; a filter of type ${f.type} takes its settings in ${field}` });
  for (const [type, other] of Object.entries(FILTER_FIELDS))
    if (type !== f.type && f[other] !== undefined)
      ctx.addIssue({
        code: "custom",
        path: [other],
        message: `is set, but the filter's type is ${f.type}; a filter carries only the field of its type (${field})`,
      });
});

const backendRef = strictObject(
  {
    group: z.string().default("").describe(`"" (core, the default) with kind Service, or ${GKE_MCS_GROUP} with kind ServiceImport.`),
    kind: z
      .enum(["Service", "ServiceImport"])
      .default("Service")
      .describe("Service (the default) or ServiceImport: either names a MultiClusterService of that name."),
    name: dnsLabel("The MultiClusterService the Service or ServiceImport is made from."),
    namespace: dnsLabel("Its namespace; another namespace's only where a ReferenceGrant there allows this route's namespace. Default: the route's.").optional(),
    port: port("The MultiClusterService's port.").optional(),
    weight: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .default(1)
      .describe("The share of the rule's traffic, relative to the rule's other backends; the shares MUST come to whole percents. Default 1."),
    filters: z.unknown().optional().describe("Refused: filters apply to a whole rule in Fleetgate."),
  },
  "A backend of a rule.",
).superRefine((ref, ctx) => {
  const expected = ref.kind === "Service" ? "" : GKE_MCS_GROUP;
  if (ref.group !== expected)
    ctx.addIssue({
      code: "custom",
      path: ["group"],
      message: `${JSON.stringify(ref.group)} is not the group of kind ${ref.kind}; write ${expected === "" ? 'group: "" (or leave it out)' : `group: ${expected}`}`,
    });
  if (ref.port === undefined) ctx.addIssue({ code: "custom", path: ["port"], message: `is missing; name the ${ref.kind}'s port, e.g. port: 80` });
});

const rule = strictObject(
  {
    name: dnsLabel("The rule's name, shown in messages and route tables.").optional(),
    matches: z
      .array(routeMatch)
      .min(1)
      .max(64)
      .default([{ path: { type: "PathPrefix", value: "/" } }])
      .describe("The rule's matches, ORed. Default: every path (PathPrefix /)."),
    filters: z.array(filter).max(16).optional(),
    backendRefs: z.array(backendRef).max(16).optional().describe("Where matching requests go. Without backends a rule MUST redirect."),
    timeouts: strictObject(
      {
        request: duration("The time a request may take in all.").optional(),
        backendRequest: duration("The time one request to a backend may take; at most request.").optional(),
      },
      "Timeouts of the rule.",
    ).optional(),
  },
  "A rule: matches, filters and backends.",
);

const parentRef = strictObject(
  {
    group: z.literal(GATEWAY_GROUP).default(GATEWAY_GROUP).describe(`${GATEWAY_GROUP} (the default).`),
    kind: z.literal("Gateway").default("Gateway").describe("Gateway (the default)."),
    namespace: dnsLabel("The gateway namespace: fleetgate:gateway.namespace (default fleetgate-gateway).").optional(),
    name: dnsLabel("The environment's gateway: the name of the admin's Gateway in the gateway namespace, or fleetgate when the environment has none."),
    sectionName: z
      .string()
      .optional()
      .describe(
        "The listener of the admin's Gateway to attach to (absent: every listener whose allowedRoutes admit the route). Refused without an admin's Gateway: the implicit fleet gateway's listeners are Fleetgate's own, one per host.",
      ),
    port: port("The listener port: 443, where the front doors serve HTTPS (with the admin's Gateway: a port of its listeners).").optional(),
  },
  "The gateway the route attaches to: the environment's Gateway.",
);

export const httpRouteSchema = strictObject(
  {
    apiVersion: z.literal(`${GATEWAY_GROUP}/v1`).describe(`${GATEWAY_GROUP}/v1, the standard channel.`),
    kind: z.literal("HTTPRoute"),
    metadata,
    spec: strictObject(
      {
        parentRefs: z
          .array(parentRef)
          .min(1, { error: "lists no gateway; attach the route to the fleet gateway: parentRefs: [{ name: fleetgate, namespace: fleetgate-gateway }]" })
          .max(32)
          .describe(
            "The gateways the route attaches to: the admin's Gateway in the gateway namespace (fleetgate:gateway.namespace, default fleetgate-gateway), or, without one, the implicit fleet gateway fleetgate there.",
          ),
        hostnames: z
          .array(hostName("A host the route serves, or a wildcard *.example.com."))
          .max(16)
          .default([])
          .describe(
            "The hosts the route serves, intersected with the hostnames of the admin's listeners it attaches to (wildcards per the Gateway API). Fleetgate serves every team from one front door, so a route MUST name its hosts unless its listeners have hostnames; each host served is a claim, as a MultiClusterIngress rule's host.",
          ),
        rules: z
          .array(rule)
          .min(1)
          .max(16)
          .default([{ matches: [{ path: { type: "PathPrefix", value: "/" } }] }]),
      },
      "The HTTPRoute spec.",
    ),
  },
  "Hosts and paths served worldwide, in the Kubernetes Gateway API (HTTPRoute, standard channel).",
);

export const referenceGrantSchema = strictObject(
  {
    apiVersion: z.literal(`${GATEWAY_GROUP}/v1beta1`).describe(`${GATEWAY_GROUP}/v1beta1.`),
    kind: z.literal("ReferenceGrant"),
    metadata,
    spec: strictObject(
      {
        from: z
          .array(
            strictObject(
              { group: z.literal(GATEWAY_GROUP), kind: z.literal("HTTPRoute"), namespace: dnsLabel("The namespace whose HTTPRoutes may refer here.") },
              "Who may refer to this namespace.",
            ),
          )
          .min(1)
          .max(16),
        to: z
          .array(
            strictObject(
              {
                group: z.enum(["", GKE_MCS_GROUP]).describe(`"" for Services, ${GKE_MCS_GROUP} for ServiceImports.`),
                kind: z.enum(["Service", "ServiceImport"]),
                name: dnsLabel("The one Service or ServiceImport; absent: all of them.").optional(),
              },
              "What they may refer to.",
            ),
          )
          .min(1)
          .max(16),
      },
      "The ReferenceGrant spec.",
    ),
  },
  "Allows HTTPRoutes of other namespaces to send to this namespace's services (Gateway API ReferenceGrant).",
);

export type HTTPRoute = z.output<typeof httpRouteSchema>;
export type HTTPRouteRule = HTTPRoute["spec"]["rules"][number];
export type HTTPRouteMatch = HTTPRouteRule["matches"][number];
export type HTTPRouteFilter = NonNullable<HTTPRouteRule["filters"]>[number];
export type HTTPBackendRef = NonNullable<HTTPRouteRule["backendRefs"]>[number];
export type ReferenceGrant = z.output<typeof referenceGrantSchema>;

// --- The platform admin's Gateway -----------------------------------------------------------------

/** The GatewayClass of GKE's multi-cluster global external Application Load Balancer: the one Fleetgate reads. */
export const GKE_MC_GATEWAY_CLASS = "gke-l7-global-external-managed-mc";
/** The TLS options GKE reads on a listener (spec/fleet-gateway.ts answers each). */
export const GKE_PRE_SHARED_CERTS = "networking.gke.io/pre-shared-certs";
export const GKE_CERT_MANAGER_CERTS = "networking.gke.io/cert-manager-certs";

const listener = strictObject(
  {
    name: dnsLabel("The listener's name, unique in the Gateway; an HTTPRoute's parentRefs[].sectionName names it."),
    hostname: hostName("The host, or wildcard *.example.com, the listener serves. Absent: every host. Routes' hostnames are intersected with it.").optional(),
    port: port("443 for HTTPS; 80 for HTTP, where the front door redirects every request to HTTPS."),
    protocol: z
      .string()
      .min(1)
      .describe("HTTPS (served by the front door with its certificates) or HTTP (port 80: the front door's redirect to HTTPS). Other protocols are refused."),
    tls: strictObject(
      {
        mode: z
          .enum(["Terminate", "Passthrough"])
          .default("Terminate")
          .describe("Terminate (the default): the front door terminates TLS. Passthrough is refused: the front door is an Application Load Balancer."),
        certificateRefs: z
          .array(
            strictObject(
              {
                group: z.string().default("").describe('"" (core).'),
                kind: z.string().default("Secret").describe("Secret (the default)."),
                name: z.string().min(1).describe("The Secret's name."),
                namespace: dnsLabel("The Secret's namespace.").optional(),
              },
              "A certificate held in a Kubernetes Secret.",
            ),
          )
          .max(64)
          .optional()
          .describe(
            "Refused: GKE's multi-cluster Gateways take no certificates from Secrets, and Fleetgate's front door serves Certificate Manager certificates it issues per host, or those named in options.",
          ),
        options: z
          .record(z.string(), z.string())
          .optional()
          .describe(
            `${GKE_CERT_MANAGER_CERTS}: Certificate Manager certificates (comma-separated), served for the listener's hosts instead of managed ones, as an ingress's fleetgate.io/certificate-manager-certs (GCP only). ${GKE_PRE_SHARED_CERTS} is answered with a warning: the environment's one certificate map cannot serve Compute Engine certificates, so the hosts get managed certificates.`,
          ),
        frontendValidation: z.unknown().optional().describe("Refused: the front door does not verify client certificates."),
      },
      "TLS of an HTTPS listener. Absent: Fleetgate issues a managed certificate per host, as for every host.",
    ).optional(),
    allowedRoutes: strictObject(
      {
        namespaces: strictObject(
          {
            from: z
              .enum(["All", "Same", "Selector"])
              .default("Same")
              .describe(
                "Same (the Gateway API's default): routes of the gateway namespace only; All: routes of every namespace (each still limited to the hosts fleetgate:hostOwnership grants it). Selector is refused: Fleetgate knows no namespace labels.",
              ),
            selector: z.unknown().optional().describe("Refused with Selector."),
          },
          "Which namespaces' routes may attach.",
        ).optional(),
        kinds: z
          .array(
            strictObject(
              {
                group: z.string().default(GATEWAY_GROUP).describe(`${GATEWAY_GROUP} (the default).`),
                kind: z.string().min(1).describe("HTTPRoute: the only route kind Fleetgate reads."),
              },
              "A route kind.",
            ),
          )
          .max(8)
          .optional()
          .describe("The route kinds that may attach. Absent or empty: the listener's protocol decides, HTTPRoute for HTTP and HTTPS listeners."),
      },
      "Which routes may attach to the listener. Absent: HTTPRoutes of the gateway namespace only (the Gateway API's default).",
    ).optional(),
  },
  "A listener of the admin's Gateway.",
);

export const gatewaySchema = strictObject(
  {
    apiVersion: z.literal(`${GATEWAY_GROUP}/v1`).describe(`${GATEWAY_GROUP}/v1, the standard channel.`),
    kind: z.literal("Gateway"),
    metadata: strictObject(
      {
        name: dnsLabel("The Gateway's name: the name HTTPRoutes' parentRefs name instead of fleetgate."),
        namespace: dnsLabel(
          "The gateway namespace (fleetgate:gateway.namespace, default fleetgate-gateway): the platform team's folder stacks/<env>/<gateway namespace>/.",
        ),
        labels: labelMap.optional(),
        annotations: annotationMap.optional(),
      },
      "Standard Kubernetes object metadata.",
    ),
    spec: strictObject(
      {
        gatewayClassName: z
          .string()
          .min(1)
          .describe(`${GKE_MC_GATEWAY_CLASS}: GKE's multi-cluster global external Application Load Balancer, whose place the front door takes.`),
        listeners: z.array(listener).min(1).max(64).describe("The hosts and ports the front door serves, and which routes may attach."),
        addresses: z
          .array(
            strictObject(
              {
                type: z.string().default("IPAddress").describe("NamedAddress (a reserved global address's name) or IPAddress (the default)."),
                value: z.string().min(1).describe("The address's name, or its IP."),
              },
              "An address the front door serves on.",
            ),
          )
          .max(16)
          .optional()
          .describe("The reserved global address the front door serves on: the environment's own, or one the admin adopted (fleetgate:gcp.adoptAddresses)."),
        infrastructure: z
          .unknown()
          .optional()
          .describe("Refused: the front door's resources are Fleetgate's; labels and annotations are not propagated to them."),
        backendTLS: z.unknown().optional().describe("Refused: the front door reaches the gateways with the environment's own settings."),
        tls: z
          .unknown()
          .optional()
          .describe("Refused: the front door's client-certificate validation and its certificate toward the gateways are Fleetgate's own."),
        allowedListeners: z.unknown().optional().describe("Refused: the Gateway's listeners are all in this manifest; Fleetgate reads no ListenerSets."),
      },
      "The Gateway spec.",
    ),
  },
  "The platform admin's GKE multi-cluster Gateway: its listeners, addresses and TLS options become the environment's front-door settings, and its name is what HTTPRoutes attach to.",
);

export type Gateway = z.output<typeof gatewaySchema>;
export type GatewayListener = Gateway["spec"]["listeners"][number];
