/**
 * The benchmark's floors, registered by a program the language host loads exactly as it loads
 * Fleetgate:
 * - FLEETGATE_FLOOR_COUNT=n: n bare resources, each with one small input (the SDK floor);
 * - FLEETGATE_FLOOR_REPLAY=<file>: the resources a Fleetgate run registered (type, name, inputs),
 *   through the same SDK classes but flat (the shape floor: what those resources cost the SDK alone).
 * What Fleetgate costs beyond a floor is its own overhead.
 */
import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { classOf } from "./classes";

class Bare extends pulumi.CustomResource {
  constructor(name: string, props: pulumi.Inputs) {
    super("bench:index:Bare", name, props);
  }
}

const replay = process.env.FLEETGATE_FLOOR_REPLAY;
if (replay) {
  const resources = JSON.parse(readFileSync(replay, "utf8")) as { type: string; name: string; inputs: Record<string, unknown> }[];
  for (const r of resources) {
    const Class = classOf(r.type);
    if (Class) new Class(r.name, r.inputs);
    else new Bare(`${r.type}-${r.name}`, r.inputs);
  }
} else {
  const count = Number(process.env.FLEETGATE_FLOOR_COUNT ?? "0");
  for (let i = 0; i < count; i++) new Bare(`bare-${i}`, { value: `value-${i}` });
}
