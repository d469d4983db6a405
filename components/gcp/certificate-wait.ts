/**
 * Waiting for a managed certificate to be issued before a host's DNS record moves traffic to the front
 * door (opt-in: `fleetgate:gcp.awaitCertificates`). Certificate Manager issues a DNS-authorized
 * certificate whether or not the host points here, so a host moved from another load balancer can keep
 * its old address until its certificate is ACTIVE instead of meeting one that is still provisioning.
 * The reading of the state is given; the waiting is components/waits.ts's [gcp.certificate-issuance].
 */
import { type Observation, type PollOptions, pollUntil } from "../waits";

/** A managed certificate's state as Certificate Manager reports it, with the reasons when it is stuck. */
export interface CertificateState {
  readonly state: string;
  readonly issues?: string;
}

/** Resolves once the certificate is ACTIVE; fails at once when it FAILED, or when the time is up. */
export function waitUntilActive(certificate: string, read: () => Promise<CertificateState>, options: PollOptions): Promise<void> {
  return pollUntil(
    async (): Promise<Observation<void>> => {
      const { state, issues } = await read();
      const why = issues ? ` (${issues})` : "";
      if (state === "ACTIVE") return { done: true, value: undefined };
      if (state === "FAILED")
        return {
          failed: `certificate ${certificate} failed to be issued${why}; its host's DNS record was not changed. Fix the DNS authorization or CAA records and run pulumi up again.`,
        };
      return { done: false, state: `${state || "not reported"}${why}` };
    },
    options,
    (state, minutes) =>
      `certificate ${certificate} is still ${state} after ${minutes} minutes; its host's DNS record was not changed. Run pulumi up again later, or raise fleetgate:gcp.awaitCertificates.`,
  );
}

/** The state of the first managed certificate in a getCertificates answer, with its provisioning issues. */
export function certificateState(answer: {
  certificates: readonly { manageds: readonly { state: string; provisioningIssues: readonly { reason: string; details: string }[] }[] }[];
}): CertificateState {
  const managed = answer.certificates[0]?.manageds[0];
  if (!managed) return { state: "" };
  const issues = managed.provisioningIssues
    .map((i) => [i.reason, i.details].filter(Boolean).join(": "))
    .filter(Boolean)
    .join("; ");
  return { state: managed.state, ...(issues ? { issues } : {}) };
}
