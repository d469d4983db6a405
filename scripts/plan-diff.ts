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
import { diffFleets, renderFleetDiff } from "../review/fleet-diff";
import { diffPlans } from "../review/plan-diff";
import { renderPlanDiff } from "../review/render-diff";

function readPlan(file: string): PlanDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: cannot read it as JSON (${error instanceof Error ? error.message : String(error)}); write it with \`npm run plan -- --stack <env> --json ${file}\`.`);
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
    throw new Error(`${file}: cannot read it as a FleetPlan (${error instanceof Error ? error.message : String(error)}); write it with \`npm run diagram -- --stack <env> --fleet-json ${file}\`.`);
  }
}

function main(argv: readonly string[]): number {
  const options = new Map<string, string>();
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i]!.startsWith("--")) options.set(argv[i]!.slice(2), argv[++i] ?? "");
    else files.push(argv[i]!);
  }
  if (files.length !== 2 || options.has("base-fleet") !== options.has("head-fleet")) {
    console.error("usage: npm run plan:diff -- <base.json> <head.json> [--base-fleet <base-fleet.json> --head-fleet <head-fleet.json>]");
    return 2;
  }
  try {
    const owners = options.has("base-fleet") ? renderFleetDiff(diffFleets(readFleet(options.get("base-fleet")!), readFleet(options.get("head-fleet")!))) : undefined;
    process.stdout.write(renderPlanDiff(diffPlans(readPlan(files[0]!), readPlan(files[1]!)), owners));
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
