/**
 * Cloud Armor where the environment demands it: in the environments named in the pack's configuration
 * (default: prod), every backend service has a security policy.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { stackOf, TYPES } from "./resources";

export const DEFAULT_ARMORED_ENVIRONMENTS = ["prod"];

export const cloudArmorRequired: ResourceValidationPolicy = {
  name: "cloud-armor-required",
  description: "In the configured environments, every backend service has a Cloud Armor security policy.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      environments: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_ARMORED_ENVIRONMENTS,
        description: "Stacks whose backend services must have a Cloud Armor policy.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.backendService) return;
    const environments = (args.getConfig<{ environments?: string[] }>().environments ?? DEFAULT_ARMORED_ENVIRONMENTS) as string[];
    if (environments.includes(stackOf(args.urn)) && !args.props.securityPolicy)
      reportViolation(
        `backend service ${args.name} has no Cloud Armor policy, which ${stackOf(args.urn)} requires; set fleetgate:gcp.securityPolicy or a BackendConfig securityPolicy.`,
      );
  },
};
