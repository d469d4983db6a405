/**
 * The resource types the rules look at, and small readers shared by them. Rules read plain properties
 * (the inputs a preview knows); a value unknown during preview is skipped, never guessed.
 */
import { UnknownValueError } from "@pulumi/policy";

/** What `readKnown` gives for a value a preview does not know yet. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");

/**
 * Reads a property, or UNKNOWN where the preview does not know it yet. The policy runtime throws on an
 * unknown value and then skips the whole rule as advisory; reading through this keeps the rest of the
 * rule at work, with the unknown value left alone.
 */
export function readKnown<T>(read: () => T): T | typeof UNKNOWN {
  try {
    return read();
  } catch (error) {
    if (error instanceof UnknownValueError) return UNKNOWN;
    throw error;
  }
}
export const TYPES = {
  sslPolicy: "gcp:compute/sSLPolicy:SSLPolicy",
  httpsProxy: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
  httpProxy: "gcp:compute/targetHttpProxy:TargetHttpProxy",
  urlMap: "gcp:compute/uRLMap:URLMap",
  globalAddress: "gcp:compute/globalAddress:GlobalAddress",
  backendService: "gcp:compute/backendService:BackendService",
  certificate: "gcp:certificatemanager/certificate:Certificate",
  dnsAuthorization: "gcp:certificatemanager/dnsAuthorization:DnsAuthorization",
  certificateMapEntry: "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry",
  recordSet: "gcp:dns/recordSet:RecordSet",
  accelerator: "aws:globalaccelerator/accelerator:Accelerator",
  endpointGroup: "aws:globalaccelerator/endpointGroup:EndpointGroup",
  acmCertificate: "aws:acm/certificate:Certificate",
  route53Record: "aws:route53/record:Record",
  awsListener: "aws:lb/listener:Listener",
  rootCertificate: "tls:index/selfSignedCert:SelfSignedCert",
  privateKey: "tls:index/privateKey:PrivateKey",
  kubernetesProvider: "pulumi:providers:kubernetes",
  kubernetesSecret: "kubernetes:core/v1:Secret",
} as const;

/** The stack (environment) a resource belongs to, from its URN `urn:pulumi:<stack>::<project>::...`. */
export function stackOf(urn: string): string {
  return urn.split("::")[0]?.split(":")[2] ?? "";
}

/** Whether `host` is covered by a certificate name (exact, or a one-label wildcard). */
export function nameCovers(name: string, host: string): boolean {
  if (name === host) return true;
  if (!name.startsWith("*.") || host.startsWith("*.")) return false;
  const dot = host.indexOf(".");
  return dot > 0 && host.slice(dot + 1) === name.slice(2);
}

export function asArray<T = unknown>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}
