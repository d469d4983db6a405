/**
 * vitest globalSetup: the folder where the test files of one vitest run share their offline runs
 * (test/run-memo.ts); deleted when the run ends, so that no run outlives it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    offlineRunMemoFolder: string;
  }
}

export default function setup(project: TestProject): () => void {
  const folder = mkdtempSync(join(tmpdir(), "fleetgate-runs-"));
  project.provide("offlineRunMemoFolder", folder);
  return () => rmSync(folder, { recursive: true, force: true });
}
