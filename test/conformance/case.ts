/**
 * The shape of a conformance case: one test of the Gateway API conformance suite's HTTPRoute tests,
 * transcribed as data (its routes adapted to Fleetgate, its requests with what they must get), and
 * what Fleetgate refuses of it on each front door, with the reason the validator must give.
 *
 * Adaptations every case shares (the suite's own manifests would be refused as written, see
 * conformance.test.ts): routes live in team folders named after their namespace and attach to the
 * environment's fleet gateway; backends are MultiClusterServices of the suite's backend names, port
 * 8080, in every cluster; a route on the implicit fleet gateway names hostnames (Fleetgate serves all
 * teams from one front door, so such a route without hostnames is refused; on the admin's Gateway it
 * takes its listener's), and requests use them over HTTPS (port 80 only redirects).
 */
import { GATEWAY_NAME, DEFAULT_GATEWAY_NAMESPACE } from "../../spec/naming";

export type FrontDoor = "gcp" | "aws";
export const FRONT_DOORS: readonly FrontDoor[] = ["gcp", "aws"];

/** The suite's namespaces, kept as team folders. */
export const INFRA = "gateway-conformance-infra";
export const WEB = "gateway-conformance-web-backend";

/** Where the transcription comes from: kubernetes-sigs/gateway-api at this commit. */
export const UPSTREAM_COMMIT = "4564255ac2c35d582249b3cdf261bdf51c8bca32";

export interface ConformanceRequest {
  /** The Host header; default: the case's first host. A port in it stays in the header (the request still goes to 443). */
  readonly host?: string;
  /** The path, with the query if any. */
  readonly path: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The route (`name`) or rule (`name#index`) the request is for: when Fleetgate refuses that rule on a front door, the request is listed as refused there. */
  readonly via?: string;
}

/** What the backend saw or what the client got back, as the suite checks it: given headers equal, absent ones absent. */
export interface HeaderExpectation {
  readonly headers?: Readonly<Record<string, string>>;
  readonly absent?: readonly string[];
}

export type ConformanceExpectation =
  /** Served by this backend (`name`, or `namespace/name`; default namespace: the suite's infra namespace). */
  | {
      readonly backend: string;
      /** The request the backend receives: its path, host and headers. */
      readonly request?: { readonly path?: string; readonly host?: string } & HeaderExpectation;
      /** Response headers the backend sets, and what the client must see after the route's changes. */
      readonly response?: { readonly fromBackend: Readonly<Record<string, string>> } & HeaderExpectation;
    }
  /** Answered by the front door or gateway with this status. */
  | { readonly status: number }
  /** Redirected: the status and the parts of the location the suite checks. */
  | { readonly redirect: { readonly status: number; readonly scheme?: string; readonly host?: string; readonly port?: string; readonly path?: string } }
  /**
   * Split between backends with these weights in percent. The suite sends many requests and checks the
   * distribution; the evaluator reads the planned split, so the weights themselves are checked.
   */
  | { readonly weights: Readonly<Record<string, number>> };

export interface ConformanceCheck {
  readonly request: ConformanceRequest;
  readonly expect: ConformanceExpectation;
}

/** Something Fleetgate refuses on a front door: the validator's error at the document (or its rule or host name) contains `reason`. */
export interface Refusal {
  /** The HTTPRoute, or another document of the case (the admin's Gateway). */
  readonly route: string;
  /** The rule refused; absent (and no hostname): the whole route is refused. */
  readonly rule?: number;
  /** The host name refused (it leaves the route, which keeps serving its others). */
  readonly hostname?: string;
  readonly reason: string;
}

export interface ConformanceCase {
  /** The suite's test name (its ShortName). */
  readonly name: string;
  /** The upstream files transcribed. */
  readonly source: readonly string[];
  /** The hosts the routes serve (Fleetgate's adaptation of the suite's hosts). */
  readonly hosts: readonly string[];
  /** Documents by namespace: HTTPRoutes (see route()) and ReferenceGrants. */
  readonly documents: readonly Record<string, unknown>[];
  readonly checks: readonly ConformanceCheck[];
  /** What Fleetgate refuses of the case, per front door. */
  readonly refused?: Partial<Record<FrontDoor, readonly Refusal[]>>;
  /** What was changed from the suite's manifest, besides the shared adaptations above. */
  readonly adapted?: readonly string[];
}

/** The upstream file, as cited in the data. */
export const upstream = (file: string) => `kubernetes-sigs/gateway-api@${UPSTREAM_COMMIT.slice(0, 12)}:conformance/tests/${file}`;

export interface RouteOptions {
  readonly namespace?: string;
  readonly hostnames: readonly string[];
  readonly rules: readonly Record<string, unknown>[];
  /** The Gateway attached to; default: the environment's fleet gateway. */
  readonly gateway?: string;
  /** Listener names of the Gateway, one parentRef each. */
  readonly sectionNames?: readonly string[];
}

/** An HTTPRoute attached to the environment's fleet gateway. */
export function route(name: string, options: RouteOptions): Record<string, unknown> {
  const parent = { name: options.gateway ?? GATEWAY_NAME, namespace: DEFAULT_GATEWAY_NAMESPACE };
  const parentRefs = options.sectionNames ? options.sectionNames.map((sectionName) => ({ ...parent, sectionName })) : [parent];
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name, namespace: options.namespace ?? INFRA },
    spec: { parentRefs, hostnames: [...options.hostnames], rules: [...options.rules] },
  };
}

/** A backendRef to one of the suite's backends (port 8080). */
export const to = (name: string, extra: { weight?: number; namespace?: string } = {}) => ({ name, port: 8080, ...extra });

export const prefix = (value: string) => ({ path: { type: "PathPrefix", value } });
export const exact = (value: string) => ({ path: { type: "Exact", value } });
export const headers = (entries: Record<string, string>) => Object.entries(entries).map(([name, value]) => ({ name, value }));
