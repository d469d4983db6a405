/**
 * The environment the conformance cases run in: two clusters behind the GCP front door or behind AWS,
 * the suite's backends as MultiClusterServices in both, the namespaces' host grants, and each case's
 * documents in its namespace's folder (one file per document, so that a refusal is found by file).
 */
import { baseFixture, type SpecFixture } from "../spec/fixtures";
import { INFRA, WEB, type ConformanceCase, type FrontDoor, type Refusal } from "./case";

const backend = (namespace: string, name: string) => ({
  apiVersion: "networking.gke.io/v1",
  kind: "MultiClusterService",
  metadata: { name, namespace },
  spec: {
    template: { spec: { selector: { app: name }, ports: [{ name: "http", protocol: "TCP", port: 8080 }] } },
    clusters: [{ selector: { matchLabels: { conformance: "backends" } } }],
  },
});

const HOST_OWNERSHIP = [
  // *.hosts.example.com: the suite's own host names under a suffix (cases/listeners.ts); example.org: where the suite redirects and rewrites to.
  { namespace: INFRA, domains: ["*.infra.example.com", "*.hosts.example.com", "example.org", "*.example.org"] },
  { namespace: WEB, domains: ["*.web.example.com"] },
];

function frontDoorConfig(door: FrontDoor): Record<string, unknown> {
  const base = baseFixture().config;
  const mesh = base.mesh;
  if (door === "gcp") {
    const clusters = (base.clusters as Record<string, unknown>[])
      .slice(0, 2)
      .map((c) => ({ ...c, labels: { ...(c.labels as object), conformance: "backends" } }));
    const dns = {
      zones: [
        { domain: "example.com", cloudDns: { managedZone: "example-com" } },
        { domain: "example.org", cloudDns: { managedZone: "example-org" } },
      ],
    };
    return { frontDoor: "gcp", gcp: base.gcp, clusters, dns, hostOwnership: HOST_OWNERSHIP, mesh };
  }
  const eks = (name: string, region: string, zones: string[]) => ({
    name,
    provider: "eks",
    region,
    zones,
    network: `vpc-${region}`,
    labels: { conformance: "backends" },
    access: { kind: "eks", roleArn: "arn:aws:iam::123456789012:role/fleetgate-deployer" },
    multiClusterServices: "mcs-api",
  });
  return {
    "aws:region": "us-west-2",
    frontDoor: "aws",
    aws: { mode: "accelerator" },
    clusters: [eks("eks-use1", "us-east-1", ["us-east-1a", "us-east-1b"]), eks("eks-euw1", "eu-west-1", ["eu-west-1a", "eu-west-1b"])],
    dns: {
      zones: [
        { domain: "example.com", route53: { hostedZoneId: "Z0EXAMPLE1234567890" } },
        { domain: "example.org", route53: { hostedZoneId: "Z0EXAMPLE0987654321" } },
      ],
    },
    hostOwnership: HOST_OWNERSHIP,
    mesh: { id: "conformance", istio: { version: "1.28.0" } },
  };
}

/** A file-name-safe form of a case's name. */
export const slug = (c: ConformanceCase) =>
  c.name
    .replace(/^HTTPRoute/, "")
    .replace(/[A-Z]/g, (l: string, i: number) => `${i === 0 ? "" : "-"}${l.toLowerCase()}`)
    .replace(/^(\d)/, "status-$1");

const nameOf = (doc: Record<string, unknown>) => (doc.metadata as { name: string }).name;
const namespaceOf = (doc: Record<string, unknown>) => (doc.metadata as { namespace: string }).namespace;

/** The file a case's document is written to, below stacks/<env>/. */
export const fileOf = (c: ConformanceCase, doc: Record<string, unknown>) => `${namespaceOf(doc)}/${slug(c)}--${nameOf(doc)}.yaml`;

/**
 * A case's documents without what a front door refuses: refused rules and host names leave their route,
 * and refused routes (and routes left without rules) leave the case.
 */
export function acceptedDocuments(c: ConformanceCase, refusals: readonly Refusal[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const doc of c.documents) {
    const mine = refusals.filter((r) => r.route === nameOf(doc));
    if (mine.some((r) => r.rule === undefined && r.hostname === undefined)) continue;
    if (doc.kind !== "HTTPRoute" || mine.length === 0) {
      out.push(doc);
      continue;
    }
    const spec = doc.spec as { rules: unknown[]; hostnames: string[] };
    const rules = spec.rules.filter((_, i) => !mine.some((r) => r.rule === i));
    const hostnames = spec.hostnames.filter((h) => !mine.some((r) => r.hostname === h));
    if (rules.length > 0) out.push({ ...doc, spec: { ...spec, hostnames, rules } });
  }
  return out;
}

/** The environment holding these cases' documents (all of each, or what `documents` picks). */
export function conformanceFixture(door: FrontDoor, cases: readonly { case: ConformanceCase; documents: readonly Record<string, unknown>[] }[]): SpecFixture {
  const files: Record<string, Record<string, unknown>[]> = {
    [`${INFRA}/backends.yaml`]: ["infra-backend-v1", "infra-backend-v2", "infra-backend-v3"].map((n) => backend(INFRA, n)),
    [`${WEB}/backends.yaml`]: [backend(WEB, "web-backend")],
  };
  for (const { case: c, documents } of cases) for (const doc of documents) files[fileOf(c, doc)] = [doc];
  return { environment: "conformance", secure: [], config: frontDoorConfig(door), files };
}
