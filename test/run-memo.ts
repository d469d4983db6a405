/**
 * One offline run of the same inputs per vitest run, shared between test files: many files plan the
 * same example stack (examples, front doors, route model, simulated first ups), and each run is seconds
 * of a child process. The results live in a folder that test/setup/run-memo-folder.ts makes for the
 * vitest run and deletes after it (in watch mode: for the session), so every `npm test` still runs
 * every distinct input once.
 *
 * A run is known by its inputs (stack, engine config, simulation input, stack traces) and by the
 * contents of what it reads: every file below the root's stacks/ (the program reads the other stacks
 * too), the program's sources, the offline engine's, and the environment the child inherits. A file
 * changed between two runs (watch mode, or a test editing a root) gives another key, never a stale run.
 * While one test file runs an input, the others that need it wait for its result instead of running it
 * beside it on the same cores.
 */
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { OfflineRun } from "../offline/run-offline";
import type { OfflineRunInputs, OfflineRunMemo } from "../offline/shared-runs";

const PROJECT_ROOT = resolve(__dirname, "..");

/** Top-level entries of a program folder that are not the program: no run reads them. */
const NOT_PROGRAM = new Set(["node_modules", ".git", ".github", "test", "docs", "stacks", "schemas", "README.md"]);

/** Adds every file below `path` (relative names, contents; links by their targets, unfollowed) to the hash. */
function hashTree(hash: ReturnType<typeof createHash>, path: string, name: string, skip: ReadonlySet<string> = new Set()): void {
  if (!existsSync(path) && !isLink(path)) return void hash.update(`absent ${name}\0`);
  const stats = lstatSync(path);
  if (stats.isSymbolicLink()) hash.update(`link ${name} ${readlinkSync(path)}\0`);
  else if (stats.isDirectory()) {
    for (const entry of readdirSync(path).sort()) if (!skip.has(entry)) hashTree(hash, join(path, entry), `${name}/${entry}`);
  } else if (stats.isFile()) hash.update(`file ${name} ${stats.size}\0`).update(readFileSync(path)).update("\0");
  else hash.update(`other ${name}\0`);
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The key of a run: its inputs, the files it reads and the environment its child process inherits. */
export function runKey(inputs: OfflineRunInputs): string {
  const hash = createHash("sha256");
  const environment = Object.entries(process.env)
    .filter(([name]) => /^(PULUMI_|FLEETGATE_|NODE_|TS_NODE_|TSX_)/.test(name))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  hash.update(JSON.stringify({ inputs, environment, node: process.version })).update("\0");
  hashTree(hash, join(inputs.root, "stacks"), "root/stacks");
  hashTree(hash, inputs.program, "program", NOT_PROGRAM);
  hashTree(hash, join(PROJECT_ROOT, "offline"), "offline");
  return hash.digest("hex");
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Whether the process that took a lock is gone (it died mid-run), so that the lock holds nothing. */
function abandoned(lock: string): boolean {
  try {
    const pid = Number(readFileSync(join(lock, "pid"), "utf8"));
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // No pid file yet: the owner is between making the lock and writing it.
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Runs shared through `folder`: a result file per key, and a lock folder while a process computes one. */
export function folderRunMemo(folder: string): OfflineRunMemo {
  return {
    async run(inputs, compute) {
      const key = runKey(inputs);
      const result = join(folder, `${key}.json`);
      const lock = join(folder, `${key}.lock`);
      for (;;) {
        if (existsSync(result)) return JSON.parse(readFileSync(result, "utf8")) as OfflineRun;
        try {
          mkdirSync(lock);
        } catch {
          if (abandoned(lock)) rmSync(lock, { recursive: true, force: true });
          else await sleep(200);
          continue;
        }
        try {
          writeFileSync(join(lock, "pid"), String(process.pid));
          // Written after the run, not before: a reader never sees half a result, and a run that fails
          // leaves none, so that each caller then runs it and sees the failure itself.
          const run = await compute();
          writeFileSync(join(lock, "result.json"), JSON.stringify(run));
          renameSync(join(lock, "result.json"), result);
          return JSON.parse(readFileSync(result, "utf8")) as OfflineRun;
        } finally {
          rmSync(lock, { recursive: true, force: true });
        }
      }
    },
  };
}
