import { describe, expect, it } from "vitest";
import { composeComment, COMMENT_MARKER, MAX_COMMENT_CHARS } from "../../review/pr-comment";
import { deploymentWaves, isProduction, touchedStacks } from "../../review/stacks";

const known = ["aws-prod", "dev", "prod"];

describe("the stacks a change touches", () => {
  const cases: { description: string; files: string[]; want: string[] }[] = [
    { description: "a team's document touches its environment", files: ["stacks/dev/shop/shop.yaml"], want: ["dev"] },
    { description: "a stack file touches its environment", files: ["stacks/Pulumi.prod.yaml"], want: ["prod"] },
    { description: "a deleted or new stack is touched even if it is not known here", files: ["stacks/Pulumi.staging.yaml", "stacks/staging/shop/a.yaml"], want: ["staging"] },
    { description: "the program touches every stack", files: ["components/gcp/front-door.ts"], want: known },
    { description: "the policy pack gates every stack, so it touches every stack", files: ["policies/rules/tls.ts"], want: known },
    { description: "documentation and tests touch none", files: ["README.md", "docs/diagrams.md", "test/spec/paths.test.ts", ""], want: [] },
    { description: "several files give each stack once, sorted", files: ["stacks/prod/shop/cart.yaml", "stacks/dev/shop/shop.yaml", "stacks/prod/search/search.yaml"], want: ["dev", "prod"] },
  ];
  for (const c of cases) it(c.description, () => expect(touchedStacks(c.files, known)).toEqual(c.want));
});

describe("deployment order", () => {
  it("treats stacks with prod or production as a word of their name as production", () => {
    expect(["prod", "aws-prod", "prod-eu", "production", "eu-production", "dev", "product", "preprod", "productions"].filter(isProduction)).toEqual(["prod", "aws-prod", "prod-eu", "production", "eu-production"]);
  });

  it("deploys the other stacks first and production after", () => {
    expect(deploymentWaves(["prod", "dev", "aws-prod", "staging"])).toEqual({ others: ["dev", "staging"], production: ["aws-prod", "prod"] });
  });
});

describe("the pull-request comment", () => {
  it("starts with the marker the workflow finds it by, and has one folded section per stack", () => {
    const body = composeComment([{ stack: "dev", diff: "### diff of dev\n", diagram: "```mermaid\nflowchart LR\n```\n" }, { stack: "prod", error: "The offline plan failed." }], { headSha: "0123456789abcdef" });
    expect(body.split("\n")[0]).toBe(COMMENT_MARKER);
    expect(body).toContain("<summary><b>Stack <code>dev</code></b></summary>");
    expect(body).toContain("```mermaid");
    expect(body).toContain("<summary><b>Stack <code>prod</code></b> — plan failed</summary>");
    expect(body).toContain("> The offline plan failed.");
  });

  it("says so when the change touches no stack", () => {
    expect(composeComment([], { headSha: "abc" })).toContain("This change touches no stack.");
  });

  it("stays under GitHub's comment size, cutting long diffs and pointing at the artifact", () => {
    const long = Array.from({ length: 5000 }, (_, i) => `- change ${i} ${"x".repeat(40)}`).join("\n");
    const body = composeComment([{ stack: "dev", diff: long }, { stack: "prod", diff: long }], { headSha: "abc" });
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body).toContain("the whole diff is in the run's artifact");
  });

  it("gives what small stacks leave over to a large one, and does not charge it for a picture left out", () => {
    const large = Array.from({ length: 8000 }, (_, i) => `- change ${i} ${"x".repeat(40)}`).join("\n");
    const hugePicture = `\`\`\`mermaid\n${"a --> b\n".repeat(20000)}\`\`\`\n`;
    const body = composeComment([{ stack: "a", diff: "- one change" }, { stack: "b", diff: "- one change" }, { stack: "prod", diff: large, diagram: hugePicture }], { headSha: "abc" });
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body.length).toBeGreaterThan(MAX_COMMENT_CHARS * 0.9);
    expect(body).toContain("The picture of `prod` is too large");
  });
});
