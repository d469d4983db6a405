/**
 * Names of the GCP front door's resources. Both kinds come from stable keys only (environment, host,
 * service key and port, cluster, network), never from positions:
 * - logical names (the Pulumi URN) start with the environment, so one program can hold several;
 * - cloud names start with `fg-<env>` (spec/naming.ts), are at most 63 characters and RFC 1035 labels.
 */
import type * as pulumi from "@pulumi/pulumi";
import { boundedName } from "../../spec/names";
import { NAME_PREFIX } from "../../spec/naming";

/** Logical names have no cloud length limit; the bound only keeps previews readable. */
const LOGICAL_MAX = 120;

/** A logical (URN) name: `<env>-<parts...>`, lower-case and dash-separated. */
export function logicalName(environment: string, ...parts: readonly (string | number)[]): string {
  return boundedName([environment, ...parts.map(String)], LOGICAL_MAX);
}

/** A cloud resource name: `fg-<env>-<parts...>`, at most 63 characters. */
export function cloudName(environment: string, ...parts: readonly (string | number)[]): string {
  return boundedName([NAME_PREFIX, environment, ...parts.map(String)]);
}

/** A host as a name part: `*.apps.example.com` becomes `wildcard-apps-example-com`. */
export function hostPart(host: string): string {
  return host.startsWith("*.") ? `wildcard-${host.slice(2)}` : host;
}

/**
 * Fails when two different keys would be given the same name: the engine would reject the duplicate
 * URN (or GCP the duplicate name) only at deployment time, so say it while planning, with both keys.
 */
export function assertUniqueNames(what: string, entries: Iterable<readonly [key: string, name: string]>): void {
  const seen = new Map<string, string>();
  for (const [key, name] of entries) {
    const other = seen.get(name);
    if (other !== undefined && other !== key)
      throw new Error(`the GCP front door would name two ${what} "${name}" (${other} and ${key}); rename one of them so their names differ`);
    seen.set(name, key);
  }
}

/** The pure planners return readonly data; Pulumi's input types want mutable arrays. */
export function mutable<T>(value: T): Mutable<T> {
  return value as Mutable<T>;
}
export type Mutable<T> =
  T extends pulumi.Output<unknown> ? T : T extends readonly (infer U)[] ? Mutable<U>[] : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;
