/**
 * Shares offline runs between callers: a memo answers a run with the result of an earlier one of the
 * same inputs, or computes it. Tests share one run of each example stack between their files
 * (test/run-memo.ts); runs that are timed (`measure`, `floor`) are never shared. Kept apart from
 * run-offline.ts so that registering a memo loads nothing.
 */
import type { EngineConfig, OfflineRun } from "./run-offline";
import type { SimulationInput } from "./simulation/simulate";

/** Everything a run's result depends on besides the files under `root` and `program`, which a memo reads itself. */
export interface OfflineRunInputs {
  readonly stack: string;
  readonly root: string;
  /** The program's folder (package.json main and tsconfig.json), absolute. */
  readonly program: string;
  readonly config: EngineConfig;
  readonly plainStacks: boolean;
  readonly simulate?: SimulationInput;
}

export interface OfflineRunMemo {
  run(inputs: OfflineRunInputs, compute: () => Promise<OfflineRun>): Promise<OfflineRun>;
}

let memo: OfflineRunMemo | undefined;

/** Makes every later untimed run of this process go through `shared` (undefined: none do). */
export function shareOfflineRuns(shared: OfflineRunMemo | undefined): void {
  memo = shared;
}

export function sharedOfflineRuns(): OfflineRunMemo | undefined {
  return memo;
}
