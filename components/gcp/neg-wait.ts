/**
 * Waiting for a GKE gateway's NEGs. GKE's NEG controller makes the zonal NEGs a Service's
 * `cloud.google.com/neg` annotation names some time after the Service exists, and only in zones where the
 * cluster has nodes running the gateway's pods [gke.neg-controller]; a backend service that names a NEG
 * before it exists is refused [gcp.neg-references]. So each backend service waits for the NEGs it attaches,
 * and a zone whose NEG never comes ends the update with the cluster and zone named, not with a hang.
 */
import { cite } from "../../contracts/contract";
import { negController } from "../../contracts/gcp";
import { isNotFound, type Observation, type PollOptions, pollUntil } from "../waits";

/** How long a first `pulumi up` gives the NEG controller, and how often it looks. */
export const NEG_WAIT = { timeoutMs: 10 * 60_000, intervalMs: 10_000 } as const;

export interface AwaitedNeg {
  readonly cluster: string;
  readonly zone: string;
  /** The NEG's URL, as the backend service names it. */
  readonly group: string;
}

/** The project and name of a zonal NEG URL. */
export function negParts(group: string): { project: string; zone: string; name: string } {
  const match = /projects\/([^/]+)\/zones\/([^/]+)\/networkEndpointGroups\/([^/]+)$/.exec(group);
  if (!match) throw new Error(`${group} is not a zonal NEG's URL`);
  return { project: match[1]!, zone: match[2]!, name: match[3]! };
}

/** Resolves once the NEG exists; `read` is the provider's lookup, which fails while it does not. */
export function waitForNeg(neg: AwaitedNeg, read: () => Promise<unknown>, options: PollOptions = NEG_WAIT): Promise<void> {
  const { name } = negParts(neg.group);
  return pollUntil(
    async (): Promise<Observation<void>> => {
      try {
        await read();
        return { done: true, value: undefined };
      } catch (error) {
        if (isNotFound(error)) return { done: false, state: "not found" };
        return { failed: `cluster ${neg.cluster}: reading NEG ${name} in ${neg.zone} failed: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
    options,
    (_state, minutes) =>
      `cluster ${neg.cluster}: GKE's NEG controller made no NEG ${name} in zone ${neg.zone} within ${minutes} minutes of the gateway's Service ${cite(negController)}. It makes one only in zones where the cluster has nodes running the gateway's pods, in VPC-native clusters with HTTP load balancing: check that ${neg.cluster} has nodes in ${neg.zone} (or remove the zone from its fleetgate:clusters entry) and that the gateway's pods are running, then run pulumi up again.`,
  );
}
