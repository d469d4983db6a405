import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../offline/run-offline";

/** The npm scripts that run no command of ours (they have their own command lines). */
const NOT_TOOLS = new Set(["test", "static", "typecheck", "lint", "lint:workflows", "format", "format:check"]);

const scripts = (JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
const tools = Object.entries(scripts)
  .filter(([name]) => !NOT_TOOLS.has(name))
  .map(([name, command]) => ({ name, file: /^tsx ((?:scripts|test)\/[\w./-]+\.ts)$/.exec(command)?.[1], command }));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** At most two node processes at a time (the machine's cores); each is bounded. */
const slots = { free: 2, waiting: [] as (() => void)[] };
async function run(file: string, args: readonly string[]): Promise<Run> {
  if (slots.free === 0) await new Promise<void>((go) => slots.waiting.push(go));
  else slots.free--;
  try {
    return await new Promise((done) =>
      execFile(
        process.execPath,
        ["--import", "tsx", join(PROJECT_ROOT, file), ...args],
        { cwd: PROJECT_ROOT, timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } },
        (error, stdout, stderr) => done({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr }),
      ),
    );
  } finally {
    const next = slots.waiting.shift();
    if (next) next();
    else slots.free++;
  }
}

// Every run starts at once (each waits for a slot); the tests below only read the results. About 12 s for
// the file on 2 cores with other work; a suite that loads the machine far more gets the longer timeout.
const WAIT = 240_000;
const runs = new Map(tools.filter((t) => t.file).map((t) => [t.name, { help: run(t.file!, ["--help"]), unknown: run(t.file!, ["--no-such-option"]) }]));

describe("every npm script that runs a command of ours", () => {
  it("is a tsx scripts/<name>.ts (or test/…/<name>.ts) command, which the checks below run (a new kind of script must be added to them)", () => {
    expect(tools.filter((t) => !t.file).map((t) => `${t.name}: ${t.command}`)).toEqual([]);
    expect(tools.length).toBeGreaterThanOrEqual(13);
  });

  it.each(tools.filter((t) => t.file).map((t) => t.name))(
    "npm run %s -- --help prints its usage on stdout and exits 0, before any work",
    async (name) => {
      const result = await runs.get(name)!.help;
      expect({
        code: result.code,
        usage: /^Usage: npm run (--silent )?\S+/.test(result.stdout) && result.stdout.includes(name),
        stderr: result.stderr,
      }).toEqual({ code: 0, usage: true, stderr: "" });
    },
    WAIT,
  );

  // -h is the same option in scripts/lib/cli.ts; one command shows it (more runs would slow the file down).
  it(
    "npm run check -- -h prints what --help prints",
    async () => {
      const [short, long] = await Promise.all([run("scripts/check.ts", ["-h"]), runs.get("check")!.help]);
      expect(short).toEqual(long);
    },
    WAIT,
  );

  it.each(tools.filter((t) => t.file).map((t) => t.name))(
    "npm run %s -- --no-such-option answers in one line on stderr and exits 2",
    async (name) => {
      const result = await runs.get(name)!.unknown;
      expect({ code: result.code, stdout: result.stdout, stderr: result.stderr.split("\n").filter((l) => l !== "") }).toEqual({
        code: 2,
        stdout: "",
        stderr: [`${name}: unknown option '--no-such-option'; see --help`],
      });
    },
    WAIT,
  );
});
