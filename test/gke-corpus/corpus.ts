/**
 * The GKE corpus: Google's published Multi Cluster Ingress manifests, transcribed in cases/ (each file
 * names its source), planned in the environment of Pulumi.corpus.yaml. Helpers to plan cases with the
 * admin's grants, and to turn them into the dump a GKE config cluster would print (server fields and all).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { planEnvironment, stackConfigFromFile, type PlanResult } from "../../spec";
import { applyFragment } from "../../migrate/admin-settings";

export const CORPUS_DIR = __dirname;
export const CORPUS_ENVIRONMENT = "corpus";
export const CORPUS_STACK_TEXT = readFileSync(join(CORPUS_DIR, "Pulumi.corpus.yaml"), "utf8");

export const CASES = readdirSync(join(CORPUS_DIR, "cases"))
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => f.slice(0, -".yaml".length))
  .sort();

export function caseText(name: string): string {
  return readFileSync(join(CORPUS_DIR, "cases", `${name}.yaml`), "utf8");
}

export function caseObjects(name: string): Record<string, unknown>[] {
  return parseAllDocuments(caseText(name)).map((d) => d.toJS() as Record<string, unknown>);
}

/** The namespace a case's documents are in (each case is one namespace). */
export function caseNamespace(name: string): string {
  return (caseObjects(name)[0]!.metadata as { namespace: string }).namespace;
}

export interface AdminGrants {
  /** Hosts granted per namespace. */
  readonly hosts?: Readonly<Record<string, readonly string[]>>;
  /** The namespace granted the catch-all (`fleetgate:catchAll`). */
  readonly catchAll?: string;
  /** Other `fleetgate:` keys to set, as YAML values under config. */
  readonly config?: Readonly<Record<string, unknown>>;
}

/** The corpus stack file with the admin's grants applied, as the admin writes them. */
export function corpusStackText(grants: AdminGrants = {}): string {
  const fragment: Record<string, unknown> = {};
  if (grants.hosts) fragment["fleetgate:hostOwnership"] = Object.entries(grants.hosts).map(([namespace, domains]) => ({ namespace, domains: [...domains] }));
  if (grants.catchAll !== undefined) fragment["fleetgate:catchAll"] = { namespace: grants.catchAll };
  for (const [key, value] of Object.entries(grants.config ?? {})) fragment[`fleetgate:${key}`] = value;
  return applyFragment(CORPUS_STACK_TEXT, Object.keys(fragment).length ? stringify(fragment) : "");
}

/** Plans the given cases together, each in its namespace's folder, the case file as written. */
export function planCases(names: readonly string[], grants: AdminGrants = {}): PlanResult {
  return planEnvironment({
    environment: CORPUS_ENVIRONMENT,
    stack: stackConfigFromFile("stacks/Pulumi.corpus.yaml", corpusStackText(grants)),
    files: names.map((name) => ({ path: `stacks/${CORPUS_ENVIRONMENT}/${caseNamespace(name)}/${name}.yaml`, text: caseText(name) })),
  });
}

/**
 * The objects as `kubectl get … -A -o yaml` prints them from the config cluster: a v1 List whose items
 * carry what the API server and GKE's controllers add (uid, resourceVersion, generation,
 * creationTimestamp, selfLink, managedFields, the finalizer, the last-applied and reconcile annotations,
 * and a MultiClusterIngress's status with its VIP). VIPs are given per `namespace/name`.
 */
export function dumpOf(objects: readonly Record<string, unknown>[], vips: Readonly<Record<string, string>> = {}): string {
  const items = objects.map((object, i) => {
    const metadata = object.metadata as { name: string; namespace: string; annotations?: Record<string, string> };
    const key = `${metadata.namespace}/${metadata.name}`;
    const ingress = object.kind === "MultiClusterIngress";
    const [group, version] = String(object.apiVersion).split("/");
    return {
      ...object,
      metadata: {
        ...metadata,
        annotations: {
          ...metadata.annotations,
          "kubectl.kubernetes.io/last-applied-configuration": `${JSON.stringify(object)}\n`,
          ...(ingress ? { "networking.gke.io/last-reconcile-time": "Monday, 07-Dec-26 06:33:33 UTC" } : {}),
        },
        creationTimestamp: "2026-11-26T06:24:52Z",
        generation: 3,
        resourceVersion: String(144786 + i),
        selfLink: `/apis/${group}/${version}/namespaces/${metadata.namespace}/${String(object.kind).toLowerCase()}s/${metadata.name}`,
        uid: `5b886589-a075-4365-8f6e-${String(100000000000 + i)}`,
        ...(ingress ? { finalizers: ["mci.finalizer.networking.gke.io"] } : {}),
        managedFields: [
          {
            apiVersion: object.apiVersion,
            fieldsType: "FieldsV1",
            fieldsV1: { "f:spec": { ".": {} } },
            manager: "kubectl-client-side-apply",
            operation: "Update",
            time: "2026-11-26T06:24:52Z",
          },
          ...(ingress
            ? [
                {
                  apiVersion: object.apiVersion,
                  fieldsType: "FieldsV1",
                  fieldsV1: { "f:status": { "f:VIP": {} } },
                  manager: "Google-Multi-Cluster-Ingress",
                  operation: "Update",
                  time: "2026-11-26T06:30:00Z",
                },
              ]
            : []),
        ],
      },
      ...(ingress
        ? {
            status: {
              CloudResources: {
                BackendServices: [`mci-8se3df-8080-${metadata.namespace}-${metadata.name}`],
                ForwardingRules: [`mci-8se3df-fw-${metadata.namespace}-${metadata.name}`],
                HealthChecks: [`mci-8se3df-8080-${metadata.namespace}-${metadata.name}`],
                TargetProxies: [`mci-8se3df-${metadata.namespace}-${metadata.name}`],
                UrlMap: `mci-8se3df-${metadata.namespace}-${metadata.name}`,
              },
              ...(vips[key] !== undefined ? { VIP: vips[key] } : {}),
            },
          }
        : {}),
    };
  });
  return stringify({ apiVersion: "v1", items, kind: "List", metadata: { resourceVersion: "" } }, { lineWidth: 0 });
}
