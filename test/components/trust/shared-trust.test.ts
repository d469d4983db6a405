import { createPrivateKey, X509Certificate } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import forge from "node-forge";
import { describe, expect, it } from "vitest";
import { SharedTrust } from "../../../components/trust/shared-trust";
import { CACERTS_FILES, type CacertsFile, splitPems } from "../../../components/trust/trust-plan";
import { fakeOutputs } from "../../../offline/fakes/all";
import type { TrustPlan } from "../../../spec/plan";
import { examplePlan } from "../../examples";
import { runComponent } from "../../harness";

const valueOf = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply((v) => (resolve(v), v)));

async function filesOf(trust: SharedTrust, cluster: string): Promise<Record<CacertsFile, string>> {
  const outputs = trust.cacerts(cluster);
  return Object.fromEntries(await Promise.all(CACERTS_FILES.map(async (f) => [f, await valueOf(outputs[f])]))) as Record<CacertsFile, string>;
}

const pathLength = (pem: string) => (forge.pki.certificateFromPem(pem).getExtension("basicConstraints") as { pathLenConstraint?: number } | null)?.pathLenConstraint;

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
    expect(root.inputs).toMatchObject({ isCaCertificate: true, maxPathLength: 1, validityPeriodHours: trustPlan.root.source === "generate" ? trustPlan.root.validityHours : 0 });
    expect(root.secretPaths).toContain("privateKeyPem");

    for (const plan of trustPlan.intermediates) {
      const name = `prod-${plan.cluster}-intermediate-ca`;
      const cert = graph.one("tls:index/locallySignedCert:LocallySignedCert", name);
      expect(graph.parentOf(cert)?.type).toBe("fleetgate:trust:IntermediateCa");
      expect(cert.inputs).toMatchObject({ isCaCertificate: true, maxPathLength: plan.pathLength, validityPeriodHours: plan.validityHours, earlyRenewalHours: 720, allowedUses: ["cert_signing", "crl_signing", "digital_signature"] });
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
    expect(splitPems(files["root-cert.pem"]).map((p) => new X509Certificate(p).subject)).toEqual([expect.stringContaining("Fleetgate prod Root CA"), expect.stringContaining("Other Root")]);
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

  it("refuses an existing root that is not configured, saying which keys to set", async () => {
    const existing: TrustPlan = { ...trustPlan, root: { source: "existing", certConfigKey: "fleetgate:rootCaCert", keyConfigKey: "fleetgate:rootCaKey" } };
    await expect(runComponent(() => void new SharedTrust("prod", { environment: "prod", trust: existing }))).rejects.toThrow(/fleetgate:rootCaCert and fleetgate:rootCaKey are not both set/);
  });
});

/** A root made by another SharedTrust run (real PEMs from the fakes), to use as an existing or extra root. */
async function runComponentRoot(): Promise<{ rootPem: string; keyPem: string }> {
  const key = fakeOutputs("tls:index/privateKey:PrivateKey", "other-root", { algorithm: "RSA", rsaBits: 2048 });
  const cert = fakeOutputs("tls:index/selfSignedCert:SelfSignedCert", "other-root", { privateKeyPem: key.privateKeyPem, subject: { commonName: "Other Root" }, isCaCertificate: true, validityPeriodHours: 1000, allowedUses: ["cert_signing"] });
  return { rootPem: cert.certPem as string, keyPem: key.privateKeyPem as string };
}
