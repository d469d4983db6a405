/**
 * The import of a GKE config cluster's dump (migrate/dump.ts) into an environment's folder, as pure
 * data: which files to write (`stacks/<env>/<namespace>/<kind in lower case>-<name>.yaml`, one object
 * per file), which objects are left out and why, and what the admin must grant for the imported
 * documents to plan (migrate/admin-settings.ts). Nothing is written here; scripts/import.ts writes.
 *
 * The file name scheme: a Kubernetes object is unique by kind, namespace and name, and both name and
 * namespace are DNS names, so `<kind>-<name>.yaml` in the namespace's folder is unique, stable across
 * dumps and sorts each kind's files together.
 */
import { stringify } from "yaml";
import { formatPath, type Diagnostic } from "../spec/diagnostics";
import { dnsLabelProblem } from "../spec/names";
import { ANNOTATIONS, type DocumentKind } from "../spec/schema/documents";
import { readDump, type DumpObject } from "./dump";
import { cleanObject } from "./strip";

/** The kinds the import writes, with the API group each belongs to. */
/** The import reads GKE's Multi Cluster Ingress objects only: Gateway API objects and GKE's Gateway policies are written by hand. */
export const IMPORTED_KINDS: Readonly<
  Record<Exclude<DocumentKind, "HTTPRoute" | "ReferenceGrant" | "Gateway" | "GCPBackendPolicy" | "HealthCheckPolicy" | "GCPGatewayPolicy">, string>
> = {
  MultiClusterIngress: "networking.gke.io",
  MultiClusterService: "networking.gke.io",
  BackendConfig: "cloud.google.com",
  FrontendConfig: "networking.gke.io",
};

/** A Kubernetes object name: a DNS subdomain (RFC 1123), which is also safe as part of a file name. */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export interface ImportedObject {
  readonly kind: DocumentKind;
  readonly namespace: string;
  readonly name: string;
  /** `stacks/<env>/<namespace>/<kind>-<name>.yaml`. */
  readonly path: string;
  readonly text: string;
  /** The object as written (plain data), for the admin settings and the report. */
  readonly object: Record<string, unknown>;
  /** `status.VIP` of a MultiClusterIngress: the address GKE serves it on. */
  readonly vip?: string;
  /** Notes about what was taken off beyond the server's own fields. */
  readonly notes: readonly string[];
}

export interface ImportPlan {
  /** Why nothing may be written; empty when the import can go ahead. */
  readonly refusals: readonly Diagnostic[];
  readonly objects: readonly ImportedObject[];
  /** Objects left out, one sentence each; never a Secret's data. */
  readonly skipped: readonly string[];
  /** Paths of files that exist and would be replaced (only allowed with --force). */
  readonly replaces: readonly string[];
}

export interface ImportOptions {
  readonly environment: string;
  /** The input's name for messages and file headers: a file name, or "standard input". */
  readonly inputName: string;
  readonly text: string;
  /** Files that exist under stacks/<env>/ (paths relative to the root). */
  readonly existing: ReadonlySet<string>;
  readonly force: boolean;
  /** Namespace for objects that name none (a saved manifest rather than a dump), as `kubectl apply -n` would. */
  readonly namespace?: string;
}

export function fileNameOf(environment: string, kind: string, namespace: string, name: string): string {
  return `stacks/${environment}/${namespace}/${kind.toLowerCase()}-${name}.yaml`;
}

export function planImport(options: ImportOptions): ImportPlan {
  const dump = readDump(options.inputName, options.text);
  const refusals: Diagnostic[] = [...dump.diagnostics];
  const skipped: string[] = [];
  const candidates: { source: DumpObject; kind: DocumentKind; namespace: string; name: string }[] = [];
  const seen = new Map<string, DumpObject>();

  for (const source of dump.objects) {
    const { value } = source;
    const kind = value.kind as string;
    const group = (value.apiVersion as string).split("/")[0];
    const metadata = (value.metadata ?? {}) as { name?: unknown; namespace?: unknown };
    const name = typeof metadata.name === "string" ? metadata.name : undefined;
    const namespace = typeof metadata.namespace === "string" ? metadata.namespace : options.namespace;
    const label = `${kind} ${namespace ?? "(no namespace)"}/${name ?? "(no name)"}`;
    const refuse = (path: (string | number)[], message: string) =>
      refusals.push({ ...source.locate([...source.path, ...path]), severity: "error", path: formatPath([...source.path, ...path]), message });

    if (kind === "Secret") {
      // Never its data, not even its keys: a dump of `kubectl get all,secrets` would otherwise leak here.
      skipped.push(
        `Secret ${namespace ?? ""}/${name ?? ""}: Fleetgate never writes Secrets; its data was neither written nor printed (TLS secrets of ingresses are replaced by managed certificates).`,
      );
      continue;
    }
    if (!(kind in IMPORTED_KINDS) || IMPORTED_KINDS[kind as keyof typeof IMPORTED_KINDS] !== group) {
      skipped.push(
        `${label} (${String(value.apiVersion)}): not a kind Fleetgate reads (it reads ${Object.entries(IMPORTED_KINDS)
          .map(([k, g]) => `${k} of ${g}`)
          .join(", ")}); it stays in its clusters as it is.`,
      );
      continue;
    }
    if (name === undefined || !OBJECT_NAME.test(name)) {
      refuse(
        ["metadata", "name"],
        `${name === undefined ? "is missing" : `${JSON.stringify(name)} is not a Kubernetes object name`}; every object of a dump has one, so this is not what ${"`kubectl get -o yaml`"} prints.`,
      );
      continue;
    }
    if (namespace === undefined) {
      refuse(
        ["metadata"],
        `${kind} "${name}" has no namespace; \`kubectl get -A\` prints every object's namespace. For a manifest saved by hand, give --namespace <namespace>, the namespace kubectl would have applied it to.`,
      );
      continue;
    }
    const nsProblem = dnsLabelProblem(namespace);
    if (nsProblem) {
      refuse(["metadata", "namespace"], `"${namespace}" ${nsProblem}; a namespace is a DNS label.`);
      continue;
    }
    const key = `${kind} ${namespace}/${name}`;
    const first = seen.get(key);
    if (first) {
      const where = first.locate(first.path);
      refuse([], `is ${key} a second time (first at ${where.file}:${where.line ?? 1}); a dump holds each object once, so keep one.`);
      continue;
    }
    seen.set(key, source);
    candidates.push({ source, kind: kind as DocumentKind, namespace, name });
  }

  // BackendConfigs and FrontendConfigs that no imported MultiClusterService or MultiClusterIngress names
  // belong to single-cluster Ingresses of the config cluster (the kubectl command lists them all).
  const referenced = referencedConfigs(
    candidates.map((c) => c.source.value),
    options.namespace,
  );
  const objects: ImportedObject[] = [];
  for (const c of candidates) {
    if ((c.kind === "BackendConfig" || c.kind === "FrontendConfig") && !referenced.has(`${c.kind} ${c.namespace}/${c.name}`)) {
      skipped.push(
        `${c.kind} ${c.namespace}/${c.name}: no imported ${c.kind === "BackendConfig" ? "MultiClusterService" : "MultiClusterIngress"} names it (it may serve a single-cluster Ingress); not imported.`,
      );
      continue;
    }
    const clean = cleanObject(c.source.value);
    const metadata = clean.object.metadata as Record<string, unknown>;
    if (metadata.namespace === undefined)
      clean.object.metadata = { name: metadata.name, namespace: c.namespace, ...Object.fromEntries(Object.entries(metadata).filter(([k]) => k !== "name")) };
    const path = fileNameOf(options.environment, c.kind, c.namespace, c.name);
    const status = c.source.value.status as { VIP?: unknown } | undefined;
    const notes = [
      ...clean.dropped.map((f) => `${f} was left out: Fleetgate's documents carry only name, namespace, labels and annotations as metadata.`),
      ...(clean.differsFromLastApplied
        ? ["the live spec differs from the last `kubectl apply` (edited since, or filled in by the API server); the live one, which GKE acts on, is imported."]
        : []),
    ];
    objects.push({
      kind: c.kind,
      namespace: c.namespace,
      name: c.name,
      path,
      object: clean.object,
      text: documentText(options.inputName, c.kind, c.namespace, c.name, clean.object),
      ...(c.kind === "MultiClusterIngress" && typeof status?.VIP === "string" && status.VIP !== "" ? { vip: status.VIP } : {}),
      notes,
    });
  }
  if (dump.diagnostics.length === 0 && refusals.length === 0 && objects.length === 0)
    refusals.push({
      file: options.inputName,
      line: 1,
      column: 1,
      severity: "error",
      path: "",
      message: `holds no MultiClusterIngress, MultiClusterService, BackendConfig or FrontendConfig${dump.objects.length > 0 ? ` (only ${[...new Set(dump.objects.map((o) => String(o.value.kind)))].sort().join(", ")})` : ""}; run \`kubectl get multiclusteringress,multiclusterservice,backendconfig,frontendconfig -A -o yaml\` against the config cluster of the fleet.`,
    });

  objects.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const replaces = objects.filter((o) => options.existing.has(o.path)).map((o) => o.path);
  if (!options.force)
    for (const path of replaces)
      refusals.push({
        file: path,
        severity: "error",
        path: "",
        message: `exists; the import never overwrites a file unless it is run with --force (then it says which files it replaced).`,
      });
  return { refusals, objects: refusals.length > 0 ? [] : objects, skipped: skipped.sort(), replaces };
}

/** `Kind namespace/name` of every BackendConfig and FrontendConfig an object of the dump names. */
function referencedConfigs(values: readonly Record<string, unknown>[], fallbackNamespace?: string): Set<string> {
  const out = new Set<string>();
  for (const value of values) {
    const metadata = (value.metadata ?? {}) as { namespace?: unknown; annotations?: unknown };
    const namespace = typeof metadata.namespace === "string" ? metadata.namespace : fallbackNamespace;
    const annotations = (metadata.annotations ?? {}) as Record<string, unknown>;
    if (value.kind === "MultiClusterService")
      for (const key of ANNOTATIONS.backendConfig) {
        const text = annotations[key];
        if (typeof text !== "string") continue;
        try {
          const parsed = JSON.parse(text) as { default?: unknown; ports?: Record<string, unknown> };
          for (const name of [parsed.default, ...Object.values(parsed.ports ?? {})])
            if (typeof name === "string") out.add(`BackendConfig ${namespace}/${name}`);
        } catch {
          // The validator reports the annotation at its place once the service is imported.
        }
      }
    if (value.kind === "MultiClusterIngress")
      for (const key of ANNOTATIONS.frontendConfig) if (typeof annotations[key] === "string") out.add(`FrontendConfig ${namespace}/${annotations[key]}`);
  }
  return out;
}

/**
 * The imported object with its `networking.gke.io/static-ip` annotation set (a name for the address GKE
 * chose) or taken off (undefined: behind AWS), the file saying so in its header and the object in its notes.
 */
export function withStaticIp(imported: ImportedObject, inputName: string, value: string | undefined, why: string): ImportedObject {
  const metadata = imported.object.metadata as Record<string, unknown> & { annotations?: Record<string, unknown> };
  const { [ANNOTATIONS.staticIp]: _, ...others } = metadata.annotations ?? {};
  const annotations = value !== undefined ? { ...others, [ANNOTATIONS.staticIp]: value } : others;
  const { annotations: __, ...rest } = metadata;
  const object = { ...imported.object, metadata: { ...rest, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) } };
  const change = value !== undefined ? `the import added ${ANNOTATIONS.staticIp}: ${value}` : `the import took off ${ANNOTATIONS.staticIp}`;
  return {
    ...imported,
    object,
    text: documentText(inputName, imported.kind, imported.namespace, imported.name, object, [`${change}: ${why}`]),
    notes: [...imported.notes, `${change}: ${why}`],
  };
}

function documentText(
  inputName: string,
  kind: string,
  namespace: string,
  name: string,
  object: Record<string, unknown>,
  changes: readonly string[] = [],
): string {
  return [
    "# yaml-language-server: $schema=../../../schemas/documents.schema.json",
    `# ${kind} ${namespace}/${name}, imported by \`npm run import\` from ${inputName}: the object as GKE held it, without`,
    "# what the API server and GKE's controllers added (status, uid, resourceVersion, managedFields, finalizers,",
    "# the last-applied and reconcile annotations).",
    ...changes.map((c) => `# Changed: ${c}`),
    stringify(object, { lineWidth: 0 }).trimEnd(),
    "",
  ].join("\n");
}
