/**
 * The workflows' trust model, in one place: which workflow runs on which event, which GitHub
 * environments have required reviewers, and which secrets live in which environments. docs/operating.md's
 * setup section names this file; test/review/workflows.test.ts holds .github/workflows to it.
 */

/** The branch that holds reviewed code: the only one the environments admit, and the only one pushes deploy from. */
export const BASE_BRANCH = "main";

/**
 * The only environments in which a job may run a pull request's code with a credential: each has
 * required reviewers (Settings → Environments), who approve every run before it starts. The production
 * stacks' environments have reviewers too, but only code from main runs in them.
 */
export const REVIEWED_ENVIRONMENTS: readonly string[] = ["preview-approved"];

/** The environment of previews of spec-only changes: the base branch's program, no reviewers. */
export const PREVIEW_ENVIRONMENT = "preview";

/**
 * Secrets the workflows read, and where each lives. Each must be an environment secret only, never a
 * repository or organization secret: a repository secret reaches any workflow a branch pusher writes.
 */
export const ENVIRONMENT_SECRETS: Readonly<Record<string, string>> = {
  FLEETGATE_PREVIEW_TOKEN: `the environments ${PREVIEW_ENVIRONMENT} and ${REVIEWED_ENVIRONMENTS.join(", ")}: a Pulumi token that can read (and so decrypt) every stack`,
  FLEETGATE_DEPLOY_TOKEN: "each stack's own environment, named after the stack: a Pulumi token that can update that stack",
};

/** Each workflow file and the events that trigger it, exactly. */
export const WORKFLOW_TRIGGERS: Readonly<Record<string, readonly string[]>> = {
  "deploy.yml": ["push", "workflow_dispatch"],
  "preview.yml": ["pull_request_target"],
  "pull-request.yml": ["pull_request"],
  "pull-request-comment.yml": ["workflow_run"],
};
