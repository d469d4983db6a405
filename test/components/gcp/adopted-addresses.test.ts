/**
 * Adopted addresses (fleetgate:gcp.adoptAddresses with the networking.gke.io/static-ip annotation): the
 * plan that lists them, and the front door that serves on them without ever owning them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { assertRegistration } from "../../../contracts";
import { confirmAdoptedAddress } from "../../../components/gcp/address-plan";
import { GcpFrontDoor } from "../../../components/gcp/front-door";
import type { FleetPlan } from "../../../spec/plan";
import { runComponent, type Graph } from "../../harness";
import { baseFixture, planFixture, type SpecFixture } from "../../spec/fixtures";
import { awsFixture } from "../aws/aws-fixture";

type Doc = Record<string, any>;
const T = {
  address: "gcp:compute/globalAddress:GlobalAddress",
  rule: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
  record: "gcp:dns/recordSet:RecordSet",
} as const;

const staticIp = (f: SpecFixture, file: string, index: number, value: string) =>
  void ((f.files[file]![index] as Doc).metadata.annotations = { "networking.gke.io/static-ip": value });

/** The base fixture with two adopted addresses: shop names its IPv4 by IP, search its IPv6 by name. */
function adoptedFixture(): SpecFixture {
  const f = baseFixture();
  (f.config.gcp as Doc).adoptAddresses = [
    { name: "shop-ip", address: "198.51.100.10" },
    { name: "search-v6", address: "2001:DB8:0:0::10" },
    { name: "spare-ip", address: "198.51.100.99" },
  ];
  staticIp(f, "shop/shop.yaml", 2, "198.51.100.10");
  staticIp(f, "search/search.yaml", 1, "search-v6");
  return f;
}

function planOf(f: SpecFixture): FleetPlan {
  const result = planFixture(f);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.plan!;
}

describe("the plan of adopted addresses", () => {
  it("lists each adopted address by name, its IP in one spelling, and the hosts it serves, sorted", () => {
    const frontDoor = planOf(adoptedFixture()).frontDoor;
    expect(frontDoor.provider === "gcp" && frontDoor.adoptedAddresses).toEqual([
      { name: "search-v6", address: "2001:db8::10", ipVersion: "IPV6", hosts: ["api.search.example.com", "search.example.com"] },
      { name: "shop-ip", address: "198.51.100.10", ipVersion: "IPV4", hosts: ["shop.example.com"] },
      { name: "spare-ip", address: "198.51.100.99", ipVersion: "IPV4", hosts: [] },
    ]);
  });

  it("lists none when the admin adopts none, and the environment's own address name changes nothing", () => {
    const f = baseFixture();
    const before = planOf(f);
    staticIp(f, "shop/shop.yaml", 2, "fg-test");
    const after = planOf(f);
    expect(after.frontDoor).toEqual(before.frontDoor);
    expect(after.frontDoor.provider === "gcp" && after.frontDoor.adoptedAddresses).toEqual([]);
  });

  it("refuses the annotation behind AWS, saying Global Accelerator allocates its own addresses and why a GCP one cannot move there", () => {
    const f = awsFixture();
    staticIp(f, "shop/shop.yaml", 2, "shop-ip");
    const errors = planFixture(f).diagnostics.filter((d) => d.severity === "error" && d.path.includes("networking.gke.io/static-ip"));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain("Global Accelerator serves on static anycast addresses it allocates itself");
    expect(errors[0]!.message).toContain("(BYOIP)");
    expect(errors[0]!.message).toContain("[aws.accelerator-addresses]");
    expect(errors[0]!.line).toBeGreaterThan(0);
  });
});

describe("the GCP front door serving on adopted addresses", () => {
  let plan: FleetPlan;
  let graph: Graph;
  const inputs = (r: { inputs: unknown }) => r.inputs as Doc;

  beforeAll(async () => {
    plan = planOf(adoptedFixture());
    graph = await runComponent(() => void new GcpFrontDoor(plan.environment, { plan, gateways: {} }));
  });

  it("reads each adopted address in the front door's project and registers none of them, so nothing it registers can delete one", () => {
    expect(graph.reads.map((r) => [r.type, r.name, r.id])).toEqual([
      [T.address, "test-adopted-address-search-v6", "projects/acme-test/global/addresses/search-v6"],
      [T.address, "test-adopted-address-shop-ip", "projects/acme-test/global/addresses/shop-ip"],
      [T.address, "test-adopted-address-spare-ip", "projects/acme-test/global/addresses/spare-ip"],
    ]);
    // The only addresses in the stack's state are the environment's own, created and protected.
    expect(graph.ofType(T.address).map((a) => [inputs(a).name, a.protect])).toEqual([["fg-test", true]]);
    const adopted = new Set(["search-v6", "shop-ip", "spare-ip", "2001:db8::10", "198.51.100.10", "198.51.100.99"]);
    for (const r of graph.resources.filter((r) => r.custom && r.type !== T.rule && r.type !== T.record))
      expect(
        [inputs(r).name, inputs(r).address].some((v) => adopted.has(v)),
        `${r.type} ${r.name}`,
      ).toBe(false);
  });

  it("gives every address an HTTPS rule on 443 and an HTTP rule on 80 to the same proxies, each adopted one's waiting for its read", () => {
    const rules = graph.ofType(T.rule);
    const own = graph.one(T.address, "test-address-ipv4");
    const byAddress = new Map<string, string[]>();
    for (const r of rules)
      byAddress.set(String(inputs(r).ipAddress), [
        ...(byAddress.get(String(inputs(r).ipAddress)) ?? []),
        `${inputs(r).portRange} ${inputs(r).target.split("/").pop()}`,
      ]);
    const ownIp = graph.one(T.rule, "test-https-ipv4").inputs.ipAddress as string;
    expect(Object.fromEntries([...byAddress].map(([ip, list]) => [ip, list.sort()]))).toEqual({
      [ownIp]: ["443 fg-test-https", "80 fg-test-http"],
      "2001:db8::10": ["443 fg-test-https", "80 fg-test-http"],
      "198.51.100.10": ["443 fg-test-https", "80 fg-test-http"],
      "198.51.100.99": ["443 fg-test-https", "80 fg-test-http"],
    });
    expect(own.protect).toBe(true);
    const shopHttps = graph.one(T.rule, "test-https-adopted-shop-ip");
    expect(inputs(shopHttps)).toMatchObject({
      name: "fg-test-https-adopted-shop-ip",
      loadBalancingScheme: "EXTERNAL_MANAGED",
      networkTier: "PREMIUM",
      portRange: "443",
    });
    const read = graph.reads.find((r) => r.name === "test-adopted-address-shop-ip")!;
    expect(shopHttps.dependsOn).toContain(read.urn);
  });

  it("points the hosts of an ingress naming an adopted address at it, by IP version, and every other host at the environment's address", () => {
    const records = Object.fromEntries(
      graph
        .ofType(T.record)
        .filter((r) => ["A", "AAAA"].includes(inputs(r).type))
        .map((r) => [`${inputs(r).name} ${inputs(r).type}`, inputs(r).rrdatas]),
    );
    const ownIp = graph.one(T.rule, "test-https-ipv4").inputs.ipAddress as string;
    expect(records).toEqual({
      "shop.example.com. A": ["198.51.100.10"],
      // search-v6 is IPv6: its hosts get an AAAA record with it, and keep the environment's IPv4 in A.
      "search.example.com. A": [ownIp],
      "search.example.com. AAAA": ["2001:db8::10"],
      "api.search.example.com. A": [ownIp],
      "api.search.example.com. AAAA": ["2001:db8::10"],
    });
  });

  it("serves an adopted address only on the IP the read confirms, external, naming the setting to fix otherwise", () => {
    const adopted = { name: "shop-ip", address: "198.51.100.10", ipVersion: "IPV4" as const, hosts: [] };
    expect(confirmAdoptedAddress(adopted, "acme-test", { address: "198.51.100.10", addressType: "EXTERNAL" })).toBe("198.51.100.10");
    expect(() => confirmAdoptedAddress(adopted, "acme-test", { address: "198.51.100.11", addressType: "EXTERNAL" })).toThrow(
      "fleetgate:gcp.adoptAddresses (shop-ip): the global address shop-ip of project acme-test holds 198.51.100.11, not 198.51.100.10",
    );
    expect(() => confirmAdoptedAddress(adopted, "acme-test", { address: "198.51.100.10", addressType: "INTERNAL" })).toThrow("[gcp.forwarding-rule-address]");
  });
});

describe("the fakes of GCP forwarding rules", () => {
  const rule = (name: string, ipAddress: string, portRange: string) => ({
    name,
    ipAddress,
    portRange,
    ipProtocol: "TCP",
    loadBalancingScheme: "EXTERNAL_MANAGED",
    networkTier: "PREMIUM",
  });
  const other = (inputs: Doc) => ({ type: T.rule, name: inputs.name, inputs });

  it("refuses a second forwarding rule on the same address and port, and takes one on another port or address", () => {
    const first = rule("fg-a-https", "198.51.100.10", "443");
    expect(() => assertRegistration(T.rule, "b", rule("fg-b-https", "198.51.100.10", "443"), { others: [other(first)] })).toThrow(
      "forwarding rule fg-a-https already serves 198.51.100.10 on TCP port 443 [gcp.forwarding-rule-ports]",
    );
    expect(() => assertRegistration(T.rule, "b", rule("fg-b-http", "198.51.100.10", "80"), { others: [other(first)] })).not.toThrow();
    expect(() => assertRegistration(T.rule, "b", rule("fg-b-https", "198.51.100.11", "443"), { others: [other(first)] })).not.toThrow();
  });

  it("refuses a global external managed forwarding rule off the Premium tier or on a regional address", () => {
    expect(() => assertRegistration(T.rule, "r", { ...rule("fg-r", "198.51.100.10", "443"), networkTier: "STANDARD" })).toThrow(
      "[gcp.forwarding-rule-address]",
    );
    expect(() =>
      assertRegistration(T.rule, "r", rule("fg-r", "https://www.googleapis.com/compute/v1/projects/p/regions/us-central1/addresses/a", "443")),
    ).toThrow("[gcp.forwarding-rule-address]");
  });
});
