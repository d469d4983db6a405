/**
 * Values as a reviewer reads them: nested inputs flattened into leaf paths, paths printed the way
 * Pulumi's property paths are written (`spec.rules[0].matches`, `data["ca.crt"]`), and values shortened
 * so that a PEM or a long JSON blob does not drown a pull-request comment.
 */
import { SECRET_MASK } from "../offline/render";

/**
 * One step into a value: an object key, an array index, or an array element picked by its identity
 * (`backends[group=…]`) with its index on each side, so that inserting one element into a sorted list
 * reads as one addition instead of every later element changing.
 */
export type PathSegment = string | number | ElementRef;

export interface ElementRef {
  readonly key: string;
  readonly value: string | number | boolean;
  /** Index in the base array (absent when the element was added). */
  readonly before?: number;
  /** Index in the head array (absent when the element was removed). */
  readonly after?: number;
}
export type Path = readonly PathSegment[];

/** A leaf that differs between two values. `undefined` on one side means absent there. */
export interface LeafChange {
  readonly path: Path;
  readonly before: unknown;
  readonly after: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isScalarArray = (v: unknown): v is unknown[] => Array.isArray(v) && v.every((x) => x === null || typeof x !== "object");

/**
 * The leaves where `before` and `after` differ, in path order. Arrays of scalars (hosts, zones, SANs)
 * count as one leaf: a reviewer wants `[a, b] -> [a, b, c]`, not "index 2 added".
 */
export function changedLeaves(before: unknown, after: unknown, path: Path = []): LeafChange[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedLeaves(before[k], after[k], [...path, k]));
  }
  if (Array.isArray(before) && Array.isArray(after) && !(isScalarArray(before) && isScalarArray(after))) {
    const key = identityKey(before, after);
    if (key) {
      const index = (items: unknown[]) => new Map(items.map((item, i) => [(item as Record<string, unknown>)[key] as string | number | boolean, i]));
      const b = index(before);
      const a = index(after);
      const ids = [...new Set([...b.keys(), ...a.keys()])].sort((x, y) => (String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0));
      return ids.flatMap((id) => {
        const bi = b.get(id);
        const ai = a.get(id);
        const ref: ElementRef = { key, value: id, ...(bi !== undefined ? { before: bi } : {}), ...(ai !== undefined ? { after: ai } : {}) };
        return changedLeaves(bi !== undefined ? before[bi] : undefined, ai !== undefined ? after[ai] : undefined, [...path, ref]);
      });
    }
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => changedLeaves(before[i], after[i], [...path, i])).flat();
  }
  return sameValue(before, after) ? [] : [{ path, before, after }];
}

/** Keys that name an element in the lists Fleetgate's resources hold, most telling first. */
const IDENTITY_KEYS = ["name", "hostname", "host", "group", "backendService", "service", "cluster", "key", "pathMatcher", "priority", "port"];

/** A key whose scalar value is present and unique in every element of both arrays, if there is one. */
function identityKey(before: unknown[], after: unknown[]): string | undefined {
  if (before.length === 0 || after.length === 0) return undefined;
  return IDENTITY_KEYS.find((key) =>
    [before, after].every((items) => {
      const values = items.map((item) => (isRecord(item) ? item[key] : undefined));
      return values.every((v) => typeof v === "string" || typeof v === "number" || typeof v === "boolean") && new Set(values).size === values.length;
    }),
  );
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `spec.rules[0].backendRefs[1].weight`; keys that are not identifiers are quoted: `data["ca.crt"]`. */
export function formatPath(path: Path): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "object") out += `[${segment.key}=${shortId(segment.value)}]`;
    else if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === "" ? "(whole value)" : out;
}

/** An element's identity in a path: GCP resource paths lose their project prefix, long ones their start. */
function shortId(value: string | number | boolean): string {
  const text = String(value).replace(/^projects\/[^/]+\//, "");
  return text.length <= 72 ? text : `…${text.slice(-71)}`;
}

/**
 * The dotted forms the offline engine records secret paths in (`data.ca-key.pem`, `items.0.value`):
 * one per side when an element moved between indices.
 */
export function dottedPaths(path: Path): string[] {
  const sides = (side: "before" | "after") => path.map((s) => (typeof s === "object" ? String(s[side] ?? "") : String(s))).join(".");
  return [...new Set([sides("before"), sides("after")])];
}

/**
 * True when `path` is at or below one of the dotted secret paths. Dotted paths are ambiguous when keys
 * hold dots (`ca.crt`), so the comparison is on the dotted string, exactly as the engine recorded it.
 */
export function isSecretPath(path: Path, secretPaths: readonly string[]): boolean {
  if (secretPaths.includes("")) return true;
  return dottedPaths(path).some((dotted) => secretPaths.some((s) => dotted === s || dotted.startsWith(`${s}.`) || s.startsWith(`${dotted}.`)));
}

/** Longest value text shown before it is cut. */
export const MAX_VALUE_CHARS = 60;

/** A value as short text: JSON, with long strings and blobs cut and their full length given. */
export function formatValue(value: unknown, maxChars = MAX_VALUE_CHARS): string {
  if (value === undefined) return "(absent)";
  if (value === SECRET_MASK) return SECRET_MASK;
  if (typeof value === "string" && value.startsWith("-----BEGIN ")) {
    const kind = /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(value)?.[1] ?? "PEM";
    return `(${kind} PEM, ${value.length} chars)`;
  }
  const text = JSON.stringify(value) ?? String(value);
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars - 1)}… (${text.length} chars)`;
}

/** Characters shown before the first difference when a long value is cut around it. */
const CONTEXT_CHARS = 20;

/**
 * A change as two short texts. Where both sides are long and share a beginning, each is cut around the
 * first place they differ, so the difference stays visible: `…/certificates/fg-dev-shop… (94 chars)`.
 */
export function formatChange(before: unknown, after: unknown, maxChars = MAX_VALUE_CHARS): [string, string] {
  const plain = (v: unknown) => v !== undefined && v !== SECRET_MASK && !(typeof v === "string" && v.startsWith("-----BEGIN "));
  if (!plain(before) || !plain(after)) return [formatValue(before, maxChars), formatValue(after, maxChars)];
  const [a, b] = [JSON.stringify(before) ?? String(before), JSON.stringify(after) ?? String(after)];
  if (a.length <= maxChars && b.length <= maxChars) return [a, b];
  let first = 0;
  while (first < a.length && first < b.length && a[first] === b[first]) first++;
  const start = Math.max(0, first - CONTEXT_CHARS);
  const window = (text: string) => {
    if (text.length <= maxChars) return text;
    const from = Math.min(start, Math.max(0, text.length - maxChars));
    const end = from + maxChars - 1;
    return `${from > 0 ? "…" : ""}${text.slice(from, end)}${end < text.length ? "…" : ""} (${text.length} chars)`;
  };
  return [window(a), window(b)];
}

/** Text inside a Markdown code span, whatever backticks it holds. */
export function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}
