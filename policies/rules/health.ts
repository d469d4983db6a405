/**
 * Every backend is health-checked: a backend service of gateway NEGs carries a health check. (Backend
 * services of internet NEGs cannot have one in GCP; the gateway behind them is checked by its own
 * load balancer.)
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { asArray, readKnown, TYPES, UNKNOWN } from "./resources";

export const backendsHealthChecked: ResourceValidationPolicy = {
  name: "backends-health-checked",
  description: "Every backend service of cluster gateways has a health check.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.backendService) return;
    // A new NEG's link is not known during a preview: it counts as a network endpoint group of a cluster.
    const groups = asArray<{ group?: string }>(args.props.backends).map((b) => readKnown(() => String(b.group ?? "")));
    const internetOnly = groups.length > 0 && groups.every((g) => g !== UNKNOWN && g.includes("/global/networkEndpointGroups/"));
    // New health checks' links are not known during a preview: an unknown list is a list all the same.
    const checks = readKnown(() => args.props.healthChecks);
    if (!internetOnly && (checks === undefined || (Array.isArray(checks) && checks.length === 0)))
      reportViolation(`backend service ${args.name} has no health check; without one the front door keeps sending traffic to dead gateways.`);
  },
};
