/**
 * The trust record: what a deployment tells the next one about the root of trust, exported as the stack
 * output `trust` and read back through a StackReference to the stack itself (previous-deployment.ts).
 * The rotation guard (rotation.ts) compares the next deployment's roots with it, and the intermediates'
 * cap (expiry.ts) keeps an intermediate's validity input from changing between runs. It holds
 * fingerprints, subjects, dates and public certificates only: nothing secret.
 */
import { z } from "zod";
import type { RetiredSigner } from "../../spec/plan";
import { readCertificate } from "./certificates";

/** The stack output that carries the record. */
export const TRUST_OUTPUT = "trust";

/** An output every deployment of the program exports (index.ts): its presence tells a deployment from none. */
export const ALWAYS_EXPORTED_OUTPUT = "hosts";

const fingerprint = z.string().regex(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/, { error: "is not a SHA-256 fingerprint" });
const instant = z.iso.datetime({ offset: true });
const hours = z.number().int().positive();

export const trustRecordSchema = z.object({
  version: z.literal(1),
  /** The root that signed every cluster's intermediate. */
  signingRoot: fingerprint,
  /** Every root of the trust bundle, by fingerprint. */
  roots: z.record(
    fingerprint,
    z.object({
      subject: z.string(),
      notAfter: instant,
      /** For a generated root: its generation. */
      generation: z.number().int().min(1).optional(),
      /** For a generated root: its certificate, for an admin who moves to an existing root and must keep trusting it. */
      certificate: z.string().optional(),
    }),
  ),
  /** Per cluster, what its `cacerts` held once written. */
  clusters: z.record(
    z.string(),
    z.object({
      /** The roots of its `root-cert.pem`, sorted. */
      trusts: z.array(fingerprint),
      /** The root that signed its intermediate. */
      signedBy: fingerprint,
      intermediate: z.object({ notAfter: instant, validityHours: hours, configuredValidityHours: hours }),
      /** Roots that signed its intermediates earlier, still trusted, and when they stopped. */
      retiredSigners: z.array(z.object({ fingerprint, until: instant })),
    }),
  ),
});

export type TrustRecord = z.output<typeof trustRecordSchema>;
export type ClusterTrustRecord = TrustRecord["clusters"][string];

/** What is known of the stack's previous deployment. */
export type PreviousDeployment =
  /** The stack has no outputs: it was never deployed (or this is an offline plan, which has no deployment to read). */
  | { readonly kind: "none" }
  /** It was deployed by a program that did not record its trust. */
  | { readonly kind: "unrecorded" }
  /** Its record does not have the shape this program writes. */
  | { readonly kind: "unreadable"; readonly reason: string }
  | { readonly kind: "recorded"; readonly record: TrustRecord };

/** Classifies the previous deployment from two of its outputs (undefined when absent). */
export function previousDeploymentFrom(outputs: { readonly trust: unknown; readonly alwaysExported: unknown }): PreviousDeployment {
  if (outputs.trust === undefined) return outputs.alwaysExported === undefined ? { kind: "none" } : { kind: "unrecorded" };
  const parsed = trustRecordSchema.safeParse(outputs.trust);
  if (parsed.success) return { kind: "recorded", record: parsed.data };
  const issue = parsed.error.issues[0];
  return { kind: "unreadable", reason: issue ? `${issue.path.join(".") || "the record"}: ${issue.message}` : "it does not match the record's schema" };
}

/** What a deployment knows once its certificates exist: the record is made from these alone. */
export interface RecordFacts {
  /** The signing root's certificate (PEM). */
  readonly signingRoot: string;
  /** Every root of the bundle (the signing one included), with its generation when generated. */
  readonly trusted: readonly { readonly pem: string; readonly generation?: number }[];
  readonly intermediates: readonly {
    readonly cluster: string;
    /** When the issued intermediate expires (the TLS provider's `validityEndTime`). */
    readonly notAfter: string;
    readonly validityHours: number;
    readonly configuredValidityHours: number;
  }[];
  readonly retiredSigners: Readonly<Record<string, readonly RetiredSigner[]>>;
}

/**
 * The record of a deployment. Every cluster gets the same bundle and signing root in one deployment; the
 * record keeps them per cluster because a cluster added later has seen only the bundles since.
 * Returns undefined when a certificate cannot be read (validation refuses such input before deploying).
 */
export function trustRecord(facts: RecordFacts): TrustRecord | undefined {
  const signing = readCertificate(facts.signingRoot);
  const trusted = facts.trusted.map((t) => ({ ...t, facts: readCertificate(t.pem) }));
  const ends = new Map(facts.intermediates.map((i) => [i.cluster, new Date(i.notAfter)]));
  if (!signing || trusted.some((t) => !t.facts) || [...ends.values()].some((d) => Number.isNaN(d.getTime()))) return undefined;
  const roots: TrustRecord["roots"] = {};
  for (const t of trusted) {
    const f = t.facts!;
    roots[f.fingerprint] = {
      subject: f.subject,
      notAfter: f.notAfter.toISOString(),
      ...(t.generation !== undefined ? { generation: t.generation, certificate: t.pem.trim() + "\n" } : {}),
    };
  }
  const trusts = Object.keys(roots).sort();
  return {
    version: 1,
    signingRoot: signing.fingerprint,
    roots: sortKeys(roots),
    clusters: Object.fromEntries(
      [...facts.intermediates]
        .sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0))
        .map((i) => [
          i.cluster,
          {
            trusts,
            signedBy: signing.fingerprint,
            intermediate: { notAfter: ends.get(i.cluster)!.toISOString(), validityHours: i.validityHours, configuredValidityHours: i.configuredValidityHours },
            retiredSigners: [...(facts.retiredSigners[i.cluster] ?? [])],
          },
        ]),
    ),
  };
}

function sortKeys<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
