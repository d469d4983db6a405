import { describe, expect, it } from "vitest";
import { expiryWarningHours, HOUR_MS, intermediateValidityHours, ISSUE_MARGIN_HOURS, RENEWAL_MARGIN_HOURS } from "../../../components/trust/expiry";
import { recordedExpiryWarning } from "../../../components/trust/trust-check";
import { intermediateRenewalHours } from "../../../components/trust/trust-plan";
import type { ClusterTrustRecord } from "../../../components/trust/trust-record";
import { caRoot, daysIn, deploy, errorsOf, lineOf, recorded, STACK_FILE, warningsOf } from "./fixtures";

/** A root that expires 1000 days after the fakes' start. */
const SHORT = caRoot("Acme Short-Lived Root", 1000);
const LONG = caRoot("Acme Long-Lived Root", 3650);
const GENERATED = { 1: caRoot("Fleetgate test Root CA", 1000), 2: caRoot("Fleetgate test Root CA G2") };
const YEAR = 365 * 24;
const rootCaCertWarnings = (step: ReturnType<typeof deploy>) => warningsOf(step).filter((d) => d.path === "fleetgate:rootCaCert");

describe("the signing root's expiry", () => {
  it("warns at fleetgate:rootCaCert once less than twice the intermediates' validity is left, with the date and the first step", () => {
    const step = deploy({ existing: SHORT }, { kind: "none" }, daysIn(400));
    expect(errorsOf(step)).toEqual([]);
    const [warning, ...rest] = rootCaCertWarnings(step);
    expect(rest).toEqual([]);
    expect(warning).toMatchObject({ file: STACK_FILE, line: lineOf(step, "fleetgate:rootCaCert:") });
    expect(warning!.message).toMatch(
      /^the root "CN=Acme Short-Lived Root, O=Acme" \(SHA-256 [0-9A-F:]+…\) expires on 2027-09-28, in 600 days \(Fleetgate warns from 730 days: twice the intermediates' validity, at least 90\)/,
    );
    expect(warning!.message).toContain("Start its rotation now: add the new root to fleetgate:trust.additionalTrustedRoots and deploy");
    expect(warning!.message).not.toContain("issued only until");
  });

  it("does not warn while the root has long to live", () => {
    expect(rootCaCertWarnings(deploy({ existing: LONG }, { kind: "none" }, daysIn(400)))).toEqual([]);
    expect(rootCaCertWarnings(deploy({ existing: SHORT }, { kind: "none" }, daysIn(1000 - 731)))).toEqual([]);
  });

  it("warns at least 90 days ahead when intermediates are short-lived", () => {
    expect(expiryWarningHours(10 * 24)).toBe(90 * 24);
    expect(rootCaCertWarnings(deploy({ existing: SHORT }, { kind: "none" }, daysIn(1000 - 91), { intermediateDays: 10 }))).toEqual([]);
    expect(rootCaCertWarnings(deploy({ existing: SHORT }, { kind: "none" }, daysIn(1000 - 89), { intermediateDays: 10 }))).toHaveLength(1);
  });

  it("says when intermediates are already issued short of their configured validity, and when a rotation is under way", () => {
    const [warning] = rootCaCertWarnings(deploy({ existing: SHORT, additional: [LONG] }, { kind: "none" }, daysIn(800)));
    expect(warning!.message).toContain("in 200 days");
    expect(warning!.message).toContain("Until then each intermediate is issued only until a day before that date, shorter than the 365 days configured.");
    expect(warning!.message).toContain("A rotation is under way: make the new root sign once every cluster trusts it, then retire this one");
  });

  it("refuses an expired root, saying how to rotate at once, and lets it through under an emergency rotation", () => {
    const expired = deploy({ existing: SHORT }, { kind: "none" }, daysIn(1001));
    expect(errorsOf(expired)).toMatchObject([
      { path: "fleetgate:rootCaCert", message: expect.stringMatching(/expired on 2027-09-28: .* set fleetgate:trust\.emergencyRotation \(saying why\)/) },
    ]);
    const forced = deploy({ existing: SHORT, emergency: "the root expired over the holidays" }, { kind: "none" }, daysIn(1001));
    expect(errorsOf(forced)).toEqual([]);
    expect(rootCaCertWarnings(forced)[0]!.message).toMatch(/expired on 2027-09-28: .*Deployed anyway, as fleetgate:trust\.emergencyRotation is set\.$/);
  });

  it("warns for a generated root from the previous deployment's record, at fleetgate:trust.root.generation, naming the next generation", () => {
    const made = deploy({ generation: 1 }, { kind: "none" }, daysIn(100), { generated: GENERATED });
    const step = deploy({ generation: 1 }, recorded(made), daysIn(400), { generated: GENERATED });
    const warning = warningsOf(step).find((d) => d.path === "fleetgate:trust.root.generation");
    expect(warning?.message).toMatch(/^generated root 1 \(SHA-256 [0-9A-F:]+…\) expires on 2027-09-28, in 600 days/);
    expect(warning?.message).toContain("Start its rotation now: list generation 2 in fleetgate:trust.root.additionalTrustedGenerations and deploy");
    // The first deployment made the root: nothing was known of it before.
    expect(warningsOf(made).find((d) => d.path === "fleetgate:trust.root.generation")).toBeUndefined();
  });

  it("warns at run time from the deployment's own record when the root's expiry was not known before", () => {
    const made = deploy({ generation: 1 }, { kind: "unrecorded" }, daysIn(400), { generated: GENERATED });
    expect(made.check.signingRootNotAfter).toBeUndefined();
    expect(recordedExpiryWarning(made.check.trust, made.record, daysIn(400))).toMatch(
      /^fleetgate:trust\.root\.generation: generated root 1 \(SHA-256 [0-9A-F:]+…\) expires on 2027-09-28, in 600 days/,
    );
    expect(recordedExpiryWarning(made.check.trust, made.record, daysIn(100))).toBeUndefined();
  });

  it("asks to remove an extra trusted root that has expired", () => {
    const step = deploy({ existing: LONG, additional: [SHORT] }, { kind: "none" }, daysIn(1001));
    expect(warningsOf(step).find((d) => d.path === "fleetgate:trust.additionalTrustedRoots[0]")?.message).toMatch(
      /^is the root "CN=Acme Short-Lived Root, O=Acme" .*which expired on 2027-09-28 and verifies nothing any more; remove it\.$/,
    );
  });
});

describe("intermediates capped at the root's expiry", () => {
  const issued = (step: ReturnType<typeof deploy>) => step.check.trust.intermediates.map((i) => i.validityHours);

  it("issues the configured validity while the root outlives it", () => {
    expect(issued(deploy({ existing: LONG }, { kind: "none" }, daysIn(400)))).toEqual([YEAR, YEAR, YEAR]);
  });

  it("issues an intermediate only until a day before the root expires when that comes sooner", () => {
    const step = deploy({ existing: SHORT }, { kind: "none" }, daysIn(800));
    expect(issued(step)).toEqual([200 * 24 - ISSUE_MARGIN_HOURS, 200 * 24 - ISSUE_MARGIN_HOURS, 200 * 24 - ISSUE_MARGIN_HOURS]);
    expect(step.check.trust.intermediates.every((i) => i.configuredValidityHours === YEAR)).toBe(true);
    const end = step.record!.clusters.us!.intermediate.notAfter;
    expect(Date.parse(end)).toBeLessThan(SHORT.notAfter.getTime());
  });

  it("keeps the previous deployment's input while its certificate stands, so that a later run re-issues nothing", () => {
    const capped = deploy({ existing: SHORT }, { kind: "none" }, daysIn(800));
    const later = deploy({ existing: SHORT }, recorded(capped), daysIn(830));
    expect(issued(later)).toEqual(issued(capped));
    const uncapped = deploy({ existing: LONG }, { kind: "none" }, daysIn(400));
    expect(issued(deploy({ existing: LONG }, recorded(uncapped), daysIn(401)))).toEqual([YEAR, YEAR, YEAR]);
  });

  const previous = (over: Partial<ClusterTrustRecord["intermediate"]> & { signedBy?: string } = {}): ClusterTrustRecord => ({
    trusts: [SHORT.fingerprint],
    signedBy: over.signedBy ?? SHORT.fingerprint,
    intermediate: { notAfter: daysIn(800 + 199).toISOString(), validityHours: 199 * 24, configuredValidityHours: YEAR, ...over },
    retiredSigners: [],
  });
  const args = { configuredHours: YEAR, rootNotAfter: SHORT.notAfter, signingRoot: SHORT.fingerprint };

  it("computes the capped validity afresh when the provider is about to renew the certificate", () => {
    const renewsAt = daysIn(999).getTime() - (intermediateRenewalHours(199 * 24) + RENEWAL_MARGIN_HOURS) * HOUR_MS;
    expect(intermediateValidityHours({ ...args, previous: previous(), now: new Date(renewsAt - HOUR_MS) })).toBe(199 * 24);
    const now = new Date(renewsAt + HOUR_MS);
    expect(intermediateValidityHours({ ...args, previous: previous(), now })).toBe(
      Math.floor((SHORT.notAfter.getTime() - now.getTime()) / HOUR_MS) - ISSUE_MARGIN_HOURS,
    );
  });

  it("re-issues, capped, a certificate that reaches beyond its root, and computes afresh for a new root or a changed validity", () => {
    const now = daysIn(800);
    const capped = 200 * 24 - ISSUE_MARGIN_HOURS;
    expect(intermediateValidityHours({ ...args, previous: previous({ notAfter: daysIn(1165).toISOString(), validityHours: YEAR }), now })).toBe(capped);
    expect(intermediateValidityHours({ ...args, previous: previous({ signedBy: LONG.fingerprint }), now })).toBe(capped);
    expect(intermediateValidityHours({ ...args, configuredHours: 100 * 24, previous: previous(), now })).toBe(100 * 24);
    expect(intermediateValidityHours({ configuredHours: YEAR, previous: previous(), now })).toBe(YEAR);
  });
});
