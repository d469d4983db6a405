import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../offline/run-offline";
import { composeComment, COMMENT_MARKER, MAX_COMMENT_CHARS } from "../../review/pr-comment";
import { looksLikeProduction, readProductionList, undeclaredLookalikes } from "../../review/production";
import { classifyChange, isProgramPath, specPath, stackFileSettingsChanges, type FileState } from "../../review/spec-change";
import { overlaySpec } from "../../review/spec-overlay";
import { deploymentWaves, touchedStacks } from "../../review/stacks";

const known = ["aws-prod", "dev", "prod"];

describe("the stacks a change touches", () => {
  const cases: { description: string; files: string[]; want: string[] }[] = [
    { description: "a team's document touches its environment", files: ["stacks/dev/shop/shop.yaml"], want: ["dev"] },
    { description: "a stack file touches its environment", files: ["stacks/Pulumi.prod.yaml"], want: ["prod"] },
    {
      description: "a deleted or new stack is touched even if it is not known here",
      files: ["stacks/Pulumi.staging.yaml", "stacks/staging/shop/a.yaml"],
      want: ["staging"],
    },
    { description: "the program touches every stack", files: ["components/gcp/front-door.ts"], want: known },
    { description: "the policy pack gates every stack, so it touches every stack", files: ["policies/rules/tls.ts"], want: known },
    {
      description: "the review code, the scripts, the benchmark, the schemas, the contracts and CI each touch every stack",
      files: ["review/plan-diff.ts"],
      want: known,
    },
    ...[
      "scripts/plan.ts",
      "bench/fleet.ts",
      "schemas/stack.schema.json",
      "contracts/gcp.ts",
      ".github/workflows/preview.yml",
      "offline/render.ts",
      "index.ts",
      "package-lock.json",
    ].map((file) => ({ description: `${file} touches every stack`, files: [file], want: known })),
    { description: "the production list is the platform's program, so it touches every stack", files: ["stacks/production.yaml"], want: known },
    { description: "a folder nobody has thought of yet touches every stack", files: ["tools/render.ts"], want: known },
    { description: "prose and tests touch none", files: ["README.md", "docs/diagrams.md", "test/spec/paths.test.ts", ""], want: [] },
    {
      description: "several files give each stack once, sorted",
      files: ["stacks/prod/shop/cart.yaml", "stacks/dev/shop/shop.yaml", "stacks/prod/search/search.yaml"],
      want: ["dev", "prod"],
    },
  ];
  for (const c of cases) it(c.description, () => expect(touchedStacks(c.files, known)).toEqual(c.want));

  it("counts as spec data only paths that stay inside stacks/ however they are spelt", () => {
    expect(specPath("stacks/dev/shop/shop.yaml")).toEqual({ kind: "document", stack: "dev" });
    expect(specPath("stacks/Pulumi.dev.yaml")).toEqual({ kind: "stack-file", stack: "dev" });
    for (const path of [
      "stacks/dev/../../index.ts",
      "stacks/../index.ts",
      "stacks//x.yaml",
      "stacks/./dev/x.yaml",
      "stacks/dev\\..\\x",
      "stacks/Pulumi.dev.yaml/x.yaml",
      "stacks/production.yaml",
      "stacks/Pulumi.dev.yml",
      "Stacks/dev/x.yaml",
    ])
      expect(isProgramPath(path), path).toBe(true);
  });
});

describe("no code outside test/ imports from test/", () => {
  it("so that a change under test/ cannot change a plan or a comment", () => {
    const tracked = spawnSync("git", ["ls-files", "-z"], { cwd: PROJECT_ROOT, encoding: "utf8" }).stdout.split("\0");
    expect(tracked.length).toBeGreaterThan(50);
    const offenders = tracked.filter(
      (path) =>
        !path.startsWith("test/") &&
        /\.(ts|mts|js|mjs)$/.test(path) &&
        existsSync(join(PROJECT_ROOT, path)) &&
        /from\s+["'][./]*\/?test\//.test(readFileSync(join(PROJECT_ROOT, path), "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});

const stackFile = (extra: string, config = "  fleetgate:frontDoor: gcp\n") => `${extra}config:\n${config}`;
const secure = (path: string, cipher: string) => `  fleetgate:kubeconfigs:\n    ${path}:\n      secure: ${cipher}\n`;
const cluster = (kind: string, project: string) =>
  `  fleetgate:clusters:\n    - { name: us, provider: gke, region: us-central1, zones: [a], network: vpc, access: { kind: ${kind}, project: ${project} } }\n`;

describe("classifying a change for its preview", () => {
  /** A change of one stack file from `base` to `head`, classified by the stack-file rules. */
  const stackFileCases: { description: string; base?: string; head?: string; program: boolean }[] = [
    { description: "a change of fleetgate: config is spec data", base: stackFile(""), head: stackFile("", "  fleetgate:frontDoor: aws\n"), program: false },
    {
      description: "comments and layout are not changes",
      base: stackFile("secretsprovider: passphrase\n"),
      head: `# a comment\nsecretsprovider:   passphrase\n${stackFile("").replace("secretsprovider: passphrase\n", "")}`,
      program: false,
    },
    {
      description: "a changed secretsprovider is program",
      base: stackFile("secretsprovider: passphrase\n"),
      head: stackFile("secretsprovider: awskms://alias/other\n"),
      program: true,
    },
    { description: "an added encryptedkey is program", base: stackFile(""), head: stackFile("encryptedkey: AQICAHg=\n"), program: true },
    {
      description: "a changed encryptionsalt is program",
      base: stackFile("encryptionsalt: v1:abc\n"),
      head: stackFile("encryptionsalt: v1:def\n"),
      program: true,
    },
    {
      description: "an added Pulumi ESC environment import is program",
      base: stackFile(""),
      head: stackFile("environment:\n  - acme/prod-secrets\n"),
      program: true,
    },
    { description: "a removed setting is program too", base: stackFile("secretsprovider: passphrase\n"), head: stackFile(""), program: true },
    {
      description: "a merge key at the top is a setting of its own, so program",
      base: stackFile(""),
      head: `x: &s { secretsprovider: awskms://k }\n<<: *s\n${stackFile("")}`,
      program: true,
    },
    {
      description: "a provider setting (gcp:project) is program",
      base: stackFile("", "  gcp:project: acme\n"),
      head: stackFile("", "  gcp:project: evil\n"),
      program: true,
    },
    {
      description: "an unchanged encrypted value is spec data",
      base: stackFile("", secure("onprem", "v1:AAA")),
      head: stackFile("", `${secure("onprem", "v1:AAA")}  fleetgate:frontDoor: aws\n`),
      program: false,
    },
    { description: "a removed encrypted value is spec data", base: stackFile("", secure("onprem", "v1:AAA")), head: stackFile(""), program: false },
    { description: "an added encrypted value is program", base: stackFile(""), head: stackFile("", secure("onprem", "v1:AAA")), program: true },
    {
      description: "an encrypted value moved to another key is program",
      base: stackFile("", secure("onprem", "v1:AAA")),
      head: stackFile("", secure("edge", "v1:AAA")),
      program: true,
    },
    {
      description: "a changed encrypted value is program",
      base: stackFile("", secure("onprem", "v1:AAA")),
      head: stackFile("", secure("onprem", "v1:BBB")),
      program: true,
    },
    {
      description: "a changed cluster access (a GKE project the pull request chose) is program",
      base: stackFile("", cluster("gke", "acme")),
      head: stackFile("", cluster("gke", "evil")),
      program: true,
    },
    {
      description: "an added cluster, with the access it is reached by, is program",
      base: stackFile("", "  fleetgate:frontDoor: gcp\n"),
      head: stackFile("", cluster("gke", "acme")),
      program: true,
    },
    {
      description: "a cluster's other settings are spec data",
      base: stackFile("", cluster("gke", "acme")),
      head: stackFile("", cluster("gke", "acme").replace("zones: [a]", "zones: [a, b]")),
      program: false,
    },
    {
      description: "a removed cluster is spec data",
      base: stackFile("", cluster("gke", "acme")),
      head: stackFile("", "  fleetgate:frontDoor: gcp\n"),
      program: false,
    },
    { description: "a new stack file with config alone is spec data", head: stackFile(""), program: false },
    { description: "a deleted stack file is spec data", base: stackFile("secretsprovider: passphrase\n"), program: false },
    { description: "a stack file that is not YAML is program", base: stackFile(""), head: "config: [unclosed\n", program: true },
    {
      description: "a stack file with a duplicate key is program",
      base: stackFile(""),
      head: `${stackFile("")}config:\n  fleetgate:frontDoor: aws\n`,
      program: true,
    },
    {
      description: "a stack file nested past the parser's limit is program",
      base: stackFile(""),
      head: `config:\n  fleetgate:x: ${"[".repeat(5000)}${"]".repeat(5000)}\n`,
      program: true,
    },
  ];
  for (const c of stackFileCases)
    it(c.description, () => {
      const reasons = stackFileSettingsChanges("stacks/Pulumi.dev.yaml", c.base, c.head);
      expect(reasons.length > 0, reasons.join("\n")).toBe(c.program);
      const read = (side: "base" | "head"): FileState => {
        const text = side === "base" ? c.base : c.head;
        return text === undefined ? { type: "absent" } : { type: "file", text };
      };
      expect(classifyChange({ changed: ["stacks/Pulumi.dev.yaml"], knownStacks: known, read }).kind).toBe(c.program ? "program" : "spec");
    });

  it("names the setting that makes a stack-file change program", () => {
    expect(stackFileSettingsChanges("stacks/Pulumi.dev.yaml", stackFile(""), stackFile("secretsprovider: awskms://k\n"))).toEqual([
      "stacks/Pulumi.dev.yaml changes secretsprovider:, a stack setting outside config: that decides what the stack's token decrypts and where from.",
    ]);
  });

  it("is spec for team documents, with the stacks they touch", () => {
    const read = (): FileState => ({ type: "file", text: "kind: MultiClusterIngress\n" });
    expect(classifyChange({ changed: ["stacks/prod/shop/cart.yaml", "stacks/dev/shop/shop.yaml", "README.md"], knownStacks: known, read })).toEqual({
      kind: "spec",
      stacks: ["dev", "prod"],
      reasons: [],
    });
  });

  it("is program for any other file, with every stack, and says why", () => {
    expect(classifyChange({ changed: ["stacks/dev/shop/shop.yaml", "scripts/plan.ts"], knownStacks: known })).toEqual({
      kind: "program",
      stacks: known,
      reasons: ["scripts/plan.ts is not spec data (the stack files' config: and the documents under stacks/<env>/)."],
    });
  });

  it("is program when a spec path is a symbolic link or anything but a regular file", () => {
    const read = (_side: "base" | "head", path: string): FileState =>
      path.endsWith("link.yaml") ? { type: "other", what: "a symbolic link" } : { type: "file", text: "x: 1\n" };
    const result = classifyChange({ changed: ["stacks/dev/shop/link.yaml"], knownStacks: known, read });
    expect(result.kind).toBe("program");
    expect(result.reasons).toEqual(["stacks/dev/shop/link.yaml is a symbolic link, not a regular file: spec data is regular files only."]);
  });

  it("is none for prose and tests alone, and a deleted document is spec", () => {
    expect(classifyChange({ changed: ["README.md", "test/review/stacks.test.ts"], knownStacks: known }).kind).toBe("none");
    expect(classifyChange({ changed: ["stacks/dev/shop/old.yaml"], knownStacks: known, read: () => ({ type: "absent" }) })).toEqual({
      kind: "spec",
      stacks: ["dev"],
      reasons: [],
    });
  });
});

/** A folder with the given files (text) and symbolic links (`{ link: target }`). */
function tree(files: Record<string, string | { link: string }>): string {
  const root = mkdtempSync(join(tmpdir(), "fleetgate-overlay-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    if (typeof content === "string") writeFileSync(join(root, path), content);
    else symlinkSync(content.link, join(root, path));
  }
  return root;
}

describe("laying a pull request's spec over the base branch", () => {
  const baseFiles = {
    "stacks/Pulumi.dev.yaml": stackFile("secretsprovider: passphrase\n"),
    "stacks/dev/shop/shop.yaml": "base shop\n",
    "stacks/dev/shop/old.yaml": "old\n",
    "index.ts": "program\n",
  };

  it("copies the changed documents and stack files, and deletes what the pull request deleted", () => {
    const base = tree(baseFiles);
    const head = tree({
      "stacks/Pulumi.dev.yaml": stackFile("secretsprovider: passphrase\n", "  fleetgate:frontDoor: aws\n"),
      "stacks/dev/shop/shop.yaml": "head shop\n",
      "stacks/dev/cart/new.yaml": "new\n",
    });
    const changed = ["stacks/Pulumi.dev.yaml", "stacks/dev/shop/shop.yaml", "stacks/dev/cart/new.yaml", "stacks/dev/shop/old.yaml", "README.md"];
    const result = overlaySpec({ base, head, changed, knownStacks: ["dev"] });
    expect(result.refused).toEqual([]);
    expect(result.removed).toEqual(["stacks/dev/shop/old.yaml"]);
    expect(readFileSync(join(base, "stacks/dev/shop/shop.yaml"), "utf8")).toBe("head shop\n");
    expect(readFileSync(join(base, "stacks/dev/cart/new.yaml"), "utf8")).toBe("new\n");
    expect(readFileSync(join(base, "stacks/Pulumi.dev.yaml"), "utf8")).toContain("frontDoor: aws");
    expect(existsSync(join(base, "stacks/dev/shop/old.yaml"))).toBe(false);
    expect(existsSync(join(base, "README.md"))).toBe(false);
  });

  it("writes into another folder for the hand-over, where a deletion is simply absent", () => {
    const base = tree(baseFiles);
    const head = tree({ "stacks/dev/shop/shop.yaml": "head shop\n" });
    const into = mkdtempSync(join(tmpdir(), "fleetgate-into-"));
    const result = overlaySpec({ base, head, changed: ["stacks/dev/shop/shop.yaml", "stacks/dev/shop/old.yaml"], into, knownStacks: ["dev"] });
    expect(result).toMatchObject({ refused: [], copied: ["stacks/dev/shop/shop.yaml"], removed: [] });
    expect(readFileSync(join(into, "stacks/dev/shop/shop.yaml"), "utf8")).toBe("head shop\n");
    expect(readFileSync(join(base, "stacks/dev/shop/shop.yaml"), "utf8")).toBe("base shop\n");
  });

  const refusals: { description: string; head: Record<string, string | { link: string }>; changed: string[]; reason: RegExp }[] = [
    {
      description: "a symbolic link to a file outside the repository",
      head: { "stacks/dev/shop/shop.yaml": { link: "/etc/passwd" } },
      changed: ["stacks/dev/shop/shop.yaml"],
      reason: /stacks\/dev\/shop\/shop\.yaml is a symbolic link/,
    },
    {
      description: "a file below a linked folder",
      head: { "stacks/dev/real/shop.yaml": "x\n", "stacks/dev/shop": { link: "real" } },
      changed: ["stacks/dev/shop/shop.yaml"],
      reason: /below a symbolic link \(stacks\/dev\/shop\)/,
    },
    {
      description: "a folder where a document should be",
      head: { "stacks/dev/shop/shop.yaml/inner.yaml": "x\n" },
      changed: ["stacks/dev/shop/shop.yaml"],
      reason: /is a folder/,
    },
    {
      description: "a path outside the spec",
      head: { "index.ts": "evil\n", "stacks/dev/shop/shop.yaml": "x\n" },
      changed: ["index.ts", "stacks/dev/shop/shop.yaml"],
      reason: /index\.ts is not spec data/,
    },
    {
      description: "a stack-file setting",
      head: { "stacks/Pulumi.dev.yaml": stackFile("secretsprovider: awskms://k\n") },
      changed: ["stacks/Pulumi.dev.yaml"],
      reason: /changes secretsprovider:/,
    },
  ];
  for (const r of refusals)
    it(`refuses ${r.description}, and then writes nothing`, () => {
      const base = tree(baseFiles);
      const result = overlaySpec({ base, head: tree(r.head), changed: r.changed, knownStacks: ["dev"] });
      expect(result.refused.join("\n")).toMatch(r.reason);
      expect(readFileSync(join(base, "stacks/dev/shop/shop.yaml"), "utf8")).toBe("base shop\n");
      expect(readFileSync(join(base, "index.ts"), "utf8")).toBe("program\n");
      expect(readFileSync(join(base, "stacks/Pulumi.dev.yaml"), "utf8")).toBe(baseFiles["stacks/Pulumi.dev.yaml"]);
    });

  it("refuses to write through a symbolic link in the folder it writes to", () => {
    const outside = mkdtempSync(join(tmpdir(), "fleetgate-outside-"));
    const base = tree({ ...baseFiles, "stacks/dev/team": { link: outside } });
    const result = overlaySpec({ base, head: tree({ "stacks/dev/team/a.yaml": "x\n" }), changed: ["stacks/dev/team/a.yaml"], knownStacks: ["dev"] });
    expect(result.refused).toEqual([
      "stacks/dev/team/a.yaml is below a symbolic link (stacks/dev/team) in the folder the overlay writes to; it writes regular files only.",
    ]);
    expect(readdirSync(outside)).toEqual([]);
  });
});

describe("the production list", () => {
  it("is read in its order, each stack once", () => {
    expect(readProductionList("production:\n  - prod\n  - aws-prod\n", known)).toEqual({ stacks: ["prod", "aws-prod"], diagnostics: [] });
    expect(readProductionList("production: []\n", known)).toEqual({ stacks: [], diagnostics: [] });
  });

  const errors: { description: string; text: string | undefined; want: string[] }[] = [
    {
      description: "a missing file is an error, not a list without production",
      text: undefined,
      want: [
        'stacks/production.yaml: there is no production list; create stacks/production.yaml with "production:" and the production stacks (or "production: []"), so that no stack is taken for production by its name alone.',
      ],
    },
    {
      description: "a name that is not text",
      text: "production:\n  - prod\n  - 42\n",
      want: ["stacks/production.yaml:3:5: production[1]: 42 is not a stack name; write the name of a stack as text, e.g. prod."],
    },
    {
      description: "a stack without a stack file, with the nearest name",
      text: "production:\n  - prdo\n",
      want: ['stacks/production.yaml:2:5: production[0]: "prdo" has no stack file stacks/Pulumi.prdo.yaml; did you mean "prod"?'],
    },
    {
      description: "a stack listed twice",
      text: "production: [prod, prod]\n",
      want: ['stacks/production.yaml:1:20: production[1]: "prod" is listed already as production[0]; list each stack once.'],
    },
    {
      description: "a list that is not a list",
      text: "production: prod\n",
      want: ['stacks/production.yaml:1:13: production: must be a list of stack names, e.g. "production: [prod]" (or "production: []" for none).'],
    },
    {
      description: "a misspelt key",
      text: "production: [prod]\nprodution: [aws-prod]\n",
      want: ['stacks/production.yaml:2:1: prodution: is not a key of the production list; the file has one key, "production".'],
    },
    {
      description: "a file without the key",
      text: "- prod\n",
      want: ['stacks/production.yaml:1:1: the file must be a map with the key "production", a list of stack names.'],
    },
  ];
  const format = (d: { file: string; line?: number; column?: number; path: string; message: string }) =>
    `${d.file}${d.line ? `:${d.line}:${d.column}` : ""}: ${d.path ? `${d.path}: ` : ""}${d.message}`;
  for (const e of errors) it(`reports ${e.description}, at its place`, () => expect(readProductionList(e.text, known).diagnostics.map(format)).toEqual(e.want));

  it("tells production-looking names apart from words that merely contain one", () => {
    const names = [
      "prod",
      "prd",
      "Prod",
      "PROD",
      "prod_eu",
      "eu.production",
      "euProd",
      "aws-prod",
      "prod2",
      "product",
      "preprod",
      "productions",
      "dev",
      "staging",
    ];
    expect(names.filter(looksLikeProduction)).toEqual(["prod", "prd", "Prod", "PROD", "prod_eu", "eu.production", "euProd", "aws-prod", "prod2"]);
  });

  it("warns at the stack file of every undeclared stack that looks like production", () => {
    const warnings = undeclaredLookalikes(["dev", "prd", "Prod", "prod_eu", "prod"], ["prod"]);
    expect(warnings.map((w) => `${w.severity} ${w.file}`)).toEqual([
      "warning stacks/Pulumi.prd.yaml",
      "warning stacks/Pulumi.Prod.yaml",
      "warning stacks/Pulumi.prod_eu.yaml",
    ]);
    expect(warnings[0]!.message).toContain("deploys in the first wave with the others");
  });

  it("orders a deployment: the others first, then the declared production stacks", () => {
    expect(deploymentWaves(["prod", "dev", "prd", "aws-prod", "staging"], ["aws-prod", "prod"])).toEqual({
      others: ["dev", "prd", "staging"],
      production: ["aws-prod", "prod"],
    });
  });

  it("of this repository lists its production stacks", () => {
    const list = readProductionList(readFileSync(join(PROJECT_ROOT, "stacks/production.yaml"), "utf8"), known);
    expect(list).toEqual({ stacks: ["aws-prod", "prod"], diagnostics: [] });
  });
});

describe("npm run stacks", () => {
  const run = (args: string[], input = "") =>
    spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "scripts/stacks.ts"), ...args], { cwd: PROJECT_ROOT, input, encoding: "utf8" });

  it("prints its usage with --help and exits 0; an unknown command or option exits 2", () => {
    const help = run(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("classify   --base <dir> --pr <dir> --changes <file>");
    expect(run(["deploy"]).status).toBe(2);
    expect(run(["waves", "--into", "x"]).status).toBe(2);
    expect(run(["touched", "--bogus"]).status).toBe(2);
  });

  it("waves: warns in GitHub's format about an undeclared production-looking stack, and fails on an invalid list", () => {
    const root = tree({
      "stacks/Pulumi.dev.yaml": "config: {}\n",
      "stacks/Pulumi.prd.yaml": "config: {}\n",
      "stacks/Pulumi.prod.yaml": "config: {}\n",
      "stacks/production.yaml": "production: [prod]\n",
    });
    const ok = run(["waves", "--root", root]);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ others: ["dev", "prd"], production: ["prod"] });
    expect(ok.stderr).toMatch(/^::warning file=stacks\/Pulumi\.prd\.yaml,line=1,col=1::the stack "prd" looks like production/m);

    writeFileSync(join(root, "stacks/production.yaml"), "production: [prod, 7]\n");
    const bad = run(["waves", "--root", root]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain("::error file=stacks/production.yaml,line=1,col=20::production[1]: 7 is not a stack name");
  });

  it("touched: reads the changed paths from stdin", () => {
    const result = run(["touched"], "stacks/dev/shop/shop.yaml\nREADME.md\n");
    expect(JSON.parse(result.stdout)).toEqual({ touched: ["dev"], existing: ["dev"] });
  });
});

describe("the pull-request comment", () => {
  it("starts with the marker the workflow finds it by, and has one folded section per stack", () => {
    const body = composeComment(
      [
        { stack: "dev", diff: "### diff of dev\n", diagram: "```mermaid\nflowchart LR\n```\n" },
        { stack: "prod", error: "The offline plan failed." },
      ],
      { headSha: "0123456789abcdef" },
    );
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
    const body = composeComment(
      [
        { stack: "dev", diff: long },
        { stack: "prod", diff: long },
      ],
      { headSha: "abc" },
    );
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body).toContain("the whole diff is in the run's artifact");
  });

  it("gives what small stacks leave over to a large one, and does not charge it for a picture left out", () => {
    const large = Array.from({ length: 8000 }, (_, i) => `- change ${i} ${"x".repeat(40)}`).join("\n");
    const hugePicture = `\`\`\`mermaid\n${"a --> b\n".repeat(20000)}\`\`\`\n`;
    const body = composeComment(
      [
        { stack: "a", diff: "- one change" },
        { stack: "b", diff: "- one change" },
        { stack: "prod", diff: large, diagram: hugePicture },
      ],
      { headSha: "abc" },
    );
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body.length).toBeGreaterThan(MAX_COMMENT_CHARS * 0.9);
    expect(body).toContain("The picture of `prod` is too large");
  });
});
