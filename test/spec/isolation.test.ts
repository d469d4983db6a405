/**
 * Teams kept apart, and one run that shows every error: what a namespace may claim when the admin's
 * grants overlap, where it may rewrite a request to, names two teams' services would share, and the
 * cross-checks that still run beside schema errors.
 */
import { describe, expect, it } from "vitest";
import { formatDiagnostic, type Diagnostic } from "../../spec/diagnostics";
import { baseFixture, clone, planFixture, type SpecFixture } from "./fixtures";

type Doc = Record<string, any>;

function lines(diagnostics: readonly Diagnostic[], severity: "error" | "warning"): string[] {
  return diagnostics.filter((d) => d.severity === severity).map(formatDiagnostic);
}

/** The base fixture with the catalog and payments teams of a shared domain. */
function overlapping(): SpecFixture {
  const f = baseFixture();
  f.config.hostOwnership = [
    ...(f.config.hostOwnership as Doc[]),
    { namespace: "catalog", domains: ["*.catalog.example.com"] },
    { namespace: "payments", domains: ["pay.catalog.example.com"] },
  ];
  const service = (namespace: string, name: string): Doc => ({
    apiVersion: "networking.gke.io/v1",
    kind: "MultiClusterService",
    metadata: { name, namespace },
    spec: { template: { spec: { selector: { app: name }, ports: [{ port: 80 }] } }, clusters: [{ link: "us-central1/us" }] },
  });
  const ingress = (namespace: string, rules: Doc[]): Doc => ({
    apiVersion: "networking.gke.io/v1",
    kind: "MultiClusterIngress",
    metadata: { name: namespace, namespace },
    spec: { template: { spec: { rules } } },
  });
  const rule = (host: string, path: string, service: string): Doc => ({
    host,
    http: { paths: [{ path, backend: { serviceName: service, servicePort: 80 } }] },
  });
  f.files["catalog/catalog.yaml"] = [service("catalog", "browse"), ingress("catalog", [rule("www.catalog.example.com", "/*", "browse")])];
  f.files["payments/payments.yaml"] = [service("payments", "pay"), ingress("payments", [rule("pay.catalog.example.com", "/*", "pay")])];
  return f;
}

describe("overlapping host grants", () => {
  it("plans the two teams on their own hosts, and warns the admin once, naming both grants", () => {
    const result = planFixture(overlapping());
    expect(lines(result.diagnostics, "error")).toEqual([]);
    expect(lines(result.diagnostics, "warning").filter((l) => l.includes("hostOwnership"))).toEqual([
      expect.stringMatching(
        /^stacks\/Pulumi\.test\.yaml:\d+:\d+: warning: fleetgate:hostOwnership\[2\]\.domains\[0\]: "\*\.catalog\.example\.com" \(namespace catalog\) covers "pay\.catalog\.example\.com", which fleetgate:hostOwnership\[3\]\.domains\[0\] grants to namespace payments; the more specific grant wins/,
      ),
    ]);
  });

  it("refuses a route on the narrower owner's host through the wider wildcard, at the claim, naming the grant that wins", () => {
    const f = overlapping();
    (f.files["catalog/catalog.yaml"]![1]! as Doc).spec.template.spec.rules.push({
      host: "pay.catalog.example.com",
      http: { paths: [{ path: "/admin/*", backend: { serviceName: "browse", servicePort: 80 } }] },
    });
    const errors = lines(planFixture(f).diagnostics, "error");
    expect(errors).toEqual([
      expect.stringMatching(
        /^stacks\/test\/catalog\/catalog\.yaml:\d+:\d+: spec\.template\.spec\.rules\[1\]\.host: namespace catalog may not claim "pay\.catalog\.example\.com"; the admin grants it to namespace payments by "pay\.catalog\.example\.com" \(fleetgate:hostOwnership\[3\]\.domains\[0\]\), which is more specific than this namespace's "\*\.catalog\.example\.com" and wins/,
      ),
    ]);
  });

  it("keeps a /* claim by the wider grant from landing as an error in the rightful owner's file", () => {
    const f = overlapping();
    // catalog's file sorts first, so a first-come claim would have made payments' own route the duplicate.
    (f.files["catalog/catalog.yaml"]![1]! as Doc).spec.template.spec.rules.push({
      host: "pay.catalog.example.com",
      http: { paths: [{ path: "/*", backend: { serviceName: "browse", servicePort: 80 } }] },
    });
    const errors = planFixture(f).diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((e) => e.file)).toEqual(["stacks/test/catalog/catalog.yaml"]);
  });

  it("lets a narrower wildcard win over a wider one, and both namespaces share a host granted to both alike", () => {
    const f = overlapping();
    (f.config.hostOwnership as Doc[])[3] = { namespace: "payments", domains: ["*.pay.catalog.example.com"] };
    (f.files["payments/payments.yaml"]![1]! as Doc).spec.template.spec.rules[0].host = "eu.pay.catalog.example.com";
    (f.files["catalog/catalog.yaml"]![1]! as Doc).spec.template.spec.rules.push({
      host: "us.pay.catalog.example.com",
      http: { paths: [{ path: "/*", backend: { serviceName: "browse", servicePort: 80 } }] },
    });
    expect(lines(planFixture(f).diagnostics, "error")).toEqual([
      expect.stringContaining(
        'namespace catalog may not claim "us.pay.catalog.example.com"; the admin grants it to namespace payments by "*.pay.catalog.example.com"',
      ),
    ]);

    const shared = overlapping();
    (shared.config.hostOwnership as Doc[]).push({ namespace: "catalog", domains: ["pay.catalog.example.com"] });
    (shared.files["catalog/catalog.yaml"]![1]! as Doc).spec.template.spec.rules.push({
      host: "pay.catalog.example.com",
      http: { paths: [{ path: "/browse/*", backend: { serviceName: "browse", servicePort: 80 } }] },
    });
    expect(lines(planFixture(shared).diagnostics, "error")).toEqual([]);
  });
});

describe("rewriting the host", () => {
  const withRewrite = (host: string) => {
    const f = overlapping();
    (f.files["catalog/catalog.yaml"]![1]! as Doc).spec.template.spec.rules[0].http.paths[0].fleetgate = { rewrite: { host } };
    return planFixture(f);
  };

  it("refuses a rewrite to another team's host, at the field", () => {
    expect(lines(withRewrite("pay.catalog.example.com").diagnostics, "error")).toEqual([
      expect.stringMatching(
        /^stacks\/test\/catalog\/catalog\.yaml:\d+:\d+: spec\.template\.spec\.rules\[0\]\.http\.paths\[0\]\.fleetgate\.rewrite\.host: rewrites requests to "pay\.catalog\.example\.com", which namespace catalog does not own/,
      ),
    ]);
    expect(lines(withRewrite("shop.example.com").diagnostics, "error")).toEqual([
      expect.stringContaining('rewrites requests to "shop.example.com", which namespace catalog does not own'),
    ]);
  });

  it("accepts a rewrite to a host the namespace owns", () => {
    expect(lines(withRewrite("internal.catalog.example.com").diagnostics, "error")).toEqual([]);
  });
});

describe("names two services would share", () => {
  const collide = (mutate: (f: SpecFixture) => void = () => {}) => {
    const f = baseFixture();
    f.config.hostOwnership = [...(f.config.hostOwnership as Doc[]), { namespace: "shop-a", domains: ["a.shop.example.com"] }];
    const shopServices = f.files["shop/shop.yaml"]!;
    shopServices.push({ ...clone(shopServices[1]!), metadata: { name: "a-b", namespace: "shop" } });
    f.files["shop-a/b.yaml"] = [{ ...clone(shopServices[1]!), metadata: { name: "b", namespace: "shop-a" } }];
    mutate(f);
    return planFixture(f);
  };

  it("refuses shop/a-b beside shop-a/b, at the second, naming the first's place, instead of failing while deploying", () => {
    const errors = lines(collide().diagnostics, "error");
    expect(errors).toEqual([
      expect.stringMatching(
        /^stacks\/test\/shop\/shop\.yaml:\d+:\d+: metadata\.name: shop\/a-b would be given the same resource names as shop-a\/b \(stacks\/test\/shop-a\/b\.yaml:\d+\): .*\("shop-a-b-80"\); rename one of the services\.$/,
      ),
    ]);
  });

  it("lets them be when their ports differ, since no name is shared", () => {
    const result = collide((f) => {
      (f.files["shop-a/b.yaml"]![0]! as Doc).spec.template.spec.ports = [{ port: 8080 }];
    });
    expect(lines(result.diagnostics, "error")).toEqual([]);
  });

  it("refuses a service whose names are those of the catch-all backend", () => {
    const f = baseFixture();
    f.files["catch/all.yaml"] = [{ ...clone(f.files["shop/shop.yaml"]![1]!), metadata: { name: "all", namespace: "catch" } }];
    (f.config.clusters as Doc[])[2]!.name = "80";
    (f.files["catch/all.yaml"]![0] as Doc).spec.clusters = [{ link: "us-central1/us" }];
    expect(lines(planFixture(f).diagnostics, "error")).toEqual([
      expect.stringContaining("catch/all would be given the same resource names as Fleetgate's catch-all backend"),
    ]);
  });
});

describe("every error in one run", () => {
  it("reports a misspelt field beside the document's unknown port, missing service and unowned host", () => {
    const f = baseFixture();
    const shop = (f.files["shop/shop.yaml"]![2]! as Doc).spec.template.spec;
    shop.rules[0].htttp = shop.rules[0].http;
    shop.rules.push({
      host: "search.example.com",
      http: {
        paths: [
          { path: "/x", backend: { serviceName: "web", servicePort: 81 } },
          { path: "/y", backend: { serviceName: "nope", servicePort: 80 } },
        ],
      },
    });
    const errors = planFixture(f).diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((e) => `${e.path}: ${e.message.split(";")[0]}`)).toEqual([
      'spec.template.spec.rules[0].htttp: unknown field "htttp"',
      expect.stringMatching(/^spec\.template\.spec\.rules\[1\]\.host: namespace shop may not claim "search\.example\.com"/),
      "spec.template.spec.rules[1].http.paths[0].backend.servicePort: 81 is not a port of shop/web",
      'spec.template.spec.rules[1].http.paths[1].backend.serviceName: "nope" is not a MultiClusterService in namespace shop',
    ]);
  });

  it("reports a misspelt setting in the stack file beside a team's link to a cluster that does not exist", () => {
    const f = baseFixture();
    (f.config.dns as Doc).tll = 60;
    (f.files["shop/shop.yaml"]![1]! as Doc).spec.clusters = [{ link: "us-central1/mars" }];
    const errors = planFixture(f).diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((e) => e.path)).toEqual(["fleetgate:dns.tll", "spec.clusters[0].link"]);
  });

  it("still leaves out a document whose required field is wrong, and says nothing of references to it", () => {
    const f = baseFixture();
    (f.files["shop/shop.yaml"]![1]! as Doc).spec.template.spec.ports = "80";
    const errors = planFixture(f).diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((e) => e.path)).toEqual(["spec.template.spec.ports"]);
  });
});
