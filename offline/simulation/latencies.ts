/**
 * How long each thing takes in the simulated `pulumi up`, with where the figure comes from. Where the
 * providers document a time it is used; where only public measurements exist, a typical value of them;
 * the rest are estimates, said to be. The simulation's wall time is only as good as these, and it says
 * "against the simulated actors" wherever it is shown.
 */

export interface Latency {
  readonly ms: number;
  readonly source: string;
}

const s = (seconds: number) => seconds * 1000;

export const LATENCIES = {
  // --- Kubernetes and its controllers --------------------------------------------------------------
  kubernetesObject: { ms: s(1), source: "estimate: an API server answers a create or an update within a second" },
  tokenController: { ms: s(1), source: "estimate: the token controller fills a service-account-token Secret at once" },
  crdRetry: { ms: s(31), source: "pulumi-kubernetes provider/pkg/await: a create missing its CRD or namespace is retried after 1, 2, 4, 8 and 16 s" },
  awaitTimeout: { ms: s(600), source: "pulumi-kubernetes provider/pkg/await/await.go: 10 minutes by default" },
  helmBase: { ms: s(20), source: "estimate: istio-base installs CRDs and a validating webhook configuration" },
  helmIstiod: { ms: s(60), source: "estimate from public reports of 30 to 90 s, mostly pulling the image (istio/istio#30221)" },
  helmGateway: { ms: s(45), source: "estimate: the gateway chart's Deployment is ready once its proxy image is pulled" },
  istioReconcile: {
    ms: s(2),
    source: "estimate: istiod renders a Gateway's Deployment and Service in one reconcile (pilot/pkg/config/kube/gatewaycommon/deploymentcontroller.go)",
  },
  gatewayPodsScheduled: { ms: s(15), source: "estimate: pods get their IPs once scheduled, before their image is pulled" },
  gatewayPodsReady: { ms: s(45), source: "estimate: the proxy image pulled on a cold node" },
  gatewayRollout: {
    ms: s(60),
    source: "estimate: a rolling restart of a gateway Deployment onto a new revision's proxy image (pull, start, readiness) before the old pods go",
  },
  negController: { ms: s(40), source: "estimate; GKE documents no time, and notes the neg-status annotation lags (kubernetes/ingress-gce#1755)" },
  gkeServiceLoadBalancer: { ms: s(60), source: "estimate: a GKE LoadBalancer Service's external passthrough load balancer" },
  otherLoadBalancer: { ms: s(5), source: "estimate: an on-premises or other cloud's load balancer answers a LoadBalancer Service" },
  loadBalancerController: {
    ms: s(10),
    source: "kubernetes-sigs/aws-load-balancer-controller: the Service's status gets the NLB's name right after the create calls (estimate of those calls)",
  },
  nlbProvisioning: { ms: s(180), source: "public reports of 2 to 5 minutes, at times over 10 (kubernetes/kubernetes#44695, openshift/installer#2279)" },
  // --- GCP -------------------------------------------------------------------------------------------
  gcpGlobalOperation: { ms: s(15), source: "estimate: a global Compute Engine operation (backend service, URL map, proxy, forwarding rule) finishing" },
  gcpSmallOperation: { ms: s(8), source: "estimate: an address, health check, firewall rule or SSL policy" },
  certificateManagerCall: { ms: s(5), source: "estimate: Certificate Manager creates a resource and answers" },
  certificateIssuance: {
    ms: s(900),
    source: "Certificate Manager: Troubleshooting (up to 60 minutes once DNS propagates); 15 minutes is an estimate of the usual case",
  },
  cloudDnsChange: { ms: s(5), source: "estimate: a Cloud DNS change is applied to every authoritative server at once" },
  // --- AWS -------------------------------------------------------------------------------------------
  acmRequest: { ms: s(5), source: "estimate: ACM answers a request at once, PENDING_VALIDATION" },
  acmValidation: { ms: s(300), source: "estimate from public reports (terraform-provider-aws#9338: minutes usually, up to an hour)" },
  route53Change: { ms: s(60), source: "Route 53 API Reference, ChangeResourceRecordSets: changes generally propagate to all servers within 60 seconds" },
  route53HealthCheck: { ms: s(5), source: "estimate: a health check is created at once" },
  acceleratorDeploy: {
    ms: s(180),
    source: "public measurements from about a minute (terraform-provider-aws#7002) to over ten (#14161, #17048); 3 minutes is an estimate",
  },
  acceleratorChange: {
    ms: s(90),
    source: "estimate: a listener or endpoint group change returns the accelerator to IN_PROGRESS until DEPLOYED (terraform-provider-aws#25601)",
  },
  // --- The rest --------------------------------------------------------------------------------------
  tlsKey: { ms: s(1), source: "estimate: generating a key on the machine that runs pulumi up" },
  local: { ms: 0, source: "resources with no API behind them (providers, components, certificates signed locally)" },
} as const satisfies Record<string, Latency>;

export type LatencyKind = keyof typeof LATENCIES;
