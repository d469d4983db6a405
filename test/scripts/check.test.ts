import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatDiagnostic, planEnvironment, repositoryNeighbours } from "../../spec";
import { readEnvironmentFiles, readStackFile } from "../../spec/read-files";
import { stackConfigFromSource } from "../../spec/stack-config";
import { PROJECT_ROOT } from "../../offline/run-offline";

const scratch = mkdtempSync(join(tmpdir(), "fleetgate-check-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function check(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(
      process.execPath,
      ["--import", "tsx", join(PROJECT_ROOT, "scripts", "check.ts"), ...args],
      { cwd: PROJECT_ROOT, timeout: 60_000 },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr }),
    ),
  );
}

/** A project root with the dev stack as it is and a copy of it, "broken", with a bad region and a bad host. */
function rootWithBrokenStack(): string {
  const root = join(scratch, "two");
  mkdirSync(join(root, "stacks", "broken", "shop"), { recursive: true });
  cpSync(join(PROJECT_ROOT, "stacks", "Pulumi.dev.yaml"), join(root, "stacks", "Pulumi.dev.yaml"));
  cpSync(join(PROJECT_ROOT, "stacks", "dev"), join(root, "stacks", "dev"), { recursive: true });
  const stack = readFileSync(join(PROJECT_ROOT, "stacks", "Pulumi.dev.yaml"), "utf8").replace("region: europe-west1", "region: europe-wst1");
  writeFileSync(join(root, "stacks", "Pulumi.broken.yaml"), stack);
  const shop = readFileSync(join(PROJECT_ROOT, "stacks", "dev", "shop", "shop.yaml"), "utf8").replace(
    "host: shop.dev.example.com",
    "host: Shop.dev.example.com",
  );
  writeFileSync(join(root, "stacks", "broken", "shop", "shop.yaml"), shop);
  return root;
}

/** The diagnostics npm run plan prints for a stack before it runs the program (scripts/plan.ts). */
function planDiagnostics(root: string, stack: string): string[] {
  const neighbours = repositoryNeighbours(root, stack, planEnvironment);
  return planEnvironment({
    environment: stack,
    stack: stackConfigFromSource(readStackFile(root, stack)!),
    files: readEnvironmentFiles(root, stack),
    neighbours,
  }).diagnostics.map(formatDiagnostic);
}

/** The module files a TypeScript file loads at run time, followed through relative imports; `import type` loads nothing. */
function runtimeImports(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    const specifiers = [
      ...[...text.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm)].map((m) => m[1]!),
      ...[...text.matchAll(/\b(?:require|import)\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!),
    ];
    for (const specifier of specifiers) {
      if (!specifier.startsWith(".")) {
        packages.add(specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!);
        continue;
      }
      const base = resolve(dirname(file), specifier);
      const target = [`${base}.ts`, join(base, "index.ts"), base].find((f) => existsSync(f) && f.endsWith(".ts"));
      if (!target) throw new Error(`${relative(PROJECT_ROOT, file)}: cannot resolve ${specifier}`);
      visit(target);
    }
  };
  visit(entry);
  return { files: [...files].map((f) => relative(PROJECT_ROOT, f)).sort(), packages: [...packages].sort() };
}

describe("npm run check", () => {
  it("loads the spec code and the pure plans alone: no @pulumi package, no program, no offline engine anywhere in its imports", () => {
    const { files, packages } = runtimeImports(join(PROJECT_ROOT, "scripts", "check.ts"));
    expect(files).toContain("spec/validate.ts");
    expect(packages.filter((p) => p.startsWith("@pulumi/"))).toEqual([]);
    expect(files.filter((f) => /^(offline\/|program\.ts$|index\.ts$)/.test(f))).toEqual([]);
  });

  it("finds the @pulumi imports of the plan command, so that the walk above can fail", () => {
    expect(runtimeImports(join(PROJECT_ROOT, "scripts", "plan.ts")).packages.filter((p) => p.startsWith("@pulumi/")).length).toBeGreaterThan(0);
  });

  it("passes the dev stack with exit 0 and one summary line", async () => {
    const result = await check(["--stack", "dev"]);
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 0, stdout: "dev: valid, 0 warnings\n" });
  });

  it("prints exactly the diagnostics npm run plan prints for a broken stack, file:line:column first, and exits 1", async () => {
    const root = rootWithBrokenStack();
    const result = await check(["--stack", "broken", "--root", root]);
    const expected = planDiagnostics(root, "broken");
    expect(expected).toContainEqual(
      expect.stringMatching(
        /^stacks\/Pulumi\.broken\.yaml:\d+:\d+: fleetgate:clusters\[1\]\.region: "europe-wst1" is not a GCP region; did you mean "europe-west1"\?/,
      ),
    );
    expect(expected).toContainEqual(
      expect.stringMatching(
        /^stacks\/broken\/shop\/shop\.yaml:\d+:\d+: spec\.template\.spec\.rules\[0\]\.host: "Shop\.dev\.example\.com" has upper-case letters/,
      ),
    );
    expect({ code: result.code, stderr: result.stderr.trimEnd().split("\n"), stdout: result.stdout }).toEqual({
      code: 1,
      stderr: expected,
      stdout: `broken: invalid, ${expected.filter((l) => !l.includes(": warning:")).length} errors and ${expected.filter((l) => l.includes(": warning:")).length} warnings\n`,
    });
  });

  it("checks several stacks given with --stack, or every stack with --all, and exits 1 when one has an error", async () => {
    const root = rootWithBrokenStack();
    const [several, all, good] = await Promise.all([
      check(["--stack", "dev", "-s", "broken", "--root", root]),
      check(["--all", "--root", root]),
      check(["--stack", "dev", "--root", root]),
    ]);
    expect([several.code, several.stdout.split("\n").map((l) => l.split(":")[0])]).toEqual([1, ["dev", "broken", ""]]);
    expect([all.code, all.stdout.split("\n").map((l) => l.split(":")[0])]).toEqual([1, ["broken", "dev", ""]]);
    expect([good.code, good.stdout]).toEqual([0, "dev: valid, 0 warnings\n"]);
  });

  it("answers a stack that does not exist with an error naming the stacks there are, and no stack at all as a usage error", async () => {
    const [missing, none, both] = await Promise.all([check(["--stack", "nope"]), check([]), check(["--all", "--stack", "dev"])]);
    expect([missing.code, missing.stderr]).toEqual([
      1,
      expect.stringMatching(/^stacks\/Pulumi\.nope\.yaml: there is no stack file for "nope"; create it or pick one of [\w, -]*\bdev\b[\w, -]*\.\n$/),
    ]);
    expect([none.code, none.stderr]).toEqual([
      2,
      expect.stringMatching(/^check: name a stack with --stack, or --all; the stacks are [\w, -]*\bdev\b[\w, -]*; see --help\n$/),
    ]);
    expect([both.code, both.stderr]).toEqual([2, "check: give --stack or --all, not both; see --help\n"]);
  });
});
