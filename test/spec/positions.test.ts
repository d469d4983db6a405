import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../spec/diagnostics";
import { planEnvironment, stackConfigFromFile } from "../../spec/index";

const stack = `config:
  fleetgate:frontDoor: gcp
  fleetgate:gcp: { project: acme }
  fleetgate:clusters:
    - name: us
      provider: gke
      region: us-central1
      zones: [us-central1-a]
      network: vpc
      access: { kind: gke, project: acme }
  fleetgate:dns:
    zones: [{ domain: example.com, cloudDns: { managedZone: example } }]
  fleetgate:hostOwnership:
    - namespace: shop
      domains: [shop.example.com]
  fleetgate:mesh: { istio: { version: 1.28.0 } }
`;

const ingress = `apiVersion: networking.gke.io/v1
kind: MultiClusterService
metadata: { name: web, namespace: shop }
spec:
  template:
    spec:
      selector: { app: web }
      ports: [{ port: 80 }]
---
apiVersion: networking.gke.io/v1
kind: MultiClusterIngress
metadata: { name: shop, namespace: shop }
spec:
  template:
    spec:
      rules:
        - host: shop..example.com
          http:
            paths:
              - path: /cart
                backend: { serviceName: web, servicePort: 8080 }
`;

function plan(files: Record<string, string>, stackText = stack) {
  return planEnvironment({
    environment: "prod",
    stack: stackConfigFromFile("stacks/Pulumi.prod.yaml", stackText),
    files: Object.entries(files).map(([path, text]) => ({ path, text })),
  });
}

describe("diagnostics", () => {
  it("name the file, line and column of the offending value", () => {
    const result = plan({ "stacks/prod/shop/ingress.yaml": ingress });
    const lines = result.diagnostics.map(formatDiagnostic);
    expect(lines).toContain(
      'stacks/prod/shop/ingress.yaml:17:17: spec.template.spec.rules[0].host: "shop..example.com" is not a valid host name; use lower-case labels separated by single dots.',
    );
  });

  it("place stack configuration errors in the stack file", () => {
    const result = plan({}, stack.replace("region: us-central1", "region: us-centrl1").replace("zones: [us-central1-a]", "zones: [us-centrl1-a]"));
    const region = result.diagnostics.find((d) => d.path === "fleetgate:clusters[0].region");
    expect(region).toMatchObject({ file: "stacks/Pulumi.prod.yaml", line: 7, column: 15 });
    expect(region!.message).toContain('did you mean "us-central1"');
  });

  it("report the first YAML syntax error of a document, and how many more the parser found after it", () => {
    const misindented =
      "apiVersion: networking.gke.io/v1\nkind: MultiClusterService\nmetadata: { name: web, namespace: shop }\nspec:\n  template:\n    spec:\n      selector: { app: web }\n     ports: [{ port: 80 }]\n";
    const errors = plan({ "stacks/prod/shop/web.yaml": misindented }).diagnostics.filter((d) => d.file === "stacks/prod/shop/web.yaml");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ severity: "error", line: 8 });
  });

  it("report YAML syntax errors at their place", () => {
    const result = plan({ "stacks/prod/shop/bad.yaml": "kind: MultiClusterService\nmetadata: { name: web\n" });
    const syntax = result.diagnostics.find((d) => d.file === "stacks/prod/shop/bad.yaml");
    expect(syntax?.line).toBeGreaterThan(0);
    expect(syntax?.message).toContain("fix the YAML syntax");
  });

  it("place an unknown key at the key, not at its value on the next line", () => {
    const result = plan(
      { "stacks/prod/shop/ingress.yaml": ingress.replace("shop..example.com", "shop.example.com").replace("            paths:", "            pathz:") },
      stack.replace("  fleetgate:hostOwnership:", "  fleetgate:hostOwnerships:"),
    );
    const place = (path: string) => result.diagnostics.find((d) => d.path === path);
    expect(place("spec.template.spec.rules[0].http.pathz")).toMatchObject({ file: "stacks/prod/shop/ingress.yaml", line: 19, column: 13 });
    expect(place("fleetgate:hostOwnerships")).toMatchObject({ file: "stacks/Pulumi.prod.yaml", line: 13, column: 3 });
  });

  it("report only the syntax error of a stack file that does not parse, not every key as missing", () => {
    const result = plan({}, stack.replace("network: vpc", "network: vpc\n      network: vpc2"));
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: "stacks/Pulumi.prod.yaml", line: 10 });
    expect(errors[0]!.message).toContain('"network" is a key this map already has');
    expect(result.plan).toBeUndefined();
  });

  it("report every error of a run together, across files and the stack file", () => {
    const second = ingress
      .replace("shop..example.com", "shop.example.com")
      .replace("name: shop, namespace: shop", "name: other, namespace: shop")
      .replace("path: /cart", "path: /cart/*/x");
    const result = plan(
      { "stacks/prod/shop/a.yaml": ingress, "stacks/prod/shop/b.yaml": second.split("---")[1]! },
      stack.replace("kind: gke, project: acme }", "kind: gcloud }"),
    );
    const files = new Set(result.diagnostics.filter((d) => d.severity === "error").map((d) => d.file));
    expect([...files].sort()).toEqual(["stacks/Pulumi.prod.yaml", "stacks/prod/shop/a.yaml"]);
    expect(result.plan).toBeUndefined();
  });

  it("still check documents against each other when one of them fails its schema", () => {
    const broken = ingress.replace("selector: { app: web }", "selector: { app: web }\n      colour: blue");
    const result = plan({ "stacks/prod/shop/ingress.yaml": broken.replace("shop..example.com", "shop.example.com").replace("path: /cart", "path: cart") });
    const messages = result.diagnostics.map((d) => d.message);
    expect(messages.some((m) => m.includes('unknown field "colour"'))).toBe(true);
    expect(messages.some((m) => m.includes('"cart" does not start with "/"'))).toBe(true);
    // The ingress refers to the broken service; that is not reported a second time as a missing service.
    expect(messages.some((m) => m.includes("is not a MultiClusterService"))).toBe(false);
  });

  const valid = ingress.replace("shop..example.com", "shop.example.com").replace("servicePort: 8080", "servicePort: 80");

  it("read a file that starts and ends with a document separator as its documents only", () => {
    const result = plan({ "stacks/prod/shop/ingress.yaml": `---\n${valid}---\n` });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result.plan?.hosts.map((h) => h.name)).toEqual(["shop.example.com"]);
  });

  it("read merge keys as Kubernetes tools do", () => {
    const merged = valid.replace("ports: [{ port: 80 }]", "ports:\n        - &http { port: 80, name: http }\n        - { <<: *http, port: 8080, name: alt }");
    const result = plan({ "stacks/prod/shop/ingress.yaml": merged });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result.plan?.services[0]?.ports).toMatchObject([
      { port: 80, name: "http" },
      { port: 8080, name: "alt" },
    ]);
  });

  it("report an alias to an anchor of another document at the alias, with the reason", () => {
    const across = valid
      .replace("metadata: { name: web, namespace: shop }", "metadata: &meta { name: web, namespace: shop }")
      .replace("metadata: { name: shop, namespace: shop }", "metadata: *meta");
    const result = plan({ "stacks/prod/shop/ingress.yaml": across });
    const alias = result.diagnostics.find((d) => d.message.includes("meta"));
    expect(alias).toMatchObject({ file: "stacks/prod/shop/ingress.yaml", line: 12, column: 11, severity: "error" });
    expect(alias!.message).toContain("anchors do not reach across");
    expect(alias!.message).not.toContain("so many aliases");
  });

  it("warn about GKE fields Fleetgate replaces, without failing", () => {
    const withTls = ingress
      .replace("shop..example.com", "shop.example.com")
      .replace("servicePort: 8080", "servicePort: 80")
      .replace("      rules:", "      tls: [{ secretName: shop-tls }]\n      rules:");
    const result = plan({ "stacks/prod/shop/ingress.yaml": withTls });
    expect(result.plan).toBeDefined();
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(/ingress.yaml:\d+:\d+: warning: spec.template.spec.tls: is ignored: Fleetgate issues a managed certificate/),
    ]);
  });

  it("warn that GKE's pre-shared certificates (Compute Engine's) are replaced by managed ones, and say how to keep one's own", () => {
    const withCerts = ingress
      .replace("shop..example.com", "shop.example.com")
      .replace("servicePort: 8080", "servicePort: 80")
      .replace(
        "metadata: { name: shop, namespace: shop }",
        "metadata:\n  name: shop\n  namespace: shop\n  annotations: { networking.gke.io/pre-shared-certs: shop-ev }",
      );
    const result = plan({ "stacks/prod/shop/ingress.yaml": withCerts });
    expect(result.plan!.certificates.find((c) => c.domain === "shop.example.com")?.kind).toBe("managed");
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(
        /ingress.yaml:\d+:\d+: warning: metadata\.annotations\["networking\.gke\.io\/pre-shared-certs"\]: names Compute Engine SSL certificates.*name it in fleetgate.io\/certificate-manager-certs/,
      ),
    ]);
  });
});
