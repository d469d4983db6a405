/** The spec fixture of test/spec moved to an AWS front door, shared by the AWS tests. */
import { baseFixture, type SpecFixture } from "../../spec/fixtures";

export type Doc = Record<string, any>;

/** The base spec fixture moved to an AWS front door with three EKS clusters. */
export function awsFixture(mode: "accelerator" | "latency-dns" = "accelerator"): SpecFixture {
  const f = baseFixture();
  f.config.frontDoor = "aws";
  delete f.config.gcp;
  f.config.aws = { mode };
  f.config.clusters = [
    {
      name: "us",
      provider: "eks",
      region: "us-east-1",
      zones: ["us-east-1a"],
      network: "vpc-us",
      labels: { region: "us", tier: "gold" },
      access: { kind: "eks" },
    },
    {
      name: "eu",
      provider: "eks",
      region: "eu-west-1",
      zones: ["eu-west-1a"],
      network: "vpc-eu",
      labels: { region: "eu", tier: "gold" },
      access: { kind: "eks" },
    },
    {
      name: "asia",
      provider: "eks",
      region: "ap-southeast-1",
      zones: ["ap-southeast-1a"],
      network: "vpc-asia",
      labels: { region: "asia" },
      access: { kind: "eks" },
    },
  ];
  (f.config.dns as Doc).zones = [{ domain: "example.com", route53: { hostedZoneId: "Z0123456789ABC" } }];
  const shop = f.files["shop/shop.yaml"]!;
  (shop[0] as Doc).spec.clusters = [
    { link: "us-east-1/us", fleetgate: { weight: 70 } },
    { link: "eu-west-1/eu", fleetgate: { weight: 30 } },
  ];
  (shop[1] as Doc).spec.clusters = [{ link: "us-east-1/us" }];
  (f.files["search/search.yaml"]![0] as Doc).spec.fleetgate.failover = ["eu-west-1", "us-east-1"];
  return f;
}

/**
 * Puts a cluster outside AWS (reached by its gateway's public name) in place of "asia", serving the search
 * hosts alone: in latency-dns mode a host is served by EKS clusters or by public names, never both.
 */
export function withOnPremSearch(f: SpecFixture, extra: Doc = {}): void {
  const cluster = {
    name: "asia",
    provider: "other",
    region: "ap-southeast-1",
    network: "dc",
    labels: { region: "asia", tier: "gold" },
    access: { kind: "kubeconfig" },
    ...extra,
  };
  (f.config.clusters as Doc[])[2] = cluster;
  f.config.kubeconfigs = { asia: "apiVersion: v1" };
  f.secure.push("kubeconfigs");
  const search = (f.files["search/search.yaml"]![0] as Doc).spec;
  search.clusters = [{ link: `${cluster.region}/asia` }];
  delete search.fleetgate.failover;
}
