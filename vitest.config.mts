import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Pulumi keeps runtime state in module globals: every test file gets its own process.
    pool: "forks",
    isolate: true,
    // One test file per core: vitest's default leaves a core free, which on two cores runs the files one
    // by one; the files that run the program spend much of their time waiting on its child process.
    maxWorkers: availableParallelism(),
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
