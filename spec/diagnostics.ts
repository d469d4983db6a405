/**
 * Diagnostics: what Fleetgate tells a user about their input. Every check in spec/ reports through
 * this one shape, so that all problems of a run can be collected, sorted and printed together.
 */

import type { Locator } from "./yaml-source";

export type Severity = "error" | "warning";

/** A place in a source file. Lines and columns are 1-based; they are absent when the value came from
 * somewhere without a file (configuration set through `pulumi config set` with no stack file here). */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /**
   * The field as its document writes it, where a locator translates paths (a GKE policy read as a
   * BackendConfig, spec/gke-policies.ts): messages name this path instead of the one asked for.
   */
  readonly path?: string;
}

export interface Diagnostic extends SourceLocation {
  readonly severity: Severity;
  /** The field path inside the document, e.g. `spec.template.spec.rules[0].host`. */
  readonly path: string;
  /** A full sentence: what is wrong, and what would be right. */
  readonly message: string;
}

export type PathSegment = string | number;

/** Reports a problem of a document at a field; the validator gives it the document's file and position. */
export type DocReport = (doc: { locate: Locator }, path: PathSegment[], message: string, severity?: Severity) => void;

/** Renders a field path the way a reader writes it: `a.b[0].c`; keys that are not identifiers are quoted. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment) && !segment.includes(":")) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line === undefined ? d.file : `${d.file}:${d.line}:${d.column ?? 1}`;
  const severity = d.severity === "warning" ? " warning:" : "";
  const path = d.path === "" ? "" : ` ${d.path}:`;
  return `${where}:${severity}${path} ${d.message}`;
}

/** Sorts by file, position, then text, so that a run's report reads top to bottom and never depends on
 * the order in which checks ran. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => [d.file, d.line ?? 0, d.column ?? 0, d.path, d.message] as const;
  return [...diagnostics].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      const x = ka[i]!;
      const y = kb[i]!;
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  });
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Thrown by the program when the spec is invalid: it carries every diagnostic of the run. */
export class InvalidSpecError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    super(
      `Fleetgate found ${errors.length} error${errors.length === 1 ? "" : "s"} in the environment's spec; ` +
        `nothing was deployed:\n` +
        sortDiagnostics(diagnostics).map(formatDiagnostic).join("\n"),
    );
    this.name = "InvalidSpecError";
  }
}
