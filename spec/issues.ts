/**
 * Turns zod issues into Fleetgate diagnostics: full sentences that say what is wrong and what would be
 * right, placed at the issue's field in its source file.
 */
import type { z } from "zod";
import { formatPath, type Diagnostic, type PathSegment } from "./diagnostics";
import { didYouMean, listChoices } from "./names";
import type { Locator } from "./yaml-source";

/** Error map passed to every safeParse: rewrites zod's generic texts; custom messages pass through. */
export const issueMessages: z.core.$ZodErrorMap = (issue) => {
  const field = issue.inst as { description?: string } | undefined;
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) {
        const description = field?.description;
        const hint = description ? ` (${(description.length <= 220 ? description : firstSentence(description)).replace(/\.$/, "")})` : "";
        return `is required${hint}; add it`;
      }
      return `expected ${article(String(issue.expected))}, found ${describeValue(issue.input)}`;
    }
    case "invalid_value": {
      const choices = issue.values.map(String);
      const given = String(issue.input);
      return choices.length === 1
        ? `must be ${JSON.stringify(choices[0])}, found ${describeValue(issue.input)}`
        : `${describeValue(issue.input)} is not one of ${listChoices(choices)}${didYouMean(given, choices)}`;
    }
    case "too_small":
      if (issue.origin === "array") return `needs at least ${issue.minimum} item${issue.minimum === 1 ? "" : "s"}`;
      if (issue.origin === "string") return issue.minimum === 1 ? "is empty; give a value" : `must be at least ${issue.minimum} characters long`;
      return `is ${bound(issue.input)}; use ${issue.inclusive ? "at least" : "more than"} ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "array") return `has too many items; use at most ${issue.maximum}`;
      if (issue.origin === "string") return `is too long; use at most ${issue.maximum} characters`;
      return `is ${bound(issue.input)}; use ${issue.inclusive ? "at most" : "less than"} ${issue.maximum}`;
    case "invalid_union":
      if ("discriminator" in issue && typeof issue.discriminator === "string") {
        const options = ((issue.inst as { options?: { _zod: { propValues?: Record<string, Set<unknown>> } }[] } | undefined)?.options ?? []).flatMap((o) =>
          [...(o._zod.propValues?.[issue.discriminator as string] ?? [])].map(String),
        );
        const given = (issue.input as Record<string, unknown> | undefined)?.[issue.discriminator];
        if (given === undefined) return `needs a "${issue.discriminator}" field with one of ${listChoices(options)}`;
        return `${describeValue(given)} is not one of ${listChoices(options)}${didYouMean(String(given), options)}`;
      }
      return unionMessage(issue.errors, issue.input);
    case "invalid_format":
      return `${describeValue(issue.input)} is not in the expected format (${issue.format})`;
    case "not_multiple_of":
      return `must be a whole multiple of ${String(issue.divisor)}`;
    default:
      return undefined;
  }
};

/**
 * A value no option of a union accepts: when its type fits one option, that option's own complaint
 * (`is 0; use at least 1`); when it fits none, the types that would do.
 */
function unionMessage(options: readonly (readonly z.core.$ZodIssue[])[], input: unknown): string | undefined {
  const wrongType = (errors: readonly z.core.$ZodIssue[]) => errors.length === 1 && errors[0]!.code === "invalid_type" && errors[0]!.path.length === 0;
  const fitting = options.filter((errors) => !wrongType(errors));
  if (fitting.length === 1 && fitting[0]!.length === 1 && fitting[0]![0]!.path.length === 0) return fitting[0]![0]!.message;
  if (fitting.length > 0) return undefined;
  const expected = [...new Set(options.map((errors) => article(String((errors[0] as z.core.$ZodIssueInvalidType).expected))))];
  if (input === undefined) return `is required; give ${expected.join(" or ")}`;
  return `expected ${expected.join(" or ")}, found ${describeValue(input)}`;
}

/** A value out of range, as the message names it: a number as written, anything else with its type. */
function bound(input: unknown): string {
  return typeof input === "number" ? String(input) : describeValue(input);
}

function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end === -1 ? text : text.slice(0, end);
}

function article(noun: string): string {
  const word = noun === "int" ? "whole number" : noun;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return `${typeof value} ${String(value)}`;
}

/**
 * Converts a failed parse into diagnostics. `prefix` is prepended to every issue path (the config key,
 * for stack configuration); the locator receives the full path.
 */
export function issuesToDiagnostics(error: z.ZodError, locate: Locator, prefix: readonly PathSegment[] = []): Diagnostic[] {
  return error.issues.map((issue) => {
    let path: PathSegment[] = [...prefix, ...(issue.path as PathSegment[])];
    // An unknown key is reported at the key itself, so the position points at the offending line.
    const unknownKey = issue.code === "unrecognized_keys" && issue.keys.length > 0;
    if (unknownKey) path = [...path, issue.keys[0]!];
    return { ...locate(path, unknownKey ? "key" : "value"), severity: "error" as const, path: formatPath(path), message: sentence(issue.message) };
  });
}

function sentence(message: string): string {
  const trimmed = message.trim();
  return /[.?!]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
