/**
 * vitest setupFiles: every test file's offline runs go through the vitest run's shared folder
 * (test/run-memo.ts). Nothing here loads more than Node's own modules: most files run no program.
 */
import { inject } from "vitest";
import { shareOfflineRuns } from "../../offline/shared-runs";
import { folderRunMemo } from "../run-memo";
import "./run-memo-folder";

shareOfflineRuns(folderRunMemo(inject("offlineRunMemoFolder")));
