/**
 * Which clusters a MultiClusterService selects: GKE links to regional and zonal clusters, and Fleetgate's
 * label selectors with matchLabels and matchExpressions, as Kubernetes defines them.
 */
import { describe, expect, it } from "vitest";
import { describeSelector, matchesSelector, type LabelSelector } from "../../spec/label-selector";
import { awsFixture } from "../components/aws/aws-fixture";
import { planCase, type DiagnosticCase, type Want } from "./diagnostic-cases";
import { baseFixture, planFixture, type SpecFixture } from "./fixtures";

type Doc = Record<string, any>;
const cluster = (f: SpecFixture, i: number): Doc => (f.config.clusters as Doc[])[i]!;
const web = (f: SpecFixture): Doc => f.files["shop/shop.yaml"]![0]! as Doc;
const search = (f: SpecFixture): Doc => f.files["search/search.yaml"]![0]! as Doc;
/** Selects the search service's clusters by `selector`; its failover order names regions it may lose. */
const selectSearch = (selector: unknown) => (f: SpecFixture) => {
  search(f).spec.clusters = [{ selector }];
  delete search(f).spec.fleetgate.failover;
};

interface Case extends DiagnosticCase {
  /** Errors wanted: path and message substrings. None: the spec plans. */
  wantErrors?: Want[];
  /** The clusters that serve a service, when the spec plans. */
  wantClusters?: { service: string; clusters: string[] };
  /** A message no diagnostic may contain. */
  notSaid?: string;
}

const cases: Case[] = [
  // --- GKE links -----------------------------------------------------------------------------
  { description: "a regional cluster is linked by its region", mutate: () => {}, wantClusters: { service: "shop/web", clusters: ["eu", "us"] } },
  {
    description: "a zonal cluster is linked by its zone",
    mutate: (f) => {
      cluster(f, 1).access.location = "europe-west1-b";
      web(f).spec.clusters[1].link = "europe-west1-b/eu";
    },
    wantClusters: { service: "shop/web", clusters: ["eu", "us"] },
  },
  {
    description: "a zonal cluster linked by its region is refused with the link GKE reads",
    mutate: (f) => {
      cluster(f, 1).access.location = "europe-west1-b";
    },
    wantErrors: [
      {
        path: "spec.clusters[1].link",
        message:
          'names cluster "eu" by its region europe-west1, but "eu" is a zonal cluster in europe-west1-b (fleetgate:clusters access.location), and GKE links a zonal cluster by its zone [gke.cluster-links]; write "europe-west1-b/eu"',
      },
    ],
  },
  {
    description: "a zonal cluster linked by another zone is refused with its own zone",
    mutate: (f) => {
      cluster(f, 1).access.location = "europe-west1-b";
      web(f).spec.clusters[1].link = "europe-west1-c/eu";
    },
    wantErrors: [{ path: "spec.clusters[1].link", message: 'write "europe-west1-b/eu"' }],
  },
  {
    description: "a regional cluster linked by a zone is refused with its region, and told how to say it is zonal",
    mutate: (f) => {
      web(f).spec.clusters[1].link = "europe-west1-b/eu";
    },
    wantErrors: [
      {
        path: "spec.clusters[1].link",
        message:
          'is a regional cluster in europe-west1, and GKE links a regional cluster by its region [gke.cluster-links]; write "europe-west1/eu", or, if the cluster is zonal, set its access.location to europe-west1-b',
      },
    ],
  },
  {
    description: "a link to another region names the cluster's region",
    mutate: (f) => {
      web(f).spec.clusters[1].link = "us-central1/eu";
    },
    wantErrors: [{ path: "spec.clusters[1].link", message: 'but it is in europe-west1; write "europe-west1/eu"' }],
  },
  {
    description: "a GKE cluster's location must be its region or a zone of it",
    mutate: (f) => {
      cluster(f, 1).access.location = "us-east1-b";
    },
    wantErrors: [{ path: "fleetgate:clusters[1].access.location", message: '"us-east1-b" is neither the cluster\'s region europe-west1 nor a zone of it' }],
  },
  {
    description: "a malformed link shows both forms",
    mutate: (f) => {
      web(f).spec.clusters[1].link = "eu";
    },
    wantErrors: [{ path: "spec.clusters[1].link", message: "us-central1-b/gke-us (a zonal one)" }],
  },

  // --- Label selectors ------------------------------------------------------------------------
  {
    description: "matchExpressions In selects clusters whose label has one of the values",
    mutate: selectSearch({ matchExpressions: [{ key: "region", operator: "In", values: ["us", "asia"] }] }),
    wantClusters: { service: "search/search", clusters: ["asia", "us"] },
  },
  {
    description: "NotIn selects clusters without the label too, as in Kubernetes",
    mutate: selectSearch({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["gold"] }] }),
    wantClusters: { service: "search/search", clusters: ["asia"] },
  },
  {
    description: "Exists selects clusters that have the label",
    mutate: selectSearch({ matchExpressions: [{ key: "tier", operator: "Exists" }] }),
    wantClusters: { service: "search/search", clusters: ["eu", "us"] },
  },
  {
    description: "DoesNotExist selects clusters without the label",
    mutate: selectSearch({ matchExpressions: [{ key: "tier", operator: "DoesNotExist", values: [] }] }),
    wantClusters: { service: "search/search", clusters: ["asia"] },
  },
  {
    description: "matchLabels and matchExpressions must both hold",
    mutate: selectSearch({ matchLabels: { tier: "gold" }, matchExpressions: [{ key: "region", operator: "NotIn", values: ["eu"] }] }),
    wantClusters: { service: "search/search", clusters: ["us"] },
  },
  {
    description: "an empty selector selects every cluster, as in Kubernetes",
    mutate: selectSearch({}),
    wantClusters: { service: "search/search", clusters: ["asia", "eu", "us"] },
  },
  {
    description: "an empty matchLabels selects every cluster",
    mutate: selectSearch({ matchLabels: {} }),
    wantClusters: { service: "search/search", clusters: ["asia", "eu", "us"] },
  },
  {
    description: "In without values is refused at values",
    mutate: selectSearch({ matchExpressions: [{ key: "region", operator: "In" }] }),
    wantErrors: [
      {
        path: "spec.clusters[0].selector.matchExpressions[0]",
        message: 'In compares the label "region" with a list of values and needs at least one; list them, or use Exists',
      },
    ],
  },
  {
    description: "NotIn with an empty list is refused at values",
    mutate: selectSearch({ matchExpressions: [{ key: "region", operator: "NotIn", values: [] }] }),
    wantErrors: [{ path: "spec.clusters[0].selector.matchExpressions[0].values", message: "or use DoesNotExist" }],
  },
  {
    description: "Exists with values is refused at values",
    mutate: selectSearch({ matchExpressions: [{ key: "tier", operator: "Exists", values: ["gold"] }] }),
    wantErrors: [
      {
        path: "spec.clusters[0].selector.matchExpressions[0].values",
        message: 'Exists looks only at whether a cluster has the label "tier"; remove values, or use In',
      },
    ],
  },
  {
    description: "an unknown operator is refused at the operator",
    mutate: selectSearch({ matchExpressions: [{ key: "tier", operator: "Equals", values: ["gold"] }] }),
    wantErrors: [{ path: "spec.clusters[0].selector.matchExpressions[0].operator", message: "In" }],
  },
  {
    description: "an invalid label key or value in an expression is refused",
    mutate: selectSearch({ matchExpressions: [{ key: "bad key", operator: "In", values: ["not valid!"] }] }),
    wantErrors: [
      { path: "matchExpressions[0].key", message: "not a valid label key" },
      { path: "matchExpressions[0].values[0]", message: "not a valid label value" },
    ],
  },
  {
    description: "a selector that meets no cluster names what it asked for",
    mutate: selectSearch({
      matchLabels: { tier: "gold" },
      matchExpressions: [
        { key: "region", operator: "In", values: ["mars"] },
        { key: "legacy", operator: "DoesNotExist" },
      ],
    }),
    wantErrors: [{ path: "spec.clusters[0].selector", message: "selects no cluster: no cluster has labels that meet tier=gold, region in (mars), !legacy" }],
  },
  {
    description: "labels written straight under selector are shown under matchLabels",
    mutate: selectSearch({ region: "eu", tier: "gold" }),
    wantErrors: [
      {
        path: "spec.clusters[0].selector",
        message: 'puts "region" and "tier" straight under selector; labels go under matchLabels: selector: { matchLabels: { region: "eu", tier: "gold" } }',
      },
    ],
  },
  {
    description: "a misspelt matchExpressions gets a suggestion, not its value printed as [object Object]",
    mutate: selectSearch({ matchExpresions: [{ key: "region", operator: "In", values: ["eu"] }] }),
    wantErrors: [
      { path: "spec.clusters[0].selector", message: 'has the field "matchExpresions", which a label selector does not have; did you mean "matchExpressions"?' },
    ],
    notSaid: "[object Object]",
  },
  {
    description: "an unknown field whose value is an object names the fields a selector has",
    mutate: selectSearch({ labels: { region: "eu" } }),
    wantErrors: [
      {
        path: "spec.clusters[0].selector",
        message: 'has the field "labels", which a label selector does not have; it has "matchLabels" and "matchExpressions"',
      },
    ],
    notSaid: "[object Object]",
  },
  {
    description: "a label value that is no label value is not suggested under matchLabels",
    mutate: selectSearch({ region: "not valid!" }),
    wantErrors: [{ path: "spec.clusters[0].selector", message: 'has the field "region", which a label selector does not have' }],
    notSaid: "matchLabels: { region",
  },
];

describe("cluster selection", () => {
  for (const c of cases) {
    it(c.description, () => {
      const result = planCase(c);
      if (c.notSaid !== undefined) for (const d of result.diagnostics) expect(d.message).not.toContain(c.notSaid);
      if ((c.wantErrors ?? []).length > 0) return expect(result.plan).toBeUndefined();
      if (c.wantClusters) {
        const service = result.plan!.services.find((s) => s.key === c.wantClusters!.service)!;
        expect(service.clusters.map((s) => s.cluster)).toEqual(c.wantClusters.clusters);
      }
    });
  }

  it("still warns about a weight under nearest balancing when the cluster is linked by its zone", () => {
    const fixture = baseFixture();
    cluster(fixture, 1).access.location = "europe-west1-b";
    web(fixture).spec.clusters[1].link = "europe-west1-b/eu";
    const warnings = planFixture(fixture).diagnostics.filter((d) => d.severity === "warning" && d.path.endsWith("fleetgate.weight"));
    expect(warnings.map((d) => d.path)).toEqual(["spec.clusters[0].fleetgate.weight", "spec.clusters[1].fleetgate.weight"]);
  });

  it("re-matches a selector entry with matchExpressions when it checks the entry's weight", () => {
    // Behind AWS a weight counts among clusters of one region: the entry for asia stands alone there, so
    // its weight has no effect and is warned about; the us entry's clusters share us-east-1.
    const fixture = awsFixture();
    (fixture.config.clusters as Doc[]).push({
      name: "us2",
      provider: "eks",
      region: "us-east-1",
      zones: ["us-east-1b"],
      network: "vpc-us",
      labels: { region: "us" },
      access: { kind: "eks" },
    });
    const service = (fixture.files["search/search.yaml"]![0] as Doc).spec;
    service.clusters = [
      { selector: { matchExpressions: [{ key: "region", operator: "In", values: ["us"] }] }, fleetgate: { weight: 60 } },
      { selector: { matchExpressions: [{ key: "region", operator: "In", values: ["asia"] }] }, fleetgate: { weight: 40 } },
    ];
    delete service.fleetgate;
    const result = planFixture(fixture);
    expect(result.plan?.services.find((s) => s.key === "search/search")?.clusters.map((c) => `${c.cluster} ${c.weight}`)).toEqual([
      "asia 40",
      "us 60",
      "us2 60",
    ]);
    const weights = result.diagnostics.filter((d) => d.file.endsWith("search.yaml") && d.path.endsWith("fleetgate.weight"));
    expect(weights.map((d) => `${d.severity} ${d.path}`)).toEqual(["warning spec.clusters[1].fleetgate.weight"]);
  });
});

describe("matchesSelector", () => {
  const labels = { region: "eu", tier: "gold" };
  const table: [LabelSelector, boolean][] = [
    [{}, true],
    [{ matchLabels: {} }, true],
    [{ matchExpressions: [] }, true],
    [{ matchLabels: { region: "eu" } }, true],
    [{ matchLabels: { region: "us" } }, false],
    [{ matchLabels: { zone: "" } }, false],
    [{ matchExpressions: [{ key: "region", operator: "In", values: ["us", "eu"] }] }, true],
    [{ matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] }, false],
    [{ matchExpressions: [{ key: "region", operator: "NotIn", values: ["eu"] }] }, false],
    [{ matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] }, true],
    [{ matchExpressions: [{ key: "tier", operator: "Exists" }] }, true],
    [{ matchExpressions: [{ key: "zone", operator: "Exists" }] }, false],
    [{ matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] }, false],
    [{ matchExpressions: [{ key: "toString", operator: "Exists" }] }, false],
    [{ matchLabels: { region: "eu" }, matchExpressions: [{ key: "tier", operator: "NotIn", values: ["gold"] }] }, false],
  ];
  it.each(table)("%j on region=eu, tier=gold is %s", (selector, want) => {
    expect(matchesSelector(selector, labels)).toBe(want);
  });

  it("describes an empty selector as matching any labels", () => {
    expect(describeSelector({})).toBe("(any labels)");
  });
});
