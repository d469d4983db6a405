/**
 * The order in which a host's routes are tried, across dialects: the Gateway API's precedence (HTTPRoute
 * spec, "matching precedence"), which also orders GKE paths the way GCE's longest match does.
 *
 * 1. an exact path before every prefix; 2. the longer path (in characters); 3. a method match first;
 * 4. more header matches; 5. more query parameter matches; 6. the older route, then the rule and the
 * match in list order. Documents in git have no creation time, so "older" is the earlier file path, then
 * the earlier position in the file. GKE paths carry no age: at a tie they come first, ordered by their
 * match key, as before Gateway API routes existed.
 *
 * A Gateway API PathPrefix `/v2` is planned as an Exact `/v2` and a Prefix `/v2/` (spec/http-routes.ts):
 * both keep the precedence of the one prefix they come from (not exact, 3 characters), so that a real
 * Exact `/v2` elsewhere still wins over the prefix's exact half whatever their other conditions.
 */
import { matchKey } from "./paths";
import type { RouteMatchPlan } from "./plan";

export interface RoutePrecedence {
  /** The match is an exact path as written (not the exact half of a PathPrefix). */
  readonly exact: boolean;
  /** Characters of the path as written: a PathPrefix without its final "/", a GKE `/x/*` as `/x`. */
  readonly length: number;
  /** Where the route is written: `file`, position, rule, match (empty for GKE paths, which have no age). */
  readonly source: string;
}

export interface Ranked {
  readonly match: RouteMatchPlan;
  readonly precedence: RoutePrecedence;
}

/** The precedence of a GKE path's match: its exact path, or its `/x/` prefix read as the element prefix `/x`. */
export function gkePrecedence(match: RouteMatchPlan): RoutePrecedence {
  const value = match.path.value;
  return { exact: match.path.type === "Exact", length: match.path.type === "Exact" || value === "/" ? value.length : value.length - 1, source: "" };
}

/** The source key of a Gateway API route's match: file, then position, rule and match, each zero-padded. */
export function sourceKey(file: string, index: number, rule: number, match: number): string {
  const pad = (n: number) => String(n).padStart(6, "0");
  return `${file}\u0000${pad(index)}\u0000${pad(rule)}\u0000${pad(match)}`;
}

export function comparePrecedence(a: Ranked, b: Ranked): number {
  if (a.precedence.exact !== b.precedence.exact) return a.precedence.exact ? -1 : 1;
  if (a.precedence.length !== b.precedence.length) return b.precedence.length - a.precedence.length;
  const method = (r: Ranked) => (r.match.method !== undefined ? 1 : 0);
  if (method(a) !== method(b)) return method(b) - method(a);
  if (a.match.headers.length !== b.match.headers.length) return b.match.headers.length - a.match.headers.length;
  if (a.match.queryParams.length !== b.match.queryParams.length) return b.match.queryParams.length - a.match.queryParams.length;
  if (a.precedence.source !== b.precedence.source) return a.precedence.source < b.precedence.source ? -1 : 1;
  const ka = matchKey(a.match);
  const kb = matchKey(b.match);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The order of two GKE matches (no age, no PathPrefix halves): what `comparePrecedence` says of them. */
export function compareGkeMatches(a: RouteMatchPlan, b: RouteMatchPlan): number {
  return comparePrecedence({ match: a, precedence: gkePrecedence(a) }, { match: b, precedence: gkePrecedence(b) });
}
