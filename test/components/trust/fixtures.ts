/**
 * Roots of trust for the rotation and expiry tests: real CA certificates (from the offline fakes, valid
 * from 2025-01-01 for as many hours as asked), a small environment whose stack file sets
 * `fleetgate:trust` (so that diagnostics carry real positions), and a deployment step that checks the
 * trust against a previous record and writes the record the next step reads, as the program does.
 */
import { fakeOutputs } from "../../../offline/fakes/all";
import { FAKE_VALIDITY_START } from "../../../offline/fakes/tls";
import { readCertificate } from "../../../components/trust/certificates";
import { checkTrust, type TrustCheck } from "../../../components/trust/trust-check";
import { type PreviousDeployment, type TrustRecord, trustRecord } from "../../../components/trust/trust-record";
import { HOUR_MS } from "../../../components/trust/expiry";
import { planEnvironment, stackConfigFromFile, type StackConfig } from "../../../spec/index";
import type { TrustPlan } from "../../../spec/plan";
import { baseFixture, sourceFiles, stackText } from "../../spec/fixtures";

export interface Root {
  readonly pem: string;
  readonly fingerprint: string;
  readonly notAfter: Date;
}

/** A self-signed CA certificate named `commonName`, valid from 2025-01-01 for `days` (not a CA with `ca: false`). */
export function caRoot(commonName: string, days = 3650, ca = true): Root {
  const key = fakeOutputs("tls:index/privateKey:PrivateKey", commonName, { algorithm: "RSA", rsaBits: 2048 });
  const cert = fakeOutputs("tls:index/selfSignedCert:SelfSignedCert", commonName, {
    privateKeyPem: key.privateKeyPem,
    subject: { commonName, organization: "Acme" },
    isCaCertificate: ca,
    validityPeriodHours: days * 24,
    allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
    setSubjectKeyId: true,
  });
  const pem = String(cert.certPem);
  const facts = readCertificate(pem)!;
  return { pem, fingerprint: facts.fingerprint, notAfter: facts.notAfter };
}

/** A moment `days` after the fakes' certificates start. */
export function daysIn(days: number): Date {
  return new Date(FAKE_VALIDITY_START.getTime() + days * 24 * HOUR_MS);
}

export const STACK_FILE = "stacks/Pulumi.test.yaml";

/** The test environment (clusters us, eu and asia, and any more named) with this `fleetgate:trust`, and `fleetgate:rootCaCert` when given. */
export function trustEnvironment(
  trust: Record<string, unknown>,
  options: { rootCaCert?: string; moreClusters?: readonly string[] } = {},
): { trust: TrustPlan; stack: StackConfig; text: string } {
  const fixture = baseFixture();
  fixture.config.trust = trust;
  if (options.rootCaCert !== undefined) {
    fixture.config.rootCaCert = options.rootCaCert;
    fixture.config.rootCaKey = "-----BEGIN RSA PRIVATE KEY-----";
    fixture.secure.push("rootCaKey");
  }
  const clusters = fixture.config.clusters as { name: string }[];
  for (const name of options.moreClusters ?? []) clusters.push({ ...clusters[clusters.length - 1]!, name });
  const text = stackText(fixture);
  const stack = stackConfigFromFile(STACK_FILE, text);
  const result = planEnvironment({ environment: fixture.environment, stack, files: sourceFiles(fixture) });
  if (!result.plan) throw new Error(`the test environment is invalid:\n${result.diagnostics.map((d) => `${d.path}: ${d.message}`).join("\n")}`);
  return { trust: result.plan.trust, stack, text };
}

/** What the roots of a deployment are: an existing one with extra PEMs, or generated generations. */
export type Roots =
  | { readonly existing: Root; readonly additional?: readonly Root[]; readonly emergency?: string }
  | { readonly generation: number; readonly additionalGenerations?: readonly number[]; readonly emergency?: string };

export interface Step {
  /** The stack file the step was planned from. */
  readonly text: string;
  readonly check: TrustCheck;
  /** The record this deployment would write, when it may deploy. */
  readonly record?: TrustRecord;
}

/**
 * One deployment: checks `roots` against `previous` at `now`, and, when nothing refuses it, writes the
 * record as SharedTrust would once its certificates exist (a generation's root is `generated[n]`;
 * intermediates are issued at `now`).
 */
export function deploy(
  roots: Roots,
  previous: PreviousDeployment,
  now: Date,
  options: { generated?: Readonly<Record<number, Root>>; moreClusters?: readonly string[]; intermediateDays?: number } = {},
): Step {
  const emergency = roots.emergency !== undefined ? { emergencyRotation: roots.emergency } : {};
  const intermediate = { intermediate: { validityDays: options.intermediateDays ?? 365 } };
  const clusters = options.moreClusters ? { moreClusters: options.moreClusters } : {};
  const env =
    "existing" in roots
      ? trustEnvironment(
          { root: { source: "existing" }, additionalTrustedRoots: (roots.additional ?? []).map((r) => r.pem), ...intermediate, ...emergency },
          { rootCaCert: roots.existing.pem, ...clusters },
        )
      : trustEnvironment(
          {
            root: { source: "generate", generation: roots.generation, additionalTrustedGenerations: roots.additionalGenerations ?? [] },
            ...intermediate,
            ...emergency,
          },
          clusters,
        );
  const check = checkTrust({ trust: env.trust, rootCaCert: env.stack.values.rootCaCert, previous, now, locate: (path) => env.stack.locate(path) });
  if (check.diagnostics.some((d) => d.severity === "error")) return { text: env.text, check };
  const generated = (n: number) => {
    const root = options.generated?.[n];
    if (!root) throw new Error(`the test gives no root for generation ${n}`);
    return { pem: root.pem, generation: n };
  };
  const trusted =
    "existing" in roots
      ? [{ pem: roots.existing.pem }, ...(roots.additional ?? []).map((r) => ({ pem: r.pem }))]
      : [generated(roots.generation), ...(roots.additionalGenerations ?? []).map(generated)];
  const record = trustRecord({
    signingRoot: trusted[0]!.pem,
    trusted,
    intermediates: check.trust.intermediates.map((i) => ({
      cluster: i.cluster,
      notAfter: new Date(now.getTime() + i.validityHours * HOUR_MS).toISOString(),
      validityHours: i.validityHours,
      configuredValidityHours: i.configuredValidityHours,
    })),
    retiredSigners: check.trust.retiredSigners ?? {},
  });
  return { text: env.text, check, ...(record ? { record } : {}) };
}

/** The previous deployment as the program reads it, from a step's record. */
export function recorded(step: Step): PreviousDeployment {
  if (!step.record) throw new Error(`the step was refused:\n${step.check.diagnostics.map((d) => `${d.path}: ${d.message}`).join("\n")}`);
  return { kind: "recorded", record: step.record };
}

/** The line of the step's stack file where `text` first appears. */
export function lineOf(step: Step, text: string): number {
  return step.text.split("\n").findIndex((line) => line.includes(text)) + 1;
}

export const errorsOf = (step: Step) => step.check.diagnostics.filter((d) => d.severity === "error");
export const warningsOf = (step: Step) => step.check.diagnostics.filter((d) => d.severity === "warning");
