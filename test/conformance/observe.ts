/**
 * What a client and the backend see of one request, read from the route evaluator's trace: the
 * front door's answer or redirect, or the Services it lands on with their share of the traffic, the
 * request as the backend receives it (after every rewrite and header change on the way), and the
 * response header changes on the way back. Every cluster a request can reach must agree, or the
 * observation says that they do not.
 */
import type { GatewayResult } from "../../review/route-model/gateway";
import type { RouteTrace } from "../../review/route-model/evaluate";
import { applyHeaderChanges, type EvalRequest, type HeaderChange } from "../../review/route-model/request";

export type Observed =
  | { readonly kind: "answer"; readonly status: number; readonly reason: string }
  | { readonly kind: "redirect"; readonly status: number; readonly location: string }
  | {
      readonly kind: "forward";
      /** `namespace/name` to percent of the request's traffic. */
      readonly backends: Readonly<Record<string, number>>;
      /** The request the backend receives (the same on every path, or `disagree` says otherwise). */
      readonly request: Pick<EvalRequest, "host" | "path" | "headers">;
      /** Changes to the backend's response headers, innermost first. */
      readonly responseHeaders: readonly HeaderChange[];
    }
  | { readonly kind: "disagree"; readonly detail: string };

/** One way through the front door to a gateway, with the changes the front door made. */
interface Path {
  readonly share: number;
  readonly request: EvalRequest;
  readonly gateway: GatewayResult;
  /** Response header changes the front door makes on the way back, innermost first. */
  readonly responseHeaders: readonly HeaderChange[];
  /** The front door's split this way belongs to (a GCP backend service): splits add up, ways within one are alternatives. */
  readonly split: string;
  /** Request headers the split itself adds (a backend service's own, such as its dispatch tag): they differ between splits by design. */
  readonly splitHeaders: readonly string[];
  readonly where: string;
}

function paths(trace: RouteTrace): Path[] | Observed {
  const f = trace.frontDoor;
  if (f.kind === "none") return { kind: "disagree", detail: `the request reaches no front door: ${f.reason}` };
  if (f.kind === "gcp") {
    const action = f.urlMap.action;
    if (action.kind !== "forward") return action;
    return f.backends.flatMap((b) => {
      const weighted = action.backends.find((w) => w.backendService === b.backendService);
      const back = [...(weighted?.responseHeaders ?? []), ...action.responseHeaders];
      return b.clusters.map((c) => ({
        share: b.weight,
        request: b.request,
        gateway: c.gateway,
        responseHeaders: back,
        split: b.backendService,
        splitHeaders: b.customRequestHeaders.map((h) => h.slice(0, h.indexOf(":")).trim().toLowerCase()),
        where: `${b.backendService} in ${c.cluster}`,
      }));
    });
  }
  return f.groups.flatMap((g) =>
    g.clusters.map((c) => ({
      share: 100,
      request: trace.request,
      gateway: c.gateway,
      responseHeaders: [],
      split: "accelerator",
      splitHeaders: [],
      where: `${g.name} ${c.cluster}`,
    })),
  );
}

/**
 * What a gateway does with a request that reaches it carrying `share` percent of the traffic, with the
 * response header changes made after it on the way back. A backend the gateway cannot send to is
 * answered with 500 for its share: when it is every backend, that is the answer.
 */
export function gatewayObservation(result: GatewayResult, request: EvalRequest, share = 100, responseHeaders: readonly HeaderChange[] = []): Observed {
  const o = result.outcome;
  if (o.kind !== "forward") return o;
  const broken = o.backends.filter((b) => b.problem !== undefined);
  if (broken.length > 0 && broken.length === o.backends.length)
    return { kind: "answer", status: 500, reason: broken.map((b) => `${b.service}: ${b.problem}`).join("; ") };
  if (broken.length > 0)
    return { kind: "disagree", detail: `${broken.map((b) => `${b.service}: ${b.problem}`).join("; ")} (the gateway answers 500 for their share)` };
  const host = o.rewrite?.host ?? request.host;
  const received = { host, path: o.rewrite?.path ?? request.path, headers: applyHeaderChanges({ ...request.headers, host: [host] }, o.requestHeaders) };
  const backends = Object.fromEntries(o.backends.map((b) => [b.service, (b.weight * share) / 100]));
  return { kind: "forward", backends, request: received, responseHeaders: [...o.responseHeaders, ...responseHeaders] };
}

/** What the request gets, when every way it can take agrees. */
export function observe(trace: RouteTrace): Observed {
  const ways = paths(trace);
  if (!Array.isArray(ways)) return ways;
  if (ways.length === 0) return { kind: "disagree", detail: "the front door forwards to no cluster" };
  const seen = ways.map((way) => ({
    ...gatewayObservation(way.gateway, way.request, way.share, way.responseHeaders),
    where: way.where,
    split: way.split,
    splitHeaders: way.splitHeaders,
  }));
  // A split at the front door reaches the gateways once per backend service: add the shares up per Service.
  const forwards = seen.filter((s) => s.kind === "forward");
  if (forwards.length === seen.length) {
    const common = (s: (typeof forwards)[number]) => {
      const headers = Object.fromEntries(Object.entries(s.request.headers).filter(([name]) => !s.splitHeaders.includes(name)));
      return JSON.stringify([{ ...s.request, headers }, s.responseHeaders]);
    };
    const sameRequest = new Set(forwards.map(common)).size === 1;
    if (!sameRequest)
      return {
        kind: "disagree",
        detail: `the backends receive different requests: ${forwards.map((s) => `${s.where}: ${JSON.stringify(s.request)}`).join("; ")}`,
      };
    const totals: Record<string, number> = {};
    // Every cluster of one backend service carries that service's share: count each backend service once.
    const perSplit = new Map<string, Readonly<Record<string, number>>>();
    for (const s of forwards) {
      const other = perSplit.get(s.split);
      if (other && JSON.stringify(other) !== JSON.stringify(s.backends))
        return {
          kind: "disagree",
          detail: `the clusters of ${s.split} split differently: ${JSON.stringify(other)} and ${JSON.stringify(s.backends)} (${s.where})`,
        };
      perSplit.set(s.split, s.backends);
    }
    for (const backends of perSplit.values()) for (const [service, share] of Object.entries(backends)) totals[service] = (totals[service] ?? 0) + share;
    const first = forwards[0]!;
    return { kind: "forward", backends: totals, request: first.request, responseHeaders: first.responseHeaders };
  }
  const distinct = new Set(
    seen.map(({ where: _where, split: _split, splitHeaders: _headers, ...rest }) =>
      JSON.stringify(rest.kind === "answer" ? { kind: rest.kind, status: rest.status } : rest),
    ),
  );
  if (distinct.size === 1) {
    const { where: _where, split: _split, splitHeaders: _headers, ...one } = seen[0]!;
    return one;
  }
  return {
    kind: "disagree",
    detail: `the clusters disagree: ${seen.map((s) => `${s.where}: ${s.kind === "disagree" ? s.detail : JSON.stringify({ ...s, where: undefined, split: undefined, splitHeaders: undefined })}`).join("; ")}`,
  };
}
