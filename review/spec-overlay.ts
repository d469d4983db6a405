/**
 * Lays a pull request's spec files over a checkout of the base branch, so that the base branch's program
 * previews the pull request's spec. The pull request's files are data here, read from a folder it was
 * checked out to: only regular files at spec paths are copied, a file the pull request deleted is
 * deleted, and anything else (a path outside the spec, a symbolic link anywhere on the way, a folder
 * where a file should be, a stack-file change beyond `config:`) refuses the whole overlay before any file
 * is written.
 */
import { copyFileSync, lstatSync, mkdirSync, readFileSync, rmSync, type Stats } from "node:fs";
import { dirname, join } from "node:path";
import { classifyChange, specPath, type Classification, type FileState } from "./spec-change";

/**
 * What a path holds in a folder, without following a symbolic link at any step: every folder on the
 * way must be a real folder, and the path itself a regular file or nothing.
 */
export function fileState(root: string, path: string): FileState {
  const segments = path.split("/");
  let at = root;
  for (const [i, segment] of segments.entries()) {
    at = join(at, segment);
    const stats = lstatOrUndefined(at);
    if (!stats) return { type: "absent" };
    const last = i === segments.length - 1;
    if (stats.isSymbolicLink()) return { type: "other", what: last ? "a symbolic link" : `below a symbolic link (${segments.slice(0, i + 1).join("/")})` };
    if (!last && !stats.isDirectory()) return { type: "absent" };
    if (last && !stats.isFile()) return { type: "other", what: stats.isDirectory() ? "a folder" : "a special file" };
  }
  return { type: "file", text: readFileSync(at, "utf8") };
}

/** A reader for {@link classifyChange} over a base folder and a pull-request folder. */
export function folderReader(base: string, head: string): (side: "base" | "head", path: string) => FileState {
  return (side, path) => fileState(side === "base" ? base : head, path);
}

export interface OverlayInput {
  /** The base branch's checkout: what the stack files are compared with. */
  readonly base: string;
  /** The pull request's files (a checkout, or a folder holding only its changed spec files). */
  readonly head: string;
  /** The paths the pull request changes. */
  readonly changed: readonly string[];
  /** Where the files go; the base checkout itself unless said otherwise. */
  readonly into?: string;
  /** The stacks the base branch has (for the classification's stack list). */
  readonly knownStacks: readonly string[];
}

export interface OverlayResult {
  readonly classification: Classification;
  /** Why nothing was written; empty when the overlay was applied. */
  readonly refused: readonly string[];
  readonly copied: readonly string[];
  readonly removed: readonly string[];
}

export function overlaySpec({ base, head, changed, into = base, knownStacks }: OverlayInput): OverlayResult {
  const classification = classifyChange({ changed, knownStacks, read: folderReader(base, head) });
  const refused = [...classification.reasons];
  const copies: string[] = [];
  const removals: string[] = [];
  for (const path of [...new Set(changed)].sort()) {
    if (!specPath(path)) continue; // inert paths (prose, tests) are not needed by a preview
    const source = fileState(head, path);
    const target = fileState(into, path);
    if (target.type === "other") refused.push(`${path} is ${target.what} in the folder the overlay writes to; it writes regular files only.`);
    else if (source.type === "file") copies.push(path);
    else if (source.type === "absent" && target.type === "file") removals.push(path);
  }
  if (refused.length > 0) return { classification, refused, copied: [], removed: [] };

  for (const path of copies) {
    const to = join(into, path);
    mkdirSync(dirname(to), { recursive: true });
    rmSync(to, { force: true });
    copyFileSync(join(head, path), to);
  }
  for (const path of removals) rmSync(join(into, path));
  return { classification, refused: [], copied: copies, removed: removals };
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw error;
  }
}
