/**
 * Waiting for a managed certificate to be issued before a host's DNS record moves traffic to the front
 * door (opt-in: `fleetgate:gcp.awaitCertificates`). Certificate Manager issues a DNS-authorized
 * certificate whether or not the host points here, so a host moved from another load balancer can keep
 * its old address until its certificate is ACTIVE instead of meeting one that is still provisioning.
 * Pure: the reading of the state, the clock and the sleep are given.
 */

/** A managed certificate's state as Certificate Manager reports it, with the reasons when it is stuck. */
export interface CertificateState {
  readonly state: string;
  readonly issues?: string;
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Resolves once the certificate is ACTIVE; fails at once when it FAILED, or when the time is up. */
export async function waitUntilActive(certificate: string, read: () => Promise<CertificateState>, options: WaitOptions): Promise<void> {
  const deadline = options.now() + options.timeoutMs;
  for (;;) {
    const { state, issues } = await read();
    if (state === "ACTIVE") return;
    const why = issues ? ` (${issues})` : "";
    if (state === "FAILED")
      throw new Error(`certificate ${certificate} failed to be issued${why}; its host's DNS record was not changed. Fix the DNS authorization or CAA records and run pulumi up again.`);
    if (options.now() >= deadline)
      throw new Error(
        `certificate ${certificate} is still ${state || "not reported"}${why} after ${Math.round(options.timeoutMs / 60_000)} minutes; its host's DNS record was not changed. Run pulumi up again later, or raise fleetgate:gcp.awaitCertificates.`,
      );
    await options.sleep(Math.min(options.intervalMs, Math.max(0, deadline - options.now())));
  }
}

/** The state of the first managed certificate in a getCertificates answer, with its provisioning issues. */
export function certificateState(answer: { certificates: readonly { manageds: readonly { state: string; provisioningIssues: readonly { reason: string; details: string }[] }[] }[] }): CertificateState {
  const managed = answer.certificates[0]?.manageds[0];
  if (!managed) return { state: "" };
  const issues = managed.provisioningIssues.map((i) => [i.reason, i.details].filter(Boolean).join(": ")).filter(Boolean).join("; ");
  return { state: managed.state, ...(issues ? { issues } : {}) };
}
