/**
 * Runs a generated environment through the whole program in this process, under the offline engine:
 * its files are written to a scratch project root, the engine is given the configuration the Pulumi CLI
 * would pass for the stack file (encrypted values as the offline plan's stand-ins), and program.ts runs
 * as index.ts runs it. Every way it can fail is caught and told apart: refused with diagnostics (a
 * RunError), or thrown otherwise, including a rejected output or registration surfacing later.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { startMockEngine } from "../../offline/mock-engine";
import { engineConfigFromStackFile } from "../../offline/run-offline";
import { fleetgateProgram } from "../../program";
import type { GeneratedSpec } from "./specs";

/** Far longer than a generated environment takes (well under a second). */
const NEVER_FINISHED_MS = 10_000;

export type Outcome = { kind: "planned"; resources: number } | { kind: "refused"; errors: string[] } | { kind: "threw"; error: string };

export async function runProgramInProcess(spec: GeneratedSpec): Promise<Outcome> {
  const root = mkdtempSync(join(tmpdir(), "fleetgate-property-"));
  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", onRejection);
  // The program's warnings are the spec tests' business; here they would only fill the log.
  const warn = pulumi.log.warn;
  (pulumi.log as { warn: typeof warn }).warn = async () => {};
  try {
    for (const [path, text] of [[`stacks/Pulumi.${spec.environment}.yaml`, spec.stackText], ...Object.entries(spec.files)] as const) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const { config, secretKeys } = engineConfigFromStackFile(spec.stackText);
    const engine = startMockEngine({ stack: spec.environment, config, secretKeys });
    let outputs: unknown;
    try {
      outputs = await fleetgateProgram(root);
    } catch (error) {
      // A refusal lists every diagnostic after its first line (spec/diagnostics.ts, InvalidSpecError).
      if (error instanceof pulumi.RunError)
        return {
          kind: "refused",
          errors: error.message
            .split("\n")
            .slice(1)
            .filter((line) => !/^\S+?(:\d+:\d+)?: warning: /.test(line)),
        };
      throw error;
    }
    // The stack's outputs settle once everything they come from has been registered and answered, or
    // has failed (the SDK's Output keeps its promise internal).
    const outputsSettled = Promise.allSettled(Object.values(outputs as Record<string, unknown>).map((o) => (o as { promise(): Promise<unknown> }).promise()));
    // A refused registration can leave what depends on it waiting for ever: give up well after any run.
    const settled = await withinTime(outputsSettled);
    if (settled === undefined)
      failures.push(
        new Error(`the program's outputs were still waiting ${NEVER_FINISHED_MS / 1000} s after it ran: a registration was refused or never answered`),
      );
    else for (const s of settled) if (s.status === "rejected") failures.push(s.reason);
    if (settled !== undefined && (await withinTime(engine.settle().then(() => true))) === undefined)
      failures.push(new Error("the engine's registrations never all ended"));
    // Rejections surface a turn after the registrations they broke.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (failures.length > 0) return { kind: "threw", error: failures.map(describe).join("\n") };
    return { kind: "planned", resources: engine.resources.length };
  } catch (error) {
    return { kind: "threw", error: describe(error) };
  } finally {
    process.off("unhandledRejection", onRejection);
    (pulumi.log as { warn: typeof warn }).warn = warn;
    rmSync(root, { recursive: true, force: true });
  }
}

/** The promise's value, or undefined once NEVER_FINISHED_MS have passed. */
async function withinTime<T>(promise: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), NEVER_FINISHED_MS)));
  try {
    return await Promise.race([promise, gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.message}\n${error.stack?.split("\n").slice(1, 6).join("\n") ?? ""}` : String(error);
}
