import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { engineConfigFromStackFile, PROJECT_ROOT, projectNodeArgs } from "../../offline/run-offline";
import { kubeconfigApiServer } from "../../spec/kubeconfig";
import { stackConfigFromEngine, stackConfigFromFile } from "../../spec/stack-config";

const withSecrets = `config:
  gcp:project: acme
  fleetgate:frontDoor: gcp
  fleetgate:kubeconfigs:
    onprem: { secure: v1:abc }
  fleetgate:defaults: &d { ttl: 60 }
  fleetgate:dns: { <<: *d, zones: [] }
`;

describe("the offline engine's configuration", () => {
  for (const [name, text] of [
    ["a stack file with secrets and merge keys", withSecrets],
    ["the prod example", readFileSync(join(PROJECT_ROOT, "stacks/Pulumi.prod.yaml"), "utf8")],
  ] as const) {
    it(`holds what the spec reads from ${name}, with the same secret keys, stand-ins aside`, () => {
      const engine = engineConfigFromStackFile(text);
      const fromEngine = stackConfigFromEngine(engine.config, (key) => engine.secretKeys.includes(key));
      const fromFile = stackConfigFromFile("stacks/Pulumi.test.yaml", text);
      const withoutKubeconfigs = (values: Readonly<Record<string, unknown>>) =>
        Object.fromEntries(Object.entries(values).filter(([key]) => key !== "kubeconfigs"));
      expect(withoutKubeconfigs(fromEngine.values)).toEqual(withoutKubeconfigs(fromFile.values));
      expect(Object.keys(fromEngine.values.kubeconfigs ?? {})).toEqual(Object.keys(fromFile.values.kubeconfigs ?? {}));
      expect([...fromEngine.secretKeys].sort()).toEqual([...fromFile.secretKeys].sort());
    });
  }

  it("gives an encrypted kubeconfig a well-formed stand-in that shows nothing of it and changes with its ciphertext", () => {
    const engine = engineConfigFromStackFile(withSecrets);
    const standIn = JSON.parse(engine.config["fleetgate:kubeconfigs"]!).onprem as string;
    expect(kubeconfigApiServer(standIn)).toEqual({ server: "https://onprem.kubeconfig.offline.invalid" });
    expect(standIn).not.toContain("v1:abc");
    expect(engine.standIns?.map((s) => s.path)).toEqual(["fleetgate:kubeconfigs.onprem"]);
    // A secret set again (new ciphertext) gets a new stand-in, so what it reaches shows as changed.
    const again = engineConfigFromStackFile(withSecrets.replace("v1:abc", "v1:abd"));
    expect(JSON.parse(again.config["fleetgate:kubeconfigs"]!).onprem).not.toBe(standIn);
    expect(engineConfigFromStackFile(withSecrets).config).toEqual(engine.config);
    expect(engine.secretKeys).toEqual(["fleetgate:kubeconfigs"]);
    expect(engine.config["gcp:project"]).toBe("acme");
  });

  it("keeps an encrypted value Fleetgate does not parse opaque, and marks its key secret", () => {
    const engine = engineConfigFromStackFile(`${withSecrets}  gcp:credentials: { secure: v1:xyz }\n`);
    expect(engine.config["gcp:credentials"]).toMatch(/^\[secret gcp:credentials [0-9a-f]{8}\]$/);
    expect(engine.secretKeys).toContain("gcp:credentials");
  });
});

describe("the offline engine's Node.js arguments", () => {
  it("are the ones Pulumi.yaml gives the language host", () => {
    const project = parseDocument(readFileSync(join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")).toJS() as { runtime: { options: { nodeargs: string } } };
    expect(projectNodeArgs()).toEqual(project.runtime.options.nodeargs.split(" "));
    expect(projectNodeArgs()).toContain("--max-semi-space-size=128");
  });
});
