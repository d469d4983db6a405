/**
 * Validates what the program registered for a Kubernetes resource against the upstream schema of its
 * kind: the object is rebuilt with its @kubernetes-models class from the registered inputs and
 * validated. Kinds without a model are checked by Fleetgate's own validators (and say so).
 */
import { Gateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway";
import { HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import { ReferenceGrant } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1/ReferenceGrant";
import { ServiceExport as GkeServiceExport } from "@kubernetes-models/gke/net.gke.io/v1/ServiceExport";
import { DestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule";
import { Gateway as IstioGateway } from "@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway";
import { MutatingWebhookConfiguration } from "kubernetes-models/admissionregistration.k8s.io/v1/MutatingWebhookConfiguration";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { checkParametersRef } from "../../../components/kubernetes/gateway-plan";
import { validateUpstreamServiceExport } from "../../../components/kubernetes/objects";
import type { RegisteredResource } from "../../harness";

type Validator = (inputs: Record<string, unknown>) => void;
const model =
  <T extends { validate(): void }>(Model: new (data: never) => T): Validator =>
  (inputs) =>
    new Model(inputs as never).validate();

/** By Pulumi type token. Every Kubernetes type the program registers must be listed here. */
export const VALIDATORS: Record<string, Validator> = {
  "kubernetes:core/v1:Namespace": model(Namespace),
  // A patch carries a partial object; the Namespace schema has no required field beyond metadata.
  "kubernetes:core/v1:NamespacePatch": (inputs) => new Namespace({ apiVersion: "v1", kind: "Namespace", ...inputs } as never).validate(),
  "kubernetes:core/v1:Secret": model(Secret),
  "kubernetes:core/v1:Service": model(Service),
  "kubernetes:core/v1:ServiceAccount": model(ServiceAccount),
  "kubernetes:core/v1:ConfigMap": model(ConfigMap),
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": model(ClusterRole),
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding": model(ClusterRoleBinding),
  "kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration": model(MutatingWebhookConfiguration),
  "kubernetes:gateway.networking.k8s.io/v1:Gateway": (inputs) => {
    new Gateway(inputs as never).validate();
    // Gateway API v1.2's infrastructure.parametersRef postdates the models' schema: checked by hand.
    const infrastructure = (inputs.spec as { infrastructure?: { parametersRef?: unknown } }).infrastructure;
    if (infrastructure?.parametersRef !== undefined) checkParametersRef(infrastructure.parametersRef);
  },
  "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute": model(HTTPRoute),
  "kubernetes:gateway.networking.k8s.io/v1beta1:ReferenceGrant": model(ReferenceGrant),
  "kubernetes:networking.istio.io/v1beta1:DestinationRule": model(DestinationRule),
  "kubernetes:networking.istio.io/v1beta1:Gateway": model(IstioGateway),
  "kubernetes:net.gke.io/v1:ServiceExport": model(GkeServiceExport),
  // No model exists for the upstream MCS ServiceExport; Fleetgate's own check of its schema.
  "kubernetes:multicluster.x-k8s.io/v1alpha1:ServiceExport": (inputs) => validateUpstreamServiceExport(inputs),
  // Not a Kubernetes object: a pinned chart from Istio's repository.
  "kubernetes:helm.sh/v3:Release": (inputs) => {
    if (typeof inputs.version !== "string" || !/^\d+\.\d+\.\d+$/.test(inputs.version))
      throw new Error(`chart version ${JSON.stringify(inputs.version)} is not pinned`);
    if ((inputs.repositoryOpts as { repo?: string } | undefined)?.repo !== "https://istio-release.storage.googleapis.com/charts")
      throw new Error("chart not from Istio's repository");
  },
};

/** Throws with the resource's name and the schema's complaint when the registered object is invalid. */
export function validateRegistered(resource: RegisteredResource): void {
  const validate = VALIDATORS[resource.type];
  if (!validate) throw new Error(`${resource.type} ${resource.name}: no schema validator; add one to test/components/kubernetes/schemas.ts`);
  try {
    validate(resource.inputs as Record<string, unknown>);
  } catch (error) {
    throw new Error(`${resource.type} ${resource.name}: ${(error as Error).message}`);
  }
}

/** The Kubernetes resources of a graph (providers excluded). */
export function kubernetesResources(resources: readonly RegisteredResource[]): RegisteredResource[] {
  return resources.filter((r) => r.type.startsWith("kubernetes:"));
}
