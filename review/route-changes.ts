/**
 * The route changes between two offline plans, as rules rather than URL-map values: the rows of
 * `npm run routes` (review/route-model/table.ts) of each side, paired by host, port and match, and
 * reported per host as rules added, removed and changed (action, clusters, or place in the order).
 * Pure: two PlanDocuments (and, for owners, their FleetPlans) in, HostRouteChanges out.
 */
import type { RegisteredResource } from "../offline/mock-engine";
import type { PlanDocument, PlannedResource } from "../offline/render";
import type { FleetPlan } from "../spec/plan";
import { readRoutingConfig } from "./route-model/config";
import { routeRows, type RouteRow } from "./route-model/table";
import type { LeafChange } from "./values";

export interface RuleChange {
  readonly kind: "added" | "removed" | "changed";
  readonly port: number;
  readonly match: string;
  /** The row in the base (absent when added). */
  readonly before?: RouteRow;
  /** The row in the head (absent when removed). */
  readonly after?: RouteRow;
  /** For `changed`: what differs. `order` means the rule moved among the rules both sides have. */
  readonly changed: readonly ("action" | "clusters" | "order")[];
}

export interface HostRouteChanges {
  readonly host: string;
  /** `added` when the base has no rule for the host, `removed` when the head has none. */
  readonly status: "added" | "removed" | "changed";
  /** From the FleetPlans when given (the head's, else the base's); empty otherwise. */
  readonly owners: readonly string[];
  /** In the order the front door or the gateways try the rules (head order; removed rules where they stood). */
  readonly rules: readonly RuleChange[];
}

/**
 * The plan's resources as the registrations the route model reads. A plan stores a resource's provider
 * without the provider's id and leaves out property dependencies (which only tie an AWS endpoint to its
 * NLB Service, not needed for the rules); the id is put back as a placeholder.
 */
function registrations(plan: PlanDocument): RegisteredResource[] {
  return plan.resources.map(
    (r: PlannedResource) =>
      ({
        ...r,
        inputs: (r.inputs ?? {}) as Record<string, unknown>,
        outputs: (r.outputs ?? {}) as Record<string, unknown>,
        ...(r.provider ? { provider: `${r.provider}::plan` } : {}),
        propertyDependencies: {},
        additionalSecretOutputs: [],
      }) as unknown as RegisteredResource,
  );
}

/** The rows of `npm run routes` for a plan: every host's rules in precedence order. */
export function planRouteRows(plan: PlanDocument, fleet?: FleetPlan): RouteRow[] {
  const rows = routeRows(readRoutingConfig(plan.stack, registrations(plan)), fleet);
  return fleet ? rows : rows.map((r) => ({ ...r, owners: [] }));
}

/**
 * A rule's identity: host, port and match, never its order number (a priority renumbered because a
 * rule was inserted before it is the same rule). The same match twice on one host and port (possible
 * across clusters behind AWS) is told apart by its occurrence.
 */
function keyed(rows: readonly RouteRow[]): Map<string, RouteRow> {
  const out = new Map<string, RouteRow>();
  const seen = new Map<string, number>();
  for (const row of rows) {
    const base = `${row.host}\n${row.port}\n${row.match}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    out.set(n === 1 ? base : `${base}\n#${n}`, row);
  }
  return out;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function diffRoutes(baseRows: readonly RouteRow[], headRows: readonly RouteRow[]): HostRouteChanges[] {
  const base = keyed(baseRows);
  const head = keyed(headRows);
  const hostOf = (key: string) => key.slice(0, key.indexOf("\n"));
  const portOf = (key: string) => key.split("\n")[1]!;
  // Hosts in the order of the head's table, then those only the base has, in the base's order.
  const hosts = [...new Set([...head.values(), ...base.values()].map((r) => r.host))];

  // A rule's place: its rank among the rules of its host and port that both sides have. Inserting or
  // removing a rule shifts numbers but not ranks; only a real reordering changes a rank.
  const ranks = (side: Map<string, RouteRow>, other: Map<string, RouteRow>) => {
    const rank = new Map<string, number>();
    const counters = new Map<string, number>();
    for (const key of side.keys()) {
      if (!other.has(key)) continue;
      const group = `${hostOf(key)}\n${portOf(key)}`;
      const n = counters.get(group) ?? 0;
      counters.set(group, n + 1);
      rank.set(key, n);
    }
    return rank;
  };
  const baseRank = ranks(base, head);
  const headRank = ranks(head, base);

  const out: HostRouteChanges[] = [];
  for (const host of hosts) {
    const headKeys = [...head.keys()].filter((k) => hostOf(k) === host);
    const baseKeys = [...base.keys()].filter((k) => hostOf(k) === host);
    // A removed rule is listed after the nearest rule before it in the base that the head still has.
    const removedAfter = new Map<string, string[]>();
    let anchor = "";
    for (const key of baseKeys) {
      if (head.has(key)) anchor = key;
      else removedAfter.set(anchor, [...(removedAfter.get(anchor) ?? []), key]);
    }
    const rules: RuleChange[] = [];
    const removed = (key: string) => {
      const before = base.get(key)!;
      rules.push({ kind: "removed", port: before.port, match: before.match, before, changed: [] });
    };
    for (const key of removedAfter.get("") ?? []) removed(key);
    for (const key of headKeys) {
      const after = head.get(key)!;
      const before = base.get(key);
      if (!before) rules.push({ kind: "added", port: after.port, match: after.match, after, changed: [] });
      else {
        const changed = [
          ...(before.action !== after.action ? (["action"] as const) : []),
          ...(!sameList(before.clusters, after.clusters) ? (["clusters"] as const) : []),
          ...(baseRank.get(key) !== headRank.get(key) ? (["order"] as const) : []),
        ];
        if (changed.length > 0) rules.push({ kind: "changed", port: after.port, match: after.match, before, after, changed });
      }
      for (const gone of removedAfter.get(key) ?? []) removed(gone);
    }
    if (rules.length === 0) continue;
    const owners = (headKeys.length > 0 ? head.get(headKeys[0]!)! : base.get(baseKeys[0]!)!).owners;
    out.push({ host, status: baseKeys.length === 0 ? "added" : headKeys.length === 0 ? "removed" : "changed", owners, rules });
  }
  return out;
}

// --- Which URL-map input paths the rules show --------------------------------------------------------

/**
 * The URL-map input paths (object keys only, element positions dropped) whose every change shows in the
 * rows of table.ts: host rules, matcher names, priorities, what describeMatchRule prints of a match, and
 * what gcpAction prints of an action (backends and weights, redirects, host and prefix rewrites). Kept in
 * step with table.ts by hand: a path missing here is shown raw, which is the safe side. Left out on
 * purpose, because a row does not show them in full: descriptions, header actions (a row names the
 * header, not its value), timeouts, retries, mirrors, fault injection and `stripQuery`.
 */
const TARGET = [
  "service",
  "routeAction.weightedBackendServices.backendService",
  "routeAction.weightedBackendServices.weight",
  "routeAction.urlRewrite.hostRewrite",
  "routeAction.urlRewrite.pathPrefixRewrite",
  "urlRedirect.hostRedirect",
  "urlRedirect.pathRedirect",
  "urlRedirect.prefixRedirect",
  "urlRedirect.httpsRedirect",
  "urlRedirect.redirectResponseCode",
];
const MATCH = [
  "fullPathMatch",
  "prefixMatch",
  "regexMatch",
  "pathTemplateMatch",
  "ignoreCase",
  ...["headerName", "exactMatch", "prefixMatch", "suffixMatch", "regexMatch", "invertMatch"].map((k) => `headerMatches.${k}`),
  ...["name", "exactMatch", "regexMatch", "presentMatch"].map((k) => `queryParameterMatches.${k}`),
];
const defaults = (prefix: string) =>
  TARGET.map(
    (t) =>
      `${prefix}${t.startsWith("service") ? "defaultService" : t.replace(/^(routeAction|urlRedirect)/, (m) => `default${m[0]!.toUpperCase()}${m.slice(1)}`)}`,
  );
const SHOWN_PATHS = new Set([
  "hostRules.hosts",
  "hostRules.pathMatcher",
  ...defaults(""),
  "pathMatchers.name",
  ...defaults("pathMatchers."),
  "pathMatchers.routeRules.priority",
  ...MATCH.map((m) => `pathMatchers.routeRules.matchRules.${m}`),
  ...TARGET.map((t) => `pathMatchers.routeRules.${t}`),
  "pathMatchers.pathRules.paths",
  ...TARGET.map((t) => `pathMatchers.pathRules.${t}`),
]);

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isObjectArray = (v: unknown): v is unknown[] => Array.isArray(v) && v.some((x) => x !== null && typeof x === "object");
const ABORT = "routeAction.faultInjectionPolicy.abort";

/**
 * A changed leaf split into the leaves of what was added or removed whole (a rule, a path matcher), so
 * that each can be judged alone. An abort is kept whole: whether a row shows it depends on its percentage.
 */
function expand(change: LeafChange): LeafChange[] {
  const { path, before, after } = change;
  const last = path[path.length - 1];
  if (last === "abort") return [change];
  const one = before === undefined ? after : after === undefined ? before : undefined;
  const side = (v: unknown) => (before === undefined ? { before: undefined, after: v } : { before: v, after: undefined });
  if (isRecord(one)) return Object.entries(one).flatMap(([k, v]) => expand({ path: [...path, k], ...side(v) }));
  if (isObjectArray(one)) return one.flatMap((v, i) => expand({ path: [...path, i], ...side(v) }));
  return [change];
}

/** Whether a row of table.ts shows this leaf's change in full. */
function shown(change: LeafChange): boolean {
  const key = change.path.filter((s): s is string => typeof s === "string").join(".");
  if (key.endsWith(ABORT)) {
    // gcpAction prints an abort as `answer <status>` only when it always aborts.
    const always = (v: unknown) => v === undefined || (isRecord(v) && typeof v["percentage"] === "number" && v["percentage"] >= 100);
    return (key === `pathMatchers.routeRules.${ABORT}` || key === `pathMatchers.pathRules.${ABORT}`) && always(change.before) && always(change.after);
  }
  // An empty list added or removed with its rule (`headerMatches: []`) holds nothing to show.
  if (
    (Array.isArray(change.before) && change.before.length === 0 && change.after === undefined) ||
    (Array.isArray(change.after) && change.after.length === 0 && change.before === undefined)
  )
    return true;
  return SHOWN_PATHS.has(key);
}

/**
 * A URL map's changed inputs split into those the route rows show (the Routes section lists them as
 * rules) and those they do not (shown raw, in the resource section).
 */
export function splitUrlMapChanges(changes: readonly LeafChange[]): { readonly shown: readonly LeafChange[]; readonly notShown: readonly LeafChange[] } {
  const leaves = changes.flatMap(expand);
  return { shown: leaves.filter(shown), notShown: leaves.filter((c) => !shown(c)) };
}

export const URL_MAP_TYPE = "gcp:compute/uRLMap:URLMap";
