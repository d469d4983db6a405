import { describe, expect, it } from "vitest";
import { caKeyArgs, cacertsFiles, CACERTS_FILES, intermediateRenewalHours, joinPems, splitPems } from "../../../components/trust/trust-plan";
import { examplePlan } from "../../examples";

const pem = (label: string) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(label).toString("base64")}\n-----END CERTIFICATE-----`;

describe("the shared root of trust, as data", () => {
  it("lays out cacerts as Istio's plug-in CA reads it: intermediate, its key, the root bundle, the chain up to the root", () => {
    const files = cacertsFiles({
      intermediateCertPem: pem("intermediate"),
      intermediateKeyPem: "-----BEGIN RSA PRIVATE KEY-----\nk\n-----END RSA PRIVATE KEY-----",
      rootCertPem: pem("root"),
      additionalTrustedRoots: [pem("next root")],
    });
    expect(Object.keys(files).sort()).toEqual([...CACERTS_FILES].sort());
    expect(splitPems(files["ca-cert.pem"])).toEqual([`${pem("intermediate")}\n`]);
    expect(splitPems(files["cert-chain.pem"])).toEqual([`${pem("intermediate")}\n`, `${pem("root")}\n`]);
    // Rotation: the bundle holds the current root first and every additional trusted root after it.
    expect(splitPems(files["root-cert.pem"])).toEqual([`${pem("root")}\n`, `${pem("next root")}\n`]);
    expect(files["ca-key.pem"]).toContain("PRIVATE KEY");
  });

  it("joins PEM blocks with exactly one newline each, whatever whitespace they came with", () => {
    expect(joinPems([`${pem("a")}\n\n`, "  ", `\n${pem("b")}`])).toBe(`${pem("a")}\n${pem("b")}\n`);
  });

  it("gives a generated root the configured path length, above every intermediate's, so every intermediate is valid under it", () => {
    const trust = examplePlan("prod").trust;
    expect(trust.root).toMatchObject({ source: "generate", maxPathLength: 1 });
    expect(trust.intermediates.every((i) => i.pathLength === 0)).toBe(true);
  });

  it("re-issues an intermediate a month before it expires, or a quarter of a shorter validity before", () => {
    expect(intermediateRenewalHours(365 * 24)).toBe(720);
    expect(intermediateRenewalHours(30 * 24)).toBe(180);
    expect(intermediateRenewalHours(24)).toBe(6);
  });

  it("gives the root the stronger key and intermediates the faster one", () => {
    expect(caKeyArgs("RSA", "root")).toEqual({ algorithm: "RSA", rsaBits: 4096 });
    expect(caKeyArgs("RSA", "intermediate")).toEqual({ algorithm: "RSA", rsaBits: 2048 });
    expect(caKeyArgs("ECDSA", "root")).toEqual({ algorithm: "ECDSA", ecdsaCurve: "P384" });
    expect(caKeyArgs("ECDSA", "intermediate")).toEqual({ algorithm: "ECDSA", ecdsaCurve: "P256" });
  });
});
