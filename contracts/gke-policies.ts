/**
 * GKE's rules for the policies its Gateway controller attaches (networking.gke.io/v1 GCPBackendPolicy,
 * HealthCheckPolicy, GCPGatewayPolicy): what they may target, how two on one target are settled, and the
 * rules their CRDs hold their fields to. Fleetgate reads these policies as written for GKE
 * (spec/gke-policies.ts), so it holds them to the same rules and reports where they are broken.
 */
import type { Contract } from "./contract";

const GKE_POLICIES = { title: "GKE: Configure Gateway resources using Policies", url: "https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources" };
const GKE_GATEWAY_API = { title: "GoogleCloudPlatform/gke-gateway-api: apis/networking/v1", url: "https://github.com/GoogleCloudPlatform/gke-gateway-api" };

export const policyAttachment: Contract = {
  id: "gke.policy-attachment",
  party: "GKE",
  subject: "Gateway controller: policy attachment",
  rule: "a GCPBackendPolicy or HealthCheckPolicy targets a Service (single-cluster Gateway) or a net.gke.io ServiceImport (multi-cluster Gateway) in the policy's own namespace, and a GCPGatewayPolicy a gateway.networking.k8s.io Gateway in its own namespace; a target has at most one policy of each kind: of two, the older is attached and the other fails to attach",
  source: { ...GKE_POLICIES, section: "Restrictions and Limitations" },
  checkedIn: {
    validator: "a policy whose target is of another kind or namespace, names nothing, or is already the target of a policy of its kind (documents in git have no age: the first by file path and position is the older), at the policy's field (spec/gke-policies.ts)",
  },
};

export const healthCheckPolicyRules: Contract = {
  id: "gke.health-check-policy",
  party: "GKE",
  subject: "HealthCheckPolicy",
  rule: "a check's timeoutSec does not exceed its checkIntervalSec, either of which defaults to 5; config names one member, the one of its type (HTTP by default); a member's port is set exactly when portSpecification is USE_FIXED_PORT and its portName exactly when it is USE_NAMED_PORT",
  source: { ...GKE_GATEWAY_API, section: "healthcheck_types.go: HealthCheckPolicyConfig, HealthCheck, CommonHealthCheck (CRD validation rules)" },
  checkedIn: { validator: "HealthCheckPolicy spec.default (spec/schema/gke-policies.ts)" },
};

export const backendPolicyFields: Contract = {
  id: "gke.backend-policy-fields",
  party: "GKE",
  subject: "GCPBackendPolicy",
  rule: "logging is off unless logging.enabled is true; logging.sampleRate is in millionths (0 to 1,000,000, divided by 1,000,000 for the backend service) and may be set only with logging enabled; session affinity HEADER_FIELD and HTTP_COOKIE are not supported, and cookieTtlSec needs cookie affinity",
  source: { ...GKE_GATEWAY_API, section: "gcpbackendpolicy_types.go: LoggingConfig, SessionAffinityConfig; and GKE: Configure Gateway resources using Policies, Restrictions and Limitations" },
  checkedIn: { validator: "GCPBackendPolicy spec.default.logging and sessionAffinity, at the field (spec/gke-policies.ts)" },
};

export const contracts: readonly Contract[] = [policyAttachment, healthCheckPolicyRules, backendPolicyFields];
