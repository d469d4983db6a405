import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { runComponent } from "./harness";

// The SDK's resource classes are abstract in their typings; these are the plainest concrete ones.
class Raw extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(type, name, props, opts);
  }
}
class RawProvider extends pulumi.ProviderResource {
  constructor(pkg: string, name: string, props: pulumi.Inputs, opts?: pulumi.ResourceOptions) {
    super(pkg, name, props, opts);
  }
}

class Box extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:test:Box", name, {}, opts);
    const provider = new RawProvider("kubernetes", `${name}-k8s`, { kubeconfig: pulumi.secret("apiVersion: v1") }, { parent: this });
    const first = new Raw("kubernetes:core/v1:Namespace", `${name}-ns`, { metadata: { name: "istio-system" } }, { parent: this, provider });
    new Raw(
      "kubernetes:core/v1:Secret",
      `${name}-cacerts`,
      { metadata: { name: "cacerts" }, stringData: { "ca-key.pem": pulumi.secret("KEY"), "ca-cert.pem": "CERT" } },
      { parent: this, provider, protect: true, dependsOn: [first] },
    );
    this.registerOutputs({ ready: true });
  }
}

describe("the mock-engine harness", () => {
  it("records type, name, parent, provider, secret inputs and resource options", async () => {
    const graph = await runComponent(() => {
      new Box("demo");
    });
    const box = graph.one("fleetgate:test:Box", "demo");
    const secret = graph.one("kubernetes:core/v1:Secret", "demo-cacerts");
    const namespace = graph.one("kubernetes:core/v1:Namespace", "demo-ns");

    expect(graph.parentOf(secret)).toBe(box);
    expect(graph.providerOf(secret)?.name).toBe("demo-k8s");
    expect(secret.secretPaths).toEqual(["stringData.ca-key.pem"]);
    expect(secret.inputs).toMatchObject({ stringData: { "ca-key.pem": "KEY", "ca-cert.pem": "CERT" } });
    expect(secret.protect).toBe(true);
    expect(secret.dependsOn).toEqual([namespace.urn]);
    expect(namespace.protect).toBe(false);
    expect(graph.one("pulumi:providers:kubernetes", "demo-k8s").secretPaths).toEqual(["kubeconfig"]);
    expect(box.custom).toBe(false);
    expect(box.outputs).toEqual({ ready: true });
  });

  it("reports a resource created without a provider as using the default one", async () => {
    const graph = await runComponent(() => {
      new Raw("kubernetes:core/v1:Namespace", "ambient", {});
    });
    const ns = graph.one("kubernetes:core/v1:Namespace", "ambient");
    expect(ns.provider).toBeUndefined();
    expect(graph.providerOf(ns)).toBeUndefined();
  });

  it("refuses a second registration of a URN, as the engine does", async () => {
    const failures: unknown[] = [];
    const collect = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", collect);
    try {
      const graph = await runComponent(() => {
        new Raw("kubernetes:core/v1:Namespace", "twice", { metadata: { name: "a" } });
        new Raw("kubernetes:core/v1:Namespace", "twice", { metadata: { name: "b" } });
      });
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(graph.ofType("kubernetes:core/v1:Namespace")).toHaveLength(1);
      expect(failures.map(String).join("\n")).toContain(
        "Duplicate resource URN 'urn:pulumi:test::fleetgate::kubernetes:core/v1:Namespace::twice'; try giving it a unique name [pulumi.unique-urns]",
      );
    } finally {
      process.off("unhandledRejection", collect);
    }
  });
});
