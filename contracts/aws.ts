/**
 * AWS's rules for what the AWS front door registers and depends on: Global Accelerator, the Network Load
 * Balancers the AWS Load Balancer Controller makes, Route 53 and ACM. Each rule names its documentation;
 * the checks below are what the offline engine's fakes apply to every registration (offline/fakes).
 * Rules that depend on what exists (an NLB's state and listeners) are applied by the simulated
 * `pulumi up` (offline/simulation).
 */
import { asArray, asNumber, asRecord, type Contract, type Inputs, type RegistrationCheck } from "./contract";

const GA_GUIDE = "AWS Global Accelerator Developer Guide";
const GA_API = { title: "AWS Global Accelerator API Reference" };
const NLB_GUIDE = "Elastic Load Balancing: User Guide for Network Load Balancers";
const LBC = {
  title: "AWS Load Balancer Controller: Service annotations",
  url: "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/",
};
const ROUTE53_API = { title: "Amazon Route 53 API Reference", section: "ResourceRecordSet" };

/** The region whose endpoint serves Global Accelerator's API. */
export const GLOBAL_ACCELERATOR_REGION = "us-west-2";

export const preservation: Contract = {
  id: "aws.client-ip-preservation",
  party: "AWS",
  subject: "Global Accelerator endpoint",
  rule: "client IP address preservation works only for Network Load Balancers that have security groups and no TLS listener; without it the load balancer sees Global Accelerator's addresses, not the client's",
  source: {
    title: GA_GUIDE,
    section: "Requirements for endpoints with client IP address preservation",
    url: "https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoints.sipp-caveats.html",
  },
  checkedIn: {
    engine: "endpoint group creates and updates against the simulated NLB's security groups and listeners",
    program: "endpoints preserve no client address, since the gateways' NLBs terminate TLS (components/aws/front-door.ts)",
    validator: "BackendConfig spec.sessionAffinity CLIENT_IP behind the accelerator",
  },
};

export const dualStack: Contract = {
  id: "aws.dual-stack-accelerator",
  party: "AWS",
  subject: "Global Accelerator endpoint",
  rule: "every endpoint of a dual-stack accelerator must be dual-stack and preserve the client's address, and a dual-stack NLB behind it cannot have a target group of target type ip",
  source: {
    title: GA_GUIDE,
    section: "Requirements for resources you add as accelerator endpoints",
    url: "https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoints-caveats.html",
  },
  checkedIn: { engine: "endpoint groups of a DUAL_STACK accelerator", validator: "fleetgate:aws.dualStack in accelerator mode" },
};

export const endpointActive: Contract = {
  id: "aws.endpoint-active",
  party: "AWS",
  subject: "Global Accelerator endpoint",
  rule: "a resource must be valid and active when it is added as an endpoint",
  source: { ...GA_API, section: "EndpointConfiguration; CreateEndpointGroup" },
  checkedIn: {
    engine: "endpoint group creates and updates against the simulated NLB's state",
    wait: "each gateway NLB is read until it is active (components/aws/nlb-wait.ts)",
  },
};

export const endpointGroupHealth: Contract = {
  id: "aws.endpoint-group-health",
  party: "AWS",
  subject: "Global Accelerator endpoint group",
  rule: "an endpoint group's health check settings apply to EC2 instance and Elastic IP endpoints only; a load balancer endpoint is judged by the load balancer's own target health",
  source: {
    title: GA_GUIDE,
    section: "Endpoint groups for standard accelerators; Health check options",
    url: "https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoint-groups.html",
  },
  checkedIn: { program: "endpoint groups of NLBs set no health check (components/aws/front-door.ts, test)" },
};

export const GA_LIMITS = { endpointsPerGroup: 10, endpointGroupsPerAccelerator: 42, listenersPerAccelerator: 10, portRangesPerListener: 10 } as const;

export const acceleratorLimits: Contract = {
  id: "aws.accelerator-limits",
  party: "AWS",
  subject: "Global Accelerator",
  rule: `an endpoint group holds at most ${GA_LIMITS.endpointsPerGroup} load balancer endpoints (a quota), an accelerator ${GA_LIMITS.endpointGroupsPerAccelerator} endpoint groups over all listeners (fixed) and ${GA_LIMITS.listenersPerAccelerator} listeners, a listener ${GA_LIMITS.portRangesPerListener} port ranges and one endpoint group per region; weights are 0 to 255 and traffic dials 0 to 100; names are at most 64 letters, digits, dots and dashes, not starting or ending with a dot or dash; the API is served from ${GLOBAL_ACCELERATOR_REGION} only`,
  source: {
    title: GA_GUIDE,
    section: "Quotas for AWS Global Accelerator; API: CreateAccelerator, EndpointConfiguration",
    url: "https://docs.aws.amazon.com/global-accelerator/latest/dg/limits-global-accelerator.html",
  },
  checkedIn: {
    engine: "accelerator, listener and endpoint group registrations",
    validator: "EKS clusters per region, and regions, behind the accelerator (fleetgate:clusters); fleetgate:aws.globalRegion",
  },
};

export const nlbSecurityGroups: Contract = {
  id: "aws.nlb-security-groups",
  party: "AWS",
  subject: "Network Load Balancer",
  rule: "security groups can be attached to an NLB only when it is created; the AWS Load Balancer Controller attaches them by default from v2.6.0",
  source: {
    title: NLB_GUIDE,
    section: "Security groups for your Network Load Balancer",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html",
  },
  checkedIn: { engine: "the simulated load balancer controller (its version decides whether an NLB has security groups)" },
};

/**
 * The oldest AWS Load Balancer Controller Fleetgate's Services are written for: it reconciles Services of
 * class service.k8s.aws/nlb (2.5 on). Fleetgate needs no NLB security groups (2.6 on): with TLS at the
 * NLB nothing preserves the client's address through an accelerator.
 */
export const MIN_LOAD_BALANCER_CONTROLLER = "2.5.0";

export const lbcAnnotations: Contract = {
  id: "eks.load-balancer-annotations",
  party: "EKS",
  subject: "AWS Load Balancer Controller",
  rule: 'the controller makes an NLB for a LoadBalancer Service whose aws-load-balancer-type is external (with nlb-target-type ip or instance); scheme is internal (the default) or internet-facing; proxy-protocol takes only "*"; ip-address-type is ipv4 or dualstack; every Service port becomes a listener, TLS where ssl-ports names it, with the certificates of ssl-cert',
  source: LBC,
  checkedIn: {
    engine: "Service registrations and the simulated load balancer controller",
    program: "Fleetgate's own NLB Service exposes 443 and 80 only (components/kubernetes/gateway-plan.ts)",
  },
};

export const lbcStatusEarly: Contract = {
  id: "eks.load-balancer-status",
  party: "EKS",
  subject: "AWS Load Balancer Controller",
  rule: "the controller writes the NLB's host name into the Service's status right after asking for the NLB, while the NLB is still provisioning (usually 2 to 5 minutes, at times over 10)",
  source: {
    title: "kubernetes-sigs/aws-load-balancer-controller: controllers/service/service_controller.go",
    section: "reconcileLoadBalancerResources, updateServiceStatus",
  },
  checkedIn: { engine: "the simulated load balancer controller", wait: "each gateway NLB is read until it is active (components/aws/nlb-wait.ts)" },
};

export const proxyProtocolHealth: Contract = {
  id: "aws.proxy-protocol-health-checks",
  party: "AWS",
  subject: "Network Load Balancer target group",
  rule: "with proxy protocol v2 on, the NLB sends the PROXY header on health check connections too (without the client's address)",
  source: {
    title: NLB_GUIDE,
    section: "Target groups: Proxy protocol, Health check connections",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html",
  },
  checkedIn: {
    engine: "the simulated NLB's target health",
    program: "gateways behind proxy protocol accept it on Istio's status port too (ENVOY_STATUS_PORT_ENABLE_PROXY_PROTOCOL)",
  },
};

export const dualStackNlb: Contract = {
  id: "aws.dual-stack-nlb",
  party: "AWS",
  subject: "Network Load Balancer",
  rule: "a dual-stack NLB needs IPv6 CIDRs and routes in its VPC and subnets; an IPv6 client reaching an IPv4 ip target arrives from the load balancer's IPv4 address, so only proxy protocol carries the client's address to it",
  source: {
    title: NLB_GUIDE,
    section: "IP address types; Client IP preservation",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-ip-address-type.html",
  },
  checkedIn: {
    program:
      "latency-dns with dualStack asks for dual-stack NLBs with proxy protocol and writes AAAA records (components/kubernetes/gateway-plan.ts, components/aws/front-door.ts)",
  },
};

export const routeRecords: Contract = {
  id: "aws.route53-records",
  party: "AWS",
  subject: "Route 53 record",
  rule: "a latency record's region is an AWS region; a weight is 0 to 255; a set identifier is 1 to 128 characters and unique within its name and type; records of one name and type share one routing policy; a failover alias record evaluates target health; an alias to another record of the zone has that record's type (an A alias cannot route to CNAME records); a CNAME cannot stand beside other records of its name, nor at the zone's apex",
  source: { ...ROUTE53_API, url: "https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html" },
  checkedIn: {
    engine: "record registrations, and record creation in the simulated world",
    validator:
      "clusters outside AWS behind latency-dns: their latency region (fleetgate:clusters[].latencyRegion), regions mixing EKS and other clusters, and hosts served by both",
  },
};

export const routeHealthChecks: Contract = {
  id: "aws.route53-health-checks",
  party: "AWS",
  subject: "Route 53 health check",
  rule: "a health check's request interval is 10 or 30 seconds and its failure threshold 1 to 10; a TCP check needs a port",
  source: { ...ROUTE53_API, section: "HealthCheckConfig" },
  checkedIn: { engine: "health check registrations" },
};

/** ACM's default quota of domain names per certificate (adjustable up to 100). */
export const MAX_CERTIFICATE_NAMES = 10;

export const acmCertificates: Contract = {
  id: "aws.acm-certificates",
  party: "AWS",
  subject: "ACM certificate",
  rule: `a certificate covers at most ${MAX_CERTIFICATE_NAMES} names by default (a quota, up to 100); its domain name is at most 64 characters; certificates are regional, so an NLB presents only certificates of its own region; a certificate in use by a listener cannot be deleted`,
  source: {
    title: "AWS Certificate Manager User Guide",
    section: "Quotas; Supported Regions; DeleteCertificate",
    url: "https://docs.aws.amazon.com/acm/latest/userguide/acm-limits.html",
  },
  checkedIn: {
    engine: "certificate registrations; the simulated load balancer controller checks the regions of ssl-cert",
    validator: "host names longer than 64 characters behind the AWS front door",
    program: "certificates hold at most 10 names and are retained on delete (components/aws/certificates.ts)",
  },
};

export const nlbDefaultCertificate: Contract = {
  id: "aws.nlb-default-certificate",
  party: "AWS",
  subject: "NLB TLS listener",
  rule: "a TLS listener presents its default certificate to a client that sends no server name, or one no certificate of its certificate list covers; the AWS Load Balancer Controller makes the first certificate its ssl-cert annotation names the default and puts the others in the list",
  source: {
    title: "Elastic Load Balancing, Network Load Balancers: Server certificates for your TLS listener",
    section: "Default certificate; Certificate list",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/tls-listener-certificates.html",
  },
  checkedIn: {
    program:
      "requests for unknown hosts and by IP address get the first certificate of the gateway's region (nlbService, components/kubernetes/gateway-plan.ts)",
  },
};

export const acmValidation: Contract = {
  id: "aws.acm-validation",
  party: "AWS",
  subject: "ACM certificate",
  rule: "a DNS-validated certificate is PENDING_VALIDATION until its validation CNAME resolves, then ISSUED; the validation record of a name is the same in every region of an account",
  source: {
    title: "AWS Certificate Manager User Guide",
    section: "DNS validation",
    url: "https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html",
  },
  checkedIn: {
    engine: "the simulated ACM, with time",
    wait: "aws.acm.CertificateValidation before any NLB presents a certificate (components/aws/certificates.ts)",
  },
};

// --- Checks on registrations -----------------------------------------------------------------------

const GA_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,62}[A-Za-z0-9])?$/;

/** The region of the provider a registration names, when it is an explicit AWS provider. */
const regionOf = (provider: Inputs | undefined) => (typeof provider?.region === "string" ? provider.region : undefined);

export const registrationChecks: readonly RegistrationCheck[] = [
  {
    contract: acceleratorLimits,
    types: ["aws:globalaccelerator/accelerator:Accelerator", "aws:globalaccelerator/listener:Listener", "aws:globalaccelerator/endpointGroup:EndpointGroup"],
    check: (inputs, _name, context) => {
      const problems: string[] = [];
      const region = regionOf(context?.provider);
      if (region !== undefined && region !== GLOBAL_ACCELERATOR_REGION) problems.push(`it is sent to ${region}`);
      if (inputs.name !== undefined && !GA_NAME.test(String(inputs.name)))
        problems.push(`its name "${String(inputs.name)}" is not 1 to 64 letters, digits, dots and dashes`);
      const ranges = asArray(inputs.portRanges);
      if (ranges.length > GA_LIMITS.portRangesPerListener) problems.push(`it listens on ${ranges.length} port ranges`);
      const endpoints = asArray(inputs.endpointConfigurations).map(asRecord);
      if (endpoints.length > GA_LIMITS.endpointsPerGroup) problems.push(`it holds ${endpoints.length} endpoints`);
      for (const e of endpoints) {
        const weight = asNumber(e.weight);
        if (weight !== undefined && (weight < 0 || weight > 255)) problems.push(`endpoint ${String(e.endpointId)} weighs ${weight}`);
      }
      const dial = asNumber(inputs.trafficDialPercentage);
      if (dial !== undefined && (dial < 0 || dial > 100)) problems.push(`its traffic dial is ${dial}`);
      return problems;
    },
  },
  {
    contract: routeRecords,
    types: ["aws:route53/record:Record"],
    check: (inputs) => {
      const problems: string[] = [];
      const policies = ["weightedRoutingPolicies", "latencyRoutingPolicies", "failoverRoutingPolicies", "geolocationRoutingPolicies"].filter(
        (k) => asArray(inputs[k]).length > 0,
      );
      if (policies.length > 1) problems.push(`it has ${policies.join(" and ")}`);
      const setIdentifier = inputs.setIdentifier;
      if (policies.length > 0 && (typeof setIdentifier !== "string" || setIdentifier.length < 1 || setIdentifier.length > 128))
        problems.push(`its set identifier is ${JSON.stringify(setIdentifier)}`);
      for (const w of asArray(inputs.weightedRoutingPolicies).map(asRecord)) {
        const weight = asNumber(w.weight);
        if (weight === undefined || weight < 0 || weight > 255) problems.push(`its weight is ${String(w.weight)}`);
      }
      for (const l of asArray(inputs.latencyRoutingPolicies).map(asRecord))
        if (!AWS_REGION_SHAPE.test(String(l.region))) problems.push(`its latency region is "${String(l.region)}"`);
      if (asArray(inputs.failoverRoutingPolicies).length > 0)
        for (const a of asArray(inputs.aliases).map(asRecord))
          if (a.evaluateTargetHealth !== true) problems.push("it is a failover alias that does not evaluate target health");
      return problems;
    },
  },
  {
    contract: routeHealthChecks,
    types: ["aws:route53/healthCheck:HealthCheck"],
    check: (inputs) => {
      const problems: string[] = [];
      const interval = asNumber(inputs.requestInterval);
      if (interval !== undefined && interval !== 10 && interval !== 30) problems.push(`its request interval is ${interval}`);
      const threshold = asNumber(inputs.failureThreshold);
      if (threshold !== undefined && (threshold < 1 || threshold > 10)) problems.push(`its failure threshold is ${threshold}`);
      if (inputs.type === "TCP" && asNumber(inputs.port) === undefined) problems.push("it is a TCP check without a port");
      return problems;
    },
  },
  {
    contract: acmCertificates,
    types: ["aws:acm/certificate:Certificate"],
    check: (inputs) => {
      const domain = String(inputs.domainName ?? "");
      const names = new Set([domain, ...asArray(inputs.subjectAlternativeNames).map(String)]);
      const problems: string[] = [];
      if (names.size > MAX_CERTIFICATE_NAMES) problems.push(`it covers ${names.size} names`);
      if (domain.length > 64) problems.push(`its domain name has ${domain.length} characters`);
      return problems;
    },
  },
];

/** The shape of an AWS region code (the list itself is spec/regions.ts). */
const AWS_REGION_SHAPE = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export const acceleratorAddresses: Contract = {
  id: "aws.accelerator-addresses",
  party: "AWS",
  subject: "Global Accelerator",
  rule: "an accelerator serves on static anycast IP addresses that Global Accelerator allocates from Amazon's pool; an address of your own must come from a public IPv4 range you bring to AWS for Global Accelerator (BYOIP: provisioned, then advertised), it is chosen when the accelerator is created and cannot be changed afterwards, and an address brought for another AWS service cannot be used",
  source: {
    title: GA_GUIDE,
    section: "Bring your own IP addresses (BYOIP) in Global Accelerator; AWS Global Accelerator components: static IP addresses",
    url: "https://docs.aws.amazon.com/global-accelerator/latest/dg/using-byoip.html",
  },
  checkedIn: { validator: "a MultiClusterIngress's networking.gke.io/static-ip annotation behind the AWS front door" },
};

export const contracts: readonly Contract[] = [
  preservation,
  acceleratorAddresses,
  dualStack,
  endpointActive,
  endpointGroupHealth,
  acceleratorLimits,
  nlbSecurityGroups,
  lbcAnnotations,
  lbcStatusEarly,
  proxyProtocolHealth,
  dualStackNlb,
  routeRecords,
  routeHealthChecks,
  acmCertificates,
  nlbDefaultCertificate,
  acmValidation,
];
