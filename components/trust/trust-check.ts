/**
 * The trust check before deploying: the roots' certificates, the signing root's expiry, and the rotation
 * guard against the previous deployment's record, reported as located diagnostics at the setting to
 * change; and the trust plan to deploy, with each intermediate's validity capped at its root's expiry.
 * Pure: the program (index.ts) fetches the previous deployment and the time, and reports.
 */
import type { Diagnostic, PathSegment, SourceLocation } from "../../spec/diagnostics";
import { configPath } from "../../spec/environment";
import type { RetiredSigner, TrustPlan } from "../../spec/plan";
import { type CertificateFacts, day, readCertificate, shortFingerprint } from "./certificates";
import { expiryWarningHours, intermediateValidityHours, rootExpiry } from "./expiry";
import { type PlannedRoot, type PlannedTrust, rotationFindings, SIGNING_PATH } from "./rotation";
import type { PreviousDeployment, TrustRecord } from "./trust-record";

export interface TrustCheckInput {
  /** The resolved trust plan. */
  readonly trust: TrustPlan;
  /** `fleetgate:rootCaCert` as configured: the existing root's certificate (PEM, not secret). */
  readonly rootCaCert?: unknown;
  readonly previous: PreviousDeployment;
  readonly now: Date;
  /** Where a `fleetgate:` setting is (`["trust", "root", "generation"]`), for located diagnostics. */
  readonly locate: (path: readonly PathSegment[]) => SourceLocation;
}

export interface TrustCheck {
  /** Errors stop the deployment before anything is created; warnings are shown. */
  readonly diagnostics: readonly Diagnostic[];
  /** The trust plan to deploy: intermediates capped at the root's expiry, retired signers carried. */
  readonly trust: TrustPlan;
  /** When the signing root expires, when that is known before deploying (else the record tells it afterwards). */
  readonly signingRootNotAfter?: Date;
}

/** A root of this deployment, with what is known of it before deploying. */
interface KnownRoot extends PlannedRoot {
  readonly notAfter?: Date;
  /** The setting that lists it. */
  readonly path: readonly PathSegment[];
}

export function checkTrust(input: TrustCheckInput): TrustCheck {
  const { trust, previous, now } = input;
  const record = previous.kind === "recorded" ? previous.record : undefined;
  const emergency = trust.emergencyRotation;
  const diagnostics: Diagnostic[] = [];
  const report = (severity: Diagnostic["severity"], path: readonly PathSegment[], message: string) =>
    diagnostics.push({ ...input.locate(path), severity, path: settingPath(path), message });
  // What the guard and the expiry check refuse, an emergency rotation lets through, loudly.
  const refuse = (path: readonly PathSegment[], message: string) =>
    emergency === undefined
      ? report("error", path, message)
      : report("warning", path, `${message} Deployed anyway, as fleetgate:trust.emergencyRotation is set.`);

  // --- The roots, as far as they can be known before deploying.
  const readPem = (pem: unknown, path: readonly PathSegment[], role: string): CertificateFacts | undefined => {
    const facts = typeof pem === "string" ? readCertificate(pem) : undefined;
    if (!facts) report("error", path, `is not a certificate Fleetgate can read; set it to ${role} as a PEM X.509 certificate.`);
    else if (!facts.isCa)
      report(
        "error",
        path,
        `is the certificate "${facts.subject}", which is not a CA (its basic constraints do not say CA:TRUE), so it cannot be ${role}; use the root CA's certificate.`,
      );
    return facts?.isCa ? facts : undefined;
  };
  const pemRoot = (facts: CertificateFacts, path: readonly PathSegment[]): KnownRoot => ({
    fingerprint: facts.fingerprint,
    notAfter: facts.notAfter,
    name: `the root "${facts.subject}" (SHA-256 ${shortFingerprint(facts.fingerprint)})`,
    path,
  });
  const generatedRoot = (generation: number, path: readonly PathSegment[]): KnownRoot => {
    const made = record && Object.entries(record.roots).find(([, r]) => r.generation === generation);
    return made
      ? {
          fingerprint: made[0],
          generation,
          notAfter: new Date(made[1].notAfter),
          name: `generated root ${generation} (SHA-256 ${shortFingerprint(made[0])})`,
          path,
        }
      : { generation, name: `generated root ${generation}`, path };
  };

  let signing: KnownRoot | undefined;
  const additional: KnownRoot[] = [];
  if (trust.root.source === "existing") {
    const facts = readPem(input.rootCaCert, SIGNING_PATH.existing, "the root CA");
    if (facts) signing = pemRoot(facts, SIGNING_PATH.existing);
  } else {
    signing = generatedRoot(trust.root.generation, SIGNING_PATH.generate);
    trust.root.additionalTrustedGenerations.forEach((g, i) => additional.push(generatedRoot(g, ["trust", "root", "additionalTrustedGenerations", i])));
  }
  trust.additionalTrustedRoots.forEach((pem, i) => {
    const path = ["trust", "additionalTrustedRoots", i];
    const facts = readPem(pem, path, "a trusted root");
    if (facts) additional.push(pemRoot(facts, path));
  });

  // --- Expiry: the signing root's refuses or warns; an expired extra root only wastes space.
  const expiry = signing?.notAfter
    ? signingRootExpiry({ trust, name: signing.name, notAfter: signing.notAfter, rotating: additional.length > 0, now })
    : undefined;
  if (expiry?.severity === "error") refuse(signing!.path, expiry.message);
  else if (expiry) report("warning", signing!.path, expiry.message);
  for (const root of additional)
    if (root.notAfter && root.notAfter.getTime() <= now.getTime())
      report("warning", root.path, `is ${root.name}, which expired on ${day(root.notAfter)} and verifies nothing any more; remove it.`);

  // --- The rotation guard, against the previous deployment.
  if (previous.kind === "none")
    report(
      "warning",
      ["trust"],
      "no previous deployment of this stack recorded which roots its clusters trust (a first deployment, or an offline plan, which has none to read), so the rotation guard had nothing to check this deployment's roots against.",
    );
  else if (previous.kind === "unrecorded")
    report(
      "warning",
      ["trust"],
      "the previous deployment of this stack recorded no trust (it ran a Fleetgate that kept no record), so the rotation guard could not check this deployment's roots; it checks every deployment after this one.",
    );
  else if (previous.kind === "unreadable")
    report(
      "warning",
      ["trust"],
      `the previous deployment's trust record cannot be read (${previous.reason}), so the rotation guard could not check this deployment's roots; this deployment writes a new record.`,
    );
  else if (signing) {
    const planned: PlannedTrust = { source: trust.root.source, signing, additional, clusters: trust.intermediates.map((i) => i.cluster) };
    for (const finding of rotationFindings(previous.record, planned, now)) refuse(finding.path, finding.message);
  }
  if (emergency !== undefined)
    report(
      "warning",
      ["trust", "emergencyRotation"],
      `is set (${JSON.stringify(emergency)}): the rotation guard and the root's expiry check warn instead of refusing, and mTLS between clusters may fail until every workload holds a certificate under the signing root. Remove it once this deployment is done.`,
    );

  return {
    diagnostics,
    trust: deployedTrust(trust, record, signing, additional, now),
    ...(signing?.notAfter ? { signingRootNotAfter: signing.notAfter } : {}),
  };
}

/**
 * What the signing root's expiry calls for: an error once it has expired, a warning from
 * expiryWarningHours before, nothing earlier.
 */
export function signingRootExpiry(args: {
  readonly trust: TrustPlan;
  readonly name: string;
  readonly notAfter: Date;
  readonly rotating: boolean;
  readonly now: Date;
}): { severity: "error" | "warning"; message: string } | undefined {
  const { trust, name, notAfter } = args;
  const intermediateHours = Math.max(0, ...trust.intermediates.map((i) => i.configuredValidityHours));
  const expiry = rootExpiry(notAfter, intermediateHours, args.now);
  if (expiry.state === "fine") return undefined;
  if (expiry.state === "expired")
    return {
      severity: "error",
      message:
        `${name} expired on ${day(notAfter)}: the intermediates it signs are no longer valid, and workloads of different clusters refuse each other. ` +
        `Rotate at once: set fleetgate:trust.emergencyRotation (saying why) to make a new root sign without the usual order (docs/operating.md, "Rotating the root").`,
    };
  const step = args.rotating
    ? `A rotation is under way: make the new root sign once every cluster trusts it, then retire this one (docs/operating.md, "Rotating the root").`
    : `Start its rotation now: ${trust.root.source === "generate" ? `list generation ${nextGeneration(trust)} in fleetgate:trust.root.additionalTrustedGenerations` : "add the new root to fleetgate:trust.additionalTrustedRoots"} and deploy (docs/operating.md, "Rotating the root").`;
  const capped =
    expiry.daysLeft * 24 < intermediateHours
      ? ` Until then each intermediate is issued only until a day before that date, shorter than the ${intermediateHours / 24} days configured.`
      : "";
  return {
    severity: "warning",
    message:
      `${name} expires on ${day(notAfter)}, in ${expiry.daysLeft} days (Fleetgate warns from ${expiryWarningHours(intermediateHours) / 24} days: twice the intermediates' validity, at least 90); ` +
      `when it expires, mTLS between clusters fails.${capped} ${step}`,
  };
}

/**
 * The signing root's expiry as a warning at run time, from this deployment's record, for a root whose
 * expiry was not known before deploying (a generated root the previous deployment did not record).
 */
export function recordedExpiryWarning(trust: TrustPlan, record: TrustRecord | undefined, now: Date): string | undefined {
  const root = record?.roots[record.signingRoot];
  if (!record || !root) return undefined;
  const name =
    root.generation !== undefined
      ? `generated root ${root.generation} (SHA-256 ${shortFingerprint(record.signingRoot)})`
      : `the root "${root.subject}" (SHA-256 ${shortFingerprint(record.signingRoot)})`;
  const expiry = signingRootExpiry({ trust, name, notAfter: new Date(root.notAfter), rotating: Object.keys(record.roots).length > 1, now });
  return expiry && `${settingPath(SIGNING_PATH[trust.root.source])}: ${expiry.message}`;
}

/** The trust plan to deploy: capped intermediates, and the retired signers the next deployment must know. */
function deployedTrust(
  trust: TrustPlan,
  record: TrustRecord | undefined,
  signing: KnownRoot | undefined,
  additional: readonly KnownRoot[],
  now: Date,
): TrustPlan {
  const intermediates = trust.intermediates.map((i) => ({
    ...i,
    validityHours: intermediateValidityHours({
      configuredHours: i.configuredValidityHours,
      ...(signing?.notAfter ? { rootNotAfter: signing.notAfter } : {}),
      ...(signing?.fingerprint !== undefined ? { signingRoot: signing.fingerprint } : {}),
      ...(record?.clusters[i.cluster] ? { previous: record.clusters[i.cluster] } : {}),
      now,
    }),
  }));
  if (!record) return { ...trust, intermediates };
  const trustedNow = new Set([signing, ...additional].flatMap((r) => (r?.fingerprint !== undefined ? [r.fingerprint] : [])));
  const retiredSigners: Record<string, RetiredSigner[]> = {};
  for (const { cluster } of trust.intermediates) {
    const before = record.clusters[cluster];
    if (!before) continue;
    // Earlier signers stay on the list while trusted; the previous one joins it when the signer changes now.
    const kept = before.retiredSigners.filter((r) => trustedNow.has(r.fingerprint) && r.fingerprint !== signing?.fingerprint);
    if (before.signedBy !== signing?.fingerprint && trustedNow.has(before.signedBy)) kept.push({ fingerprint: before.signedBy, until: now.toISOString() });
    if (kept.length > 0) retiredSigners[cluster] = kept;
  }
  return { ...trust, intermediates, retiredSigners };
}

/** The generation a rotation makes next: one above every generation listed. */
export function nextGeneration(trust: TrustPlan): number {
  return trust.root.source === "generate" ? Math.max(trust.root.generation, ...trust.root.additionalTrustedGenerations) + 1 : 1;
}

/** A setting's path as messages write it: `fleetgate:trust.root.generation`. */
function settingPath(path: readonly PathSegment[]): string {
  const [key, ...rest] = path;
  return configPath(String(key), ...rest);
}
