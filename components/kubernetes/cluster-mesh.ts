/**
 * ClusterMesh: a cluster's part of the mesh. The `cacerts` secret from the shared root of trust, before
 * anything of Istio; istio-base and one istiod per control plane revision (pinned charts) configured with
 * the mesh, the cluster and its network, and the revision tag the gateways follow, unless Istio was
 * installed by others; the east-west gateway when the fleet spans networks;
 * the remote secrets of the peers this cluster's istiod discovers; DestinationRules for failover.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterPlan, FleetPlan } from "../../spec/plan";
import type { CacertsFile } from "../trust/trust-plan";
import { ISTIO_SYSTEM, serviceRef, splitServiceKey } from "./names";
import {
  cacertsSecret,
  crossNetworkGateway,
  destinationRule,
  eastWestValues,
  namespaceDestinationRule,
  baseChart,
  clusterRevisions,
  ISTIO_CHARTS,
  istioChartVersion,
  istiodRelease,
  istiodValues,
  istioSettings,
  REVISION_TAG,
  revisionTag,
  remotePeers,
  remoteSecret,
} from "./mesh-plan";
import { kubeResource } from "./objects";

export interface ClusterMeshArgs {
  /** `<environment>-<cluster>`, the start of every child's name. */
  readonly key: string;
  readonly plan: FleetPlan;
  readonly cluster: ClusterPlan;
  readonly provider: k8s.Provider;
  /** `istio-system`, which everything here lives in. */
  readonly istioSystem: pulumi.Resource;
  /** The cluster's `cacerts` files from SharedTrust, each secret. */
  readonly cacerts: Readonly<Record<CacertsFile, pulumi.Output<string>>>;
  /** Reader kubeconfigs of the peers (secret), by cluster name. */
  readonly peers: Readonly<Record<string, pulumi.Output<string>>>;
  /** Keys of the services that have a Service in this cluster: the ones its clients can call. */
  readonly services: readonly string[];
}

export class ClusterMesh extends pulumi.ComponentResource {
  /** What must exist before Istio serves a gateway in this cluster (the revision tag, once its istiod is ready; or `cacerts` where Istio is not ours). */
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: ClusterMeshArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:kubernetes:ClusterMesh", name, {}, opts);
    const { key, plan, cluster, provider } = args;
    const child = { parent: this, provider };

    const cacerts = kubeResource(`${key}-cacerts`, cacertsSecret(), { ...child, dependsOn: [args.istioSystem] }, { stringData: { ...args.cacerts } });

    let crds: pulumi.Resource[] = [args.istioSystem];
    this.ready = [cacerts];
    if (cluster.istio.install) {
      const chart = (name: string, release: string, chartName: string, version: string, values: Record<string, unknown>, dependsOn: pulumi.Resource[]) =>
        new k8s.helm.v3.Release(
          `${key}-${name}`,
          { name: release, chart: chartName, version, namespace: ISTIO_SYSTEM, createNamespace: false, repositoryOpts: { repo: ISTIO_CHARTS }, values },
          { ...child, dependsOn },
        );
      const settings = istioSettings(plan, cluster);
      const { revisions, serving } = clusterRevisions(cluster);
      const base = baseChart(cluster);
      const crdsRelease = chart("istio-base", "istio-base", "base", base.version, base.values, [args.istioSystem, cacerts]);
      crds = [crdsRelease];
      // One control plane per revision [istio.revision-control-planes]. A revision dropped from the plan is
      // deleted by Pulumi at the end of the update, after the tag below has moved away from it.
      const istiods = new Map(
        revisions.map((revision) => {
          const { logical, release } = istiodRelease(revision);
          return [revision.name, chart(logical, release, "istiod", revision.version, istiodValues(settings, revision), [crdsRelease, cacerts])] as const;
        }),
      );
      // Earlier Fleetgate installed one unrevisioned `istiod` release, which runs the gateways of an
      // environment deployed before revisions. It stays (unchanged, same logical name) while the
      // admin says so, so the gateways roll to the tag's revision before it goes in a later update.
      if (plan.mesh.keepUnrevisionedIstiod)
        chart("istiod", "istiod", "istiod", istioChartVersion(plan, cluster), istiodValues(settings), [crdsRelease, cacerts]);
      // The tag moves only once the revision it points at is installed and ready (helm waits for istiod).
      const tag = kubeResource(`${key}-istio-revision-tag`, revisionTag(REVISION_TAG, serving), { ...child, dependsOn: [istiods.get(serving.name)!] });
      this.ready = [tag];
      if (plan.mesh.multiNetwork) {
        chart("istio-eastwestgateway", "istio-eastwestgateway", "gateway", serving.version, eastWestValues(cluster), [tag]);
        kubeResource(`${key}-cross-network-gateway`, crossNetworkGateway(), { ...child, dependsOn: [tag] });
      }
    } else if (plan.mesh.multiNetwork) {
      // Istio installed by others still needs the east-west gateway opened; its deployment is theirs.
      kubeResource(`${key}-cross-network-gateway`, crossNetworkGateway(), { ...child, dependsOn: crds });
    }

    for (const peer of remotePeers(plan, cluster.name)) {
      const kubeconfig = args.peers[peer];
      if (!kubeconfig) throw new Error(`cluster ${cluster.name} discovers ${peer}, but ${peer} has no reader identity`);
      kubeResource(`${key}-remote-secret-${peer}`, remoteSecret(peer), { ...child, dependsOn: [args.istioSystem] }, { stringData: { [peer]: kubeconfig } });
    }

    const present = new Set(args.services);
    for (const namespace of [...new Set(args.services.map((key) => splitServiceKey(key)[0]))].sort())
      kubeResource(`${key}-destination-defaults-${namespace}`, namespaceDestinationRule(namespace), { ...child, dependsOn: crds });
    for (const service of plan.services.filter((s) => present.has(s.key))) {
      const rule = destinationRule(plan, service);
      if (rule) kubeResource(`${key}-destination-${serviceRef(service.key)}`, rule, { ...child, dependsOn: crds });
    }
    this.registerOutputs({ peers: remotePeers(plan, cluster.name) });
  }
}
