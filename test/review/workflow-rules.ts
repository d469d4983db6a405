/**
 * The trust model's rules over GitHub Actions workflow files, as functions that return what breaks them
 * (one sentence each, naming the file and job). workflows.test.ts runs them on .github/ and on small bad
 * workflows, to show that each rule can fail.
 */
import { parse } from "yaml";

export interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
}

export interface Job {
  readonly if?: string;
  readonly needs?: string | readonly string[];
  readonly permissions?: string | Record<string, string>;
  readonly environment?: string | { readonly name?: string };
  readonly uses?: string;
  readonly secrets?: unknown;
  readonly env?: Record<string, unknown>;
  readonly steps?: readonly Step[];
}

export interface Workflow {
  readonly file: string;
  readonly text: string;
  /** The triggers, each with its filter (an empty object when it has none). */
  readonly on: Readonly<Record<string, Record<string, unknown>>>;
  readonly permissions?: string | Record<string, string>;
  readonly jobs: Readonly<Record<string, Job>>;
}

/** A local composite action, by its folder (`.github/actions/setup-program`). */
export interface Action {
  readonly file: string;
  readonly text: string;
  readonly steps: readonly Step[];
}

export function readWorkflow(file: string, text: string): Workflow {
  const doc = parse(text) as { on?: unknown; permissions?: Workflow["permissions"]; jobs?: Record<string, Job> };
  const raw = doc.on;
  const on: Record<string, Record<string, unknown>> = {};
  if (typeof raw === "string") on[raw] = {};
  else if (Array.isArray(raw)) for (const event of raw) on[String(event)] = {};
  else if (raw && typeof raw === "object") for (const [event, filter] of Object.entries(raw)) on[event] = (filter ?? {}) as Record<string, unknown>;
  return { file, text, on, ...(doc.permissions === undefined ? {} : { permissions: doc.permissions }), jobs: doc.jobs ?? {} };
}

export function readAction(file: string, text: string): Action {
  const doc = parse(text) as { runs?: { steps?: Step[] } };
  return { file, text, steps: doc.runs?.steps ?? [] };
}

/** What the rules need to know of the repository. */
export interface Model {
  /** Environments with required reviewers, where pull-request code may hold a credential. */
  readonly reviewedEnvironments: readonly string[];
  readonly baseBranch: string;
  /** Each workflow file and its exact triggers. */
  readonly triggers: Readonly<Record<string, readonly string[]>>;
  /** The local composite actions, by folder. */
  readonly actions: Readonly<Record<string, Action>>;
}

/** An expression that names the pull request's head (its commit, branch or repository) or a pull ref. */
const PULL_REQUEST_HEAD =
  /github\.event\.pull_request\.(head|merge_commit_sha)|github\.head_ref|github\.event\.workflow_run\.head_(sha|branch|repository|commit)|refs\/pull\//;
/** A script that fetches or checks out other code than the workflow's own commit. */
const FETCHES_CODE = /\bgh\s+pr\s+checkout\b|\bgit\b[^\n;&|]*\b(fetch|checkout|switch|worktree|pull)\b/;

const environmentOf = (job: Job): string | undefined => (typeof job.environment === "string" ? job.environment : job.environment?.name);
const isCheckout = (step: Step) => step.uses?.startsWith("actions/checkout@") ?? false;

/** Events that run code nobody has reviewed: a pull request's, or a branch's other than the base. */
function untrustedTriggers(workflow: Workflow, model: Model): string[] {
  return Object.entries(workflow.on)
    .filter(([event, filter]) => {
      if (event === "pull_request" || event === "pull_request_review" || event === "pull_request_review_comment" || event === "merge_group") return true;
      if (event === "push") return !onlyBaseBranch(filter, model);
      return false;
    })
    .map(([event]) => event);
}

/** Events whose workflow GitHub takes from the base branch, whatever the pull request changed. */
const BASE_BRANCH_EVENTS = new Set(["pull_request_target", "workflow_run", "workflow_dispatch", "schedule"]);

function onlyBaseBranch(filter: Record<string, unknown>, model: Model): boolean {
  const branches = filter.branches;
  return (
    Array.isArray(branches) && branches.length === 1 && branches[0] === model.baseBranch && filter["branches-ignore"] === undefined && filter.tags === undefined
  );
}

function isBaseBranchWorkflow(workflow: Workflow, model: Model): boolean {
  return Object.entries(workflow.on).every(([event, filter]) => BASE_BRANCH_EVENTS.has(event) || (event === "push" && onlyBaseBranch(filter, model)));
}

/** Whether a job fetches the pull request's head: a checkout of it, or a script that fetches code named by it. */
export function checksOutPullRequestHead(job: Job): boolean {
  const named = (value: unknown) => PULL_REQUEST_HEAD.test(JSON.stringify(value ?? ""));
  return (job.steps ?? []).some((step) => {
    if (isCheckout(step)) return named(step.with?.ref) || named(step.with?.repository);
    if (step.run === undefined) return false;
    return /\bgh\s+pr\s+checkout\b|refs\/pull\//.test(step.run) || (FETCHES_CODE.test(step.run) && (named(step.env) || named(job.env)));
  });
}

/** What a job holds that could be exfiltrated or abused, in words; empty for none. */
export function credentialsOf(
  workflow: Workflow,
  job: Job,
): { secrets: string[]; write: string[]; idToken: boolean; environment?: string; inherit: boolean; undeclared: boolean } {
  const text = JSON.stringify(job);
  const secrets = [...new Set([...text.matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1]!).filter((name) => name !== "GITHUB_TOKEN"))].sort();
  if (/secrets\[/.test(text)) secrets.push("secrets[…]");
  const permissions = job.permissions ?? workflow.permissions;
  const write =
    permissions === undefined
      ? []
      : typeof permissions === "string"
        ? permissions === "write-all"
          ? ["write-all"]
          : []
        : Object.entries(permissions)
            .filter(([, v]) => v === "write")
            .map(([k]) => k);
  const environment = environmentOf(job);
  return {
    secrets,
    write: write.filter((scope) => scope !== "id-token"),
    idToken: typeof permissions === "object" && permissions["id-token"] === "write",
    ...(environment === undefined ? {} : { environment }),
    inherit: job.secrets === "inherit",
    undeclared: permissions === undefined,
  };
}

/** Rule 1: a job that runs or checks out pull-request code holds no credential, but in a reviewed environment. */
export function pullRequestCodeFindings(workflow: Workflow, model: Model): string[] {
  const findings: string[] = [];
  const untrusted = untrustedTriggers(workflow, model);
  for (const [id, job] of Object.entries(workflow.jobs)) {
    const why = untrusted.length > 0 ? `runs on ${untrusted.join(", ")}` : checksOutPullRequestHead(job) ? "checks out the pull request's head" : undefined;
    if (!why) continue;
    const where = `${workflow.file}: job ${id} ${why}`;
    const held = credentialsOf(workflow, job);
    const reviewed = held.environment !== undefined && model.reviewedEnvironments.includes(held.environment);
    if (held.undeclared) findings.push(`${where} and declares no permissions, so its token gets the repository's default, which may write.`);
    if (held.write.length > 0) findings.push(`${where} but its token may write (${held.write.join(", ")}).`);
    if (held.inherit) findings.push(`${where} but inherits every secret.`);
    if (reviewed) continue;
    if (held.secrets.length > 0) findings.push(`${where} but reads secrets.${held.secrets.join(", secrets.")} outside an environment with required reviewers.`);
    if (held.idToken) findings.push(`${where} but may mint an OIDC token (id-token: write) outside an environment with required reviewers.`);
    if (held.environment !== undefined)
      findings.push(`${where} in the environment ${held.environment}, which is not one with required reviewers (${model.reviewedEnvironments.join(", ")}).`);
  }
  return findings;
}

/**
 * Rule 2: a job that holds a credential is defined by a workflow GitHub takes from the base branch, does
 * not fetch the pull request's code unless its environment has reviewers, and reads secrets and mints
 * OIDC tokens only in an environment (whose branch policy admits the base branch alone).
 */
export function credentialJobFindings(workflow: Workflow, model: Model): string[] {
  const findings: string[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    const held = credentialsOf(workflow, job);
    const holds = held.secrets.length > 0 || held.write.length > 0 || held.idToken || held.environment !== undefined || held.inherit;
    if (!holds) continue;
    const where = `${workflow.file}: job ${id} holds a credential`;
    if (!isBaseBranchWorkflow(workflow, model))
      findings.push(
        `${where} in a workflow that runs on ${Object.keys(workflow.on).join(", ")}, not only on events that take the workflow from ${model.baseBranch}.`,
      );
    if (checksOutPullRequestHead(job) && !(held.environment !== undefined && model.reviewedEnvironments.includes(held.environment)))
      findings.push(`${where} and checks out the pull request's head outside an environment with required reviewers.`);
    if (held.secrets.length > 0 && held.environment === undefined)
      findings.push(`${where}: secrets.${held.secrets.join(", secrets.")} outside an environment, so it can only be a repository or organization secret.`);
    if (held.idToken && held.environment === undefined)
      findings.push(`${where}: id-token: write without an environment, so its OIDC subject names a branch or event rather than an environment.`);
    if (held.inherit) findings.push(`${where}: secrets: inherit hands over every secret.`);
    for (const step of job.steps ?? []) {
      const local = localActionFolder(job, step);
      if (local === "pull-request") findings.push(`${where} and runs the action ${step.uses} from the pull request's checkout.`);
    }
  }
  return findings;
}

/** Rule 3: every remote action is pinned to a full commit SHA, with its version in a comment. */
export function pinFindings(file: string, text: string): string[] {
  const findings: string[] = [];
  text.split("\n").forEach((line, i) => {
    const match = /^\s*(?:-\s+)?uses:\s*["']?([^"'\s#]+)["']?\s*(#.*)?$/.exec(line);
    if (!match) return;
    const [, target, comment] = match;
    if (target!.startsWith("./")) return;
    if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(target!)) findings.push(`${file}:${i + 1}: ${target} is not pinned to a full commit SHA.`);
    else if (!/^#\s*v\d+(\.\d+)*\b/.test(comment ?? "")) findings.push(`${file}:${i + 1}: ${target} has no version comment (# vX.Y.Z).`);
  });
  return findings;
}

/** Rule 4: no `${{ }}` expression inside a script (`run:`, or github-script's `script:`). */
export function scriptExpressionFindings(file: string, steps: readonly { readonly job?: string; readonly step: Step }[]): string[] {
  return steps.flatMap(({ job, step }) => {
    const where = `${file}${job ? `: job ${job}` : ""}`;
    const found: string[] = [];
    if (step.run?.includes("${{")) found.push(`${where}: a run: script holds a \${{ }} expression; pass the value through env:.`);
    if (typeof step.with?.script === "string" && step.with.script.includes("${{"))
      found.push(`${where}: a github-script script holds a \${{ }} expression; pass the value through env:.`);
    return found;
  });
}

/** Rule 5: every checkout leaves no token behind in the repository's git config. */
export function checkoutFindings(file: string, steps: readonly { readonly job?: string; readonly step: Step }[]): string[] {
  return steps
    .filter(({ step }) => isCheckout(step) && step.with?.["persist-credentials"] !== false && step.with?.["persist-credentials"] !== "false")
    .map(({ job }) => `${file}${job ? `: job ${job}` : ""}: a checkout without persist-credentials: false leaves the job's token in .git/config.`);
}

/** Rule 6: the workflow files and their triggers are exactly the model's; pull-request and push events are limited to the base branch. */
export function triggerFindings(workflows: readonly Workflow[], model: Model): string[] {
  const findings: string[] = [];
  const files = workflows.map((w) => w.file).sort();
  const expected = Object.keys(model.triggers).sort();
  if (JSON.stringify(files) !== JSON.stringify(expected)) findings.push(`the workflows are ${files.join(", ")}; the trust model has ${expected.join(", ")}.`);
  for (const workflow of workflows) {
    const events = Object.keys(workflow.on).sort();
    const want = [...(model.triggers[workflow.file] ?? [])].sort();
    if (JSON.stringify(events) !== JSON.stringify(want))
      findings.push(`${workflow.file} runs on ${events.join(", ")}; the trust model says ${want.join(", ")}.`);
    for (const [event, filter] of Object.entries(workflow.on)) {
      if ((event === "push" || event === "pull_request" || event === "pull_request_target") && !onlyBaseBranch(filter, model))
        findings.push(`${workflow.file}: ${event} is not limited to branches: [${model.baseBranch}].`);
      if (event === "workflow_run" && (JSON.stringify(filter.types) !== '["completed"]' || !Array.isArray(filter.workflows)))
        findings.push(`${workflow.file}: workflow_run must name its workflows and run on types: [completed] only.`);
    }
  }
  return findings;
}

/**
 * Rule 7: no dependency cache outside the pull-request workflow. A pull_request_target job writes to
 * the base branch's cache scope, which privileged jobs restore from; so any job that is not a plain
 * pull-request job neither restores nor saves one (through setup-node or actions/cache), directly or
 * through a local action.
 */
export function cacheFindings(workflow: Workflow, model: Model): string[] {
  const onlyPullRequest = Object.keys(workflow.on).every((event) => event === "pull_request");
  if (onlyPullRequest) return [];
  const findings: string[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    for (const step of job.steps ?? []) {
      const folder = localActionFolder(job, step);
      const steps = folder && folder !== "pull-request" ? (model.actions[folder]?.steps ?? []) : [step];
      for (const inner of steps) {
        if (inner.uses?.startsWith("actions/cache")) findings.push(`${workflow.file}: job ${id} uses a cache (${inner.uses}).`);
        if (
          inner.uses?.startsWith("actions/setup-node@") &&
          (inner.with?.cache !== undefined || (inner.with?.["package-manager-cache"] !== false && inner.with?.["package-manager-cache"] !== "false"))
        )
          findings.push(
            `${workflow.file}: job ${id} sets up Node.js with a dependency cache${folder ? ` (in ${folder})` : ""}; give it package-manager-cache: false and no cache.`,
          );
      }
    }
  }
  return findings;
}

/**
 * The folder of the local action a step uses (`.github/actions/x`), seen from the repository's root:
 * `./base/.github/actions/x` is the base branch's checkout of it. "pull-request" when the step takes it
 * from a checkout of the pull request's head; undefined for a step that uses no local action.
 */
export function localActionFolder(job: Job, step: Step): string | undefined {
  if (!step.uses?.startsWith("./")) return undefined;
  const path = step.uses.slice(2).replace(/\/$/, "");
  for (const checkout of (job.steps ?? []).filter(isCheckout)) {
    const into = typeof checkout.with?.path === "string" ? checkout.with.path.replace(/^\.\//, "").replace(/\/$/, "") : "";
    if (into === "" || !path.startsWith(`${into}/`)) continue;
    const head = PULL_REQUEST_HEAD.test(JSON.stringify(checkout.with?.ref ?? "")) || PULL_REQUEST_HEAD.test(JSON.stringify(checkout.with?.repository ?? ""));
    return head ? "pull-request" : path.slice(into.length + 1);
  }
  return path;
}

/** Every step of a workflow, with its job, for the rules that look at steps alone. */
export function workflowSteps(workflow: Workflow): { job: string; step: Step }[] {
  return Object.entries(workflow.jobs).flatMap(([job, j]) => (j.steps ?? []).map((step) => ({ job, step })));
}
