/**
 * The admin's stack configuration as Fleetgate reads it: the `fleetgate:` keys with their values, which
 * of them Pulumi holds as secrets, and where each value sits in `stacks/Pulumi.<env>.yaml` (for error
 * positions). Two sources build it: the Pulumi engine's config (under `pulumi up`) and the stack file
 * itself (the offline plan, where encrypted values cannot be read and stay opaque placeholders).
 */
import { createHash } from "node:crypto";
import { LineCounter, parseDocument, type Document } from "yaml";
import type { Diagnostic, PathSegment, SourceLocation } from "./diagnostics";
import type { SourceFile } from "./documents";
import { positionAt, unsafeToParse } from "./nesting";
import { keyOffset, syntaxDiagnostics } from "./yaml-source";

export const CONFIG_NAMESPACE = "fleetgate";

export interface StackConfig {
  /** Values by key without the namespace (`clusters`, not `fleetgate:clusters`), as plain data. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Keys (without namespace) whose values are secrets. */
  readonly secretKeys: ReadonlySet<string>;
  /** Locates `[key, ...path]` in the stack file. */
  readonly locate: (path: readonly PathSegment[], place?: "value" | "key") => SourceLocation;
  /** Problems found while reading (YAML syntax errors in the stack file). */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * A stack file's value with its encrypted leaves (`{ secure: ... }`) replaced by opaque placeholders
 * that say where they came from and which ciphertext they stand for (`[secret
 * fleetgate:kubeconfigs.onprem 5d41402a]`, a hash of the ciphertext the file already shows), and whether
 * it had any: then the whole key is secret, as the Pulumi CLI makes structured values. Offline nothing can
 * decrypt them; a secret set again gets a new placeholder, so plans show what it reaches as changed.
 */
export function revealSecureValues(
  fullKey: string,
  value: unknown,
  standIn?: (path: readonly PathSegment[], ciphertext: string) => string | undefined,
): { value: unknown; secret: boolean } {
  let secret = false;
  const reveal = (v: unknown, path: PathSegment[]): unknown => {
    if (isSecureValue(v)) {
      secret = true;
      const ciphertext = (v as { secure: string }).secure;
      const replacement = standIn?.([fullKey, ...path], ciphertext);
      if (replacement !== undefined) return replacement;
      return `[secret ${[fullKey, ...path].join(".")} ${createHash("sha256").update(ciphertext).digest("hex").slice(0, 8)}]`;
    }
    if (Array.isArray(v)) return v.map((item, i) => reveal(item, [...path, i]));
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, reveal(item, [...path, k])]));
    return v;
  };
  return { value: reveal(value, []), secret };
}

/** The stack file as read from disk: its configuration, or why it could not be read. */
export function stackConfigFromSource(source: SourceFile): StackConfig {
  return source.unreadable ? unreadableStackConfig(source) : stackConfigFromFile(source.path, source.text);
}

function unreadableStackConfig(source: SourceFile): StackConfig {
  const diagnostic: Diagnostic = {
    file: source.path,
    line: source.unreadable?.line ?? 1,
    column: source.unreadable?.column ?? 1,
    severity: "error",
    path: "",
    message: source.unreadable?.message ?? "cannot be read.",
  };
  return { values: {}, secretKeys: new Set(), locate: () => ({ file: source.path }), diagnostics: [diagnostic] };
}

/** Whether a value is the placeholder of an encrypted value (revealSecureValues): its content is unknown here. */
export function isSecretPlaceholder(value: unknown): boolean {
  return typeof value === "string" && /^\[secret \S+ [0-9a-f]{8}\]$/.test(value);
}

/** Reads `stacks/Pulumi.<env>.yaml`: the `fleetgate:` keys, encrypted values as placeholders. */
export function stackConfigFromFile(file: string, text: string): StackConfig {
  const { doc, locate, diagnostics } = parseStackFile(file, text);
  const values: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  for (const [fullKey, raw] of Object.entries(stackFileConfig(doc))) {
    const key = shortKey(fullKey);
    if (key === undefined) continue;
    const { value, secret } = revealSecureValues(fullKey, raw);
    values[key] = value;
    if (secret) secretKeys.add(key);
  }
  return { values, secretKeys, locate, diagnostics };
}

/** The `config:` map of a parsed stack file (empty when the file has none or does not parse). */
export function stackFileConfig(doc: Document.Parsed | undefined): Record<string, unknown> {
  const plain = (doc?.toJS({ maxAliasCount: 100 }) ?? {}) as { config?: Record<string, unknown> | null };
  return plain.config ?? {};
}

/**
 * Reads the configuration the Pulumi engine hands the program (`pulumi.runtime.allConfig()`), with the
 * stack file, when it is present, only for positions.
 */
export function stackConfigFromEngine(all: Readonly<Record<string, string>>, isSecret: (fullKey: string) => boolean, stackFile?: SourceFile): StackConfig {
  if (stackFile?.unreadable) return unreadableStackConfig(stackFile);
  const values: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  for (const [fullKey, raw] of Object.entries(all)) {
    const key = shortKey(fullKey);
    if (key === undefined) continue;
    values[key] = decodeEngineValue(raw);
    if (isSecret(fullKey)) secretKeys.add(key);
  }
  const positions = stackFile ? parseStackFile(stackFile.path, stackFile.text) : undefined;
  const file = stackFile?.path ?? "stack configuration";
  return { values, secretKeys, locate: positions?.locate ?? (() => ({ file })), diagnostics: positions?.diagnostics ?? [] };
}

/** The engine passes structured values as JSON text and scalars as plain text. */
function decodeEngineValue(raw: string): unknown {
  const trimmed = raw.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return raw;
    }
  }
  return raw;
}

function shortKey(fullKey: string): string | undefined {
  const prefix = `${CONFIG_NAMESPACE}:`;
  return fullKey.startsWith(prefix) ? fullKey.slice(prefix.length) : undefined;
}

function isSecureValue(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { secure?: unknown }).secure === "string"
  );
}

export function parseStackFile(
  file: string,
  text: string,
): { doc?: Document.Parsed; locate: (path: readonly PathSegment[], place?: "value" | "key") => SourceLocation; diagnostics: Diagnostic[] } {
  const unsafe = unsafeToParse(text);
  if (unsafe)
    return { locate: () => ({ file }), diagnostics: [{ file, ...positionAt(text, unsafe.offset), severity: "error", path: "", message: unsafe.message }] };
  const lineCounter = new LineCounter();
  const doc: Document.Parsed = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, merge: true });
  const diagnostics: Diagnostic[] = syntaxDiagnostics(doc, text, (offset) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  });
  const locate = (path: readonly PathSegment[], place: "value" | "key" = "value"): SourceLocation => {
    const [key, ...rest] = path;
    const full = ["config", `${CONFIG_NAMESPACE}:${String(key)}`, ...rest];
    const keyAt = place === "key" && path.length > 0 ? keyOffset(doc, doc.contents, full) : undefined;
    if (keyAt !== undefined) {
      const { line, col } = lineCounter.linePos(keyAt);
      return { file, line, column: col };
    }
    for (let depth = full.length; depth >= 1; depth--) {
      const node = doc.getIn(full.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node && Array.isArray(node.range)) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return { file, line, column: col };
      }
    }
    return { file };
  };
  return { doc: doc.errors.length === 0 ? doc : undefined, locate, diagnostics };
}
