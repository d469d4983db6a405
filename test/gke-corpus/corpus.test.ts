/**
 * Google's published Multi Cluster Ingress manifests (cases/, each with its source), planned as written:
 * for each, what GKE does with it, and that the plan does the same, or that the refusal is the
 * documented one.
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { planEnvironment, stackConfigFromFile, type Diagnostic, type FleetPlan, type PlanResult } from "../../spec";
import { caseObjects, caseText, CASES, corpusStackText, planCases, type AdminGrants } from "./corpus";

/** A test of one case, named `<case>: <what GKE does>`, registered so the first test can see every case is tested. */
const REGISTERED = new Set<string>();
function expectation(name: string, body: () => void) {
  REGISTERED.add(name);
  it(name, body);
}

/** The hosts of a case's ingresses, granted to its namespace: what the admin grants a team moving over. */
function hostGrants(names: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const object of names.flatMap(caseObjects)) {
    if (object.kind !== "MultiClusterIngress") continue;
    const namespace = (object.metadata as { namespace: string }).namespace;
    const rules = ((object.spec as { template: { spec: { rules?: { host: string }[] } } }).template.spec.rules ?? []).map((r) => r.host);
    if (rules.length > 0) out[namespace] = [...new Set([...(out[namespace] ?? []), ...rules])].sort();
  }
  return out;
}

/** The admin's declaration of reserved global addresses to adopt (fleetgate:gcp.adoptAddresses), by name and IP. */
function adoptAddresses(...addresses: { name: string; address: string }[]): NonNullable<AdminGrants["config"]> {
  return { gcp: { project: "corpus-fleet", adoptAddresses: addresses } };
}

/** The status of a host's port-80 redirect to HTTPS: 301 where no FrontendConfig names another. */
function redirectStatus(plan: FleetPlan, host: string): number | undefined {
  const found = plan.hosts.find((h) => h.name === host);
  return found === undefined ? undefined : (found.httpsRedirectStatus ?? 301);
}

/** The IPs of the addresses the GCP front door serves on besides its own. */
function adoptedAddresses(plan: FleetPlan): string[] {
  return plan.frontDoor.provider === "gcp" ? plan.frontDoor.adoptedAddresses.map((a) => a.address) : [];
}

function planned(result: PlanResult): FleetPlan {
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  expect(errors.map((d) => `${d.file}:${d.line}: ${d.path}: ${d.message}`)).toEqual([]);
  return result.plan!;
}

const errorsOf = (result: PlanResult): Diagnostic[] => result.diagnostics.filter((d) => d.severity === "error");
const service = (plan: FleetPlan, key: string) => plan.services.find((s) => s.key === key)!;
const host = (plan: FleetPlan, name: string) => plan.hosts.find((h) => h.name === name)!;
const ALL_CLUSTERS = ["blue", "gke-1", "gke-3", "gke-eu", "gke-us", "green"];

describe("the GKE corpus: Google's own manifests, planned as GKE reads them", () => {
  it("names the source of every case in a comment, and tests every case", () => {
    for (const name of CASES) expect(caseText(name)).toMatch(/^# Source: \S/m);
    const tested = new Set([...REGISTERED].map((n) => n.split(":")[0]));
    expect(CASES.filter((c) => !tested.has(c))).toEqual([]);
  });

  describe("zoneprinter (Deploying Ingress across clusters): an ingress with only a default backend", () => {
    expectation("zoneprinter: with the catch-all granted, every request for a host no rule names, and by IP address, reaches zone-mcs in every cluster", () => {
      const plan = planned(planCases(["zoneprinter"], { catchAll: "zoneprinter" }));
      expect((plan as unknown as { catchAll?: unknown }).catchAll).toMatchObject({
        service: "zoneprinter/zone-mcs",
        port: 8080,
        ingress: "zoneprinter/zone-ingress",
      });
      expect(service(plan, "zoneprinter/zone-mcs").clusters.map((c) => c.cluster)).toEqual(ALL_CLUSTERS);
    });
    expectation("zoneprinter: without the grant, the ingress is refused with the error that names fleetgate:catchAll", () => {
      const errors = errorsOf(planCases(["zoneprinter"]));
      expect(errors).toEqual([expect.objectContaining({ path: "spec.template.spec", message: expect.stringContaining("fleetgate:catchAll") })]);
    });
  });

  describe("bank-of-anthos (multi-cluster Cloud SQL variant): another default-only ingress", () => {
    expectation("bank-of-anthos: with the catch-all granted, every request reaches frontend-mcs", () => {
      const plan = planned(planCases(["bank-of-anthos"], { catchAll: "boa" }));
      expect((plan as unknown as { catchAll?: unknown }).catchAll).toMatchObject({ service: "boa/frontend-mcs", port: 8080 });
    });
    expectation("bank-of-anthos: beside zoneprinter, only the namespace granted the catch-all serves it; the other default-only ingress is refused", () => {
      const errors = errorsOf(planCases(["zoneprinter", "bank-of-anthos"], { catchAll: "zoneprinter" }));
      expect(errors).toEqual([
        expect.objectContaining({
          file: "stacks/corpus/boa/bank-of-anthos.yaml",
          path: "spec.template.spec",
          message: expect.stringContaining("fleetgate:catchAll"),
        }),
      ]);
    });
  });

  describe("cluster-upgrade (kubernetes-engine-samples): v1beta1, zonal links, default backend only", () => {
    expectation("cluster-upgrade: whereami-mcs is served from the zonal clusters blue and green, and serves the catch-all", () => {
      const plan = planned(planCases(["cluster-upgrade"], { catchAll: "upgrade" }));
      expect(service(plan, "upgrade/whereami-mcs").clusters.map((c) => c.cluster)).toEqual(["blue", "green"]);
      expect((plan as unknown as { catchAll?: unknown }).catchAll).toMatchObject({ service: "upgrade/whereami-mcs" });
    });
  });

  describe("basic (gke-networking-recipes mci-basic): host rules, a default backend, a BackendConfig health check", () => {
    const result = () => planCases(["basic"], { hosts: hostGrants(["basic"]) });
    expectation("basic: foo.* goes to foo and bar.* to bar on every path, as GKE's host rules without paths do", () => {
      const plan = planned(result());
      for (const [name, target] of [
        ["foo.basic.example.com", "basic/foo"],
        ["bar.basic.example.com", "basic/bar"],
      ] as const) {
        // A host rule without paths is `/*` to its service, which always wins over the ingress's default
        // backend: the plan says it once, as the host's default backend (spec/resolve.ts).
        expect(host(plan, name).routes).toEqual([]);
        expect(host(plan, name).defaultBackend).toEqual({ service: target, port: 8080, weight: 100 });
      }
    });
    expectation("basic: bar and default-backend are checked with GET /healthz through the BackendConfig named by port and as the default; foo at /", () => {
      const plan = planned(result());
      const check = (key: string) => service(plan, key).ports[0]!.healthCheck;
      expect([check("basic/bar").path, check("basic/default-backend").path, check("basic/foo").path]).toEqual(["/healthz", "/healthz", "/"]);
      expect(check("basic/bar").protocol).toBe("HTTP");
    });
    expectation("basic: the pods are checked on port 8080, the serving port, so no health port is added", () => {
      const plan = planned(result());
      for (const key of ["basic/bar", "basic/default-backend"]) {
        expect((service(plan, key).ports[0]!.healthCheck as { servicePort?: number }).servicePort).toBeUndefined();
        expect((service(plan, key) as { healthPorts?: unknown }).healthPorts).toBeUndefined();
      }
    });
  });

  describe("host-path (MCI troubleshooting example, with path rules): GCE URL-map path semantics", () => {
    expectation("host-path: /search matches that path only, /search/* everything below it, and other paths of the search host get 404", () => {
      const plan = planned(planCases(["host-path"], { hosts: hostGrants(["host-path"]) }));
      const search = host(plan, "search.paths.example.com");
      expect(search.routes.map((r) => r.match.path)).toEqual([
        { type: "Exact", value: "/search" },
        { type: "Prefix", value: "/search/" },
      ]);
      expect(search.routes.every((r) => r.action.kind === "forward" && r.action.backends[0]!.service === "paths/search-foo")).toBe(true);
      expect(search.defaultBackend).toBeUndefined();
      // store's only path is /*, to one service: everything there goes to it, as its default backend.
      expect(host(plan, "store.paths.example.com").routes).toEqual([]);
      expect(host(plan, "store.paths.example.com").defaultBackend).toMatchObject({ weight: 100 });
    });
  });

  describe("https-e2e (gke-networking-recipes mci-https-e2e): TLS to the pods, HTTPS health checks, a static IP, pre-shared certificates", () => {
    const grants = (): AdminGrants => ({ hosts: hostGrants(["https-e2e"]), config: adoptAddresses({ name: "https-ip", address: "192.0.2.10" }) });
    expectation("https-e2e: the gateways speak TLS to the pods of the https ports and check them with HTTPS on port 443", () => {
      const plan = planned(planCases(["https-e2e"], grants()));
      for (const key of ["https/foo", "https/bar", "https/default-backend"]) {
        const port = service(plan, key).ports[0]! as { appProtocol?: string; healthCheck: { protocol: string; path: string; servicePort?: number } };
        expect([port.appProtocol, port.healthCheck.protocol, port.healthCheck.path, port.healthCheck.servicePort]).toEqual([
          "HTTPS",
          "HTTPS",
          "/healthz",
          undefined,
        ]);
      }
    });
    expectation("https-e2e: the pre-shared-certs annotation is answered with a warning that the hosts get managed certificates", () => {
      const warnings = planCases(["https-e2e"], { hosts: hostGrants(["https-e2e"]) }).diagnostics.filter((d) => d.severity === "warning");
      expect(warnings).toContainEqual(
        expect.objectContaining({
          path: 'metadata.annotations["networking.gke.io/pre-shared-certs"]',
          message: expect.stringContaining("its hosts get managed certificates instead"),
        }),
      );
    });
    expectation("https-e2e: every host gets a managed certificate in place of mci-certs", () => {
      const plan = planned(planCases(["https-e2e"], grants()));
      expect(plan.certificates.filter((c) => c.hosts.some((h) => h.endsWith(".https.example.com"))).map((c) => [c.kind, c.hosts])).toEqual([
        ["managed", ["bar1.https.example.com"]],
        ["managed", ["foo1.https.example.com"]],
      ]);
    });
    expectation("https-e2e: the front door keeps serving on 192.0.2.10 once the admin declares it for adoption", () => {
      expect(adoptedAddresses(planned(planCases(["https-e2e"], grants())))).toEqual(["192.0.2.10"]);
    });
  });

  describe("frontend-config (gke-networking-recipes mci-frontend-config): a FrontendConfig's redirect and SSL policy", () => {
    expectation("frontend-config: plain HTTP to either host is redirected to HTTPS with 302 Found", () => {
      const plan = planned(
        planCases(["frontend-config"], { hosts: hostGrants(["frontend-config"]), config: adoptAddresses({ name: "frontend-ip", address: "192.0.2.20" }) }),
      );
      expect([redirectStatus(plan, "foo.frontend.example.com"), redirectStatus(plan, "bar.foo.frontend.example.com")]).toEqual([302, 302]);
    });
    expectation("frontend-config: the FrontendConfig's sslPolicy is answered with a warning that the environment's SSL policy applies", () => {
      const warnings = planCases(["frontend-config"], { hosts: hostGrants(["frontend-config"]) }).diagnostics.filter((d) => d.severity === "warning");
      expect(warnings).toContainEqual(expect.objectContaining({ path: "spec.sslPolicy", message: expect.stringContaining("fleetgate:gcp.sslPolicy") }));
    });
  });

  describe("blue-green (gke-networking-recipes mci-blue-green-cluster): zonal clusters by link", () => {
    expectation("blue-green: foo and default-backend are served from gke-1 and gke-3, linked by zone", () => {
      const plan = planned(planCases(["blue-green"], { hosts: hostGrants(["blue-green"]) }));
      for (const key of ["bluegreen/foo", "bluegreen/default-backend"]) expect(service(plan, key).clusters.map((c) => c.cluster)).toEqual(["gke-1", "gke-3"]);
      expect(host(plan, "foo.bluegreen.example.com").clusters).toEqual(["gke-1", "gke-3"]);
    });
    expectation("blue-green: after the recipe's patch, foo is served from gke-3 alone", () => {
      const objects = caseObjects("blue-green");
      const foo = objects.find((o) => o.kind === "MultiClusterService" && (o.metadata as { name: string }).name === "foo")!;
      (foo.spec as { clusters: unknown }).clusters = [{ link: "us-west1-b/gke-3" }];
      const plan = planned(
        planEnvironment({
          environment: "corpus",
          stack: stackConfigFromFile("stacks/Pulumi.corpus.yaml", corpusStackText({ hosts: hostGrants(["blue-green"]) })),
          files: [{ path: "stacks/corpus/bluegreen/blue-green.yaml", text: objects.map((o) => stringify(o)).join("---\n") }],
        }),
      );
      expect(service(plan, "bluegreen/foo").clusters.map((c) => c.cluster)).toEqual(["gke-3"]);
      expect(service(plan, "bluegreen/default-backend").clusters.map((c) => c.cluster)).toEqual(["gke-1", "gke-3"]);
    });
  });

  describe("asm-ingressgateway (gke-networking-recipes mci-asm-https-e2e): MCI in front of a mesh ingress gateway", () => {
    expectation("asm-ingressgateway: the service that selects the mesh gateway's pods is refused, saying Fleetgate provides the gateway", () => {
      const errors = errorsOf(
        planCases(["asm-ingressgateway"], { hosts: hostGrants(["asm-ingressgateway"]), config: adoptAddresses({ name: "asm-ip", address: "192.0.2.30" }) }),
      );
      expect(errors).toContainEqual(
        expect.objectContaining({
          path: "spec.template.spec.selector.asm",
          message: expect.stringMatching(/selects the pods of an Istio ingress gateway.*Fleetgate provides the gateway/),
        }),
      );
    });
  });
});
