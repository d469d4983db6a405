/**
 * The Pulumi TLS provider's rules for the keys and certificates of the mesh's root of trust. The provider
 * computes them locally: no cloud and no controller acts, so nothing is waited for; what can go wrong is
 * an input the provider refuses at plan time.
 */
import { asArray, asNumber, type Contract, type RegistrationCheck } from "./contract";

const TLS_REGISTRY = { title: "Pulumi Registry: TLS provider, API docs", url: "https://www.pulumi.com/registry/packages/tls/api-docs/" };

const ALGORITHMS = ["RSA", "ECDSA", "ED25519"] as const;
const CURVES = ["P224", "P256", "P384", "P521"] as const;
/** The key usages and extended key usages a certificate may name (`allowedUses`). */
const USES = [
  "digital_signature",
  "content_commitment",
  "key_encipherment",
  "data_encipherment",
  "key_agreement",
  "cert_signing",
  "crl_signing",
  "encipher_only",
  "decipher_only",
  "any_extended",
  "server_auth",
  "client_auth",
  "code_signing",
  "email_protection",
  "ipsec_end_system",
  "ipsec_tunnel",
  "ipsec_user",
  "timestamping",
  "ocsp_signing",
  "microsoft_server_gated_crypto",
  "netscape_server_gated_crypto",
] as const;

export const tlsKeys: Contract = {
  id: "pulumi-tls.private-keys",
  party: "Pulumi",
  subject: "tls.PrivateKey",
  rule: `algorithm is one of ${ALGORITHMS.join(", ")}; an ECDSA key's ecdsaCurve is one of ${CURVES.join(", ")}; an RSA key's rsaBits is a positive whole number of bits`,
  source: { ...TLS_REGISTRY, section: "PrivateKey: algorithm, ecdsaCurve, rsaBits" },
  checkedIn: {
    engine: "tls.PrivateKey registrations",
    program: "the root and intermediate keys are RSA 4096/2048 or ECDSA P384/P256 (components/trust/trust-plan.ts caKeyArgs)",
  },
};

export const tlsCertificates: Contract = {
  id: "pulumi-tls.certificates",
  party: "Pulumi",
  subject: "tls.SelfSignedCert, tls.LocallySignedCert",
  rule: "validityPeriodHours is a positive number of hours, earlyRenewalHours is not negative, and every allowedUses entry is a key usage the provider knows (digital_signature, cert_signing, crl_signing, server_auth, …)",
  source: { ...TLS_REGISTRY, section: "SelfSignedCert and LocallySignedCert: validityPeriodHours, earlyRenewalHours, allowedUses" },
  checkedIn: { engine: "tls.SelfSignedCert and tls.LocallySignedCert registrations" },
};

const keyCheck: RegistrationCheck = {
  contract: tlsKeys,
  types: ["tls:index/privateKey:PrivateKey"],
  check(inputs) {
    const problems: string[] = [];
    const algorithm = inputs.algorithm;
    if (!ALGORITHMS.includes(algorithm as never)) problems.push(`algorithm ${JSON.stringify(algorithm)}`);
    if (algorithm === "ECDSA" && inputs.ecdsaCurve !== undefined && !CURVES.includes(inputs.ecdsaCurve as never))
      problems.push(`ecdsaCurve ${JSON.stringify(inputs.ecdsaCurve)}`);
    const bits = asNumber(inputs.rsaBits);
    if (algorithm === "RSA" && inputs.rsaBits !== undefined && (bits === undefined || !Number.isInteger(bits) || bits <= 0))
      problems.push(`rsaBits ${JSON.stringify(inputs.rsaBits)}`);
    return problems;
  },
};

const certificateCheck: RegistrationCheck = {
  contract: tlsCertificates,
  types: ["tls:index/selfSignedCert:SelfSignedCert", "tls:index/locallySignedCert:LocallySignedCert"],
  check(inputs) {
    const problems: string[] = [];
    const validity = asNumber(inputs.validityPeriodHours);
    if (validity === undefined || validity <= 0) problems.push(`validityPeriodHours ${JSON.stringify(inputs.validityPeriodHours)}`);
    const renewal = asNumber(inputs.earlyRenewalHours);
    if (inputs.earlyRenewalHours !== undefined && (renewal === undefined || renewal < 0))
      problems.push(`earlyRenewalHours ${JSON.stringify(inputs.earlyRenewalHours)}`);
    for (const use of asArray(inputs.allowedUses)) if (!USES.includes(use as never)) problems.push(`allowedUses entry ${JSON.stringify(use)}`);
    return problems;
  },
};

export const contracts: readonly Contract[] = [tlsKeys, tlsCertificates];
export const registrationChecks: readonly RegistrationCheck[] = [keyCheck, certificateCheck];
