/**
 * The Gateway API conformance suite's HTTPRoute request tables (test/conformance/cases/), run through
 * the route evaluator against the configuration the program registers, behind each front door.
 *
 * Per front door: every case is validated alone, and what it has refused must be exactly what the
 * case states (each error explained by a stated refusal, each refusal found in an error's message);
 * then the accepted part of every case goes into one environment, planned offline once (a run takes
 * seconds; the cases are on hosts of their own, so they cannot meet), and every request the front door
 * does not refuse is evaluated and compared with what the suite expects.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineConfigFromStackFile, PROJECT_ROOT, runProgramOffline } from "../../offline/run-offline";
import { readRoutingConfig, type RoutingConfig } from "../../review/route-model/config";
import { evaluateRequest } from "../../review/route-model/evaluate";
import { applyHeaderChanges, parseRequest } from "../../review/route-model/request";
import { formatDiagnostic, type Diagnostic } from "../../spec/diagnostics";
import { planFixture, sourceFiles, stackText } from "../spec/fixtures";
import { FRONT_DOORS, INFRA, type ConformanceCase, type ConformanceCheck, type FrontDoor } from "./case";
import { CASES } from "./cases";
import { acceptedDocuments, conformanceFixture, fileOf } from "./environment";
import { observe, type Observed } from "./observe";
import { CONFORMANCE_DOC, conformanceTable, refusalOf } from "./report";

const scratch = mkdtempSync(join(tmpdir(), "fleetgate-conformance-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The errors of a case validated alone on a front door. */
function errorsOf(c: ConformanceCase, door: FrontDoor): Diagnostic[] {
  return planFixture(conformanceFixture(door, [{ case: c, documents: c.documents }])).diagnostics.filter((d) => d.severity === "error");
}

/** Plans every case's accepted documents in one environment and runs the program offline on it. */
async function routingConfigOf(door: FrontDoor): Promise<RoutingConfig> {
  const fixture = conformanceFixture(
    door,
    CASES.map((c) => ({ case: c, documents: acceptedDocuments(c, c.refused?.[door] ?? []) })),
  );
  const errors = planFixture(fixture).diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`the accepted parts of the cases do not plan together on ${door}:\n${errors.map(formatDiagnostic).join("\n")}`);
  const root = join(scratch, door);
  const stack = stackText(fixture);
  for (const file of [{ path: `stacks/Pulumi.${fixture.environment}.yaml`, text: stack }, ...sourceFiles(fixture)]) {
    mkdirSync(dirname(join(root, file.path)), { recursive: true });
    writeFileSync(join(root, file.path), file.text);
  }
  const run = await runProgramOffline({ stack: fixture.environment, root, config: engineConfigFromStackFile(stack), plainStacks: true });
  if (run.exitCode !== 0) throw new Error(`the program failed offline on ${door} (exit ${run.exitCode}):\n${run.stderr}`);
  return readRoutingConfig(fixture.environment, run.resources);
}

const lower = (headers: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), [v]]));
const joined = (headers: Readonly<Record<string, readonly string[]>>, name: string) => headers[name.toLowerCase()]?.join(",");

/** How the observation differs from what the suite expects (empty: it does not). */
function mismatches(check: ConformanceCheck, seen: Observed): string[] {
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
    for (const [key, value] of Object.entries(want.redirect)) if (got[key as keyof typeof got] !== value) out.push(`redirect ${key}: wants ${value}, got ${got[key as keyof typeof got]} (${seen.location}, ${seen.status})`);
    return out;
  }
  if (seen.kind !== "forward") return [`wants a backend, got ${describe()}`];
  const key = (name: string) => (name.includes("/") ? name : `${INFRA}/${name}`);
  if ("weights" in want) {
    const wanted = Object.fromEntries(Object.entries(want.weights).map(([name, w]) => [key(name), w]));
    if (JSON.stringify(Object.entries(seen.backends).sort()) !== JSON.stringify(Object.entries(wanted).sort())) out.push(`wants weights ${JSON.stringify(wanted)}, got ${JSON.stringify(seen.backends)}`);
    return out;
  }
  if (JSON.stringify(seen.backends) !== JSON.stringify({ [key(want.backend)]: 100 })) out.push(`wants ${key(want.backend)}, got ${JSON.stringify(seen.backends)}`);
  const received = want.request;
  if (received?.path !== undefined && seen.request.path !== received.path) out.push(`the backend receives path ${seen.request.path}, not ${received.path}`);
  if (received?.host !== undefined && seen.request.host !== received.host) out.push(`the backend receives host ${seen.request.host}, not ${received.host}`);
  for (const [name, value] of Object.entries(received?.headers ?? {})) if (joined(seen.request.headers, name) !== value) out.push(`the backend receives ${name}: ${joined(seen.request.headers, name)}, not ${value}`);
  for (const name of received?.absent ?? []) if (joined(seen.request.headers, name) !== undefined) out.push(`the backend receives ${name}, which should be removed`);
  if (want.response) {
    const back = applyHeaderChanges(lower(want.response.fromBackend), seen.responseHeaders);
    for (const [name, value] of Object.entries(want.response.headers ?? {})) if (joined(back, name) !== value) out.push(`the client receives ${name}: ${joined(back, name)}, not ${value}`);
    for (const name of want.response.absent ?? []) if (joined(back, name) !== undefined) out.push(`the client receives ${name}, which should be removed`);
  }
  return out;
}

const describeRequest = (c: ConformanceCase, check: ConformanceCheck) => {
  const r = check.request;
  const headers = Object.entries(r.headers ?? {}).map(([k, v]) => ` ${k}: ${v}`).join(",");
  return `${r.method ?? "GET"} https://${r.host ?? c.hosts[0]}${r.path}${headers ? ` with${headers}` : ""}`;
};

const configs = new Map<FrontDoor, RoutingConfig>();
beforeAll(async () => {
  const [gcp, aws] = await Promise.all(FRONT_DOORS.map(routingConfigOf));
  configs.set("gcp", gcp!).set("aws", aws!);
}, 180_000);

describe.each(FRONT_DOORS)("the conformance cases behind the %s front door", (door) => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s: Fleetgate refuses exactly what the case says it refuses, with its reason", (_, c) => {
    const refusals = c.refused?.[door] ?? [];
    const explains = (d: Diagnostic, r: (typeof refusals)[number]) => {
      const doc = c.documents.find((x) => (x.metadata as { name: string }).name === r.route);
      return doc !== undefined && d.file.endsWith(fileOf(c, doc)) && (r.rule === undefined || d.path.startsWith(`spec.rules[${r.rule}]`)) && d.message.includes(r.reason);
    };
    const errors = errorsOf(c, door);
    expect(errors.filter((d) => !refusals.some((r) => explains(d, r))).map(formatDiagnostic), "errors the case does not state").toEqual([]);
    expect(refusals.filter((r) => !errors.some((d) => explains(d, r))), "stated refusals no error gives").toEqual([]);
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s: every request the front door serves gets what the suite expects", (_, c) => {
    const config = configs.get(door)!;
    const problems: string[] = [];
    let served = 0;
    for (const check of c.checks) {
      if (refusalOf(c, door, check)) continue;
      served++;
      const r = check.request;
      const host = r.host ?? c.hosts[0]!;
      const lines = [...(host.includes(":") ? [`Host: ${host}`] : []), ...Object.entries(r.headers ?? {}).map(([k, v]) => `${k}: ${v}`)];
      const request = parseRequest(`https://${host.replace(/:\d+$/, "")}${r.path}`, lines, r.method ?? "GET");
      for (const m of mismatches(check, observe(evaluateRequest(config, request)))) problems.push(`${describeRequest(c, check)}: ${m}`);
    }
    expect(problems).toEqual([]);
    // A case awaiting the admin's listeners must be refused whole until they come; then switch it on.
    if (c.awaiting) expect(served, `${c.name} awaits ${c.awaiting} but its requests are served`).toBe(0);
    else expect(served + c.checks.filter((check) => refusalOf(c, door, check)).length).toBe(c.checks.length);
  });
});

it(`${CONFORMANCE_DOC} is up to date (npm run conformance)`, () => {
  expect(readFileSync(join(PROJECT_ROOT, CONFORMANCE_DOC), "utf8")).toBe(conformanceTable());
});
