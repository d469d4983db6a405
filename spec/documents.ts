/**
 * Loads service owners' documents: parses every YAML file of the environment's folder, checks where the
 * file sits (a team folder), recognises each document's kind and validates it against its schema.
 */
import type { z } from "zod";
import type { Diagnostic } from "./diagnostics";
import { issueMessages, issuesToDiagnostics } from "./issues";
import { didYouMean, listChoices } from "./names";
import {
  DOCUMENT_SCHEMAS,
  type BackendConfig,
  type DocumentKind,
  type FrontendConfig,
  type MultiClusterIngress,
  type MultiClusterService,
} from "./schema/documents";
import type { Gateway, HTTPRoute, ReferenceGrant } from "./schema/gateway-api";
import type { GCPBackendPolicy, GCPGatewayPolicy, HealthCheckPolicy } from "./schema/gke-policies";
import { salvage } from "./salvage";
import { parseYamlDocuments, type Locator } from "./yaml-source";

export interface SourceFile {
  /** Relative to the project root, with forward slashes: `stacks/prod/shop/ingress.yaml`. */
  readonly path: string;
  readonly text: string;
  /** Why the file could not be read as text (a symbolic link, not UTF-8); its text is then empty. */
  readonly unreadable?: { readonly message: string; readonly line?: number; readonly column?: number };
}

export interface Loaded<K extends DocumentKind = DocumentKind, T = unknown> {
  readonly kind: K;
  readonly doc: T;
  readonly file: string;
  /** The team folder: the first folder under `stacks/<env>/`. */
  readonly team: string;
  readonly index: number;
  readonly locate: Locator;
}

export interface LoadedDocuments {
  /** `Kind namespace/name` of documents that failed their schema, so references to them are not
   * reported a second time as references to something missing. */
  readonly invalid: Set<string>;
  /** Namespaces (team folders) with a file or document that could not be read at all (YAML syntax, no
   * known kind): any document of theirs may be in it, so a missing one is not reported. */
  readonly unreadable: Set<string>;
  readonly services: Loaded<"MultiClusterService", MultiClusterService>[];
  readonly ingresses: Loaded<"MultiClusterIngress", MultiClusterIngress>[];
  readonly backendConfigs: Loaded<"BackendConfig", BackendConfig>[];
  readonly frontendConfigs: Loaded<"FrontendConfig", FrontendConfig>[];
  /** Gateway API routes (spec/http-routes.ts) and the grants that let them reach other namespaces. */
  readonly httpRoutes: Loaded<"HTTPRoute", HTTPRoute>[];
  readonly referenceGrants: Loaded<"ReferenceGrant", ReferenceGrant>[];
  /** GKE's Gateway policies (spec/gke-policies.ts): backend settings read as BackendConfigs, and the gateway's. */
  readonly gcpBackendPolicies: Loaded<"GCPBackendPolicy", GCPBackendPolicy>[];
  readonly healthCheckPolicies: Loaded<"HealthCheckPolicy", HealthCheckPolicy>[];
  readonly gcpGatewayPolicies: Loaded<"GCPGatewayPolicy", GCPGatewayPolicy>[];
  /** The platform admin's Gateway, in the gateway namespace's folder (spec/fleet-gateway.ts). */
  readonly gateways: Loaded<"Gateway", Gateway>[];
}

const KINDS = Object.keys(DOCUMENT_SCHEMAS) as DocumentKind[];

/** The list of LoadedDocuments that holds each kind. */
const LIST_OF = {
  MultiClusterService: "services",
  MultiClusterIngress: "ingresses",
  BackendConfig: "backendConfigs",
  FrontendConfig: "frontendConfigs",
  HTTPRoute: "httpRoutes",
  ReferenceGrant: "referenceGrants",
  GCPBackendPolicy: "gcpBackendPolicies",
  HealthCheckPolicy: "healthCheckPolicies",
  GCPGatewayPolicy: "gcpGatewayPolicies",
  Gateway: "gateways",
} as const satisfies Record<DocumentKind, Exclude<keyof LoadedDocuments, "invalid">>;

export function loadDocuments(environment: string, files: readonly SourceFile[]): { documents: LoadedDocuments; diagnostics: Diagnostic[] } {
  const documents: LoadedDocuments = {
    invalid: new Set(),
    unreadable: new Set(),
    services: [],
    ingresses: [],
    backendConfigs: [],
    frontendConfigs: [],
    httpRoutes: [],
    referenceGrants: [],
    gcpBackendPolicies: [],
    healthCheckPolicies: [],
    gcpGatewayPolicies: [],
    gateways: [],
  };
  const diagnostics: Diagnostic[] = [];
  const root = `stacks/${environment}/`;

  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const relative = file.path.startsWith(root) ? file.path.slice(root.length) : file.path;
    const slash = relative.indexOf("/");
    if (slash === -1) {
      diagnostics.push({
        file: file.path,
        line: 1,
        column: 1,
        severity: "error",
        path: "",
        message: `is not in a team folder; move it to ${root}<team>/ so that each team owns its folder.`,
      });
      continue;
    }
    const team = relative.slice(0, slash);
    if (file.unreadable) {
      diagnostics.push({
        file: file.path,
        line: file.unreadable.line ?? 1,
        column: file.unreadable.column ?? 1,
        severity: "error",
        path: "",
        message: file.unreadable.message,
      });
      documents.unreadable.add(team);
      continue;
    }
    const parsed = parseYamlDocuments(file.path, file.text);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.diagnostics.some((d) => d.severity === "error")) documents.unreadable.add(team);

    for (const source of parsed.documents) {
      const value = source.value as { apiVersion?: unknown; kind?: unknown } | null;
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        diagnostics.push({
          ...source.locate([]),
          severity: "error",
          path: "",
          message: "is not a Kubernetes-style document; a document is a map with apiVersion, kind, metadata and spec.",
        });
        documents.unreadable.add(team);
        continue;
      }
      const kind = value.kind;
      if (typeof kind !== "string" || !KINDS.includes(kind as DocumentKind)) {
        diagnostics.push({
          ...source.locate(["kind"]),
          severity: "error",
          path: "kind",
          message:
            typeof kind === "string"
              ? `"${kind}" is not a kind Fleetgate reads${didYouMean(kind, KINDS)}; use ${listChoices(KINDS)}.`
              : `is missing; every document names its kind: ${listChoices(KINDS)}.`,
        });
        documents.unreadable.add(team);
        continue;
      }
      const result = DOCUMENT_SCHEMAS[kind as DocumentKind].safeParse(value, { error: issueMessages });
      const folderProblem = namespaceProblem(value, `${root}${team}/`, team);
      if (folderProblem) {
        diagnostics.push({ ...source.locate(folderProblem.path), severity: "error", path: folderProblem.path.join("."), message: folderProblem.message });
        const name = (value as { metadata?: { name?: unknown } }).metadata?.name;
        // Left out of the cross-document checks, and references to it are not reported again.
        if (typeof name === "string") documents.invalid.add(`${kind} ${folderProblem.namespace}/${name}`);
        if (result.success) continue;
      }
      if (!result.success) {
        // A missing namespace is reported once, with the folder's namespace to write.
        const missingNamespace = folderProblem?.path.length === 1;
        diagnostics.push(...issuesToDiagnostics(result.error, source.locate).filter((d) => !(missingNamespace && d.path === "metadata.namespace")));
        // What passed its schema is still checked against the rest (salvage.ts), so that one run shows
        // every error; a document that cannot be salvaged is left out and references to it are quiet.
        const salvaged = folderProblem ? undefined : salvage(DOCUMENT_SCHEMAS[kind as DocumentKind] as z.ZodType<unknown>, value);
        if (salvaged !== undefined) {
          (documents[LIST_OF[kind as DocumentKind]] as Loaded[]).push({
            file: file.path,
            team,
            index: source.index,
            locate: source.locate,
            kind,
            doc: salvaged,
          } as Loaded);
          continue;
        }
        const metadata = (value as { metadata?: { name?: unknown; namespace?: unknown } }).metadata;
        if (typeof metadata?.name === "string")
          documents.invalid.add(`${kind} ${typeof metadata.namespace === "string" ? metadata.namespace : "default"}/${metadata.name}`);
        continue;
      }
      const loaded = { file: file.path, team, index: source.index, locate: source.locate, kind, doc: result.data };
      (documents[LIST_OF[kind as DocumentKind]] as Loaded[]).push(loaded as Loaded);
    }
  }
  return { documents, diagnostics };
}

/**
 * A document's namespace is its team folder's: CODEOWNERS gives each folder to the team that owns the
 * namespace (and the admin's hostOwnership gives hosts to namespaces), so a document in another team's
 * namespace would escape the review of that namespace's owners. A missing namespace is not taken to be
 * `default`, which no team owns.
 */
function namespaceProblem(value: object, folder: string, team: string): { path: string[]; message: string; namespace: string } | undefined {
  const metadata = (value as { metadata?: unknown }).metadata;
  if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) return undefined; // the schema says what is wrong
  const namespace = (metadata as { namespace?: unknown }).namespace;
  if (namespace === undefined)
    return {
      path: ["metadata"],
      namespace: team,
      message: `has no namespace; documents in ${folder} belong to namespace "${team}": add \`namespace: ${team}\``,
    };
  if (typeof namespace === "string" && namespace !== team)
    return {
      path: ["metadata", "namespace"],
      namespace,
      message: `"${namespace}" is not the namespace of ${folder}, whose documents belong to namespace "${team}" (each team folder is reviewed by its namespace's owners); move the document to ${folder.slice(0, -team.length - 1)}${namespace}/ or write \`namespace: ${team}\``,
    };
  return undefined;
}

/**
 * Whether a document that was not found may be one that failed to load (its schema, or an unreadable
 * file of its namespace): then the reference to it is not reported, the failure already is.
 */
export function failedToLoad(documents: Pick<LoadedDocuments, "invalid" | "unreadable">, kind: DocumentKind, namespace: string, name: string): boolean {
  return documents.invalid.has(`${kind} ${namespace}/${name}`) || documents.unreadable.has(namespace);
}

/** `namespace/name` of a document. */
export function keyOf(doc: { metadata: { name: string; namespace: string } }): string {
  return `${doc.metadata.namespace}/${doc.metadata.name}`;
}
