/**
 * Project roots and programs for simulated updates: a copy of an example stack changed as a scenario
 * needs (a cluster added, a host added, another front door mode), and a copy of the program with one
 * change (a wait taken out), both in temporary folders.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseAllDocuments, parseDocument, stringify } from "yaml";
import { PROJECT_ROOT } from "../../offline/run-offline";

export type Doc = Record<string, any>;

export interface StackChange {
  /** Changes the stack file's `config:` mapping (full keys, `fleetgate:clusters`). */
  readonly config?: (config: Record<string, any>) => void;
  /** Documents to add, by path below stacks/<env>/. */
  readonly add?: Readonly<Record<string, readonly Doc[]>>;
  /** Changes the documents of a file below stacks/<env>/. */
  readonly edit?: Readonly<Record<string, (docs: Doc[]) => void>>;
  /** Names the environment anew (the stack file and the team folder follow, and so do the documents' folder). */
  readonly as?: string;
}

/** A new project root holding the example stack, changed. */
export function changedRoot(stack: string, change: StackChange = {}): string {
  const root = mkdtempSync(join(tmpdir(), `fleetgate-${stack}-`));
  const name = change.as ?? stack;
  mkdirSync(join(root, "stacks"), { recursive: true });
  const stackFile = join(PROJECT_ROOT, "stacks", `Pulumi.${stack}.yaml`);
  const parsed = parseDocument(readFileSync(stackFile, "utf8")).toJS() as { config: Record<string, any> };
  change.config?.(parsed.config);
  writeFileSync(join(root, "stacks", `Pulumi.${name}.yaml`), stringify(parsed));
  cpSync(join(PROJECT_ROOT, "stacks", stack), join(root, "stacks", name), { recursive: true });
  for (const [path, edit] of Object.entries(change.edit ?? {})) {
    const file = join(root, "stacks", name, path);
    const docs = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS() as Doc);
    edit(docs);
    writeFileSync(file, docs.map((d) => stringify(d)).join("---\n"));
  }
  for (const [path, docs] of Object.entries(change.add ?? {})) {
    const file = join(root, "stacks", name, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, docs.map((d) => stringify(d)).join("---\n"));
  }
  return root;
}

/** The files of the program (what `pulumi up` loads), relative to the project root. */
const PROGRAM = ["index.ts", "program.ts", "package.json", "tsconfig.json", "Pulumi.yaml", "components", "spec", "contracts"];

/**
 * A copy of the program with `replace` applied to one of its files; throws when the text to replace is
 * not there, so a mutation never passes by changing nothing.
 */
export function changedProgram(file: string, replace: readonly [from: string, to: string][]): string {
  const dir = mkdtempSync(join(tmpdir(), "fleetgate-program-"));
  for (const entry of PROGRAM) cpSync(join(PROJECT_ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const path = join(dir, file);
  let text = readFileSync(path, "utf8");
  for (const [from, to] of replace) {
    if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from.slice(0, 80))}: the mutation is out of date`);
    text = text.replace(from, to);
  }
  writeFileSync(path, text);
  return dir;
}
