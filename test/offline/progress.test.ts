import { describe, expect, it } from "vitest";
import { createProgress, type ProgressStream } from "../../offline/progress";

/** A stream that records what is written to it; `isTTY` as a terminal's stderr has it. */
function stream(isTTY: boolean | undefined): ProgressStream & { written: string[] } {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

/** Runs the phases of a plan: reading, validating, registering, writing. */
function planPhases(progress: ReturnType<typeof createProgress>): void {
  progress.phase("reading the spec of dev");
  progress.phase("validating 3 files");
  progress.end();
  progress.phase("starting the program");
  for (let i = 1; i <= 5; i++) progress.count("registering resources", i, 5);
  progress.phase("writing plan.json");
  progress.end();
}

describe("the progress line", () => {
  it.each([
    { description: "a pipe or a file (no isTTY)", isTTY: undefined, quiet: false },
    { description: "a stream that says it is not a terminal", isTTY: false, quiet: false },
    { description: "a terminal with --quiet", isTTY: true, quiet: true },
  ])("writes nothing to $description", ({ isTTY, quiet }) => {
    const out = stream(isTTY);
    const progress = createProgress(out, { quiet });
    planPhases(progress);
    expect(progress.active).toBe(false);
    expect(out.written).toEqual([]);
  });

  it("shows each phase and the counts on a terminal, redrawn in place, and clears the line at the end", () => {
    const out = stream(true);
    const progress = createProgress(out, { intervalMs: 0 });
    planPhases(progress);
    expect(progress.active).toBe(true);
    const lines = out.written.map((text) => text.replace("\r\x1b[K", "↺"));
    expect(lines).toEqual([
      "↺reading the spec of dev...",
      "↺validating 3 files...",
      "↺",
      "↺starting the program...",
      "↺registering resources: 1 of 5",
      "↺registering resources: 2 of 5",
      "↺registering resources: 3 of 5",
      "↺registering resources: 4 of 5",
      "↺registering resources: 5 of 5",
      "↺writing plan.json...",
      "↺",
    ]);
  });

  it("redraws counts at most once an interval, but always the last of a count", () => {
    const out = stream(true);
    let now = 0;
    const progress = createProgress(out, { intervalMs: 100, now: () => now });
    progress.phase("starting the program");
    for (let i = 1; i <= 10; i++) {
      now += 30;
      progress.count("registering resources", i, 10);
    }
    expect(out.written.filter((text) => text.includes("registering"))).toEqual([
      "\r\x1b[Kregistering resources: 4 of 10",
      "\r\x1b[Kregistering resources: 8 of 10",
      "\r\x1b[Kregistering resources: 10 of 10",
    ]);
  });

  it("clears nothing when it never drew", () => {
    const out = stream(true);
    createProgress(out).end();
    expect(out.written).toEqual([]);
  });
});
