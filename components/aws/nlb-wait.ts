/**
 * Waiting for a gateway's NLB to be active. The AWS Load Balancer Controller writes the NLB's name into
 * its Service's status as soon as it has asked for the NLB, while the NLB is still provisioning
 * [eks.load-balancer-status], and Global Accelerator refuses an endpoint that is not active
 * [aws.endpoint-active]; DNS pointed at a provisioning NLB sends clients nowhere. So the front door reads
 * each NLB's state until it is active.
 *
 * No Pulumi data source reports a load balancer's state, so it is read with the ELBv2 API
 * (DescribeLoadBalancers), with the same credentials the AWS provider finds. The offline engine answers
 * that read in AWS's place through the one hook below: the program and the engine are loaded apart, so
 * the hook is a global, which `pulumi up` never sets.
 */
import { cite } from "../../contracts/contract";
import { endpointActive } from "../../contracts/aws";
import { type Observation, type PollOptions, pollUntil } from "../waits";

/** How long a first `pulumi up` gives an NLB to become active (AWS reports 2 to 5 minutes, at times over 10). */
export const NLB_WAIT = { timeoutMs: 20 * 60_000, intervalMs: 15_000 } as const;

/** Reads a load balancer's state code: provisioning, active, active_impaired or failed. */
export type LoadBalancerStateReader = (region: string, arn: string) => Promise<string>;

/** Where the offline engine puts its answer to the state read (offline/simulation). */
export const OFFLINE_LOAD_BALANCER_STATE = Symbol.for("fleetgate.offline.loadBalancerState");

/** The state reader: the offline engine's when it runs the program, else the ELBv2 API's. */
export function loadBalancerStateReader(): LoadBalancerStateReader {
  const offline = (globalThis as Record<symbol, unknown>)[OFFLINE_LOAD_BALANCER_STATE];
  if (typeof offline === "function") return offline as LoadBalancerStateReader;
  return async (region, arn) => {
    // Loaded on first use: a preview never reads a state, and the SDK costs start-up time.
    const { ElasticLoadBalancingV2Client, DescribeLoadBalancersCommand } = await import("@aws-sdk/client-elastic-load-balancing-v2");
    const client = new ElasticLoadBalancingV2Client({ region });
    try {
      const answer = await client.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }));
      return answer.LoadBalancers?.[0]?.State?.Code ?? "";
    } finally {
      client.destroy();
    }
  };
}

/** Resolves once the NLB is active (or active but impaired, which still routes); fails when it failed. */
export function waitForActiveNlb(cluster: string, region: string, arn: string, read: LoadBalancerStateReader, options: PollOptions = NLB_WAIT): Promise<void> {
  return pollUntil(
    async (): Promise<Observation<void>> => {
      const state = await read(region, arn);
      if (state === "active" || state === "active_impaired") return { done: true, value: undefined };
      if (state === "failed")
        return {
          failed: `cluster ${cluster}: the gateway's NLB ${arn} failed to provision; look at the AWS Load Balancer Controller's events on the Service, delete the Service's NLB, and run pulumi up again.`,
        };
      return { done: false, state: state || "not reported" };
    },
    options,
    (state, minutes) =>
      `cluster ${cluster}: the gateway's NLB ${arn} is still ${state} after ${minutes} minutes; the accelerator and DNS take it only once it is active ${cite(endpointActive)}. Run pulumi up again later.`,
  );
}
