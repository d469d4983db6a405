import { describe, expect, it } from "vitest";
import { planAddressRecords, planCertificates } from "../../../components/gcp/certificate-plan";
import { examplePlan } from "../../examples";
import { planOf, prodInputs, type Doc } from "./prod-fixture";

const prod = examplePlan("prod");
const certs = planCertificates(prod);

describe("the GCP certificate plan", () => {
  it("authorizes each domain once by DNS, in the zone that holds it (a wildcard's parent for the wildcard)", () => {
    expect(certs.authorizations.map((a) => [a.domain, a.name, a.zone.managedZone, a.zone.project])).toEqual([
      ["accounts.example.com", "fg-prod-accounts-example-com", "example-com", "acme-fleet-prod"],
      ["apps.example.com", "fg-prod-apps-example-com", "apps-example-com", "acme-fleet-prod"],
      ["shop.example.com", "fg-prod-shop-example-com", "example-com", "acme-fleet-prod"],
      ["www.example.com", "fg-prod-www-example-com", "example-com", "acme-fleet-prod"],
    ]);
  });

  it("issues one managed certificate per host, and one for the hosts under an allowed wildcard", () => {
    expect(certs.certificates.map((c) => [c.domain, c.domains, c.authorizations, c.hosts])).toEqual([
      ["*.apps.example.com", ["*.apps.example.com"], ["apps.example.com"], ["search.apps.example.com", "suggest.apps.example.com"]],
      ["accounts.example.com", ["accounts.example.com"], ["accounts.example.com"], ["accounts.example.com"]],
      ["shop.example.com", ["shop.example.com"], ["shop.example.com"], ["shop.example.com"]],
      ["www.example.com", ["www.example.com"], ["www.example.com"], ["www.example.com"]],
    ]);
  });

  it("names a certificate after what it is, so a replacement can exist beside the certificate it replaces", () => {
    const shop = certs.certificates.find((c) => c.domain === "shop.example.com")!;
    expect(shop.name).toMatch(/^fg-prod-shop-example-com-[0-9a-f]{6}$/);
    expect(shop.logicalName).toBe("prod-certificate-shop-example-com");
    // Another host changes no existing certificate's name.
    const inputs = prodInputs();
    const shopDoc = inputs.files.find((f) => f.path.endsWith("shop/cart.yaml"))!.docs.find((d) => d.kind === "MultiClusterIngress")!;
    shopDoc.spec.template.spec.rules.push({
      host: "www.example.com",
      http: { paths: [{ path: "/help", backend: { serviceName: "cart", servicePort: 80 } }] },
    } as Doc);
    inputs.config["fleetgate:hostOwnership"][0].domains.push("m.example.com");
    shopDoc.spec.template.spec.rules.push({
      host: "m.example.com",
      http: { paths: [{ path: "/*", backend: { serviceName: "cart", servicePort: 80 } }] },
    } as Doc);
    const more = planCertificates(planOf(inputs));
    expect(more.certificates.map((c) => c.domain)).toContain("m.example.com");
    for (const c of certs.certificates) expect(more.certificates.find((m) => m.domain === c.domain)!.name).toBe(c.name);
  });

  it("maps every host to its certificate with one map entry per host", () => {
    expect(certs.entries.map((e) => [e.host, e.name, e.managed])).toEqual([
      ["accounts.example.com", "fg-prod-accounts-example-com", "accounts.example.com"],
      ["search.apps.example.com", "fg-prod-search-apps-example-com", "*.apps.example.com"],
      ["shop.example.com", "fg-prod-shop-example-com", "shop.example.com"],
      ["suggest.apps.example.com", "fg-prod-suggest-apps-example-com", "*.apps.example.com"],
      ["www.example.com", "fg-prod-www-example-com", "www.example.com"],
    ]);
    expect(certs.map).toEqual({ logicalName: "prod-certificate-map", name: "fg-prod" });
  });

  it("uses the Certificate Manager certificates an ingress names as given, and issues none for their hosts", () => {
    const inputs = prodInputs();
    const accounts = inputs.files.find((f) => f.path.endsWith("accounts/accounts.yaml"))!.docs.find((d) => d.kind === "MultiClusterIngress")!;
    accounts.metadata.annotations = { "fleetgate.io/certificate-manager-certs": "accounts-ev,projects/acme-pki/locations/global/certificates/accounts-backup" };
    const plan = planCertificates(planOf(inputs));
    expect(plan.entries.find((e) => e.host === "accounts.example.com")).toMatchObject({
      preShared: ["projects/acme-fleet-prod/locations/global/certificates/accounts-ev", "projects/acme-pki/locations/global/certificates/accounts-backup"],
    });
    expect(plan.certificates.map((c) => c.domain)).not.toContain("accounts.example.com");
    expect(plan.authorizations.map((a) => a.domain)).not.toContain("accounts.example.com");
  });

  it("serves a wildcard host with a wildcard certificate authorized on its parent, a wildcard map entry and wildcard records", () => {
    const inputs = prodInputs();
    const search = inputs.files.find((f) => f.path.endsWith("search/search.yaml"))!.docs.find((d) => d.kind === "MultiClusterIngress")!;
    search.spec.template.spec.rules.push({
      host: "*.eu.apps.example.com",
      http: { paths: [{ path: "/*", backend: { serviceName: "search", servicePort: 8080 } }] },
    } as Doc);
    const plan = planOf(inputs);
    const wildcard = planCertificates(plan);
    expect(wildcard.certificates.find((c) => c.domain === "*.eu.apps.example.com")).toMatchObject({
      logicalName: "prod-certificate-wildcard-eu-apps-example-com",
      domains: ["*.eu.apps.example.com"],
      authorizations: ["eu.apps.example.com"],
    });
    expect(wildcard.authorizations.find((a) => a.domain === "eu.apps.example.com")?.zone.managedZone).toBe("apps-example-com");
    expect(wildcard.entries.find((e) => e.host === "*.eu.apps.example.com")).toMatchObject({
      name: "fg-prod-wildcard-eu-apps-example-com",
      managed: "*.eu.apps.example.com",
    });
    expect(
      planAddressRecords(plan)
        .filter((r) => r.host.startsWith("*."))
        .map((r) => r.logicalName),
    ).toEqual(["prod-dns-wildcard-eu-apps-example-com-a", "prod-dns-wildcard-eu-apps-example-com-aaaa"]);
  });

  it("points every host at the address with A and AAAA records in its zone", () => {
    expect(planAddressRecords(prod).map((r) => [r.host, r.type, r.zone.managedZone, r.zone.ttl])).toEqual(
      prod.hosts.flatMap((h) => ["A", "AAAA"].map((type) => [h.name, type, h.zone === "apps.example.com" ? "apps-example-com" : "example-com", 300])),
    );
    const inputs = prodInputs();
    inputs.config["fleetgate:gcp"].ipv6 = false;
    inputs.config["fleetgate:dns"].ttl = 60;
    const v4 = planAddressRecords(planOf(inputs));
    expect(new Set(v4.map((r) => r.type))).toEqual(new Set(["A"]));
    expect(new Set(v4.map((r) => r.zone.ttl))).toEqual(new Set([60]));
  });
});
