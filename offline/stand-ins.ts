/**
 * Stand-ins for the secrets an offline plan cannot decrypt. The stack's encryption key is not here, so
 * an encrypted kubeconfig or root CA key reaches the program as a placeholder, which is neither YAML nor
 * PEM. The offline engine hands the program well-formed values in their place, and `npm run plan` says
 * which values it stood in for. Each stand-in derives from its ciphertext: two plans of the same stack
 * agree, and a secret set again shows as changed in a plan diff. A real preview or update reads the real
 * values, and the validator checks them there.
 */
import { createHash } from "node:crypto";
import type { PathSegment } from "../spec/diagnostics";

// The fakes (node-forge, the Pulumi SDK's wire format) are loaded only for a stack with an encrypted root
// CA: the plan command reads every stack file through here, and most have none.
const fakes = () => require("./fakes/all") as typeof import("./fakes/all");
const tlsFakes = () => require("./fakes/tls") as typeof import("./fakes/tls");

export interface StandIn {
  /** `fleetgate:kubeconfigs.onprem` */
  readonly path: string;
  /** What stands in, in a few words. */
  readonly description: string;
  readonly value: string;
}

/** The host a stand-in kubeconfig names: `.invalid` is reserved, so nothing can ever answer there. */
export function standInServer(cluster: string): string {
  return `https://${cluster}.kubeconfig.offline.invalid`;
}

/** A well-formed value for an encrypted config value Fleetgate reads, by its path; undefined for others. */
export function offlineStandIn(path: readonly PathSegment[], ciphertext: string): StandIn | undefined {
  const [key, ...rest] = path.map(String);
  const dotted = [key, ...rest].join(".");
  const version = createHash("sha256").update(ciphertext).digest("hex").slice(0, 8);
  if (key === "fleetgate:kubeconfigs" && rest.length === 1) {
    const cluster = rest[0]!;
    return { path: dotted, description: `a kubeconfig naming ${standInServer(cluster)}`, value: standInKubeconfig(cluster, version) };
  }
  if (key === "fleetgate:rootCaKey" && rest.length === 0) return { path: dotted, description: "a generated RSA key", value: standInRootKey(version) };
  if (key === "fleetgate:rootCaCert" && rest.length === 0)
    return { path: dotted, description: "a self-signed CA certificate of a generated key", value: standInRootCert(version) };
  return undefined;
}

function standInKubeconfig(cluster: string, version: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${cluster}`,
    `  cluster: { server: "${standInServer(cluster)}" }`,
    "contexts:",
    `- name: ${cluster}`,
    `  context: { cluster: ${cluster}, user: offline }`,
    `current-context: ${cluster}`,
    "users:",
    "- name: offline",
    `  user: { token: offline-stand-in-${version} }`,
    "",
  ].join("\n");
}

function standInRootKey(version: string): string {
  return tlsFakes().seededRsaKeyPem(`offline stand-in fleetgate:rootCaKey ${version}`, 2048);
}

function standInRootCert(version: string): string {
  const outputs = fakes().fakeOutputs("tls:index/selfSignedCert:SelfSignedCert", `offline-stand-in-root-ca-${version}`, {
    privateKeyPem: standInRootKey(version),
    subject: { commonName: "Fleetgate offline stand-in root CA", organization: "Fleetgate" },
    validityPeriodHours: 20 * 365 * 24,
    isCaCertificate: true,
    allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
    setSubjectKeyId: true,
  });
  return String(outputs.certPem);
}
