import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../offline/run-offline";
import { DEFAULT_GATEWAY_NAMESPACE } from "../../spec/naming";

interface Rule {
  readonly pattern: string;
  readonly owners: readonly string[];
}

const rules: Rule[] = readFileSync(join(PROJECT_ROOT, ".github", "CODEOWNERS"), "utf8")
  .split("\n")
  .map((line) => line.replace(/#.*/, "").trim())
  .filter((line) => line !== "")
  .map((line) => {
    const [pattern, ...owners] = line.split(/\s+/);
    return { pattern: pattern!, owners };
  });

/**
 * GitHub's CODEOWNERS matching for the patterns this file uses: `*` alone matches everything; a leading
 * `/` anchors at the root; a trailing `/` matches everything below that folder; `*` matches within one
 * path segment. The last matching rule wins.
 */
function ownersOf(file: string): readonly string[] {
  const matches = (pattern: string) => {
    if (pattern === "*") return true;
    const anchored = pattern.replace(/^\//, "");
    const body = anchored
      .split("/")
      .map((part) =>
        part
          .split("*")
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
          .join("[^/]*"),
      )
      .join("/");
    return new RegExp(anchored.endsWith("/") ? `^${body}` : `^${body}(/|$)`).test(file);
  };
  return rules.filter((r) => matches(r.pattern)).pop()?.owners ?? [];
}

const PLATFORM = "@acme/fleetgate-platform";
const dirs = (path: string) =>
  readdirSync(join(PROJECT_ROOT, path))
    .filter((name) => statSync(join(PROJECT_ROOT, path, name)).isDirectory())
    .sort();
/** The gateway namespace of an environment: its folder holds the admin's Gateway and is the platform team's. */
const gatewayNamespace = (env: string): string => {
  const config =
    (parse(readFileSync(join(PROJECT_ROOT, "stacks", `Pulumi.${env}.yaml`), "utf8")) as { config?: Record<string, { namespace?: string } | undefined> })
      .config ?? {};
  return config["fleetgate:gateway"]?.namespace ?? DEFAULT_GATEWAY_NAMESPACE;
};
const environments = dirs("stacks");
const teamFolders = environments.flatMap((env) =>
  dirs(join("stacks", env))
    .filter((team) => team !== gatewayNamespace(env))
    .map((team) => ({ env, team })),
);

describe(".github/CODEOWNERS", () => {
  it("has a line for every team folder under stacks/<env>/", () => {
    expect(teamFolders.length).toBeGreaterThan(0);
    const missing = teamFolders.filter(({ env, team }) => !rules.some((r) => r.pattern === `/stacks/${env}/${team}/`));
    expect(missing, `add a line "/stacks/<env>/<team>/ @acme/<team>" for each`).toEqual([]);
  });

  for (const { env, team } of teamFolders) {
    it(`gives stacks/${env}/${team}/ to the ${team} team, not to the platform`, () => {
      expect(ownersOf(`stacks/${env}/${team}/documents.yaml`)).toEqual([`@acme/${team}`]);
    });
  }

  it("gives the stack files, the project file, the program, the policies and CI to the platform team", () => {
    const environments = readdirSync(join(PROJECT_ROOT, "stacks")).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
    for (const file of [
      ...environments.map((f) => `stacks/${f}`),
      "Pulumi.yaml",
      "components/gcp/front-door.ts",
      "spec/resolve.ts",
      "policies/index.ts",
      ".github/workflows/deploy.yml",
    ])
      expect(ownersOf(file), file).toEqual([PLATFORM]);
  });

  it("gives the gateway namespace's folder, which holds the admin's Gateway, to the platform team in every environment", () => {
    for (const env of environments) expect(ownersOf(`stacks/${env}/${gatewayNamespace(env)}/gateway.yaml`), env).toEqual([PLATFORM]);
  });

  it("matches as GitHub does: the last matching line wins and a stack file is not a team folder", () => {
    expect(ownersOf("stacks/Pulumi.prod.yaml")).toEqual([PLATFORM]);
    expect(ownersOf("stacks/prod/shop/cart.yaml")).toEqual(["@acme/shop"]);
    expect(ownersOf("stacks/prod/shopping/cart.yaml")).toEqual([PLATFORM]);
  });
});
