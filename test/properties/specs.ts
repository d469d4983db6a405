/**
 * A fast-check generator of whole environments: a stack file and team documents that pass, or nearly
 * pass, their schemas, written to exercise what schemas cannot see. Names are drawn from small pools on
 * purpose, so that coincidences happen often: namespaces and names that join to the same string
 * (`shop/a-b` and `shop-a/b`), names at their length limits, hosts granted to two namespaces, header and
 * query names made of every character a token allows, free-form network and region names.
 */
import fc from "fast-check";
import { stringify } from "yaml";

export interface GeneratedSpec {
  readonly environment: string;
  readonly stackText: string;
  /** Document files by path relative to the project root. */
  readonly files: Readonly<Record<string, string>>;
}

const NAMESPACES = ["shop", "shop-a", "a", "catch", "n".repeat(63)];
const SERVICE_NAMES = ["a-b", "b", "all", "web", "s".repeat(63)];
const CLUSTER_NAMES = ["us", "eu", "a-b", "80", "c".repeat(30)];
const DOMAIN = "example.com";
const HOSTS = [`shop.${DOMAIN}`, `a.shop.${DOMAIN}`, `*.shop.${DOMAIN}`, `x.y.${DOMAIN}`, `${"h".repeat(63)}.${DOMAIN}`, DOMAIN, `shop-a.${DOMAIN}`];
const GRANTS = [`shop.${DOMAIN}`, `*.shop.${DOMAIN}`, `a.shop.${DOMAIN}`, `*.${DOMAIN}`, `x.y.${DOMAIN}`, DOMAIN, `shop-a.${DOMAIN}`];
const TOKENS = ["a", "x-user", "a'b", "~", "`", "a|b", "!#$%&'*+-.^_`|~", "X".repeat(256), "q.r", 'a"]', "a b"];
const VALUES = ["1", "a b", "ü", '"', "'", "${x}", "{client_region}", "v".repeat(1024), "a\tb"];
const PATHS = ["/*", "/", "/a", "/a/*", "/b/*", "/a b", "/ü/*", "/%2F/*", "/a/../b", `/${"p".repeat(200)}/*`];
const NETWORKS = ["vpc", "net/1", "net.1", "ü", "n".repeat(100), "-"];
const OTHER_REGIONS = ["us-east", "on prem", "a/b", "ü", "r".repeat(80)];

const GCP_REGIONS: Record<string, string[]> = { "us-central1": ["us-central1-a", "us-central1-b"], "europe-west1": ["europe-west1-b", "europe-west1-c"] };
const AWS_REGIONS: Record<string, string[]> = { "us-east-1": ["us-east-1a", "us-east-1b"], "eu-west-1": ["eu-west-1a"] };

const pick = <T>(items: readonly T[]) => fc.constantFrom(...items);
/** The first items `bias` times as likely as the rest: where the coincidences are. */
const favour = <T>(items: readonly T[], first: number, bias = 4) =>
  fc.oneof({ arbitrary: pick(items.slice(0, first)), weight: bias * first }, { arbitrary: pick(items.slice(first)), weight: items.length - first });

function clusterArbitrary(frontDoor: "gcp" | "aws") {
  const cloud = frontDoor === "gcp" ? GCP_REGIONS : AWS_REGIONS;
  const cloudCluster = fc
    .record({
      region: pick(Object.keys(cloud)),
      network: favour(NETWORKS, 1, 100),
      drain: rarely(fc.constant(true), 10),
      label: pick(["gold", "silver"]),
      multiClusterServices: pick(["none", "none", frontDoor === "gcp" ? "gke-fleet" : "mcs-api"]),
    })
    .map(({ region, network, drain, label, multiClusterServices }) => ({
      provider: frontDoor === "gcp" ? "gke" : "eks",
      region,
      zones: cloud[region]!,
      network,
      labels: { tier: label },
      access: frontDoor === "gcp" ? { kind: "gke", project: "acme-test" } : { kind: "eks" },
      ...(drain ? { drain } : {}),
      multiClusterServices,
    }));
  const otherCluster = fc
    .record({ region: favour(OTHER_REGIONS, 1, 40), network: favour(NETWORKS, 1, 100), label: pick(["gold", "silver"]) })
    .map(({ region, network, label }) => ({
      provider: "other",
      region,
      zones: [],
      network,
      labels: { tier: label },
      access: { kind: "kubeconfig" },
      gateway: { publicHostname: `gw.${region.length > 20 ? "far" : "onprem"}.example.org` },
      ...(frontDoor === "aws" ? { latencyRegion: "us-east-1" } : {}),
    }));
  return fc.oneof({ arbitrary: cloudCluster, weight: 4 }, { arbitrary: otherCluster, weight: 1 });
}

/** Now and then: a field most specs leave out, or a mistake most specs do not make. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, odds = 6) => fc.oneof({ arbitrary: fc.constant(undefined), weight: odds - 1 }, { arbitrary, weight: 1 });

const matchArbitrary = fc
  .record({ name: favour(TOKENS, TOKENS.length - 2, 30), type: pick(["Exact", "Present"] as const), value: pick(VALUES) })
  .map((m) => (m.type === "Present" ? { name: m.name, type: m.type } : m));

interface DrawnService {
  name: string;
  ports: number[];
  byLabel: boolean;
  clusters: string[];
  balancing: string | undefined;
}

/** A path of a rule, sending to one of the team's services on one of its ports (mostly). */
const pathArbitrary = (services: readonly DrawnService[]) =>
  fc
    .record({
      path: pick(PATHS),
      service: fc.nat({ max: services.length - 1 }),
      port: fc.nat({ max: 1 }),
      wrongPort: rarely(fc.constant(9), 80),
      queryParams: rarely(fc.array(matchArbitrary, { minLength: 1, maxLength: 2 }), 3),
      headers: rarely(fc.array(matchArbitrary, { minLength: 1, maxLength: 2 })),
      rewriteHost: rarely(pick(HOSTS.filter((h) => !h.startsWith("*."))), 40),
      setHeader: rarely(fc.tuple(favour(TOKENS, TOKENS.length - 2, 30), pick(VALUES))),
      split: rarely(fc.tuple(fc.nat({ max: services.length - 1 }), fc.integer({ min: 0, max: 100 }))),
      timeout: rarely(pick(["1s", "30s", "1h"])),
    })
    .map((p) => {
      const service = services[p.service]!;
      const port = p.wrongPort ?? service.ports[p.port % service.ports.length]!;
      const fleetgate: Record<string, unknown> = {};
      if (p.queryParams || p.headers)
        fleetgate.match = { ...(p.queryParams ? { queryParams: p.queryParams } : {}), ...(p.headers ? { headers: p.headers } : {}) };
      if (p.rewriteHost !== undefined) fleetgate.rewrite = { host: p.rewriteHost };
      if (p.setHeader !== undefined) fleetgate.requestHeaders = { set: { [p.setHeader[0]]: p.setHeader[1] } };
      if (p.split !== undefined && p.split[0] !== p.service) {
        const other = services[p.split[0]]!;
        fleetgate.split = [{ serviceName: other.name, servicePort: other.ports[0]!, weight: p.split[1] }];
      }
      if (p.timeout !== undefined) fleetgate.timeout = p.timeout;
      return { path: p.path, backend: { serviceName: service.name, servicePort: port }, ...(Object.keys(fleetgate).length ? { fleetgate } : {}) };
    });

/** A host under a grant: the grant itself, or a name below a wildcard. */
const hostUnder = (grant: string) =>
  grant.startsWith("*.") ? pick([grant, `w.${grant.slice(2)}`, `${"l".repeat(40)}.${grant.slice(2)}`]) : fc.constant(grant);

/** One team: its grants, its services and one ingress over them, mostly on hosts it was granted. */
function teamArbitrary(namespace: string, clusterNames: readonly string[]) {
  const service = fc.record({
    name: favour(SERVICE_NAMES, 2, 8),
    ports: fc.uniqueArray(favour([80, 8080, 1], 1), { minLength: 1, maxLength: 2 }),
    byLabel: fc.boolean(),
    clusters: fc.uniqueArray(pick(clusterNames), { minLength: 1, maxLength: 2 }),
    balancing: rarely(fc.constant("even")),
  });
  return fc
    .record({
      namespace: fc.constant(namespace),
      grants: fc.uniqueArray(pick(GRANTS), { minLength: 1, maxLength: 2 }),
      services: fc.uniqueArray(service, { minLength: 1, maxLength: 3, selector: (s) => s.name }),
    })
    .chain((team) =>
      fc.record({
        namespace: fc.constant(team.namespace),
        grants: fc.constant(team.grants),
        services: fc.constant(team.services),
        rules: fc.array(
          fc.record({
            host: fc.oneof({ arbitrary: pick(team.grants).chain(hostUnder), weight: 40 }, { arbitrary: pick(HOSTS), weight: 1 }),
            paths: fc.array(pathArbitrary(team.services), { minLength: 1, maxLength: 3 }),
          }),
          { minLength: 1, maxLength: 2 },
        ),
      }),
    );
}

export function specArbitrary(): fc.Arbitrary<GeneratedSpec> {
  return pick(["gcp", "gcp", "aws"] as const).chain((frontDoor) =>
    fc
      .uniqueArray(pick(CLUSTER_NAMES), { minLength: 1, maxLength: 3 })
      .chain((clusterNames) =>
        fc.record({
          frontDoor: fc.constant(frontDoor),
          clusterNames: fc.constant(clusterNames),
          clusters: fc.tuple(...clusterNames.map(() => clusterArbitrary(frontDoor))),
          extraGrants: fc.array(fc.record({ namespace: pick(NAMESPACES), domains: fc.uniqueArray(pick(GRANTS), { minLength: 1, maxLength: 2 }) }), {
            maxLength: 2,
          }),
          teams: fc
            .uniqueArray(favour(NAMESPACES, 2, 8), { minLength: 1, maxLength: 3 })
            .chain((namespaces) => fc.tuple(...namespaces.map((n) => teamArbitrary(n, clusterNames)))),
          ipv6: fc.boolean(),
          mode: pick(["accelerator", "latency-dns"] as const),
        }),
      )
      .map(writeSpec),
  );
}

interface Drawn {
  frontDoor: "gcp" | "aws";
  clusterNames: string[];
  clusters: ({ region: string; access: { kind: string } } & Record<string, unknown>)[];
  extraGrants: { namespace: string; domains: string[] }[];
  teams: { namespace: string; grants: string[]; services: DrawnService[]; rules: { host: string; paths: unknown[] }[] }[];
  ipv6: boolean;
  mode: "accelerator" | "latency-dns";
}

function writeSpec(d: Drawn): GeneratedSpec {
  const environment = "prop";
  // The first cluster is gold, so that a selector by label usually finds one.
  const clusters = d.clusters.map((c, i) => ({ name: d.clusterNames[i]!, ...c, ...(i === 0 ? { labels: { tier: "gold" } } : {}) }));
  const config: Record<string, unknown> = {
    "fleetgate:frontDoor": d.frontDoor,
    "fleetgate:clusters": clusters,
    "fleetgate:dns": {
      zones: [
        d.frontDoor === "gcp" ? { domain: DOMAIN, cloudDns: { managedZone: "example-com" } } : { domain: DOMAIN, route53: { hostedZoneId: "Z0123456789ABC" } },
      ],
    },
    "fleetgate:hostOwnership": [...d.teams.map((t) => ({ namespace: t.namespace, domains: t.grants })), ...d.extraGrants],
    "fleetgate:mesh": { istio: { version: "1.28.0" } },
  };
  if (d.frontDoor === "gcp") config["fleetgate:gcp"] = { project: "acme-test", ipv6: d.ipv6 };
  else config["fleetgate:aws"] = { mode: d.mode };
  const kubeconfigs = Object.fromEntries(
    clusters
      .filter((c) => (c.access as { kind: string }).kind === "kubeconfig")
      .map((c) => [c.name, { secure: `v1:${Buffer.from(c.name).toString("base64")}` }]),
  );
  if (Object.keys(kubeconfigs).length > 0) config["fleetgate:kubeconfigs"] = kubeconfigs;

  const files: Record<string, string> = {};
  for (const team of d.teams) {
    const docs: unknown[] = team.services.map((s) => ({
      apiVersion: "networking.gke.io/v1",
      kind: "MultiClusterService",
      metadata: { name: s.name, namespace: team.namespace },
      spec: {
        template: { spec: { selector: { app: s.name }, ports: s.ports.map((port) => ({ port })) } },
        clusters: s.byLabel
          ? [{ selector: { matchLabels: { tier: "gold" } } }]
          : s.clusters.map((name) => ({ link: `${clusters.find((c) => c.name === name)!.region}/${name}` })),
        ...(s.balancing ? { fleetgate: { balancing: s.balancing } } : {}),
      },
    }));
    docs.push({
      apiVersion: "networking.gke.io/v1",
      kind: "MultiClusterIngress",
      metadata: { name: team.namespace, namespace: team.namespace },
      // The first rule routes every service of the team, so that each one reaches the front door.
      spec: {
        template: {
          spec: {
            rules: team.rules.map((r, i) => ({
              host: r.host,
              http: {
                paths:
                  i === 0
                    ? [...team.services.map((s) => ({ path: `/${s.name}/*`, backend: { serviceName: s.name, servicePort: s.ports[0]! } })), ...r.paths]
                    : r.paths,
              },
            })),
          },
        },
      },
    });
    files[`stacks/${environment}/${team.namespace}/${team.namespace}.yaml`] = docs.map((doc) => stringify(doc)).join("---\n");
  }
  return { environment, stackText: stringify({ config }), files };
}
