/**
 * The only file reading of the spec: the stack file and the environment's documents, as the program
 * and the offline plan find them under the project root. Everything after this is pure.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { SourceFile } from "./documents";

export function stackFilePath(environment: string): string {
  return `stacks/Pulumi.${environment}.yaml`;
}

/** The environments with a stack file under `stacks/`, sorted. */
export function stackEnvironments(root: string): string[] {
  return readdirSync(join(root, "stacks"))
    .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
    .map((f) => f.slice("Pulumi.".length, -".yaml".length))
    .sort();
}

export function readStackFile(root: string, environment: string): SourceFile | undefined {
  const path = stackFilePath(environment);
  const full = join(root, path);
  return existsSync(full) ? { path, text: readFileSync(full, "utf8") } : undefined;
}

/** Every `.yaml`/`.yml` file below `stacks/<environment>/`, with paths relative to the root, sorted. */
export function readEnvironmentFiles(root: string, environment: string): SourceFile[] {
  const dir = join(root, "stacks", environment);
  if (!existsSync(dir)) return [];
  const files: SourceFile[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder).sort()) {
      const full = join(folder, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry)) files.push({ path: relative(root, full).split(sep).join("/"), text: readFileSync(full, "utf8") });
    }
  };
  walk(dir);
  return files;
}
