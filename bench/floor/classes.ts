/**
 * Finds the SDK class of a resource type token, so that the benchmark's shape floor can register the
 * same resources through the same classes (with the same output properties) that Fleetgate's
 * components use — only flat, without components, Outputs or planning.
 */
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";

type ResourceClass = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.Resource;

const PACKAGES: Record<string, unknown> = { aws, gcp, kubernetes: k8s, tls };
const PROVIDERS: Record<string, ResourceClass> = { aws: aws.Provider, gcp: gcp.Provider, kubernetes: k8s.Provider, tls: tls.Provider };

/** `gcp:compute/backendService:BackendService` -> gcp.compute.BackendService; CRD kinds -> CustomResource. */
export function classOf(type: string): ResourceClass | undefined {
  const [pkg, module, name] = type.split(":") as [string, string, string];
  if (pkg === "pulumi" && module === "providers") return PROVIDERS[name];
  const root = PACKAGES[pkg] as Record<string, any> | undefined;
  if (!root || !module || !name) return undefined;
  if (pkg === "kubernetes") {
    const [group, version] = module.split("/") as [string, string];
    const known = group.includes(".") ? root[group.split(".")[0]!]?.[version]?.[name] : root[group]?.[version]?.[name];
    return known ?? (group.includes(".") ? (k8s.apiextensions.CustomResource as unknown as ResourceClass) : undefined);
  }
  const namespace = module.split("/")[0]!;
  return (namespace === "index" ? root[name] : root[namespace]?.[name]) as ResourceClass | undefined;
}
