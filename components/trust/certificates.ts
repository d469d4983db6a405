/**
 * What the trust checks read from a certificate: its SHA-256 fingerprint (a root's identity in the
 * rotation record), its subject and when it expires. Certificates are public: none of this is secret.
 */
import { X509Certificate } from "node:crypto";

export interface CertificateFacts {
  /** SHA-256 over the DER certificate, as colon-separated upper-case hex (`AB:CD:…`). */
  readonly fingerprint: string;
  readonly subject: string;
  readonly notAfter: Date;
  /** Whether its basic constraints make it a CA. */
  readonly isCa: boolean;
}

/** The facts of the first certificate in a PEM text, or undefined when there is none node:crypto can read. */
export function readCertificate(pem: string): CertificateFacts | undefined {
  try {
    const cert = new X509Certificate(pem);
    const notAfter = new Date(cert.validTo);
    if (Number.isNaN(notAfter.getTime())) return undefined;
    return { fingerprint: cert.fingerprint256, subject: cert.subject.replace(/\n/g, ", "), notAfter, isCa: cert.ca };
  } catch {
    return undefined;
  }
}

/** A fingerprint short enough for a sentence and long enough to tell roots apart: its first eight bytes. */
export function shortFingerprint(fingerprint: string): string {
  const bytes = fingerprint.split(":");
  return bytes.length > 8 ? `${bytes.slice(0, 8).join(":")}…` : fingerprint;
}

/** A date as an admin reads it in a message: `2027-03-01`. */
export function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
