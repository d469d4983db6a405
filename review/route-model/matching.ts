/**
 * The match primitives of the two routers a request meets, each with its documented meaning:
 * the GCP URL map (Compute API: HostRule, HttpRouteRuleMatch, HttpHeaderMatch, HttpQueryParameterMatch)
 * and the Gateway API as Istio implements it (HTTPRoute matches, listener and route host names).
 * Regular expressions are RE2 in both; JavaScript's RegExp agrees on the syntax Fleetgate writes
 * (literals, `.`, `*`, groups, anchors), and a pattern it cannot compile matches nothing.
 */
import { gatewayPathMatches } from "../../components/kubernetes/routes";
import { headerValue, queryParams, type EvalRequest } from "./request";

/** A whole-value RE2 match; a pattern that does not compile matches nothing. */
export function fullMatch(pattern: string, value: string, flags = ""): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`, flags).test(value);
  } catch {
    return false;
  }
}

// --- GCP URL map ---------------------------------------------------------------------------------

/**
 * Whether a host rule pattern takes a host. `*` matches any string of [a-z0-9-.] and may only lead the
 * pattern (HostRule.hosts); a pattern may carry a port (`host:port`), which must then be the request's.
 */
export function gcpHostMatches(pattern: string, host: string, port?: number): boolean {
  const [name, patternPort] = pattern.toLowerCase().split(":") as [string, string | undefined];
  if (patternPort !== undefined && port !== undefined && Number(patternPort) !== port) return false;
  if (name === "*") return true;
  if (!name.startsWith("*")) return name === host;
  const suffix = name.slice(1);
  return host.endsWith(suffix) && /^[a-z0-9.-]*$/.test(host.slice(0, host.length - suffix.length));
}

/**
 * How specific a matching host pattern is, for choosing among host rules: an exact host before any
 * wildcard, a longer wildcard suffix before a shorter one, `*` last (the load balancer's Envoy picks
 * the virtual host the same way).
 */
export function gcpHostSpecificity(pattern: string): number {
  const name = pattern.split(":")[0]!;
  return name.startsWith("*") ? name.length - 1 : 10_000 + name.length;
}

export interface GcpPathMatch {
  readonly prefixMatch?: string;
  readonly fullPathMatch?: string;
  readonly regexMatch?: string;
  readonly pathTemplateMatch?: string;
  readonly ignoreCase?: boolean;
}

/** URL map path conditions compare the path without its query (HttpRouteRuleMatch). */
export function gcpPathMatches(match: GcpPathMatch, path: string): boolean {
  const fold = (s: string) => (match.ignoreCase ? s.toLowerCase() : s);
  if (match.fullPathMatch !== undefined) return fold(path) === fold(match.fullPathMatch);
  if (match.prefixMatch !== undefined) return fold(path).startsWith(fold(match.prefixMatch));
  if (match.regexMatch !== undefined) return fullMatch(match.regexMatch, path, match.ignoreCase ? "i" : "");
  if (match.pathTemplateMatch !== undefined) return pathTemplateMatches(match.pathTemplateMatch, path, match.ignoreCase === true);
  return true;
}

/** `{var}` and `*` take one path segment, `{var=**}` and `**` the rest (HttpRouteRuleMatch.pathTemplateMatch). */
export function pathTemplateMatches(template: string, path: string, ignoreCase = false): boolean {
  const pattern = template
    .split("/")
    .map((segment) => {
      if (/^(\{[^}=]+=\*\*\}|\*\*)$/.test(segment)) return "(?:.*)";
      if (/^(\{[^}=]+(=\*)?\}|\*)$/.test(segment)) return "[^/]+";
      return segment.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
    })
    .join("/");
  return fullMatch(pattern, path, ignoreCase ? "i" : "");
}

/** The part of a request a header condition reads: pseudo-headers, or the header's values joined with ",". */
export function requestHeader(request: EvalRequest, name: string): string | undefined {
  switch (name.toLowerCase()) {
    case ":method":
      return request.method;
    case ":authority":
      return request.host;
    case ":path":
      return request.query ? `${request.path}?${request.query}` : request.path;
    case ":scheme":
      return request.scheme;
    default:
      return headerValue(request.headers, name);
  }
}

export interface GcpHeaderMatch {
  readonly headerName: string;
  readonly exactMatch?: string;
  readonly prefixMatch?: string;
  readonly suffixMatch?: string;
  readonly presentMatch?: boolean;
  readonly regexMatch?: string;
  readonly rangeMatch?: { readonly rangeStart?: number | string; readonly rangeEnd?: number | string };
  readonly invertMatch?: boolean;
}

/** HttpHeaderMatch: one of the value conditions (a missing header matches none but presentMatch false), then invertMatch. */
export function gcpHeaderMatches(match: GcpHeaderMatch, request: EvalRequest): boolean {
  const value = requestHeader(request, match.headerName);
  let result: boolean;
  if (match.presentMatch !== undefined) result = (value !== undefined) === match.presentMatch;
  else if (value === undefined) result = false;
  else if (match.exactMatch !== undefined) result = value === match.exactMatch;
  else if (match.prefixMatch !== undefined) result = value.startsWith(match.prefixMatch);
  else if (match.suffixMatch !== undefined) result = value.endsWith(match.suffixMatch);
  else if (match.regexMatch !== undefined) result = fullMatch(match.regexMatch, value);
  else if (match.rangeMatch !== undefined) {
    const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
    result = n >= Number(match.rangeMatch.rangeStart ?? -Infinity) && n < Number(match.rangeMatch.rangeEnd ?? Infinity);
  } else result = value !== undefined;
  return match.invertMatch ? !result : result;
}

export interface GcpQueryMatch {
  readonly name: string;
  readonly exactMatch?: string;
  readonly presentMatch?: boolean;
  readonly regexMatch?: string;
}

/** HttpQueryParameterMatch, on the parameter's first value. */
export function gcpQueryMatches(match: GcpQueryMatch, request: EvalRequest): boolean {
  const value = queryParams(request.query).get(match.name);
  if (match.presentMatch !== undefined) return (value !== undefined) === match.presentMatch;
  if (value === undefined) return false;
  if (match.exactMatch !== undefined) return value === match.exactMatch;
  if (match.regexMatch !== undefined) return fullMatch(match.regexMatch, value);
  return true;
}

// --- Gateway API (Istio) --------------------------------------------------------------------------

/**
 * Whether a Gateway API host name (listener or route) takes a request host: exactly, or `*.x` any host
 * with one or more labels before `.x` (never `x` itself).
 */
export function gatewayHostMatches(hostname: string | undefined, host: string): boolean {
  if (hostname === undefined || hostname === "") return true;
  const name = hostname.toLowerCase();
  if (!name.startsWith("*.")) return name === host;
  return host.endsWith(name.slice(1)) && host.length > name.length - 1;
}

/** How specific a matching Gateway API host name is: exact before wildcard, longer before shorter, none last. */
export function gatewayHostSpecificity(hostname: string | undefined): number {
  if (hostname === undefined || hostname === "") return 0;
  return hostname.startsWith("*.") ? hostname.length : 10_000 + hostname.length;
}

export interface GatewayPathInput {
  readonly type?: "Exact" | "PathPrefix" | "RegularExpression";
  readonly value?: string;
}
export interface GatewayValueMatchInput {
  readonly name: string;
  readonly type?: "Exact" | "RegularExpression";
  readonly value: string;
}
export interface GatewayMatchInput {
  readonly path?: GatewayPathInput;
  readonly headers?: readonly GatewayValueMatchInput[];
  readonly queryParams?: readonly GatewayValueMatchInput[];
  readonly method?: string;
}

/** The path condition of a match with its defaults: a match without one is `PathPrefix /`. */
export function gatewayPathOf(match: GatewayMatchInput): { type: "Exact" | "PathPrefix" | "RegularExpression"; value: string } {
  return { type: match.path?.type ?? "PathPrefix", value: match.path?.value ?? "/" };
}

/** HTTPRouteMatch: every condition holds (header names case-insensitive, query names exact, method exact). */
export function gatewayMatchHolds(match: GatewayMatchInput, request: EvalRequest): boolean {
  if (!gatewayPathMatches(gatewayPathOf(match), request.path)) return false;
  if (match.method !== undefined && match.method !== request.method) return false;
  for (const h of match.headers ?? []) {
    const value = headerValue(request.headers, h.name);
    if (value === undefined || !((h.type ?? "Exact") === "Exact" ? value === h.value : fullMatch(h.value, value))) return false;
  }
  const params = queryParams(request.query);
  for (const q of match.queryParams ?? []) {
    const value = params.get(q.name);
    if (value === undefined || !((q.type ?? "Exact") === "Exact" ? value === q.value : fullMatch(q.value, value))) return false;
  }
  return true;
}

/** A match in words: `PathPrefix /v2, GET, header version=2, query q~^a`. */
export function describeGatewayMatch(match: GatewayMatchInput): string {
  const path = gatewayPathOf(match);
  const value = (m: GatewayValueMatchInput) => `${m.name}${(m.type ?? "Exact") === "Exact" ? "=" : "~"}${m.value}`;
  return [
    `${path.type} ${path.value}`,
    ...(match.method ? [match.method] : []),
    ...(match.headers ?? []).map((h) => `header ${value(h)}`),
    ...(match.queryParams ?? []).map((q) => `query ${value(q)}`),
  ].join(", ");
}
