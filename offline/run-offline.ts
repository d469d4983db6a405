/**
 * Runs the real program entry offline in a child process (offline/program-host.cjs) with a stack's
 * real configuration, and returns what it registered. A child process gives every run a fresh Pulumi
 * runtime, as `pulumi up` does, and keeps the language host's process-wide hooks out of the caller.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import type { Readable } from "node:stream";
import { join, resolve } from "node:path";
import type { PathSegment } from "../spec/diagnostics";
import { readStackFile } from "../spec/read-files";
import { offlineStandIn, type StandIn } from "./stand-ins";
import { parseStackFile, revealSecureValues, stackFileConfig } from "../spec/stack-config";
import type { RegisteredResource } from "./mock-engine";
import type { SimulationResult } from "./simulation/engine";
import type { SimulationInput } from "./simulation/simulate";
import { sharedOfflineRuns, type OfflineRunInputs } from "./shared-runs";
import { PROJECT_ROOT, startHost, takePrestarted } from "./host-process";

export { PROJECT_ROOT, prestartProgramHost, projectNodeArgs } from "./host-process";

export interface OfflineRun {
  readonly exitCode: number;
  readonly resources: RegisteredResource[];
  /** With `measure`: module loading before the program, the program's window (start to exit), peak memory. */
  readonly measurement?: { readonly loadMs: number; readonly windowMs: number; readonly maxRssKb: number };
  readonly stdout: string;
  readonly stderr: string;
  /** With `simulate`: what the simulated update did. */
  readonly simulation?: SimulationResult;
}

export interface EngineConfig {
  /** Full keys (`fleetgate:clusters`) to values as the CLI passes them: objects as JSON text. */
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
  /** Encrypted values the program is given well-formed stand-ins for (offline/stand-ins.ts). */
  readonly standIns?: readonly StandIn[];
  /** The outputs of the stack's previous deployment, for the program's read of its own stack; offline there are none. */
  readonly previousOutputs?: Readonly<Record<string, unknown>>;
}

/**
 * What the Pulumi CLI would hand the program for this stack file, except that encrypted values cannot
 * be decrypted here: those Fleetgate parses (kubeconfigs, the root CA) get well-formed stand-ins, the
 * others opaque placeholders, and their keys are secret, as with the CLI.
 */
export function engineConfigFromStackFile(text: string): EngineConfig {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const standIns: StandIn[] = [];
  const standIn = (path: readonly PathSegment[], ciphertext: string) => {
    const found = offlineStandIn(path, ciphertext);
    if (found) standIns.push(found);
    return found?.value;
  };
  for (const [key, raw] of Object.entries(stackFileConfig(parseStackFile("stack file", text).doc))) {
    const { value, secret } = revealSecureValues(key, raw, standIn);
    config[key] = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
    if (secret) secretKeys.push(key);
  }
  return { config, secretKeys, standIns };
}

/** The engine's config of a stack; a stack file that cannot be read gives none (the program says why). */
function engineConfigOfStack(root: string, stack: string): EngineConfig {
  const file = readStackFile(root, stack);
  return file && !file.unreadable ? engineConfigFromStackFile(file.text) : { config: {}, secretKeys: [] };
}

export interface OfflineRunOptions {
  readonly stack: string;
  /** The project root to read stacks/ from; default this checkout. */
  readonly root?: string;
  /** Engine configuration; default: what the CLI would pass for stacks/Pulumi.<stack>.yaml. */
  readonly config?: EngineConfig;
  /** Time the run (see offline/program-host.cjs). */
  readonly measure?: boolean;
  /** Skip source-mapping stack traces, for runs whose speed and error positions do not matter. */
  readonly plainStacks?: boolean;
  /** Run the benchmark's floor program (bench/floor) instead: `count` bare resources, or the replay of a run's registrations. */
  readonly floor?: { readonly count: number } | { readonly replay: string };
  /** Run a simulated update (offline/simulation) from this world and state, instead of a preview. */
  readonly simulate?: SimulationInput;
  /** Run the program of another folder (a copy of this one, changed by a test). */
  readonly program?: string;
  /** Told, about ten times a second, how many registrations were answered and how many asked for so far. */
  readonly onProgress?: (registered: number, asked: number) => void;
}

/** Marks the progress lines of a child's stderr (see offline/program-host.cjs): new each run, so no program's own line can carry it. */
const PROGRESS_MARK = `fleetgate-progress-${randomUUID()}`;

function floorEnvironment(floor: OfflineRunOptions["floor"]): Record<string, string> {
  if (floor === undefined) return {};
  return "count" in floor ? { FLEETGATE_FLOOR_COUNT: String(floor.count) } : { FLEETGATE_FLOOR_REPLAY: floor.replay };
}

export function runProgramOffline(options: OfflineRunOptions): Promise<OfflineRun> {
  const root = options.root ?? PROJECT_ROOT;
  const config = options.config ?? (options.floor !== undefined ? { config: {}, secretKeys: [] } : engineConfigOfStack(root, options.stack));
  const memo = sharedOfflineRuns();
  // A run someone watches (progress) or times is run, never answered from a memo.
  if (memo === undefined || options.measure || options.floor !== undefined || options.onProgress) return runInChild(options, root, config);
  const inputs: OfflineRunInputs = {
    stack: options.stack,
    root: resolve(root),
    program: resolve(options.program ?? PROJECT_ROOT),
    config,
    plainStacks: options.plainStacks ?? false,
    ...(options.simulate ? { simulate: options.simulate } : {}),
  };
  return memo.run(inputs, () => runInChild(options, root, config));
}

function runInChild(options: OfflineRunOptions, root: string, config: EngineConfig): Promise<OfflineRun> {
  const program = options.floor !== undefined ? join(PROJECT_ROOT, "bench", "floor") : options.program;
  const env = {
    FLEETGATE_OFFLINE_CONFIG: JSON.stringify(config),
    ...floorEnvironment(options.floor),
    ...(options.onProgress ? { FLEETGATE_PROGRESS_MARK: PROGRESS_MARK } : {}),
  };
  const early = takePrestarted(options, root);
  const dir = early?.dir ?? mkdtempSync(join(tmpdir(), "fleetgate-plan-"));
  const input = join(dir, "simulate.json");
  if (options.simulate) writeFileSync(input, JSON.stringify(options.simulate));
  const args = [
    ...(options.measure ? ["--measure"] : []),
    ...(options.plainStacks ? ["--plain-stacks"] : []),
    ...(options.simulate ? ["--simulate", input] : []),
  ];
  // A host started ahead reads the rest of its command line and environment from stdin.
  if (early) early.child.stdin?.end(JSON.stringify({ args, env }));
  const host = early ?? startHost(options.stack, root, [...args, ...(program !== undefined ? ["--program", program] : [])], env, dir);
  if (options.onProgress) followProgress(host.child.stderr, options.onProgress);
  return host.finished.then(({ error, stdout, rawStderr }) => {
    const stderr = options.onProgress ? withoutProgress(rawStderr) : rawStderr;
    try {
      const result = JSON.parse(readFileSync(host.out, "utf8")) as Omit<OfflineRun, "stdout" | "stderr">;
      return { ...result, stdout, stderr };
    } catch {
      throw new Error(`the offline program run did not finish (${error?.message ?? "no result"}):\n${stderr}`);
    } finally {
      rmSync(host.dir, { recursive: true, force: true });
    }
  });
}

function withoutProgress(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => !line.startsWith(PROGRESS_MARK))
    .join("\n");
}

/** Calls `onProgress` with the counts of each progress line as the child writes it. */
function followProgress(stderr: Readable | null, onProgress: (registered: number, asked: number) => void): void {
  let partial = "";
  stderr?.on("data", (chunk: Buffer | string) => {
    const lines = (partial + String(chunk)).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      const counts = line.startsWith(PROGRESS_MARK) ? line.slice(PROGRESS_MARK.length).trim().split(" ").map(Number) : [];
      if (counts.length === 2 && counts.every(Number.isInteger)) onProgress(counts[0]!, counts[1]!);
    }
  });
}
