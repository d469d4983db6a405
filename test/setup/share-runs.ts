/** vitest setupFiles: every test file's offline runs go through the vitest run's shared folder (test/run-memo.ts). */
import { inject } from "vitest";
import { shareOfflineRuns } from "../../offline/run-offline";
import { folderRunMemo } from "../run-memo";
import "./run-memo-folder";

shareOfflineRuns(folderRunMemo(inject("offlineRunMemoFolder")));
