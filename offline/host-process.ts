/**
 * The program host's process (offline/program-host.cjs): started for a run, or ahead of it. Kept apart
 * from run-offline.ts, and loading nothing but node and yaml, so that the plan command can start the
 * program's process before it loads the spec's modules (see prestartProgramHost).
 */
import { type ChildProcess, execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseDocument } from "yaml";

export const PROJECT_ROOT = resolve(__dirname, "..");

/** The Node.js arguments Pulumi.yaml gives the language host (`runtime.options.nodeargs`). */
export function projectNodeArgs(root = PROJECT_ROOT): string[] {
  const project = parseDocument(readFileSync(join(root, "Pulumi.yaml"), "utf8")).toJS() as { runtime?: { options?: { nodeargs?: string } } };
  return (project.runtime?.options?.nodeargs ?? "").split(/\s+/).filter((arg) => arg !== "");
}

/** A program host process: its result file, and what it wrote when it ends (never a rejection). */
export interface HostProcess {
  readonly child: ChildProcess;
  readonly dir: string;
  readonly out: string;
  readonly finished: Promise<{ error: Error | null; stdout: string; rawStderr: string }>;
}

export function startHost(
  stack: string,
  root: string,
  args: readonly string[],
  env: Record<string, string>,
  dir = mkdtempSync(join(tmpdir(), "fleetgate-plan-")),
): HostProcess {
  const out = join(dir, "run.json");
  let child!: ChildProcess;
  const finished = new Promise<{ error: Error | null; stdout: string; rawStderr: string }>((done) => {
    child = execFile(
      process.execPath,
      [...projectNodeArgs(), join(PROJECT_ROOT, "offline", "program-host.cjs"), "--stack", stack, "--out", out, "--root", root, ...args],
      { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, rawStderr) => done({ error, stdout, rawStderr }),
    );
  });
  return { child, dir, out, finished };
}

/** A host started ahead of its run by prestartProgramHost, with the stack and root it was started for. */
let prestarted: { readonly stack: string; readonly root: string; readonly host: HostProcess } | undefined;

/**
 * Starts the program's process now, for the run of `stack` this process is about to ask for, so that
 * the child loads Node, the Pulumi SDK and the engine while the caller loads its own modules and
 * validates the spec: a plan's two processes then overlap instead of following each other. The first
 * runProgramOffline of that stack and root (the program of this checkout, untimed) hands the host its
 * inputs; a host never used is ended when this process exits.
 */
export function prestartProgramHost(stack: string, root = PROJECT_ROOT): void {
  if (prestarted) return;
  const host = startHost(stack, resolve(root), ["--inputs-from-stdin"], {});
  prestarted = { stack, root: resolve(root), host };
  process.on("exit", () => {
    if (prestarted?.host === host) host.child.kill();
  });
}

/** The host started ahead for this run, if it was started for it: the program of this checkout, untimed. */
export function takePrestarted(
  options: { readonly stack: string; readonly program?: string; readonly floor?: unknown; readonly measure?: boolean },
  root: string,
): HostProcess | undefined {
  const usable =
    prestarted &&
    prestarted.stack === options.stack &&
    prestarted.root === resolve(root) &&
    options.program === undefined &&
    options.floor === undefined &&
    !options.measure;
  if (!usable) return undefined;
  const host = prestarted!.host;
  prestarted = undefined;
  return host;
}
