/**
 * What the spec reader refuses before any parsing: links, text that is not UTF-8, files too large or
 * nested too deep for the YAML parser. Each is answered at its file, and nothing it refers to is read.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { formatDiagnostic } from "../../spec/diagnostics";
import { planEnvironment } from "../../spec/index";
import { firstOffsetBeyondNesting, MAX_NESTING_DEPTH, MAX_SPEC_FILE_BYTES } from "../../spec/nesting";
import { decodeSpecFile, firstInvalidUtf8, readEnvironmentFiles, readStackFile } from "../../spec/read-files";
import { stackConfigFromFile, stackConfigFromSource } from "../../spec/stack-config";
import { baseFixture, sourceFiles, stackText } from "./fixtures";

let root: string;
let outside: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "fleetgate-reading-"));
  outside = mkdtempSync(join(tmpdir(), "fleetgate-outside-"));
  const fixture = baseFixture();
  mkdirSync(join(root, "stacks"), { recursive: true });
  writeFileSync(join(root, "stacks", "Pulumi.test.yaml"), stackText(fixture));
  for (const file of sourceFiles(fixture)) {
    mkdirSync(join(root, file.path, ".."), { recursive: true });
    writeFileSync(join(root, file.path), file.text);
  }
  writeFileSync(join(outside, "secret.yaml"), "password: hunter2-outside-the-repository\n");
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

function planFromDisk() {
  const stack = readStackFile(root, "test");
  if (!stack) throw new Error("the fixture has a stack file");
  return planEnvironment({ environment: "test", stack: stackConfigFromSource(stack), files: readEnvironmentFiles(root, "test") });
}

function errors(result: ReturnType<typeof planFromDisk>): string[] {
  return result.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
}

describe("symbolic links", () => {
  it("plans the fixture as written, so that each refusal below is the link's doing", () => {
    expect(errors(planFromDisk())).toEqual([]);
  });

  it("refuses a document that links outside the repository, naming the link and echoing nothing from its target", () => {
    symlinkSync(join(outside, "secret.yaml"), join(root, "stacks/test/shop/extra.yaml"));
    const result = planFromDisk();
    expect(result.plan).toBeUndefined();
    expect(errors(result)).toEqual([expect.stringMatching(/^stacks\/test\/shop\/extra\.yaml:1:1: is a symbolic link; .*regular files/)]);
    expect(JSON.stringify(result.diagnostics)).not.toContain("hunter2");
  });

  it("refuses a linked folder without walking into it", () => {
    mkdirSync(join(outside, "team"));
    writeFileSync(join(outside, "team", "doc.yaml"), "kind: MultiClusterService\n");
    symlinkSync(join(outside, "team"), join(root, "stacks/test/shop/more"));
    expect(errors(planFromDisk())).toEqual([expect.stringMatching(/^stacks\/test\/shop\/more:1:1: is a symbolic link/)]);
  });

  it("refuses a link even when it stays inside the repository (another team's file)", () => {
    symlinkSync(join(root, "stacks/test/search/search.yaml"), join(root, "stacks/test/shop/search.yaml"));
    expect(errors(planFromDisk())).toEqual([expect.stringMatching(/^stacks\/test\/shop\/search\.yaml:1:1: is a symbolic link/)]);
  });

  it("refuses a linked stack file, and reports it alone rather than every setting as missing", () => {
    rmSync(join(root, "stacks", "Pulumi.test.yaml"));
    symlinkSync(join(outside, "secret.yaml"), join(root, "stacks", "Pulumi.test.yaml"));
    const result = planFromDisk();
    expect(errors(result)).toEqual([expect.stringMatching(/^stacks\/Pulumi\.test\.yaml:1:1: is a symbolic link/)]);
    expect(JSON.stringify(result.diagnostics)).not.toContain("hunter2");
  });
});

describe("encodings", () => {
  it("names the first byte that is not UTF-8, with its offset, line and column", () => {
    const text = "apiVersion: networking.gke.io/v1\nkind: MultiClusterService\nmetadata:\n  name: caf";
    const latin1 = Buffer.concat([Buffer.from(text, "utf8"), Buffer.from([0xe9]), Buffer.from("\n", "utf8")]);
    writeFileSync(join(root, "stacks/test/shop/latin1.yaml"), latin1);
    expect(errors(planFromDisk())).toEqual([
      `stacks/test/shop/latin1.yaml:4:12: is not UTF-8: the byte at offset ${text.length} (0xE9) starts no valid UTF-8 sequence; save the file as UTF-8 (from Latin-1, for example \`iconv -f ISO-8859-1 -t UTF-8\`).`,
    ]);
  });

  it("says a UTF-16 file is UTF-16 instead of calling it no Kubernetes-style document", () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("kind: MultiClusterService\n", "utf16le")]);
    writeFileSync(join(root, "stacks/test/shop/utf16.yaml"), utf16);
    expect(errors(planFromDisk())).toEqual([expect.stringMatching(/^stacks\/test\/shop\/utf16\.yaml:1:1: is UTF-16 .*not UTF-8/)]);
  });

  it("reads UTF-8 with a byte order mark, and multi-byte characters, as text", () => {
    const decoded = decodeSpecFile("a.yaml", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("name: café ✓ 🚀\n", "utf8")]));
    expect(decoded).toEqual({ path: "a.yaml", text: "name: café ✓ 🚀\n" });
  });

  it.each([
    ["an overlong encoding of /", [0x61, 0xc0, 0xaf], 1],
    ["a lone continuation byte", [0x61, 0x62, 0x80], 2],
    ["a truncated sequence at the end", [0x61, 0xe2, 0x82], 1],
    ["an encoded surrogate", [0xed, 0xa0, 0x80], 0],
    ["a code point past U+10FFFF", [0xf4, 0x90, 0x80, 0x80], 0],
  ])("finds %s", (_, bytes, offset) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(offset);
  });
});

describe("nesting and size", () => {
  it("answers a 100,000-deep document with the nesting limit at its place, quickly, without parsing it", () => {
    const deep = `apiVersion: networking.gke.io/v1\nkind: MultiClusterService\nmetadata: {name: deep, namespace: shop}\nspec: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`;
    writeFileSync(join(root, "stacks/test/shop/deep.yaml"), deep);
    expect(errors(planFromDisk())).toEqual([
      expect.stringMatching(new RegExp(`^stacks/test/shop/deep\\.yaml:4:\\d+: nests maps and lists more than ${MAX_NESTING_DEPTH} levels deep here`)),
    ]);
  });

  it("answers deep block nesting and deep flow maps the same way, in the stack file too", () => {
    const blockLists = `config:\n  fleetgate:clusters:\n    ${"- ".repeat(50_000)}x\n`;
    const config = stackConfigFromFile("stacks/Pulumi.deep.yaml", blockLists);
    expect(config.diagnostics.map(formatDiagnostic)).toEqual([expect.stringMatching(/^stacks\/Pulumi\.deep\.yaml:3:\d+: nests maps and lists more than/)]);
    expect(firstOffsetBeyondNesting(`a: ${"{b: ".repeat(MAX_NESTING_DEPTH)}1${"}".repeat(MAX_NESTING_DEPTH)}`)).toBeDefined();
  });

  it("reads every example's files well within the limit, and counts nothing inside quotes, comments or literal text", () => {
    const fixture = baseFixture();
    for (const file of sourceFiles(fixture)) expect(firstOffsetBeyondNesting(file.text, 12)).toBeUndefined();
    const noisy = [
      `a: "${"[".repeat(200)}"`,
      `b: '${"{".repeat(200)}'`,
      `c: 1 # ${"[".repeat(200)}`,
      `d: |`,
      ...Array.from({ length: 200 }, (_, i) => `${" ".repeat(2 + i)}- [x`),
      `e: ${stringify({ f: [1, 2] }).trim()}`,
    ].join("\n");
    expect(firstOffsetBeyondNesting(noisy, 3)).toBeUndefined();
  });

  it("refuses a file larger than the limit before reading it as YAML", () => {
    const big = `# ${"x".repeat(MAX_SPEC_FILE_BYTES)}\nkind: MultiClusterService\n`;
    writeFileSync(join(root, "stacks/test/shop/big.yaml"), big);
    expect(errors(planFromDisk())).toEqual([expect.stringMatching(/^stacks\/test\/shop\/big\.yaml:1:1: is \d+ bytes, more than the 1048576 bytes/)]);
  });
});

describe("other files", () => {
  it("refuses a FIFO named like a document instead of blocking on it", () => {
    execFileSync("mkfifo", [join(root, "stacks/test/shop/pipe.yaml")]);
    expect(errors(planFromDisk())).toEqual([expect.stringMatching(/^stacks\/test\/shop\/pipe\.yaml:1:1: is not a regular file/)]);
  });
});
