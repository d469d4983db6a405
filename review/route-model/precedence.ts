/**
 * The order in which a gateway tries HTTPRoute matches, the Gateway API's precedence [kubernetes.httproute-precedence] (HTTPRouteRule
 * `matches`, "Proxy or Load Balancer routing configuration generated from HTTPRoutes MUST prioritize
 * matches based on the following criteria, continuing on ties"), as Istio implements it:
 * 1. path kind: Exact, then PathPrefix, then RegularExpression (the specification leaves regular
 *    expressions to the implementation; Istio puts them last);
 * 2. the longer path value (a PathPrefix's trailing "/" is not counted, as Istio drops it);
 * 3. a method match before none;
 * 4. more header matches; 5. more query parameter matches;
 * then, across routes, the older route, then namespace/name in alphabetical order; within a route, the
 * first rule in list order, then the first match. Generated objects have no creation time offline: the
 * evaluator ranks routes of equal age by namespace/name and reports a tie across routes (`tiesWith`),
 * where the cluster's creation order would decide.
 */
import { gatewayPathOf, type GatewayMatchInput } from "./matching";

/** One match of one rule of one route, where a gateway may try it. */
export interface RankedMatch<R> {
  readonly route: R;
  /** `namespace/name` of the HTTPRoute. */
  readonly routeKey: string;
  /** The route's age rank when known (smaller: older); undefined ranks by name alone. */
  readonly age?: number;
  readonly ruleIndex: number;
  readonly matchIndex: number;
  readonly match: GatewayMatchInput;
}

const PATH_RANK = { Exact: 3, PathPrefix: 2, RegularExpression: 1 } as const;

/** The criteria of one match, bigger first, compared in order. */
export function precedenceKey(match: GatewayMatchInput): [number, number, number, number, number] {
  const path = gatewayPathOf(match);
  const length = path.type === "PathPrefix" && path.value !== "/" && path.value.endsWith("/") ? path.value.length - 1 : path.value.length;
  return [PATH_RANK[path.type], length, match.method !== undefined ? 1 : 0, match.headers?.length ?? 0, match.queryParams?.length ?? 0];
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i]! - a[i]!;
  return 0;
}

/** The matches in the order the gateway tries them. */
export function orderMatches<R>(matches: readonly RankedMatch<R>[]): RankedMatch<R>[] {
  return matches
    .map((m) => ({ m, key: precedenceKey(m.match) }))
    .sort(
      (a, b) =>
        compareKeys(a.key, b.key) ||
        (a.m.age ?? Infinity) - (b.m.age ?? Infinity) ||
        (a.m.routeKey < b.m.routeKey ? -1 : a.m.routeKey > b.m.routeKey ? 1 : 0) ||
        a.m.ruleIndex - b.m.ruleIndex ||
        a.m.matchIndex - b.m.matchIndex,
    )
    .map((x) => x.m);
}

/** Whether two matches tie on every criterion the specification orders by before age. */
export function tie(a: GatewayMatchInput, b: GatewayMatchInput): boolean {
  return compareKeys(precedenceKey(a), precedenceKey(b)) === 0;
}
