/**
 * Fake outputs for the @pulumi/tls resources Fleetgate creates (see offline/fakes/index.ts), with real
 * PEMs so that tests can verify the CA chain with node:crypto: keys, a self-signed root, certificate
 * requests, and certificates signed with the CA key the program passes in.
 *
 * Everything is deterministic, so that two offline plans of the same stack are the same text: keys come
 * from a pool of keys seeded from fixed names, serial numbers from the resource's name, and validity
 * starts at a fixed instant. Seeded RSA generation runs in pure JavaScript (about a second per 2048-bit
 * key), so generated keys are kept in memory and in the system's temporary directory.
 * Known limits: keys are always RSA (node-forge has no ECDSA), at most 2048 bits; `algorithm` and
 * `ecdsaCurve` outputs echo the inputs.
 */
import { createHash, sign } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import forge from "node-forge";
import { fakeOutputsFor } from "./index";

type Inputs = Record<string, unknown>;

/** Mock inputs keep secrets wrapped; the fakes need the values. */
export function revealSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[rpc.specialSigKey] === rpc.specialSecretSig) return revealSecrets(record.value);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, revealSecrets(v)]));
}

/** Registers a faker that sees secret inputs as plain values. */
function fake(type: string, faker: (name: string, inputs: Inputs) => Inputs): void {
  fakeOutputsFor(type, (name, inputs) => faker(name, revealSecrets(inputs) as Inputs));
}

/** Certificates the fakes issue are valid from this instant, so their PEMs do not change between runs. */
export const FAKE_VALIDITY_START = new Date("2025-01-01T00:00:00Z");

const keyCache = new Map<string, string>();
const cacheDir = join(tmpdir(), "fleetgate-fake-keys");

/** A private key PEM (PKCS#1, as the tls provider writes RSA keys) derived from `seed`. */
export function seededRsaKeyPem(seed: string, bits: number): string {
  const id = createHash("sha256").update(`${bits}:${seed}`).digest("hex").slice(0, 32);
  const cached = keyCache.get(id);
  if (cached) return cached;
  const file = join(cacheDir, `${id}.pem`);
  try {
    const pem = readFileSync(file, "utf8");
    keyCache.set(id, pem);
    return pem;
  } catch {
    // not cached yet
  }
  let counter = 0;
  const prng = {
    getBytesSync(count: number): string {
      let out = "";
      while (out.length < count) out += createHash("sha256").update(`${seed}:${counter++}`).digest("binary");
      return out.slice(0, count);
    },
  };
  const pair = forge.pki.rsa.generateKeyPair({ bits, e: 0x10001, prng, workers: -1 } as forge.pki.rsa.GenerateKeyPairOptions);
  const pem = forge.pki.privateKeyToPem(pair.privateKey);
  keyCache.set(id, pem);
  try {
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, pem);
    renameSync(partial, file);
  } catch {
    // a cache that cannot be written only costs time
  }
  return pem;
}

const publicKeys = new Map<string, forge.pki.rsa.PublicKey>();

function publicKeyOf(privateKeyPem: string): forge.pki.rsa.PublicKey {
  let publicKey = publicKeys.get(privateKeyPem);
  if (!publicKey) {
    const key = forge.pki.privateKeyFromPem(privateKeyPem);
    publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
    publicKeys.set(privateKeyPem, publicKey);
  }
  return publicKey;
}

/** Parts of node-forge that its typings leave out. */
const pkiInternals = forge.pki as unknown as {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
  getCertificationRequestInfo(csr: CertificationRequest): forge.asn1.Asn1;
};
type CertificationRequest = ReturnType<typeof forge.pki.createCertificationRequest>;

/** RSA-SHA256 over DER bytes with Node's native crypto: a signature in JavaScript takes tens of milliseconds. */
function signDer(der: forge.util.ByteStringBuffer, privateKeyPem: string): string {
  return sign("sha256", Buffer.from(der.getBytes(), "binary"), privateKeyPem).toString("binary");
}

/** Signs a certificate as forge's cert.sign would, with the signature computed natively. */
function signCertificate(cert: forge.pki.Certificate, privateKeyPem: string): void {
  const oid = forge.pki.oids.sha256WithRSAEncryption!;
  cert.signatureOid = oid;
  cert.siginfo.algorithmOid = oid;
  const tbs = pkiInternals.getTBSCertificate(cert);
  (cert as unknown as { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate = tbs;
  cert.signature = signDer(forge.asn1.toDer(tbs), privateKeyPem);
}

/** Signs a certification request as forge's csr.sign would, with the signature computed natively. */
function signRequest(csr: CertificationRequest, privateKeyPem: string): void {
  const oid = forge.pki.oids.sha256WithRSAEncryption!;
  const request = csr as unknown as { signatureOid: string; siginfo: { algorithmOid: string }; certificationRequestInfo: forge.asn1.Asn1; signature: string };
  request.signatureOid = oid;
  request.siginfo.algorithmOid = oid;
  const info = pkiInternals.getCertificationRequestInfo(csr);
  request.certificationRequestInfo = info;
  request.signature = signDer(forge.asn1.toDer(info), privateKeyPem);
}

function subjectAttributes(subject: unknown): forge.pki.CertificateField[] {
  const s = (subject ?? {}) as Record<string, unknown>;
  const attrs: forge.pki.CertificateField[] = [];
  if (typeof s.commonName === "string") attrs.push({ name: "commonName", value: s.commonName });
  if (typeof s.organization === "string") attrs.push({ name: "organizationName", value: s.organization });
  if (typeof s.organizationalUnit === "string") attrs.push({ shortName: "OU", value: s.organizationalUnit });
  if (typeof s.country === "string") attrs.push({ name: "countryName", value: s.country });
  return attrs;
}

const KEY_USAGE: Record<string, string> = {
  digital_signature: "digitalSignature",
  content_commitment: "nonRepudiation",
  key_encipherment: "keyEncipherment",
  data_encipherment: "dataEncipherment",
  key_agreement: "keyAgreement",
  cert_signing: "keyCertSign",
  crl_signing: "cRLSign",
  encipher_only: "encipherOnly",
  decipher_only: "decipherOnly",
};
const EXT_KEY_USAGE: Record<string, string> = {
  server_auth: "serverAuth",
  client_auth: "clientAuth",
  code_signing: "codeSigning",
  email_protection: "emailProtection",
  timestamping: "timeStamping",
};

/** Builds and signs a certificate the way the tls provider does from the same inputs. */
function issue(
  name: string,
  inputs: Inputs,
  subjectKey: forge.pki.rsa.PublicKey,
  subject: forge.pki.CertificateField[],
  issuer: forge.pki.CertificateField[],
  signingKeyPem: string,
  authorityKeyId?: string,
): Inputs {
  const cert = forge.pki.createCertificate();
  cert.publicKey = subjectKey;
  // A positive serial derived from the name.
  cert.serialNumber = `01${createHash("sha256").update(name).digest("hex").slice(0, 30)}`;
  const hours = Number(inputs.validityPeriodHours ?? 24);
  cert.validity.notBefore = FAKE_VALIDITY_START;
  cert.validity.notAfter = new Date(FAKE_VALIDITY_START.getTime() + hours * 3600_000);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  const uses = ((inputs.allowedUses as string[] | undefined) ?? []).filter((u) => typeof u === "string");
  const isCa = inputs.isCaCertificate === true;
  const extensions: Record<string, unknown>[] = [];
  if (isCa) {
    const pathLen = inputs.maxPathLength;
    extensions.push({
      name: "basicConstraints",
      cA: true,
      critical: true,
      ...(typeof pathLen === "number" && pathLen >= 0 ? { pathLenConstraint: pathLen } : {}),
    });
  }
  const keyUsage = uses.filter((u) => KEY_USAGE[u]).map((u) => [KEY_USAGE[u]!, true]);
  if (keyUsage.length) extensions.push({ name: "keyUsage", critical: true, ...Object.fromEntries(keyUsage) });
  const extKeyUsage = uses.filter((u) => EXT_KEY_USAGE[u]).map((u) => [EXT_KEY_USAGE[u]!, true]);
  if (extKeyUsage.length) extensions.push({ name: "extKeyUsage", ...Object.fromEntries(extKeyUsage) });
  if (isCa || inputs.setSubjectKeyId === true) extensions.push({ name: "subjectKeyIdentifier" });
  if (authorityKeyId) extensions.push({ name: "authorityKeyIdentifier", keyIdentifier: forge.util.hexToBytes(authorityKeyId) });
  cert.setExtensions(extensions);
  signCertificate(cert, signingKeyPem);
  return {
    certPem: forge.pki.certificateToPem(cert),
    validityStartTime: cert.validity.notBefore.toISOString(),
    validityEndTime: cert.validity.notAfter.toISOString(),
    readyForRenewal: false,
    keyAlgorithm: "RSA",
    maxPathLength: inputs.maxPathLength ?? -1,
  };
}

function subjectKeyId(key: forge.pki.rsa.PublicKey): string {
  return forge.pki.getPublicKeyFingerprint(key, { type: "RSAPublicKey", encoding: "hex" }) as string;
}

/**
 * Keys come from a fixed pool of seeded keys, chosen by the resource's name: a fleet of fifty clusters
 * would otherwise spend most of an offline run generating keys in JavaScript, which is the fakes' cost,
 * not Fleetgate's. Two resources may share a pool key; certificates still name their own subject and
 * issuer, so a chain signed by the wrong CA still fails to verify by name.
 */
export const KEY_POOL_SIZE = 32;

export function poolSeed(name: string): string {
  return `pool-${parseInt(createHash("sha256").update(name).digest("hex").slice(0, 8), 16) % KEY_POOL_SIZE}`;
}

fake("tls:index/privateKey:PrivateKey", (name, inputs) => {
  const bits = Math.min(Number(inputs.rsaBits ?? 2048), 2048);
  const pem = seededRsaKeyPem(poolSeed(name), bits);
  const key = forge.pki.privateKeyFromPem(pem);
  const publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  return {
    algorithm: inputs.algorithm ?? "RSA",
    ecdsaCurve: inputs.ecdsaCurve ?? "P224",
    rsaBits: inputs.rsaBits ?? 2048,
    privateKeyPem: pem,
    privateKeyPemPkcs8: forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key))),
    publicKeyPem: forge.pki.publicKeyToPem(publicKey),
    publicKeyFingerprintSha256: `SHA256:${forge.util.encode64(
      forge.md.sha256
        .create()
        .update(forge.asn1.toDer(forge.pki.publicKeyToAsn1(publicKey)).getBytes())
        .digest()
        .getBytes(),
    )}`,
  };
});

fake("tls:index/selfSignedCert:SelfSignedCert", (name, inputs) => {
  const keyPem = String(inputs.privateKeyPem ?? "");
  const publicKey = publicKeyOf(keyPem);
  const subject = subjectAttributes(inputs.subject);
  return issue(name, inputs, publicKey, subject, subject, keyPem, subjectKeyId(publicKey));
});

fake("tls:index/certRequest:CertRequest", (_name, inputs) => {
  const keyPem = String(inputs.privateKeyPem ?? "");
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = publicKeyOf(keyPem);
  csr.setSubject(subjectAttributes(inputs.subject));
  signRequest(csr, keyPem);
  return { certRequestPem: forge.pki.certificationRequestToPem(csr), keyAlgorithm: "RSA" };
});

fake("tls:index/locallySignedCert:LocallySignedCert", (name, inputs) => {
  const csr = forge.pki.certificationRequestFromPem(String(inputs.certRequestPem ?? ""));
  const ca = forge.pki.certificateFromPem(String(inputs.caCertPem ?? ""));
  const publicKey = csr.publicKey as forge.pki.rsa.PublicKey;
  return {
    ...issue(
      name,
      inputs,
      publicKey,
      csr.subject.attributes,
      ca.subject.attributes,
      String(inputs.caPrivateKeyPem ?? ""),
      subjectKeyId(ca.publicKey as forge.pki.rsa.PublicKey),
    ),
    caKeyAlgorithm: "RSA",
  };
});
