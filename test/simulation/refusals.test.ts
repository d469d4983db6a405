/**
 * The simulated clouds and controllers refuse what the real ones refuse, and act as they do: each test
 * breaks one contract (in the world, or in a copy of the program) and sees the simulated `pulumi up` say
 * so, citing the contract. The program as it is never breaks them (first-up.test.ts).
 */
import { describe, expect, it } from "vitest";
import { simulateUp, simulateUps } from "../../offline/simulation/run";
import { changedProgram, changedRoot } from "./roots";
import { awsLatencyDns } from "./scenarios";

const said = (up: Awaited<ReturnType<typeof simulateUp>>) => [up.report.failure ?? "", ...up.report.violations, up.stderr].join("\n");

describe("the simulated GCP", () => {
  it("refuses a NEG name another Service's controller owns [gke.neg-names]", async () => {
    const up = await simulateUp({
      stack: "dev",
      prepare: (world) =>
        void (world.gcp.negs["acme-fleet-dev/us-central1-a/fg-dev-gke-us-dispatch"] = {
          project: "acme-fleet-dev",
          zone: "us-central1-a",
          name: "fg-dev-gke-us-dispatch",
          owner: "other/default/web",
        }),
    });
    expect(said(up)).toContain("cannot make NEG fg-dev-gke-us-dispatch in us-central1-a: other/default/web made one of that name [gke.neg-names]");
    // The front door would attach the other Service's NEG: a problem outside Pulumi's view, so not converged.
    expect(up.ok).toBe(false);
  });

  it("refuses a second stack's DNS authorization record of the same domain in the same project [gcp.per-project-dns-authorization]", async () => {
    // Two stacks of one project in repositories that do not see each other (one repository's validator would).
    const [first, second] = await simulateUps([{ stack: "dev" }, { stack: "staging", root: changedRoot("dev", { as: "staging" }) }]);
    expect(first!.ok).toBe(true);
    expect(second!.report.failure).toMatch(
      /already exists, written by dev\/dev-dns-authorization-.*another stack authorizes the same domain in the same project \[gcp\.per-project-dns-authorization\]/,
    );
  });
});

describe("the simulated AWS", () => {
  it("refuses client IP preservation for an NLB with a TLS listener [aws.client-ip-preservation]", async () => {
    const program = changedProgram("components/aws/front-door.ts", [["clientIpPreservationEnabled: false", "clientIpPreservationEnabled: true"]]);
    const up = await simulateUp({ stack: "aws-prod", program });
    expect(up.report.failure).toMatch(/AWS refuses .*client IP address preservation for .*which has no security groups.*\[aws\.client-ip-preservation\]/);
  });

  it("refuses a dual-stack accelerator in front of IPv4 NLBs that preserve no address [aws.dual-stack-accelerator]", async () => {
    const program = changedProgram("components/aws/front-door.ts", [['ipAddressType: "IPV4"', 'ipAddressType: "DUAL_STACK"']]);
    const up = await simulateUp({ stack: "aws-prod", program });
    expect(up.report.failure).toMatch(/on a dual-stack accelerator \(it does not preserve the client's address\).*\[aws\.dual-stack-accelerator\]/);
  });

  it("gives NLBs security groups only from load balancer controller 2.6 on, which Fleetgate needs none of [aws.nlb-security-groups]", async () => {
    // The stated minimum, 2.5, gives none (first-up.test.ts); 2.6 does, and the update converges all the same.
    const up = await simulateUp({ stack: "aws-prod", prepare: (world) => Object.values(world.clusters).forEach((c) => (c.loadBalancerController = "2.6.0")) });
    expect(up.ok).toBe(true);
    expect(new Set(Object.values(up.result.world.aws.loadBalancers).map((n) => n.securityGroups.length > 0))).toEqual(new Set([true]));
    // Exactly the listeners Fleetgate asks for: 443 and 80 for a gateway, 15443 for east-west [istio.east-west-ports].
    const listeners = (stack: string) =>
      Object.values(up.result.world.aws.loadBalancers)
        .filter((n) => n.tags["service.k8s.aws/stack"] === stack)
        .map((n) => n.listeners.map((l) => `${l.protocol} ${l.port}`));
    expect(listeners("fleetgate-gateway/fleetgate-nlb")).toEqual([
      ["TLS 443", "TCP 80"],
      ["TLS 443", "TCP 80"],
      ["TLS 443", "TCP 80"],
    ]);
    expect(listeners("istio-system/istio-eastwestgateway")).toEqual([["TCP 15443"], ["TCP 15443"], ["TCP 15443"]]);
  });

  it("finds no healthy target behind proxy protocol where the status port does not read the header [aws.proxy-protocol-health-checks]", async () => {
    const program = changedProgram("components/kubernetes/gateway-plan.ts", [
      ['gateway.forwarded.proxyProtocol ? { ...c, env: [{ name: STATUS_PORT_PROXY_PROTOCOL, value: "true" }] } : c,', "c,"],
    ]);
    const up = await simulateUp({ stack: "aws-prod", root: awsLatencyDns(false), program });
    expect(up.report.violations.join("\n")).toMatch(
      /finds no healthy target: it sends the PROXY header on its health checks \[aws\.proxy-protocol-health-checks\]/,
    );
  });
});

describe("the simulated clusters", () => {
  it("refuse an object in a namespace that does not exist [kubernetes.namespace-required]", async () => {
    const up = await simulateUp({ stack: "dev", prepare: (world) => void delete world.clusters["gke-us"]!.objects["v1|Namespace||shop"] });
    expect(up.report.failure).toMatch(/namespaces "shop" not found.*\[kubernetes\.namespace-required\]/);
  });

  it("refuse Gateway API objects where its CRDs are not installed, which Istio does not do [kubernetes.gateway-api-crds]", async () => {
    const up = await simulateUp({
      stack: "dev",
      prepare: (world) => void (world.clusters["gke-eu"]!.crds = world.clusters["gke-eu"]!.crds.filter((g) => g !== "gateway.networking.k8s.io")),
    });
    // Fleetgate reads the cluster's CRDs first (fleetgate:gatewayApi.crds: check) and stops before the API server would refuse.
    expect(up.ok).toBe(false);
    expect(up.stderr).toContain("cluster gke-eu: the Gateway API CRDs Fleetgate's gateways need");
    expect(up.result.operations.filter((o) => o.name.startsWith("dev-gke-eu-") && o.type.includes("gateway.networking.k8s.io"))).toEqual([]);
  });
});
