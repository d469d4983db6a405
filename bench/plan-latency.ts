/**
 * The latency an operator feels: `npm run plan -- --stack <env>` of each example stack, end to end (the
 * command's own process, the program's, npm's start-up left out), warm: one run first fills the compile
 * caches, then each timed run is a fresh command. CPU time (the command and its child, user and system)
 * is given beside the wall time because other work on the machine stretches the wall time, not the CPU's.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../offline/run-offline";
import { stackEnvironments } from "../spec/read-files";

export interface PlanLatency {
  readonly stack: string;
  /** Resources the plan printed. */
  readonly resources: number;
  /** Median and fastest wall time of the timed runs, seconds. */
  readonly medianSeconds: number;
  readonly fastestSeconds: number;
  /** Median CPU time of a run (the command and its child process, user and system), seconds; undefined where /proc is not there to tell. */
  readonly cpuSeconds?: number;
  readonly runs: number;
  /** The machine's one-minute load average when the stack's runs began. */
  readonly load: number;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** CPU seconds of this process's waited-for children (Linux: /proc/self/stat cutime + cstime, in clock ticks of 1/100 s). */
function childrenCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

/** One `npm run plan` without npm: tsx's CLI on scripts/plan.ts, as the npm script runs it. */
function planOnce(stack: string): { seconds: number; cpuSeconds?: number; resources: number } {
  const tsx = join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs");
  const cpuBefore = childrenCpuSeconds();
  const started = performance.now();
  const run = spawnSync(process.execPath, [tsx, join(PROJECT_ROOT, "scripts", "plan.ts"), "--stack", stack, "--quiet"], { cwd: PROJECT_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = childrenCpuSeconds();
  if (run.status !== 0) throw new Error(`npm run plan -- --stack ${stack} failed (exit ${run.status}):\n${run.stderr}`);
  const resources = Number(/: (\d+) resources,/.exec(run.stdout)?.[1] ?? Number.NaN);
  return { seconds, resources, ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuSeconds: cpuAfter - cpuBefore } : {}) };
}

/** Plans each example stack once untimed, then `runs` times. */
export function measurePlanLatency(runs = 3, stacks: readonly string[] = stackEnvironments(PROJECT_ROOT)): PlanLatency[] {
  return stacks.map((stack) => {
    const load = loadavg()[0] ?? 0;
    planOnce(stack);
    const timed = Array.from({ length: runs }, () => planOnce(stack));
    const cpu = timed.flatMap((t) => (t.cpuSeconds === undefined ? [] : [t.cpuSeconds]));
    return {
      stack,
      resources: timed[0]!.resources,
      medianSeconds: median(timed.map((t) => t.seconds)),
      fastestSeconds: Math.min(...timed.map((t) => t.seconds)),
      ...(cpu.length === timed.length ? { cpuSeconds: median(cpu) } : {}),
      runs,
      load,
    };
  });
}
