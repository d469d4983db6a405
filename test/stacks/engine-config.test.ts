import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { engineConfigFromStackFile, PROJECT_ROOT, projectNodeArgs } from "../../offline/run-offline";
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
  for (const [name, text] of [["a stack file with secrets and merge keys", withSecrets], ["the prod example", readFileSync(join(PROJECT_ROOT, "stacks/Pulumi.prod.yaml"), "utf8")]] as const) {
    it(`holds what the spec reads from ${name}, with the same secret keys`, () => {
      const engine = engineConfigFromStackFile(text);
      const fromEngine = stackConfigFromEngine(engine.config, (key) => engine.secretKeys.includes(key));
      const fromFile = stackConfigFromFile("stacks/Pulumi.test.yaml", text);
      expect(fromEngine.values).toEqual(fromFile.values);
      expect([...fromEngine.secretKeys].sort()).toEqual([...fromFile.secretKeys].sort());
    });
  }

  it("keeps encrypted values opaque and marks their keys secret", () => {
    const engine = engineConfigFromStackFile(withSecrets);
    const placeholder = JSON.parse(engine.config["fleetgate:kubeconfigs"]!).onprem as string;
    expect(placeholder).toMatch(/^\[secret fleetgate:kubeconfigs\.onprem [0-9a-f]{8}\]$/);
    expect(placeholder).not.toContain("v1:abc");
    // A secret set again (new ciphertext) gets a new placeholder, so what it reaches shows as changed.
    const again = engineConfigFromStackFile(withSecrets.replace("v1:abc", "v1:abd"));
    expect(JSON.parse(again.config["fleetgate:kubeconfigs"]!).onprem).not.toBe(placeholder);
    expect(engine.secretKeys).toEqual(["fleetgate:kubeconfigs"]);
    expect(engine.config["gcp:project"]).toBe("acme");
  });
});

describe("the offline engine's Node.js arguments", () => {
  it("are the ones Pulumi.yaml gives the language host", () => {
    const project = parseDocument(readFileSync(join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")).toJS() as { runtime: { options: { nodeargs: string } } };
    expect(projectNodeArgs()).toEqual(project.runtime.options.nodeargs.split(" "));
    expect(projectNodeArgs()).toContain("--max-semi-space-size=128");
  });
});
