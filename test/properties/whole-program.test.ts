/**
 * No spec makes the program throw: generated environments (test/properties/specs.ts) go through the
 * whole program under the offline engine, and each must either plan (every resource registered and
 * answered) or be refused with located errors. Seeded, so a failure replays; sized to stay within a
 * minute on two cores.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runProgramInProcess } from "./program";
import { specArbitrary } from "./specs";

const SEED = 20261206;
const RUNS = Number(process.env.FLEETGATE_PROPERTY_RUNS ?? 100);

describe("the whole program", () => {
  it("plans every generated environment or answers it with located errors, and never throws", async () => {
    let planned = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(specArbitrary(), async (spec) => {
        const outcome = await runProgramInProcess(spec);
        if (outcome.kind === "threw")
          throw new Error(
            `the program threw:\n${outcome.error}\n\nfor the stack file:\n${spec.stackText}\nand the documents:\n${Object.entries(spec.files)
              .map(([path, text]) => `# ${path}\n${text}`)
              .join("\n")}`,
          );
        if (outcome.kind === "refused") {
          refused++;
          const unlocated = outcome.errors.filter((e) => !/^stacks\/[^:]+:\d+:\d+: /.test(e));
          if (unlocated.length > 0) throw new Error(`errors without a place:\n${unlocated.join("\n")}`);
        } else planned++;
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The generator is useful only while it reaches both outcomes.
    expect(planned, "no generated environment planned").toBeGreaterThan(RUNS / 10);
    expect(refused, "no generated environment was refused").toBeGreaterThan(RUNS / 10);
  }, 120_000);
});
