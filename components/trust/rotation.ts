/**
 * The rotation guard, as a pure decision: given what the previous deployment recorded (trust-record.ts)
 * and the roots this deployment would deploy, which steps are taken out of order.
 *
 * A rotation has three steps, each its own deployment:
 * 1. the new root joins every cluster's trust bundle (`root-cert.pem`), the old one still signing;
 * 2. the new root signs the intermediates, the old one still trusted;
 * 3. the old root leaves the bundle, once no workload certificate under it can still be valid.
 * Refused: a root signing that some cluster did not trust in the previous deployment (step 2 before 1);
 * a root leaving the bundle while it signed some cluster's intermediate in the previous deployment
 * (step 3 before 2), or less than a workload certificate's lifetime after it stopped (step 3 too soon).
 * A cluster the previous deployment did not have trusts whatever it is first given; an expired root may
 * leave at any time, as nothing under it is valid any more.
 */
import type { PathSegment } from "../../spec/diagnostics";
import { shortFingerprint } from "./certificates";
import { HOUR_MS } from "./expiry";
import type { TrustRecord } from "./trust-record";

/**
 * How long a workload certificate issued under an old root stays valid after the root stops signing:
 * Istio's default workload certificate lifetime. A mesh that issues longer-lived workload certificates
 * must wait as much longer before the third step.
 */
export const WORKLOAD_CERTIFICATE_HOURS = 24;

/** A root this deployment would sign with or trust. */
export interface PlannedRoot {
  /** Its fingerprint; absent for a generated root this deployment makes. */
  readonly fingerprint?: string;
  /** For a generated root: its generation. */
  readonly generation?: number;
  /** The root as a message names it. */
  readonly name: string;
}

export interface PlannedTrust {
  /** Where the signing root comes from: `fleetgate:trust.root.source`. */
  readonly source: "generate" | "existing";
  readonly signing: PlannedRoot;
  /** The roots trusted besides the signing one. */
  readonly additional: readonly PlannedRoot[];
  /** This deployment's clusters. */
  readonly clusters: readonly string[];
}

export interface RotationFinding {
  /** The setting to change, under `fleetgate:` (`["rootCaCert"]`, `["trust", "root", "generation"]`). */
  readonly path: readonly PathSegment[];
  readonly message: string;
}

export const SIGNING_PATH = { generate: ["trust", "root", "generation"], existing: ["rootCaCert"] } as const;
const GENERATIONS_PATH = ["trust", "root", "additionalTrustedGenerations"] as const;
const ROOTS_PATH = ["trust", "additionalTrustedRoots"] as const;

/** Every step this deployment takes out of order, with the step that comes first. */
export function rotationFindings(previous: TrustRecord, planned: PlannedTrust, now: Date): RotationFinding[] {
  const known = planned.clusters.filter((c) => previous.clusters[c] !== undefined).sort();
  const findings: RotationFinding[] = [];

  // Step 2 before step 1: the signing root must already be in every known cluster's bundle.
  const signing = planned.signing.fingerprint;
  const untrusting = known.filter((c) => signing === undefined || !previous.clusters[c]!.trusts.includes(signing));
  if (untrusting.length > 0) findings.push(signingNotTrusted(previous, planned, untrusting));

  // Step 3 before step 2, or too soon after it: a root leaves the bundle while workloads may hold certificates under it.
  const trustedNow = new Set([planned.signing, ...planned.additional].flatMap((r) => (r.fingerprint !== undefined ? [r.fingerprint] : [])));
  const leaves = (fingerprint: string) => !trustedNow.has(fingerprint) && !expired(previous, fingerprint, now);
  const stillSigning = new Map<string, string[]>();
  const recentlySigning = new Map<string, { clusters: string[]; until: number }>();
  for (const cluster of known) {
    const record = previous.clusters[cluster]!;
    if (leaves(record.signedBy)) stillSigning.set(record.signedBy, [...(stillSigning.get(record.signedBy) ?? []), cluster]);
    for (const retired of record.retiredSigners) {
      const until = Date.parse(retired.until);
      if (!leaves(retired.fingerprint) || now.getTime() >= until + WORKLOAD_CERTIFICATE_HOURS * HOUR_MS) continue;
      const entry = recentlySigning.get(retired.fingerprint) ?? { clusters: [], until };
      recentlySigning.set(retired.fingerprint, { clusters: [...entry.clusters, cluster], until: Math.max(entry.until, until) });
    }
  }
  for (const [fingerprint, clusters] of stillSigning) findings.push(removedWhileSigning(previous, planned, fingerprint, clusters));
  for (const [fingerprint, { clusters, until }] of recentlySigning)
    if (!stillSigning.has(fingerprint)) findings.push(removedTooSoon(previous, planned, fingerprint, clusters, new Date(until)));
  return findings;
}

function expired(previous: TrustRecord, fingerprint: string, now: Date): boolean {
  const root = previous.roots[fingerprint];
  return root !== undefined && Date.parse(root.notAfter) <= now.getTime();
}

/** A root of the previous deployment as a message names it. */
export function previousRootName(previous: TrustRecord, fingerprint: string): string {
  const root = previous.roots[fingerprint];
  if (root?.generation !== undefined) return `generated root ${root.generation} (SHA-256 ${shortFingerprint(fingerprint)})`;
  return root ? `the root "${root.subject}" (SHA-256 ${shortFingerprint(fingerprint)})` : `the root with SHA-256 ${shortFingerprint(fingerprint)}`;
}

function signingNotTrusted(previous: TrustRecord, planned: PlannedTrust, clusters: readonly string[]): RotationFinding {
  const oldSigner = previous.roots[previous.signingRoot];
  const keep =
    oldSigner?.generation !== undefined && planned.source === "generate"
      ? `keeping generation ${oldSigner.generation} as fleetgate:trust.root.generation`
      : `keeping ${previousRootName(previous, previous.signingRoot)} as the signing root`;
  const why = "intermediates it signed would be refused by the workloads that do not trust it yet";
  const { signing } = planned;
  if (planned.source === "generate" && signing.generation !== undefined) {
    const state = signing.fingerprint === undefined ? "does not exist yet" : `was not trusted by ${list(clusters)} in the previous deployment`;
    return {
      path: SIGNING_PATH.generate,
      message:
        `is ${signing.generation}, but generated root ${signing.generation} ${state}: ${why}. ` +
        `First list ${signing.generation} in fleetgate:trust.root.additionalTrustedGenerations, ${keep}, and deploy; ` +
        `then make ${signing.generation} the generation, with the old root still trusted.`,
    };
  }
  return {
    path: SIGNING_PATH.existing,
    message:
      `is ${signing.name}, which ${list(clusters)} did not trust in the previous deployment: ${why}. ` +
      `First add this certificate to fleetgate:trust.additionalTrustedRoots, ${keep}, and deploy; ` +
      `then make it fleetgate:rootCaCert, with the old root in fleetgate:trust.additionalTrustedRoots.`,
  };
}

/** Where an old root is listed to stay trusted, and how. */
function keepListed(previous: TrustRecord, planned: PlannedTrust, fingerprint: string): { path: readonly PathSegment[]; how: string } {
  const root = previous.roots[fingerprint];
  if (root?.generation !== undefined && planned.source === "generate")
    return { path: GENERATIONS_PATH, how: `list ${root.generation} in fleetgate:trust.root.additionalTrustedGenerations` };
  const where = root?.generation !== undefined ? " (the stack output trust.roots holds it)" : "";
  return { path: ROOTS_PATH, how: `keep its certificate${where} in fleetgate:trust.additionalTrustedRoots` };
}

function removedWhileSigning(previous: TrustRecord, planned: PlannedTrust, fingerprint: string, clusters: readonly string[]): RotationFinding {
  const { path, how } = keepListed(previous, planned, fingerprint);
  return {
    path,
    message:
      `leaves out ${previousRootName(previous, fingerprint)}, which signed the intermediates of ${list(clusters)} in the previous deployment: ` +
      `their workloads still present certificates under it, and peers that no longer trust it refuse them. ` +
      `First deploy with the new root signing and this one still trusted (${how}); ` +
      `remove it in a later deployment, ${WORKLOAD_CERTIFICATE_HOURS} hours or more after that one.`,
  };
}

function removedTooSoon(previous: TrustRecord, planned: PlannedTrust, fingerprint: string, clusters: readonly string[], until: Date): RotationFinding {
  const { path, how } = keepListed(previous, planned, fingerprint);
  const after = new Date(until.getTime() + WORKLOAD_CERTIFICATE_HOURS * HOUR_MS);
  return {
    path,
    message:
      `leaves out ${previousRootName(previous, fingerprint)}, which signed the intermediates of ${list(clusters)} until ${until.toISOString()}: ` +
      `workload certificates issued under it stay valid for up to ${WORKLOAD_CERTIFICATE_HOURS} hours (Istio's default lifetime), and peers that no longer trust it would refuse them. ` +
      `Keep it trusted (${how}) and remove it in a deployment after ${after.toISOString()}.`,
  };
}

function list(clusters: readonly string[]): string {
  if (clusters.length === 1) return `cluster ${clusters[0]}`;
  return `clusters ${clusters.slice(0, -1).join(", ")} and ${clusters[clusters.length - 1]}`;
}
