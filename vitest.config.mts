import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

/** Test files that run the Pulumi program in the test's own process. */
const IN_PROCESS_PROGRAM = ["test/properties/whole-program.test.ts"];

export default defineConfig({
  test: {
    pool: "forks",
    // One test file more than there are cores: the files that run the program spend much of their time
    // waiting on its child process, and on two cores a third file in flight took the suite from 234 s
    // to 210 s (vitest's default, a core left free, ran the files one by one).
    maxWorkers: availableParallelism() + 1,
    // Test files share one offline run of the same inputs (the example stacks), for the length of a run.
    globalSetup: ["test/setup/run-memo-folder.ts"],
    setupFiles: ["test/setup/share-runs.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      // Pulumi keeps runtime state in module globals: a file that runs the program in its own process
      // (under Pulumi's mocks) gets a fresh one.
      { extends: true, test: { name: "in-process program", include: IN_PROCESS_PROGRAM, isolate: true } },
      // Every other file runs the program, if at all, in a child process: files share their worker's
      // loaded modules (zod schemas, the spec, the SDK's models) instead of loading them again per file.
      {
        extends: true,
        test: { name: "shared modules", include: ["test/**/*.test.ts"], exclude: [...IN_PROCESS_PROGRAM, "**/node_modules/**"], isolate: false },
      },
    ],
  },
});
