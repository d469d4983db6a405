/**
 * The contracts hold to account: every place a rule says it is checked is proven by a test. The fakes
 * refuse a registration that breaks a rule (citing it), the validator reports a spec that would break it
 * (citing it, where it can), and the simulated update's refusals, waits and the program's own choices
 * are each named here by the test that shows them, which must exist. docs/contracts.md is the table of
 * them all, and is up to date.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assertRegistration, CONTRACTS } from "../../contracts";
import type { Inputs } from "../../contracts/contract";
import { CONTRACTS_DOC, contractsTable } from "../../contracts/table";
import { PROJECT_ROOT } from "../../offline/run-offline";
import { awsFixture, type Doc } from "../components/aws/aws-fixture";
import { baseFixture, planFixture, type SpecFixture } from "../spec/fixtures";

const neg = (zone: string, i = 0) => `https://www.googleapis.com/compute/v1/projects/p/zones/${zone}/networkEndpointGroups/n${i}`;
const zonal = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ group: neg("us-central1-a", i), balancingMode: "RATE", maxRatePerEndpoint: 1, capacityScaler: 1 }));
const backendService = (extra: Inputs = {}): Inputs => ({
  name: "fg-x",
  backends: zonal(2),
  healthChecks: "https://hc",
  loadBalancingScheme: "EXTERNAL_MANAGED",
  ...extra,
});

const forwardingRule = (extra: Inputs = {}): Inputs => ({
  name: "fg-x-https",
  ipAddress: "198.51.100.10",
  ipProtocol: "TCP",
  portRange: "443",
  loadBalancingScheme: "EXTERNAL_MANAGED",
  networkTier: "PREMIUM",
  ...extra,
});
const FORWARDING_RULE = "gcp:compute/globalForwardingRule:GlobalForwardingRule";

/** A registration each registration check refuses, by contract (`others`: what the cloud holds already). */
const REFUSED_REGISTRATIONS: Record<string, { type: string; inputs: Inputs; provider?: Inputs; others?: { type: string; name: string; inputs: Inputs }[] }> = {
  "gcp.forwarding-rule-address": { type: FORWARDING_RULE, inputs: forwardingRule({ networkTier: "STANDARD" }) },
  "gcp.forwarding-rule-ports": {
    type: FORWARDING_RULE,
    inputs: forwardingRule(),
    others: [{ type: FORWARDING_RULE, name: "other", inputs: forwardingRule({ name: "fg-y-https" }) }],
  },
  "gcp.resource-names": { type: "gcp:compute/healthCheck:HealthCheck", inputs: { name: "Fleetgate_Check" } },
  "gcp.neg-backends": { type: "gcp:compute/backendService:BackendService", inputs: backendService({ backends: zonal(51) }) },
  "gcp.backend-kinds": {
    type: "gcp:compute/backendService:BackendService",
    inputs: backendService({ backends: [...zonal(1), { group: "https://www.googleapis.com/compute/v1/projects/p/global/networkEndpointGroups/internet" }] }),
  },
  "gcp.health-check-by-backend": { type: "gcp:compute/backendService:BackendService", inputs: backendService({ healthChecks: undefined }) },
  "gcp.backend-balancing": {
    type: "gcp:compute/backendService:BackendService",
    inputs: backendService({ backends: [{ ...zonal(1)[0], capacityScaler: 0.05 }, ...zonal(1)] }),
  },
  "gcp.backend-settings": { type: "gcp:compute/backendService:BackendService", inputs: backendService({ connectionDrainingTimeoutSec: 4000 }) },
  "gcp.custom-headers": {
    type: "gcp:compute/backendService:BackendService",
    inputs: backendService({ customRequestHeaders: Array.from({ length: 17 }, (_, i) => `x-h${i}:v`) }),
  },
  "gcp.lb-algorithms": {
    type: "gcp:networkservices/serviceLbPolicies:ServiceLbPolicies",
    inputs: { name: "spread", loadBalancingAlgorithm: "SPRAY_TO_WORLD" },
  },
  "gcp.url-map-size": { type: "gcp:compute/uRLMap:URLMap", inputs: { name: "fg-x", description: "x".repeat(1_100_000) } },
  "gcp.url-map-limits": {
    type: "gcp:compute/uRLMap:URLMap",
    inputs: { name: "fg-x", hostRules: Array.from({ length: 1001 }, (_, i) => ({ hosts: [`h${i}.example.com`], pathMatcher: `m${i}` })) },
  },
  "gcp.url-map-rules": {
    type: "gcp:compute/uRLMap:URLMap",
    inputs: { name: "fg-x", pathMatchers: [{ name: "m", routeRules: [1, 2].map(() => ({ priority: 10, matchRules: [{ prefixMatch: "/" }] })) }] },
  },
  "gcp.no-regex": {
    type: "gcp:compute/uRLMap:URLMap",
    inputs: {
      name: "fg-x",
      pathMatchers: [
        { name: "m", routeRules: [{ priority: 1, matchRules: [{ prefixMatch: "/", headerMatches: [{ headerName: "x-a", regexMatch: ".*" }] }] }] },
      ],
    },
  },
  "gcp.health-checks": { type: "gcp:compute/healthCheck:HealthCheck", inputs: { name: "fg-x", checkIntervalSec: 5, timeoutSec: 10 } },
  "gcp.firewall-priority": { type: "gcp:compute/firewall:Firewall", inputs: { name: "fg-x", priority: 70_000 } },
  "gcp.certificate-limits": {
    type: "gcp:certificatemanager/certificate:Certificate",
    inputs: { name: "c", managed: { domains: Array.from({ length: 101 }, (_, i) => `h${i}.example.com`), dnsAuthorizations: ["a"] } },
  },
  "aws.accelerator-limits": {
    type: "aws:globalaccelerator/endpointGroup:EndpointGroup",
    inputs: { endpointConfigurations: [{ endpointId: "arn:nlb", weight: 300 }] },
    provider: { region: "us-east-1" },
  },
  "aws.route53-records": {
    type: "aws:route53/record:Record",
    inputs: { name: "shop.example.net", type: "A", setIdentifier: "us-central1", latencyRoutingPolicies: [{ region: "us-central1" }] },
  },
  "aws.route53-health-checks": { type: "aws:route53/healthCheck:HealthCheck", inputs: { type: "TCP", fqdn: "gw.example.net", port: 443, requestInterval: 15 } },
  "aws.acm-certificates": {
    type: "aws:acm/certificate:Certificate",
    inputs: { domainName: "a.example.net", subjectAlternativeNames: Array.from({ length: 10 }, (_, i) => `h${i}.example.net`) },
  },
  "pulumi-tls.private-keys": { type: "tls:index/privateKey:PrivateKey", inputs: { algorithm: "ECDSA", ecdsaCurve: "P192" } },
  "pulumi-tls.certificates": {
    type: "tls:index/selfSignedCert:SelfSignedCert",
    inputs: { validityPeriodHours: 87600, allowedUses: ["cert_signing", "ca_signing"] },
  },
  "kubernetes.admission-webhooks": {
    type: "kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration",
    inputs: {
      metadata: { name: "istio-revision-tag-fleetgate" },
      webhooks: [
        {
          name: "sidecar-injector",
          sideEffects: "None",
          admissionReviewVersions: ["v1"],
          clientConfig: { service: { name: "istiod", namespace: "istio-system" } },
        },
      ],
    },
  },
  "kubernetes.object-meta": {
    type: "kubernetes:core/v1:Namespace",
    inputs: { metadata: { name: "istio-system", labels: { "topology.istio.io/network": "net/1" } } },
  },
  "eks.load-balancer-annotations": {
    type: "kubernetes:core/v1:Service",
    inputs: {
      metadata: {
        annotations: {
          "service.beta.kubernetes.io/aws-load-balancer-type": "external",
          "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
          "service.beta.kubernetes.io/aws-load-balancer-proxy-protocol": "true",
        },
      },
    },
  },
};

const cluster = (f: SpecFixture, i: number): Doc => (f.config.clusters as Doc[])[i]!;
const gkePolicy = (kind: string, targetRef: Doc, settings: Doc = {}): Doc => ({
  apiVersion: "networking.gke.io/v1",
  kind,
  metadata: { name: "web-policy", namespace: "shop" },
  spec: { targetRef, default: settings },
});
const backendConfig = (spec: Doc): Doc => ({ apiVersion: "cloud.google.com/v1", kind: "BackendConfig", metadata: { name: "web-bc", namespace: "shop" }, spec });

/** A spec the validator refuses (or warns about), by contract: the diagnostic cites the contract, or says `says`. */
const VALIDATOR_CASES: Record<string, { fixture: () => SpecFixture; mutate: (f: SpecFixture) => void; says?: string; severity?: "warning" }> = {
  "gcp.neg-backends": {
    fixture: baseFixture,
    mutate: (f) => {
      for (const name of ["us2", "us3", "us4"])
        (f.config.clusters as Doc[]).push({ ...cluster(f, 0), name, zones: "abcdefghijklmnopqrst".split("").map((z) => `us-central1-${z}`) });
    },
  },
  "gcp.custom-headers": {
    fixture: baseFixture,
    mutate: (f) =>
      void f.files["shop/shop.yaml"]!.push(backendConfig({ customRequestHeaders: { headers: Array.from({ length: 16 }, (_, i) => `X-H${i}: v`) } })),
  },
  "gcp.nearest-first": { fixture: baseFixture, mutate: () => {}, severity: "warning" },
  "gcp.url-map-limits": {
    fixture: baseFixture,
    mutate: (f) => {
      const spec = (f.files["shop/shop.yaml"]![2] as Doc).spec.template.spec;
      spec.rules[0].http.paths.push(...Array.from({ length: 1000 }, (_, i) => ({ path: `/p${i}`, backend: { serviceName: "web", servicePort: 80 } })));
    },
  },
  "gcp.url-map-rules": {
    fixture: baseFixture,
    mutate: (f) =>
      void ((f.files["shop/shop.yaml"]![2] as Doc).spec.template.spec.rules[0].http.paths[0].fleetgate = { rewrite: { prefix: `/${"x".repeat(1100)}/` } }),
  },
  "gcp.no-regex": {
    fixture: baseFixture,
    mutate: (f) =>
      void ((f.files["shop/shop.yaml"]![2] as Doc).spec.template.spec.rules[0].http.paths[0].fleetgate = {
        match: { headers: [{ name: "x-a", type: "RegularExpression", value: "a.*" }] },
      }),
  },
  "gcp.backend-settings": {
    fixture: baseFixture,
    mutate: (f) =>
      void f.files["shop/shop.yaml"]!.push(backendConfig({ sessionAffinity: { affinityType: "GENERATED_COOKIE", affinityCookieTtlSec: 2_000_000 } })),
    says: "1209600",
  },
  "gcp.health-checks": {
    fixture: baseFixture,
    mutate: (f) => void f.files["shop/shop.yaml"]!.push(backendConfig({ healthCheck: { checkIntervalSec: 2, timeoutSec: 5 } })),
    says: "longer than checkIntervalSec",
  },
  "gke.neg-controller": { fixture: baseFixture, mutate: (f) => void (cluster(f, 2).zones = []) },
  "gcp.forwarding-rule-ports": {
    fixture: baseFixture,
    mutate: (f) => void ((f.config.gcp as Doc).adoptAddresses = [{ name: "fg-test", address: "198.51.100.10" }]),
  },
  "aws.accelerator-addresses": {
    fixture: awsFixture,
    mutate: (f) => void ((f.files["shop/shop.yaml"]![2] as Doc).metadata.annotations = { "networking.gke.io/static-ip": "shop-ip" }),
  },
  "aws.client-ip-preservation": {
    fixture: awsFixture,
    mutate: (f) => void f.files["shop/shop.yaml"]!.push(backendConfig({ sessionAffinity: { affinityType: "CLIENT_IP" } })),
  },
  "aws.dual-stack-accelerator": { fixture: awsFixture, mutate: (f) => void (f.config.aws = { mode: "accelerator", dualStack: true }) },
  "aws.accelerator-limits": { fixture: awsFixture, mutate: (f) => void (f.config.aws = { mode: "accelerator", globalRegion: "us-east-1" }) },
  "aws.route53-records": {
    fixture: () => awsFixture("latency-dns"),
    mutate: (f) => {
      (f.config.clusters as Doc[])[2] = {
        name: "asia",
        provider: "other",
        region: "dc-singapore",
        latencyRegion: "ap-southeast-9",
        network: "dc",
        labels: {},
        access: { kind: "kubeconfig" },
        gateway: { publicHostname: "gw.asia.example.com" },
      };
      f.config.kubeconfigs = { asia: "apiVersion: v1" };
      f.secure.push("kubeconfigs");
    },
  },
  "aws.acm-certificates": {
    fixture: awsFixture,
    mutate: (f) =>
      void ((f.files["search/search.yaml"]![1] as Doc).spec.template.spec.rules[1].host = `${"a".repeat(30)}.${"b".repeat(30)}.search.example.com`),
  },
  "kubernetes.mcs-crds": { fixture: awsFixture, mutate: (f) => void (cluster(f, 0).multiClusterServices = "gke-fleet") },
  "gcp.resource-names": { fixture: baseFixture, mutate: (f) => void (cluster(f, 0).network = "net.1") },
  "kubernetes.object-meta": { fixture: baseFixture, mutate: (f) => void (cluster(f, 0).network = "net/1") },
  "istio.parameters-ref": { fixture: baseFixture, mutate: (f) => void (f.config.mesh = { istio: { version: "1.25.4" } }) },
  "istio.upgrade-skew": { fixture: baseFixture, mutate: (f) => void (f.config.mesh = { istio: { version: "1.28.0", revisions: ["1.26.4", "1.28.0"] } }) },
  "gke.gateway-api-crds-managed": { fixture: baseFixture, mutate: (f) => void (f.config.gatewayApi = { crds: "manage" }), severity: "warning" },
  "gke.app-protocols": {
    fixture: baseFixture,
    mutate: (f) => void ((f.files["shop/shop.yaml"]![0] as Doc).metadata.annotations = { "networking.gke.io/app-protocols": '{"http": "TLS"}' }),
  },
  "gke.health-check-parameters": {
    fixture: baseFixture,
    mutate: (f) => {
      (f.files["shop/shop.yaml"]![0] as Doc).metadata.annotations = { "cloud.google.com/backend-config": '{"default": "web-bc"}' };
      f.files["shop/shop.yaml"]!.push(backendConfig({ healthCheck: { type: "HTTPS" } }));
    },
    severity: "warning",
  },
  "gke.policy-attachment": {
    fixture: baseFixture,
    mutate: (f) => void f.files["shop/shop.yaml"]!.push(gkePolicy("GCPBackendPolicy", { group: "", kind: "Service", name: "web", namespace: "search" })),
  },
  "gke.health-check-policy": {
    fixture: baseFixture,
    mutate: (f) => void f.files["shop/shop.yaml"]!.push(gkePolicy("HealthCheckPolicy", { group: "", kind: "Service", name: "web" }, { timeoutSec: 10 })),
  },
  "gke.gateway-policy-fields": {
    fixture: baseFixture,
    mutate: (f) =>
      void (f.files["fleetgate-gateway/policies.yaml"] = [
        {
          ...gkePolicy("GCPGatewayPolicy", { group: "gateway.networking.k8s.io", kind: "Gateway", name: "fleetgate" }, { allowGlobalAccess: true }),
          metadata: { name: "gw", namespace: "fleetgate-gateway" },
        },
      ]),
    severity: "warning",
  },
  "gke.backend-policy-fields": {
    fixture: baseFixture,
    mutate: (f) =>
      void f.files["shop/shop.yaml"]!.push(gkePolicy("GCPBackendPolicy", { group: "", kind: "Service", name: "web" }, { logging: { sampleRate: 500_000 } })),
  },
  "gke.cluster-links": { fixture: baseFixture, mutate: (f) => void (cluster(f, 1).access.location = "europe-west1-b") },
  "kubernetes.gateway-redirect-codes": {
    fixture: awsFixture,
    mutate: (f) => {
      f.files["shop/shop.yaml"]!.push({
        apiVersion: "networking.gke.io/v1beta1",
        kind: "FrontendConfig",
        metadata: { name: "redirect", namespace: "shop" },
        spec: { redirectToHttps: { enabled: true, responseCodeName: "SEE_OTHER" } },
      });
      (f.files["shop/shop.yaml"]![2] as Doc).metadata.annotations = { "networking.gke.io/frontend-config": "redirect" };
    },
  },
};

/** The tests that show the other places a contract names: the simulated update's, waits and the program's own. */
const SHOWN_BY: Record<string, readonly [file: string, title: string][]> = {
  "gcp.forwarding-rule-address": [["test/components/gcp/adopted-addresses.test.ts", "serves an adopted address only on the IP the read confirms, external"]],
  "gcp.forwarding-rule-ports": [
    ["test/components/gcp/adopted-addresses.test.ts", "gives every address an HTTPS rule on 443 and an HTTP rule on 80 to the same proxies"],
    ["test/components/gcp/adopted-addresses.test.ts", "refuses a second forwarding rule on the same address and port"],
  ],
  "pulumi.unique-urns": [["test/harness.test.ts", "refuses a second registration of a URN, as the engine does"]],
  "gcp.resource-names": [["test/components/gcp/stability.test.ts", "renames and replaces nothing when a cluster is added"]],
  "gcp.neg-backends": [["test/components/gcp/backend-plan.test.ts", "answers unmatched requests from one gateway per region, within GCP's 50 NEG backends"]],
  "gcp.backend-kinds": [["test/components/gcp/backend-plan.test.ts", "reaches a non-GKE cluster through its own internet NEG backend service"]],
  "gcp.backend-balancing": [["test/components/gcp/backend-plan.test.ts", "gives GCP a capacity scaler it accepts"]],
  "gcp.lb-algorithms": [
    ["test/components/gcp/front-door.test.ts", "sends the even-balanced service nearest-first like any other"],
    ["test/components/kubernetes/mesh-plan.test.ts", "splits an even service by region"],
  ],
  "gcp.method-match": [
    ["test/components/gcp/url-map.test.ts", "matches a method as the :method pseudo-header, exactly, before the route's own header matches"],
  ],
  "gcp.url-map-size": [["test/spec/plan-limits.test.ts", "refuses an environment whose URL map would outgrow GCP's size"]],
  "gcp.neg-references": [
    ["test/simulation/waits.test.ts", "needs the NEG wait"],
    ["test/simulation/updates.test.ts", "GKE removes the cluster's NEGs once no backend service attaches them"],
  ],
  "gke.neg-controller": [
    ["test/simulation/first-up.test.ts", "naming the cluster and zone where GKE makes no NEG"],
    ["test/simulation/waits.test.ts", "needs the NEG wait"],
  ],
  "gke.neg-names": [["test/simulation/refusals.test.ts", "refuses a NEG name another Service's controller owns"]],
  "gcp.per-project-dns-authorization": [
    ["test/simulation/refusals.test.ts", "refuses a second stack's DNS authorization record"],
    ["test/spec/plan-limits.test.ts", "refuses a domain another stack of the same project authorizes"],
  ],
  "gcp.certificate-limits": [["test/spec/plan-limits.test.ts", "refuses more certificate map entries than a project holds"]],
  "gcp.certificate-issuance": [
    ["test/simulation/first-up.test.ts", "awaitCertificates points no host at the front door before its certificate is active"],
    ["test/simulation/waits.test.ts", "needs the certificate wait"],
  ],
  "gcp.certificate-map-primary": [
    ["test/components/catch-all.test.ts", "gives requests for unknown hosts and by IP address the certificate of the map's PRIMARY entry"],
  ],
  "aws.nlb-default-certificate": [
    ["test/components/catch-all.test.ts", "gives requests for unknown hosts and by IP address the NLB's default certificate, the first of its region's"],
  ],
  "gcp.dns-records": [["test/simulation/refusals.test.ts", "refuses a second stack's DNS authorization record"]],
  "aws.client-ip-preservation": [
    ["test/simulation/refusals.test.ts", "refuses client IP preservation for an NLB with a TLS listener"],
    ["test/components/aws/front-door.test.ts", "gives every region an endpoint group per listener"],
  ],
  "aws.dual-stack-accelerator": [["test/simulation/refusals.test.ts", "refuses a dual-stack accelerator"]],
  "aws.endpoint-active": [["test/simulation/waits.test.ts", "needs the NLB wait"]],
  "aws.endpoint-group-health": [["test/components/aws/front-door.test.ts", "gives every region an endpoint group per listener"]],
  "aws.nlb-security-groups": [
    ["test/simulation/refusals.test.ts", "gives NLBs security groups only from load balancer controller 2.6 on"],
    ["test/simulation/first-up.test.ts", "gives NLBs no security groups, and needs none"],
  ],
  "eks.load-balancer-annotations": [
    ["test/components/kubernetes/gateway-plan.test.ts", "makes an EKS gateway's NLB from a Service of its own"],
    ["test/simulation/refusals.test.ts", "Exactly the listeners Fleetgate asks for"],
  ],
  "eks.load-balancer-status": [
    ["test/simulation/waits.test.ts", "needs the NLB wait"],
    ["test/simulation/waits.test.ts", "needs the NLB lookup to wait for its Service"],
  ],
  "aws.proxy-protocol-health-checks": [
    ["test/simulation/refusals.test.ts", "finds no healthy target behind proxy protocol"],
    ["test/components/kubernetes/gateway-plan.test.ts", "which its status port accepts too"],
  ],
  "aws.dual-stack-nlb": [
    ["test/components/aws/front-door.test.ts", "asks for dual-stack NLBs that hand the client's address to the gateways by proxy protocol"],
    ["test/simulation/first-up.test.ts", "converges in latency-dns mode, and with IPv6 on dual-stack NLBs"],
  ],
  "aws.route53-records": [
    ["test/components/aws/latency-dns.test.ts", "aliases a host reached by public names with CNAME records"],
    ["test/simulation/first-up.test.ts", "a GKE cluster behind the AWS front door"],
  ],
  "aws.acm-certificates": [["test/components/aws/front-door.test.ts", "issues a DNS-validated certificate per region for every host"]],
  "aws.acm-validation": [["test/simulation/waits.test.ts", "needs the certificate validations before the NLBs"]],
  "kubernetes.crd-required": [
    ["test/simulation/first-up.test.ts", "fails to export services where the admin says an implementation runs but its CRDs are missing"],
  ],
  "kubernetes.namespace-required": [["test/simulation/refusals.test.ts", "refuse an object in a namespace that does not exist"]],
  "kubernetes.gateway-api-crds": [["test/simulation/refusals.test.ts", "refuse Gateway API objects where its CRDs are not installed"]],
  "kubernetes.mcs-crds": [
    ["test/components/kubernetes/mesh-plan.test.ts", "exports it with the kind of the cluster's multi-cluster Services, or not at all"],
    ["test/simulation/first-up.test.ts", "fails to export services where the admin says"],
  ],
  "istio.gateway-programmed": [["test/simulation/waits.test.ts", "needs the Gateway's Programmed wait"]],
  "istio.upgrade-skew": [["test/spec/istio-upgrade-guard.test.ts", "refuses a jump of two minor versions from the recorded serving revision"]],
  "kubernetes.gateway-api-bundle": [
    ["test/components/kubernetes/gateway-api-crds.test.ts", "manage refuses to move a newer bundle back"],
    ["test/components/kubernetes/gateway-api-crds.test.ts", "manage refuses to overwrite the experimental channel"],
    [
      "test/components/kubernetes/gateway-api-crds.test.ts",
      "installs the bundle before any Gateway API object, refuses a downgrade, and under check refuses a bundle too old",
    ],
  ],
  "pulumi.retain-on-delete": [["test/components/kubernetes/gateway-api-crds.test.ts", "installs the bundle before any Gateway API object"]],
  "gke.gateway-api-crds-managed": [
    ["test/components/kubernetes/gateway-api-crds.test.ts", "manage refuses a GKE cluster whose own Gateway API keeps the CRDs"],
  ],
  "istio.gateway-api-minimum": [
    ["test/components/kubernetes/gateway-api-crds.test.ts", "check refuses a bundle older than Fleetgate needs"],
    ["test/components/kubernetes/gateway-api-crds.test.ts", "pins a bundle the objects' minimum allows, the one the simulated prerequisite installs"],
  ],
  "istio.revision-control-planes": [
    ["test/simulation/revisions.test.ts", "moves an environment of earlier Fleetgate onto revisions"],
    ["test/components/kubernetes/mesh-plan.test.ts", "names each istiod release and its resource by its revision alone"],
  ],
  "istio.base-chart": [
    ["test/components/kubernetes/mesh-plan.test.ts", "istio-base with the newest revision's CRDs, validating with the serving one"],
    ["test/components/kubernetes/fleet-clusters.test.ts", "installs pinned istio-base and istiod with mesh, cluster and network, by revision"],
  ],
  "istio.revision-tags": [
    ["test/simulation/revisions.test.ts", "moves an environment of earlier Fleetgate onto revisions"],
    ["test/components/kubernetes/mesh-plan.test.ts", "points the fleetgate revision tag at the serving revision"],
  ],
  "istio.gateway-revision-rollout": [
    ["test/simulation/revisions.test.ts", "moves an environment of earlier Fleetgate onto revisions"],
    ["test/components/kubernetes/gateway-plan.test.ts", "labels the gateway with the fleetgate revision tag"],
  ],
  "istio.injected-at-creation": [
    ["test/simulation/revisions.test.ts", "moves an environment of earlier Fleetgate onto revisions"],
    ["test/components/kubernetes/mesh-plan.test.ts", "injects the east-west gateway through the tag"],
  ],
  "istio.control-plane-in-use": [
    ["test/simulation/revisions.test.ts", "moves an environment of earlier Fleetgate onto revisions"],
    ["test/spec/istio-upgrade-guard.test.ts", "refuses the first update with revisions of an environment deployed before them"],
  ],
  "istio.proxy-protocol": [
    ["test/components/kubernetes/gateway-plan.test.ts", "which its status port accepts too"],
    ["test/simulation/refusals.test.ts", "finds no healthy target behind proxy protocol"],
  ],
  "istio.east-west-ports": [
    ["test/components/kubernetes/mesh-plan.test.ts", "reachable on 15443 alone"],
    ["test/simulation/refusals.test.ts", "15443 for east-west [istio.east-west-ports]"],
  ],
  "gke.app-protocols": [
    ["test/components/kubernetes/backend-protocols.test.ts", "gives each port Istio's appProtocol for its GKE protocol, and adds the health port"],
    ["test/components/kubernetes/backend-protocols.test.ts", "originates TLS to the HTTPS ports alone"],
  ],
  "gke.health-check-parameters": [
    [
      "test/components/kubernetes/backend-protocols.test.ts",
      "forwards the front door's check of a service port to the health port that reaches the pods' health port",
    ],
    ["test/spec/backend-protocols.test.ts", "checks in another protocol on the serving pod port through a Service port of its own"],
  ],
  "istio.protocol-selection": [
    ["test/components/kubernetes/backend-protocols.test.ts", "gives each port Istio's appProtocol for its GKE protocol, and adds the health port"],
  ],
  "istio.tls-origination": [
    [
      "test/components/kubernetes/backend-protocols.test.ts",
      "originates TLS to the HTTPS ports alone, without checking the pods' certificates, in the gateway namespace only",
    ],
    ["test/components/kubernetes/backend-protocols.test.ts", "keeps the service's own policy beside the TLS, a sticky port's hash included"],
  ],
  "gke.mci-server-fields": [
    ["test/migrate/import.test.ts", "takes off what the API server and GKE's controllers added, and keeps what the owner wrote"],
    ["test/migrate/import.test.ts", "adopts an address the annotation names, at the IP the dump's VIP gives"],
  ],
  "kubernetes.gateway-redirect-codes": [["test/spec/https-redirect.test.ts", "behind AWS makes each EKS gateway's redirect route answer with its host's code"]],
  "gcp.url-map-matching": [
    ["test/review/route-model/url-map.test.ts", "an exact host before a wildcard that also takes it"],
    ["test/review/route-model/url-map.test.ts", "a :method header match takes the method"],
  ],
  "kubernetes.httproute-precedence": [
    ["test/review/route-model/gateway.test.ts", "PathPrefix never takes a longer element"],
    ["test/review/route-model/gateway.test.ts", "a method match before more header matches"],
    [
      "test/components/kubernetes/landing-routes.test.ts",
      "serves every request without the token as the routes without twins do, and every request with it by the twin of that rule",
    ],
  ],
  "pulumi-tls.private-keys": [["test/components/trust/trust-plan.test.ts", "gives the root the stronger key and intermediates the faster one"]],
  "kubernetes.gateway-allowed-routes": [
    ["test/spec/fleet-gateway.test.ts", "a listener that admits its own namespace only (allowedRoutes absent: Same) refuses a team's route"],
    ["test/spec/fleet-gateway.test.ts", "an unknown sectionName is refused with the listener it may mean"],
  ],
  "kubernetes.gateway-hostname-intersection": [
    ["test/spec/fleet-gateway.test.ts", "a hostname outside the listener its sectionName names is refused"],
    ["test/spec/fleet-gateway.test.ts", "serves a route wildcard on a listener's exact host as that host"],
  ],
  "kubernetes.gateway-listeners-distinct": [["test/spec/fleet-gateway.test.ts", "two listeners of one port and hostname are refused"]],
  "gke.mc-gateway-listeners": [["test/spec/fleet-gateway.test.ts", "a TCP listener is refused"]],
  "gke.mc-gateway-certificates": [["test/spec/fleet-gateway.test.ts", "certificateRefs to Secrets are refused with the reason and what to write"]],
  "gke.mc-gateway-addresses": [["test/spec/fleet-gateway.test.ts", "a second address is refused"]],
  "pulumi.kubernetes-await": [
    ["test/simulation/first-up.test.ts", "converges in one run, and a second run changes nothing"],
    ["test/simulation/waits.test.ts", "needs the Gateway's Programmed wait"],
  ],
};

const byId = new Map(CONTRACTS.map((c) => [c.id, c]));

describe("the contracts", () => {
  it("have unique ids, a source and at least one place each", () => {
    expect(new Set(CONTRACTS.map((c) => c.id)).size).toBe(CONTRACTS.length);
    for (const c of CONTRACTS) {
      expect(c.source.title, c.id).not.toBe("");
      expect(Object.keys(c.checkedIn).length, c.id).toBeGreaterThan(0);
    }
  });

  it("are the table in docs/contracts.md (run `npm run contracts` after changing contracts/)", () => {
    expect(readFileSync(join(PROJECT_ROOT, CONTRACTS_DOC), "utf8")).toBe(contractsTable());
  });

  it.each(Object.entries(REFUSED_REGISTRATIONS))("%s: the fakes refuse a registration that breaks it, citing it", (id, { type, inputs, provider, others }) => {
    expect(byId.has(id)).toBe(true);
    expect(() => assertRegistration(type, "r", inputs, { ...(provider ? { provider } : {}), ...(others ? { others } : {}) })).toThrow(`[${id}]`);
  });

  it.each(Object.entries(VALIDATOR_CASES))("%s: the validator reports a spec that would break it", (id, { fixture, mutate, says, severity }) => {
    expect(byId.get(id)?.checkedIn.validator, id).toBeDefined();
    const f = fixture();
    mutate(f);
    const found = planFixture(f).diagnostics.filter((d) => d.severity === (severity ?? "error") && d.message.includes(says ?? `[${id}]`));
    expect(
      found.length,
      planFixture(f)
        .diagnostics.map((d) => `${d.path}: ${d.message}`)
        .join("\n"),
    ).toBeGreaterThan(0);
    for (const d of found) expect(d.line, d.message).toBeGreaterThan(0);
  });

  it("are each proven where they say they are checked", () => {
    const unproven: string[] = [];
    const shown = new Set(Object.keys(SHOWN_BY));
    for (const c of CONTRACTS) {
      if (c.checkedIn.validator !== undefined && !VALIDATOR_CASES[c.id] && !shown.has(c.id)) unproven.push(`${c.id}: validator`);
      const registration = REFUSED_REGISTRATIONS[c.id] !== undefined;
      for (const place of ["engine", "wait", "program"] as const)
        if (c.checkedIn[place] !== undefined && !(place === "engine" && registration) && !shown.has(c.id)) unproven.push(`${c.id}: ${place}`);
    }
    expect(unproven).toEqual([]);
    for (const [id, tests] of Object.entries(SHOWN_BY)) {
      expect(byId.has(id), id).toBe(true);
      for (const [file, title] of tests) expect(readFileSync(join(PROJECT_ROOT, file), "utf8"), `${id}: ${file} has no test "${title}"`).toContain(title);
    }
  });

  it("are the only ones the code cites", () => {
    const cited = new Set<string>();
    for (const file of ["components", "spec", "offline", "contracts"].flatMap((dir) => readdirTs(join(PROJECT_ROOT, dir))))
      for (const match of readFileSync(file, "utf8").matchAll(/\[((?:gcp|gke|aws|eks|istio|kubernetes|pulumi)\.[a-z0-9.-]+)\]/g)) cited.add(match[1]!);
    expect([...cited].filter((id) => !byId.has(id)).sort()).toEqual([]);
  });
});

function readdirTs(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => join(e.parentPath, e.name));
}
