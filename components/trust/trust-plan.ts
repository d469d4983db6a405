/**
 * The shared root of trust as pure decisions: key parameters, certificate uses and path lengths, and
 * the layout of Istio's `cacerts` secret. SharedTrust (shared-trust.ts) only creates what these say.
 *
 * Istio's plug-in CA reads four files from the Secret `cacerts` in `istio-system`:
 * - `ca-cert.pem`: the cluster's intermediate CA certificate, which istiod signs workload certificates with;
 * - `ca-key.pem`: its private key;
 * - `root-cert.pem`: every root the mesh trusts (workloads verify peers against this bundle);
 * - `cert-chain.pem`: the chain from the intermediate up to the root, intermediate first.
 * Every cluster's intermediate is signed by the one root, so workloads of different clusters verify each
 * other. `root-cert.pem` may hold more than one root so that a rotation can trust the old and the new root
 * at once: trust the new root, let it sign the intermediates, then drop the old one (rotation.ts guards
 * the order).
 */
import type { IntermediateCaPlan } from "../../spec/plan";

/** What a CA certificate may do: sign certificates and revocation lists (and its own OCSP answers). */
export const CA_ALLOWED_USES = ["cert_signing", "crl_signing", "digital_signature"] as const;

/** The files of Istio's `cacerts` secret, in the order Istio's documentation lists them. */
export const CACERTS_FILES = ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"] as const;
export type CacertsFile = (typeof CACERTS_FILES)[number];

/** The Secret Istio's plug-in CA reads, and its namespace. */
export const CACERTS_SECRET = "cacerts";
export const ISTIO_SYSTEM = "istio-system";

export type KeyArgs = { readonly algorithm: "RSA"; readonly rsaBits: number } | { readonly algorithm: "ECDSA"; readonly ecdsaCurve: "P256" | "P384" };

/**
 * Key parameters for a CA key. The root is long-lived and signs rarely, so it gets the stronger key; an
 * intermediate signs every workload certificate of its cluster, so it gets the faster one.
 */
export function caKeyArgs(algorithm: "RSA" | "ECDSA", role: "root" | "intermediate"): KeyArgs {
  if (algorithm === "ECDSA") return { algorithm, ecdsaCurve: role === "root" ? "P384" : "P256" };
  return { algorithm, rsaBits: role === "root" ? 4096 : 2048 };
}

/**
 * How long before an intermediate expires it is re-issued: a month, or a quarter of a shorter validity.
 * The TLS provider marks a certificate for renewal only inside this window (0 = once expired), and the
 * next `pulumi up` replaces it; without a window every cluster's CA would lapse before anyone acted.
 */
export function intermediateRenewalHours(validityHours: number): number {
  return Math.min(30 * 24, Math.floor(validityHours / 4));
}

/**
 * Logical names of the trust resources; they derive from the environment, the cluster and a generated
 * root's generation only. The first generation keeps the name generated roots had before generations.
 */
export const trustNames = {
  root: (environment: string, generation = 1) => (generation === 1 ? `${environment}-root-ca` : `${environment}-root-ca-g${generation}`),
  intermediate: (environment: string, cluster: string) => `${environment}-${cluster}-intermediate-ca`,
};

/** The generated roots a plan keeps, sorted: the signing generation and every additionally trusted one. */
export function generatedRootGenerations(root: { readonly generation: number; readonly additionalTrustedGenerations: readonly number[] }): number[] {
  return [...new Set([root.generation, ...root.additionalTrustedGenerations])].sort((a, b) => a - b);
}

/**
 * A generated root's common name: the first generation keeps the configured one, later ones add ` G<n>`,
 * so that two roots trusted side by side during a rotation never share a subject.
 */
export function generatedRootCommonName(commonName: string, generation: number): string {
  return generation === 1 ? commonName : `${commonName} G${generation}`;
}

/**
 * The inputs of a generated root that are fixed once it is made. Changing `fleetgate:trust.root` settings
 * must not replace a made root: its replacement would sign every intermediate with a root no peer trusts
 * yet. The settings apply to the generations made after the change (a rotation makes one).
 */
export const GENERATED_ROOT_FIXED_INPUTS = {
  key: ["algorithm", "rsaBits", "ecdsaCurve"],
  certificate: ["subject", "validityPeriodHours", "maxPathLength", "allowedUses", "isCaCertificate", "setSubjectKeyId"],
} as const;

/** The subject of an intermediate, as @pulumi/tls takes it. */
export function intermediateSubject(plan: IntermediateCaPlan): { commonName: string; organization: string } {
  return { commonName: plan.commonName, organization: plan.organization };
}

/** Concatenates PEM blocks, one per line group, each ending in exactly one newline. */
export function joinPems(pems: readonly string[]): string {
  return pems
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .map((p) => `${p}\n`)
    .join("");
}

/** The PEM certificates in a bundle, in order. */
export function splitPems(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)?.map((p) => `${p}\n`) ?? [];
}

/** The contents of `cacerts` for one cluster. */
export function cacertsFiles(material: {
  readonly intermediateCertPem: string;
  readonly intermediateKeyPem: string;
  readonly rootCertPem: string;
  readonly additionalTrustedRoots: readonly string[];
}): Record<CacertsFile, string> {
  return {
    "ca-cert.pem": joinPems([material.intermediateCertPem]),
    "ca-key.pem": joinPems([material.intermediateKeyPem]),
    "root-cert.pem": joinPems([material.rootCertPem, ...material.additionalTrustedRoots]),
    "cert-chain.pem": joinPems([material.intermediateCertPem, material.rootCertPem]),
  };
}
