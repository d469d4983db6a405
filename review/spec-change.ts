/**
 * What a change is made of, for the workflows that decide who may preview it and with which credential.
 *
 * Spec data is what the platform admin and the teams write: the `config:` section of
 * `stacks/Pulumi.<env>.yaml` (the `fleetgate:` keys) and the documents under `stacks/<env>/`. A change
 * made only of spec data can be previewed by the base branch's program with the pull request's files laid
 * over it, because no code of the pull request runs. Everything else is program, by default: a new folder
 * at the top level counts as program without anyone having to remember to add it. Only a few paths that
 * can change neither a plan nor a comment (prose and tests) are left out of both.
 *
 * Pure functions over paths and file texts; reading the files is the caller's job.
 */
import { parse } from "yaml";
import { unsafeToParse } from "../spec/nesting";

/** Where a spec file belongs: the stack it configures, and whether it is the stack file or a document. */
export type SpecPath = { readonly kind: "stack-file"; readonly stack: string } | { readonly kind: "document"; readonly stack: string };

/** A stack (environment) name as Pulumi accepts it: letters, digits, `-`, `_` and `.`. */
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * The spec path a repository path is, if it is one. A path with an empty, `.` or `..` segment, a
 * backslash or a NUL is never spec data, so that no spelling of a path can reach outside `stacks/`.
 */
export function specPath(path: string): SpecPath | undefined {
  if (path.includes("\\") || path.includes("\0")) return undefined;
  const segments = path.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) return undefined;
  if (segments[0] !== "stacks" || segments.length < 2) return undefined;
  if (segments.length === 2) {
    const stackFile = /^Pulumi\.(.+)\.yaml$/.exec(segments[1]!);
    return stackFile && STACK_NAME.test(stackFile[1]!) ? { kind: "stack-file", stack: stackFile[1]! } : undefined;
  }
  const stack = segments[1]!;
  // A folder named like a stack file would make `stacks/Pulumi.dev.yaml` a folder: never spec data.
  return STACK_NAME.test(stack) && !stack.startsWith("Pulumi.") ? { kind: "document", stack } : undefined;
}

/**
 * Paths that change neither what any stack registers nor what the pull-request comment says: prose and
 * the tests. No code outside `test/` imports from `test/` (test/review/stacks.test.ts checks it), so a
 * change there cannot reach a plan.
 */
export function isInert(path: string): boolean {
  return path === "README.md" || path === "vitest.config.mts" || /^(docs|test|\.ci)\/./.test(path);
}

/** Whether a changed path needs the pull request's own program to show its effect. */
export function isProgramPath(path: string): boolean {
  return specPath(path) === undefined && !isInert(path);
}

/** The project's own config namespace: keys in it (or with no namespace, which Pulumi gives the project's) are spec data. */
const PROJECT_NAMESPACE = "fleetgate";

/**
 * Why a change to a stack file is more than a change of spec data, or nothing when it is only that.
 * `base` is the file as the base branch has it and `head` as the pull request leaves it; `undefined` for
 * a file that does not exist on that side. Compared as parsed YAML, so comments and layout do not count.
 *
 * - Every top-level key but `config:` (`secretsprovider`, `encryptedkey`, `encryptionsalt`, the Pulumi ESC
 *   `environment:` imports, anything new) decides what the stack's token decrypts and where from.
 * - Config keys outside the `fleetgate:` namespace are provider settings (`gcp:project`, `aws:region`,
 *   and in the same place the providers' credentials): they change whose cloud the preview reaches.
 * - An encrypted value (`secure:`) may stay where it is or go, never be added, changed or moved: the base
 *   program would decrypt it wherever it stands, and a value moved into a field that is printed would
 *   print a secret.
 * - A cluster's `access` may stay or go, never be added or changed: it says where Fleetgate looks the
 *   cluster up (a GKE cluster in the project it names), and the Kubernetes provider then hands that
 *   cluster's API server the preview identity's token. A project the pull request chose would receive it.
 */
export function stackFileSettingsChanges(file: string, base: string | undefined, head: string | undefined): string[] {
  if (head === undefined) return [];
  const after = readStackFile(head);
  if (after === undefined) return [`${file} cannot be read as one YAML map, so what it changes cannot be told apart from the settings that decide decryption.`];
  const before = (base === undefined ? {} : readStackFile(base)) ?? {};
  const reasons: string[] = [];

  for (const key of unionKeys(before, after)) {
    if (key !== "config" && !sameValue(before[key], after[key]))
      reasons.push(`${file} changes ${key}:, a stack setting outside config: that decides what the stack's token decrypts and where from.`);
  }
  const configBefore = asMap(before.config) ?? {};
  const configAfter = asMap(after.config) ?? {};
  for (const key of unionKeys(configBefore, configAfter)) {
    if (!isProjectKey(key) && !sameValue(configBefore[key], configAfter[key]))
      reasons.push(
        `${file} changes config ${key}, a provider setting (only fleetgate: keys are spec data): it changes whose cloud the preview reaches and with which credentials.`,
      );
  }
  const accessBefore = clusterAccess(configBefore);
  for (const [cluster, access] of clusterAccess(configAfter)) {
    if (accessBefore.get(cluster) !== access)
      reasons.push(
        `${file} adds or changes how Fleetgate reaches cluster ${cluster} (fleetgate:clusters[].access): the preview would hand the API server it names the preview identity's token.`,
      );
  }
  const secretsBefore = encryptedValues(configBefore);
  for (const [path, ciphertext] of encryptedValues(configAfter)) {
    if (secretsBefore.get(path) !== ciphertext)
      reasons.push(
        `${file} adds or changes the encrypted value at config ${path}: a spec change may keep or remove encrypted values, never add, change or move one.`,
      );
  }
  return reasons;
}

/** The outcome of classifying a change for its preview. */
export interface Classification {
  /** `none`: nothing to preview; `spec`: spec data only; `program`: anything else. */
  readonly kind: "none" | "spec" | "program";
  /** The stacks whose spec the change touches, or every known stack when the program changed. Sorted. */
  readonly stacks: readonly string[];
  /** Why the change is program, one sentence each; empty otherwise. */
  readonly reasons: readonly string[];
}

/** What the classifier knows of a spec file on one side of the change. */
export type FileState = { readonly type: "file"; readonly text: string } | { readonly type: "absent" } | { readonly type: "other"; readonly what: string };

export interface ClassifyInput {
  /** The paths the change adds, modifies or deletes (a rename is a deletion and an addition). */
  readonly changed: readonly string[];
  /** Every stack the base branch has. */
  readonly knownStacks: readonly string[];
  /**
   * Reads a changed spec file on each side; omitted when only paths are known (then stack-file settings
   * are not checked, and the result says only whether program files changed).
   */
  readonly read?: (side: "base" | "head", path: string) => FileState;
}

/** Decides whether a change is spec data only, and which stacks it touches. */
export function classifyChange({ changed, knownStacks, read }: ClassifyInput): Classification {
  const paths = [...new Set(changed.filter((p) => p !== ""))].sort();
  const reasons: string[] = [];
  const touched = new Set<string>();
  for (const path of paths) {
    if (isInert(path)) continue;
    const spec = specPath(path);
    if (!spec) {
      reasons.push(`${path} is not spec data (the stack files' config: and the documents under stacks/<env>/).`);
      continue;
    }
    touched.add(spec.stack);
    if (!read) continue;
    const head = read("head", path);
    if (head.type === "other") {
      reasons.push(`${path} is ${head.what}, not a regular file: spec data is regular files only.`);
      continue;
    }
    if (spec.kind === "stack-file") {
      const base = read("base", path);
      if (base.type === "other") reasons.push(`${path} is ${base.what} on the base branch, not a regular file.`);
      else reasons.push(...stackFileSettingsChanges(path, base.type === "file" ? base.text : undefined, head.type === "file" ? head.text : undefined));
    }
  }
  if (reasons.length > 0) return { kind: "program", stacks: [...knownStacks].sort(), reasons };
  return { kind: touched.size === 0 ? "none" : "spec", stacks: [...touched].sort(), reasons: [] };
}

type YamlMap = Record<string, unknown>;

function readStackFile(text: string): YamlMap | undefined {
  // The YAML parser runs out of memory on a file nested thousands of levels deep.
  if (unsafeToParse(text)) return undefined;
  try {
    // YAML 1.2 without merge keys, as Pulumi reads stack files: a `<<` key is a key like any other, so it
    // cannot bring settings in unseen. Duplicate keys are an error rather than a choice of one of them.
    return asMap(parse(text, { uniqueKeys: true, merge: false, maxAliasCount: 100 }));
  } catch {
    return undefined;
  }
}

function asMap(value: unknown): YamlMap | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as YamlMap) : undefined;
}

function unionKeys(a: YamlMap, b: YamlMap): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

function isProjectKey(key: string): boolean {
  return !key.includes(":") || key.startsWith(`${PROJECT_NAMESPACE}:`);
}

/** Deep equality of plain YAML values, independent of key order. */
function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const map = asMap(value);
  if (map)
    return `{${Object.keys(map)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(map[k])}`)
      .join(",")}}`;
  return JSON.stringify(value) ?? "undefined";
}

/** Each cluster's access settings, canonical, by the cluster's name. */
function clusterAccess(config: YamlMap): Map<string, string> {
  const clusters = Array.isArray(config["fleetgate:clusters"]) ? (config["fleetgate:clusters"] as unknown[]) : [];
  return new Map(clusters.map((cluster, i) => [String(asMap(cluster)?.name ?? `#${i}`), canonical(asMap(cluster)?.access)]));
}

/** Every `{ secure: <ciphertext> }` in a config map, by its path (`fleetgate:kubeconfigs.onprem`). */
function encryptedValues(config: YamlMap): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`));
    const map = asMap(value);
    if (!map) return;
    if (typeof map.secure === "string") found.set(path, map.secure);
    for (const [key, child] of Object.entries(map)) if (key !== "secure") walk(child, path === "" ? key : `${path}.${key}`);
  };
  walk(config, "");
  return found;
}
