/**
 * GKE's rules for the policies its Gateway controller attaches (networking.gke.io/v1 GCPBackendPolicy,
 * HealthCheckPolicy, GCPGatewayPolicy): what they may target, how two on one target are settled, and the
 * rules their CRDs hold their fields to. Fleetgate reads these policies as written for GKE
 * (spec/gke-policies.ts), so it holds them to the same rules and reports where they are broken.
 */
import type { Contract } from "./contract";

const GKE_POLICIES = {
  title: "GKE: Configure Gateway resources using Policies",
  url: "https://docs.cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources",
};
const GKE_GATEWAY_API = {
  title: "GoogleCloudPlatform/gke-gateway-api: apis/networking/v1 (the CRDs' Go types and validation rules)",
  url: "https://github.com/GoogleCloudPlatform/gke-gateway-api",
};

export const policyAttachment: Contract = {
  id: "gke.policy-attachment",
  party: "GKE",
  subject: "Gateway controller: policy attachment",
  rule: "a GCPBackendPolicy or HealthCheckPolicy targets a Service (single-cluster Gateway) or a ServiceImport (multi-cluster Gateway) in the policy's own namespace, and a GCPGatewayPolicy a gateway.networking.k8s.io Gateway in its own namespace; one GCPBackendPolicy attaches to a Service or ServiceImport at a time: of two, the oldest takes precedence and the second fails to attach (the page states this for GCPBackendPolicy only, and nothing about two HealthCheckPolicies or GCPGatewayPolicies on one target)",
  source: { ...GKE_POLICIES, section: "Restrictions and Limitations" },
  checkedIn: {
    validator:
      "a policy whose target is of another kind or namespace, names nothing, or is already the target of a policy of its kind, at the policy's field (spec/gke-policies.ts): a second GCPBackendPolicy as GKE refuses it (documents in git have no age: the first by file path and position is the older); a second HealthCheckPolicy or GCPGatewayPolicy because a backend service has one health check and the front door one set of gateway settings",
  },
};

export const healthCheckPolicyRules: Contract = {
  id: "gke.health-check-policy",
  party: "GKE",
  subject: "HealthCheckPolicy",
  rule: "a check's timeoutSec does not exceed its checkIntervalSec, either of which defaults to 5 (so a timeoutSec alone is at most 5, a checkIntervalSec alone at least 5); without config the check is HTTP, and config holds exactly two fields, type and the member of that type; a member's port is set exactly when portSpecification is USE_FIXED_PORT and its portName exactly when it is USE_NAMED_PORT (neither with USE_SERVING_PORT, the default)",
  source: {
    ...GKE_GATEWAY_API,
    section:
      "healthcheck_types.go: HealthCheckPolicyConfig, HealthCheck, CommonHealthCheck (kubebuilder XValidation rules, MinProperties/MaxProperties, field comments)",
  },
  checkedIn: { validator: "HealthCheckPolicy spec.default (spec/schema/gke-policies.ts)" },
};

export const backendPolicyFields: Contract = {
  id: "gke.backend-policy-fields",
  party: "GKE",
  subject: "GCPBackendPolicy",
  rule: "logging is off unless logging.enabled is true; logging.sampleRate is in millionths (0 to 1,000,000, divided by 1,000,000 for the backend service) and may be set only with logging enabled; cookieTtlSec needs GENERATED_COOKIE or HTTP_COOKIE affinity; the Gateway controller does not support session affinity HEADER_FIELD or HTTP_COOKIE (this last rests on the authors' recollection of the page's restrictions, whose copies read here stop before it; the CRD itself admits all seven types)",
  source: {
    ...GKE_GATEWAY_API,
    section:
      "gcpbackendpolicy_types.go: LoggingConfig, SessionAffinityConfig; and GKE: Configure Gateway resources using Policies, Restrictions and Limitations",
  },
  checkedIn: { validator: "GCPBackendPolicy spec.default.logging and sessionAffinity, at the field (spec/gke-policies.ts)" },
};

export const gatewayPolicyFields: Contract = {
  id: "gke.gateway-policy-fields",
  party: "GKE",
  subject: "GCPGatewayPolicy",
  rule: "spec.default has three fields: sslPolicy, the name or path of the SSL policy of the Gateway's target HTTPS proxy; allowGlobalAccess, the forwarding rule's global access, which only internal regional load balancers have; region, the load balancer's region for a multi-cluster Gateway",
  source: { ...GKE_GATEWAY_API, section: "gcpgatewaypolicy_types.go: GCPGatewayPolicyConfig; and Compute Engine API: ForwardingRule.allowGlobalAccess" },
  checkedIn: {
    validator:
      "sslPolicy other than the environment's, allowGlobalAccess: true and region are answered with a warning at the field (spec/gke-policies.ts, spec/field-handling.ts)",
  },
};

export const contracts: readonly Contract[] = [policyAttachment, healthCheckPolicyRules, backendPolicyFields, gatewayPolicyFields];
