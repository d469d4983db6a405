import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyFragment } from "../../migrate/admin-settings";
import { planEnvironment, stackConfigFromFile } from "../../spec";
import { readEnvironmentFiles } from "../../spec/read-files";

const ROOT = resolve(__dirname, "../..");

const copies: string[] = [];
afterAll(() => {
  for (const root of copies) rmSync(root, { recursive: true, force: true });
});

/** A temporary project holding a copy of the repository's stacks and CODEOWNERS. */
function copyOfStacks(): string {
  const root = mkdtempSync(join(tmpdir(), "fleetgate-new-team-"));
  copies.push(root);
  cpSync(join(ROOT, "stacks"), join(root, "stacks"), { recursive: true });
  mkdirSync(join(root, ".github"));
  cpSync(join(ROOT, ".github", "CODEOWNERS"), join(root, ".github", "CODEOWNERS"));
  return root;
}

function newTeam(root: string, args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts/new-team.ts"), "--root", root, ...args], { cwd: ROOT, encoding: "utf8" });
}

/** The YAML the command asks the admin to add under `config:`: the indented block after step 1. */
function printedGrant(stdout: string): string {
  const block = stdout.split("\n1. ")[1]?.split("\n2. ")[0] ?? "";
  return block
    .split("\n")
    .filter((l) => l.startsWith("    "))
    .map((l) => l.slice(4))
    .join("\n");
}

function plans(root: string, environment: string, fragment: string) {
  const path = `stacks/Pulumi.${environment}.yaml`;
  const text = applyFragment(readFileSync(join(root, path), "utf8"), fragment);
  return planEnvironment({ environment, stack: stackConfigFromFile(path, text), files: readEnvironmentFiles(root, environment) });
}

const errorsOf = (result: ReturnType<typeof plans>) => result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);

describe("npm run new-team", () => {
  const teams = [
    {
      description: "a MultiClusterIngress team in the GCP dev stack",
      stack: "dev",
      namespace: "cart",
      host: "cart.dev.example.com",
      dialect: [],
      kinds: ["MultiClusterService", "MultiClusterIngress"],
    },
    {
      description: "an HTTPRoute team behind the AWS front door",
      stack: "aws-prod",
      namespace: "pay",
      host: "pay.example.net",
      dialect: ["--dialect", "gateway-api"],
      kinds: ["MultiClusterService", "HTTPRoute"],
    },
    {
      description: "a team whose namespace starts with a digit, on a wildcard host",
      stack: "prod",
      namespace: "9lives",
      host: "*.lives.example.com",
      dialect: [],
      kinds: ["MultiClusterService", "MultiClusterIngress"],
    },
  ];

  for (const team of teams) {
    it(`scaffolds ${team.description} that plans once the printed grant is added, and not before`, () => {
      const root = copyOfStacks();
      const result = newTeam(root, ["--stack", team.stack, "--namespace", team.namespace, "--host", team.host, ...team.dialect]);
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      const file = join(root, "stacks", team.stack, team.namespace, `${team.namespace}.yaml`);
      const text = readFileSync(file, "utf8");
      expect([...text.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1])).toEqual(team.kinds);
      expect(text).toContain(JSON.stringify(team.host));

      const grant = printedGrant(result.stdout);
      expect(grant).toContain(`namespace: ${team.namespace}`);
      expect(errorsOf(plans(root, team.stack, ""))).toEqual([expect.stringContaining(`may not claim ${JSON.stringify(team.host)}`)]);
      const granted = plans(root, team.stack, grant);
      expect(errorsOf(granted)).toEqual([]);
      expect(granted.plan?.hosts.map((h) => h.name)).toContain(team.host);
      expect(result.stdout).toContain(`"${team.stack}" plans`);
    });
  }

  it("prints the CODEOWNERS line the codeowners test asks of a team folder, and the rest of the checklist", () => {
    const result = newTeam(copyOfStacks(), ["--stack", "dev", "--namespace", "cart", "--host", "cart.dev.example.com"]);
    expect(result.stdout).toContain("    /stacks/dev/cart/ @acme/cart\n");
    expect(result.stdout).toContain(`Create the namespace "cart" in every cluster`);
    expect(result.stdout).toContain("npm run diagram -- --docs");
  });

  it("asks for no grant or CODEOWNERS line that the repository has already", () => {
    // The catalog team's grant and CODEOWNERS line stay; its folder is gone, as for a team set up by hand.
    const root = copyOfStacks();
    rmSync(join(root, "stacks/dev/catalog"), { recursive: true });
    const result = newTeam(root, ["--stack", "dev", "--namespace", "catalog", "--host", "new.catalog.dev.example.com"]);
    expect(result.status).toBe(0);
    expect(printedGrant(result.stdout)).toBe("");
    expect(result.stdout).toContain(`grants "new.catalog.dev.example.com" to "catalog" already`);
    expect(result.stdout).toContain("has a line for /stacks/dev/catalog/ already");
  });

  it("never replaces a file: a second run refuses and leaves the first file as it was", () => {
    const root = copyOfStacks();
    const file = join(root, "stacks/dev/cart/cart.yaml");
    expect(newTeam(root, ["--stack", "dev", "--namespace", "cart", "--host", "cart.dev.example.com"]).status).toBe(0);
    writeFileSync(file, "# edited by the team\n");
    const again = newTeam(root, ["--stack", "dev", "--namespace", "cart", "--host", "other.dev.example.com"]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("stacks/dev/cart/cart.yaml exists already");
    expect(readFileSync(file, "utf8")).toBe("# edited by the team\n");
  });

  const refusals = [
    {
      description: "an unknown stack, with the closest one",
      args: ["--stack", "prd", "--namespace", "cart", "--host", "cart.example.com"],
      want: [`there is no stack file stacks/Pulumi.prd.yaml`, `did you mean "prod"?`],
    },
    {
      description: "a namespace that is not a DNS label",
      args: ["--stack", "dev", "--namespace", "Cart_x", "--host", "cart.dev.example.com"],
      want: [`--namespace: "Cart_x" must consist of lower-case letters`],
    },
    {
      description: "a namespace with upper case, with the fix",
      args: ["--stack", "dev", "--namespace", "Cart", "--host", "cart.dev.example.com"],
      want: [`--namespace: "Cart" has upper-case letters; use "cart"`],
    },
    {
      description: "the gateway namespace",
      args: ["--stack", "dev", "--namespace", "fleetgate-gateway", "--host", "cart.dev.example.com"],
      want: [`is the environment's gateway namespace`],
    },
    {
      description: "an invalid host",
      args: ["--stack", "dev", "--namespace", "cart", "--host", "cart..dev.example.com"],
      want: [`--host: "cart..dev.example.com" is not a valid host name`],
    },
    {
      description: "a host outside the environment's DNS zones",
      args: ["--stack", "dev", "--namespace", "cart", "--host", "cart.example.org"],
      want: [`is in none of the environment's DNS zones (dev.example.com)`],
    },
    {
      description: "a host granted exactly to another team",
      args: ["--stack", "dev", "--namespace", "cart", "--host", "shop.dev.example.com"],
      want: [`is granted exactly to "shop"`],
    },
    {
      description: "every problem at once",
      args: ["--stack", "prd", "--namespace", "Cart_x", "--host", "a..b"],
      want: ["--stack:", "--namespace:", "--host:", "3 problems above"],
    },
  ];
  for (const refusal of refusals) {
    it(`refuses ${refusal.description}, writing nothing`, () => {
      const root = copyOfStacks();
      const before = readdirSync(join(root, "stacks"), { recursive: true }).length;
      const result = newTeam(root, refusal.args);
      expect(result.status).toBe(1);
      for (const text of refusal.want) expect(result.stderr).toContain(text);
      expect(result.stdout).toBe("");
      expect(readdirSync(join(root, "stacks"), { recursive: true }).length).toBe(before);
    });
  }

  it("prints its usage with --help or -h and exits 0", () => {
    for (const flag of ["--help", "-h"]) {
      const result = newTeam(ROOT, [flag]);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^Usage: npm run new-team -- --stack <env> --namespace <ns> --host <host>/);
    }
  });

  it("answers an unknown option, a missing one and an unknown dialect with one line on stderr and exit 2", () => {
    for (const args of [["--bogus"], ["--stack", "dev"], ["--stack", "dev", "--namespace", "a", "--host", "a.dev.example.com", "--dialect", "istio"]]) {
      const result = newTeam(ROOT, args);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr.trimEnd().split("\n"), args.join(" ")).toHaveLength(1);
      expect(result.stdout).toBe("");
    }
    expect(existsSync(join(ROOT, "stacks/dev/a"))).toBe(false);
  });
});
