/**
 * Reading what `kubectl get multiclusteringress,multiclusterservice,backendconfig,frontendconfig -A -o
 * yaml` prints from a GKE config cluster: a `kind: List` (apiVersion v1) of objects, or, as people also
 * save them, a multi-document YAML stream or a single object (JSON, from `-o json`, reads the same).
 * The objects come out as found, each with the place it was read from; nothing here judges their kind.
 */
import { formatPath, type Diagnostic, type PathSegment } from "../spec/diagnostics";
import { parseYamlDocuments, type Locator } from "../spec/yaml-source";

/** The command whose output the import reads, for messages. */
export const DUMP_COMMAND = "kubectl get multiclusteringress,multiclusterservice,backendconfig,frontendconfig -A -o yaml";

export interface DumpObject {
  /** The object as read: a map with string `apiVersion` and `kind`. */
  readonly value: Record<string, unknown>;
  /** Where it was read: `<file>:<line>:<column>` and, inside a List, `items[3]`. */
  readonly locate: Locator;
  readonly path: readonly PathSegment[];
}

export interface Dump {
  readonly objects: DumpObject[];
  /** Every reason the input is not such a dump, each at its place. */
  readonly diagnostics: Diagnostic[];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A List as kubectl prints it: `kind: List`, or a typed list such as `MultiClusterIngressList`. */
function isList(value: Record<string, unknown>): boolean {
  return typeof value.kind === "string" && /List$/.test(value.kind) && "items" in value;
}

export function readDump(file: string, text: string): Dump {
  const expected = `expected the output of \`${DUMP_COMMAND}\` (a List of objects), a YAML stream of such objects, or one object`;
  const parsed = parseYamlDocuments(file, text);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const objects: DumpObject[] = [];
  if (parsed.diagnostics.some((d) => d.severity === "error")) return { objects, diagnostics };
  if (parsed.documents.length === 0) {
    diagnostics.push({ file, line: 1, column: 1, severity: "error", path: "", message: `is empty; ${expected}.` });
    return { objects, diagnostics };
  }
  const refuse = (locate: Locator, path: PathSegment[], message: string) =>
    diagnostics.push({ ...locate(path), severity: "error", path: formatPath(path), message });
  const take = (value: unknown, locate: Locator, path: PathSegment[]) => {
    if (!isMap(value)) {
      refuse(locate, path, `is ${Array.isArray(value) ? "a list" : JSON.stringify(value)}, not a Kubernetes object; ${expected}.`);
      return;
    }
    if (typeof value.kind !== "string" || typeof value.apiVersion !== "string") {
      const missing = [typeof value.apiVersion !== "string" ? "apiVersion" : "", typeof value.kind !== "string" ? "kind" : ""]
        .filter((f) => f !== "")
        .join(" and ");
      refuse(
        locate,
        path,
        `has no ${missing}, so it is not a Kubernetes object (its keys are ${Object.keys(value).slice(0, 5).join(", ") || "none"}); ${expected}.`,
      );
      return;
    }
    if (isList(value)) {
      if (path.length > 0) {
        refuse(locate, path, `is a List inside a List, which kubectl never prints; ${expected}.`);
        return;
      }
      if (!Array.isArray(value.items)) {
        refuse(locate, ["items"], `is not a list of objects; ${expected}.`);
        return;
      }
      value.items.forEach((item, i) => take(item, locate, ["items", i]));
      return;
    }
    objects.push({ value, locate, path });
  };
  for (const doc of parsed.documents) take(doc.value, doc.locate, []);
  return { objects, diagnostics };
}
