/**
 * The prod example as editable data for the GCP front door's tests: its stack configuration and its
 * documents, parsed from stacks/, which a test may change (add a cluster, reorder documents) and plan.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, parseDocument, stringify } from "yaml";
import { PROJECT_ROOT } from "../../../offline/run-offline";
import { planEnvironment, stackConfigFromFile } from "../../../spec/index";
import type { FleetPlan } from "../../../spec/plan";
import { readEnvironmentFiles } from "../../../spec/read-files";

export type Doc = Record<string, any>;

export interface EnvironmentInputs {
  /** The stack file's `config:` mapping, full keys (`fleetgate:clusters`). */
  config: Record<string, any>;
  /** The documents per file, in file order. */
  files: { path: string; docs: Doc[] }[];
}

export function prodInputs(): EnvironmentInputs {
  const stack = parseDocument(readFileSync(join(PROJECT_ROOT, "stacks", "Pulumi.prod.yaml"), "utf8")).toJS() as { config: Record<string, any> };
  const files = readEnvironmentFiles(PROJECT_ROOT, "prod").map((f) => ({ path: f.path, docs: parseAllDocuments(f.text).map((d) => d.toJS() as Doc) }));
  return { config: stack.config, files };
}

export function planOf(inputs: EnvironmentInputs, environment = "prod"): FleetPlan {
  const path = `stacks/Pulumi.${environment}.yaml`;
  const result = planEnvironment({
    environment,
    stack: stackConfigFromFile(path, stringify({ config: inputs.config })),
    files: inputs.files.map((f) => ({ path: f.path, text: f.docs.map((d) => stringify(d)).join("---\n") })),
  });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (!result.plan) throw new Error(`the changed example is invalid:\n${errors.map((d) => `${d.file}:${d.line}: ${d.message}`).join("\n")}`);
  return result.plan;
}

/** A GKE cluster like prod's, in another region, selected by the search services' label. */
export function southAmericaCluster(): Doc {
  return {
    name: "gke-sa",
    provider: "gke",
    region: "southamerica-east1",
    zones: ["southamerica-east1-a", "southamerica-east1-b"],
    network: "fleet-prod",
    labels: { region: "sa", search: "enabled" },
    access: { kind: "gke", project: "acme-fleet-prod" },
  };
}

/**
 * Adds an on-premises cluster that serves search and suggest (by their `search: enabled` label) through
 * its gateway's public name, with the encrypted kubeconfig such a cluster needs.
 */
export function addOnPremCluster(inputs: EnvironmentInputs): void {
  inputs.config["fleetgate:clusters"].push({
    name: "onprem",
    provider: "other",
    region: "dc-frankfurt",
    network: "onprem",
    labels: { region: "dc", search: "enabled" },
    access: { kind: "kubeconfig" },
    gateway: { publicHostname: "gw.onprem.example.net", publicPort: 443 },
  });
  inputs.config["fleetgate:kubeconfigs"] = { onprem: { secure: "v1:b25wcmVt" } };
}
