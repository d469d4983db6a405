/**
 * How an observation (observe.ts) is compared with what the suite expects of a request, and how a
 * case's request is built for the evaluator.
 */
import { applyHeaderChanges, parseRequest, type EvalRequest } from "../../review/route-model/request";
import { INFRA, type ConformanceCase, type ConformanceCheck } from "./case";
import type { Observed } from "./observe";

/** The request of a check, over HTTPS to the case's host (a port in the host stays in the Host header). */
export function requestOf(c: ConformanceCase, check: ConformanceCheck): EvalRequest {
  const r = check.request;
  const host = r.host ?? c.hosts[0]!;
  const lines = [...(host.includes(":") ? [`Host: ${host}`] : []), ...Object.entries(r.headers ?? {}).map(([k, v]) => `${k}: ${v}`)];
  return parseRequest(`https://${host.replace(/:\d+$/, "")}${r.path}`, lines, r.method ?? "GET");
}

const lower = (headers: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), [v]]));
const joined = (headers: Readonly<Record<string, readonly string[]>>, name: string) => headers[name.toLowerCase()]?.join(",");

/** How the observation differs from what the suite expects (empty: it does not). */
export function mismatches(check: ConformanceCheck, seen: Observed): string[] {
  const want = check.expect;
  const out: string[] = [];
  const describe = () => JSON.stringify(seen);
  if ("status" in want) {
    if (seen.kind !== "answer" || seen.status !== want.status) out.push(`wants status ${want.status}, got ${describe()}`);
    return out;
  }
  if ("redirect" in want) {
    if (seen.kind !== "redirect") return [`wants a redirect, got ${describe()}`];
    const location = new URL(seen.location);
    const got = { status: seen.status, scheme: location.protocol.replace(/:$/, ""), host: location.hostname, port: location.port, path: location.pathname };
    for (const [key, value] of Object.entries(want.redirect))
      if (got[key as keyof typeof got] !== value)
        out.push(`redirect ${key}: wants ${value}, got ${got[key as keyof typeof got]} (${seen.location}, ${seen.status})`);
    return out;
  }
  if (seen.kind !== "forward") return [`wants a backend, got ${describe()}`];
  const key = (name: string) => (name.includes("/") ? name : `${INFRA}/${name}`);
  if ("weights" in want) {
    const wanted = Object.fromEntries(Object.entries(want.weights).map(([name, w]) => [key(name), w]));
    if (JSON.stringify(Object.entries(seen.backends).sort()) !== JSON.stringify(Object.entries(wanted).sort()))
      out.push(`wants weights ${JSON.stringify(wanted)}, got ${JSON.stringify(seen.backends)}`);
    return out;
  }
  if (JSON.stringify(seen.backends) !== JSON.stringify({ [key(want.backend)]: 100 }))
    out.push(`wants ${key(want.backend)}, got ${JSON.stringify(seen.backends)}`);
  const received = want.request;
  if (received?.path !== undefined && seen.request.path !== received.path) out.push(`the backend receives path ${seen.request.path}, not ${received.path}`);
  if (received?.host !== undefined && seen.request.host !== received.host) out.push(`the backend receives host ${seen.request.host}, not ${received.host}`);
  for (const [name, value] of Object.entries(received?.headers ?? {}))
    if (joined(seen.request.headers, name) !== value) out.push(`the backend receives ${name}: ${joined(seen.request.headers, name)}, not ${value}`);
  for (const name of received?.absent ?? [])
    if (joined(seen.request.headers, name) !== undefined) out.push(`the backend receives ${name}, which should be removed`);
  if (want.response) {
    const back = applyHeaderChanges(lower(want.response.fromBackend), seen.responseHeaders);
    for (const [name, value] of Object.entries(want.response.headers ?? {}))
      if (joined(back, name) !== value) out.push(`the client receives ${name}: ${joined(back, name)}, not ${value}`);
    for (const name of want.response.absent ?? []) if (joined(back, name) !== undefined) out.push(`the client receives ${name}, which should be removed`);
  }
  return out;
}

export const describeRequest = (c: ConformanceCase, check: ConformanceCheck) => {
  const r = check.request;
  const headers = Object.entries(r.headers ?? {})
    .map(([k, v]) => ` ${k}: ${v}`)
    .join(",");
  return `${r.method ?? "GET"} https://${r.host ?? c.hosts[0]}${r.path}${headers ? ` with${headers}` : ""}`;
};
