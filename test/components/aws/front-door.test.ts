import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { engineConfigFromStackFile, PROJECT_ROOT } from "../../../offline/run-offline";
import { tlsMinimumVersion } from "../../../policies/rules/tls";
import { runProgram, type Graph, type RegisteredResource } from "../../harness";
import { fromRegistered, violations } from "../../policies/policy-args";

const CERT = "aws:acm/certificate:Certificate";
const VALIDATION = "aws:acm/certificateValidation:CertificateValidation";
const RECORD = "aws:route53/record:Record";
const ENDPOINT_GROUP = "aws:globalaccelerator/endpointGroup:EndpointGroup";
const stackText = readFileSync(join(PROJECT_ROOT, "stacks", "Pulumi.aws-prod.yaml"), "utf8");

const awsResources = (graph: Graph) => graph.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
const providerName = (graph: Graph, r: RegisteredResource) => graph.providerOf(r)?.name;

describe("the AWS front door of aws-prod (accelerator)", () => {
  let graph: Awaited<ReturnType<typeof runProgram>>;
  beforeAll(async () => {
    graph = await runProgram("aws-prod");
    expect(graph.exitCode, graph.stderr).toBe(0);
  });

  it("has one explicit provider per region with clusters, plus one for global services", () => {
    const providers = graph.ofType("pulumi:providers:aws").map((p) => [p.name, p.inputs.region]);
    expect(providers.sort()).toEqual([
      ["aws-prod-aws-ap-southeast-1", "ap-southeast-1"],
      ["aws-prod-aws-eu-west-1", "eu-west-1"],
      ["aws-prod-aws-global", "us-west-2"],
      ["aws-prod-aws-us-east-1", "us-east-1"],
    ]);
    for (const r of awsResources(graph)) expect(providerName(graph, r), `${r.type} ${r.name}`).toBeDefined();
  });

  it("issues a DNS-validated certificate per region for every host, since the accelerator sends any host to any region, gated by a validation", () => {
    const certs = graph
      .ofType(CERT)
      .map((c) => [providerName(graph, c), c.inputs.domainName, c.inputs.subjectAlternativeNames, c.inputs.validationMethod, c.retainOnDelete]);
    expect(certs.sort()).toEqual([
      ["aws-prod-aws-ap-southeast-1", "api.search.example.net", ["shop.example.net"], "DNS", true],
      ["aws-prod-aws-eu-west-1", "api.search.example.net", ["shop.example.net"], "DNS", true],
      ["aws-prod-aws-us-east-1", "api.search.example.net", ["shop.example.net"], "DNS", true],
    ]);
    const validationRecords = graph.ofType(RECORD).filter((r) => r.name.includes("acm-validation"));
    expect(validationRecords.map((r) => [r.inputs.type, r.inputs.zoneId, r.inputs.allowOverwrite])).toEqual([
      ["CNAME", "Z0EXAMPLE1234567890", true],
      ["CNAME", "Z0EXAMPLE1234567890", true],
    ]);
    for (const validation of graph.ofType(VALIDATION)) {
      const cert = graph.ofType(CERT).find((c) => validation.name.startsWith(c.name))!;
      expect(validation.dependsOn).toContain(cert.urn);
      expect((validation.inputs.validationRecordFqdns as string[]).length).toBe(1 + (cert.inputs.subjectAlternativeNames as string[]).length);
    }
  });

  it("puts a protected accelerator with TCP listeners on 443 and 80 in front", () => {
    const accelerator = graph.one("aws:globalaccelerator/accelerator:Accelerator", "aws-prod-accelerator");
    expect(accelerator.protect).toBe(true);
    // IPv4 only: a dual-stack accelerator takes only endpoints that preserve the client's address, which
    // NLBs with TLS listeners cannot (the validator refuses dualStack here).
    expect(accelerator.inputs).toMatchObject({ ipAddressType: "IPV4", enabled: true });
    const listeners = graph.ofType("aws:globalaccelerator/listener:Listener").map((l) => [l.inputs.portRanges, l.inputs.protocol, l.inputs.clientAffinity]);
    expect(listeners).toEqual([
      [[{ fromPort: 443, toPort: 443 }], "TCP", "SOURCE_IP"],
      [[{ fromPort: 80, toPort: 80 }], "TCP", "SOURCE_IP"],
    ]);
  });

  it("gives every region an endpoint group per listener with its dial and each cluster's NLB weighted from the plan", () => {
    const groups = graph.ofType(ENDPOINT_GROUP);
    expect(groups.map((g) => g.name).sort()).toEqual(
      ["443", "80"].flatMap((p) => ["ap-southeast-1", "eu-west-1", "us-east-1"].map((r) => `aws-prod-accelerator-${p}-${r}`)).sort(),
    );
    const asia = graph.one(ENDPOINT_GROUP, "aws-prod-accelerator-443-ap-southeast-1");
    expect(asia.inputs).toMatchObject({ endpointGroupRegion: "ap-southeast-1", trafficDialPercentage: 100 });
    const endpoints = asia.inputs.endpointConfigurations as { endpointId: string; weight: number }[];
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]!.weight).toBe(255); // the cluster's weight of 100, on the 0..255 scale
    expect(endpoints[0]!.endpointId).toMatch(/^arn:aws:elasticloadbalancing:ap-southeast-1:\d+:loadbalancer\/net\//);
    for (const group of groups) {
      // No client address can be preserved through an NLB that terminates TLS.
      for (const e of group.inputs.endpointConfigurations as { clientIpPreservationEnabled: boolean }[])
        expect(e.clientIpPreservationEnabled, group.name).toBe(false);
      // The accelerator judges an NLB endpoint by the NLB's own health checks; group settings would do nothing.
      for (const field of ["healthCheckProtocol", "healthCheckPort", "healthCheckPath", "healthCheckIntervalSeconds", "thresholdCount"])
        expect(group.inputs, `${group.name} ${field}`).not.toHaveProperty(field);
    }
  });

  it("gives each EKS gateway an NLB that terminates TLS on 443 with its region's validated certificates, and a gateway that only redirects on 80", () => {
    const validated = (region: string) => graph.ofType(VALIDATION).filter((v) => providerName(graph, v) === `aws-prod-aws-${region}`);
    for (const [cluster, region] of [
      ["eks-use1", "us-east-1"],
      ["eks-euw1", "eu-west-1"],
      ["eks-apse1", "ap-southeast-1"],
    ] as const) {
      const gateway = graph.one("kubernetes:gateway.networking.k8s.io/v1:Gateway", `aws-prod-${cluster}-gateway`);
      const spec = gateway.inputs.spec as {
        listeners: { name: string; port: number; hostname?: string }[];
        infrastructure: { annotations: Record<string, string> };
      };
      const nlb = graph.one("kubernetes:core/v1:Service", `aws-prod-${cluster}-gateway-nlb`);
      const annotations = (nlb.inputs.metadata as { annotations: Record<string, string> }).annotations;
      // The NLB listens on 443 and 80 only: not on Istio's status port, which its targets are checked on.
      expect((nlb.inputs.spec as { ports: { port: number }[] }).ports.map((p) => p.port)).toEqual([443, 80]);
      expect(spec.infrastructure.annotations).toEqual({});
      expect(nlb.dependsOn).toContain(gateway.urn);
      expect(annotations["service.beta.kubernetes.io/aws-load-balancer-ssl-cert"], cluster).toBe(
        validated(region)
          .map((v) => v.inputs.certificateArn)
          .join(","),
      );
      expect(annotations["service.beta.kubernetes.io/aws-load-balancer-ssl-cert"]).toMatch(new RegExp(`^arn:aws:acm:${region}:`));
      expect(annotations).toMatchObject({
        "service.beta.kubernetes.io/aws-load-balancer-ssl-ports": "443",
        "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      });
      // The NLB's Service waits for its region's certificate validations.
      for (const v of validated(region)) expect(nlb.propertyDependencies.metadata).toContain(v.urn);
      const hosts = spec.listeners.filter((l) => l.hostname !== undefined);
      expect(hosts.length).toBeGreaterThan(0);
      expect(hosts.every((l) => l.port === 443)).toBe(true);
      expect(spec.listeners.filter((l) => l.hostname === undefined).map((l) => [l.name, l.port])).toEqual([["redirect", 80]]);
      const redirects = graph
        .ofType("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute")
        .filter(
          (r) =>
            r.name.startsWith(`aws-prod-${cluster}-`) && (r.inputs.spec as { parentRefs: { sectionName: string }[] }).parentRefs[0]!.sectionName === "redirect",
        );
      expect(redirects.map((r) => (r.inputs.spec as { hostnames: string[] }).hostnames[0]).sort()).toEqual(hosts.map((l) => l.hostname).sort());
      for (const r of redirects)
        expect((r.inputs.spec as { rules: unknown[] }).rules).toEqual([
          {
            matches: [{ path: { type: "PathPrefix", value: "/" } }],
            filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }],
          },
        ]);
    }
  });

  it("lets every EKS gateway serve every host, reaching through the mesh what does not run in its cluster", () => {
    for (const cluster of ["eks-use1", "eks-euw1", "eks-apse1"]) {
      const gateway = graph.one("kubernetes:gateway.networking.k8s.io/v1:Gateway", `aws-prod-${cluster}-gateway`);
      const hostnames = (gateway.inputs.spec as { listeners: { hostname?: string }[] }).listeners.flatMap((l) => (l.hostname ? [l.hostname] : []));
      expect(hostnames.sort(), cluster).toEqual(["api.search.example.net", "shop.example.net"]);
    }
    // Search does not run in ap-southeast-1: its route there sends to a Service that exists for the
    // mesh, without an export.
    const route = graph.one("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "aws-prod-eks-apse1-route-api.search.example.net");
    const refs = (route.inputs.spec as { rules: { backendRefs?: { name: string; namespace: string }[] }[] }).rules.flatMap((r) => r.backendRefs ?? []);
    expect(refs.map((r) => `${r.namespace}/${r.name}`)).toContain("search/search");
    expect(graph.resources.some((r) => r.name === "aws-prod-eks-apse1-service-search.search")).toBe(true);
    expect(graph.resources.some((r) => r.name === "aws-prod-eks-apse1-export-search.search")).toBe(false);
  });

  it("tells the services their requests came in over HTTPS, which the NLB does not, and trusts no forwarded addresses", () => {
    const route = graph.one("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "aws-prod-eks-use1-route-shop.example.net");
    const rules = (route.inputs.spec as { rules: { filters?: { type: string; requestHeaderModifier?: { set?: { name: string; value: string }[] } }[] }[] })
      .rules;
    for (const rule of rules)
      expect(rule.filters?.find((f) => f.type === "RequestHeaderModifier")?.requestHeaderModifier?.set).toContainEqual({
        name: "x-forwarded-proto",
        value: "https",
      });
    const options = graph.one("kubernetes:core/v1:ConfigMap", "aws-prod-eks-use1-gateway-options");
    expect((options.inputs.data as Record<string, string>).deployment).not.toContain("numTrustedProxies");
  });

  it("passes the policy pack's TLS rule on every NLB Service", () => {
    const services = fromRegistered(graph.resources).resources.filter((r) => r.type === "kubernetes:core/v1:Service" && r.name.endsWith("-gateway-nlb"));
    expect(services).toHaveLength(3);
    for (const s of services) expect(violations(tlsMinimumVersion, s), s.name).toEqual([]);
  });

  it("points every host at the accelerator with an A alias record", () => {
    const aliases = graph
      .ofType(RECORD)
      .filter((r) => !r.name.includes("acm-validation"))
      .map((r) => [r.inputs.name, r.inputs.type]);
    expect(aliases.sort()).toEqual([
      ["api.search.example.net", "A"],
      ["shop.example.net", "A"],
    ]);
    for (const r of graph.ofType(RECORD).filter((r) => r.inputs.aliases))
      expect(r.inputs.aliases).toEqual([
        { name: expect.stringMatching(/^a[0-9a-f]+\.awsglobalaccelerator\.com$/), zoneId: "Z2BJ6XQ5FK7U4H", evaluateTargetHealth: true },
      ]);
  });
});

describe("the AWS front door in latency-dns mode", () => {
  let graph: Awaited<ReturnType<typeof runProgram>>;
  beforeAll(async () => {
    const config = engineConfigFromStackFile(stackText.replace("mode: accelerator", "mode: latency-dns\n    dualStack: true"));
    graph = await runProgram("aws-prod", { config });
    expect(graph.exitCode, graph.stderr).toBe(0);
  });

  it("has no accelerator", () => {
    expect(graph.ofType("aws:globalaccelerator/accelerator:Accelerator")).toEqual([]);
  });

  it("issues each region a certificate for the hosts served there, since DNS sends a host only to its regions", () => {
    const certs = graph.ofType(CERT).map((c) => [providerName(graph, c), c.inputs.domainName, c.inputs.subjectAlternativeNames]);
    expect(certs.sort()).toEqual([
      ["aws-prod-aws-ap-southeast-1", "shop.example.net", []],
      ["aws-prod-aws-eu-west-1", "api.search.example.net", ["shop.example.net"]],
      ["aws-prod-aws-us-east-1", "api.search.example.net", ["shop.example.net"]],
    ]);
  });

  it("keeps per zone and region a weighted set of the region's NLBs, health-evaluated, for IPv4 and IPv6 (dualStack)", () => {
    const regional = graph.ofType(RECORD).filter((r) => r.inputs.weightedRoutingPolicies);
    expect(regional.map((r) => [r.inputs.name, r.inputs.type, r.inputs.setIdentifier, r.inputs.weightedRoutingPolicies]).sort()).toEqual([
      ["ap-southeast-1.fg-aws-prod.example.net", "A", "eks-apse1", [{ weight: 255 }]],
      ["ap-southeast-1.fg-aws-prod.example.net", "AAAA", "eks-apse1", [{ weight: 255 }]],
      ["eu-west-1.fg-aws-prod.example.net", "A", "eks-euw1", [{ weight: 255 }]],
      ["eu-west-1.fg-aws-prod.example.net", "AAAA", "eks-euw1", [{ weight: 255 }]],
      ["us-east-1.fg-aws-prod.example.net", "A", "eks-use1", [{ weight: 255 }]],
      ["us-east-1.fg-aws-prod.example.net", "AAAA", "eks-use1", [{ weight: 255 }]],
    ]);
    for (const r of regional)
      expect(r.inputs.aliases).toEqual([
        { name: expect.stringMatching(/\.elb\.[a-z0-9-]+\.amazonaws\.com$/), zoneId: expect.any(String), evaluateTargetHealth: true },
      ]);
  });

  it("routes a host by latency to each region that serves it, with AAAA records beside the A records", () => {
    const latency = graph.ofType(RECORD).filter((r) => r.inputs.latencyRoutingPolicies && r.inputs.name === "api.search.example.net");
    expect(
      latency.map((r) => [r.inputs.type, r.inputs.setIdentifier, r.inputs.latencyRoutingPolicies, (r.inputs.aliases as { name: string }[])[0]!.name]).sort(),
    ).toEqual([
      ["A", "eu-west-1", [{ region: "eu-west-1" }], "eu-west-1.fg-aws-prod.example.net"],
      ["A", "us-east-1", [{ region: "us-east-1" }], "us-east-1.fg-aws-prod.example.net"],
      ["AAAA", "eu-west-1", [{ region: "eu-west-1" }], "eu-west-1.fg-aws-prod.example.net"],
      ["AAAA", "us-east-1", [{ region: "us-east-1" }], "us-east-1.fg-aws-prod.example.net"],
    ]);
  });

  it("asks for dual-stack NLBs that hand the client's address to the gateways by proxy protocol", () => {
    for (const cluster of ["eks-use1", "eks-euw1", "eks-apse1"]) {
      const nlb = graph.one("kubernetes:core/v1:Service", `aws-prod-${cluster}-gateway-nlb`);
      expect((nlb.inputs.metadata as { annotations: Record<string, string> }).annotations).toMatchObject({
        "service.beta.kubernetes.io/aws-load-balancer-proxy-protocol": "*",
        "service.beta.kubernetes.io/aws-load-balancer-ip-address-type": "dualstack",
      });
      const deployment = JSON.parse(
        (graph.one("kubernetes:core/v1:ConfigMap", `aws-prod-${cluster}-gateway-options`).inputs.data as Record<string, string>).deployment!,
      );
      expect(JSON.parse(deployment.spec.template.metadata.annotations["proxy.istio.io/config"])).toEqual({ gatewayTopology: { proxyProtocol: {} } });
    }
  });

  it("fails a host over from primary to secondary when its service names a failover order", () => {
    const failover = graph.ofType(RECORD).filter((r) => r.inputs.failoverRoutingPolicies);
    expect(
      failover.map((r) => [r.inputs.name, r.inputs.type, r.inputs.failoverRoutingPolicies, (r.inputs.aliases as { name: string }[])[0]!.name]).sort(),
    ).toEqual([
      ["shop.example.net", "A", [{ type: "SECONDARY" }], "eu-west-1.fg-aws-prod.example.net"],
      ["shop.example.net", "A", [{ type: "PRIMARY" }], "us-east-1.fg-aws-prod.example.net"],
      ["shop.example.net", "AAAA", [{ type: "SECONDARY" }], "eu-west-1.fg-aws-prod.example.net"],
      ["shop.example.net", "AAAA", [{ type: "PRIMARY" }], "us-east-1.fg-aws-prod.example.net"],
    ]);
  });
});
