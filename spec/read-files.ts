/**
 * The only file reading of the spec: the stack file and the environment's documents, as the program
 * and the offline plan find them under the project root. Everything after this is pure.
 *
 * A spec file is read only if it is a regular file and UTF-8. Symbolic links are refused, not followed:
 * a link could bring in a file from outside the repository (and its contents would be echoed in error
 * messages), or another team's file from outside the folder its owners review.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { SourceFile } from "./documents";
import { positionAt } from "./nesting";

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
  return existsSync(join(root, path)) || isLink(join(root, path)) ? readSpecFile(root, path) : undefined;
}

/**
 * Every `.yaml`/`.yml` file below `stacks/<environment>/`, with paths relative to the root, sorted. A
 * symbolic link anywhere below (to a file or a folder) is returned as an unreadable file naming it.
 */
export function readEnvironmentFiles(root: string, environment: string): SourceFile[] {
  const dir = join(root, "stacks", environment);
  if (isLink(dir)) return [readSpecFile(root, relativePath(root, dir))];
  if (!existsSync(dir)) return [];
  const files: SourceFile[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder).sort()) {
      const full = join(folder, entry);
      const stats = lstatSync(full);
      if (stats.isSymbolicLink()) files.push(readSpecFile(root, relativePath(root, full)));
      else if (stats.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry)) files.push(readSpecFile(root, relativePath(root, full)));
    }
  };
  walk(dir);
  return files;
}

/** One spec file by its path relative to the root: its text, or why it cannot be read. */
export function readSpecFile(root: string, path: string): SourceFile {
  const full = join(root, path);
  if (isLink(full))
    return {
      path,
      text: "",
      unreadable: {
        message: `is a symbolic link; Fleetgate reads only regular files under stacks/, so that every document is reviewed where it lies and nothing outside the repository is read. Replace the link with a copy of the file.`,
      },
    };
  let bytes: Buffer;
  try {
    // Only a regular file: a FIFO or device named *.yaml would block or never end.
    if (!lstatSync(full).isFile()) return { path, text: "", unreadable: { message: "is not a regular file; spec files are plain YAML files." } };
    bytes = readFileSync(full);
  } catch (error) {
    return {
      path,
      text: "",
      unreadable: { message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}); make it a readable regular file.` },
    };
  }
  return decodeSpecFile(path, bytes);
}

/**
 * A spec file's bytes as text. YAML files are UTF-8 (a UTF-8 byte order mark is allowed); anything else
 * is refused at the first byte that is not UTF-8, rather than read with replacement characters that
 * would change names and hosts silently.
 */
export function decodeSpecFile(path: string, bytes: Uint8Array): SourceFile {
  const utf16 = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  if (utf16)
    return {
      path,
      text: "",
      unreadable: {
        line: 1,
        column: 1,
        message: `is UTF-16 (it starts with a UTF-16 byte order mark), not UTF-8; save it as UTF-8 (for example \`iconv -f UTF-16 -t UTF-8\`).`,
      },
    };
  const bad = firstInvalidUtf8(bytes);
  if (bad !== undefined) {
    const before = new TextDecoder("utf-8").decode(bytes.subarray(0, bad));
    return {
      path,
      text: "",
      unreadable: {
        ...positionAt(before, before.length),
        message: `is not UTF-8: the byte at offset ${bad} (0x${bytes[bad]!.toString(16).padStart(2, "0").toUpperCase()}) starts no valid UTF-8 sequence; save the file as UTF-8 (from Latin-1, for example \`iconv -f ISO-8859-1 -t UTF-8\`).`,
      },
    };
  }
  const text = new TextDecoder("utf-8").decode(bytes);
  return { path, text };
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence, if any. */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Lead byte: length and the range its first continuation byte may take (no overlong forms, no
    // surrogates, nothing past U+10FFFF).
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    if (i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k]!;
      if (k === 1 ? c < low || c > high : c < 0x80 || c > 0xbf) return i;
    }
    i += length;
  }
  return undefined;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function relativePath(root: string, full: string): string {
  return relative(root, full).split(sep).join("/");
}
