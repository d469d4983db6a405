/**
 * The environments the simulated updates run through: the examples, each changed as an operator would
 * change it. Each returns a project root (roots.ts).
 */
import { changedRoot, type Doc } from "./roots";

/** dev with a third GKE cluster in us-east1, labelled region=us: the catalog's label selector picks it up. */
export const devWithCluster = () =>
  changedRoot("dev", {
    config: (c) =>
      c["fleetgate:clusters"].push({
        name: "gke-us2",
        provider: "gke",
        region: "us-east1",
        zones: ["us-east1-b", "us-east1-c"],
        network: "fleet-dev",
        labels: { region: "us" },
        access: { kind: "gke", project: "acme-fleet-dev" },
      }),
  });

/** dev with a new host of the catalog team. */
export const devWithHost = () =>
  changedRoot("dev", {
    edit: {
      "catalog/catalog.yaml": (docs) => {
        const ingress = docs.find((d) => d.kind === "MultiClusterIngress")!;
        ingress.spec.template.spec.rules.push({
          host: "search.catalog.dev.example.com",
          http: { paths: [{ path: "/*", backend: { serviceName: "catalog", servicePort: 8080 } }] },
        });
      },
    },
  });

/** The kubeconfig of the on-premises cluster, as `pulumi up` would decrypt it. */
export const ONPREM_KUBECONFIG = [
  "apiVersion: v1",
  "kind: Config",
  "clusters: [{ name: onprem, cluster: { server: 'https://api.onprem.dev.example.com:6443', certificate-authority-data: 'LS0tLS1CRUdJTg==' } }]",
  "users: [{ name: deployer, user: { token: 'deployer-token' } }]",
  "contexts: [{ name: onprem, context: { cluster: onprem, user: deployer } }]",
  "current-context: onprem",
].join("\n");

/** dev with an on-premises cluster reached by kubeconfig, serving the catalog through its gateway's public name. */
export const devWithKubeconfigCluster = () =>
  changedRoot("dev", {
    config: (c) => {
      c["fleetgate:clusters"].push({
        name: "onprem",
        provider: "other",
        region: "dc-frankfurt",
        network: "onprem",
        labels: { region: "eu" },
        access: { kind: "kubeconfig" },
        gateway: { publicHostname: "gw.onprem.dev.example.com" },
      });
      c["fleetgate:kubeconfigs"] = { onprem: { secure: "v1:b25wcmVtLWt1YmVjb25maWc=" } };
    },
  });

/** aws-prod without the accelerator: latency DNS to the NLBs, and IPv6 with dualStack. */
export const awsLatencyDns = (dualStack: boolean) =>
  changedRoot("aws-prod", {
    config: (c) => {
      c["fleetgate:aws"] = { mode: "latency-dns", dualStack };
    },
  });

/** aws-prod in latency-dns mode with a GKE cluster behind it, serving a host of its own by its gateway's public name. */
export const awsWithGkeCluster = () =>
  changedRoot("aws-prod", {
    config: (c) => {
      c["fleetgate:aws"] = { mode: "latency-dns" };
      c["fleetgate:clusters"].push({
        name: "gke-usc",
        provider: "gke",
        region: "us-central1",
        zones: ["us-central1-a"],
        network: "gcp-usc",
        labels: { geo: "us-gcp" },
        access: { kind: "gke", project: "acme-aws-bridge" },
        gateway: { publicHostname: "gw.gke-usc.example.net" },
      });
      (c["fleetgate:hostOwnership"] as Doc[]).find((o) => o.namespace === "shop")!.domains.push("inventory.example.net");
    },
    add: {
      "shop/inventory.yaml": [
        {
          apiVersion: "networking.gke.io/v1",
          kind: "MultiClusterService",
          metadata: { name: "inventory", namespace: "shop" },
          spec: {
            template: { spec: { selector: { app: "inventory" }, ports: [{ name: "http", protocol: "TCP", port: 8080 }] } },
            clusters: [{ link: "us-central1/gke-usc" }],
          },
        },
        {
          apiVersion: "networking.gke.io/v1",
          kind: "MultiClusterIngress",
          metadata: { name: "inventory", namespace: "shop" },
          spec: {
            template: {
              spec: { rules: [{ host: "inventory.example.net", http: { paths: [{ path: "/*", backend: { serviceName: "inventory", servicePort: 8080 } }] } }] },
            },
          },
        },
      ],
    },
  });

/**
 * dev's Istio as an upgrade wave leaves it: gke-eu is the canary wave, running `canary.version` with
 * `canary.revisions` installed; gke-us is in no wave and keeps 1.28.0.
 */
export const devIstioWave = (canary: { version: string; revisions: string[] }) =>
  changedRoot("dev", {
    config: (c) => {
      c["fleetgate:mesh"] = { istio: { version: "1.28.0", waves: [{ name: "canary", clusters: ["gke-eu"], ...canary }] } };
    },
  });
