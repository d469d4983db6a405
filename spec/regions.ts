/**
 * The regions each cloud offers, and the shape of their zone names. A cluster's region and zones are
 * checked against these so that a typo ("us-centrl1") fails at preview time instead of as a provider
 * error half-way through an update. Clouds open regions every year: when one is missing here, add it
 * (the list is plain data and its test only checks shape).
 */

export type ClusterProvider = "gke" | "eks" | "other";

export const GCP_REGIONS: readonly string[] = [
  "africa-south1", "asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2", "asia-northeast3",
  "asia-south1", "asia-south2", "asia-southeast1", "asia-southeast2", "australia-southeast1",
  "australia-southeast2", "europe-central2", "europe-north1", "europe-north2", "europe-southwest1",
  "europe-west1", "europe-west2", "europe-west3", "europe-west4", "europe-west6", "europe-west8",
  "europe-west9", "europe-west10", "europe-west12", "me-central1", "me-central2", "me-west1",
  "northamerica-northeast1", "northamerica-northeast2", "northamerica-south1", "southamerica-east1",
  "southamerica-west1", "us-central1", "us-east1", "us-east4", "us-east5", "us-south1", "us-west1",
  "us-west2", "us-west3", "us-west4",
];

export const AWS_REGIONS: readonly string[] = [
  "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
  "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
  "ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1", "cn-north-1", "cn-northwest-1",
  "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2",
  "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
  "us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-west-1", "us-west-2",
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
