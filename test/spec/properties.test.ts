import fc from "fast-check";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, parseDocument, stringify } from "yaml";
import { formatDiagnostic } from "../../spec/diagnostics";
import type { SourceFile } from "../../spec/documents";
import { planEnvironment, stackConfigFromFile } from "../../spec/index";
import { readEnvironmentFiles } from "../../spec/read-files";
import { PROJECT_ROOT } from "../../offline/run-offline";

/** A deterministic shuffle, so that fast-check can replay and shrink a failing seed. */
function shuffler(seed: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return <T>(items: readonly T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
}

/** Shuffles every list in a document whose order carries no meaning in the spec. */
function permuteDocument(value: unknown, shuffle: <T>(items: readonly T[]) => T[], key = ""): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => permuteDocument(v, shuffle));
    // Failover lists, Istio's upgrade waves (a new version reaches them in order) and the order of split
    // entries are meaningful; everything else is a set.
    return key === "failover" || key === "waves" ? items : shuffle(items);
  }
  if (value === null || typeof value !== "object") return value;
  const entries = shuffle(Object.entries(value)).map(([k, v]) => [k, permuteDocument(v, shuffle, k)] as const);
  return Object.fromEntries(entries);
}

function examplePieces(environment: string) {
  const stackPath = `stacks/Pulumi.${environment}.yaml`;
  return { stackPath, stackText: readFileSync(`${PROJECT_ROOT}/${stackPath}`, "utf8"), files: readEnvironmentFiles(PROJECT_ROOT, environment) };
}

function permuteExample(environment: string, seed: number) {
  const shuffle = shuffler(seed);
  const { stackPath, stackText, files } = examplePieces(environment);
  const stack = parseDocument(stackText).toJS() as { config: Record<string, unknown> };
  const permutedStack = stringify({ config: permuteDocument(stack.config, shuffle) });
  const permutedFiles: SourceFile[] = shuffle(files).map((f) => ({
    path: f.path,
    text: shuffle(parseAllDocuments(f.text) as unknown as { toJS(): unknown }[])
      .map((d) => stringify(permuteDocument(d.toJS(), shuffle)))
      .join("---\n"),
  }));
  return planEnvironment({ environment, stack: stackConfigFromFile(stackPath, permutedStack), files: permutedFiles });
}

describe("determinism", () => {
  for (const environment of ["dev", "prod"]) {
    it(`gives the identical ${environment} plan for any order of documents, clusters, lists and keys`, () => {
      const { stackPath, stackText, files } = examplePieces(environment);
      const reference = planEnvironment({ environment, stack: stackConfigFromFile(stackPath, stackText), files });
      expect(reference.plan).toBeDefined();
      fc.assert(
        fc.property(fc.integer(), (seed) => {
          const permuted = permuteExample(environment, seed);
          expect(permuted.plan).toEqual(reference.plan);
          expect(permuted.diagnostics.map((d) => [d.path, d.message])).toEqual(reference.diagnostics.map((d) => [d.path, d.message]));
        }),
        { numRuns: 40 },
      );
    });
  }
});

// --- Any valid spec resolves ---------------------------------------------------------------------

const REGIONS = ["us-central1", "europe-west1", "asia-east1", "us-east4"] as const;
const PATHS = ["/a", "/a/*", "/b", "/b/*", "/*", "/a/b", "/a/b/*"] as const;

const fleetArbitrary = fc
  .record({
    clusters: fc.uniqueArray(fc.record({ n: fc.integer({ min: 0, max: 9 }), region: fc.constantFrom(...REGIONS), tier: fc.constantFrom("a", "b") }), {
      minLength: 1,
      maxLength: 5,
      selector: (c) => c.n,
    }),
    namespaces: fc.uniqueArray(fc.constantFrom("shop", "search", "auth"), { minLength: 1, maxLength: 3 }),
    services: fc.array(
      fc.record({
        ns: fc.nat(),
        clusters: fc.oneof(fc.constant("all" as const), fc.constant("tier" as const), fc.array(fc.nat(), { minLength: 1, maxLength: 3 })),
        weights: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 5, maxLength: 5 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    hosts: fc.array(
      fc.record({
        ns: fc.nat(),
        paths: fc.uniqueArray(fc.constantFrom(...PATHS), { minLength: 1, maxLength: 4 }),
        backends: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
        withDefault: fc.boolean(),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  })
  .map(({ clusters, namespaces, services, hosts }) => {
    const fleet = clusters.map((c) => ({
      name: `c${c.n}`,
      provider: "gke",
      region: c.region,
      zones: [`${c.region}-a`],
      network: "vpc",
      labels: { tier: c.tier },
      access: { kind: "gke", project: "p" },
    }));
    const docs = new Map<string, Record<string, unknown>[]>();
    const servicesByNs = new Map<string, string[]>();
    services.forEach((s, i) => {
      const ns = namespaces[s.ns % namespaces.length]!;
      const name = `svc${i}`;
      let selection: Record<string, unknown>[] | undefined;
      if (s.clusters === "tier") selection = [{ selector: { matchLabels: { tier: fleet[0]!.labels.tier } } }];
      else if (Array.isArray(s.clusters)) {
        const chosen = [...new Set(s.clusters.map((k) => fleet[k % fleet.length]!))];
        selection = chosen.map((c, j) => ({ link: `${c.region}/${c.name}`, fleetgate: { weight: j === 0 ? Math.max(1, s.weights[j]!) : s.weights[j]! } }));
      }
      const doc = {
        apiVersion: "networking.gke.io/v1",
        kind: "MultiClusterService",
        metadata: { name, namespace: ns },
        spec: { template: { spec: { selector: { app: name }, ports: [{ port: 80 }] } }, ...(selection ? { clusters: selection } : {}) },
      };
      docs.set(ns, [...(docs.get(ns) ?? []), doc]);
      servicesByNs.set(ns, [...(servicesByNs.get(ns) ?? []), name]);
    });
    hosts.forEach((h, i) => {
      const candidates = [...servicesByNs.keys()];
      const ns = candidates[h.ns % candidates.length]!;
      const names = servicesByNs.get(ns)!;
      const pick = (k: number) => ({ serviceName: names[k % names.length]!, servicePort: 80 });
      const ingress = {
        apiVersion: "networking.gke.io/v1",
        kind: "MultiClusterIngress",
        metadata: { name: `ing${i}`, namespace: ns },
        spec: {
          template: {
            spec: {
              ...(h.withDefault ? { backend: pick(h.backends[3]!) } : {}),
              rules: [{ host: `h${i}.${ns}.example.com`, http: { paths: h.paths.map((p, j) => ({ path: p, backend: pick(h.backends[j]!) })) } }],
            },
          },
        },
      };
      docs.set(ns, [...(docs.get(ns) ?? []), ingress]);
    });
    const config = {
      "fleetgate:frontDoor": "gcp",
      "fleetgate:gcp": { project: "p" },
      "fleetgate:clusters": fleet,
      "fleetgate:dns": { zones: [{ domain: "example.com", cloudDns: { managedZone: "z" } }] },
      "fleetgate:hostOwnership": namespaces.map((ns) => ({ namespace: ns, domains: [`*.${ns}.example.com`] })),
      "fleetgate:mesh": { istio: { version: "1.28.0" } },
    };
    const files = [...docs].map(([ns, list]) => ({ path: `stacks/gen/${ns}/docs.yaml`, text: list.map((d) => stringify(d)).join("---\n") }));
    return { stackText: stringify({ config }), files };
  });

describe("resolution", () => {
  it("resolves any valid generated fleet without errors, keeping the plan's invariants", () => {
    fc.assert(
      fc.property(fleetArbitrary, ({ stackText, files }) => {
        const result = planEnvironment({ environment: "gen", stack: stackConfigFromFile("stacks/Pulumi.gen.yaml", stackText), files });
        expect(result.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
        const plan = result.plan!;
        const clusterNames = new Set(plan.clusters.map((c) => c.name));
        for (const host of plan.hosts) {
          expect(host.routes.map((r) => r.priority)).toEqual(host.routes.map((_, i) => i + 1));
          expect(new Set(host.routes.map((r) => r.key)).size).toBe(host.routes.length);
          for (const route of host.routes) if (route.action.kind === "forward") expect(route.action.backends.reduce((s, b) => s + b.weight, 0)).toBe(100);
          for (const c of host.clusters) expect(clusterNames.has(c)).toBe(true);
        }
        for (const service of plan.services) {
          expect(service.clusters.length).toBeGreaterThan(0);
          expect(service.clusters.some((c) => c.weight > 0)).toBe(true);
        }
        // A gateway exists exactly in the clusters that serve a routed service.
        const serving = new Set(plan.hosts.flatMap((h) => h.clusters));
        expect(plan.clusters.filter((c) => c.gateway).map((c) => c.name)).toEqual([...clusterNames].filter((n) => serving.has(n)));
      }),
      { numRuns: 150 },
    );
  });
});
