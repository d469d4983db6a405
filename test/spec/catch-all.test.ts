/**
 * The environment's catch-all (spec/catch-all.ts): who may serve requests for unknown hosts and by IP
 * address, and what the plan says about it. Each case starts from the base fixture plus the shape of
 * most published MCI examples (zoneprinter: one service, an ingress with only a default backend).
 */
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../spec/diagnostics";
import { baseFixture, planFixture, type SpecFixture } from "./fixtures";

type Doc = Record<string, any>;

const service = (namespace: string, name: string): Doc => ({
  apiVersion: "networking.gke.io/v1",
  kind: "MultiClusterService",
  metadata: { name, namespace },
  spec: {
    template: { spec: { selector: { app: name }, ports: [{ name: "web", protocol: "TCP", port: 80, targetPort: 8080 }] } },
    clusters: [{ link: "us-central1/us" }, { link: "europe-west1/eu" }],
  },
});
const defaultOnly = (namespace: string, name: string, serviceName: string): Doc => ({
  apiVersion: "networking.gke.io/v1",
  kind: "MultiClusterIngress",
  metadata: { name, namespace },
  spec: { template: { spec: { backend: { serviceName, servicePort: 80 } } } },
});

/** The base fixture with namespace `zones` holding zoneprinter, as Google's MCI tutorial writes it. */
function zoneprinter(): SpecFixture {
  const f = baseFixture();
  f.files["zones/zoneprinter.yaml"] = [service("zones", "zoneprinter"), defaultOnly("zones", "zone-ingress", "zoneprinter")];
  return f;
}
const grant = (f: SpecFixture, namespace: string) => void (f.config.catchAll = { namespace });

interface Want {
  path: string;
  message: string;
  file?: string;
  severity?: "error" | "warning";
}
interface Case {
  description: string;
  fixture: () => SpecFixture;
  mutate: (f: SpecFixture) => void;
  want: Want[];
  /** The ingress that serves the catch-all in the plan (when no error). */
  served?: { service: string; port: number; ingress: string; team: string };
}

const cases: Case[] = [
  {
    description: "refuses an ingress with only a default backend without the grant, and names the config key that grants it",
    fixture: zoneprinter,
    mutate: () => {},
    want: [
      {
        path: "spec.template.spec",
        file: "zones/zoneprinter.yaml",
        message: "ask the admin to add `fleetgate:catchAll: { namespace: zones }` to the stack file",
      },
    ],
  },
  {
    description: "refuses it when the grant is another namespace's, and names that namespace",
    fixture: zoneprinter,
    mutate: (f) => grant(f, "shop"),
    want: [{ path: "spec.template.spec", message: "the admin grants it to namespace shop (fleetgate:catchAll.namespace)" }],
  },
  {
    description: "lets the granted namespace's ingress with only a default backend serve the catch-all",
    fixture: zoneprinter,
    mutate: (f) => grant(f, "zones"),
    want: [],
    served: { service: "zones/zoneprinter", port: 80, ingress: "zones/zone-ingress", team: "zones" },
  },
  {
    description: "refuses a second ingress with only a default backend in the granted namespace, naming the first",
    fixture: zoneprinter,
    mutate: (f) => {
      grant(f, "zones");
      f.files["zones/other.yaml"] = [defaultOnly("zones", "zz-ingress", "zoneprinter")];
    },
    want: [
      {
        path: "spec.template.spec.backend",
        file: "zones/other.yaml",
        message: "competes for the environment's catch-all with zones/zone-ingress (stacks/test/zones/zoneprinter.yaml:",
      },
    ],
  },
  {
    description: "warns at the grant when no ingress of the namespace has a default backend",
    fixture: baseFixture,
    mutate: (f) => grant(f, "search"),
    want: [
      { path: "fleetgate:catchAll.namespace", file: "Pulumi.test.yaml", message: "no MultiClusterIngress there has a default backend", severity: "warning" },
    ],
  },
  {
    description: "lets the granted namespace's one ingress with rules and a default backend serve the catch-all, as its own GKE load balancer would",
    fixture: baseFixture,
    mutate: (f) => grant(f, "shop"),
    want: [],
    served: { service: "shop/web", port: 80, ingress: "shop/shop", team: "shop" },
  },
  {
    description: "prefers the namespace's ingress with only a default backend to one with rules",
    fixture: baseFixture,
    mutate: (f) => {
      grant(f, "shop");
      f.files["shop/shop.yaml"]!.push(defaultOnly("shop", "zz-default", "cart"));
    },
    want: [],
    served: { service: "shop/cart", port: 80, ingress: "shop/zz-default", team: "shop" },
  },
  {
    description: "refuses two ingresses with rules and a default backend competing in the granted namespace",
    fixture: baseFixture,
    mutate: (f) => {
      grant(f, "shop");
      f.config.hostOwnership = [...(f.config.hostOwnership as Doc[]), { namespace: "shop", domains: ["cart.example.com"] }];
      f.files["shop/cart.yaml"] = [
        {
          apiVersion: "networking.gke.io/v1",
          kind: "MultiClusterIngress",
          metadata: { name: "cart", namespace: "shop" },
          spec: {
            template: {
              spec: {
                backend: { serviceName: "cart", servicePort: 80 },
                rules: [{ host: "cart.example.com", http: { paths: [{ path: "/*", backend: { serviceName: "cart", servicePort: 80 } }] } }],
              },
            },
          },
        },
      ];
    },
    want: [
      { path: "spec.template.spec.backend", file: "shop/shop.yaml", message: "add an ingress with only a default backend to say which service serves them" },
    ],
  },
];

describe("the environment's catch-all", () => {
  for (const c of cases)
    it(c.description, () => {
      const f = c.fixture();
      c.mutate(f);
      const result = planFixture(f);
      for (const want of c.want) {
        const severity = want.severity ?? "error";
        const found = result.diagnostics.find(
          (d) =>
            d.severity === severity &&
            d.path.includes(want.path) &&
            d.message.includes(want.message) &&
            (want.file === undefined || d.file.includes(want.file)),
        );
        expect(found, `no ${severity} at ${want.path} saying "${want.message}" in:\n${result.diagnostics.map(formatDiagnostic).join("\n")}`).toBeDefined();
        expect(found!.line, formatDiagnostic(found!)).toBeGreaterThan(0);
      }
      const errors = result.diagnostics.filter((d) => d.severity === "error");
      if (c.want.some((w) => (w.severity ?? "error") === "error")) {
        expect(result.plan).toBeUndefined();
        return;
      }
      expect(errors.map(formatDiagnostic)).toEqual([]);
      expect(result.plan?.catchAll).toEqual(c.served);
    });

  it("routes the served service: it gets gateways in its clusters and no warning that nothing routes it", () => {
    const f = zoneprinter();
    grant(f, "zones");
    const result = planFixture(f);
    expect(result.diagnostics.filter((d) => d.message.includes("zones/zoneprinter")).map(formatDiagnostic)).toEqual([]);
    const plan = result.plan!;
    expect(plan.services.find((s) => s.key === "zones/zoneprinter")?.hosts).toEqual([]);
    for (const name of ["us", "eu"]) expect(plan.clusters.find((c) => c.name === name)?.gateway?.services).toContain("zones/zoneprinter");
  });

  it("keeps a rules-less ingress's refusal once per ingress, without a second one for the missing grant", () => {
    const f = zoneprinter();
    const errors = planFixture(f).diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((e) => `${e.file} ${e.path}`)).toEqual(["stacks/test/zones/zoneprinter.yaml spec.template.spec"]);
  });

  it("refuses a grant that is not a namespace name, at the key", () => {
    const f = zoneprinter();
    grant(f, "Zones");
    const errors = planFixture(f).diagnostics.filter((d) => d.severity === "error");
    expect(errors.find((e) => e.path === "fleetgate:catchAll.namespace")?.line).toBeGreaterThan(0);
  });
});
