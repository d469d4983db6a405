/**
 * The Gateway API conformance suite's HTTPRoute request tables (test/conformance/cases/), run through
 * the route evaluator against the configuration the program registers, behind each front door.
 *
 * Per front door: every case is validated alone, and what it has refused must be exactly what the
 * case states (each error explained by a stated refusal, each refusal found in an error's message);
 * then the accepted parts of the cases go into one environment, planned offline once (a run takes
 * seconds; the cases are on hosts of their own, so they cannot meet), and every request the front door
 * does not refuse is evaluated and compared with what the suite expects. An environment has one admin
 * Gateway, so a case that brings its own is planned in an environment of its own.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineConfigFromStackFile, PROJECT_ROOT, runProgramOffline } from "../../offline/run-offline";
import { readRoutingConfig, type RoutingConfig } from "../../review/route-model/config";
import { evaluateRequest } from "../../review/route-model/evaluate";
import { formatDiagnostic, type Diagnostic } from "../../spec/diagnostics";
import { planFixture, sourceFiles, stackText } from "../spec/fixtures";
import { FRONT_DOORS, type ConformanceCase, type FrontDoor } from "./case";
import { CASES } from "./cases";
import { acceptedDocuments, conformanceFixture, fileOf, slug } from "./environment";
import { describeRequest, mismatches, requestOf } from "./compare";
import { observe } from "./observe";
import { CONFORMANCE_DOC, conformanceTable, refusalOf } from "./report";

const scratch = mkdtempSync(join(tmpdir(), "fleetgate-conformance-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The errors of a case validated alone on a front door. */
function errorsOf(c: ConformanceCase, door: FrontDoor): Diagnostic[] {
  return planFixture(conformanceFixture(door, [{ case: c, documents: c.documents }])).diagnostics.filter((d) => d.severity === "error");
}

/** The environment a case is planned in: its own when it brings the admin's Gateway, else the shared one. */
const environmentOf = (c: ConformanceCase) => (c.documents.some((d) => d.kind === "Gateway") ? slug(c) : "shared");
const ENVIRONMENTS = [...new Set(CASES.map(environmentOf))];

/** Plans the accepted documents of an environment's cases and runs the program offline on them. */
async function routingConfigOf(door: FrontDoor, environment: string): Promise<RoutingConfig> {
  const fixture = conformanceFixture(
    door,
    CASES.filter((c) => environmentOf(c) === environment).map((c) => ({ case: c, documents: acceptedDocuments(c, c.refused?.[door] ?? []) })),
  );
  const errors = planFixture(fixture).diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0)
    throw new Error(`the accepted parts of the cases of ${environment} do not plan together on ${door}:\n${errors.map(formatDiagnostic).join("\n")}`);
  const root = join(scratch, door, environment);
  const stack = stackText(fixture);
  for (const file of [{ path: `stacks/Pulumi.${fixture.environment}.yaml`, text: stack }, ...sourceFiles(fixture)]) {
    mkdirSync(dirname(join(root, file.path)), { recursive: true });
    writeFileSync(join(root, file.path), file.text);
  }
  const run = await runProgramOffline({ stack: fixture.environment, root, config: engineConfigFromStackFile(stack), plainStacks: true });
  if (run.exitCode !== 0) throw new Error(`the program failed offline on ${door} for ${environment} (exit ${run.exitCode}):\n${run.stderr}`);
  return readRoutingConfig(fixture.environment, run.resources);
}

const configs = new Map<string, RoutingConfig>();
beforeAll(async () => {
  const runs = FRONT_DOORS.flatMap((door) =>
    ENVIRONMENTS.map(async (environment) => configs.set(`${door} ${environment}`, await routingConfigOf(door, environment))),
  );
  await Promise.all(runs);
}, 180_000);

describe.each(FRONT_DOORS)("the conformance cases behind the %s front door", (door) => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s: Fleetgate refuses exactly what the case says it refuses, with its reason", (_, c) => {
    const refusals = c.refused?.[door] ?? [];
    const explains = (d: Diagnostic, r: (typeof refusals)[number]) => {
      const doc = c.documents.find((x) => (x.metadata as { name: string }).name === r.route);
      const hostnames = ((doc?.spec as { hostnames?: string[] } | undefined)?.hostnames ?? []) as string[];
      const at = r.rule !== undefined ? `spec.rules[${r.rule}]` : r.hostname !== undefined ? `spec.hostnames[${hostnames.indexOf(r.hostname)}]` : "";
      return doc !== undefined && d.file.endsWith(fileOf(c, doc)) && d.path.startsWith(at) && d.message.includes(r.reason);
    };
    const errors = errorsOf(c, door);
    expect(errors.filter((d) => !refusals.some((r) => explains(d, r))).map(formatDiagnostic), "errors the case does not state").toEqual([]);
    expect(
      refusals.filter((r) => !errors.some((d) => explains(d, r))),
      "stated refusals no error gives",
    ).toEqual([]);
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s: every request the front door serves gets what the suite expects", (_, c) => {
    const config = configs.get(`${door} ${environmentOf(c)}`)!;
    const problems: string[] = [];
    let served = 0;
    for (const check of c.checks) {
      if (refusalOf(c, door, check)) continue;
      served++;
      for (const m of mismatches(check, observe(evaluateRequest(config, requestOf(c, check))))) problems.push(`${describeRequest(c, check)}: ${m}`);
    }
    expect(problems).toEqual([]);
    expect(served + c.checks.filter((check) => refusalOf(c, door, check)).length).toBe(c.checks.length);
  });
});

it(`${CONFORMANCE_DOC} is up to date (npm run conformance)`, () => {
  expect(readFileSync(join(PROJECT_ROOT, CONFORMANCE_DOC), "utf8")).toBe(conformanceTable());
});
