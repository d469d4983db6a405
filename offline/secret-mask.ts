/**
 * Masks for secret values in recorded resources: kept apart from the mock engine so that what renders a
 * plan (offline/render.ts) loads no Pulumi SDK, which the plan command's own process never needs.
 */
import { createHmac } from "node:crypto";

export const SECRET_MASK = "[secret]";

/**
 * Replaces the values at the given dotted paths with what `mask` makes of them, SECRET_MASK unless told
 * otherwise (a copy; the input is not changed).
 */
export function maskPaths(value: unknown, paths: readonly string[], mask: (secret: unknown) => string = () => SECRET_MASK): unknown {
  if (paths.includes("")) return mask(value);
  if (paths.length === 0 || value === null || typeof value !== "object") return value;
  const below = (key: string) => paths.filter((p) => p === key || p.startsWith(`${key}.`)).map((p) => (p === key ? "" : p.slice(key.length + 1)));
  if (Array.isArray(value)) return value.map((v, i) => maskPaths(v, below(String(i)), mask));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskPaths(v, below(k), mask)]));
}

/**
 * A mask that tells secret values apart without showing them: a keyed hash, `[secret 3fa2c1d09b7e]`. With
 * one key for the plans of a base and a head, a changed secret shows as changed in their diff; without
 * the key the hash says nothing about the value.
 */
export function fingerprintMask(key: string): (secret: unknown) => string {
  return (secret) =>
    `[secret ${createHmac("sha256", key)
      .update(JSON.stringify(secret) ?? "")
      .digest("hex")
      .slice(0, 12)}]`;
}
