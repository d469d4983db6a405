/**
 * Cluster: one cluster of the fleet. Its constructor sets up access: the cluster's own explicit
 * Kubernetes provider, `istio-system` on the cluster's network, and (when a peer's istiod discovers this
 * cluster) the reader identity peers use. Its mesh, services and gateway are added by FleetClusters once
 * every cluster's reader exists, because the mesh part holds the peers' credentials; `complete` then
 * records the cluster's status.
 */
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterPlan } from "../../spec/plan";
import type { FleetSecrets } from "../secrets";
import { type ApiServer, eksExec, execKubeconfig, gkeExec, gkeServer, kubeconfigServer, readerKubeconfig } from "./access";
import type { GatewayApiReport } from "./gateway-api-crds";
import { istioSystemNamespace, readerObjects } from "./mesh-plan";
import { kubeResource, namespacePatch } from "./objects";

export interface ClusterArgs {
  readonly environment: string;
  readonly cluster: ClusterPlan;
  /** Kubeconfigs of clusters given by kubeconfig (secret). */
  readonly secrets: FleetSecrets;
  /** Whether some peer's istiod discovers this cluster, so it needs a reader identity. */
  readonly readByPeers: boolean;
}

/** What the stack reports per cluster. */
export interface ClusterStatus {
  /** The cluster has a gateway (it serves something; drained clusters keep theirs). */
  readonly gateway: boolean;
  /** Hosts with a listener on the gateway, sorted. */
  readonly hosts: string[];
  readonly drained: boolean;
  /** The Istio settings of the cluster: installed by Fleetgate, or expected of an existing installation. */
  readonly istio: {
    readonly managedByFleetgate: boolean;
    readonly meshId: string;
    readonly clusterName: string;
    readonly network: string;
    readonly trustDomain: string;
    readonly version?: string;
  };
  /** The cluster's HTTPRoutes (in the gateway namespace), sorted. */
  readonly routes: string[];
  /** Services exported from this cluster, sorted. */
  readonly exports: string[];
  /** Peers whose endpoints this cluster's istiod discovers, sorted. */
  readonly discovers: string[];
  /** Things the cluster does differently from the spec, or that need an operator's attention. */
  readonly notes: string[];
  /** Where the cluster has a gateway: who installs its Gateway API CRDs, and the bundles Fleetgate pins (GatewayApiCrds). */
  readonly gatewayApi?: GatewayApiReport;
}

export class Cluster extends pulumi.ComponentResource {
  /** The cluster's own provider; every Kubernetes resource of the cluster uses it. */
  readonly provider: k8s.Provider;
  /** `istio-system`, created (or, where Istio was installed by others, labelled) with the network. */
  readonly istioSystem: pulumi.CustomResource;
  /** The kubeconfig peers' istiods read this cluster with (secret); only when some peer does. */
  readonly readerKubeconfig?: pulumi.Output<string>;
  /** The pod range of a GKE cluster Fleetgate looks up: the mesh's firewall admits it. */
  readonly podRange?: pulumi.Output<string>;
  /** The kubeconfig Fleetgate deploys with (secret): its provider's, and what reads the cluster outside it. */
  readonly kubeconfig: pulumi.Output<string>;
  /** A GKE cluster's Gateway API channel (gatewayApiConfig.channel, "" when unset): whether GKE keeps its CRDs. */
  readonly gkeGatewayApiChannel?: pulumi.Output<string>;

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:kubernetes:Cluster", name, {}, opts);
    const { cluster } = args;
    const { kubeconfig, server, podRange, gatewayApiChannel } = this.access(cluster, args.secrets);
    if (podRange) this.podRange = podRange;
    if (gatewayApiChannel) this.gkeGatewayApiChannel = gatewayApiChannel;
    this.kubeconfig = kubeconfig;
    this.provider = new k8s.Provider(
      name,
      {
        kubeconfig,
        // A stable identifier: a new endpoint, CA or credential plugin updates the provider instead of
        // replacing it (and with it every object in the cluster).
        clusterIdentifier: name,
        enableServerSideApply: true,
        // Update Secrets and ConfigMaps in place rather than replacing them: a replaced `cacerts` (a root
        // rotation) or remote secret would be missing for a moment, and an istiod starting then falls back
        // to a self-signed CA; Istio re-reads the gateway's sizing ConfigMap when it changes.
        enableSecretMutable: true,
        enableConfigMapMutable: true,
      },
      { parent: this },
    );
    const provider = this.provider;

    const namespace = istioSystemNamespace(cluster);
    // Where Istio was installed by others, istio-system is theirs: label it, never own (or delete) it.
    this.istioSystem = cluster.istio.install
      ? kubeResource(`${name}-istio-system`, namespace, { parent: this, provider })
      : namespacePatch(`${name}-istio-system`, namespace, { parent: this, provider });

    if (args.readByPeers) {
      const reader = readerObjects();
      const account = kubeResource(`${name}-istio-reader`, reader.account, { parent: this, provider, dependsOn: [this.istioSystem] });
      const role = kubeResource(`${name}-istio-reader`, reader.role, { parent: this, provider });
      kubeResource(`${name}-istio-reader`, reader.binding, { parent: this, provider, dependsOn: [role, account] });
      const token = kubeResource(`${name}-istio-reader-token`, reader.token, {
        parent: this,
        provider,
        dependsOn: [account],
        additionalSecretOutputs: ["data"],
      }) as k8s.core.v1.Secret;
      this.readerKubeconfig = pulumi.secret(
        pulumi
          .all([server, token.data])
          .apply(([url, data]) =>
            readerKubeconfig(
              cluster.name,
              { server: url, certificateAuthorityData: data["ca.crt"] ?? "" },
              Buffer.from(data.token ?? "", "base64").toString("utf8"),
            ),
          ),
      );
    }
  }

  /** Records the cluster's status once its parts exist. */
  complete(status: ClusterStatus): void {
    this.registerOutputs({ status });
  }

  /** The kubeconfig Fleetgate deploys with, and the API server peers reach the cluster at. */
  private access(
    cluster: ClusterPlan,
    secrets: FleetSecrets,
  ): { kubeconfig: pulumi.Output<string>; server: pulumi.Output<string>; podRange?: pulumi.Output<string>; gatewayApiChannel?: pulumi.Output<string> } {
    const access = cluster.access;
    if (access.kind === "kubeconfig") {
      const kubeconfig = pulumi.secret(secrets.kubeconfig(access.entry));
      return { kubeconfig, server: kubeconfig.apply(kubeconfigServer) };
    }
    let api: pulumi.Output<ApiServer>;
    let exec;
    let podRange: pulumi.Output<string> | undefined;
    let gatewayApiChannel: pulumi.Output<string> | undefined;
    if (access.kind === "gke") {
      const found = gcp.container.getClusterOutput({ name: access.clusterName, location: access.location, project: access.project }, { parent: this });
      api = found.apply((c) => ({ server: gkeServer(c.endpoint), certificateAuthorityData: c.masterAuths[0]?.clusterCaCertificate ?? "" }));
      podRange = found.clusterIpv4Cidr;
      gatewayApiChannel = found.apply((c) => c.gatewayApiConfigs?.[0]?.channel ?? "");
      exec = gkeExec();
    } else {
      const found = aws.eks.getClusterOutput({ name: access.clusterName, region: access.region }, { parent: this });
      api = found.apply((c) => ({ server: c.endpoint, certificateAuthorityData: c.certificateAuthorities[0]?.data ?? "" }));
      exec = eksExec(access.clusterName, access.region, access.roleArn);
    }
    return {
      kubeconfig: pulumi.secret(api.apply((a) => execKubeconfig(cluster.name, a, exec))),
      server: api.apply((a) => a.server),
      ...(podRange ? { podRange } : {}),
      ...(gatewayApiChannel ? { gatewayApiChannel } : {}),
    };
  }
}
