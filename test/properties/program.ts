/**
 * Runs a generated environment through the program in this process, under the offline engine: the spec
 * pipeline on the stack file and documents, then FleetIngress with the configuration the engine would
 * hand it (encrypted values as the offline plan's stand-ins). Every way it can fail is caught and
 * reported: a throw, a rejected output, a registration the engine refuses or never answers.
 */
import * as pulumi from "@pulumi/pulumi";
import { FleetIngress } from "../../components/fleet-ingress";
import { secretsFromConfig } from "../../components/secrets";
import { startMockEngine } from "../../offline/mock-engine";
import { engineConfigFromStackFile } from "../../offline/run-offline";
import { formatDiagnostic } from "../../spec/diagnostics";
import { planEnvironment } from "../../spec/index";
import { stackConfigFromFile } from "../../spec/stack-config";
import type { GeneratedSpec } from "./specs";

export type Outcome = { kind: "planned"; resources: number } | { kind: "refused"; errors: string[] } | { kind: "threw"; error: string };

export async function runProgramInProcess(spec: GeneratedSpec): Promise<Outcome> {
  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", onRejection);
  try {
    const stackPath = `stacks/Pulumi.${spec.environment}.yaml`;
    const result = planEnvironment({
      environment: spec.environment,
      stack: stackConfigFromFile(stackPath, spec.stackText),
      files: Object.entries(spec.files).map(([path, text]) => ({ path, text })),
    });
    if (!result.plan) return { kind: "refused", errors: result.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic) };
    const { config, secretKeys } = engineConfigFromStackFile(spec.stackText);
    const engine = startMockEngine({ stack: spec.environment, config, secretKeys });
    new FleetIngress(spec.environment, { plan: result.plan, secrets: secretsFromConfig(new pulumi.Config("fleetgate")) });
    await engine.settle();
    // Rejections surface a turn after the registrations they broke.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (failures.length > 0) return { kind: "threw", error: failures.map(describe).join("\n") };
    return { kind: "planned", resources: engine.resources.length };
  } catch (error) {
    return { kind: "threw", error: describe(error) };
  } finally {
    process.off("unhandledRejection", onRejection);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.message}\n${error.stack?.split("\n").slice(1, 6).join("\n") ?? ""}` : String(error);
}
