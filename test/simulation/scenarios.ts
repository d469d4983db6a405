/**
 * The environments the simulated updates run through: the examples, each changed as an operator would
 * change it. Each returns a project root (roots.ts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { changedProgram, changedRoot, type Doc } from "./roots";

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
 * dev on two networks, its Istio as an upgrade leaves it: with `canary`, gke-eu is the canary wave, running its version with
 * its revisions installed, and gke-us (in no wave) keeps 1.28.0; `keepUnrevisionedIstiod` keeps the
 * release of the program before revisions.
 */
export const devIstio = (options: { canary?: { version: string; revisions: string[] }; keepUnrevisionedIstiod?: boolean }) =>
  changedRoot("dev", {
    config: (c) => {
      // gke-eu on a network of its own: both clusters run an east-west gateway, injected by the tag's revision.
      (c["fleetgate:clusters"] as Doc[]).find((cluster) => cluster.name === "gke-eu")!.network = "fleet-dev-eu";
      c["fleetgate:mesh"] = {
        istio: {
          version: "1.28.0",
          ...(options.keepUnrevisionedIstiod ? { keepUnrevisionedIstiod: true } : {}),
          ...(options.canary ? { waves: [{ name: "canary", clusters: ["gke-eu"], ...options.canary }] } : {}),
        },
      };
    },
  });

/** The program's Istio upgrade guard and its record, as program.ts has them. */
const ISTIO_GUARD = "  const istioSteps = checkIstioSteps({ plan, previous: previous.istio, locate: (path) => stack.locate(path) });";
const ISTIO_EXPORT = "    istio: fleet.gateways.apply(() => istioRecord(plan)),";
const NO_ISTIO_GUARD = "  const istioSteps = [] as typeof check.diagnostics;";

/** The program without its Istio upgrade guard: to show what the guard keeps from happening. */
export function programWithoutIstioGuard(): string {
  return changedProgram("program.ts", [[ISTIO_GUARD, NO_ISTIO_GUARD]]);
}

/**
 * The program as it was before control planes by revision, to deploy an environment as earlier
 * Fleetgate did: one unrevisioned `istiod` release, istio-base's default revision `default`, gateways
 * without a revision label.
 */
export function programBeforeRevisions(): string {
  const dir = changedProgram("components/kubernetes/gateway-plan.ts", [["labels: gatewayLabels(cluster),", "labels: { ...MANAGED_BY },"]]);
  // Nor did it record its Istio, or check an upgrade against a record.
  const program = join(dir, "program.ts");
  const source = readFileSync(program, "utf8");
  for (const line of [ISTIO_GUARD, ISTIO_EXPORT])
    if (!source.includes(line)) throw new Error(`program.ts has changed: programBeforeRevisions is out of date (${line.trim()})`);
  writeFileSync(program, source.replace(ISTIO_GUARD, NO_ISTIO_GUARD).replace(ISTIO_EXPORT, ""));
  const file = join(dir, "components/kubernetes/cluster-mesh.ts");
  const text = readFileSync(file, "utf8");
  const from = text.indexOf("    if (cluster.istio.install) {");
  const to = text.indexOf("    } else if (plan.mesh.multiNetwork) {");
  if (from < 0 || to < 0) throw new Error("cluster-mesh.ts has changed: programBeforeRevisions is out of date");
  const before = `    if (cluster.istio.install) {
      void [baseChart, clusterRevisions, istiodRelease, REVISION_TAG, revisionTag];
      const version = istioChartVersion(plan, cluster);
      const chart = (release: string, chartName: string, values: Record<string, unknown>, dependsOn: pulumi.Resource[]) =>
        new k8s.helm.v3.Release(
          \`\${key}-\${release}\`,
          { name: release, chart: chartName, version, namespace: ISTIO_SYSTEM, createNamespace: false, repositoryOpts: { repo: ISTIO_CHARTS }, values },
          { ...child, dependsOn },
        );
      const base = chart("istio-base", "base", { defaultRevision: "default" }, [args.istioSystem, cacerts]);
      const istiod = chart("istiod", "istiod", istiodValues(istioSettings(plan, cluster)), [base, cacerts]);
      crds = [base];
      this.ready = [istiod];
      if (plan.mesh.multiNetwork) {
        const values = Object.fromEntries(Object.entries(eastWestValues(cluster)).filter(([k]) => k !== "revision" && k !== "podAnnotations"));
        chart("istio-eastwestgateway", "gateway", values, [istiod]);
        kubeResource(\`\${key}-cross-network-gateway\`, crossNetworkGateway(), { ...child, dependsOn: [istiod] });
      }
`;
  writeFileSync(file, text.slice(0, from) + before + text.slice(to));
  return dir;
}
