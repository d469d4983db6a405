/**
 * YAML parsing that keeps positions. Each parsed document can locate any field path in its source, so
 * that a diagnostic raised far away (a zod issue, a cross-document check) still names file:line:column.
 */
import { isCollection, isMap, isScalar, LineCounter, parseAllDocuments, visit, type Document } from "yaml";
import type { Diagnostic, PathSegment, SourceLocation } from "./diagnostics";
import { positionAt, unsafeToParse } from "./nesting";

/** Finds where a field path sits in a source; falls back to the nearest enclosing node that exists. */
/**
 * Finds a path in a YAML source: at its value, or with `"key"` at the key that names it (for a key that
 * is itself the mistake, such as an unknown field, whose value may start on the next line).
 */
export type Locator = (path: readonly PathSegment[], place?: "value" | "key") => SourceLocation;

export interface SourceDocument {
  /** Path of the file relative to the project root, with forward slashes. */
  readonly file: string;
  /** Position of the document inside a multi-document file, from 0. */
  readonly index: number;
  /** The document as plain data. */
  readonly value: unknown;
  readonly locate: Locator;
}

/** Limits alias expansion so that a hostile or careless document cannot blow up memory. */
const MAX_ALIAS_COUNT = 100;

export function parseYamlDocuments(file: string, text: string): { documents: SourceDocument[]; diagnostics: Diagnostic[] } {
  const unsafe = unsafeToParse(text);
  if (unsafe) return { documents: [], diagnostics: [{ file, ...positionAt(text, unsafe.offset), severity: "error", path: "", message: unsafe.message }] };
  const lineCounter = new LineCounter();
  // Merge keys (`<<: *defaults`) are YAML 1.1, but kubectl and GKE read them, so documents written for
  // those tools use them.
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, merge: true });
  const diagnostics: Diagnostic[] = [];
  const documents: SourceDocument[] = [];
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };

  docs.forEach((doc, index) => {
    diagnostics.push(...syntaxDiagnostics(doc, text, at));
    if (doc.errors.length > 0) return;
    // Nothing between two `---`, or after a final one: not a document anyone meant to write.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return;
    const unresolved = unresolvedAliases(doc);
    for (const alias of unresolved) {
      diagnostics.push({
        ...at(alias.offset),
        severity: "error",
        path: "",
        message: `*${alias.name} refers to no anchor &${alias.name} before it in this document; anchors do not reach across "---", so define the anchor in this document or write the values out.`,
      });
    }
    if (unresolved.length > 0) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      diagnostics.push({
        ...at(doc.contents.range?.[0] ?? 0),
        severity: "error",
        path: "",
        message: `${(error as Error).message}; write the values out instead of expanding so many aliases.`,
      });
      return;
    }
    documents.push({ file, index, value, locate: locatorFor(doc, at, file) });
  });
  return { documents, diagnostics };
}

function unresolvedAliases(doc: Document.Parsed): { name: string; offset: number }[] {
  const found: { name: string; offset: number }[] = [];
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc) === undefined) found.push({ name: alias.source, offset: alias.range?.[0] ?? 0 });
    },
  });
  return found;
}

/**
 * A document's syntax problems. Only the first error is reported: the parser's later complaints mostly
 * follow from it (one mis-indented key gives several), and the document is read again once it is fixed.
 */
export function syntaxDiagnostics(
  doc: Pick<Document.Parsed, "errors" | "warnings">,
  text: string,
  at: (offset: number) => { file: string; line: number; column: number },
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const [firstError] = doc.errors;
  if (firstError) {
    const more = doc.errors.length - 1;
    out.push({
      ...at(firstError.pos[0]),
      severity: "error",
      path: "",
      message: `${syntaxProblemText(firstError, text)}; fix the YAML syntax at this place${more > 0 ? ` (the parser reports ${more} more problem${more === 1 ? "" : "s"} after it in this document, most of them caused by it)` : ""}.`,
    });
  }
  for (const warning of doc.warnings)
    out.push({ ...at(warning.pos[0]), severity: "warning", path: "", message: `${yamlProblemText(warning.message)}; fix the YAML syntax at this place.` });
  return out;
}

/** A syntax error's text; a duplicate key is named, since the parser's own text does not say which. */
function syntaxProblemText(error: { code: string; message: string; pos: [number, number] }, text: string): string {
  if (error.code === "DUPLICATE_KEY") {
    const key = /^[^:\n]+/
      .exec(text.slice(error.pos[0]))?.[0]
      .trim()
      .replace(/^["']|["']$/g, "");
    if (key) return `${JSON.stringify(key)} is a key this map already has (map keys must be unique); remove or rename one`;
  }
  return yamlProblemText(error.message);
}

/** The yaml library's messages end with a source excerpt when prettyErrors is on; we keep only the sentence. */
function yamlProblemText(message: string): string {
  return message.split("\n")[0]!.replace(/\.$/, "");
}

function locatorFor(doc: Document.Parsed, at: (offset: number) => { file: string; line: number; column: number }, file: string): Locator {
  return (path, place = "value") => {
    const key = place === "key" ? keyOffset(doc, doc.contents, path) : undefined;
    if (key !== undefined) return at(key);
    for (let depth = path.length; depth >= 0; depth--) {
      const prefix = path.slice(0, depth);
      const node = prefix.length === 0 ? doc.contents : doc.getIn(prefix, true);
      if (node && typeof node === "object" && "range" in node && Array.isArray(node.range)) {
        // For a missing key, point at the map that should hold it; for a present one, at its value.
        if (depth === path.length || isCollection(node)) return at(node.range[0] as number);
      }
    }
    return { file };
  };
}

/** The offset of the key that names the last segment of a path in a map, when there is one. */
export function keyOffset(doc: Document.Parsed, root: unknown, path: readonly PathSegment[]): number | undefined {
  if (path.length === 0) return undefined;
  const parent = path.length === 1 ? root : doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const last = String(path[path.length - 1]);
  const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === last);
  const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
  return range ? range[0] : undefined;
}
