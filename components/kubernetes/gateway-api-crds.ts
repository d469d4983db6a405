/**
 * GatewayApiCrds: a cluster's Gateway API CRDs, before anything of the Gateway API is applied there.
 * In an update it reads the installed bundle (crd-reader.ts) and decides (gateway-api-bundle.ts): with
 * `fleetgate:gatewayApi.crds: manage` it installs the pinned standard-channel bundle from its release
 * asset (a ConfigFile of standard-install.yaml, never a copy kept here), refusing a downgrade or another
 * channel; with `check` it refuses a missing bundle or one older than Fleetgate needs. A refusal stops
 * the cluster's Gateway API objects, which all depend on `ready`.
 *
 * A preview reads nothing (it knows no cluster's state and must not need one): what an update found is
 * in its log.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterPlan } from "../../spec/plan";
import { crdAnnotationReader } from "./crd-reader";
import {
  type BundleDecision,
  decideBundle,
  GATEWAY_API_BUNDLE,
  GATEWAY_API_CRDS,
  GATEWAY_API_MINIMUM,
  installedBundle,
  standardInstallUrl,
} from "./gateway-api-bundle";

export interface GatewayApiCrdsArgs {
  readonly cluster: ClusterPlan;
  readonly provider: k8s.Provider;
  /** The kubeconfig Fleetgate deploys the cluster with (secret): the bundle is read with it. */
  readonly kubeconfig: pulumi.Output<string>;
  /** A GKE cluster's Gateway API channel from its lookup (whether GKE keeps the CRDs); absent elsewhere. */
  readonly gkeChannel?: pulumi.Output<string>;
}

/**
 * What the stack reports of a cluster's Gateway API CRDs: the setting and the bundles, as planned. What
 * an update found is logged, not recorded: a preview reads nothing, and must register the same plan.
 */
export interface GatewayApiReport {
  readonly crds: "manage" | "check";
  /** The bundle Fleetgate installs (manage) or is tested with (check). */
  readonly pinned: string;
  readonly minimum: string;
}

export class GatewayApiCrds extends pulumi.ComponentResource {
  /** What every Gateway API object of the cluster depends on: the decision, and under manage the installed bundle. */
  readonly ready: pulumi.Output<pulumi.Resource[]>;
  readonly report: GatewayApiReport;

  constructor(name: string, args: GatewayApiCrdsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:kubernetes:GatewayApiCrds", name, {}, opts);
    const { cluster } = args;
    const mode = cluster.gatewayApiCrds;
    const read = crdAnnotationReader();
    // Read through the kubeconfig, a secret; what is decided from it is not.
    const decision: pulumi.Output<BundleDecision | undefined> = pulumi.unsecret(
      pulumi.all([args.kubeconfig, args.gkeChannel ?? ""]).apply(async ([kubeconfig, channel]) => {
        if (pulumi.runtime.isDryRun()) return undefined;
        const crds = await read(cluster.name, kubeconfig, GATEWAY_API_CRDS).catch((error: unknown) => {
          throw new Error(
            `cluster ${cluster.name}: reading its Gateway API CRDs failed (${error instanceof Error ? error.message : String(error)}); Fleetgate reads them before applying any Gateway API object, so the identity running pulumi up needs get on customresourcedefinitions there.`,
          );
        });
        const installed = installedBundle(crds);
        const decided = decideBundle({ cluster: cluster.name, mode, installed, ...(cluster.provider === "gke" ? { gkeChannel: channel } : {}) });
        if (decided.action === "refuse") throw new Error(decided.message);
        await pulumi.log.info(foundMessage(cluster.name, mode, decided), this);
        if (decided.action === "keep" && decided.note) await pulumi.log.warn(`cluster ${cluster.name}: ${decided.note}`, this);
        return decided;
      }),
    );

    let bundle: pulumi.Resource | undefined;
    if (mode === "manage")
      // Retained when deleted: removing the CRDs (crds set back to check, the cluster leaving the fleet)
      // would delete every Gateway API object in the cluster, others' too [kubernetes.gateway-api-bundle];
      // the option reaches the CRDs the ConfigFile applies [pulumi.retain-on-delete].
      bundle = new k8s.yaml.v2.ConfigFile(
        `${name}-gateway-api-crds`,
        { file: decision.apply(() => standardInstallUrl(GATEWAY_API_BUNDLE)) },
        { parent: this, provider: args.provider, retainOnDelete: true },
      );
    this.ready = decision.apply(() => (bundle ? [bundle] : []));
    this.report = { crds: mode, pinned: GATEWAY_API_BUNDLE, minimum: GATEWAY_API_MINIMUM };
    this.registerOutputs({ report: this.report });
  }
}

/** What an update found and does, for its log. */
function foundMessage(cluster: string, mode: "manage" | "check", decided: BundleDecision): string {
  if (decided.action === "install")
    return `cluster ${cluster}: Gateway API bundle ${decided.installed ?? "absent"}; installing the standard bundle ${GATEWAY_API_BUNDLE} (fleetgate:gatewayApi.crds: ${mode})`;
  return `cluster ${cluster}: Gateway API bundle ${decided.action === "keep" ? decided.installed : ""} installed, Fleetgate needs ${GATEWAY_API_MINIMUM} or later (fleetgate:gatewayApi.crds: ${mode})`;
}
