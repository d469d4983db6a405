/**
 * `npm run verify` after its command line: builds the checks from the plan and the route model, refuses
 * to start past the request bound, probes, prints the table and says whether everything matched.
 */
import { SECRET_ENVIRONMENT_VARIABLE, verificationToken } from "../../../components/verification";
import type { RoutingConfig } from "../../../review/route-model/config";
import type { FleetPlan } from "../../../spec/plan";
import { buildChecks, judge, renderTable, requestsOf } from "./checks";
import { type ProbeOptions, runChecks } from "./probe";

export interface VerifyInput {
  readonly config: RoutingConfig;
  readonly plan: FleetPlan;
  /** Only this host (or the wildcard host that covers it). */
  readonly host?: string;
  /** The environment's verification secret (fleetgate:verificationSecret); absent: landings are unknown. */
  readonly secret?: string;
  /** The probes' settings; the token comes from the secret. */
  readonly probe: Omit<ProbeOptions, "token">;
  /** Also probe routes that match a method other than GET, HEAD and OPTIONS (sent without a body). */
  readonly unsafeMethods?: boolean;
  /** The most requests a run may send; a run that needs more sends none. */
  readonly maxRequests: number;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** 0: every check matched (some landings may be unknown without the token); 1: a mismatch, or nothing to check. */
export async function verifyStack(input: VerifyInput): Promise<number> {
  const { plan } = input;
  const probe: ProbeOptions = { ...input.probe, ...(input.secret ? { token: verificationToken(input.secret, plan.environment) } : {}) };
  const { checks, notes } = buildChecks(input.config, plan, input.host, input.unsafeMethods ?? false);
  for (const note of notes) input.err(`note: ${note}\n`);
  if (checks.length === 0) {
    input.err(
      input.host !== undefined
        ? `the stack "${plan.environment}" serves no host ${input.host}; its hosts are ${plan.hosts.map((h) => h.name).join(", ")}.\n`
        : `the stack "${plan.environment}" has no host to verify.\n`,
    );
    return 1;
  }
  const requests = requestsOf(checks);
  if (requests > input.maxRequests) {
    input.err(
      `verifying ${input.host ?? `every host of "${plan.environment}"`} takes ${requests} requests, more than --max-requests ${input.maxRequests}; ` +
        `raise --max-requests to ${requests} or verify one host at a time with --host. Nothing was sent.\n`,
    );
    return 1;
  }
  if (probe.token === undefined)
    input.err(
      `warning: ${SECRET_ENVIRONMENT_VARIABLE} is not set, so the gateways do not say where requests landed; landings are reported unknown. ` +
        `Set it to the environment's fleetgate:verificationSecret (pulumi config get fleetgate:verificationSecret --stack ${plan.environment}).\n`,
    );
  const verdicts = (await runChecks(checks, probe)).map((r) => judge(r, probe.token !== undefined));
  input.out(renderTable(verdicts));
  const failed = verdicts.filter((v) => !v.ok).length;
  const unknown = verdicts.filter((v) => v.warning !== undefined).length;
  input.out(
    `${verdicts.length} checks, ${failed} mismatched${unknown ? `, ${unknown} with the landing unknown` : ""}, ${requests} requests at most ${probe.ratePerSecond} per second.\n`,
  );
  return failed > 0 ? 1 : 0;
}
