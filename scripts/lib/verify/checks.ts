/**
 * What `npm run verify` expects of a live front door, as pure data: per host, the certificate, the
 * refusal of every TLS version below the environment's minimum, the redirect of plain HTTP on port 80,
 * and per route one request built to match it, with where the route model (the same evaluation as
 * `npm run route`) says it goes. Then the comparison of what a probe saw with what was expected, and the
 * table the tool prints.
 */
import { landingKeys, type Landing } from "../../../components/verification";
import { evaluateRequest, landings, type RouteTrace } from "../../../review/route-model/evaluate";
import type { RoutingConfig } from "../../../review/route-model/config";
import { parseRequest, type EvalRequest } from "../../../review/route-model/request";
import type { FleetPlan, HostPlan, RouteMatchPlan } from "../../../spec/plan";

export type TlsVersion = "TLSv1" | "TLSv1.1" | "TLSv1.2";

/** What a request should get: where it lands, a redirect, or an answer of the front door or gateway. */
export type Expectation =
  | { readonly kind: "landing"; readonly landings: readonly string[] }
  | { readonly kind: "redirect"; readonly status: number; readonly location: string }
  | { readonly kind: "answer"; readonly status: number };

export type Check =
  | { readonly kind: "certificate"; readonly host: string }
  | { readonly kind: "old-tls"; readonly host: string; readonly version: TlsVersion }
  | { readonly kind: "route"; readonly host: string; readonly route: string; readonly request: EvalRequest; readonly expect: Expectation };

/** Versions a client can offer below each minimum. */
const BELOW: Readonly<Record<"1.2" | "1.3", readonly TlsVersion[]>> = { "1.2": ["TLSv1", "TLSv1.1"], "1.3": ["TLSv1", "TLSv1.1", "TLSv1.2"] };

/** The path requested for a route: the exact path, or one under the prefix. */
const PROBE_SUFFIX = "fleetgate-verify";

/** Methods that change nothing by their definition (RFC 9110): what verify sends unless told otherwise. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A request the route's match takes, or why none is sent: a regular-expression condition names no
 * value, and a method that may change something (POST, DELETE...) reaches a live backend, so it is sent
 * only with `unsafeMethods`.
 */
export function requestFor(host: string, match: RouteMatchPlan, unsafeMethods = false): EvalRequest | string {
  if (match.method !== undefined && !SAFE_METHODS.has(match.method) && !unsafeMethods)
    return `its match is the method ${match.method}, which may change what the backend holds; --unsafe-methods sends it (without a body)`;
  const conditions = [...match.headers, ...match.queryParams];
  const regex = conditions.find((c) => c.type === "RegularExpression");
  if (regex) return `its condition on ${regex.name} is a regular expression, which names no value to send`;
  const path = match.path.type === "Exact" ? match.path.value : `${match.path.value}${PROBE_SUFFIX}`;
  const value = (m: { type: string; value?: string }) => (m.type === "Exact" ? m.value! : "present");
  const query = match.queryParams.map((q) => `${encodeURIComponent(q.name)}=${encodeURIComponent(value(q))}`).join("&");
  return parseRequest(
    `https://${host}${path}${query ? `?${query}` : ""}`,
    match.headers.map((h) => `${h.name}: ${value(h)}`),
    match.method ?? "GET",
  );
}

/** What the route model says a request gets; undefined when it cannot say (the trace shows why). */
export function expectationOf(trace: RouteTrace): Expectation | undefined {
  const f = trace.frontDoor;
  if (f.kind === "gcp" && f.urlMap.action.kind === "redirect") return { kind: "redirect", status: f.urlMap.action.status, location: f.urlMap.action.location };
  if (f.kind === "gcp" && f.urlMap.action.kind === "answer") return { kind: "answer", status: f.urlMap.action.status };
  const reached = landings(trace);
  if (reached.length > 0) return { kind: "landing", landings: reached };
  const outcomes =
    f.kind === "gcp"
      ? f.backends.flatMap((b) => b.clusters.map((c) => c.gateway.outcome))
      : f.kind === "aws"
        ? f.groups.flatMap((g) => g.clusters.map((c) => c.gateway.outcome))
        : [];
  const first = outcomes[0];
  if (!first || !outcomes.every((o) => JSON.stringify(o) === JSON.stringify(first))) return undefined;
  if (first.kind === "redirect") return { kind: "redirect", status: first.status, location: first.location };
  if (first.kind === "answer") return { kind: "answer", status: first.status };
  return undefined;
}

/** A host's checks: certificate, old TLS versions, the port-80 redirect, and one request per route (and for the default backend). */
function hostChecks(config: RoutingConfig, plan: FleetPlan, host: HostPlan, notes: string[], unsafeMethods: boolean): Check[] {
  const checks: Check[] = [{ kind: "certificate", host: host.name }];
  for (const version of BELOW[plan.frontDoor.minTlsVersion]) checks.push({ kind: "old-tls", host: host.name, version });
  const add = (route: string, request: EvalRequest) => {
    const expect = expectationOf(evaluateRequest(config, request));
    if (expect) checks.push({ kind: "route", host: host.name, route, request, expect });
    else notes.push(`${host.name} ${route}: the route model cannot say where ${request.path} goes (see npm run route); not probed`);
  };
  add("port 80", parseRequest(`http://${host.name}/${PROBE_SUFFIX}`));
  for (const route of host.routes) {
    const request = requestFor(host.name, route.match, unsafeMethods);
    if (typeof request === "string") notes.push(`${host.name} ${route.key}: not probed, because ${request}`);
    else add(route.key, request);
  }
  if (host.defaultBackend) add("(default backend)", parseRequest(`https://${host.name}/${PROBE_SUFFIX}-unrouted`));
  return checks;
}

/** Whether a name is one a wildcard host covers: one label in place of its `*`. */
function underWildcard(wildcard: string, name: string): boolean {
  const suffix = wildcard.slice(1);
  return name.endsWith(suffix) && name.length > suffix.length && !name.slice(0, -suffix.length).includes(".");
}

/**
 * Every check of the stack's hosts (or of one host), in the plan's host order. Wildcard hosts name no
 * host a client can ask for; they are noted, not probed, unless `--host` names one under them.
 */
export function buildChecks(config: RoutingConfig, plan: FleetPlan, only?: string, unsafeMethods = false): { checks: Check[]; notes: string[] } {
  const notes: string[] = [];
  const checks: Check[] = [];
  // A name the plan serves itself is that host's, even when a wildcard covers it too.
  const exact = only !== undefined && plan.hosts.some((h) => h.name === only);
  for (const host of plan.hosts) {
    if (only !== undefined && host.name !== only && (exact || !(host.wildcard && underWildcard(host.name, only)))) continue;
    if (host.wildcard && only === undefined) {
      notes.push(`${host.name}: a wildcard names no host to ask for; not probed (give --host with a name under it)`);
      continue;
    }
    checks.push(...hostChecks(config, plan, only !== undefined && host.wildcard ? { ...host, name: only } : host, notes, unsafeMethods));
  }
  return { checks, notes };
}

/** How many requests a check sends (the TLS checks open a connection, which counts as one). */
export const requestsOf = (checks: readonly Check[]) => checks.length;

// --- What a probe saw, and whether it is what was expected --------------------------------------

export type Observation =
  | { readonly kind: "certificate"; readonly valid: true; readonly summary: string }
  | { readonly kind: "certificate"; readonly valid: false; readonly error: string }
  | { readonly kind: "old-tls"; readonly outcome: "refused" | "accepted" | "inconclusive"; readonly detail: string }
  | { readonly kind: "response"; readonly status: number; readonly location?: string; readonly landed?: Landing; readonly landedRaw?: string }
  | { readonly kind: "error"; readonly error: string };

export interface Result {
  readonly check: Check;
  readonly observation: Observation;
  readonly latencyMs: number;
}

export interface Verdict {
  readonly host: string;
  readonly path: string;
  readonly expected: string;
  readonly got: string;
  readonly latencyMs: number;
  readonly ok: boolean;
  /** Set when the outcome could not be checked fully (no token: landing unknown). */
  readonly warning?: string;
}

const describeExpectation = (e: Expectation): string =>
  e.kind === "landing" ? e.landings.join(" | ") : e.kind === "redirect" ? `${e.status} -> ${e.location}` : `answer ${e.status}`;

function pathOf(check: Check): string {
  if (check.kind === "certificate") return "(certificate)";
  if (check.kind === "old-tls") return `(${check.version === "TLSv1" ? "TLS 1.0" : check.version.replace("TLSv", "TLS ")})`;
  const r = check.request;
  return `${r.scheme === "http" ? `(port ${r.port}) ` : ""}${r.method === "GET" ? "" : `${r.method} `}${r.path}${r.query ? `?${r.query}` : ""}`;
}

/** Compares what a probe saw with the check's expectation. `tokened`: the requests carried the verification token. */
export function judge(result: Result, tokened: boolean): Verdict {
  const { check, observation: o, latencyMs } = result;
  const base = { host: check.host, path: pathOf(check), latencyMs };
  if (o.kind === "error")
    return {
      ...base,
      expected: check.kind === "old-tls" ? "refused" : check.kind === "route" ? describeExpectation(check.expect) : "valid",
      got: o.error,
      ok: false,
    };
  if (check.kind === "certificate" && o.kind === "certificate")
    return { ...base, expected: `valid for ${check.host}`, got: o.valid ? o.summary : o.error, ok: o.valid };
  if (check.kind === "old-tls" && o.kind === "old-tls")
    return { ...base, expected: "refused", got: o.outcome === "refused" ? "refused" : `${o.outcome}: ${o.detail}`, ok: o.outcome === "refused" };
  if (check.kind !== "route" || o.kind !== "response") return { ...base, expected: "?", got: `unexpected observation ${o.kind}`, ok: false };
  const expected = describeExpectation(check.expect);
  const e = check.expect;
  if (e.kind === "redirect") {
    const ok = o.status === e.status && o.location === e.location;
    return { ...base, expected, got: `${o.status}${o.location !== undefined ? ` -> ${o.location}` : ""}`, ok };
  }
  if (e.kind === "answer") return { ...base, expected, got: `answer ${o.status}`, ok: o.status === e.status };
  if (o.landed) {
    const keys = landingKeys(o.landed);
    // A 5xx with the right landing reached the gateway's rule but not the Service (no endpoints, a timeout).
    return { ...base, expected, got: `${keys.join(" + ")} (${o.status})`, ok: keys.every((k) => e.landings.includes(k)) && o.status < 500 };
  }
  if (o.landedRaw !== undefined) return { ...base, expected, got: `${o.status}, unreadable landing ${JSON.stringify(o.landedRaw)}`, ok: false };
  // A redirect or a 5xx is wrong whatever the landing; without the token, any other answer came from some backend.
  if ((o.status >= 300 && o.status < 400) || o.status >= 500)
    return { ...base, expected, got: `${o.status}${o.location ? ` -> ${o.location}` : ""}`, ok: false };
  if (tokened) return { ...base, expected, got: `${o.status}, no landing header`, ok: false };
  return { ...base, expected, got: `${o.status}, landing unknown`, ok: true, warning: "landing unknown" };
}

/** The table: host, path, expected, got, latency, and a mark per row. */
export function renderTable(verdicts: readonly Verdict[]): string {
  const rows = [
    ["", "HOST", "PATH", "EXPECTED", "GOT", "LATENCY"],
    ...verdicts.map((v) => [v.ok ? (v.warning ? "?" : "ok") : "FAIL", v.host, v.path, v.expected, v.got, `${Math.round(v.latencyMs)} ms`]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return `${rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")).join("\n")}\n`;
}
