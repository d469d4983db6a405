/**
 * The regions each cloud offers, and the shape of their zone names. A cluster's region and zones are
 * checked against these so that a typo ("us-centrl1") fails at preview time instead of as a provider
 * error half-way through an update. Clouds open regions every year: when one is missing here, add it
 * (the list is plain data and its test only checks shape).
 */

export type ClusterProvider = "gke" | "eks" | "other";

export const GCP_REGIONS: readonly string[] = [
  "africa-south1",
  "asia-east1",
  "asia-east2",
  "asia-northeast1",
  "asia-northeast2",
  "asia-northeast3",
  "asia-south1",
  "asia-south2",
  "asia-southeast1",
  "asia-southeast2",
  "australia-southeast1",
  "australia-southeast2",
  "europe-central2",
  "europe-north1",
  "europe-north2",
  "europe-southwest1",
  "europe-west1",
  "europe-west2",
  "europe-west3",
  "europe-west4",
  "europe-west6",
  "europe-west8",
  "europe-west9",
  "europe-west10",
  "europe-west12",
  "me-central1",
  "me-central2",
  "me-west1",
  "northamerica-northeast1",
  "northamerica-northeast2",
  "northamerica-south1",
  "southamerica-east1",
  "southamerica-west1",
  "us-central1",
  "us-east1",
  "us-east4",
  "us-east5",
  "us-south1",
  "us-west1",
  "us-west2",
  "us-west3",
  "us-west4",
];

export const AWS_REGIONS: readonly string[] = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "cn-north-1",
  "cn-northwest-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-gov-east-1",
  "us-gov-west-1",
  "us-west-1",
  "us-west-2",
];

/** The regions a cluster of this provider may name, or undefined when any name is allowed ("other"). */
export function regionsOf(provider: ClusterProvider): readonly string[] | undefined {
  if (provider === "gke") return GCP_REGIONS;
  if (provider === "eks") return AWS_REGIONS;
  return undefined;
}

/** How a zone of `region` is written: GCP `us-central1-a`, AWS `us-east-1a`. */
export function zonePattern(provider: ClusterProvider, region: string): RegExp | undefined {
  const escaped = region.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  if (provider === "gke") return new RegExp(`^${escaped}-[a-z]$`);
  if (provider === "eks") return new RegExp(`^${escaped}[a-z]$`);
  return undefined;
}

export function exampleZone(provider: ClusterProvider, region: string): string {
  return provider === "eks" ? `${region}a` : `${region}-a`;
}

/**
 * The AWS region nearest to each GCP region, by the cities the providers publish for them. The AWS
 * `latency-dns` front door places a cluster outside AWS in DNS by an AWS region; this is its default,
 * which the admin overrides per cluster with `latencyRegion` (latency, not distance, is what Route 53
 * measures, and the two differ where networks do).
 */
export const NEAREST_AWS_REGION: Readonly<Record<string, string>> = {
  "africa-south1": "af-south-1",
  "asia-east1": "ap-east-1",
  "asia-east2": "ap-east-1",
  "asia-northeast1": "ap-northeast-1",
  "asia-northeast2": "ap-northeast-3",
  "asia-northeast3": "ap-northeast-2",
  "asia-south1": "ap-south-1",
  "asia-south2": "ap-south-1",
  "asia-southeast1": "ap-southeast-1",
  "asia-southeast2": "ap-southeast-3",
  "australia-southeast1": "ap-southeast-2",
  "australia-southeast2": "ap-southeast-4",
  "europe-central2": "eu-central-1",
  "europe-north1": "eu-north-1",
  "europe-north2": "eu-north-1",
  "europe-southwest1": "eu-south-2",
  "europe-west1": "eu-west-3",
  "europe-west2": "eu-west-2",
  "europe-west3": "eu-central-1",
  "europe-west4": "eu-central-1",
  "europe-west6": "eu-central-2",
  "europe-west8": "eu-south-1",
  "europe-west9": "eu-west-3",
  "europe-west10": "eu-central-1",
  "europe-west12": "eu-south-1",
  "me-central1": "me-central-1",
  "me-central2": "me-south-1",
  "me-west1": "il-central-1",
  "northamerica-northeast1": "ca-central-1",
  "northamerica-northeast2": "ca-central-1",
  "northamerica-south1": "mx-central-1",
  "southamerica-east1": "sa-east-1",
  "southamerica-west1": "sa-east-1",
  "us-central1": "us-east-2",
  "us-east1": "us-east-1",
  "us-east4": "us-east-1",
  "us-east5": "us-east-2",
  "us-south1": "us-east-2",
  "us-west1": "us-west-2",
  "us-west2": "us-west-1",
  "us-west3": "us-west-1",
  "us-west4": "us-west-1",
};

/**
 * The AWS region an AWS front door places a cluster in: an EKS cluster's own; for another cluster the
 * admin's `latencyRegion`, else its region when that is an AWS region, else the AWS region nearest to
 * its GCP region; undefined when none of these is known.
 */
export function awsRegionOf(cluster: { provider: ClusterProvider; region: string; latencyRegion?: string | undefined }): string | undefined {
  if (cluster.provider === "eks") return cluster.region;
  if (cluster.latencyRegion !== undefined) return cluster.latencyRegion;
  if (AWS_REGIONS.includes(cluster.region)) return cluster.region;
  return NEAREST_AWS_REGION[cluster.region];
}
