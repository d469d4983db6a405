/**
 * Keeps secret configuration out of diagnostics. Messages quote the values they are about, and a
 * malformed secret (a whole kubeconfig where a map of them belongs) is still a secret: every quoted
 * value that is part of a secret, and every occurrence of a secret, is shown as `[secret]` instead.
 */
import type { Diagnostic } from "./diagnostics";
import type { StackConfig } from "./stack-config";

export const REDACTED = "[secret]";

/** Secrets shorter than this are too likely to be ordinary words of a message to be masked inside
 * it; a quoted value equal to a whole secret is masked whatever its length. */
const MIN_UNQUOTED = 4;

export function redactDiagnostics(diagnostics: readonly Diagnostic[], stack: StackConfig): Diagnostic[] {
  const secrets = [...stack.secretKeys].flatMap((key) => stringLeaves(stack.values[key])).filter((s) => s !== "");
  if (secrets.length === 0) return [...diagnostics];
  return diagnostics.map((d) => ({ ...d, message: redact(d.message, secrets) }));
}

export function redact(message: string, secrets: readonly string[]): string {
  const lower = secrets.map((s) => s.toLowerCase());
  // Quoted values, as describeValue and the schemas write them: a JSON string of the whole value,
  // possibly lower-cased in a suggestion, or its beginning cut with "...". A quoted word that merely
  // occurs inside a secret (a cluster name inside a kubeconfig) is not the secret and stays.
  const isSecret = (quoted: string) => {
    const text = quoted.toLowerCase();
    const cut = text.endsWith("...") ? text.slice(0, -3) : undefined;
    return lower.some((s) => s === text || (cut !== undefined && cut.length >= MIN_UNQUOTED && s.startsWith(cut)));
  };
  const quotedMasked = message.replace(/"(?:[^"\\]|\\.)*"/g, (literal) => (isSecret(quotedText(literal)) ? `"${REDACTED}"` : literal));
  return [...secrets]
    .filter((s) => s.length >= MIN_UNQUOTED)
    .sort((a, b) => b.length - a.length)
    .reduce((text, secret) => text.replace(new RegExp(secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi"), REDACTED), quotedMasked);
}

function quotedText(literal: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return literal.slice(1, -1);
  }
}

function stringLeaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringLeaves);
  return [];
}
