/**
 * Fake outputs for the GCP resources Fleetgate creates (see offline/fakes/index.ts): self links of the
 * load balancer's pieces, documentation-range global addresses, Certificate Manager's DNS authorization
 * records and map entry state. The GCP front door makes no lookups: NEG names are deterministic.
 */
import { createHash } from "node:crypto";
import { fakeOutputsFor, stableNumber } from "./index";

const COMPUTE_API = "https://www.googleapis.com/compute/v1";
const hex = (text: string, length = 12) => createHash("sha256").update(text).digest("hex").slice(0, length);

type Inputs = Record<string, unknown>;
const projectOf = (inputs: Inputs) => String(inputs.project ?? "fake-project");
const nameOf = (name: string, inputs: Inputs) => String(inputs.name ?? name);

/** Global compute resources: a self link in their collection. */
const GLOBAL_COLLECTIONS: Record<string, string> = {
  "gcp:compute/backendService:BackendService": "backendServices",
  "gcp:compute/healthCheck:HealthCheck": "healthChecks",
  "gcp:compute/uRLMap:URLMap": "urlMaps",
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy": "targetHttpsProxies",
  "gcp:compute/targetHttpProxy:TargetHttpProxy": "targetHttpProxies",
  "gcp:compute/globalForwardingRule:GlobalForwardingRule": "forwardingRules",
  "gcp:compute/sSLPolicy:SSLPolicy": "sslPolicies",
  "gcp:compute/firewall:Firewall": "firewalls",
  "gcp:compute/globalNetworkEndpointGroup:GlobalNetworkEndpointGroup": "networkEndpointGroups",
};

for (const [type, collection] of Object.entries(GLOBAL_COLLECTIONS))
  fakeOutputsFor(type, (name, inputs) => ({
    selfLink: `${COMPUTE_API}/projects/${projectOf(inputs)}/global/${collection}/${nameOf(name, inputs)}`,
    ...(type.endsWith(":BackendService") ? { generatedId: stableNumber(name, 2 ** 31), fingerprint: hex(`${name}/fp`, 16) } : {}),
  }));

// Addresses from the documentation ranges (RFC 5737, RFC 3849), stable per name. An address read rather
// than created (an adopted one, qualified by the address it was declared with) answers with that address.
fakeOutputsFor("gcp:compute/globalAddress:GlobalAddress", (name, inputs) => ({
  address:
    typeof inputs.address === "string"
      ? inputs.address
      : inputs.ipVersion === "IPV6"
        ? `2001:db8:${stableNumber(name, 0xffff).toString(16)}::1`
        : `203.0.113.${stableNumber(name, 254) + 1}`,
  ...(typeof inputs.address === "string" ? { addressType: "EXTERNAL", ipVersion: inputs.address.includes(":") ? "IPV6" : "IPV4" } : {}),
  selfLink: `${COMPUTE_API}/projects/${projectOf(inputs)}/global/addresses/${nameOf(name, inputs)}`,
  ...(inputs.ipVersion === "IPV6" ? { prefixLength: 64 } : {}),
}));

// Certificate Manager answers a DNS authorization with one CNAME: under _acme-challenge for FIXED_RECORD,
// under a name of its own per project for PER_PROJECT_RECORD.
fakeOutputsFor("gcp:certificatemanager/dnsAuthorization:DnsAuthorization", (_name, inputs) => {
  const domain = String(inputs.domain ?? "example.com");
  const label = inputs.type === "PER_PROJECT_RECORD" ? `_acme-challenge_${hex(`${projectOf(inputs)}/${domain}`, 16)}` : "_acme-challenge";
  return {
    dnsResourceRecords: [
      {
        name: `${label}.${domain}.`,
        type: "CNAME",
        data: `${hex(`${domain}/a`, 8)}-${hex(`${domain}/b`, 4)}-${hex(`${domain}/c`, 4)}.${stableNumber(domain, 16)}.authorize.certificatemanager.goog.`,
      },
    ],
  };
});

fakeOutputsFor("gcp:certificatemanager/certificate:Certificate", (_name, inputs) => ({
  sanDnsnames: ((inputs.managed as { domains?: string[] } | undefined)?.domains ?? []).slice(),
}));

fakeOutputsFor("gcp:certificatemanager/certificateMapEntry:CertificateMapEntry", () => ({ state: "ACTIVE" }));
