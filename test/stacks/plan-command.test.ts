import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import forge from "node-forge";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, runProgramOffline } from "../../offline/run-offline";
import { runProgram } from "../harness";

const tsx = join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const scratch = mkdtempSync(join(tmpdir(), "fleetgate-plan-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function plan(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(
      process.execPath,
      [tsx, join(PROJECT_ROOT, "scripts", "plan.ts"), ...args],
      { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** A project root with one broken environment: stacks/Pulumi.broken.yaml and a team's document. */
function brokenRoot(): string {
  const root = join(scratch, "broken");
  mkdirSync(join(root, "stacks", "broken", "shop"), { recursive: true });
  const stack = readFileSync(join(PROJECT_ROOT, "stacks", "Pulumi.dev.yaml"), "utf8").replace("region: europe-west1", "region: europe-wst1");
  writeFileSync(join(root, "stacks", "Pulumi.broken.yaml"), stack);
  const shop = readFileSync(join(PROJECT_ROOT, "stacks", "dev", "shop", "shop.yaml"), "utf8")
    .replace("host: shop.dev.example.com", "host: Shop.dev.example.com")
    .replace("servicePort: web", "servicePort: grpc");
  writeFileSync(join(root, "stacks", "broken", "shop", "shop.yaml"), shop);
  return root;
}

/** A CA certificate of a throwaway key, valid for ten years from now. */
function selfSignedCa(): string {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 1024 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = "01";
  cert.validity.notBefore = new Date();
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600_000);
  const subject = [{ name: "commonName", value: "Test root" }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([{ name: "basicConstraints", cA: true }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/**
 * A project root whose dev stack reaches a cluster by an encrypted kubeconfig and signs with an existing
 * root whose key is encrypted: values only the stack's key decrypts, which this machine has not.
 */
function secureRoot(): string {
  const root = join(scratch, "secure");
  mkdirSync(join(root, "stacks"), { recursive: true });
  cpSync(join(PROJECT_ROOT, "stacks", "dev"), join(root, "stacks", "dev"), { recursive: true });
  const rootCert = selfSignedCa();
  const extra = [
    "    - name: onprem",
    "      provider: other",
    "      region: us-east",
    "      zones: []",
    "      network: onprem",
    "      labels: { region: onprem }",
    "      access: { kind: kubeconfig }",
    "      gateway: { publicHostname: gw.onprem.example.com }",
    "  fleetgate:kubeconfigs:",
    "    onprem: { secure: v1:c2VjcmV0LWt1YmVjb25maWc= }",
    "  fleetgate:trust:",
    "    root: { source: existing }",
    "  fleetgate:rootCaCert: |",
    ...rootCert
      .trim()
      .split("\n")
      .map((line) => `    ${line}`),
    "  fleetgate:rootCaKey: { secure: v1:c2VjcmV0LWtleQ== }",
  ].join("\n");
  const stack = readFileSync(join(PROJECT_ROOT, "stacks", "Pulumi.dev.yaml"), "utf8").replace("  fleetgate:dns:", `${extra}\n  fleetgate:dns:`);
  writeFileSync(join(root, "stacks", "Pulumi.dev.yaml"), stack);
  return root;
}

describe("npm run plan", () => {
  it("plans a stack whose kubeconfig and root CA key are encrypted, with stand-ins it names", async () => {
    const result = await plan(["--stack", "dev", "--root", secureRoot(), "--preview"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Encrypted values planned with stand-ins");
    expect(result.stdout).toContain("fleetgate:kubeconfigs.onprem: a kubeconfig naming https://onprem.kubeconfig.offline.invalid");
    expect(result.stdout).toContain("fleetgate:rootCaKey: a generated RSA key");
    expect(result.stdout).toContain("tls:index/locallySignedCert:LocallySignedCert  dev-gke-us-intermediate-ca");
  });

  it("plans the dev example: prints the tree and counts and writes stable JSON", async () => {
    const out = join(scratch, "dev.json");
    const first = await plan(["--stack", "dev", "--json", out]);
    expect(first.code, first.stderr).toBe(0);
    // stderr is a pipe here, not a terminal: no progress line, only the spec's one warning.
    expect(first.stderr).not.toMatch(/\r|\x1b|registering|validating/);
    expect(first.stdout).toContain("fleetgate:index:FleetIngress  dev");
    expect(first.stdout).toMatch(/Resources by type:[\s\S]*\d+  total/);
    // The simulated first pulumi up, in one line, said to hold against the simulated actors only.
    expect(first.stdout).toMatch(
      /Simulated a first pulumi up \(against Fleetgate's models of the clouds and controllers\): \d+m \d\ds, \d+ created; critical path \d+ steps, longest: /,
    );
    const json = readFileSync(out, "utf8");
    // A preview alone registers the very same plan.
    const again = await plan(["--stack", "dev", "--json", out, "--preview"]);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain("Simulated");
    expect(readFileSync(out, "utf8")).toBe(json);
    expect(JSON.parse(json)).toMatchObject({ project: "fleetgate", stack: "dev" });
  });

  it("exits 1 on a broken spec and prints every error with file:line:column", async () => {
    const result = await plan(["--stack", "broken", "--root", brokenRoot()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^stacks\/Pulumi\.broken\.yaml:\d+:\d+: fleetgate:clusters\[1\]\.region: "europe-wst1" is not a GCP region; did you mean "europe-west1"\?/m,
    );
    expect(result.stderr).toMatch(
      /^stacks\/broken\/shop\/shop\.yaml:\d+:\d+: spec\.template\.spec\.rules\[0\]\.host: "Shop\.dev\.example\.com" has upper-case letters/m,
    );
    expect(result.stderr).toContain("nothing would be deployed");
  });

  it("exits 1 for a stack that does not exist", async () => {
    const result = await plan(["--stack", "nowhere"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("there is no stack file");
  });
});

describe("the program under the offline engine", () => {
  it("stops on an invalid spec before registering anything but the stack", async () => {
    const root = brokenRoot();
    const run = await runProgram("broken", { root });
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain("nothing was deployed");
    expect(run.stderr).toMatch(
      /stacks\/broken\/shop\/shop\.yaml:\d+:\d+: spec\.template\.spec\.rules\[0\]\.host: "Shop\.dev\.example\.com" has upper-case letters/,
    );
    expect(run.stderr).toMatch(/stacks\/Pulumi\.broken\.yaml:\d+:\d+: fleetgate:clusters\[1\]\.region/);
    expect(run.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  });

  it("tells a watcher how many registrations were answered of those asked for, and keeps those counts out of the program's stderr", async () => {
    const counts: [number, number][] = [];
    const run = await runProgramOffline({ stack: "dev", onProgress: (registered, asked) => counts.push([registered, asked]) });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every(([registered, asked]) => registered <= asked)).toBe(true);
    expect(counts.at(-1)).toEqual([run.resources.length, run.resources.length]);
    expect(run.stderr).not.toMatch(/fleetgate-progress/);
    expect(run.stderr).toContain("warning: [runtime]");
  });

  it("loads with the language host's type checking on, as `pulumi up` does by default", async () => {
    const previous = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    process.env.PULUMI_NODEJS_TRANSPILE_ONLY = "false";
    try {
      const run = await runProgram("dev");
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stackOutputs.hosts).toEqual(["catalog.dev.example.com", "shop.dev.example.com"]);
    } finally {
      if (previous === undefined) delete process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
      else process.env.PULUMI_NODEJS_TRANSPILE_ONLY = previous;
    }
  });
});
