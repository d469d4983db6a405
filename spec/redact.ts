/**
 * Keeps secret configuration out of diagnostics. Messages quote the values they are about, and a
 * malformed secret (a whole kubeconfig where a map of them belongs) is still a secret: every quoted
 * value that is part of a secret, and every occurrence of a secret, is shown as `[secret]` instead.
 */
import type { Diagnostic } from "./diagnostics";
import type { StackConfig } from "./stack-config";

export const REDACTED = "[secret]";

/** Shorter pieces are too likely to be ordinary words of a message ("/", "gke") to be masked inside
 * it; a quoted value equal to a whole secret is masked whatever its length. */
const MIN_PIECE = 4;

export function redactDiagnostics(diagnostics: readonly Diagnostic[], stack: StackConfig): Diagnostic[] {
  const secrets = [...stack.secretKeys].flatMap((key) => stringLeaves(stack.values[key])).filter((s) => s !== "");
  if (secrets.length === 0) return [...diagnostics];
  return diagnostics.map((d) => ({ ...d, message: redact(d.message, secrets) }));
}

export function redact(message: string, secrets: readonly string[]): string {
  const lower = secrets.map((s) => s.toLowerCase());
  const isSecretPart = (text: string) => {
    const t = text.toLowerCase();
    return lower.some((s) => s === t || (t.length >= MIN_PIECE && s.includes(t)));
  };
  // Quoted values, as describeValue and the schemas write them: JSON strings, possibly cut with "...",
  // possibly lower-cased in a suggestion.
  const quotedMasked = message.replace(/"(?:[^"\\]|\\.)*"/g, (literal) => (isSecretPart(quotedText(literal).replace(/\.\.\.$/, "")) ? `"${REDACTED}"` : literal));
  return [...secrets]
    .filter((s) => s.length >= MIN_PIECE)
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
