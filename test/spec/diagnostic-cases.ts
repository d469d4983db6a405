/**
 * The table runner the spec tests share: a case changes the base fixture and names the errors (and
 * warnings) it wants, each by a substring of its field path and of its message (and of its file);
 * every one must be there, at a file position, and a case that wants no error gets none.
 */
import { expect } from "vitest";
import { formatDiagnostic, type Diagnostic } from "../../spec/diagnostics";
import type { PlanResult } from "../../spec/index";
import { baseFixture, planFixture, type SpecFixture } from "./fixtures";

/** A diagnostic a case wants. */
export interface Want {
  /** Substring of the field path. */
  path: string;
  /** Substring of the message. */
  message: string;
  /** Substring of the file, default: any. */
  file?: string;
}

export interface DiagnosticCase {
  description: string;
  mutate: (f: SpecFixture) => void;
  /** Errors wanted; none (or no list): the spec has no error. */
  wantErrors?: Want[];
  /** Warnings wanted, besides any others. */
  wantWarnings?: Want[];
}

/** The first diagnostic of `found` that `want` describes. */
export function findWanted(found: readonly Diagnostic[], want: Want): Diagnostic | undefined {
  return found.find((d) => d.path.includes(want.path) && d.message.includes(want.message) && (want.file === undefined || d.file.includes(want.file)));
}

/** Checks a plan's diagnostics against what a case wants: every wanted one at a position, and no error when none is wanted. */
export function expectDiagnostics(result: PlanResult, want: { errors?: readonly Want[]; warnings?: readonly Want[] }): void {
  const shown = result.diagnostics.map(formatDiagnostic).join("\n");
  for (const severity of ["error", "warning"] as const) {
    const found = result.diagnostics.filter((d) => d.severity === severity);
    for (const w of (severity === "error" ? want.errors : want.warnings) ?? []) {
      const match = findWanted(found, w);
      expect(match, `no ${severity} with path ~ "${w.path}" and message ~ "${w.message}" in:\n${shown}`).toBeDefined();
      expect(match!.line, `${severity} without a position: ${formatDiagnostic(match!)}`).toBeGreaterThan(0);
    }
  }
  if ((want.errors ?? []).length === 0) expect(result.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
}

/** Plans the fixture (default: the base) after the case's change, checks its diagnostics, and returns the result for the case's own checks. */
export function planCase(c: DiagnosticCase, fixture: SpecFixture = baseFixture()): PlanResult {
  c.mutate(fixture);
  const result = planFixture(fixture);
  expectDiagnostics(result, { errors: c.wantErrors, warnings: c.wantWarnings });
  return result;
}
