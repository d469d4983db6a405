/**
 * The Gateway API CRD bundle Fleetgate needs in every cluster, and the decision, per cluster, of what to
 * do with the bundle installed there. Pure: the reading is crd-reader.ts's, the resources are
 * gateway-api-crds.ts's.
 *
 * Each CRD says its bundle in `gateway.networking.k8s.io/bundle-version` and its channel in
 * `gateway.networking.k8s.io/channel` [kubernetes.gateway-api-bundle]. Whoever installs the CRDs must
 * never move them backwards nor overwrite another channel's, so Fleetgate installs only over an absent,
 * older or equal standard bundle.
 */
import { cite } from "../../contracts/contract";
import { gatewayApiBundle, gkeManagedCrds, istioGatewayApiMinimum } from "../../contracts/gateway-api-bundle";

/**
 * The bundle Fleetgate is tested with and installs under `crds: manage`: the one Istio 1.28's Gateway
 * API task installs [istio.gateway-api-minimum]. Raise it with the pinned Istio version.
 */
export const GATEWAY_API_BUNDLE = "v1.4.0";

/**
 * The oldest bundle Fleetgate's objects work with: the Gateways carry `spec.infrastructure` (annotations
 * and parametersRef, components/kubernetes/gateway-plan.ts) and the HTTPRoutes `rules[].timeouts`
 * (routes.ts), both standard from v1.2.0 on (Gateway API 1.2 changelog); an older standard CRD does not
 * have these fields, and the gateways would run without their sizing, NEG annotation and timeouts.
 */
export const GATEWAY_API_MINIMUM = "v1.2.0";

/** The CRDs of the kinds Fleetgate applies: the bundle is judged by the oldest of them. */
export const GATEWAY_API_CRDS = [
  "gateways.gateway.networking.k8s.io",
  "httproutes.gateway.networking.k8s.io",
  "referencegrants.gateway.networking.k8s.io",
] as const;

export const BUNDLE_VERSION_ANNOTATION = "gateway.networking.k8s.io/bundle-version";
export const CHANNEL_ANNOTATION = "gateway.networking.k8s.io/channel";

/** The release asset of a bundle's standard channel. */
export function standardInstallUrl(version: string): string {
  return `https://github.com/kubernetes-sigs/gateway-api/releases/download/${version}/standard-install.yaml`;
}

/** How the admin has Fleetgate treat a cluster's CRDs (`fleetgate:gatewayApi.crds`). */
export type CrdsMode = "manage" | "check";

/** What a cluster has installed: absent, or the bundle of its oldest CRD (undefined version: no annotation). */
export type InstalledBundle = { readonly present: false } | { readonly present: true; readonly version?: string; readonly channel?: string };

/** The installed bundle from the annotations of the CRDs Fleetgate needs (undefined: that CRD is absent). */
export function installedBundle(crds: Readonly<Record<string, Readonly<Record<string, string>> | undefined>>): InstalledBundle {
  const found = GATEWAY_API_CRDS.map((name) => crds[name]);
  if (found.some((annotations) => annotations === undefined)) return { present: false };
  const bundles = found.map((a) => ({ version: a![BUNDLE_VERSION_ANNOTATION], channel: a![CHANNEL_ANNOTATION] }));
  // A CRD without the annotation makes the bundle unknown; otherwise the oldest CRD is what the cluster has.
  if (bundles.some((b) => b.version === undefined || parseVersion(b.version) === undefined)) {
    const unknown = bundles.find((b) => b.version === undefined || parseVersion(b.version) === undefined)!;
    return { present: true, ...(unknown.version !== undefined ? { version: unknown.version } : {}), ...(unknown.channel ? { channel: unknown.channel } : {}) };
  }
  const oldest = [...bundles].sort((a, b) => compareBundles(a.version!, b.version!))[0]!;
  const channel = bundles.some((b) => b.channel === "experimental") ? "experimental" : oldest.channel;
  return { present: true, version: oldest.version!, ...(channel ? { channel } : {}) };
}

/** `v1.4.0`, `1.4.0` or `v1.5.0-rc.1` as numbers and a pre-release mark; undefined when it is none of these. */
function parseVersion(version: string): { numbers: number[]; pre: boolean } | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/.exec(version.trim());
  return match ? { numbers: [Number(match[1]), Number(match[2]), Number(match[3])], pre: match[4] !== undefined } : undefined;
}

/** Negative when bundle a is older than b; a release candidate is older than its release. */
export function compareBundles(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) throw new Error(`cannot compare Gateway API bundles ${a} and ${b}`);
  for (let i = 0; i < 3; i++) if (pa.numbers[i] !== pb.numbers[i]) return pa.numbers[i]! - pb.numbers[i]!;
  return Number(pb.pre) - Number(pa.pre);
}

export interface BundleFacts {
  readonly cluster: string;
  /** The admin's setting, as it applies to this cluster. */
  readonly mode: CrdsMode;
  readonly installed: InstalledBundle;
  /** A GKE cluster's Gateway API channel (gatewayApiConfig.channel; "" when unset); undefined elsewhere. */
  readonly gkeChannel?: string;
  readonly pinned?: string;
  readonly minimum?: string;
}

export type BundleDecision =
  /** Apply the pinned standard bundle (absent, older or equal): then the Gateway API objects. */
  | { readonly action: "install"; readonly installed?: string }
  /** Leave the CRDs as they are; the objects may be applied. */
  | { readonly action: "keep"; readonly installed: string; readonly note?: string }
  /** Stop before any Gateway API object of the cluster. */
  | { readonly action: "refuse"; readonly message: string };

/** Whether GKE keeps the cluster's CRDs itself: its Gateway API is enabled [gke.gateway-api-crds-managed]. */
export function gkeKeepsCrds(channel: string | undefined): boolean {
  return channel !== undefined && channel !== "" && channel !== "CHANNEL_DISABLED" && channel !== "CHANNEL_UNSPECIFIED";
}

/** What to do with a cluster's Gateway API CRDs. */
export function decideBundle(facts: BundleFacts): BundleDecision {
  const { cluster, installed } = facts;
  const pinned = facts.pinned ?? GATEWAY_API_BUNDLE;
  const minimum = facts.minimum ?? GATEWAY_API_MINIMUM;
  const url = standardInstallUrl(pinned);
  const install = `kubectl apply --server-side -f ${url}`;
  if (facts.mode === "manage") {
    if (gkeKeepsCrds(facts.gkeChannel))
      return {
        action: "refuse",
        message: `cluster ${cluster}: GKE keeps its Gateway API CRDs (its Gateway API channel is ${facts.gkeChannel}) ${cite(gkeManagedCrds)}, so Fleetgate does not install its bundle ${pinned} over them (fleetgate:gatewayApi.crds is manage). Set fleetgate:gatewayApi.crds to check and let GKE keep them, or disable GKE's Gateway API on ${cluster} (gcloud container clusters update ${cluster} --gateway-api=disabled) and run pulumi up again.`,
      };
    if (!installed.present) return { action: "install" };
    if (installed.version === undefined || parseVersion(installed.version) === undefined)
      return {
        action: "refuse",
        message: `cluster ${cluster}: its Gateway API CRDs carry ${installed.version === undefined ? "no" : `an unrecognised (${installed.version})`} gateway.networking.k8s.io/bundle-version, and Fleetgate never overwrites a bundle it cannot place ${cite(gatewayApiBundle)}. Replace them with the standard bundle ${pinned} yourself (${install}) and run pulumi up again, or set fleetgate:gatewayApi.crds to check if their owner keeps them.`,
      };
    if (installed.channel !== undefined && installed.channel !== "standard")
      return {
        action: "refuse",
        message: `cluster ${cluster}: its Gateway API CRDs are the ${installed.channel} channel of ${installed.version}, and Fleetgate installs only the standard channel, which must never overwrite another channel ${cite(gatewayApiBundle)}. Keep them and set fleetgate:gatewayApi.crds to check, or replace them with the standard bundle ${pinned} yourself.`,
      };
    if (compareBundles(installed.version, pinned) > 0)
      return {
        action: "refuse",
        message: `cluster ${cluster}: its Gateway API bundle is ${installed.version}, newer than the ${pinned} Fleetgate installs; applying ${pinned} would move the CRDs backwards and drop fields that objects hold ${cite(gatewayApiBundle)}. Keep ${installed.version} and set fleetgate:gatewayApi.crds to check, or upgrade Fleetgate to a release that pins ${installed.version} or later.`,
      };
    return { action: "install", installed: installed.version };
  }
  const fix = `install the standard bundle ${pinned} (${install}) or set fleetgate:gatewayApi.crds to manage, then run pulumi up again`;
  if (!installed.present)
    return {
      action: "refuse",
      message: `cluster ${cluster}: the Gateway API CRDs Fleetgate's gateways need (${GATEWAY_API_CRDS.join(", ")}) are not all installed, and fleetgate:gatewayApi.crds is check, so Fleetgate installs none; ${fix}.`,
    };
  if (installed.version === undefined || parseVersion(installed.version) === undefined)
    return {
      action: "refuse",
      message: `cluster ${cluster}: its Gateway API CRDs carry ${installed.version === undefined ? "no" : `an unrecognised (${installed.version})`} gateway.networking.k8s.io/bundle-version ${cite(gatewayApiBundle)}, so Fleetgate cannot tell whether they hold the fields its gateways use (it needs ${minimum} or later); ${fix}.`,
    };
  if (compareBundles(installed.version, minimum) < 0)
    return {
      action: "refuse",
      message: `cluster ${cluster}: its Gateway API bundle is ${installed.version}, older than the ${minimum} Fleetgate needs (its Gateways' spec.infrastructure and its HTTPRoutes' timeouts are standard from ${minimum} on) ${cite(istioGatewayApiMinimum)}; upgrade the CRDs: ${fix}.`,
    };
  const notes = [
    ...(compareBundles(installed.version, pinned) > 0 ? [`newer than the ${pinned} Fleetgate is tested with`] : []),
    ...(compareBundles(installed.version, pinned) < 0 ? [`older than the ${pinned} Fleetgate is tested with`] : []),
    ...(installed.channel === "experimental" ? ["the experimental channel"] : []),
  ];
  return { action: "keep", installed: installed.version, ...(notes.length ? { note: `Gateway API bundle ${installed.version}: ${notes.join("; ")}` } : {}) };
}
