/**
 * `npm run bench [-- --clusters C --services S] [--no-changes] [--no-simulate] [--shape-floor] [--json]`
 * Measures Fleetgate on synthetic fleets (by default the grid C in {2, 10, 50} x S in {10, 100, 500})
 * and prints a table: resources, seconds, ms per resource, peak memory, the SDK floor and the overhead
 * ratio; the front door's economy against one load balancer per ingress; the resources each kind of
 * change touches; and the simulated wall time of a first `pulumi up` and of two changes. --shape-floor
 * also registers the run's own resources flat through the same SDK classes, to separate what Fleetgate's
 * code adds from what its resource types cost the SDK (it adds a run per fleet, so the full grid then
 * takes longer). Timings are figures to read, never assertions.
 */
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { measureLatency, type CommandLatency } from "../bench/latency";
import type * as Measure from "../bench/measure";
import type { FleetReport } from "../bench/measure";
import { stackEnvironments } from "../spec/read-files";
import { parseCommand, usageError } from "./lib/cli";

const USAGE = `Usage: npm run bench [-- --clusters C --services S] [--no-changes] [--no-simulate] [--shape-floor] [--latency | --no-latency] [--json]
  Measures Fleetgate on synthetic fleets (default: the grid C in {2, 10, 50} x S in {10, 100, 500}, about 15 minutes)
  --clusters, --services  one fleet size (the other defaults to 10 clusters or 100 services)
  --no-changes            skip the change variants
  --no-simulate           skip the simulated pulumi ups
  --shape-floor           also register each run's resources flat through the SDK (a run more per fleet)
  --latency               only the wall time of npm run check and npm run plan on every example stack (a minute or two)
  --no-latency            skip those latencies (measured first otherwise)
  --json                  print the figures as JSON
  --help, -h              this text`;

function count(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    usageError("bench", `--${name} takes a whole number above 0, not ${JSON.stringify(raw)}`);
  }
  return value;
}

const pad = (value: string | number, width: number) => String(value).padStart(width);
const fixed = (n: number, digits = 2) => n.toFixed(digits);

function printLatency(latency: readonly CommandLatency[]): void {
  console.log("\nCommand latency (wall time from the command line to exit, warm; median, min-max of the runs):");
  console.log(`${"command".padEnd(8)} ${"stack".padEnd(10)} ${pad("runs", 4)} ${pad("median s", 9)} ${pad("min-max s", 11)} ${pad("exit", 4)}`);
  for (const l of latency)
    console.log(
      `${l.command.padEnd(8)} ${l.stack.padEnd(10)} ${pad(l.runs, 4)} ${pad(fixed(l.medianSeconds), 9)} ${pad(`${fixed(l.minSeconds)}-${fixed(l.maxSeconds)}`, 11)} ${pad(l.exitCode ?? "-", 4)}`,
    );
}

function printReports(reports: readonly FleetReport[]): void {
  const shape = reports.some((r) => r.speed.shapeFloorSeconds !== undefined);
  console.log(`\nSpeed (the program's window; floor: as many bare resources${shape ? "; shape floor: the same resources registered flat" : ""}):`);
  console.log(
    `${pad("C", 3)} ${pad("S", 4)} ${pad("H", 4)} ${pad("resources", 10)} ${pad("seconds", 8)} ${pad("ms/res", 7)} ${pad("peak MB", 8)} ${pad("floor s", 8)} ${pad("ratio", 6)}${shape ? ` ${pad("shape s", 8)} ${pad("ratio", 6)}` : ""}`,
  );
  for (const r of reports) {
    const shapeColumns = shape ? ` ${pad(fixed(r.speed.shapeFloorSeconds ?? 0), 8)} ${pad(fixed(r.speed.shapeOverhead ?? 0), 6)}` : "";
    console.log(
      `${pad(r.size.clusters, 3)} ${pad(r.size.services, 4)} ${pad(r.size.hosts, 4)} ${pad(r.speed.resources, 10)} ${pad(fixed(r.speed.seconds), 8)} ${pad(fixed(r.speed.msPerResource, 3), 7)} ${pad(fixed(r.speed.peakMemoryMb, 0), 8)} ${pad(fixed(r.speed.floorSeconds), 8)} ${pad(fixed(r.speed.overhead), 6)}${shapeColumns}`,
    );
  }
  const load = reports.map((r) => r.speed.loadSeconds);
  console.log(`(provider SDK loading before each window: ${fixed(Math.min(...load))}-${fixed(Math.max(...load))} s, the same for any program)`);

  console.log("\nEconomy (front-door resources; one load balancer per environment vs one per ingress):");
  const kinds = Object.keys(reports[0]!.economy.fleetgate);
  console.log(
    `${pad("C", 3)} ${pad("S", 4)} ${kinds.map((k) => pad(k, Math.max(k.length, 7))).join(" ")} ${pad("total", 6)} ${pad("per-ingress total", 18)} ${pad("ratio", 6)}`,
  );
  for (const r of reports)
    console.log(
      `${pad(r.size.clusters, 3)} ${pad(r.size.services, 4)} ${kinds.map((k) => pad(r.economy.fleetgate[k]!, Math.max(k.length, 7))).join(" ")} ${pad(r.economy.fleetgateTotal, 6)} ${pad(r.economy.perIngressTotal, 18)} ${pad(fixed(r.economy.perIngressTotal / Math.max(1, r.economy.fleetgateTotal)), 6)}`,
    );

  if (reports.some((r) => r.updates)) {
    console.log("\nSimulated pulumi up (against Fleetgate's models of the clouds and controllers; no API rate limits):");
    console.log(
      `${pad("C", 3)} ${pad("S", 4)} ${pad("first up", 9)} ${pad("add cluster", 12)} ${pad("add service", 12)} ${pad("simulated in s", 15)}  critical path of the first up, slowest steps`,
    );
    const time = (s: number) => `${Math.floor(s / 60)}m ${String(Math.round(s % 60)).padStart(2, "0")}s`;
    for (const r of reports.filter((x) => x.updates)) {
      const u = r.updates!;
      const ok = (f: typeof u.firstUp) => (f.converged ? time(f.simulatedSeconds) : "FAILS");
      console.log(
        `${pad(r.size.clusters, 3)} ${pad(r.size.services, 4)} ${pad(ok(u.firstUp), 9)} ${pad(ok(u.addCluster), 12)} ${pad(ok(u.addService), 12)} ${pad(fixed(u.firstUp.realSeconds + u.addCluster.realSeconds + u.addService.realSeconds, 1), 15)}  ${u.firstUp.slowest.join("; ")}`,
      );
    }
  }
  if (reports.some((r) => r.changes)) {
    console.log("\nChange minimality (changed inputs / disappeared names / added names):");
    const variants = Object.keys(reports.find((r) => r.changes)!.changes!);
    console.log(`${pad("C", 3)} ${pad("S", 4)} ${variants.map((v) => pad(v, 16)).join(" ")}`);
    for (const r of reports.filter((x) => x.changes))
      console.log(
        `${pad(r.size.clusters, 3)} ${pad(r.size.services, 4)} ${variants
          .map((v) => {
            const c = r.changes![v as keyof NonNullable<FleetReport["changes"]>];
            return pad(`${c.changed}/${c.disappeared}/${c.added}`, 16);
          })
          .join(" ")}`,
      );
  }
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseCommand(
    {
      tool: "bench",
      usage: USAGE,
      options: {
        clusters: { type: "string" },
        services: { type: "string" },
        "no-changes": { type: "boolean" },
        "no-simulate": { type: "boolean" },
        "shape-floor": { type: "boolean" },
        latency: { type: "boolean" },
        "no-latency": { type: "boolean" },
        json: { type: "boolean" },
      },
    },
    argv,
  );
  const clusters = count("clusters", values.clusters);
  const services = count("services", values.services);
  const grid = [2, 10, 50].flatMap((c) => [10, 100, 500].map((s) => ({ clusters: c, services: s })));
  const sizes = clusters !== undefined || services !== undefined ? [{ clusters: clusters ?? 10, services: services ?? 100 }] : grid;
  const json = values.json === true;
  const changes = values["no-changes"] !== true;
  const simulate = values["no-simulate"] !== true;
  const shapeFloor = values["shape-floor"] === true;
  if (values.latency && (values["no-latency"] || clusters !== undefined || services !== undefined))
    usageError("bench", "--latency measures the commands alone; leave out --no-latency, --clusters and --services");
  // Loaded once the command line is known good: --help and usage errors answer without them.
  const { measureFleet }: typeof Measure = require("../bench/measure");
  const started = Date.now();
  const root = join(__dirname, "..");
  let latency: CommandLatency[] = [];
  if (!values["no-latency"]) {
    if (!json) process.stderr.write("measuring npm run check and npm run plan on the example stacks...\n");
    latency = measureLatency(root, stackEnvironments(root), { check: 5, plan: 2 });
  }
  const reports: FleetReport[] = [];
  for (const size of values.latency ? [] : sizes) {
    if (!json) process.stderr.write(`measuring C=${size.clusters} S=${size.services}...\n`);
    reports.push(await measureFleet(size, { changes, shapeFloor, simulate }));
  }
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "unknown", memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
  if (json) console.log(JSON.stringify({ machine, latency, reports }, null, 2));
  else {
    console.log(
      `Fleetgate benchmark on ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGb} GiB, Node ${machine.node}; ${fixed((Date.now() - started) / 1000, 0)} s in all.`,
    );
    if (latency.length > 0) printLatency(latency);
    if (reports.length > 0) printReports(reports);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
