/**
 * Waiting for an actor outside Pulumi: the program asks for the actor's own signal (a certificate's
 * state, a NEG that exists, a load balancer that is active) until it comes, fails at once when the
 * actor reports a failure, and fails with a message that names what did not happen when the time is up.
 *
 * Waits run only in an update: a preview knows no actor yet, and must not sleep. Time comes from the
 * process's timers, which the offline engine's simulated `pulumi up` replaces with simulated ones.
 */
import * as pulumi from "@pulumi/pulumi";

/** What one look at the actor says. */
export type Observation<T> =
  /** The signal came; the wait returns this value. */
  | { readonly done: true; readonly value: T }
  /** Not yet: `state` says how things stand, for the timeout's message. */
  | { readonly done: false; readonly state: string }
  /** The actor failed, and waiting longer changes nothing. */
  | { readonly failed: string };

export interface PollOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * Looks until the signal comes. `describe(state, minutes)` words the timeout's error from the last state
 * seen; a failure's own message is thrown as it is.
 */
export async function pollUntil<T>(
  observe: () => Promise<Observation<T>>,
  options: PollOptions,
  describe: (lastState: string, minutes: number) => string,
): Promise<T> {
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? realSleep;
  const deadline = now() + options.timeoutMs;
  for (;;) {
    const seen = await observe();
    if ("failed" in seen) throw new Error(seen.failed);
    if (seen.done) return seen.value;
    if (now() >= deadline) throw new Error(describe(seen.state, Math.round(options.timeoutMs / 60_000)));
    await sleep(Math.min(options.intervalMs, Math.max(0, deadline - now())));
  }
}

/**
 * `value` once `wait` has come back, in an update; `value` as it is in a preview. The result carries the
 * dependencies of `value` and of `after` (what must exist before the wait starts), so what consumes it
 * is ordered after both.
 */
export function afterWait<T>(value: pulumi.Input<T>, after: pulumi.Input<unknown>, wait: (value: T) => Promise<unknown>): pulumi.Output<T> {
  return pulumi.all([value, after]).apply(async ([v]) => {
    if (pulumi.runtime.isDryRun()) return v as T;
    await wait(v as T);
    return v as T;
  });
}

/** A lookup that fails while its object does not exist yet: true for a provider's "not found". */
export function isNotFound(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /\b404\b|not ?found|does not exist|no matching|returned 0 results/i.test(message);
}
