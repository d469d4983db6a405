/**
 * The Istio upgrade waves as the admin writes them (spec/istio-waves.ts): one table from the base spec,
 * whose clusters are us, eu (both tier gold) and asia; every case lists every diagnostic it expects.
 */
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../spec/diagnostics";
import { baseFixture, planFixture, type SpecFixture } from "./fixtures";

type Doc = Record<string, any>;

/** The base spec with `istio` as its fleetgate:mesh.istio. */
function withIstio(istio: Doc, mutate: (f: SpecFixture) => void = () => {}): SpecFixture {
  const f = baseFixture();
  (f.config.mesh as Doc).istio = istio;
  mutate(f);
  return f;
}

const CANARY = { name: "canary", clusters: ["us"], version: "1.28.1", revisions: ["1.28.0", "1.28.1"] };

interface Case {
  readonly description: string;
  readonly fixture: SpecFixture;
  /** `severity path: message fragment`, in any order; empty for a positive case. */
  readonly want: readonly string[];
}

const CASES: Case[] = [
  {
    description: "accepts a canary wave by name ahead of a wave by label and the clusters in no wave",
    fixture: withIstio({ version: "1.28.0", waves: [CANARY, { name: "gold", selector: { tier: "gold" }, version: "1.28.0" }] }),
    want: [],
  },
  {
    description: "accepts waves that hold every cluster without a top-level version",
    fixture: withIstio({ waves: [CANARY, { name: "rest", selector: {}, version: "1.28.0" }] }),
    want: [],
  },
  {
    description: "warns of top-level revisions no cluster runs, every cluster being in a wave",
    fixture: withIstio({ revisions: ["1.28.0"], waves: [CANARY, { name: "rest", selector: {}, version: "1.28.0" }] }),
    want: ["warning fleetgate:mesh.istio.revisions: is set, but every cluster is in an upgrade wave, so no cluster runs the top-level revisions"],
  },
  {
    description: "refuses a second wave of the same name",
    fixture: withIstio({ version: "1.28.0", waves: [CANARY, { ...CANARY, clusters: ["eu"] }] }),
    want: ['error fleetgate:mesh.istio.waves[1].name: "canary" is already the name of waves[0]'],
  },
  {
    description: "refuses a cluster name the fleet does not have, suggesting the nearest",
    fixture: withIstio({ version: "1.28.0", waves: [{ ...CANARY, clusters: ["uss"] }] }),
    want: [
      'error fleetgate:mesh.istio.waves[0].clusters[0]: "uss" is not a cluster of the fleet; did you mean "us"?',
      'warning fleetgate:mesh.istio.waves[0]: (wave "canary") gets no cluster',
    ],
  },
  {
    description: "refuses a cluster two waves name",
    fixture: withIstio({ version: "1.28.0", waves: [CANARY, { name: "next", clusters: ["eu", "us"], version: "1.28.0" }] }),
    want: ['error fleetgate:mesh.istio.waves[1].clusters[1]: names "us", which wave "canary" (waves[0]) names already'],
  },
  {
    description: "warns of a wave whose clusters all belong to earlier waves",
    fixture: withIstio({ version: "1.28.0", waves: [CANARY, { name: "late", selector: { region: "us" }, version: "1.28.0" }] }),
    want: ['warning fleetgate:mesh.istio.waves[1]: (wave "late") gets no cluster where Fleetgate installs Istio'],
  },
  {
    description: "refuses a version that is not among the wave's revisions",
    fixture: withIstio({ version: "1.28.0", waves: [{ ...CANARY, revisions: ["1.28.0"] }] }),
    want: ["error fleetgate:mesh.istio.waves[0].version: is 1.28.1, which is not among the installed revisions (1.28.0)"],
  },
  {
    description: "refuses an installed revision listed twice",
    fixture: withIstio({ version: "1.28.0", revisions: ["1.28.0", "1.28.0"] }),
    want: ["error fleetgate:mesh.istio.revisions[1]: lists 1.28.0 twice"],
  },
  {
    description: "refuses revisions of one cluster more than one minor version apart",
    fixture: withIstio({ version: "1.28.0", revisions: ["1.26.0", "1.28.0"] }),
    want: [
      "error fleetgate:mesh.istio.revisions[0]: is 1.26.0, but the clusters in no wave run 1.28.0: the revisions of one cluster are the steps of one upgrade, and Istio upgrades at most one minor version at a time [istio.upgrade-skew]",
    ],
  },
  {
    description: "refuses a later wave ahead of an earlier one, naming the wave to raise first",
    fixture: withIstio({
      version: "1.28.0",
      waves: [
        { ...CANARY, version: "1.28.0", revisions: undefined },
        { name: "gold", clusters: ["eu"], version: "1.28.1", revisions: ["1.28.0", "1.28.1"] },
      ],
    }),
    want: [
      'error fleetgate:mesh.istio.waves[1].version: is 1.28.1 for wave "gold" (waves[1]), ahead of wave "canary" (waves[0]), which runs 1.28.0: a new Istio version reaches the waves in their order, and the clusters in no wave last; raise wave "canary" (waves[0]) to 1.28.1 first (fleetgate:mesh.istio.waves[0].version)',
    ],
  },
  {
    description: "counts the clusters in no wave as the last wave",
    fixture: withIstio({ version: "1.28.1", revisions: ["1.28.0", "1.28.1"], waves: [{ ...CANARY, version: "1.28.0", revisions: undefined }] }),
    want: ['error fleetgate:mesh.istio.version: is 1.28.1 for the clusters in no wave, ahead of wave "canary" (waves[0]), which runs 1.28.0'],
  },
  {
    description: "refuses waves whose versions the mesh cannot run at once",
    fixture: withIstio({ version: "1.27.3", waves: [{ name: "canary", clusters: ["us"], version: "1.29.0" }] }),
    want: [
      "error fleetgate:mesh.istio.waves[0].version: is 1.29.0 for wave \"canary\" (waves[0]), while the clusters in no wave still run 1.27.3: the mesh's istiods of every wave run at once and configure each other's gateways, and Istio supports versions at most one minor version apart [istio.upgrade-skew]; bring every wave to 1.28 first, then to 1.29",
    ],
  },
  {
    description: "refuses a wave's version older than the gateways' settings need, and the clusters in no wave ahead of it",
    fixture: withIstio({ version: "1.26.0", waves: [{ name: "canary", clusters: ["us"], version: "1.25.4" }] }),
    want: [
      "error fleetgate:mesh.istio.waves[0].version: is 1.25.4, older than 1.26: Istio reads the gateways' sizing and proxy settings (the Gateway's infrastructure.parametersRef) from 1.26 on [istio.parameters-ref]",
      'error fleetgate:mesh.istio.version: is 1.26.0 for the clusters in no wave, ahead of wave "canary" (waves[0]), which runs 1.25.4',
    ],
  },
  {
    description: "refuses waves without a top-level version while a cluster is in no wave",
    fixture: withIstio({ waves: [CANARY] }),
    want: ['error fleetgate:mesh: sets upgrade waves but no fleetgate:mesh.istio.version, and "eu", "asia" are in no wave'],
  },
  {
    description: "answers waves and versions where Fleetgate installs no Istio with a warning at each",
    fixture: withIstio({ install: false, version: "1.28.0", keepUnrevisionedIstiod: true, waves: [CANARY] }),
    want: [
      "warning fleetgate:mesh.istio.version: is set, but fleetgate:mesh.istio.install is false",
      "warning fleetgate:mesh.istio.keepUnrevisionedIstiod: is set, but fleetgate:mesh.istio.install is false",
      "warning fleetgate:mesh.istio.waves: is set, but fleetgate:mesh.istio.install is false",
    ],
  },
  {
    description: "warns of a wave that names a cluster whose Istio is preinstalled",
    fixture: withIstio({ version: "1.28.0", waves: [CANARY] }, (f) => void ((f.config.clusters as Doc[])[0]!.istio = { preinstalled: true })),
    want: [
      'warning fleetgate:mesh.istio.waves[0].clusters[0]: names "us", whose Istio is preinstalled (fleetgate:clusters[0].istio.preinstalled)',
      'warning fleetgate:mesh.istio.waves[0]: (wave "canary") gets no cluster',
    ],
  },
];

describe("Istio upgrade waves in the stack file", () => {
  it.each(CASES)("$description", ({ fixture, want }) => {
    const result = planFixture(fixture);
    const got = result.diagnostics.filter((d) => d.path.startsWith("fleetgate:mesh"));
    const lines = got.map((d) => `${d.severity} ${d.path}: ${d.message}`);
    expect(lines).toHaveLength(want.length);
    expect(lines).toEqual(expect.arrayContaining(want.map((w) => expect.stringContaining(w))));
    // Every diagnostic is located in the stack file.
    for (const d of got) expect(formatDiagnostic(d)).toMatch(/^stacks\/Pulumi\.test\.yaml:\d+:\d+: /);
    if (want.every((w) => w.startsWith("warning"))) expect(result.plan).toBeDefined();
  });

  it("gives each cluster its wave's revisions, and the plan the waves in order with their clusters", () => {
    const plan = planFixture(withIstio({ version: "1.28.0", waves: [CANARY, { name: "gold", selector: { tier: "gold" }, version: "1.28.0" }] })).plan!;
    expect(plan.mesh.istioWaves).toEqual([
      { name: "canary", clusters: ["us"], version: "1.28.1" },
      { name: "gold", clusters: ["eu"], version: "1.28.0" },
    ]);
    const us = plan.clusters.find((c) => c.name === "us")!.istio;
    expect([us.wave, us.serving?.name, us.revisions.map((r) => r.name)]).toEqual(["canary", "1-28-1", ["1-28-0", "1-28-1"]]);
  });
});
