/**
 * The clusters side of the fleet: the shared root of trust and, for every cluster, its provider, mesh,
 * services and gateway.
 *
 *   FleetClusters <env>
 *   ├─ SharedTrust <env>                      root CA, IntermediateCa per cluster
 *   └─ Cluster <env>-<cluster>                provider, istio-system, reader identity
 *      ├─ ClusterMesh <env>-<cluster>         cacerts, istio-base, istiod, east-west, remote secrets, DestinationRules
 *      ├─ ClusterServices <env>-<cluster>     Services and ServiceExports
 *      ├─ GatewayApiCrds <env>-<cluster>      the Gateway API bundle: checked, or installed (fleetgate:gatewayApi.crds)
 *      └─ ClusterGateway <env>-<cluster>      Gateway, sizing, HTTPRoutes (hosts, dispatch or redirect), ReferenceGrants (serving clusters)
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../../spec/plan";
import type { FleetSecrets } from "../secrets";
import { SharedTrust } from "../trust/shared-trust";
import type { TrustRecord } from "../trust/trust-record";
import { Cluster, type ClusterStatus } from "./cluster";
import { ClusterGateway } from "./cluster-gateway";
import { ClusterMesh } from "./cluster-mesh";
import { ClusterServices } from "./cluster-services";
import { GatewayApiCrds } from "./gateway-api-crds";
import { dispatchNotes } from "../dispatch";
import { clusterRoutes, routedServices, sizingNotes } from "./gateway-plan";
import { istioSettings, readClusters, remotePeers } from "./mesh-plan";
import { MESH_FIREWALL_PRIORITY, MESH_PROTOCOLS, planMeshFirewalls } from "../gcp/mesh-firewall-plan";
import { clusterKey } from "./names";
import { placeHostRules, routeNotes } from "./routes";
import { clusterServices, meshReachedServices } from "./services-plan";

export type { ClusterStatus };

export interface FleetClustersArgs {
  /** The environment's plan; every decision is in it. */
  readonly plan: FleetPlan;
  /** Kubeconfigs of clusters given by kubeconfig, and an existing root CA (secrets). */
  readonly secrets: FleetSecrets;
  /**
   * Per AWS region, the validated ACM certificate ARNs its NLBs present (AwsCertificates.arns). Required
   * when the front door is AWS: each EKS gateway's NLB terminates TLS with its region's certificates.
   * Unused otherwise.
   */
  readonly certificateArns?: Readonly<Record<string, pulumi.Input<string[]>>>;
}

export class FleetClusters extends pulumi.ComponentResource {
  /** Per serving cluster, the resource a front door must wait for (ClusterGateway.entry). */
  readonly gateways: Readonly<Record<string, pulumi.Resource>>;
  /** Per cluster: gateway, hosts, drain, Istio settings, routes, exports, discovered peers, notes. */
  readonly status: pulumi.Output<Record<string, ClusterStatus>>;
  /** What this deployment's clusters trust, once every `cacerts` is written (SharedTrust.record). */
  readonly trust: pulumi.Output<TrustRecord | undefined>;

  constructor(name: string, args: FleetClustersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:kubernetes:FleetClusters", name, {}, opts);
    const { plan, secrets } = args;
    const environment = plan.environment;

    // Every host's routes are translated (and checked) once, before anything is created: a host the
    // gateways cannot serve exactly stops the program with the request that would go astray.
    const placements = new Map(plan.hosts.map((host) => [host.name, placeHostRules(host)]));

    const trust = new SharedTrust(
      environment,
      { environment, trust: plan.trust, ...(secrets.existingRootCa ? { existingRoot: secrets.existingRootCa } : {}) },
      { parent: this },
    );

    const read = readClusters(plan);
    const clusters = plan.clusters.map(
      (cluster) =>
        [
          cluster,
          new Cluster(clusterKey(environment, cluster.name), { environment, cluster, secrets, readByPeers: read.has(cluster.name) }, { parent: this }),
        ] as const,
    );
    const peers = Object.fromEntries(clusters.flatMap(([plan, c]) => (c.readerKubeconfig ? [[plan.name, c.readerKubeconfig]] : [])));

    // Pods of the GKE clusters on one network reach each other directly once their VPC admits them.
    const podRanges = new Map(clusters.flatMap(([plan, c]) => (c.podRange ? [[plan.name, c.podRange] as const] : [])));
    for (const rule of planMeshFirewalls(plan)) {
      const ranges = pulumi.all(rule.clusters.map((c) => podRanges.get(c)!));
      new gcp.compute.Firewall(
        rule.logicalName,
        {
          name: rule.name,
          project: rule.project,
          network: rule.network,
          direction: "INGRESS",
          priority: MESH_FIREWALL_PRIORITY,
          allows: MESH_PROTOCOLS.map((protocol) => ({ protocol })),
          // From pods to pods only: the same ranges are the only sources and the only destinations.
          sourceRanges: ranges,
          destinationRanges: ranges,
          description: `Fleetgate ${environment}: the pods of ${rule.clusters.join(", ")} reach each other across clusters`,
        },
        { parent: this },
      );
    }

    const gateways: Record<string, pulumi.Resource> = {};
    const status: Record<string, ClusterStatus> = {};
    const cacertsWritten: Record<string, pulumi.Resource[]> = {};
    for (const [cluster, parent] of clusters) {
      const key = clusterKey(environment, cluster.name);
      const gatewayRoutes = cluster.gateway ? clusterRoutes(plan, cluster, cluster.gateway, placements) : [];
      const routed = routedServices(gatewayRoutes);
      // The services with a Service here: only their names resolve here, so only their rules matter here.
      const present = [...clusterServices(plan, cluster.name), ...meshReachedServices(plan, cluster.name, routed)].map((s) => s.key);
      const mesh = new ClusterMesh(
        key,
        { key, plan, cluster, provider: parent.provider, istioSystem: parent.istioSystem, cacerts: trust.cacerts(cluster.name), peers, services: present },
        { parent },
      );
      cacertsWritten[cluster.name] = mesh.ready;
      const services = new ClusterServices(key, { key, plan, cluster, provider: parent.provider, routed }, { parent });
      let routes: string[] = [];
      const notes: string[] = [];
      let gatewayApi: GatewayApiCrds | undefined;
      if (cluster.gateway) {
        gatewayApi = new GatewayApiCrds(
          key,
          {
            cluster,
            provider: parent.provider,
            kubeconfig: parent.kubeconfig,
            ...(parent.gkeGatewayApiChannel ? { gkeChannel: parent.gkeGatewayApiChannel } : {}),
          },
          { parent },
        );
        const certificateArns = args.certificateArns?.[cluster.region];
        const gateway = new ClusterGateway(
          key,
          {
            key,
            plan,
            cluster,
            gateway: cluster.gateway,
            routes: gatewayRoutes,
            provider: parent.provider,
            dependsOn: [...mesh.ready, services],
            crds: gatewayApi.ready,
            ...(certificateArns !== undefined ? { certificateArns } : {}),
            ...(secrets.verificationToken ? { verificationToken: secrets.verificationToken(environment) } : {}),
          },
          { parent },
        );
        gateways[cluster.name] = gateway.entry;
        routes = gateway.routes;
        notes.push(
          ...sizingNotes(cluster.name, cluster.gateway),
          ...plan.hosts.filter((h) => cluster.gateway!.hosts.includes(h.name)).flatMap(routeNotes),
          ...dispatchNotes(plan, cluster),
        );
      }
      const settings = istioSettings(plan, cluster);
      status[cluster.name] = {
        gateway: cluster.gateway !== undefined,
        hosts: [...(cluster.gateway?.hosts ?? [])],
        drained: cluster.drained,
        istio: { managedByFleetgate: cluster.istio.install, ...settings },
        routes,
        exports: services.exported,
        discovers: remotePeers(plan, cluster.name),
        notes,
        ...(gatewayApi ? { gatewayApi: gatewayApi.report } : {}),
      };
      parent.complete(status[cluster.name]!);
    }

    this.gateways = gateways;
    this.status = pulumi.output(status);
    this.trust = trust.record(cacertsWritten);
    this.registerOutputs({ status: this.status });
  }
}
