/**
 * The Gateway API CRDs as a bundle: how a cluster says which bundle it has installed, who may install
 * and upgrade it, and what Istio needs of it. Fleetgate reads the bundle of every cluster before it
 * applies a Gateway API object, and installs the bundle it was tested with where the admin lets it
 * (`fleetgate:gatewayApi.crds`, components/kubernetes/gateway-api-bundle.ts).
 */
import type { Contract } from "./contract";

export const gatewayApiBundle: Contract = {
  id: "kubernetes.gateway-api-bundle",
  party: "Kubernetes",
  subject: "Gateway API CRDs",
  rule: "every Gateway API CRD carries the annotations gateway.networking.k8s.io/bundle-version (the release, such as v1.4.0) and gateway.networking.k8s.io/channel (standard or experimental); each release publishes standard-install.yaml as a release asset; whoever installs the CRDs must never overwrite CRDs of a newer or unrecognised version or of another channel, and never move a bundle backwards (an older bundle drops fields that objects already hold)",
  source: {
    title: "Gateway API: Versioning (Version Indicators); Implementer's Guide; CRD Management",
    section: "bundle-version and channel annotations; Who Should Manage CRDs; Upgrading to a new version (avoid moving backwards)",
    url: "https://gateway-api.sigs.k8s.io/guides/crd-management/",
  },
  checkedIn: {
    program:
      "each cluster's installed bundle is read from the annotation before any Gateway API object is applied: with crds: manage Fleetgate installs its pinned standard-channel bundle only over an absent, older or equal standard bundle and refuses a downgrade or another channel; with crds: check it refuses a missing bundle or one older than it needs (components/kubernetes/gateway-api-bundle.ts)",
    engine: "the simulated clusters hold a bundle version and channel per cluster, which a ConfigFile of the release's standard-install.yaml installs",
  },
};

export const gkeManagedCrds: Contract = {
  id: "gke.gateway-api-crds-managed",
  party: "GKE",
  subject: "Gateway API CRDs",
  rule: "GKE installs the Gateway API CRDs itself, and keeps them, when the cluster's Gateway API is enabled (gatewayApiConfig.channel CHANNEL_STANDARD installs the standard CRDs; CHANNEL_EXPERIMENTAL, deprecated, the experimental ones; CHANNEL_DISABLED none). Whether a user may install or upgrade other CRDs over GKE's is not stated in the pages found, so a second owner is not assumed safe",
  source: {
    title: "Google Kubernetes Engine API: GatewayAPIConfig.Channel",
    section: "Channel: Disabled, Experimental, Standard",
    url: "https://docs.cloud.google.com/dotnet/docs/reference/Google.Cloud.Container.V1/latest/Google.Cloud.Container.V1.GatewayAPIConfig.Types.Channel",
  },
  checkedIn: {
    validator: "fleetgate:gatewayApi.crds: manage with GKE clusters in the fleet is answered with a warning naming them and the condition",
    program:
      "with crds: manage Fleetgate reads a GKE cluster's Gateway API channel and refuses to install over CRDs GKE keeps (components/kubernetes/gateway-api-bundle.ts)",
  },
};

export const istioGatewayApiMinimum: Contract = {
  id: "istio.gateway-api-minimum",
  party: "Istio",
  subject: "Gateway API CRDs",
  rule: "Istio reads a Gateway API CRD's bundle-version annotation and does not process a kind whose CRD is below the minimum its version requires (analyzer IST0176); each Istio release's Gateway API task installs the standard bundle it was tested with (Istio 1.27: v1.3.0; 1.28: v1.4.0)",
  source: {
    title: "Istio: Configuration analysis messages IST0176 (GatewayAPICRDVersionBelowMinimum), IST0156; Istio: Kubernetes Gateway API (Setup)",
    section:
      "the 1.27 and 1.28 bundles are as quoted by nullplatform/helm-charts pull request 183 (from istio.io/v1.27) and by Apache Dubbo's copy of the 1.28 task; no stored copy of istio.io/v1.28 was found",
    url: "https://istio.io/latest/docs/reference/config/analysis/ist0176/",
  },
  checkedIn: {
    program:
      "Fleetgate pins the bundle its Istio version's task installs and refuses a cluster whose bundle is below the minimum its own objects need (components/kubernetes/gateway-api-bundle.ts)",
  },
};

export const contracts: readonly Contract[] = [gatewayApiBundle, gkeManagedCrds, istioGatewayApiMinimum];
