import { describe, expect, it, beforeAll } from "vitest";
import { RULES } from "../../policies/rules/index";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { poolSeed } from "../../offline/fakes/tls";
import { runProgram, type RegisteredResource } from "../harness";
import { fromRegistered, stackViolations, violations } from "../policies/policy-args";

const EXAMPLES = ["dev", "prod", "aws-prod"] as const;

describe.each(EXAMPLES)("the %s example, planned through the real program", (stack) => {
  let graph: Awaited<ReturnType<typeof runProgram>>;
  beforeAll(async () => {
    graph = await runProgram(stack);
  });

  it("runs to the end", () => {
    expect(graph.exitCode, graph.stderr).toBe(0);
  });

  it("passes every rule of the policy pack", () => {
    const { resources } = fromRegistered(graph.resources);
    const found: string[] = [];
    for (const rule of RULES) {
      if ("validateStack" in rule) found.push(...stackViolations(rule as StackValidationPolicy, resources).map((m) => `${rule.name}: ${m}`));
      else for (const r of resources) found.push(...violations(rule as ResourceValidationPolicy, r).map((m) => `${rule.name}: ${m}`));
    }
    expect(found).toEqual([]);
  });

  it("draws the root CA's offline key apart from every intermediate's, so chain checks mean something", () => {
    const keys = graph.ofType("tls:index/privateKey:PrivateKey");
    const root = keys.filter((k) => k.protect);
    expect(root).toHaveLength(1);
    for (const key of keys.filter((k) => !k.protect)) expect(poolSeed(key.name), key.name).not.toBe(poolSeed(root[0]!.name));
  });

  it("gives every resource its own type and name", () => {
    const ids = graph.resources.map((r) => `${r.type}::${r.name}`);
    expect(ids.length).toBeGreaterThan(20);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("exports the address, hosts, certificates and per-cluster gateways", () => {
    const outputs = graph.stackOutputs as Record<string, any>;
    expect(outputs.hosts.length).toBeGreaterThan(0);
    expect(Object.keys(outputs.certificates).sort()).toEqual([...outputs.hosts].sort());
    for (const host of outputs.hosts) expect(outputs.certificates[host].certificates.length).toBeGreaterThan(0);
    expect(Object.keys(outputs.gateways).length).toBeGreaterThan(1);
    expect(outputs.ipAddresses.length).toBeGreaterThan(0);
    if (stack === "aws-prod") expect(outputs.address).toMatch(/\.awsglobalaccelerator\.com$/);
    else expect(outputs.address).toMatch(/^203\.0\.113\.\d+$/);
  });

  it("keeps secret what must be: kubeconfigs, CA keys and remote-cluster credentials", () => {
    /** Whether the input at `path` is secret: it, or an input that contains it, is marked secret. */
    const secretAt = (r: RegisteredResource, path: string) => r.secretPaths.some((p) => path === p || path.startsWith(`${p}.`));
    const secrets = graph.ofType("kubernetes:core/v1:Secret");
    const named = (prefix: string) => secrets.filter((r) => String((r.inputs as any).metadata?.name ?? "").startsWith(prefix));
    for (const provider of graph.ofType("pulumi:providers:kubernetes")) expect(secretAt(provider, "kubeconfig"), provider.name).toBe(true);
    const cacerts = named("cacerts");
    expect(cacerts.length).toBeGreaterThan(1);
    for (const secret of cacerts)
      for (const file of ["ca-key.pem", "ca-cert.pem", "root-cert.pem", "cert-chain.pem"]) {
        const field = (secret.inputs as any).stringData ? "stringData" : "data";
        expect(secretAt(secret, `${field}.${file}`), `${secret.name} ${file}`).toBe(true);
      }
    const remote = named("istio-remote-secret-");
    expect(remote.length).toBeGreaterThan(0);
    for (const secret of remote) expect(secret.secretPaths.length, secret.name).toBeGreaterThan(0);
  });
});
