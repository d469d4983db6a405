/**
 * A small valid environment and its documents, as plain data, for table-driven spec tests: each case
 * clones the base, changes one thing and says which errors it wants. Files are written as YAML so that
 * every diagnostic carries a real position.
 */
import { stringify } from "yaml";
import { planEnvironment, stackConfigFromFile, type PlanResult } from "../../spec/index";
import type { SourceFile } from "../../spec/documents";

export interface SpecFixture {
  environment: string;
  /** Stack config keys without the namespace, plus any `gcp:`-style keys with their namespace. */
  config: Record<string, unknown>;
  /** Secret config keys (without namespace): written as `{ secure: ... }` in the stack file. */
  secure: string[];
  /** Documents by file path below stacks/<env>/. */
  files: Record<string, Record<string, unknown>[]>;
}

export function baseFixture(): SpecFixture {
  return {
    environment: "test",
    secure: [],
    config: {
      frontDoor: "gcp",
      gcp: { project: "acme-test" },
      clusters: [
        {
          name: "us",
          provider: "gke",
          region: "us-central1",
          zones: ["us-central1-a", "us-central1-b"],
          network: "vpc",
          labels: { region: "us", tier: "gold" },
          access: { kind: "gke", project: "acme-test" },
        },
        {
          name: "eu",
          provider: "gke",
          region: "europe-west1",
          zones: ["europe-west1-b"],
          network: "vpc",
          labels: { region: "eu", tier: "gold" },
          access: { kind: "gke", project: "acme-test" },
        },
        {
          name: "asia",
          provider: "gke",
          region: "asia-east1",
          zones: ["asia-east1-a"],
          network: "vpc",
          labels: { region: "asia" },
          access: { kind: "gke", project: "acme-test" },
        },
      ],
      dns: { zones: [{ domain: "example.com", cloudDns: { managedZone: "example-com" } }] },
      hostOwnership: [
        { namespace: "shop", domains: ["shop.example.com"] },
        { namespace: "search", domains: ["*.search.example.com", "search.example.com"] },
      ],
      mesh: { istio: { version: "1.28.0" } },
    },
    files: {
      "shop/shop.yaml": [
        {
          apiVersion: "networking.gke.io/v1",
          kind: "MultiClusterService",
          metadata: { name: "web", namespace: "shop" },
          spec: {
            template: { spec: { selector: { app: "web" }, ports: [{ name: "http", protocol: "TCP", port: 80, targetPort: 8080 }] } },
            clusters: [
              { link: "us-central1/us", fleetgate: { weight: 70 } },
              { link: "europe-west1/eu", fleetgate: { weight: 30 } },
            ],
          },
        },
        {
          apiVersion: "networking.gke.io/v1",
          kind: "MultiClusterService",
          metadata: { name: "cart", namespace: "shop" },
          spec: { template: { spec: { selector: { app: "cart" }, ports: [{ port: 80 }] } }, clusters: [{ link: "us-central1/us" }] },
        },
        {
          apiVersion: "networking.gke.io/v1",
          kind: "MultiClusterIngress",
          metadata: { name: "shop", namespace: "shop" },
          spec: {
            template: {
              spec: {
                backend: { serviceName: "web", servicePort: 80 },
                rules: [{ host: "shop.example.com", http: { paths: [{ path: "/cart/*", backend: { serviceName: "cart", servicePort: 80 } }] } }],
              },
            },
          },
        },
      ],
      "search/search.yaml": [
        {
          apiVersion: "networking.gke.io/v1",
          kind: "MultiClusterService",
          metadata: { name: "search", namespace: "search" },
          spec: {
            template: { spec: { selector: { app: "search" }, ports: [{ name: "http", port: 8080 }] } },
            clusters: [{ selector: { matchLabels: { tier: "gold" } } }],
            fleetgate: { failover: ["us-central1", "europe-west1"], outlierDetection: { consecutive5xxErrors: 3 } },
          },
        },
        {
          apiVersion: "networking.gke.io/v1",
          kind: "MultiClusterIngress",
          metadata: { name: "search", namespace: "search" },
          spec: {
            template: {
              spec: {
                rules: [
                  { host: "search.example.com", http: { paths: [{ path: "/*", backend: { serviceName: "search", servicePort: "http" } }] } },
                  { host: "api.search.example.com", http: { paths: [{ path: "/v1/*", backend: { serviceName: "search", servicePort: 8080 } }] } },
                ],
              },
            },
          },
        },
      ],
    },
  };
}

/** The stack file text of a fixture. */
export function stackText(fixture: SpecFixture): string {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fixture.config)) {
    const full = key.includes(":") ? key : `fleetgate:${key}`;
    config[full] = fixture.secure.includes(key) ? encrypt(value) : value;
  }
  return stringify({ config });
}

function encrypt(value: unknown): unknown {
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encrypt(v)]));
  return { secure: `v1:${Buffer.from(String(value)).toString("base64")}` };
}

export function sourceFiles(fixture: SpecFixture): SourceFile[] {
  return Object.entries(fixture.files).map(([path, docs]) => ({
    path: `stacks/${fixture.environment}/${path}`,
    text: docs.map((d) => stringify(d)).join("---\n"),
  }));
}

export function planFixture(fixture: SpecFixture, extraFiles: SourceFile[] = []): PlanResult {
  const path = `stacks/Pulumi.${fixture.environment}.yaml`;
  return planEnvironment({
    environment: fixture.environment,
    stack: stackConfigFromFile(path, stackText(fixture)),
    files: [...sourceFiles(fixture), ...extraFiles],
  });
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * The fixture with one HTTPRoute of the shop team, `api` on api.shop.example.com (its domain granted),
 * attached to the given parents with the given rules.
 */
export function withShopRoute(fixture: SpecFixture, parentRefs: Record<string, unknown>[], rules: Record<string, unknown>[]): SpecFixture {
  (fixture.config.hostOwnership as Record<string, any>[])[0]!.domains.push("*.shop.example.com");
  fixture.files["shop/routes.yaml"] = [
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "api", namespace: "shop" },
      spec: { parentRefs, hostnames: ["api.shop.example.com"], rules },
    },
  ];
  return fixture;
}
