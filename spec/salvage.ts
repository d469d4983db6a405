/**
 * What of a value that failed its schema can still be checked. A misspelt field or a bad optional value
 * should not hide the rest of a document from the cross-document checks (an unknown cluster, a port the
 * service does not have, a host the team does not own): one run should show every error. So the fields
 * the schema complained about are taken out, and what remains is parsed again; the value is used only
 * for checking, never planned (its errors are already reported).
 *
 * A field is taken out only where the schema lets it be absent: an unknown key, or an optional field. A
 * list item is never taken out, since the items after it would move and every later error would name
 * the wrong index; a value whose required field or list item is wrong is not salvaged.
 */
import type { z } from "zod";
import type { PathSegment } from "./diagnostics";

/** Parses `value` with `schema`, leaving out what failed; undefined when nothing parseable remains. */
export function salvage<T>(schema: z.ZodType<T>, value: unknown, rounds = 8): T | undefined {
  const current = structuredClone(value);
  const removed = new Set<string>();
  for (let round = 0; round < rounds; round++) {
    const result = schema.safeParse(current);
    if (result.success) return result.data;
    let changed = false;
    for (const issue of result.error.issues) {
      const path = issue.path as PathSegment[];
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) changed = remove(current, [...path, key]) || changed;
        continue;
      }
      const last = path[path.length - 1];
      const key = JSON.stringify(path);
      // The root, a list item, or a field already taken out once (so it is required): nothing to salvage.
      if (path.length === 0 || typeof last === "number" || removed.has(key)) return undefined;
      removed.add(key);
      remove(current, path);
      changed = true;
    }
    if (!changed) return undefined;
  }
  return undefined;
}

/** Deletes the field at `path` from a plain value; whether there was one. */
function remove(root: unknown, path: readonly PathSegment[]): boolean {
  let parent: unknown = root;
  for (const segment of path.slice(0, -1)) {
    if (parent === null || typeof parent !== "object") return false;
    parent = (parent as Record<string, unknown>)[segment as string];
  }
  const last = path[path.length - 1]!;
  if (parent === null || typeof parent !== "object" || Array.isArray(parent) || !(String(last) in parent)) return false;
  delete (parent as Record<string, unknown>)[String(last)];
  return true;
}
