/**
 * Kubernetes resources go through an explicit provider per cluster: a resource on the default provider
 * would land in whatever cluster the ambient kubeconfig points at.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";

export const kubernetesExplicitProviders: ResourceValidationPolicy = {
  name: "kubernetes-explicit-providers",
  description: "Every Kubernetes resource is created through an explicit, per-cluster provider.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!args.type.startsWith("kubernetes:")) return;
    const provider = args.provider?.urn ?? "";
    if (provider === "" || provider.includes("::default"))
      reportViolation(`${args.type} ${args.name} uses the default Kubernetes provider (the ambient kubeconfig); give it its cluster's provider.`);
  },
};
