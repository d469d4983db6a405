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

export type Outcome = { kind: "planned"; resources: number } | { kind: "refused"; errors: string[] } | { kind: "threw"; error: string };

export async function runProgramInProcess(spec: GeneratedSpec): Promise<Outcome> {
  const root = mkdtempSync(join(tmpdir(), "fleetgate-property-"));
  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", onRejection);
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
      if (error instanceof pulumi.RunError) return { kind: "refused", errors: error.message.split("\n").slice(1).filter((line) => !/^\S+?(:\d+:\d+)?: warning: /.test(line)) };
      throw error;
    }
    // The stack's outputs resolve once everything they come from has been registered and answered.
    await Promise.all(Object.values(outputs as Record<string, pulumi.Output<unknown>>).map((o) => new Promise((resolve) => o.apply(resolve))));
    await engine.settle();
    // Rejections surface a turn after the registrations they broke.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (failures.length > 0) return { kind: "threw", error: failures.map(describe).join("\n") };
    return { kind: "planned", resources: engine.resources.length };
  } catch (error) {
    return { kind: "threw", error: describe(error) };
  } finally {
    process.off("unhandledRejection", onRejection);
    rmSync(root, { recursive: true, force: true });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.message}\n${error.stack?.split("\n").slice(1, 6).join("\n") ?? ""}` : String(error);
}
