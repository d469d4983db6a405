/**
 * `npm run --silent pr-comment -- <dir>` prints the pull-request comment from what the workflow left in
 * `<dir>/<stack>/`: `diff.md` (plan:diff), `diagram.md` (the head's picture), `error.md` (what failed).
 * The head commit comes from HEAD_SHA (the pull request's head), else GITHUB_SHA; the run link from the
 * GitHub run variables when present.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { composeComment, type StackReview } from "../review/pr-comment";
import { parseCommand } from "./lib/cli";

const USAGE = `Usage: npm run --silent pr-comment -- <dir>
  Prints the pull-request comment from <dir>/<stack>/ (one folder per stack): diff.md (npm run plan:diff),
  diagram.md (the head's picture) and error.md (what failed). The head commit is HEAD_SHA, else GITHUB_SHA;
  the run link comes from GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID when they are set.
  --help, -h   this text`;

const { positionals, fail } = parseCommand(
  { tool: "pr-comment", usage: USAGE, options: {}, positionals: { min: 1, max: 1, what: "folder (one folder per stack inside)" } },
  process.argv.slice(2),
);
const dir = positionals[0]!;
if (!existsSync(dir) || !statSync(dir).isDirectory()) fail(`${dir} is not a folder`);
const optional = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : undefined);
const reviews: StackReview[] = readdirSync(dir)
  .filter((name) => statSync(join(dir, name)).isDirectory())
  .sort()
  .map((stack) => {
    const diff = optional(join(dir, stack, "diff.md"));
    const diagram = optional(join(dir, stack, "diagram.md"));
    const error = optional(join(dir, stack, "error.md"));
    return { stack, ...(diff ? { diff } : {}), ...(diagram ? { diagram } : {}), ...(error ? { error } : {}) };
  });
const { HEAD_SHA, GITHUB_SHA, GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = process.env;
const runUrl = GITHUB_SERVER_URL && GITHUB_REPOSITORY && GITHUB_RUN_ID ? `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}` : undefined;
process.stdout.write(composeComment(reviews, { headSha: HEAD_SHA || GITHUB_SHA || "HEAD", ...(runUrl ? { runUrl } : {}) }));
