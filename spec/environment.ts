/**
 * Validates the admin's stack configuration key by key against its schema: unknown keys, missing
 * required keys, credentials that are not held as secrets, and every schema rule, all reported at
 * their place in `stacks/Pulumi.<env>.yaml`.
 */
import type { z } from "zod";
import type { Diagnostic } from "./diagnostics";
import { formatPath } from "./diagnostics";
import { issueMessages, issuesToDiagnostics } from "./issues";
import { didYouMean } from "./names";
import { salvage } from "./salvage";
import { ENVIRONMENT_KEYS, SECRET_KEYS, type EnvironmentConfig, type EnvironmentKey } from "./schema/environment";
import { CONFIG_NAMESPACE, type StackConfig } from "./stack-config";

/**
 * `config` when every setting passed, or when what failed could be left out (an unknown field, a bad
 * optional value: see salvage.ts), so that the cross-checks still run and one run reports everything;
 * otherwise `clusters` when the cluster list alone did, so that its own checks can still run. Errors
 * are in the diagnostics either way: a config that comes with errors is for checking, never planning.
 */
export function parseEnvironment(stack: StackConfig): { config?: EnvironmentConfig; clusters?: EnvironmentConfig["clusters"]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [...stack.diagnostics];
  // A stack file that does not parse has no values to check: every key would be reported missing.
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  const known = Object.keys(ENVIRONMENT_KEYS);
  const parsed: Record<string, unknown> = {};
  let unsalvageable = false;

  for (const key of Object.keys(stack.values).sort()) {
    if (!(key in ENVIRONMENT_KEYS)) {
      diagnostics.push({
        ...stack.locate([key], "key"),
        severity: "error",
        path: `${CONFIG_NAMESPACE}:${key}`,
        message: `is not a Fleetgate setting${didYouMean(key, known)}; the settings are ${known.map((k) => `${CONFIG_NAMESPACE}:${k}`).join(", ")}.`,
      });
    }
  }

  for (const [key, { schema, required }] of Object.entries(ENVIRONMENT_KEYS) as [EnvironmentKey, (typeof ENVIRONMENT_KEYS)[EnvironmentKey]][]) {
    const value = stack.values[key];
    if (value === undefined) {
      if (required) unsalvageable = true;
      if (required)
        diagnostics.push({
          ...stack.locate([]),
          severity: "error",
          path: `${CONFIG_NAMESPACE}:${key}`,
          message: `is missing; ${schema.description ?? "set it"} Set it in the stack file.`,
        });
      continue;
    }
    if (SECRET_KEYS.includes(key) && !stack.secretKeys.has(key)) {
      diagnostics.push({
        ...stack.locate([key]),
        severity: "error",
        path: `${CONFIG_NAMESPACE}:${key}`,
        message:
          typeof value === "object" && value !== null
            ? `holds credentials in plain text; remove it and set each entry again as a secret: \`pulumi config set --secret --path '${CONFIG_NAMESPACE}:${key}.${Object.keys(value)[0] ?? "<name>"}' "$(cat <file>)"\`.`
            : `holds credentials in plain text; remove it and set it again as a secret: \`pulumi config set --secret ${CONFIG_NAMESPACE}:${key} < <file>\`.`,
      });
    }
    const result = schema.safeParse(value, { error: issueMessages });
    if (result.success) parsed[key] = result.data;
    else {
      diagnostics.push(...issuesToDiagnostics(result.error, stack.locate, [key]).map((d) => ({ ...d, path: `${CONFIG_NAMESPACE}:${d.path}` })));
      const salvaged = salvage(schema as z.ZodType<unknown>, value);
      if (salvaged !== undefined) parsed[key] = salvaged;
      else if (required) unsalvageable = true;
    }
  }

  if (!unsalvageable) return { config: parsed as EnvironmentConfig, diagnostics };
  const clusters = parsed.clusters as EnvironmentConfig["clusters"] | undefined;
  return { ...(clusters ? { clusters } : {}), diagnostics };
}

/** Formats a config path for messages: `fleetgate:clusters[0].region`. */
export function configPath(key: string, ...rest: (string | number)[]): string {
  return `${CONFIG_NAMESPACE}:${formatPath([key, ...rest])}`;
}
