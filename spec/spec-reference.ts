/**
 * docs/spec-fields.md, the field-by-field reference of the spec, made from the same JSON Schemas as
 * schemas/ (spec/json-schema.ts, themselves made from the zod schemas' descriptions): one source for the
 * editors' checks and the reference. `npm run spec-fields` writes it; a test fails when it is stale.
 */
import { documentsJsonSchema, stackJsonSchema } from "./json-schema";

export const SPEC_FIELDS_DOC = "docs/spec-fields.md";

type Node = Record<string, unknown>;

interface Row {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly description: string;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
const isNode = (value: unknown): value is Node => value !== null && typeof value === "object" && !Array.isArray(value);
const alternatives = (node: Node): Node[] => [...((node.anyOf as Node[] | undefined) ?? []), ...((node.oneOf as Node[] | undefined) ?? [])].filter(isNode);

/** A short type: a constant, a choice of values, or the JSON type (a list of what, a map of what). */
function typeOf(node: Node): string {
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (Array.isArray(node.enum)) return node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(" | ");
  const alts = alternatives(node);
  if (alts.length > 0) return [...new Set(alts.map(typeOf))].join(" | ");
  if (node.type === "array") return isNode(node.items) ? `list of ${typeOf(node.items)}` : "list";
  if (node.type === "object" && !isNode(node.properties) && isNode(node.additionalProperties)) return `map of ${typeOf(node.additionalProperties)}`;
  return typeof node.type === "string" ? node.type : Array.isArray(node.type) ? node.type.join(" | ") : "any";
}

/** Two texts as one, each once. */
function union(a: string, b: string, separator = " | "): string {
  return a === b || b === "" ? a : a === "" ? b : `${a}${separator}${b}`;
}

function describeNode(node: Node): string {
  const own = typeof node.description === "string" ? node.description : "";
  const forms = alternatives(node)
    .filter((a) => a.type === "object" && typeof a.description === "string")
    .map((a) => a.description as string);
  const parts = [own, ...(forms.length > 1 ? [`One of: ${forms.map((f) => `(${forms.indexOf(f) + 1}) ${f}`).join(" ")}`] : forms)];
  const extra = node.default !== undefined ? ` Default: \`${JSON.stringify(node.default)}\`.` : "";
  return `${parts.filter((p) => p !== "").join(" ")}${extra}`;
}

/** Every field below `node`, depth first in the schema's order; object alternatives are merged by path. */
function rows(node: Node, path: string, required: boolean, out: Row[]): Row[] {
  if (path !== "") {
    const row = { path, type: typeOf(node), required, description: describeNode(node) };
    // The same field in several alternatives (a cluster's access.kind in each kind of access) is one row.
    const index = out.findIndex((r) => r.path === path);
    const before = out[index];
    if (before === undefined) out.push(row);
    else
      out[index] = {
        path,
        type: union(before.type, row.type),
        required: before.required && required,
        description: union(before.description, row.description, " Or: "),
      };
  }
  const properties = isNode(node.properties) ? node.properties : undefined;
  const needed = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
  if (properties)
    for (const [key, child] of Object.entries(properties)) if (isNode(child)) rows(child, path === "" ? key : `${path}.${key}`, needed.has(key), out);
  if (node.type === "array" && isNode(node.items)) childrenOf(node.items, `${path}[]`, out);
  if (!properties && isNode(node.additionalProperties)) childrenOf(node.additionalProperties, `${path}.<key>`, out);
  for (const alt of alternatives(node)) childrenOf(alt, path, out);
  return out;
}

/** The fields inside a list item, a map value or an alternative, without a row of its own. */
function childrenOf(node: Node, path: string, out: Row[]): void {
  const properties = isNode(node.properties) ? node.properties : undefined;
  const needed = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
  if (properties) for (const [key, child] of Object.entries(properties)) if (isNode(child)) rows(child, `${path}.${key}`, needed.has(key), out);
  if (node.type === "array" && isNode(node.items)) childrenOf(node.items, `${path}[]`, out);
  if (!properties && isNode(node.additionalProperties)) childrenOf(node.additionalProperties, `${path}.<key>`, out);
  for (const alt of alternatives(node)) childrenOf(alt, path, out);
}

function table(list: readonly Row[]): string[] {
  return [
    "| field | type | required | what |",
    "|---|---|---|---|",
    ...list.map((r) => `| \`${cell(r.path)}\` | ${cell(r.type)} | ${r.required ? "yes" : ""} | ${cell(r.description)} |`),
    "",
  ];
}

export function specFieldsDoc(stack: Node = stackJsonSchema() as Node, documents: Node = documentsJsonSchema() as Node): string {
  const lines = [
    "<!-- Generated by `npm run spec-fields` from spec/schema/ (the JSON Schemas of schemas/); do not edit. A test fails when it is stale. -->",
    "# The spec, field by field",
    "",
    "Every field of the stack file and of the service documents, with the description the JSON Schemas in `schemas/` carry (both are made from the zod schemas in spec/schema/). `a[]` is an item of the list `a`; `a.<key>` a value of the map `a`. [spec.md](spec.md) explains how the fields work together.",
    "",
    "## The environment: `stacks/Pulumi.<env>.yaml`",
    "",
    cell(String(stack.description ?? "")),
    "",
  ];
  const config = isNode(stack.properties) && isNode(stack.properties.config) ? stack.properties.config : {};
  const keys = isNode(config.properties) ? config.properties : {};
  const requiredKeys = new Set(Array.isArray(config.required) ? (config.required as string[]) : []);
  for (const [key, schema] of Object.entries(keys)) {
    if (!isNode(schema)) continue;
    lines.push(`### \`${key}\``, "", `${requiredKeys.has(key) ? "**Required.** " : ""}${cell(describeNode(schema)) || "(no description)"}`, "");
    const fields = rows(schema, "", false, []);
    if (fields.length > 0) lines.push(...table(fields));
  }
  lines.push("## Service documents: `stacks/<env>/<namespace>/*.yaml`", "", cell(String(documents.description ?? "")), "");
  for (const kind of alternatives(documents)) {
    const properties = isNode(kind.properties) ? kind.properties : {};
    const name = isNode(properties.kind) ? String(properties.kind.const ?? "") : "";
    lines.push(`### ${name}`, "", cell(describeNode(kind)), "", ...table(rows(kind, "", false, [])));
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
