/**
 * The field registry (spec/field-handling.ts) holds to account: every field of GKE's schemas has a row,
 * every warning or error row draws its diagnostic at the field from a valid spec, every honoured row
 * names a test that exists, and docs/gke-fields.md is the registry's current table. The honoured rows'
 * tests that have no better home are here too.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIELD_ROWS, firstPath, rowFor, rowKey, type FieldRow } from "../../spec/field-handling";
import { FIELDS_DOC, fieldsTable } from "../../spec/field-table";
import { PROJECT_ROOT } from "../../offline/run-offline";
import { awsFixture } from "../components/aws/aws-fixture";
import { baseFixture, planFixture, type SpecFixture } from "./fixtures";
import { upstreamFields } from "./upstream-fields";

type Doc = Record<string, any>;

const shop = (f: SpecFixture) => f.files["shop/shop.yaml"]!;
const web = (f: SpecFixture): Doc => shop(f)[0] as Doc;
const ingress = (f: SpecFixture): Doc => shop(f)[2] as Doc;

/** Gives the shop's web service a BackendConfig (empty unless `spec`), and returns it. */
function withBackendConfig(f: SpecFixture, spec: Doc = {}, annotation = "cloud.google.com/backend-config"): Doc {
  const bc = { apiVersion: "cloud.google.com/v1", kind: "BackendConfig", metadata: { name: "web-bc", namespace: "shop" }, spec };
  shop(f).push(bc);
  web(f).metadata.annotations = { ...web(f).metadata.annotations, [annotation]: JSON.stringify({ default: "web-bc" }) };
  return bc;
}

/** Gives the shop's ingress a FrontendConfig, and returns it. */
function withFrontendConfig(f: SpecFixture): Doc {
  const fc = { apiVersion: "networking.gke.io/v1beta1", kind: "FrontendConfig", metadata: { name: "shop-fc", namespace: "shop" }, spec: {} };
  shop(f).push(fc);
  ingress(f).metadata.annotations = { ...ingress(f).metadata.annotations, "networking.gke.io/frontend-config": "shop-fc" };
  return fc;
}

/** Gives the fixture a GKE policy of a kind (the backend policies target the web service, the gateway's the fleet gateway), and returns it. */
function withPolicy(f: SpecFixture, kind: "GCPBackendPolicy" | "HealthCheckPolicy" | "GCPGatewayPolicy"): Doc {
  if (kind === "GCPGatewayPolicy") {
    const policy = {
      apiVersion: "networking.gke.io/v1",
      kind,
      metadata: { name: "gateway-policy", namespace: "fleetgate-gateway" },
      spec: { targetRef: { group: "gateway.networking.k8s.io", kind: "Gateway", name: "fleetgate" } },
    };
    f.files["fleetgate-gateway/policies.yaml"] = [policy];
    return policy;
  }
  const policy = {
    apiVersion: "networking.gke.io/v1",
    kind,
    metadata: { name: "web-policy", namespace: "shop" },
    spec: { targetRef: { group: "", kind: "Service", name: "web" } },
  };
  shop(f).push(policy);
  return policy;
}

/** Gives the environment the admin's Gateway (one HTTPS listener that admits every namespace), and returns it. */
function withGateway(f: SpecFixture): Doc {
  const gateway = {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name: "external", namespace: "fleetgate-gateway" },
    spec: {
      gatewayClassName: "gke-l7-global-external-managed-mc",
      listeners: [{ name: "https", port: 443, protocol: "HTTPS", allowedRoutes: { namespaces: { from: "All" } } }],
    },
  };
  f.files["fleetgate-gateway/gateway.yaml"] = [gateway];
  return gateway;
}

/** The document of the base fixture a row's field is set on. */
function documentFor(f: SpecFixture, kind: string): Doc {
  if (kind === "GCPBackendPolicy" || kind === "HealthCheckPolicy" || kind === "GCPGatewayPolicy") return withPolicy(f, kind);
  if (kind === "MultiClusterService") return web(f);
  if (kind === "MultiClusterIngress") return ingress(f);
  if (kind === "BackendConfig") return withBackendConfig(f);
  if (kind === "FrontendConfig") return withFrontendConfig(f);
  if (kind === "Gateway") return withGateway(f);
  throw new Error(`no document of kind ${kind} in the fixture`);
}

/** An annotation of GKE's domains that no row names, for the `annotation:*` rows. */
const UNNAMED_ANNOTATION = "networking.gke.io/suppress-firewall-xpn-error";

/** Fields a parent object requires, set when a row's field creates that parent. */
const REQUIRED_BESIDE: Record<string, Doc> = { "spec.cdn": { enabled: true } };

/** What a parent the row's field creates must hold: REQUIRED_BESIDE, and a HealthCheckPolicy config's type beside the member of that type (GKE's rule). */
function besides(parent: string, row: FieldRow): Doc {
  const member = /^spec\.default\.config\.(http|https|http2)HealthCheck\./.exec(row.field);
  if (row.kind === "HealthCheckPolicy" && parent === "spec.default.config" && member) return { type: member[1]!.toUpperCase() };
  return { ...REQUIRED_BESIDE[parent] };
}

/** Sets a row's field (lists: their first element) to its example value; returns the path it is reported at. */
function setField(doc: Doc, row: FieldRow): string {
  if (row.field.startsWith("annotation:")) {
    const key = row.field === "annotation:*" ? UNNAMED_ANNOTATION : row.field.slice("annotation:".length);
    doc.metadata.annotations = { ...doc.metadata.annotations, [key]: row.example };
    return firstPath(`annotation:${key}`);
  }
  const steps = row.field.split(".").flatMap((part) => (part.endsWith("[]") ? [part.slice(0, -2), 0] : [part]));
  let at: Doc = doc;
  steps.slice(0, -1).forEach((step, i) => {
    const parent = steps.slice(0, i + 1).join(".");
    if (at[step] === undefined) at[step] = typeof steps[i + 1] === "number" ? [{}] : besides(parent, row);
    at = at[step];
  });
  at[steps.at(-1)!] = structuredClone(row.example);
  return firstPath(row.field);
}

describe("the GKE field table", () => {
  it("has a row for every field of GKE's schemas of the seven kinds, and for every annotation GKE reads on them", () => {
    const missing: string[] = [];
    for (const upstream of upstreamFields())
      for (const field of upstream.fields) {
        const row = rowFor(upstream.kind, field);
        if (!row || row.group !== upstream.group) missing.push(`${upstream.group} ${upstream.kind} ${field}`);
      }
    expect(missing).toEqual([]);
  });

  it("covers a subtree with one row only where no other row answers a field below it differently", () => {
    const nested = FIELD_ROWS.flatMap((parent) =>
      parent.subtree
        ? FIELD_ROWS.filter(
            (r) => r.kind === parent.kind && r !== parent && (r.field.startsWith(`${parent.field}.`) || r.field.startsWith(`${parent.field}[]`)),
          ).map((r) => `${rowKey(r)} under ${parent.field}`)
        : [],
    );
    expect(nested).toEqual([]);
  });

  it("keys every row once, and never calls a field ignored", () => {
    const keys = FIELD_ROWS.map(rowKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const row of FIELD_ROWS) expect(`${row.gke} ${row.why} ${row.aws?.why ?? ""}`, rowKey(row)).not.toMatch(/\bignored\b/i);
  });

  it("names, for every honoured row, a test that exists", () => {
    for (const row of FIELD_ROWS.filter((r) => r.handling === "honoured")) {
      expect(row.shownBy, `${rowKey(row)} names no test`).toBeDefined();
      const [file, title] = row.shownBy!;
      expect(readFileSync(join(PROJECT_ROOT, file), "utf8"), `${rowKey(row)}: ${file} has no test "${title}"`).toContain(title);
    }
  });

  it("gives every warning and error row a way to be answered and a value that draws the answer", () => {
    for (const row of FIELD_ROWS.filter((r) => r.handling !== "honoured")) {
      expect(row.answer !== undefined || row.checkedIn !== undefined, `${rowKey(row)} is answered nowhere`).toBe(true);
      expect(row.example, `${rowKey(row)} has no example`).toBeDefined();
    }
  });

  it("is committed as docs/gke-fields.md and up to date (run `npm run fields`)", () => {
    const text = readFileSync(join(PROJECT_ROOT, FIELDS_DOC), "utf8");
    expect(text.split("\n")[0]).toContain("Generated by `npm run fields`");
    expect(text).toBe(fieldsTable());
    expect(text).not.toMatch(/\bignored\b/i);
  });
});

describe("every field Fleetgate does not honour is answered at the field", () => {
  const answered = FIELD_ROWS.filter((r) => r.handling !== "honoured");
  for (const row of answered)
    it(`${row.handling === "error" ? "refuses" : "warns about"} ${row.kind} ${row.field} behind the GCP front door`, () => {
      const f = baseFixture();
      const path = setField(documentFor(f, row.kind), row);
      const result = planFixture(f);
      const here = result.diagnostics.filter((d) => d.path === path && d.severity === row.handling);
      expect(here, JSON.stringify(result.diagnostics, null, 1)).toHaveLength(1);
      expect(here[0]!.line, "located in its file").toBeDefined();
      if (row.handling === "warning") expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    });

  for (const row of FIELD_ROWS.filter((r) => r.aws?.handling === "error"))
    it(`refuses ${row.kind} ${row.field} behind the AWS front door`, () => {
      const f = awsFixture();
      const path = setField(documentFor(f, row.kind), row);
      expect(planFixture(f).diagnostics.filter((d) => d.path === path && d.severity === "error")).toHaveLength(1);
    });

  it("accepts a MultiClusterService template of type ClusterIP without a word, since that is what it gets", () => {
    const f = baseFixture();
    web(f).spec.template.spec.type = "ClusterIP";
    expect(planFixture(f).diagnostics.filter((d) => d.path.startsWith("spec.template.spec.type"))).toEqual([]);
  });

  it("says why IAP is refused and what to do instead, not that the field is unknown", () => {
    const f = baseFixture();
    withBackendConfig(f, { iap: { enabled: true, oauthclientCredentials: { secretName: "s" } } });
    const [iap] = planFixture(f).diagnostics.filter((d) => d.path === "spec.iap");
    expect(iap?.message).toMatch(/without sign-in/);
    expect(iap?.message).toMatch(/Cloud Armor/);
    expect(iap?.message).not.toMatch(/unknown field/);
  });

  it("still refuses a field GKE does not have either, with the strict schema's did-you-mean", () => {
    const f = baseFixture();
    withBackendConfig(f, { cdn: { enabled: true, cacheModes: "CACHE_ALL_STATIC" } });
    const messages = planFixture(f).diagnostics.map((d) => d.message);
    expect(messages.some((m) => m.includes('unknown field "cacheModes"') && m.includes("cacheMode"))).toBe(true);
  });
});

describe("honoured GKE fields reach the plan", () => {
  const servicePlan = (f: SpecFixture, key = "shop/web") => {
    const result = planFixture(f);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    return result.plan!.services.find((s) => `${s.namespace}/${s.name}` === key)!;
  };

  it("names the generated Service after the MultiClusterService, in its namespace", () => {
    const service = servicePlan(baseFixture());
    expect([service.namespace, service.name]).toEqual(["shop", "web"]);
  });

  it("selects the template's pods with the generated Service", () => {
    const f = baseFixture();
    web(f).spec.template.spec.selector = { app: "web", track: "stable" };
    expect(servicePlan(f).selector).toEqual({ app: "web", track: "stable" });
  });

  it("gives the generated Service the template's ports, names and target ports", () => {
    const port = servicePlan(baseFixture()).ports[0]!;
    expect([port.port, port.name, port.targetPort, port.protocol]).toEqual([80, "http", 8080, "TCP"]);
  });

  it("refuses a UDP port at the field, since the front door carries only HTTP(S)", () => {
    const f = baseFixture();
    web(f).spec.template.spec.ports[0].protocol = "UDP";
    expect(planFixture(f).diagnostics.filter((d) => d.path === "spec.template.spec.ports[0].protocol" && d.severity === "error")).toHaveLength(1);
  });

  it("plans documents that carry labels of their own without a diagnostic", () => {
    const f = baseFixture();
    withBackendConfig(f);
    withFrontendConfig(f);
    const said = () => planFixture(f).diagnostics.map((d) => `${d.severity} ${d.path}: ${d.message}`);
    const before = said();
    for (const doc of shop(f) as Doc[]) doc.metadata.labels = { team: "shop" };
    expect(said()).toEqual(before);
  });

  it("serves a service from every cluster whose labels its selector's matchLabels name", () => {
    const f = baseFixture();
    web(f).spec.clusters = [{ selector: { matchLabels: { tier: "gold" } } }];
    expect(servicePlan(f).clusters.map((c) => c.cluster)).toEqual(["eu", "us"]);
  });

  it("applies the BackendConfig the annotation names to the service's backend", () => {
    const f = baseFixture();
    withBackendConfig(f, { timeoutSec: 42 });
    expect(servicePlan(f).ports[0]!.backend.timeoutSeconds).toBe(42);
  });

  it("applies the BackendConfig the beta annotation names to the service's backend", () => {
    const f = baseFixture();
    withBackendConfig(f, { timeoutSec: 43 }, "beta.cloud.google.com/backend-config");
    expect(servicePlan(f).ports[0]!.backend.timeoutSeconds).toBe(43);
  });

  it("sets the backend service's timeout, draining, Cloud Armor policy, affinity, logging and custom headers from the BackendConfig", () => {
    const f = baseFixture();
    withBackendConfig(f, {
      timeoutSec: 40,
      connectionDraining: { drainingTimeoutSec: 20 },
      securityPolicy: { name: "shop-armor" },
      sessionAffinity: { affinityType: "GENERATED_COOKIE", affinityCookieTtlSec: 600 },
      logging: { enable: true, sampleRate: 0.25 },
      customRequestHeaders: { headers: ["X-Shop: web"] },
      customResponseHeaders: { headers: ["X-Served-By: shop"] },
    });
    expect(servicePlan(f).ports[0]!.backend).toEqual({
      timeoutSeconds: 40,
      connectionDrainingSeconds: 20,
      securityPolicy: "shop-armor",
      sessionAffinity: { type: "GENERATED_COOKIE", cookieTtlSeconds: 600 },
      cdn: false,
      logSampleRate: 0.25,
      customRequestHeaders: ["X-Shop: web"],
      customResponseHeaders: ["X-Served-By: shop"],
    });
  });

  it("checks the service's health as the BackendConfig's healthCheck says", () => {
    const f = baseFixture();
    withBackendConfig(f, { healthCheck: { checkIntervalSec: 15, timeoutSec: 4, healthyThreshold: 3, unhealthyThreshold: 4, requestPath: "/healthz" } });
    expect(servicePlan(f).ports[0]!.healthCheck).toMatchObject({
      intervalSeconds: 15,
      timeoutSeconds: 4,
      healthyThreshold: 3,
      unhealthyThreshold: 4,
      path: "/healthz",
    });
  });

  it("enables Cloud CDN on the backend service, caching by the origin's headers", () => {
    const f = baseFixture();
    withBackendConfig(f, { cdn: { enabled: true } });
    expect(servicePlan(f).ports[0]!.backend.cdn).toBe(true);
  });

  it("refuses a second ingress of the same name in a namespace", () => {
    const f = baseFixture();
    shop(f).push(structuredClone(ingress(f)));
    expect(planFixture(f).diagnostics.some((d) => d.severity === "error" && d.message.includes("shop/shop"))).toBe(true);
  });

  it("refuses a host the ingress's namespace is not granted", () => {
    const f = baseFixture();
    ingress(f).spec.template.spec.rules[0].host = "search.example.com";
    expect(planFixture(f).diagnostics.filter((d) => d.path === "spec.template.spec.rules[0].host" && d.message.includes("may not claim"))).toHaveLength(1);
  });

  it("sends the paths no rule matches to the ingress's default backend", () => {
    const host = planFixture(baseFixture()).plan!.hosts.find((h) => h.name === "shop.example.com")!;
    expect(host.defaultBackend).toMatchObject({ service: "shop/web", port: 80 });
  });

  it("serves each rule's host with a certificate and a DNS record", () => {
    const plan = planFixture(baseFixture()).plan!;
    for (const name of ["shop.example.com", "search.example.com", "api.search.example.com"]) {
      const host = plan.hosts.find((h) => h.name === name)!;
      expect(host.zone, name).toBe("example.com");
      expect(
        plan.certificates.some((c) => c.hosts.includes(name)),
        name,
      ).toBe(true);
    }
  });

  it("routes an exact path and a prefix path as GCE's URL map matches them", () => {
    const f = baseFixture();
    ingress(f).spec.template.spec.rules[0].http.paths.push({ path: "/about", backend: { serviceName: "web", servicePort: 80 } });
    const routes = planFixture(f).plan!.hosts.find((h) => h.name === "shop.example.com")!.routes;
    const about = routes.filter((r) => r.match.path.value === "/about");
    const cart = routes.filter((r) => r.match.path.value.startsWith("/cart"));
    expect(about.map((r) => r.match.path.type)).toEqual(["Exact"]);
    expect(cart.map((r) => r.match.path)).toEqual([{ type: "Prefix", value: "/cart/" }]);
    expect(cart[0]?.action).toMatchObject({ kind: "forward", backends: [{ service: "shop/cart", port: 80 }] });
  });

  it("refuses a frontend-config annotation that names no FrontendConfig", () => {
    const f = baseFixture();
    withFrontendConfig(f);
    shop(f).pop();
    expect(
      planFixture(f).diagnostics.filter((d) => d.path === 'metadata.annotations["networking.gke.io/frontend-config"]' && d.message.includes('"shop-fc"')),
    ).toHaveLength(1);
  });
});

describe("a BackendConfig or FrontendConfig nothing names", () => {
  it("warns at a BackendConfig no service names, and at a FrontendConfig no ingress names, that none of it applies", () => {
    const unused = (kind: "BackendConfig" | "FrontendConfig", named: boolean) => {
      const f = baseFixture();
      documentFor(f, kind);
      if (!named) for (const doc of shop(f)) (doc.metadata as Doc).annotations = {};
      return planFixture(f)
        .diagnostics.filter((d) => d.path === "metadata.name")
        .map((d) => `${d.severity} ${d.message.split(";")[0]}`);
    };
    expect(unused("BackendConfig", false)).toEqual(["warning BackendConfig shop/web-bc is named by no MultiClusterService, so none of its settings apply"]);
    expect(unused("FrontendConfig", false)).toEqual(["warning FrontendConfig shop/shop-fc is named by no MultiClusterIngress, so none of its settings apply"]);
    expect(unused("BackendConfig", true)).toEqual([]);
    expect(unused("FrontendConfig", true)).toEqual([]);
  });
});
