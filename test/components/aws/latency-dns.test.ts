import { describe, expect, it } from "vitest";
import { awsEdgePlan } from "../../../components/aws/edge-plan";
import { AwsFrontDoor, controllerTags } from "../../../components/aws/front-door";
import { fakeInvoke } from "../../../offline/fakes/all";
import { AwsRegions } from "../../../components/aws/regions";
import { runComponent } from "../../harness";
import { planFixture } from "../../spec/fixtures";
import { awsFixture, type Doc, withOnPremSearch } from "./aws-fixture";

const RECORD = "aws:route53/record:Record";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";

/** latency-dns with a cluster outside AWS ("asia", reached by host name) and hosts in two DNS zones. */
function twoZoneFixture() {
  const f = awsFixture("latency-dns");
  withOnPremSearch(f, { gateway: { publicHostname: "gw.asia.example.com" } });
  (f.config.dns as Doc).zones.push({ domain: "example.org", route53: { hostedZoneId: "Z0ORG456789ABC" } });
  (f.config.hostOwnership as Doc[]).push({ namespace: "search", domains: ["search.example.org"] });
  (f.files["search/search.yaml"]![1] as Doc).spec.template.spec.rules.push({
    host: "search.example.org",
    http: { paths: [{ path: "/*", backend: { serviceName: "search", servicePort: 8080 } }] },
  });
  return f;
}

async function frontDoorGraph() {
  const result = planFixture(twoZoneFixture());
  expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.path}: ${d.message}`)).toEqual([]);
  const edge = awsEdgePlan(result.plan!);
  return runComponent(() => {
    const regions = new AwsRegions("test", { environment: "test", regions: edge.regions.map((r) => r.region), globalRegion: "us-west-2" });
    new AwsFrontDoor("test", { environment: "test", edge, regions, gateways: {} });
  });
}

describe("the AWS front door in latency-dns mode, with hosts in two zones", () => {
  it("checks a cluster outside AWS once, and both zones' records of it use that check", async () => {
    const graph = await frontDoorGraph();
    const checks = graph.ofType(HEALTH_CHECK);
    expect(checks.map((c) => [c.inputs.fqdn, c.inputs.port])).toEqual([["gw.asia.example.com", 443]]);
    const asia = graph.ofType(RECORD).filter((r) => r.inputs.setIdentifier === "asia");
    expect(asia.map((r) => r.inputs.name).sort()).toEqual(["ap-southeast-1.fg-test.example.com", "ap-southeast-1.fg-test.example.org"]);
    // Each zone's plain records carry that zone's TTL.
    expect(asia.map((r) => r.inputs.ttl)).toEqual(asia.map(() => 300));
    for (const record of asia) expect(record.propertyDependencies.healthCheckId).toEqual([checks[0]!.urn]);
  });

  it("aliases a host reached by public names with CNAME records, of the type of the records they route to", async () => {
    const graph = await frontDoorGraph();
    const hostRecords = (host: string) =>
      graph
        .ofType(RECORD)
        .filter((r) => r.inputs.name === host)
        .map((r) => [r.inputs.type, (r.inputs.aliases as { name: string }[])[0]!.name]);
    expect(hostRecords("search.example.org")).toEqual([["CNAME", "ap-southeast-1.fg-test.example.org"]]);
    expect(hostRecords("shop.example.com").map(([type]) => type)).toEqual(["A", "A"]);
  });
});

describe("the AWS front door's NLB lookup", () => {
  it("asks for the tags the load balancer controller gives the NLB: the EKS cluster name, not the Fleetgate one", async () => {
    const f = awsFixture("latency-dns");
    (f.config.clusters as Doc[])[0]!.access = { kind: "eks", name: "prod-use1-main" };
    const result = planFixture(f);
    const edge = awsEdgePlan(result.plan!);
    const graph = await runComponent(() => {
      const regions = new AwsRegions("test", { environment: "test", regions: edge.regions.map((r) => r.region), globalRegion: "us-west-2" });
      new AwsFrontDoor("test", { environment: "test", edge, regions, gateways: {} });
    });
    const service = { namespace: "fleetgate-gateway", name: "fleetgate-nlb" };
    const nlbOf = (cluster: string) =>
      fakeInvoke(
        "aws:lb/getLoadBalancer:getLoadBalancer",
        { tags: controllerTags(cluster, service) },
        "urn:pulumi:test::fleetgate::pulumi:providers:aws::test-aws-us-east-1::id",
      ) as { dnsName: string };
    const us = graph.ofType(RECORD).find((r) => r.inputs.setIdentifier === "us")!;
    expect((us.inputs.aliases as { name: string }[])[0]!.name).toBe(nlbOf("prod-use1-main").dnsName);
    expect(nlbOf("prod-use1-main").dnsName).not.toBe(nlbOf("us").dnsName);
  });
});
