/**
 * Port 80 only redirects: every plain-HTTP proxy of the GCP front door serves a URL map that does
 * nothing but redirect to HTTPS.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { TYPES } from "./resources";

export const httpOnlyRedirects: StackValidationPolicy = {
  name: "http-only-redirects",
  description: "No HTTP listener serves content: plain HTTP only redirects to HTTPS.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const proxy of args.resources.filter((r) => r.type === TYPES.httpProxy)) {
      const maps = (proxy.propertyDependencies.urlMap ?? []).filter((d) => d.type === TYPES.urlMap);
      if (maps.length === 0) {
        reportViolation(`HTTP proxy ${proxy.name} serves a URL map Fleetgate cannot see; serve only a redirect-to-HTTPS URL map.`, proxy.urn);
        continue;
      }
      for (const map of maps) {
        const props = map.props as Record<string, any>;
        const redirects = props.defaultUrlRedirect?.httpsRedirect === true;
        const routes = (props.hostRules?.length ?? 0) + (props.pathMatchers?.length ?? 0);
        if (!redirects || routes > 0 || props.defaultService !== undefined)
          reportViolation(
            `HTTP proxy ${proxy.name} serves URL map ${map.name}, which does not only redirect to HTTPS; give it defaultUrlRedirect.httpsRedirect and no routes.`,
            proxy.urn,
          );
      }
    }
  },
};
