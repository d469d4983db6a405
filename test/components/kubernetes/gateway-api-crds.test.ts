/**
 * The Gateway API CRDs under `fleetgate:gatewayApi.crds`: the decision per cluster (pure), the read of
 * a kubeconfig, the validator's word on GKE clusters, and one simulated life of dev: Fleetgate installs
 * the bundle on fresh clusters before any Gateway API object, refuses to move a newer bundle back, and
 * under `check` refuses a cluster whose bundle is too old, each before applying that cluster's objects.
 */
import { describe, expect, it } from "vitest";
import { apiTarget, OFFLINE_CRD_ANNOTATIONS } from "../../../components/kubernetes/crd-reader";
import {
  BUNDLE_VERSION_ANNOTATION,
  type BundleDecision,
  type BundleFacts,
  CHANNEL_ANNOTATION,
  compareBundles,
  decideBundle,
  GATEWAY_API_BUNDLE,
  GATEWAY_API_CRDS,
  GATEWAY_API_MINIMUM,
  installedBundle,
  standardInstallUrl,
} from "../../../components/kubernetes/gateway-api-bundle";
import { simulateUps } from "../../../offline/simulation/run";
import { CRD_ANNOTATIONS_HOOK } from "../../../offline/simulation/simulate";
import { PREREQUISITE_GATEWAY_API_BUNDLE, setGatewayApiBundle } from "../../../offline/simulation/world";
import { baseFixture, planFixture } from "../../spec/fixtures";
import { changedRoot } from "../../simulation/roots";

const standard = (version: string) => ({ present: true as const, version, channel: "standard" });
const facts = (extra: Partial<BundleFacts>): BundleFacts => ({ cluster: "gke-us", mode: "manage", installed: { present: false }, ...extra });

const CASES: { description: string; facts: BundleFacts; want: BundleDecision["action"]; says?: readonly string[] }[] = [
  { description: "manage installs on a cluster without the CRDs", facts: facts({}), want: "install" },
  { description: "manage upgrades an older standard bundle", facts: facts({ installed: standard("v1.2.1") }), want: "install" },
  { description: "manage re-applies the bundle it pins", facts: facts({ installed: standard(GATEWAY_API_BUNDLE) }), want: "install" },
  {
    description: "manage refuses to move a newer bundle back",
    facts: facts({ installed: standard("v1.5.0") }),
    want: "refuse",
    says: ["cluster gke-us", "v1.5.0, newer than the v1.4.0", "[kubernetes.gateway-api-bundle]", "fleetgate:gatewayApi.crds to check"],
  },
  {
    description: "manage refuses to overwrite the experimental channel",
    facts: facts({ installed: { present: true, version: "v1.3.0", channel: "experimental" } }),
    want: "refuse",
    says: ["experimental channel of v1.3.0", "never overwrite another channel"],
  },
  {
    description: "manage refuses CRDs without a bundle version",
    facts: facts({ installed: { present: true } }),
    want: "refuse",
    says: ["carry no gateway.networking.k8s.io/bundle-version", "set fleetgate:gatewayApi.crds to check"],
  },
  {
    description: "manage refuses a GKE cluster whose own Gateway API keeps the CRDs",
    facts: facts({ gkeChannel: "CHANNEL_STANDARD" }),
    want: "refuse",
    says: ["GKE keeps its Gateway API CRDs (its Gateway API channel is CHANNEL_STANDARD) [gke.gateway-api-crds-managed]", "--gateway-api=disabled"],
  },
  { description: "manage installs on a GKE cluster whose Gateway API is disabled", facts: facts({ gkeChannel: "CHANNEL_DISABLED" }), want: "install" },
  { description: "manage installs on a GKE cluster whose Gateway API was never set", facts: facts({ gkeChannel: "" }), want: "install" },
  { description: "check keeps the bundle it pins", facts: facts({ mode: "check", installed: standard(GATEWAY_API_BUNDLE) }), want: "keep" },
  { description: "check keeps the oldest bundle it needs", facts: facts({ mode: "check", installed: standard(GATEWAY_API_MINIMUM) }), want: "keep" },
  { description: "check keeps a newer bundle, noting it", facts: facts({ mode: "check", installed: standard("v1.6.1") }), want: "keep" },
  {
    description: "check refuses a bundle older than Fleetgate needs",
    facts: facts({ mode: "check", installed: standard("v1.1.0") }),
    want: "refuse",
    says: [
      "cluster gke-us",
      "v1.1.0, older than the v1.2.0",
      "[istio.gateway-api-minimum]",
      standardInstallUrl(GATEWAY_API_BUNDLE),
      "set fleetgate:gatewayApi.crds to manage",
    ],
  },
  {
    description: "check refuses a cluster without the CRDs",
    facts: facts({ mode: "check" }),
    want: "refuse",
    says: ["are not all installed", "kubectl apply --server-side -f"],
  },
  {
    description: "check refuses a release candidate of the oldest bundle it needs",
    facts: facts({ mode: "check", installed: standard("v1.2.0-rc.1") }),
    want: "refuse",
    says: ["v1.2.0-rc.1, older than the v1.2.0"],
  },
];

describe("the decision on a cluster's Gateway API bundle", () => {
  it.each(CASES)("$description", ({ facts, want, says }) => {
    const decision = decideBundle(facts);
    expect(decision.action).toBe(want);
    for (const phrase of says ?? []) expect(decision.action === "refuse" ? decision.message : "").toContain(phrase);
  });

  it("notes a kept bundle newer than the one Fleetgate is tested with", () => {
    expect(decideBundle(facts({ mode: "check", installed: standard("v1.6.1") }))).toEqual({
      action: "keep",
      installed: "v1.6.1",
      note: "Gateway API bundle v1.6.1: newer than the v1.4.0 Fleetgate is tested with",
    });
  });

  it("orders bundles by release, a release candidate before its release", () => {
    expect(["v1.10.0", "v1.2.0", "v1.2.0-rc.2", "1.4.0"].sort(compareBundles)).toEqual(["v1.2.0-rc.2", "v1.2.0", "1.4.0", "v1.10.0"]);
  });

  it("pins a bundle the objects' minimum allows, the one the simulated prerequisite installs", () => {
    expect(compareBundles(GATEWAY_API_BUNDLE, GATEWAY_API_MINIMUM)).toBeGreaterThanOrEqual(0);
    expect(PREREQUISITE_GATEWAY_API_BUNDLE).toBe(GATEWAY_API_BUNDLE);
  });
});

describe("the installed bundle read from the CRDs' annotations", () => {
  const annotated = (version: string, channel = "standard") => ({ [BUNDLE_VERSION_ANNOTATION]: version, [CHANNEL_ANNOTATION]: channel });
  const all = (annotations: Record<string, string>) => Object.fromEntries(GATEWAY_API_CRDS.map((name) => [name, annotations]));

  it("is absent when one CRD Fleetgate applies is missing", () => {
    expect(installedBundle({ ...all(annotated("v1.4.0")), [GATEWAY_API_CRDS[2]]: undefined })).toEqual({ present: false });
  });

  it("is the oldest CRD's bundle", () => {
    expect(installedBundle({ ...all(annotated("v1.4.0")), [GATEWAY_API_CRDS[1]]: annotated("v1.1.0") })).toEqual(standard("v1.1.0"));
  });

  it("is of no version when a CRD carries no bundle annotation", () => {
    expect(installedBundle({ ...all(annotated("v1.4.0")), [GATEWAY_API_CRDS[0]]: {} })).toEqual({ present: true });
  });
});

describe("the kubeconfig the bundle is read with", () => {
  it("uses an exec plugin's token, telling it the cluster when asked to", async () => {
    const kubeconfig = [
      "apiVersion: v1",
      "kind: Config",
      "clusters: [{ name: c, cluster: { server: 'https://203.0.113.9/', certificate-authority-data: 'Q0E=' } }]",
      "users: [{ name: u, user: { exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: gke-gcloud-auth-plugin, provideClusterInfo: true } } }]",
      "contexts: [{ name: c, context: { cluster: c, user: u } }]",
      "current-context: c",
    ].join("\n");
    let info = "";
    const target = await apiTarget(kubeconfig, async (exec, given) => {
      expect(exec.command).toBe("gke-gcloud-auth-plugin");
      info = given;
      return JSON.stringify({ status: { token: "t0k3n" } });
    });
    expect(target).toEqual({ server: "https://203.0.113.9", ca: "CA", insecure: false, token: "t0k3n" });
    expect(JSON.parse(info).spec.cluster.server).toBe("https://203.0.113.9");
  });

  it("is answered offline through the hook the simulated clusters set", () => {
    expect(CRD_ANNOTATIONS_HOOK).toBe(OFFLINE_CRD_ANNOTATIONS);
  });

  it("refuses a kubeconfig whose current context names no cluster", async () => {
    await expect(apiTarget("apiVersion: v1\nkind: Config\ncurrent-context: none\n")).rejects.toThrow("names no cluster with a server");
  });
});

describe("fleetgate:gatewayApi.crds", () => {
  it("warns that GKE keeps the CRDs where its Gateway API is enabled when manage meets GKE clusters", () => {
    const f = baseFixture();
    f.config.gatewayApi = { crds: "manage" };
    const found = planFixture(f).diagnostics.filter((d) => d.path === "fleetgate:gatewayApi.crds");
    expect(found.map((d) => d.severity)).toEqual(["warning"]);
    expect(found[0]!.message).toContain("us, eu, asia are GKE clusters");
    expect(found[0]!.line).toBeGreaterThan(0);
    expect(planFixture(f).plan?.clusters.map((c) => c.gatewayApiCrds)).toEqual(["manage", "manage", "manage"]);
  });

  it("checks by default, without a word", () => {
    const result = planFixture(baseFixture());
    expect(result.diagnostics.filter((d) => d.path.startsWith("fleetgate:gatewayApi"))).toEqual([]);
    expect(new Set(result.plan?.clusters.map((c) => c.gatewayApiCrds))).toEqual(new Set(["check"]));
  });
});

describe("the simulated pulumi up of dev", () => {
  it("installs the bundle before any Gateway API object, refuses a downgrade, and under check refuses a bundle too old", async () => {
    const manage = changedRoot("dev", { config: (c) => void (c["fleetgate:gatewayApi"] = { crds: "manage" }) });
    // The bundles the first update left (the world is carried on, and changed, by the next steps).
    const bundlesAfterFirst: Record<string, unknown> = {};
    let euAfterSecond: unknown;
    const [installed, downgrade, tooOld] = await simulateUps([
      // Fresh clusters: no Gateway API CRDs at all.
      { stack: "dev", root: manage, prepare: (world) => Object.values(world.clusters).forEach((c) => setGatewayApiBundle(c, undefined)) },
      // Someone upgrades gke-eu's CRDs beyond the bundle Fleetgate pins.
      {
        stack: "dev",
        root: manage,
        prepare: (world) => {
          for (const c of Object.values(world.clusters)) bundlesAfterFirst[c.name] = structuredClone(c.gatewayApi);
          setGatewayApiBundle(world.clusters["gke-eu"]!, { version: "v1.9.0", channel: "standard" });
        },
      },
      // Back to check, and gke-us's CRDs replaced by an old bundle.
      {
        stack: "dev",
        prepare: (world) => {
          euAfterSecond = structuredClone(world.clusters["gke-eu"]!.gatewayApi);
          setGatewayApiBundle(world.clusters["gke-eu"]!, { version: "v1.4.0", channel: "standard" });
          setGatewayApiBundle(world.clusters["gke-us"]!, { version: "v1.1.0", channel: "standard" });
        },
      },
    ]);

    expect(installed!.ok, installed!.stderr).toBe(true);
    expect(installed!.stdout).toContain("cluster gke-us: Gateway API bundle absent; installing the standard bundle v1.4.0 (fleetgate:gatewayApi.crds: manage)");
    // The CRDs stay when Fleetgate stops managing them: deleting them would delete every Gateway API object.
    expect(installed!.resources.filter((r) => r.type === "kubernetes:yaml/v2:ConfigFile").map((r) => [r.name, r.retainOnDelete])).toEqual([
      ["dev-gke-eu-gateway-api-crds", true],
      ["dev-gke-us-gateway-api-crds", true],
    ]);
    for (const cluster of ["gke-us", "gke-eu"]) {
      expect(bundlesAfterFirst[cluster]).toEqual({ version: GATEWAY_API_BUNDLE, channel: "standard" });
      const ops = installed!.result.operations.filter((o) => o.name.startsWith(`dev-${cluster}-`));
      const bundle = ops.find((o) => o.type === "kubernetes:yaml/v2:ConfigFile");
      const gatewayApiObjects = ops.filter((o) => o.type.includes("gateway.networking.k8s.io"));
      expect(bundle, cluster).toBeDefined();
      expect(gatewayApiObjects.length, cluster).toBeGreaterThan(0);
      for (const o of gatewayApiObjects) expect(o.start, `${o.name} starts after the bundle`).toBeGreaterThanOrEqual(bundle!.end);
    }

    const touched = (up: typeof installed, cluster: string) =>
      up!.result.operations.filter((o) => o.name.startsWith(`dev-${cluster}-`) && o.type.includes("gateway.networking.k8s.io")).map((o) => o.name);
    expect(downgrade!.ok).toBe(false);
    expect(downgrade!.stderr).toContain(
      "cluster gke-eu: its Gateway API bundle is v1.9.0, newer than the v1.4.0 Fleetgate installs; applying v1.4.0 would move the CRDs backwards",
    );
    expect(euAfterSecond).toEqual({ version: "v1.9.0", channel: "standard" });
    expect(touched(downgrade, "gke-eu")).toEqual([]);

    expect(tooOld!.ok).toBe(false);
    expect(tooOld!.stderr).toContain("cluster gke-us: its Gateway API bundle is v1.1.0, older than the v1.2.0 Fleetgate needs");
    expect(touched(tooOld, "gke-us")).toEqual([]);
    // gke-eu's bundle is read, reported and kept.
    expect(tooOld!.stdout).toContain("cluster gke-eu: Gateway API bundle v1.4.0 installed, Fleetgate needs v1.2.0 or later (fleetgate:gatewayApi.crds: check)");
    // Three simulated updates of the smallest example: seconds alone, minutes on a loaded machine.
  }, 300_000);
});
