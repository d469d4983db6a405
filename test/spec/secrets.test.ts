import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../spec/diagnostics";
import { planEnvironment, stackConfigFromEngine } from "../../spec/index";
import { baseFixture, sourceFiles, type SpecFixture } from "./fixtures";

const TOKEN = "s3cr3t-token-f00dfeedcafe";

/** Plans a fixture as `pulumi up` does: config from the engine, with `secret` keys held as secrets. */
function planUnderEngine(fixture: SpecFixture, raw: Record<string, string>, secret: string[]) {
  const all: Record<string, string> = {};
  for (const [key, value] of Object.entries(fixture.config)) all[`fleetgate:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  Object.assign(all, raw);
  const stack = stackConfigFromEngine(all, (key) => secret.includes(key));
  return planEnvironment({ environment: fixture.environment, stack, files: sourceFiles(fixture) });
}

describe("secret configuration in diagnostics", () => {
  it("never shows a secret value, even when the value is malformed", () => {
    const fixture = baseFixture();
    // The whole kubeconfig set as the key's value, instead of under kubeconfigs.<cluster> with --path.
    const kubeconfig = `apiVersion: v1\nusers:\n- user:\n    token: ${TOKEN}\n`;
    const result = planUnderEngine(fixture, { "fleetgate:kubeconfigs": kubeconfig }, ["fleetgate:kubeconfigs"]);
    const lines = result.diagnostics.map(formatDiagnostic);
    expect(result.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([
      expect.stringContaining("fleetgate:kubeconfigs: expected a record"),
    ]);
    expect(lines.join("\n")).not.toContain("apiVersion");
  });

  it("still names what merely occurs inside a secret, such as a cluster named in its kubeconfig", () => {
    const fixture = baseFixture();
    const clusters = fixture.config.clusters as { name: string; access: object }[];
    clusters[2]!.access = { kind: "kubeconfig" };
    clusters[1]!.name = "asia";
    const kubeconfigs = {
      asia: `apiVersion: v1\nclusters:\n- name: asia\n  cluster: { server: https://asia.example.com }\nusers:\n- user: { token: ${TOKEN} }\n`,
    };
    const result = planUnderEngine(fixture, { "fleetgate:kubeconfigs": JSON.stringify(kubeconfigs) }, ["fleetgate:kubeconfigs"]);
    expect(result.diagnostics.map(formatDiagnostic)).toContainEqual(
      expect.stringContaining('fleetgate:clusters[2].name: "asia" is already the name of clusters[1]'),
    );
  });

  it("never shows a value of a key the admin chose to keep secret, in schema checks or cross-checks", () => {
    const zone = (domain: string) => ({ domain, cloudDns: { managedZone: "example-com" } });
    const schema = planUnderEngine(baseFixture(), { "fleetgate:dns": JSON.stringify({ zones: [zone(`${TOKEN}.Example.com`)] }) }, ["fleetgate:dns"]);
    const cross = planUnderEngine(
      baseFixture(),
      { "fleetgate:dns": JSON.stringify({ zones: [zone("example.com"), zone(`${TOKEN}.example.com`), zone(`${TOKEN}.example.com`)] }) },
      ["fleetgate:dns"],
    );
    for (const [result, path] of [
      [schema, "fleetgate:dns.zones[0].domain"],
      [cross, "fleetgate:dns.zones[2].domain"],
    ] as const) {
      const text = result.diagnostics.map(formatDiagnostic).join("\n");
      expect(text).toContain(`${path}: "[secret]"`);
      expect(text.toLowerCase()).not.toContain(TOKEN);
    }
  });

  it("checks a kubeconfig's shape where its value is known, at its key, without showing it", () => {
    const fixture = baseFixture();
    (fixture.config.clusters as { access: object }[])[2]!.access = { kind: "kubeconfig" };
    const noServer = `apiVersion: v1\ncurrent-context: asia\ncontexts:\n- name: asia\n  context: { cluster: asia }\nusers:\n- user: { token: ${TOKEN} }\n`;
    const result = planUnderEngine(fixture, { "fleetgate:kubeconfigs": JSON.stringify({ asia: noServer }) }, ["fleetgate:kubeconfigs"]);
    const errors = result.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
    expect(errors).toEqual([expect.stringContaining("fleetgate:kubeconfigs.asia: names no API server for its current context")]);
    expect(errors.join("\n")).not.toContain(TOKEN);
  });

  it("leaves an encrypted kubeconfig the offline plan cannot read unchecked, rather than parsing its placeholder", () => {
    const fixture = baseFixture();
    (fixture.config.clusters as { access: object }[])[2]!.access = { kind: "kubeconfig" };
    const placeholder = "[secret fleetgate:kubeconfigs.asia 5d41402a]";
    const result = planUnderEngine(fixture, { "fleetgate:kubeconfigs": JSON.stringify({ asia: placeholder }) }, ["fleetgate:kubeconfigs"]);
    expect(result.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    expect(result.plan).toBeDefined();
  });
});
