/**
 * Synthetic fleets for the benchmark: C GKE clusters over the world's regions, S services in teams of
 * about 20, H = S/2 hosts each routing two paths to its team's services, and the variants the change
 * minimality is measured on. Deterministic: the same sizes give the same files.
 */
import { stringify } from "yaml";

export interface FleetSize {
  readonly clusters: number;
  readonly services: number;
}

export interface FleetFiles {
  readonly environment: string;
  /** stacks/Pulumi.<env>.yaml */
  readonly stack: string;
  /** Paths relative to the project root. */
  readonly files: Record<string, string>;
}

export type Variant = "base" | "add-cluster" | "add-service" | "permute" | "change-weight";
export const VARIANTS: readonly Variant[] = ["add-cluster", "add-service", "permute", "change-weight"];

const REGIONS = [
  ["us-central1", "us"],
  ["us-east1", "us"],
  ["us-west1", "us"],
  ["us-east4", "us"],
  ["europe-west1", "eu"],
  ["europe-west4", "eu"],
  ["europe-north1", "eu"],
  ["asia-east1", "asia"],
  ["asia-northeast1", "asia"],
  ["asia-southeast1", "asia"],
] as const;
const TEAM_SIZE = 20;

export function environmentName(size: FleetSize): string {
  return `bench-c${size.clusters}-s${size.services}`;
}

interface Model {
  clusters: { name: string; region: string; geo: string }[];
  services: { team: string; name: string; selection: { links: string[] } | { geo: string }; weights: Record<string, number> }[];
  hosts: { team: string; host: string; paths: { path: string; service: string }[] }[];
}

function model(size: FleetSize): Model {
  const clusters = Array.from({ length: size.clusters }, (_, i) => {
    const [region, geo] = REGIONS[i % REGIONS.length]!;
    return { name: `c${String(i).padStart(3, "0")}`, region, geo };
  });
  const services = Array.from({ length: size.services }, (_, i) => {
    const team = `team${String(Math.floor(i / TEAM_SIZE)).padStart(2, "0")}`;
    const name = `svc${String(i).padStart(4, "0")}`;
    // Two thirds of the services name three clusters by link, one third select a geography by label.
    if (i % 3 === 2) return { team, name, selection: { geo: clusters[i % clusters.length]!.geo }, weights: {} };
    const picks = [...new Set([0, 1, 2].map((k) => clusters[(i * 7 + k * 5) % clusters.length]!.name))];
    return { team, name, selection: { links: picks }, weights: { [picks[0]!]: 60 } };
  });
  const hosts: Model["hosts"] = [];
  for (let i = 0; i + 1 < services.length; i += 2) {
    const a = services[i]!;
    const b = services[i + 1]!;
    if (a.team !== b.team) continue;
    hosts.push({
      team: a.team,
      host: `h${String(i / 2).padStart(4, "0")}.${a.team}.example.com`,
      paths: [
        { path: "/*", service: a.name },
        { path: "/api/*", service: b.name },
      ],
    });
  }
  return { clusters, services, hosts };
}

function apply(m: Model, variant: Variant): Model {
  switch (variant) {
    case "add-cluster": {
      const [region, geo] = REGIONS[m.clusters.length % REGIONS.length]!;
      return { ...m, clusters: [...m.clusters, { name: "c999", region, geo }] };
    }
    case "add-service": {
      const host = m.hosts[0]!;
      return {
        ...m,
        services: [...m.services, { team: host.team, name: "svc9999", selection: { links: [m.clusters[0]!.name] }, weights: {} }],
        hosts: [{ ...host, paths: [...host.paths, { path: "/new/*", service: "svc9999" }] }, ...m.hosts.slice(1)],
      };
    }
    case "change-weight": {
      const index = m.services.findIndex((s) => "links" in s.selection);
      const service = m.services[index]!;
      const first = (service.selection as { links: string[] }).links[0]!;
      return { ...m, services: m.services.map((s, i) => (i === index ? { ...s, weights: { ...s.weights, [first]: 25 } } : s)) };
    }
    default:
      return m;
  }
}

/** The files of a fleet, or of one of its variants. `permute` reverses every list whose order means nothing. */
export function fleetFiles(size: FleetSize, variant: Variant = "base"): FleetFiles {
  const m = apply(model(size), variant);
  const order = <T>(items: T[]) => (variant === "permute" ? [...items].reverse() : items);
  const environment = environmentName(size);
  const teams = [...new Set(m.services.map((s) => s.team))];
  const config = {
    "fleetgate:frontDoor": "gcp",
    "fleetgate:gcp": { project: "bench" },
    "fleetgate:clusters": order(
      m.clusters.map((c) => ({
        name: c.name,
        provider: "gke",
        region: c.region,
        zones: [`${c.region}-b`, `${c.region}-c`],
        network: "fleet",
        labels: { geo: c.geo },
        access: { kind: "gke", project: "bench" },
      })),
    ),
    "fleetgate:dns": { zones: [{ domain: "example.com", cloudDns: { managedZone: "example-com" } }] },
    "fleetgate:hostOwnership": order(teams.map((t) => ({ namespace: t, domains: [`*.${t}.example.com`] }))),
    "fleetgate:mesh": { istio: { version: "1.28.0" } },
  };
  const files: Record<string, string> = {};
  for (const team of order(teams)) {
    const docs = [
      ...m.services
        .filter((s) => s.team === team)
        .map((s) => ({
          apiVersion: "networking.gke.io/v1",
          kind: "MultiClusterService",
          metadata: { name: s.name, namespace: team },
          spec: {
            template: { spec: { selector: { app: s.name }, ports: [{ name: "http", port: 8080 }] } },
            clusters:
              "links" in s.selection
                ? s.selection.links.map((name) => {
                    const c = m.clusters.find((x) => x.name === name)!;
                    return { link: `${c.region}/${c.name}`, ...(s.weights[name] !== undefined ? { fleetgate: { weight: s.weights[name] } } : {}) };
                  })
                : [{ selector: { matchLabels: { geo: s.selection.geo } } }],
          },
        })),
      ...m.hosts
        .filter((h) => h.team === team)
        .map((h) => ({
          apiVersion: "networking.gke.io/v1",
          kind: "MultiClusterIngress",
          metadata: { name: h.host.split(".")[0]!, namespace: team },
          spec: {
            template: {
              spec: {
                rules: [
                  { host: h.host, http: { paths: order(h.paths.map((p) => ({ path: p.path, backend: { serviceName: p.service, servicePort: 8080 } }))) } },
                ],
              },
            },
          },
        })),
    ];
    files[`stacks/${environment}/${team}/fleet.yaml`] = order(docs)
      .map((d) => stringify(d))
      .join("---\n");
  }
  return { environment, stack: stringify({ config }), files };
}

/** How many ingresses the fleet has: GKE's MultiClusterIngress makes one load balancer per ingress. */
export function ingressCount(size: FleetSize): number {
  return model(size).hosts.length;
}
