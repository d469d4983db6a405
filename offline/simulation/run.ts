/**
 * Runs simulated `pulumi up`s of a stack: the real program, in the language host's own entry, against
 * the simulated clouds (offline/simulation), one after another from the world and state the previous
 * run left, as an environment lives through its updates.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { planEnvironment } from "../../spec";
import { stackConfigFromSource } from "../../spec/stack-config";
import type { FleetPlan } from "../../spec/plan";
import { readEnvironmentFiles, readStackFile, stackFilePath } from "../../spec/read-files";
import { engineConfigFromStackFile, PROJECT_ROOT, runProgramOffline } from "../run-offline";
import type { RegisteredResource } from "../mock-engine";
import type { PulumiState, SimulationResult } from "./engine";
import { upReport, type UpReport } from "./report";
import { initialWorld, withNewClusters, type World } from "./world";

export interface SimulatedUp {
  readonly exitCode: number;
  /** What the program printed: its info logs (under the offline engine Pulumi's log writes to the console). */
  readonly stdout: string;
  readonly stderr: string;
  readonly resources: readonly RegisteredResource[];
  readonly result: SimulationResult;
  readonly report: UpReport;
  /** Failed, or left a problem outside Pulumi's view. */
  readonly ok: boolean;
}

/** The FleetPlan of a stack in a project root; throws with the diagnostics when the spec is invalid. */
export function planOfStack(stack: string, root = PROJECT_ROOT): FleetPlan {
  const stackFile = readStackFile(root, stack);
  if (!stackFile) throw new Error(`${stackFilePath(stack)}: there is no stack file for ${stack}`);
  const result = planEnvironment({ environment: stack, stack: stackConfigFromSource(stackFile), files: readEnvironmentFiles(root, stack) });
  if (!result.plan)
    throw new Error(`the spec of ${stack} is invalid:\n${result.diagnostics.map((d) => `${d.file}:${d.line}: ${d.path}: ${d.message}`).join("\n")}`);
  return result.plan;
}

export interface UpOptions {
  readonly stack: string;
  /** The project root whose stacks/ to read; default this checkout. */
  readonly root?: string;
  /** The world to start from; default: the stack's fresh world (initialWorld), or the previous world with the plan's new clusters added. */
  readonly world?: World;
  readonly state?: PulumiState;
  /** The program to run: another folder's copy (a test's changed program). */
  readonly program?: string;
  /**
   * Values of secret config keys as the Pulumi CLI would decrypt them (full keys, plain values); the offline
   * engine otherwise hands the program opaque placeholders, which a kubeconfig cannot be.
   */
  readonly decrypted?: Readonly<Record<string, unknown>>;
  /** The stack outputs of the previous deployment, which the program reads back as its own StackReference. */
  readonly previousOutputs?: Readonly<Record<string, unknown>>;
  /** Changes the world before the run: what the admin's prerequisites do not hold to (a zone without nodes, a missing CRD). */
  readonly prepare?: (world: World) => void;
  /** Told how many registrations were answered and asked for so far (the plan command's progress line). */
  readonly onProgress?: (registered: number, asked: number) => void;
}

/** One simulated `pulumi up`. */
export async function simulateUp(options: UpOptions): Promise<SimulatedUp> {
  const root = options.root ?? PROJECT_ROOT;
  const plan = planOfStack(options.stack, root);
  const world = options.world ? withNewClusters(options.world, plan) : initialWorld(plan);
  options.prepare?.(world);
  const config = {
    ...engineConfigFromStackFile(readFileSync(join(root, stackFilePath(options.stack)), "utf8")),
    ...(options.previousOutputs ? { previousOutputs: options.previousOutputs } : {}),
  };
  for (const [key, value] of Object.entries(options.decrypted ?? {})) {
    config.config[key] = typeof value === "string" ? value : JSON.stringify(value);
    if (!config.secretKeys.includes(key)) config.secretKeys.push(key);
  }
  const run = await runProgramOffline({
    stack: options.stack,
    root,
    config,
    simulate: { environment: options.stack, world, state: options.state ?? {} },
    ...(options.program ? { program: options.program } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    plainStacks: true,
  });
  if (!run.simulation) throw new Error(`the simulated update of ${options.stack} left no result:\n${run.stderr}`);
  const report = upReport(run.simulation);
  return {
    exitCode: run.exitCode,
    stdout: run.stdout,
    stderr: run.stderr,
    resources: run.resources,
    result: run.simulation,
    report,
    ok: run.exitCode === 0 && report.failure === undefined && report.violations.length === 0,
  };
}

/** Runs the steps one after another, each from the world and state the one before left. */
export async function simulateUps(
  steps: readonly Omit<UpOptions, "world" | "state" | "previousOutputs">[],
  start: { world?: World; state?: PulumiState } = {},
): Promise<SimulatedUp[]> {
  const out: SimulatedUp[] = [];
  let world = start.world;
  let state = start.state;
  let outputs: Readonly<Record<string, unknown>> | undefined;
  for (const step of steps) {
    const up = await simulateUp({ ...step, ...(world ? { world } : {}), ...(state ? { state } : {}), ...(outputs ? { previousOutputs: outputs } : {}) });
    out.push(up);
    world = up.result.world;
    state = up.result.state;
    // The stack keeps the outputs of its last update that exported any (a failed one keeps the earlier ones).
    const exported = up.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs;
    if (exported && Object.keys(exported).length > 0) outputs = { ...outputs, ...exported };
  }
  return out;
}
