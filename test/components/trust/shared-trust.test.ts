import { createPrivateKey, X509Certificate } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import forge from "node-forge";
import { describe, expect, it } from "vitest";
import { SharedTrust } from "../../../components/trust/shared-trust";
import { CACERTS_FILES, type CacertsFile, splitPems } from "../../../components/trust/trust-plan";
import { fakeOutputs } from "../../../offline/fakes/all";
import type { TrustRecord } from "../../../components/trust/trust-record";
import type { TrustPlan } from "../../../spec/plan";
import { examplePlan } from "../../examples";
import { runComponent } from "../../harness";

const valueOf = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply((v) => (resolve(v), v)));

async function filesOf(trust: SharedTrust, cluster: string): Promise<Record<CacertsFile, string>> {
  const outputs = trust.cacerts(cluster);
  return Object.fromEntries(await Promise.all(CACERTS_FILES.map(async (f) => [f, await valueOf(outputs[f])]))) as Record<CacertsFile, string>;
}

const pathLength = (pem: string) =>
  (forge.pki.certificateFromPem(pem).getExtension("basicConstraints") as { pathLenConstraint?: number } | null)?.pathLenConstraint;

describe("SharedTrust", () => {
  const trustPlan = examplePlan("prod").trust;

  it("generates one protected root and, per cluster, an intermediate signed by it for cert signing", async () => {
    let trust!: SharedTrust;
    const graph = await runComponent(() => {
      trust = new SharedTrust("prod", { environment: "prod", trust: trustPlan });
    });
    const rootKey = graph.one("tls:index/privateKey:PrivateKey", "prod-root-ca");
    const root = graph.one("tls:index/selfSignedCert:SelfSignedCert", "prod-root-ca");
    expect(rootKey.protect && root.protect).toBe(true);
    expect(rootKey.additionalSecretOutputs).toContain("privateKeyPem");
    expect(root.inputs).toMatchObject({
      isCaCertificate: true,
      maxPathLength: 1,
      validityPeriodHours: trustPlan.root.source === "generate" ? trustPlan.root.validityHours : 0,
    });
    expect(root.secretPaths).toContain("privateKeyPem");

    for (const plan of trustPlan.intermediates) {
      const name = `prod-${plan.cluster}-intermediate-ca`;
      const cert = graph.one("tls:index/locallySignedCert:LocallySignedCert", name);
      expect(graph.parentOf(cert)?.type).toBe("fleetgate:trust:IntermediateCa");
      expect(cert.inputs).toMatchObject({
        isCaCertificate: true,
        maxPathLength: plan.pathLength,
        validityPeriodHours: plan.validityHours,
        earlyRenewalHours: 720,
        allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
      });
      expect(cert.secretPaths).toContain("caPrivateKeyPem");
      expect(graph.one("tls:index/privateKey:PrivateKey", name).protect).toBe(false);

      const files = await filesOf(trust, plan.cluster);
      for (const f of CACERTS_FILES) expect(await pulumi.isSecret(trust.cacerts(plan.cluster)[f]), f).toBe(true);
      const intermediate = new X509Certificate(files["ca-cert.pem"]);
      const [chainFirst, chainRoot, ...rest] = splitPems(files["cert-chain.pem"]).map((p) => new X509Certificate(p));
      const rootCert = new X509Certificate(splitPems(files["root-cert.pem"])[0]!);
      expect(rest).toEqual([]);
      expect(chainFirst!.fingerprint256).toBe(intermediate.fingerprint256);
      expect(chainRoot!.fingerprint256).toBe(rootCert.fingerprint256);
      expect(rootCert.verify(rootCert.publicKey)).toBe(true);
      expect(intermediate.checkIssued(rootCert)).toBe(true);
      expect(intermediate.verify(rootCert.publicKey)).toBe(true);
      expect(intermediate.ca).toBe(true);
      expect(intermediate.subject).toContain(`CN=${plan.commonName}`);
      expect(intermediate.checkPrivateKey(createPrivateKey(files["ca-key.pem"]))).toBe(true);
      expect(pathLength(files["ca-cert.pem"])).toBe(plan.pathLength);
      expect(pathLength(splitPems(files["root-cert.pem"])[0]!)).toBe(1);
    }
  });

  it("trusts additional roots beside its own, for a rotation, without changing the chain", async () => {
    const other = (await runComponentRoot()).rootPem;
    let trust!: SharedTrust;
    await runComponent(() => {
      trust = new SharedTrust("prod", { environment: "prod", trust: { ...trustPlan, additionalTrustedRoots: [other] } });
    });
    const files = await filesOf(trust, "gke-us");
    expect(splitPems(files["root-cert.pem"]).map((p) => new X509Certificate(p).subject)).toEqual([
      expect.stringContaining("Fleetgate prod Root CA"),
      expect.stringContaining("Other Root"),
    ]);
    expect(splitPems(files["cert-chain.pem"])).toHaveLength(2);
  });

  it("signs intermediates with an existing root from secret configuration, and creates no root of its own", async () => {
    const { rootPem, keyPem } = await runComponentRoot();
    const existing: TrustPlan = { ...trustPlan, root: { source: "existing", certConfigKey: "fleetgate:rootCaCert", keyConfigKey: "fleetgate:rootCaKey" } };
    let trust!: SharedTrust;
    const graph = await runComponent(() => {
      trust = new SharedTrust("prod", { environment: "prod", trust: existing, existingRoot: { certPem: rootPem, keyPem: pulumi.secret(keyPem) } });
    });
    expect(graph.ofType("tls:index/selfSignedCert:SelfSignedCert")).toEqual([]);
    expect(graph.find("tls:index/privateKey:PrivateKey", "prod-root-ca")).toBeUndefined();
    const files = await filesOf(trust, "gke-eu");
    expect(new X509Certificate(files["ca-cert.pem"]).checkIssued(new X509Certificate(rootPem))).toBe(true);
    expect(graph.one("tls:index/locallySignedCert:LocallySignedCert", "prod-gke-eu-intermediate-ca").secretPaths).toContain("caPrivateKeyPem");
  });

  const generated = trustPlan.root.source === "generate" ? trustPlan.root : undefined;
  const withGenerations = (generation: number, additionalTrustedGenerations: number[]): TrustPlan => ({
    ...trustPlan,
    root: { ...generated!, generation, additionalTrustedGenerations },
  });
  const rootOf = (pem: string) => new X509Certificate(pem);

  it("makes the next generation beside the current one, protected and fixed once made, and every cluster trusts both while the current signs", async () => {
    let trust!: SharedTrust;
    const graph = await runComponent(() => {
      trust = new SharedTrust("prod", { environment: "prod", trust: withGenerations(1, [2]) });
    });
    for (const name of ["prod-root-ca", "prod-root-ca-g2"]) {
      const key = graph.one("tls:index/privateKey:PrivateKey", name);
      const cert = graph.one("tls:index/selfSignedCert:SelfSignedCert", name);
      expect(key.protect && cert.protect, name).toBe(true);
      expect(key.ignoreChanges).toEqual(["algorithm", "rsaBits", "ecdsaCurve"]);
      expect(cert.ignoreChanges).toEqual(expect.arrayContaining(["subject", "validityPeriodHours", "maxPathLength"]));
    }
    expect(graph.one("tls:index/selfSignedCert:SelfSignedCert", "prod-root-ca-g2").inputs).toMatchObject({
      subject: { commonName: "Fleetgate prod Root CA G2", organization: "Acme" },
    });
    const files = await filesOf(trust, "gke-us");
    const [current, next, ...rest] = splitPems(files["root-cert.pem"]).map(rootOf);
    expect(rest).toEqual([]);
    expect([current!.subject, next!.subject]).toEqual([
      expect.stringContaining("CN=Fleetgate prod Root CA\n"),
      expect.stringContaining("CN=Fleetgate prod Root CA G2"),
    ]);
    expect(new X509Certificate(files["ca-cert.pem"]).checkIssued(current!)).toBe(true);
  });

  it("lets the next generation sign with the old one still trusted", async () => {
    let trust!: SharedTrust;
    await runComponent(() => {
      trust = new SharedTrust("prod", { environment: "prod", trust: withGenerations(2, [1]) });
    });
    const files = await filesOf(trust, "gke-eu");
    const [signing, old] = splitPems(files["root-cert.pem"]).map(rootOf);
    expect(signing!.subject).toContain("CN=Fleetgate prod Root CA G2");
    expect(old!.subject).toContain("CN=Fleetgate prod Root CA\n");
    const intermediate = new X509Certificate(files["ca-cert.pem"]);
    expect(intermediate.checkIssued(signing!) && intermediate.verify(signing!.publicKey)).toBe(true);
    expect(splitPems(files["cert-chain.pem"]).map((p) => rootOf(p).fingerprint256)).toEqual([intermediate.fingerprint256, signing!.fingerprint256]);
  });

  it("issues each intermediate with the plan's validity, capped or not, and renews it a quarter of that before it ends", async () => {
    const capped: TrustPlan = {
      ...trustPlan,
      intermediates: trustPlan.intermediates.map((i) => (i.cluster === "gke-asia" ? { ...i, validityHours: 100 * 24 } : i)),
    };
    const graph = await runComponent(() => void new SharedTrust("prod", { environment: "prod", trust: capped }));
    expect(graph.one("tls:index/locallySignedCert:LocallySignedCert", "prod-gke-asia-intermediate-ca").inputs).toMatchObject({
      validityPeriodHours: 2400,
      earlyRenewalHours: 600,
    });
    expect(graph.one("tls:index/locallySignedCert:LocallySignedCert", "prod-gke-us-intermediate-ca").inputs).toMatchObject({
      validityPeriodHours: 365 * 24,
      earlyRenewalHours: 720,
    });
  });

  it("records what every cluster trusts, which root signed it and until when its intermediate runs, with nothing secret", async () => {
    let trust!: SharedTrust;
    let record!: pulumi.Output<TrustRecord | undefined>;
    const retired = { "gke-eu": [{ fingerprint: "AB:".repeat(31) + "AB", until: "2026-01-01T00:00:00.000Z" }] };
    await runComponent(() => {
      trust = new SharedTrust("prod", { environment: "prod", trust: { ...withGenerations(2, [1]), retiredSigners: retired } });
      const written = new (class extends pulumi.CustomResource {
        constructor() {
          super("test:index:Written", "written", {});
        }
      })();
      record = trust.record({ "gke-eu": [written], "gke-us": [written], "gke-asia": [written] });
    });
    const value = (await valueOf(record))!;
    expect(await pulumi.isSecret(record)).toBe(false);
    const files = await filesOf(trust, "gke-asia");
    const [signing, old] = splitPems(files["root-cert.pem"]).map(rootOf);
    expect(value.signingRoot).toBe(signing!.fingerprint256);
    expect(Object.entries(value.roots).map(([fingerprint, r]) => [fingerprint, r.generation])).toEqual(
      [
        [signing!.fingerprint256, 2],
        [old!.fingerprint256, 1],
      ].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)),
    );
    expect(value.roots[old!.fingerprint256]!.certificate).toContain("BEGIN CERTIFICATE");
    expect(Object.keys(value.clusters)).toEqual(["gke-asia", "gke-eu", "gke-us"]);
    const asia = value.clusters["gke-asia"]!;
    expect(asia.trusts).toEqual([signing!.fingerprint256, old!.fingerprint256].sort());
    expect(asia.signedBy).toBe(signing!.fingerprint256);
    expect(asia.intermediate).toEqual({
      notAfter: new Date(new X509Certificate(files["ca-cert.pem"]).validTo).toISOString(),
      validityHours: 365 * 24,
      configuredValidityHours: 365 * 24,
    });
    expect(value.clusters["gke-eu"]!.retiredSigners).toEqual(retired["gke-eu"]);
    expect(JSON.stringify(value)).not.toContain("PRIVATE KEY");
  });

  it("refuses an existing root that is not configured, saying which keys to set", async () => {
    const existing: TrustPlan = { ...trustPlan, root: { source: "existing", certConfigKey: "fleetgate:rootCaCert", keyConfigKey: "fleetgate:rootCaKey" } };
    await expect(runComponent(() => void new SharedTrust("prod", { environment: "prod", trust: existing }))).rejects.toThrow(
      /fleetgate:rootCaCert and fleetgate:rootCaKey are not both set/,
    );
  });
});

/** A root made by another SharedTrust run (real PEMs from the fakes), to use as an existing or extra root. */
async function runComponentRoot(): Promise<{ rootPem: string; keyPem: string }> {
  const key = fakeOutputs("tls:index/privateKey:PrivateKey", "other-root", { algorithm: "RSA", rsaBits: 2048 });
  const cert = fakeOutputs("tls:index/selfSignedCert:SelfSignedCert", "other-root", {
    privateKeyPem: key.privateKeyPem,
    subject: { commonName: "Other Root" },
    isCaCertificate: true,
    validityPeriodHours: 1000,
    allowedUses: ["cert_signing"],
  });
  return { rootPem: cert.certPem as string, keyPem: key.privateKeyPem as string };
}
