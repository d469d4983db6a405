import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Pulumi keeps runtime state in module globals: every test file gets its own process.
    pool: "forks",
    isolate: true,
    // One test file more than there are cores: the files that run the program spend much of their time
    // waiting on its child process, and on two cores a third file in flight took the suite from 234 s
    // to 210 s (vitest's default, a core left free, ran the files one by one).
    maxWorkers: availableParallelism() + 1,
    // Test files share one offline run of the same inputs (the example stacks), for the length of a run.
    globalSetup: ["test/setup/run-memo-folder.ts"],
    setupFiles: ["test/setup/share-runs.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
