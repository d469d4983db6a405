/**
 * TLS 1.2 at least, wherever Fleetgate terminates TLS: the GCP front door's SSL policy (and every HTTPS
 * proxy must name one: GCP's default accepts TLS 1.0), AWS listeners, and the NLBs the AWS Load Balancer
 * Controller makes from a gateway's annotations (its default policy accepts TLS 1.0 too).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { readKnown, TYPES } from "./resources";

const SSL_CERT = "service.beta.kubernetes.io/aws-load-balancer-ssl-cert";
const SSL_POLICY = "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy";
/** AWS security policies whose lowest protocol is TLS 1.2 or 1.3. */
const MODERN_AWS_POLICY = /TLS13|TLS-1-2|TLS-1-3|FS-1-2/;

export const tlsMinimumVersion: ResourceValidationPolicy = {
  name: "tls-minimum-version",
  description: "Every TLS endpoint Fleetgate creates accepts TLS 1.2 or newer only.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const props = args.props as Record<string, any>;
    if (args.type === TYPES.sslPolicy && props.minTlsVersion !== undefined && !["TLS_1_2", "TLS_1_3"].includes(props.minTlsVersion))
      reportViolation(`SSL policy ${args.name} allows ${props.minTlsVersion}; set minTlsVersion to TLS_1_2 or TLS_1_3.`);
    // A new SSL policy's link is not known during a preview; the proxy names it all the same.
    if (args.type === TYPES.httpsProxy && readKnown(() => props.sslPolicy) === undefined)
      reportViolation(`HTTPS proxy ${args.name} names no SSL policy, so GCP's default (TLS 1.0) applies; attach an SSL policy with TLS 1.2 minimum.`);
    if (
      args.type === TYPES.awsListener &&
      ["TLS", "HTTPS"].includes(props.protocol) &&
      typeof props.sslPolicy === "string" &&
      !MODERN_AWS_POLICY.test(props.sslPolicy)
    )
      reportViolation(`listener ${args.name} uses ${props.sslPolicy}; use a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06.`);
    if (args.type.startsWith("kubernetes:")) {
      for (const annotations of kubernetesAnnotations(props)) {
        // The certificate ARNs are not known during a preview; that the annotation is there is what counts.
        if (readKnown(() => annotations[SSL_CERT]) === undefined) continue;
        const policy = annotations[SSL_POLICY];
        if (policy === undefined)
          reportViolation(
            `${args.name} asks for a TLS NLB without ${SSL_POLICY}, so AWS's default (TLS 1.0) applies; set it to ELBSecurityPolicy-TLS13-1-2-2021-06.`,
          );
        else if (!MODERN_AWS_POLICY.test(policy))
          reportViolation(`${args.name} asks for NLB policy ${policy}; use a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06.`);
      }
    }
  },
};

/** Annotations of a Kubernetes object: its own, and those a Gateway passes to its Service. */
function kubernetesAnnotations(props: Record<string, any>): Record<string, string>[] {
  return [props.metadata?.annotations, props.spec?.infrastructure?.annotations].filter((a) => a && typeof a === "object");
}
