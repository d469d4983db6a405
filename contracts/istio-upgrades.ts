/**
 * How far apart Istio versions may be: between the control planes installed side by side in one cluster,
 * between the istiods of a multi-primary mesh (every wave's version runs at once), and between the
 * revision a cluster's gateways ran and the one they move to in one step.
 */
import type { Contract } from "./contract";

/** Istio supports control planes and the proxies they configure at most this many minor versions apart. */
export const MAX_ISTIO_MINOR_SKEW = 1;

export const istioUpgradeSkew: Contract = {
  id: "istio.upgrade-skew",
  party: "Istio",
  subject: "Control plane revisions",
  rule: `Istio supports upgrading one minor version at a time (the installed version may be at most ${MAX_ISTIO_MINOR_SKEW} minor version behind the one it is upgraded to; a canary upgrade installs the new revision beside the old one and moves workloads to it), and a control plane at most ${MAX_ISTIO_MINOR_SKEW} minor version ahead of the proxies it configures, never behind them; patch versions of one minor version mix freely`,
  source: {
    title: "Istio: Supported Releases; Istio: In-place Upgrades; Istio: Canary Upgrades",
    section: "Control Plane/Data Plane Skew; Upgrade prerequisites",
    url: "https://istio.io/latest/docs/releases/supported-releases/",
  },
  checkedIn: {
    validator:
      "fleetgate:mesh.istio.revisions and .waves[].revisions (the control planes of one cluster), and the versions of all waves together (the mesh's istiods)",
    program: "the Istio upgrade guard (spec/istio-upgrade-guard.ts): a cluster's gateways move at most one minor version from the previous deployment's",
  },
};

/** Major and minor of a pinned version (1.28.0 → [1, 28]). */
function minorOf(version: string): [number, number] {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return [major, minor];
}

/** Whether Istio supports versions `a` and `b` together, or a step from one to the other [istio.upgrade-skew]. */
export function istioSkewSupported(a: string, b: string): boolean {
  const [ma, na] = minorOf(a);
  const [mb, nb] = minorOf(b);
  return ma === mb && Math.abs(na - nb) <= MAX_ISTIO_MINOR_SKEW;
}

/** The minor version of a pinned version, as messages name it: 1.28. */
export function istioMinor(version: string): string {
  return minorOf(version).join(".");
}

/**
 * The supported step from `from` towards `to`, for messages: the next minor version after `from` in the
 * direction of `to` (1.26 → 1.28 goes through 1.27).
 */
export function nextSupportedMinor(from: string, to: string): string {
  const [mf, nf] = minorOf(from);
  const [mt, nt] = minorOf(to);
  if (mf !== mt) return `${mf}.${nf}`;
  return `${mf}.${nf + Math.sign(nt - nf) * MAX_ISTIO_MINOR_SKEW}`;
}

export const contracts: readonly Contract[] = [istioUpgradeSkew];
