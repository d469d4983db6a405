import { describe, expect, it } from "vitest";
import { awsEdgePlan, certificateGroups, MAX_NAMES_PER_CERTIFICATE } from "../../../components/aws/edge-plan";
import { examplePlan } from "../../examples";
import { planFixture, type SpecFixture } from "../../spec/fixtures";
import { awsFixture, type Doc, withOnPremSearch } from "./aws-fixture";

function edgeOf(f: SpecFixture) {
  const result = planFixture(f);
  expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.path}: ${d.message}`)).toEqual([]);
  return awsEdgePlan(result.plan!);
}

describe("the AWS edge plan", () => {
  it("lists the regions with serving clusters and terminates in each the hosts it serves", () => {
    const edge = edgeOf(awsFixture());
    expect(edge.regions.map((r) => [r.region, r.clusters.map((c) => c.cluster), r.certificates.map((c) => c.domains)])).toEqual([
      ["eu-west-1", ["eu"], [["api.search.example.com", "search.example.com", "shop.example.com"]]],
      ["us-east-1", ["us"], [["api.search.example.com", "search.example.com", "shop.example.com"]]],
    ]);
  });

  it("weights a cluster by its heaviest service and drains it to 0 without detaching it", () => {
    const f = awsFixture();
    expect(edgeOf(f).regions.flatMap((r) => r.clusters.map((c) => [c.cluster, c.weight, c.endpointWeight]))).toEqual([
      ["eu", 100, 255],
      ["us", 100, 255],
    ]);
    (f.config.clusters as Doc[])[1]!.drain = true;
    const drained = edgeOf(f);
    expect(drained.regions.find((r) => r.region === "eu-west-1")).toMatchObject({
      trafficDial: 0,
      clusters: [{ cluster: "eu", weight: 0, endpointWeight: 0 }],
    });
    expect(drained.regions.find((r) => r.region === "us-east-1")!.trafficDial).toBe(100);
  });

  it("fails a host over in DNS in the order its catch-all service gives", () => {
    const edge = edgeOf(awsFixture("latency-dns"));
    expect(edge.hosts.find((h) => h.host === "search.example.com")).toMatchObject({
      regions: ["eu-west-1", "us-east-1"],
      failover: { primary: "eu-west-1", secondary: "us-east-1" },
    });
    expect(edge.hosts.find((h) => h.host === "shop.example.com")!.failover).toBeUndefined();
  });

  it("takes no failover order from a /* route of one method, which is not the host's catch-all", () => {
    const f = awsFixture("latency-dns");
    (f.files["search/search.yaml"]![1] as Doc).spec.template.spec.rules[0].http.paths[0].fleetgate = { match: { method: "GET" } };
    expect(edgeOf(f).hosts.find((h) => h.host === "search.example.com")!.failover).toBeUndefined();
  });

  it("answers a host that only redirects from every serving region, as it follows no service", () => {
    const f = awsFixture("latency-dns");
    f.config.hostOwnership = [...(f.config.hostOwnership as Doc[]), { namespace: "shop", domains: ["www.example.com"] }];
    const ingress = f.files["shop/shop.yaml"]![2] as Doc;
    delete ingress.spec.template.spec.backend;
    ingress.spec.template.spec.rules.push({
      host: "www.example.com",
      http: { paths: [{ path: "/*", fleetgate: { redirect: { host: "shop.example.com", statusCode: 301 } } }] },
    });
    const result = planFixture(f);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const serving = result.plan!.clusters.filter((c) => c.gateway !== undefined);
    expect(result.plan!.hosts.find((h) => h.name === "www.example.com")!.clusters).toEqual(serving.map((c) => c.name).sort());
    for (const cluster of serving) expect(cluster.gateway!.hosts).toContain("www.example.com");
    expect(awsEdgePlan(result.plan!).hosts.find((h) => h.host === "www.example.com")!.regions).toEqual(["eu-west-1", "us-east-1"]);
  });

  it("splits a region's names into certificates of at most ACM's quota, keyed by their names", () => {
    const f = awsFixture();
    f.config.hostOwnership = [...(f.config.hostOwnership as Doc[]), { namespace: "shop", domains: ["*.shop.example.com"] }];
    const hosts = Array.from({ length: 12 }, (_, i) => `h${String(i).padStart(2, "0")}.shop.example.com`);
    ((f.files["shop/shop.yaml"]![2] as Doc).spec.template.spec.rules as Doc[]).push(
      ...hosts.map((host) => ({ host, http: { paths: [{ path: "/*", backend: { serviceName: "web", servicePort: 80 } }] } })),
    );
    const us = edgeOf(f).regions.find((r) => r.region === "us-east-1")!;
    expect(
      us.certificates
        .map((c) => c.domains)
        .flat()
        .sort(),
    ).toEqual([...hosts, "api.search.example.com", "search.example.com", "shop.example.com"].sort());
    for (const cert of us.certificates) expect(cert.domains.length).toBeLessThanOrEqual(MAX_NAMES_PER_CERTIFICATE);
    expect(us.certificates.length).toBeGreaterThan(1);
    expect(new Set(us.certificates.map((c) => c.key)).size).toBe(us.certificates.length);
  });

  it("changes only one certificate when a host joins a region with several", () => {
    const names = Array.from({ length: 40 }, (_, i) => `h${i}.example.com`);
    const before = certificateGroups(names);
    const after = certificateGroups([...names, "new.example.com"]);
    const key = (g: string[]) => g.join(",");
    const changed = after.filter((g) => !before.map(key).includes(key(g)));
    expect(changed).toHaveLength(1);
    expect(changed[0]).toContain("new.example.com");
    expect(before.length).toBe(after.length);
  });

  it("validates each certificate name once, in its zone", () => {
    const edge = edgeOf(awsFixture());
    expect(edge.validationDomains).toEqual([
      { domain: "api.search.example.com", hostedZoneId: "Z0123456789ABC" },
      { domain: "search.example.com", hostedZoneId: "Z0123456789ABC" },
      { domain: "shop.example.com", hostedZoneId: "Z0123456789ABC" },
    ]);
  });

  it("uses the aws-prod example's three regions", () => {
    const edge = awsEdgePlan(examplePlan("aws-prod"));
    expect(edge.regions.map((r) => [r.region, r.trafficDial])).toEqual([
      ["ap-southeast-1", 100],
      ["eu-west-1", 100],
      ["us-east-1", 100],
    ]);
    expect(edge.regions.find((r) => r.region === "ap-southeast-1")!.clusters).toEqual([
      {
        cluster: "eks-apse1",
        provider: "eks",
        weight: 100,
        endpointWeight: 255,
        gatewayService: { namespace: "fleetgate-gateway", name: "fleetgate-nlb" },
        eksClusterName: "eks-apse1",
      },
    ]);
    // A weight is carried to Global Accelerator's and Route 53's 0..255 scale.
    const weighted = examplePlan("aws-prod");
    const storefront = weighted.services.find((s) => s.key === "shop/storefront")!;
    const reweighed = {
      ...weighted,
      services: weighted.services.map((s) =>
        s === storefront ? { ...s, clusters: s.clusters.map((c) => (c.cluster === "eks-apse1" ? { ...c, weight: 40 } : c)) } : s,
      ),
    };
    expect(awsEdgePlan(reweighed).regions.find((r) => r.region === "ap-southeast-1")!.clusters[0]).toMatchObject({ weight: 40, endpointWeight: 102 });
  });

  it("finds each NLB under the EKS cluster name its load balancer controller runs with, not the Fleetgate name", () => {
    const f = awsFixture();
    (f.config.clusters as Doc[])[0]!.access = { kind: "eks", name: "prod-use1-main" };
    const us = edgeOf(f).regions.find((r) => r.region === "us-east-1")!.clusters[0]!;
    expect([us.cluster, us.eksClusterName]).toEqual(["us", "prod-use1-main"]);
  });
});

describe("the validator's AWS cross-checks", () => {
  const errors = (f: SpecFixture) =>
    planFixture(f)
      .diagnostics.filter((d) => d.severity === "error")
      .map((d) => `${d.path}: ${d.message}`);
  const onprem = withOnPremSearch;

  it("rejects an accelerator in front of a cluster outside AWS", () => {
    const f = awsFixture();
    onprem(f, { gateway: { publicHostname: "gw.asia.example.com" } });
    expect(errors(f)).toContainEqual(
      expect.stringContaining('fleetgate:clusters[2].provider: is "other", but an AWS Global Accelerator can only send traffic to AWS load balancers'),
    );
  });

  it("needs a public gateway name for a cluster outside AWS in latency-dns mode", () => {
    const f = awsFixture("latency-dns");
    onprem(f);
    expect(errors(f)).toContainEqual(expect.stringContaining("fleetgate:clusters[2].gateway: needs publicHostname"));
  });

  it("places a cluster outside AWS by an AWS region in latency-dns mode: its own, the one nearest its GCP region, or the admin's", () => {
    const placed = (extra: Doc) => {
      const f = awsFixture("latency-dns");
      onprem(f, { gateway: { publicHostname: "gw.asia.example.com" }, ...extra });
      expect(errors(f)).toEqual([]);
      return planFixture(f).plan!.clusters.find((c) => c.name === "asia")!.awsRegion;
    };
    expect(placed({})).toBe("ap-southeast-1");
    expect(placed({ provider: "gke", region: "us-central1", zones: ["us-central1-a"], access: { kind: "gke", project: "p" } })).toBe("us-east-2");
    expect(placed({ region: "frankfurt-dc", latencyRegion: "eu-central-1" })).toBe("eu-central-1");
    // A region that is neither AWS's nor GCP's needs the admin's choice, which must be an AWS region.
    const f = awsFixture("latency-dns");
    onprem(f, { region: "frankfurt-dc", gateway: { publicHostname: "gw.asia.example.com" } });
    expect(errors(f)).toEqual([
      expect.stringContaining("fleetgate:clusters[2]: needs latencyRegion: in latency-dns mode a cluster outside AWS is placed in DNS by an AWS region"),
    ]);
    const g = awsFixture("latency-dns");
    onprem(g, { region: "frankfurt-dc", latencyRegion: "eu-centrl-1", gateway: { publicHostname: "gw.asia.example.com" } });
    expect(errors(g)).toEqual([
      expect.stringContaining('fleetgate:clusters[2].latencyRegion: "eu-centrl-1" is not an AWS region; did you mean "eu-central-1"?'),
    ]);
  });

  it("refuses a host served by EKS clusters and by clusters outside AWS in latency-dns mode, whose records could not alias both", () => {
    const f = awsFixture("latency-dns");
    onprem(f, { gateway: { publicHostname: "gw.asia.example.com" } });
    (f.files["search/search.yaml"]![0] as Doc).spec.clusters = [{ link: "ap-southeast-1/asia" }, { link: "us-east-1/us" }];
    expect(errors(f)).toEqual([
      expect.stringContaining("spec.template.spec.rules[0].host: is served by EKS clusters (us) and by clusters outside AWS (asia)"),
      expect.stringContaining("spec.template.spec.rules[1].host: is served by EKS clusters (us) and by clusters outside AWS (asia)"),
    ]);
  });

  it("refuses an HTTPRoute host served by EKS clusters and by clusters outside AWS in latency-dns mode, at the hostname", () => {
    const f = awsFixture("latency-dns");
    onprem(f, { gateway: { publicHostname: "gw.asia.example.com" } });
    // shop's web runs on EKS and search on the cluster outside AWS; one route sends a host to both.
    f.config.hostOwnership = [...(f.config.hostOwnership as Doc[]), { namespace: "search", domains: ["mixed.example.com"] }];
    (f.files["search/search.yaml"]![0] as Doc).spec.clusters = [{ link: "ap-southeast-1/asia" }];
    f.files["search/route.yaml"] = [
      {
        apiVersion: "networking.gke.io/v1",
        kind: "MultiClusterService",
        metadata: { name: "search-us", namespace: "search" },
        spec: {
          template: { spec: { selector: { app: "search" }, ports: [{ name: "http", protocol: "TCP", port: 8080 }] } },
          clusters: [{ link: "us-east-1/us" }],
        },
      },
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: "mixed", namespace: "search" },
        spec: {
          parentRefs: [{ name: "fleetgate", namespace: "fleetgate-gateway" }],
          hostnames: ["mixed.example.com"],
          rules: [
            {
              backendRefs: [
                { name: "search", port: 8080, weight: 50 },
                { name: "search-us", port: 8080, weight: 50 },
              ],
            },
          ],
        },
      },
    ];
    expect(errors(f)).toEqual([expect.stringContaining("spec.hostnames[0]: is served by EKS clusters (us) and by clusters outside AWS (asia)")]);
  });

  it("warns at a FrontendConfig's redirect code for hosts served only outside AWS in latency-dns mode, where Fleetgate answers no port 80", () => {
    const f = awsFixture("latency-dns");
    onprem(f, { gateway: { publicHostname: "gw.asia.example.com" } });
    const search = f.files["search/search.yaml"]!;
    (search[1] as Doc).metadata.annotations = { "networking.gke.io/frontend-config": "redirect" };
    search.push({
      apiVersion: "networking.gke.io/v1beta1",
      kind: "FrontendConfig",
      metadata: { name: "redirect", namespace: "search" },
      spec: { redirectToHttps: { enabled: true, responseCodeName: "FOUND" } },
    });
    const diagnostics = planFixture(f).diagnostics;
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(diagnostics.filter((d) => d.severity === "warning" && d.path === "spec.redirectToHttps.responseCodeName").map((d) => d.message)).toEqual([
      expect.stringMatching(/^is not applied for (api\.)?search\.example\.com: its clusters \(asia\) are outside AWS.*redirect port 80 with 302/),
    ]);
  });

  it("refuses a path's redirect code other than 301 and 302, which the gateways that answer it behind AWS cannot send", () => {
    for (const [code, instead] of [
      [307, "use 302"],
      [308, "use 301"],
      [303, "use 302"],
    ] as const) {
      const f = awsFixture();
      (f.files["shop/shop.yaml"]![2] as Doc).spec.template.spec.rules[0].http.paths.push({
        path: "/old",
        fleetgate: { redirect: { path: "/new", statusCode: code } },
      });
      expect(errors(f)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^spec\\.template\\.spec\\.rules\\[0\\]\\.http\\.paths\\[1\\]\\.fleetgate\\.redirect\\.statusCode: is ${code}, .*\\[kubernetes\\.gateway-redirect-codes\\]; ${instead}`,
          ),
        ),
      ]);
    }
    const ok = awsFixture();
    (ok.files["shop/shop.yaml"]![2] as Doc).spec.template.spec.rules[0].http.paths.push({
      path: "/old",
      fleetgate: { redirect: { path: "/new", statusCode: 302 } },
    });
    expect(errors(ok)).toEqual([]);
  });

  it("keeps EKS and host-name clusters in different regions in latency-dns mode", () => {
    const f = awsFixture("latency-dns");
    onprem(f, { region: "us-east-1", gateway: { publicHostname: "gw.asia.example.com" } });
    expect(errors(f)).toContainEqual(expect.stringContaining('fleetgate:clusters[2].region: puts "asia" in us-east-1 beside EKS clusters'));
  });

  it("accepts a host-name cluster in its own region in latency-dns mode", () => {
    const f = awsFixture("latency-dns");
    onprem(f, { gateway: { publicHostname: "gw.asia.example.com" } });
    expect(errors(f)).toEqual([]);
  });
});
