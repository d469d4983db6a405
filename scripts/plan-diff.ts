/**
 * `npm run plan:diff -- <base.json> <head.json> [--base-fleet <f> --head-fleet <f>]`: prints, as Markdown
 * for a pull-request comment, what changes between two offline plans written by `npm run plan -- --json`.
 * With the FleetPlans of both sides (`npm run diagram -- --fleet-json`), it first says which owner
 * (platform admin or team folder) changed what in the spec. Exits 0 whatever the plans say (a
 * replacement is for reviewers to judge); exits 1 only when a file cannot be read or is not a plan.
 */
import { readFileSync } from "node:fs";
import type { PlanDocument } from "../offline/render";
import type { FleetPlan } from "../spec/plan";
import type * as FleetDiff from "../review/fleet-diff";
import type * as PlanDiff from "../review/plan-diff";
import type * as RenderDiff from "../review/render-diff";
import { parseCommand } from "./lib/cli";

function readPlan(file: string): PlanDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(
      `${file}: cannot read it as JSON (${error instanceof Error ? error.message : String(error)}); write it with \`npm run plan -- --stack <env> --json ${file}\`.`,
    );
  }
  const plan = parsed as Partial<PlanDocument> | null;
  if (!plan || typeof plan !== "object" || !Array.isArray(plan.resources) || typeof plan.stack !== "string")
    throw new Error(`${file}: is not an offline plan (it needs "stack" and "resources"); write it with \`npm run plan -- --stack <env> --json ${file}\`.`);
  return plan as PlanDocument;
}

function readFleet(file: string): FleetPlan {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as FleetPlan;
  } catch (error) {
    throw new Error(
      `${file}: cannot read it as a FleetPlan (${error instanceof Error ? error.message : String(error)}); write it with \`npm run diagram -- --stack <env> --fleet-json ${file}\`.`,
    );
  }
}

const USAGE = `Usage: npm run plan:diff -- <base.json> <head.json> [--base-fleet <base-fleet.json> --head-fleet <head-fleet.json>]
  Prints, as Markdown, what changes between two offline plans (npm run plan -- --stack <env> --json <file>):
  the route changes as rules per host, then every resource created, updated, replaced or deleted.
  --base-fleet <file>  the base's FleetPlan (npm run diagram -- --stack <env> --fleet-json <file>)
  --head-fleet <file>  the head's FleetPlan; with both, the spec changes by owner and the hosts' owners are shown
  --help, -h           this text`;

function main(argv: string[]): number {
  const {
    values,
    positionals: files,
    fail,
  } = parseCommand(
    {
      tool: "plan:diff",
      usage: USAGE,
      options: { "base-fleet": { type: "string" }, "head-fleet": { type: "string" } },
      positionals: { min: 2, max: 2, what: "plan files" },
    },
    argv,
  );
  if ((values["base-fleet"] === undefined) !== (values["head-fleet"] === undefined)) fail("--base-fleet and --head-fleet go together");
  // Loaded once the command line is known good: --help and usage errors answer without them.
  const { diffFleets, renderFleetDiff }: typeof FleetDiff = require("../review/fleet-diff");
  const { diffPlans }: typeof PlanDiff = require("../review/plan-diff");
  const { renderPlanDiff }: typeof RenderDiff = require("../review/render-diff");
  try {
    const fleets = values["base-fleet"] !== undefined ? { base: readFleet(values["base-fleet"]), head: readFleet(values["head-fleet"]!) } : undefined;
    const owners = fleets ? renderFleetDiff(diffFleets(fleets.base, fleets.head)) : undefined;
    process.stdout.write(renderPlanDiff(diffPlans(readPlan(files[0]!), readPlan(files[1]!), fleets), owners));
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
