/**
 * Runs a synthetic fleet through the real program under the offline engine and measures it: resources
 * registered, time, peak memory, the SDK floor for the same count, the front door's economy against a
 * load-balancer-per-ingress layout, how many resources each kind of change touches, and the simulated
 * wall time and critical path of a first `pulumi up` and of two changes (offline/simulation).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { engineConfigFromStackFile, runProgramOffline, type OfflineRun } from "../offline/run-offline";
import type { RegisteredResource } from "../offline/mock-engine";
import { stableJson } from "../offline/render";
import { fleetFiles, ingressCount, VARIANTS, type FleetSize, type Variant } from "./fleet";
import { simulateUp, type SimulatedUp } from "../offline/simulation/run";

export interface SpeedFigures {
  readonly resources: number;
  /** Wall time of the program's window (start to exit), seconds. */
  readonly seconds: number;
  readonly msPerResource: number;
  readonly peakMemoryMb: number;
  /** The same count of bare resources under the same engine, seconds. */
  readonly floorSeconds: number;
  /** seconds / floorSeconds. */
  readonly overhead: number;
  /** With the shape floor: the same resources (types, names, inputs) registered flat through the same SDK classes, seconds. */
  readonly shapeFloorSeconds?: number;
  /** seconds / shapeFloorSeconds: what Fleetgate's own code adds to what its resources cost the SDK. */
  readonly shapeOverhead?: number;
  /** Module loading before the window (provider SDKs), seconds: the same for every program. */
  readonly loadSeconds: number;
}

export interface ChangeFigures {
  /** Resources present before and after whose inputs differ. */
  readonly changed: number;
  /** Logical names (URNs) that disappear: each one is a delete (or a replace). */
  readonly disappeared: number;
  /** New logical names. */
  readonly added: number;
}

export interface EconomyFigures {
  /** Front-door resources of Fleetgate's one load balancer, by kind. */
  readonly fleetgate: Record<string, number>;
  /** The same kinds for a GKE MultiClusterIngress-style layout (one load balancer per ingress). */
  readonly perIngress: Record<string, number>;
  readonly fleetgateTotal: number;
  readonly perIngressTotal: number;
}

/** A simulated `pulumi up` in figures: its simulated wall time and slowest steps, and how long it took to simulate. */
export interface UpFigures {
  /** Simulated wall time of the update, seconds (against the simulated actors). */
  readonly simulatedSeconds: number;
  /** The critical path's three slowest steps. */
  readonly slowest: readonly string[];
  readonly operations: Readonly<Record<string, number>>;
  /** How long the simulation ran, seconds. */
  readonly realSeconds: number;
  readonly converged: boolean;
}

export interface FleetReport {
  readonly size: FleetSize & { readonly hosts: number };
  readonly speed: SpeedFigures;
  readonly economy: EconomyFigures;
  readonly changes?: Record<Exclude<Variant, "base">, ChangeFigures>;
  /** The first `pulumi up`, then adding a cluster and adding a service to what it left. */
  readonly updates?: { readonly firstUp: UpFigures; readonly addCluster: UpFigures; readonly addService: UpFigures };
}

/** Writes a fleet (or a variant) into a scratch project root. */
function writeFleet(size: FleetSize, variant: Variant, scratch: string): { root: string; fleet: ReturnType<typeof fleetFiles> } {
  const fleet = fleetFiles(size, variant);
  const root = join(scratch, variant);
  rmSync(root, { recursive: true, force: true });
  for (const [path, text] of Object.entries({ [`stacks/Pulumi.${fleet.environment}.yaml`]: fleet.stack, ...fleet.files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return { root, fleet };
}

/** Writes a fleet (or a variant) into a scratch project root and runs the program on it. */
export async function runFleet(size: FleetSize, variant: Variant, scratch: string, mode: "measure" | "fast" = "fast"): Promise<OfflineRun> {
  const { root, fleet } = writeFleet(size, variant, scratch);
  const run = await runProgramOffline({
    stack: fleet.environment,
    root,
    config: engineConfigFromStackFile(fleet.stack),
    measure: mode === "measure",
    plainStacks: mode === "fast",
  });
  if (run.exitCode !== 0) throw new Error(`the ${variant} variant of ${fleet.environment} failed:\n${run.stderr}`);
  return run;
}

/** What a change does to the registered resources, by logical name (URN). */
export interface RunChanges {
  /** Present before and after, with different inputs. */
  readonly changed: RegisteredResource[];
  /** Present before only: each a delete (or, with an added twin, a replace). */
  readonly disappeared: RegisteredResource[];
  /** Present after only. */
  readonly added: RegisteredResource[];
}

export function changesBetween(before: readonly RegisteredResource[], after: readonly RegisteredResource[]): RunChanges {
  const index = (list: readonly RegisteredResource[]) => new Map(list.map((r) => [r.urn, r]));
  const a = index(before);
  const b = index(after);
  return {
    changed: [...b.values()].filter((r) => a.has(r.urn) && stableJson(a.get(r.urn)!.inputs) !== stableJson(r.inputs)),
    disappeared: [...a.values()].filter((r) => !b.has(r.urn)),
    added: [...b.values()].filter((r) => !a.has(r.urn)),
  };
}

export function compareRuns(before: readonly RegisteredResource[], after: readonly RegisteredResource[]): ChangeFigures {
  const { changed, disappeared, added } = changesBetween(before, after);
  return { changed: changed.length, disappeared: disappeared.length, added: added.length };
}

/** Front-door kinds counted for the economy, by resource type. */
const FRONT_DOOR_KINDS: Record<string, string> = {
  "gcp:compute/globalAddress:GlobalAddress": "addresses",
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": "forwarding rules",
  "gcp:compute/uRLMap:URLMap": "URL maps",
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy": "target proxies",
  "gcp:compute/targetHttpProxy:TargetHttpProxy": "target proxies",
  "gcp:compute/backendService:BackendService": "backend services",
  "gcp:compute/healthCheck:HealthCheck": "health checks",
};

export function economy(size: FleetSize, resources: readonly RegisteredResource[]): EconomyFigures {
  const fleetgate: Record<string, number> = {
    addresses: 0,
    "forwarding rules": 0,
    "URL maps": 0,
    "target proxies": 0,
    "backend services": 0,
    "health checks": 0,
    "NEG backends": 0,
  };
  for (const r of resources) {
    const kind = FRONT_DOOR_KINDS[r.type];
    if (kind) fleetgate[kind] = (fleetgate[kind] ?? 0) + 1;
    if (r.type === "gcp:compute/backendService:BackendService") fleetgate["NEG backends"]! += ((r.inputs.backends as unknown[] | undefined) ?? []).length;
  }
  // GKE's MultiClusterIngress gives every ingress its own load balancer: an address, HTTP and HTTPS
  // forwarding rules, target proxies and URL maps, and its own backend service and health check per
  // service port it routes to, each with the same NEG backends.
  const ingresses = ingressCount(size);
  const servicePorts = fleetgate["backend services"]!;
  const negPerService = servicePorts === 0 ? 0 : fleetgate["NEG backends"]! / servicePorts;
  const perIngress: Record<string, number> = {
    addresses: ingresses,
    "forwarding rules": 2 * ingresses,
    "URL maps": 2 * ingresses,
    "target proxies": 2 * ingresses,
    "backend services": servicePorts,
    "health checks": servicePorts,
    "NEG backends": Math.round(servicePorts * negPerService),
  };
  const total = (r: Record<string, number>) =>
    Object.entries(r)
      .filter(([k]) => k !== "NEG backends")
      .reduce((s, [, v]) => s + v, 0);
  return { fleetgate, perIngress, fleetgateTotal: total(fleetgate), perIngressTotal: total(perIngress) };
}

/** Simulated updates of a fleet: the first `pulumi up`, then each change from the world and state it left. */
async function simulateUpdates(size: FleetSize, scratch: string): Promise<NonNullable<FleetReport["updates"]>> {
  const figures = async (run: () => Promise<SimulatedUp>): Promise<[UpFigures, SimulatedUp]> => {
    const started = Date.now();
    const up = await run();
    const slowest = [...up.report.criticalPath]
      .sort((a, b) => b.end - b.start - (a.end - a.start))
      .slice(0, 3)
      .map((s) => `${s.label} ${Math.round((s.end - s.start) / 1000)}s`);
    return [
      { simulatedSeconds: up.report.wallMs / 1000, slowest, operations: up.report.operations, realSeconds: (Date.now() - started) / 1000, converged: up.ok },
      up,
    ];
  };
  const base = writeFleet(size, "base", join(scratch, "simulated"));
  const [firstUp, first] = await figures(() => simulateUp({ stack: base.fleet.environment, root: base.root }));
  const from = { world: first.result.world, state: first.result.state };
  const change = (variant: Variant) => {
    const { root, fleet } = writeFleet(size, variant, join(scratch, "simulated"));
    return figures(() => simulateUp({ stack: fleet.environment, root, ...from }));
  };
  const [addCluster] = await change("add-cluster");
  const [addService] = await change("add-service");
  return { firstUp, addCluster, addService };
}

export async function measureFleet(size: FleetSize, options: { changes: boolean; shapeFloor: boolean; simulate?: boolean }): Promise<FleetReport> {
  const scratch = mkdtempSync(join(tmpdir(), "fleetgate-bench-"));
  try {
    const base = await runFleet(size, "base", scratch, "measure");
    const floor = await runProgramOffline({ stack: "floor", floor: { count: base.resources.length }, measure: true });
    let s: { windowMs: number } | undefined;
    if (options.shapeFloor) {
      const replay = join(scratch, "replay.json");
      writeFileSync(replay, JSON.stringify(base.resources.filter((r) => r.custom).map((r) => ({ type: r.type, name: r.name, inputs: r.inputs }))));
      s = (await runProgramOffline({ stack: "floor", floor: { replay }, measure: true })).measurement!;
    }
    const m = base.measurement!;
    const f = floor.measurement!;
    const speed: SpeedFigures = {
      resources: base.resources.length,
      seconds: m.windowMs / 1000,
      msPerResource: m.windowMs / base.resources.length,
      peakMemoryMb: m.maxRssKb / 1024,
      floorSeconds: f.windowMs / 1000,
      overhead: m.windowMs / f.windowMs,
      ...(s ? { shapeFloorSeconds: s.windowMs / 1000, shapeOverhead: m.windowMs / s.windowMs } : {}),
      loadSeconds: m.loadMs / 1000,
    };
    let changes: FleetReport["changes"];
    if (options.changes) {
      const entries: [Exclude<Variant, "base">, ChangeFigures][] = [];
      // The variants are not timed: two at a time, one per core.
      const variants = VARIANTS as Exclude<Variant, "base">[];
      for (let i = 0; i < variants.length; i += 2) {
        const pair = variants.slice(i, i + 2);
        const runs = await Promise.all(pair.map((v) => runFleet(size, v, scratch)));
        pair.forEach((v, k) => entries.push([v, compareRuns(base.resources, runs[k]!.resources)]));
      }
      changes = Object.fromEntries(entries) as FleetReport["changes"];
    }
    const updates = options.simulate ? await simulateUpdates(size, scratch) : undefined;
    return {
      size: { ...size, hosts: ingressCount(size) },
      speed,
      economy: economy(size, base.resources),
      ...(changes ? { changes } : {}),
      ...(updates ? { updates } : {}),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
