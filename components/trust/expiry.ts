/**
 * The root's expiry as pure decisions: when Fleetgate warns that the signing root nears its end, and how
 * long each intermediate may be issued for, so that none outlives its root (a certificate valid beyond its
 * issuer is refused by many verifiers, and is worthless once the root expires anyway).
 */
import type { ClusterTrustRecord } from "./trust-record";
import { intermediateRenewalHours } from "./trust-plan";

export const HOUR_MS = 3_600_000;

/** Fleetgate warns at least this long (90 days) before the signing root expires. */
export const EXPIRY_WARNING_MIN_HOURS = 90 * 24;

/**
 * How long before the signing root expires Fleetgate starts warning: twice the intermediates' validity,
 * or 90 days if that is longer. From the first warning, a whole intermediate lifetime passes before
 * intermediates start to be issued shorter than configured (see intermediateValidityHours), and another
 * before the root expires: time for the three deployments of a rotation and the waits between them.
 */
export function expiryWarningHours(intermediateValidityHours: number): number {
  return Math.max(EXPIRY_WARNING_MIN_HOURS, 2 * intermediateValidityHours);
}

export type RootExpiry = { readonly state: "expired" } | { readonly state: "expiring"; readonly daysLeft: number } | { readonly state: "fine" };

export function rootExpiry(notAfter: Date, intermediateValidityHours: number, now: Date): RootExpiry {
  const hoursLeft = (notAfter.getTime() - now.getTime()) / HOUR_MS;
  if (hoursLeft <= 0) return { state: "expired" };
  if (hoursLeft < expiryWarningHours(intermediateValidityHours)) return { state: "expiring", daysLeft: Math.floor(hoursLeft / 24) };
  return { state: "fine" };
}

/**
 * An intermediate is made to expire at least this long (a day) before its root: the program computes the
 * validity when it starts, and the certificate is issued later in the update.
 */
export const ISSUE_MARGIN_HOURS = 24;

/**
 * The current intermediate is recomputed this long (a day) before the TLS provider would re-issue it, so
 * that a capped validity changes no later than the certificate is replaced anyway.
 */
export const RENEWAL_MARGIN_HOURS = 24;

export interface IntermediateValidityArgs {
  /** `fleetgate:trust.intermediate.validityDays`, in hours. */
  readonly configuredHours: number;
  /** When the signing root expires; undefined for a generated root this deployment makes (it outlives the configured validity, which validation checks). */
  readonly rootNotAfter?: Date;
  /** The signing root's fingerprint, when known before deploying. */
  readonly signingRoot?: string;
  /** The cluster in the previous deployment's record. */
  readonly previous?: ClusterTrustRecord;
  readonly now: Date;
}

/**
 * The validity to issue a cluster's intermediate with: the configured one, or only up to a day before
 * the root expires when that comes sooner.
 *
 * The TLS provider takes a validity in hours from the moment it signs, and re-signs whenever that input
 * changes. Computing "hours until the root expires" from the current time on every run would re-issue
 * every intermediate on every `pulumi up`. So the validity is computed only when a certificate is issued
 * anyway: for a new cluster, a new signing root, a changed configuration, or a certificate the provider is
 * about to renew (within a day of its renewal window). Otherwise the previous deployment's input is kept —
 * unless the current certificate reaches beyond the root's expiry, and then the new, capped validity
 * re-issues it once.
 */
export function intermediateValidityHours(args: IntermediateValidityArgs): number {
  const { configuredHours, rootNotAfter, previous, now } = args;
  if (
    previous &&
    args.signingRoot !== undefined &&
    previous.signedBy === args.signingRoot &&
    previous.intermediate.configuredValidityHours === configuredHours
  ) {
    const end = Date.parse(previous.intermediate.notAfter);
    const recomputeFrom = end - (intermediateRenewalHours(previous.intermediate.validityHours) + RENEWAL_MARGIN_HOURS) * HOUR_MS;
    const withinRoot = rootNotAfter === undefined || end <= rootNotAfter.getTime();
    if (now.getTime() < recomputeFrom && withinRoot) return previous.intermediate.validityHours;
  }
  if (rootNotAfter === undefined) return configuredHours;
  const untilRoot = Math.floor((rootNotAfter.getTime() - now.getTime()) / HOUR_MS) - ISSUE_MARGIN_HOURS;
  return Math.max(1, Math.min(configuredHours, untilRoot));
}
