/**
 * How Istio runs control planes side by side and moves gateways between them: what a revision is, what a
 * revision tag is and how Fleetgate applies one, how a Gateway API gateway picks its control plane and
 * what happens to it when the tag moves, and why a revision may go only once nothing runs on it. The
 * simulated `pulumi up` acts these out (offline/simulation/kubernetes.ts).
 */
import type { Contract } from "./contract";

const CANARY = { title: "Istio: Canary Upgrades", url: "https://istio.io/latest/docs/setup/upgrade/canary/" };
const HELM_UPGRADE = { title: "Istio: Upgrade with Helm", url: "https://istio.io/latest/docs/setup/upgrade/helm/" };

export const revisionControlPlanes: Contract = {
  id: "istio.revision-control-planes",
  party: "Istio",
  subject: "istiod revisions",
  rule: "the istiod chart installed with a `revision` value is a control plane of its own (Deployment and Service `istiod-<revision>`) beside any other revision; each revision is its own Helm release, so installing one changes none of the others",
  source: { ...HELM_UPGRADE, section: "Canary upgrade (recommended): install a canary version of the Istio discovery chart by setting the revision value" },
  checkedIn: {
    engine: "the simulated Helm installs one control plane per istiod release, named by its revision value, ready after the chart's install time",
    program: "one istiod release per revision of ClusterPlan.istio.revisions, named from the revision (components/kubernetes/mesh-plan.ts istiodRelease)",
  },
};

export const baseChart: Contract = {
  id: "istio.base-chart",
  party: "Istio",
  subject: "istio-base",
  rule: "istio-base carries the cluster-wide parts every revision shares: it is upgraded to the new version before the new revision's istiod is installed (its CRDs serve older control planes too), and its `defaultRevision` names the revision whose istiod validates Istio configuration; that webhook fails open until the istiod it names is ready",
  source: {
    ...HELM_UPGRADE,
    section: "Canary upgrade: upgrade the Istio base chart first; after the move, upgrade it with defaultRevision set to the new revision",
  },
  checkedIn: {
    program:
      "istio-base takes the newest installed revision's chart and the serving revision as defaultRevision, and every istiod release waits for it (components/kubernetes/mesh-plan.ts baseChart)",
  },
};

export const revisionTags: Contract = {
  id: "istio.revision-tags",
  party: "Istio",
  subject: "Revision tags",
  rule: "a revision tag is the MutatingWebhookConfiguration `istio-revision-tag-<tag>`, labelled `istio.io/tag: <tag>` and `istio.io/rev: <revision>`, applied outside any Helm release (the docs render the istiod chart's revision-tags template and apply it); an `istio.io/rev: <tag>` label then means the revision the tag points at, and pointing the tag at another revision moves everything labelled with it without relabelling",
  source: { ...CANARY, section: "Stable revision labels" },
  checkedIn: {
    engine: "the simulated clusters resolve an istio.io/rev label through the tag webhooks they hold",
    program: "Fleetgate applies the tag `fleetgate` itself, pointing at the serving revision (components/kubernetes/mesh-plan.ts revisionTag)",
  },
};

export const gatewayRevisionRollout: Contract = {
  id: "istio.gateway-revision-rollout",
  party: "Istio",
  subject: "Gateway API automated deployment",
  rule: "the control plane an `istio` Gateway's `istio.io/rev` label resolves to renders its Deployment in full (no injection, since Istio 1.18); when that revision changes, the Deployment is rolled to the new revision's proxy by a rolling restart, so the old revision's pods keep running until the new ones are ready",
  source: {
    title: "Istio 1.18 Upgrade Notes",
    section: "Gateway API Automated Deployment changes",
    url: "https://istio.io/latest/news/releases/1.18.x/announcing-1.18/upgrade-notes/",
  },
  checkedIn: {
    engine: "the simulated gateway controller re-renders a Gateway's pods for the revision its label resolves to, with a rollout time",
    program: "every Fleetgate Gateway is labelled istio.io/rev with the tag (components/kubernetes/gateway-plan.ts gatewayObject)",
  },
};

export const injectedAtCreation: Contract = {
  id: "istio.injected-at-creation",
  party: "Istio",
  subject: "Injected gateways and sidecars",
  rule: "a pod injected by a revision keeps that revision's proxy until it is recreated: moving a tag changes what new pods get, and the workloads must be restarted to move",
  source: { ...CANARY, section: "Data plane: after changing the tag, restart the workloads" },
  checkedIn: {
    engine: "the simulated east-west gateway runs the revision its pods were injected with until the chart rolls them",
    program:
      "the east-west gateway's pods carry the serving revision in an annotation, so moving the tag rolls them (components/kubernetes/mesh-plan.ts eastWestValues)",
  },
};

export const controlPlaneInUse: Contract = {
  id: "istio.control-plane-in-use",
  party: "Istio",
  subject: "Removing a revision",
  rule: "a proxy gets its configuration and certificates from the control plane of its revision; uninstall a revision only once the workloads and gateways have moved to another, else they run without one",
  source: {
    ...HELM_UPGRADE,
    section: "Once you have verified and migrated your workloads to use the canary control plane, you can uninstall your old control plane",
  },
  checkedIn: {
    engine:
      "at every moment of a simulated update each gateway's pods run a revision whose control plane is installed and ready; a violation names the cluster, the gateway and the window",
    program:
      "pulumi up refuses to delete the unrevisioned istiod of an environment deployed before revisions in the update that moves its gateways off it (spec/istio-upgrade-guard.ts)",
  },
};

export const contracts: readonly Contract[] = [revisionControlPlanes, baseChart, revisionTags, gatewayRevisionRollout, injectedAtCreation, controlPlaneInUse];
