import { describe, expect, it } from "vitest";
import { rotationFindings, WORKLOAD_CERTIFICATE_HOURS } from "../../../components/trust/rotation";
import { HOUR_MS } from "../../../components/trust/expiry";
import { checkTrust } from "../../../components/trust/trust-check";
import { caRoot, daysIn, deploy, errorsOf, lineOf, recorded, STACK_FILE, trustEnvironment, warningsOf } from "./fixtures";

const OLD = caRoot("Acme Mesh Root 2025");
const NEW = caRoot("Acme Mesh Root 2026");
const GENERATED = { 1: caRoot("Fleetgate test Root CA"), 2: caRoot("Fleetgate test Root CA G2"), 3: caRoot("Fleetgate test Root CA G3") };
const T0 = daysIn(400);
const later = (from: Date, hours: number) => new Date(from.getTime() + hours * HOUR_MS);

/** A stack deployed once with OLD signing and trusted alone. */
const first = deploy({ existing: OLD }, { kind: "none" }, T0);
/** The three steps of an existing root's rotation, each a day after the one before. */
const step1 = deploy({ existing: OLD, additional: [NEW] }, recorded(first), later(T0, 24));
const step2 = deploy({ existing: NEW, additional: [OLD] }, recorded(step1), later(T0, 48));
const step3At = later(T0, 48 + WORKLOAD_CERTIFICATE_HOURS + 1);

describe("the rotation guard, rotating an existing root", () => {
  it("accepts the three steps in order, each against the record of the one before", () => {
    const step3 = deploy({ existing: NEW }, recorded(step2), step3At);
    for (const step of [step1, step2, step3]) expect(errorsOf(step)).toEqual([]);
    expect(step3.record?.signingRoot).toBe(NEW.fingerprint);
    expect(step3.record?.clusters.us?.trusts).toEqual([NEW.fingerprint]);
  });

  it("accepts a first deployment, and says in one line that it had nothing to compare with", () => {
    expect(errorsOf(first)).toEqual([]);
    const notes = warningsOf(first).filter((d) => d.path === "fleetgate:trust");
    expect(notes).toHaveLength(1);
    expect(notes[0]!.message).toMatch(
      /^no previous deployment of this stack recorded which roots its clusters trust .* so the rotation guard had nothing to check/,
    );
    expect(notes[0]!.message).not.toContain("\n");
  });

  it("refuses a new root signing before every cluster trusts it, at fleetgate:rootCaCert, naming the step that comes first", () => {
    const skipped = deploy({ existing: NEW, additional: [OLD] }, recorded(first), later(T0, 24));
    const [error, ...rest] = errorsOf(skipped);
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ file: STACK_FILE, path: "fleetgate:rootCaCert" });
    expect(error!.line).toBe(lineOf(skipped, "fleetgate:rootCaCert:"));
    expect(error!.message).toContain(
      `is the root "CN=Acme Mesh Root 2026, O=Acme" (SHA-256 ${NEW.fingerprint.slice(0, 23)}…), which clusters asia, eu and us did not trust in the previous deployment`,
    );
    expect(error!.message).toContain('First add this certificate to fleetgate:trust.additionalTrustedRoots, keeping the root "CN=Acme Mesh Root 2025, O=Acme"');
    expect(error!.message).toContain("and deploy; then make it fleetgate:rootCaCert");
    expect(skipped.record).toBeUndefined();
  });

  it("refuses dropping the old root in the deployment that makes the new one sign", () => {
    const merged = deploy({ existing: NEW }, recorded(step1), later(T0, 48));
    const [error, ...rest] = errorsOf(merged);
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ path: "fleetgate:trust.additionalTrustedRoots" });
    expect(error!.message).toContain('leaves out the root "CN=Acme Mesh Root 2025, O=Acme"');
    expect(error!.message).toContain("which signed the intermediates of clusters asia, eu and us in the previous deployment");
    expect(error!.message).toContain(
      "First deploy with the new root signing and this one still trusted (keep its certificate in fleetgate:trust.additionalTrustedRoots)",
    );
  });

  it("refuses dropping the old root sooner than a workload certificate's lifetime after it stopped signing, saying from when", () => {
    const tooSoon = deploy({ existing: NEW }, recorded(step2), later(T0, 48 + WORKLOAD_CERTIFICATE_HOURS - 1));
    const [error, ...rest] = errorsOf(tooSoon);
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ path: "fleetgate:trust.additionalTrustedRoots" });
    expect(error!.message).toContain(`which signed the intermediates of clusters asia, eu and us until ${later(T0, 48).toISOString()}`);
    expect(error!.message).toContain(`remove it in a deployment after ${later(T0, 48 + WORKLOAD_CERTIFICATE_HOURS).toISOString()}`);
  });

  it("keeps the time the old root stopped signing across deployments that keep trusting it", () => {
    const again = deploy({ existing: NEW, additional: [OLD] }, recorded(step2), later(T0, 50));
    expect(errorsOf(again)).toEqual([]);
    expect(again.record?.clusters.eu?.retiredSigners).toEqual([{ fingerprint: OLD.fingerprint, until: later(T0, 48).toISOString() }]);
    expect(errorsOf(deploy({ existing: NEW }, recorded(again), later(T0, 60)))).toHaveLength(1);
    expect(errorsOf(deploy({ existing: NEW }, recorded(again), step3At))).toEqual([]);
  });

  it("lets a new root that never signed leave again at once (an abandoned rotation)", () => {
    expect(errorsOf(deploy({ existing: OLD }, recorded(step1), later(T0, 30)))).toEqual([]);
  });

  it("lets a cluster new to this deployment trust whatever it is given, and still checks the others", () => {
    const withNew = deploy({ existing: NEW, additional: [OLD] }, recorded(first), later(T0, 24), { moreClusters: ["south"] });
    const [error] = errorsOf(withNew);
    expect(error!.message).toContain("which clusters asia, eu and us did not trust");
    expect(error!.message).not.toContain("south");
    const grown = deploy({ existing: NEW, additional: [OLD] }, recorded(step1), later(T0, 48), { moreClusters: ["south"] });
    expect(errorsOf(grown)).toEqual([]);
  });

  it("lets an expired old root leave even while it signed: nothing under it is valid any more", () => {
    const shortOld = caRoot("Acme Short Root", 500);
    const before = deploy({ existing: shortOld, additional: [NEW] }, { kind: "none" }, daysIn(300), { intermediateDays: 30 });
    const afterExpiry = daysIn(501);
    const rotated = deploy({ existing: NEW }, recorded(before), afterExpiry, { intermediateDays: 30 });
    expect(errorsOf(rotated)).toEqual([]);
    expect(
      rotationFindings(
        before.record!,
        { source: "existing", signing: { fingerprint: NEW.fingerprint, name: "new" }, additional: [], clusters: ["us"] },
        afterExpiry,
      ),
    ).toEqual([]);
  });

  it("lets an emergency rotation through with warnings that say so, and warns for as long as it is set", () => {
    const forced = deploy({ existing: NEW, emergency: "the 2025 root key leaked" }, recorded(first), later(T0, 1));
    expect(errorsOf(forced)).toEqual([]);
    const warnings = warningsOf(forced);
    expect(warnings.find((d) => d.path === "fleetgate:rootCaCert")?.message).toMatch(
      /did not trust in the previous deployment.*Deployed anyway, as fleetgate:trust.emergencyRotation is set\.$/,
    );
    expect(warnings.find((d) => d.path === "fleetgate:trust.additionalTrustedRoots")?.message).toMatch(
      /leaves out the root "CN=Acme Mesh Root 2025, O=Acme".*Deployed anyway/,
    );
    expect(warnings.find((d) => d.path === "fleetgate:trust.emergencyRotation")?.message).toContain(
      'is set ("the 2025 root key leaked"): the rotation guard and the root\'s expiry check warn instead of refusing',
    );
    expect(forced.record?.clusters.us?.retiredSigners).toEqual([]);
  });

  it("says when the previous deployment kept no record, or one it cannot read, and checks nothing then", () => {
    for (const [previous, text] of [
      [{ kind: "unrecorded" }, "recorded no trust (it ran a Fleetgate that kept no record)"],
      [{ kind: "unreadable", reason: "version: Invalid input" }, "trust record cannot be read (version: Invalid input)"],
    ] as const) {
      const step = deploy({ existing: NEW }, previous, T0);
      expect(errorsOf(step)).toEqual([]);
      expect(warningsOf(step).map((d) => d.message)).toEqual([expect.stringContaining(text)]);
    }
  });
});

describe("the rotation guard, rotating a generated root by generations", () => {
  const gen1 = deploy({ generation: 1 }, { kind: "none" }, T0, { generated: GENERATED });
  const trustNext = deploy({ generation: 1, additionalGenerations: [2] }, recorded(gen1), later(T0, 24), { generated: GENERATED });
  const signNext = deploy({ generation: 2, additionalGenerations: [1] }, recorded(trustNext), later(T0, 48), { generated: GENERATED });

  it("accepts the same three steps: the next generation trusted, then signing, then the old one gone", () => {
    const retire = deploy({ generation: 2 }, recorded(signNext), step3At, { generated: GENERATED });
    for (const step of [gen1, trustNext, signNext, retire]) expect(errorsOf(step)).toEqual([]);
    expect(retire.record?.signingRoot).toBe(GENERATED[2].fingerprint);
    expect(Object.values(retire.record!.roots).map((r) => r.generation)).toEqual([2]);
  });

  it("refuses a generation signing before it exists, at fleetgate:trust.root.generation, naming the step that comes first", () => {
    const skipped = deploy({ generation: 2, additionalGenerations: [1] }, recorded(gen1), later(T0, 24), { generated: GENERATED });
    const [error, ...rest] = errorsOf(skipped);
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ file: STACK_FILE, path: "fleetgate:trust.root.generation" });
    expect(error!.line).toBe(lineOf(skipped, "generation: 2"));
    expect(error!.message).toMatch(/^is 2, but generated root 2 does not exist yet: intermediates it signed would be refused/);
    expect(error!.message).toContain(
      "First list 2 in fleetgate:trust.root.additionalTrustedGenerations, keeping generation 1 as fleetgate:trust.root.generation, and deploy; then make 2 the generation",
    );
  });

  it("refuses dropping the old generation while it signed, pointing at fleetgate:trust.root.additionalTrustedGenerations", () => {
    const merged = deploy({ generation: 2 }, recorded(trustNext), later(T0, 48), { generated: GENERATED });
    const [error, ...rest] = errorsOf(merged);
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ path: "fleetgate:trust.root.additionalTrustedGenerations" });
    expect(error!.message).toContain(`leaves out generated root 1 (SHA-256 ${GENERATED[1].fingerprint.slice(0, 23)}…)`);
    expect(error!.message).toContain("(list 1 in fleetgate:trust.root.additionalTrustedGenerations)");
  });

  it("refuses a generation that some cluster did not trust in the previous deployment, naming that cluster alone", () => {
    const before = deploy({ generation: 1, additionalGenerations: [3] }, recorded(gen1), later(T0, 24), { generated: GENERATED });
    const record = structuredClone(before.record!);
    record.clusters.eu!.trusts = [GENERATED[1].fingerprint];
    const next = deploy({ generation: 3, additionalGenerations: [1] }, { kind: "recorded", record }, later(T0, 48), { generated: GENERATED });
    expect(errorsOf(next).map((d) => d.message)).toEqual([
      expect.stringContaining("but generated root 3 was not trusted by cluster eu in the previous deployment"),
    ]);
  });
});

describe("the trust settings a rotation depends on", () => {
  it("refuses listing the signing generation among the additional ones, or one twice, at the list item", () => {
    expect(() => trustEnvironment({ root: { source: "generate", generation: 2, additionalTrustedGenerations: [1, 2] } })).toThrow(
      /fleetgate:trust\.root\.additionalTrustedGenerations\[1\]: is 2, the generation that signs/,
    );
    expect(() => trustEnvironment({ root: { source: "generate", generation: 2, additionalTrustedGenerations: [1, 1] } })).toThrow(
      /fleetgate:trust\.root\.additionalTrustedGenerations\[1\]: lists generation 1 twice/,
    );
  });

  it("refuses intermediates that would outlive a generated root", () => {
    expect(() => trustEnvironment({ root: { source: "generate", validityDays: 365 }, intermediate: { validityDays: 365 } })).toThrow(
      /fleetgate:trust\.intermediate\.validityDays: is 365, but the generated root is valid for 365 days .* make it at most 364/,
    );
  });

  it("refuses trusted roots that are not CA certificates it can read, each at its list item", () => {
    const leaf = caRoot("Acme Leaf", 3650, false);
    const env = trustEnvironment(
      { root: { source: "existing" }, additionalTrustedRoots: ["-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----", leaf.pem] },
      { rootCaCert: OLD.pem },
    );
    const check = checkTrust({ trust: env.trust, rootCaCert: OLD.pem, previous: { kind: "none" }, now: T0, locate: (p) => env.stack.locate(p) });
    expect(check.diagnostics.filter((d) => d.severity === "error")).toMatchObject([
      {
        path: "fleetgate:trust.additionalTrustedRoots[0]",
        message: "is not a certificate Fleetgate can read; set it to a trusted root as a PEM X.509 certificate.",
      },
      { path: "fleetgate:trust.additionalTrustedRoots[1]", message: expect.stringContaining('is the certificate "CN=Acme Leaf, O=Acme", which is not a CA') },
    ]);
  });
});
