/**
 * A PlanDiff as Markdown for a pull-request comment: the counts, what must not happen silently
 * (protected resources replaced or deleted, secrets turning plain), a per-cluster table, then every
 * change grouped by the component it sits in, with field-level old -> new values.
 */
import type { ComponentRef, OptionChange, PlanDiff, ResourceChange } from "./plan-diff";
import { replacementRule } from "./replacement";
import { splitUrlMapChanges, URL_MAP_TYPE, type HostRouteChanges, type RuleChange } from "./route-changes";
import { code, formatChange, formatPath, formatValue, type LeafChange } from "./values";

/** More changed fields than this per resource are summarised, so one big change cannot bury the rest. */
export const MAX_FIELDS_PER_RESOURCE = 25;

const SYMBOL: Record<ResourceChange["kind"], string> = { create: "`+` create", update: "`~` update", replace: "`+-` **replace**", delete: "`-` **delete**" };

/**
 * @param owners Markdown placed right under the counts (the spec changes by owner, review/fleet-diff.ts):
 *   it says why the resources below change.
 */
export function renderPlanDiff(diff: PlanDiff, owners?: string): string {
  const lines: string[] = [`### Offline plan diff of stack ${code(diff.stack)}`, ""];
  const count = (kind: ResourceChange["kind"]) => diff.changes.filter((c) => c.kind === kind).length;
  lines.push(
    `**${count("create")} to create · ${count("update")} to update · ${count("replace")} to replace · ${count("delete")} to delete** · ${diff.unchanged} unchanged`,
    "",
  );
  if (owners) lines.push(owners.trimEnd(), "");
  if (diff.changes.length === 0 && diff.outputs.length === 0) {
    lines.push("No resource would change.");
    return `${lines.join("\n")}\n`;
  }

  const endangered = diff.changes.filter((c) => c.protect && (c.kind === "replace" || c.kind === "delete"));
  if (endangered.length > 0) {
    lines.push(
      "> [!CAUTION]",
      "> **Protected resources would be replaced or deleted.** Pulumi stops at a protected resource; a replacement here takes the old one away (an address, a certificate, a root CA). Make sure this is intended before lifting `protect`:",
    );
    for (const c of endangered) lines.push(`> - ${title(c)}: ${c.kind === "delete" ? "deleted" : `replaced (${reason(c)})`}`);
    lines.push("");
  }
  const warnings = [
    ...diff.changes
      .filter((c) => c.options.some((o) => o.option === "protect" && o.before === true && o.after === false))
      .map((c) => `${title(c)} loses \`protect\`: a later change can delete it without anyone lifting protection on purpose`),
    ...diff.changes.filter((c) => c.noLongerSecret.length > 0).map((c) => `${title(c)}: no longer secret: ${c.noLongerSecret.map(code).join(", ")}`),
    ...diff.changes
      .filter((c) => c.kind === "replace" && c.deleteBeforeReplace)
      .map((c) => `${title(c)} is deleted before its replacement is created (\`deleteBeforeReplace\`): expect an outage of what it serves`),
    ...diff.changes
      .filter((c) => c.kind === "delete" && c.retainOnDelete)
      .map((c) => `${title(c)} is retained on delete: Pulumi forgets it and the cloud resource stays`),
  ];
  if (warnings.length > 0) lines.push("> [!WARNING]", ...warnings.map((w) => `> - ${w}`), "");

  if (diff.clusters.length > 0 && diff.changes.length > 0) lines.push(...clusterTable(diff), "");
  if (diff.routes && diff.routes.length > 0) lines.push(...routeSection(diff.routes), "");

  const groups = new Map<string, { components: readonly ComponentRef[]; changes: ResourceChange[] }>();
  for (const c of diff.changes) {
    const key = c.components.map((p) => `${p.type}::${p.name}`).join("/");
    groups.set(key, { components: c.components, changes: [...(groups.get(key)?.changes ?? []), c] });
  }
  for (const { components, changes } of groups.values()) {
    lines.push(`#### ${components.length === 0 ? "Stack" : components.map((p) => `${shortType(p.type)} ${code(p.name)}`).join(" › ")}`, "");
    for (const c of changes) lines.push(...renderChange(c, diff.routes));
    lines.push("");
  }

  if (diff.outputs.length > 0) {
    lines.push("#### Stack outputs", "");
    for (const o of diff.outputs) lines.push(...fieldLines(o.changes, new Set()).map((l) => l.slice(2)));
    lines.push("");
  }
  return `${lines.join("\n").replace(/\n+$/, "")}\n`;
}

function renderChange(c: ResourceChange, routes: PlanDiff["routes"]): string[] {
  const notes: string[] = [];
  if (c.cluster) notes.push(`cluster ${code(c.cluster)}`);
  if (c.protect) notes.push("**protected**");
  if (!c.custom) notes.push("component");
  const head = `- ${SYMBOL[c.kind]} ${code(c.type)} ${code(c.name)}${notes.length ? ` · ${notes.join(" · ")}` : ""}`;
  const lines = [head];
  if (c.renamedFrom) {
    lines.push(
      c.renamedFrom.aliased
        ? `  - renamed from ${code(c.renamedFrom.name)} with an alias: Pulumi moves the resource, nothing is recreated`
        : `  - renamed from ${code(c.renamedFrom.name)} without an alias: Pulumi deletes ${code(c.renamedFrom.name)} and creates ${code(c.name)}`,
    );
  }
  if (c.kind === "replace" && c.verdict?.kind === "replace") lines.push(`  - replaced because ${reason(c)}`);
  if (c.verdict?.kind === "unknown")
    lines.push(`  - replacement unknown: ${code(c.type)} is not in Fleetgate's replacement table (review/replacement.ts); a real \`pulumi preview\` tells`);
  const forcing = new Set(c.verdict?.kind === "replace" ? c.verdict.because.map(formatPath) : []);
  // A URL map's rules read better as rules: the Routes section lists them in full; what its rows do not
  // show (descriptions, timeouts, header values...) stays here as values.
  const split = routes && c.type === URL_MAP_TYPE && c.kind !== "create" && c.kind !== "delete" ? splitUrlMapChanges(c.inputs) : undefined;
  if (split && split.shown.length > 0)
    lines.push(
      routes!.length > 0
        ? "  - route changes listed above under **Routes**"
        : "  - its rules read as before (same matches, actions, clusters and order): `npm run routes` shows them",
    );
  lines.push(...fieldLines(split ? split.notShown : c.inputs, forcing));
  for (const o of c.options) lines.push(optionLine(o, c.custom));
  return lines;
}

/**
 * The Routes section: per host, the rules added, removed and changed, in the order they are tried,
 * every one in full (a rule is one line; there is no cut).
 */
function routeSection(routes: readonly HostRouteChanges[]): string[] {
  const lines = [
    "#### Routes",
    "",
    "Rules added, removed or changed, per host, in the order the front door or the gateways try them (`npm run routes -- --stack <env>` prints the whole table):",
    "",
  ];
  for (const h of routes) {
    const status = h.status === "added" ? " · host added" : h.status === "removed" ? " · host removed" : "";
    lines.push(`- ${code(h.host)}${status}${h.owners.length > 0 ? ` · owners ${h.owners.map(code).join(", ")}` : ""}`);
    for (const r of h.rules) lines.push(`  - ${ruleLine(r)}`);
  }
  return lines;
}

function ruleLine(r: RuleChange): string {
  const where = (row: NonNullable<RuleChange["after"]>) => `port ${row.port}, ${row.order}`;
  const clusters = (list: readonly string[]) => (list.length > 0 ? list.map(code).join(", ") : "none");
  const head = `${code(r.match)}`;
  if (r.kind === "added") return `\`+\` added ${head} (${where(r.after!)}): ${code(r.after!.action)} · clusters ${clusters(r.after!.clusters)}`;
  if (r.kind === "removed") return `\`-\` removed ${head} (${where(r.before!)}): was ${code(r.before!.action)} · clusters ${clusters(r.before!.clusters)}`;
  const parts = r.changed.map((what) =>
    what === "action"
      ? `action ${code(r.before!.action)} → ${code(r.after!.action)}`
      : what === "clusters"
        ? `clusters ${clusters(r.before!.clusters)} → ${clusters(r.after!.clusters)}`
        : `order ${code(r.before!.order)} → ${code(r.after!.order)}`,
  );
  return `\`~\` changed ${head} (${where(r.after!)}): ${parts.join("; ")}`;
}

function optionLine(o: OptionChange, custom: boolean): string {
  if (Array.isArray(o.before) && Array.isArray(o.after)) {
    const added = o.after.filter((x) => !(o.before as unknown[]).includes(x));
    const removed = o.before.filter((x) => !(o.after as unknown[]).includes(x));
    const parts = [
      ...(added.length ? [`added ${added.map((x) => code(String(x))).join(", ")}`] : []),
      ...(removed.length ? [`removed ${removed.map((x) => code(String(x))).join(", ")}`] : []),
    ];
    return `  - option ${code(o.option)}: ${parts.join("; ") || "reordered"}`;
  }
  const note =
    o.option === "provider" && custom ? " (a resource moved to another provider is replaced when that provider targets another cluster or account)" : "";
  return `  - option ${code(o.option)}: ${code(formatValue(o.before))} → ${code(formatValue(o.after))}${note}`;
}

function fieldLines(changes: readonly LeafChange[], forcing: ReadonlySet<string>): string[] {
  const shown = changes.slice(0, MAX_FIELDS_PER_RESOURCE).map((f) => {
    const path = formatPath(f.path);
    const [before, after] = formatChange(f.before, f.after);
    return `  - ${code(path)}: ${code(before)} → ${code(after)}${forcing.has(path) ? " **(forces replacement)**" : ""}`;
  });
  const more = changes.length - shown.length;
  return more > 0 ? [...shown, `  - … and ${more} more changed field${more === 1 ? "" : "s"}`] : shown;
}

function reason(c: ResourceChange): string {
  if (c.verdict?.kind === "rename") return `its logical name changed from ${code(c.renamedFrom?.name ?? "?")} without an alias`;
  if (c.verdict?.kind !== "replace") return "the provider replaces it";
  const fields = c.verdict.because.map((p) => code(formatPath(p))).join(", ");
  const by =
    c.verdict.source === "replaceOnChanges"
      ? "its `replaceOnChanges` option lists"
      : c.verdict.source === "both"
        ? "the provider and its `replaceOnChanges` option replace it on"
        : `the provider replaces it on (${replacementRule(c.type)?.why ?? "see the table"})`;
  return `${fields} changed and ${by} ${c.verdict.source === "provider" ? "that change" : "them"}`;
}

function clusterTable(diff: PlanDiff): string[] {
  const rows = [...diff.clusters, ""].map((cluster) => {
    const mine = diff.changes.filter((c) => (c.cluster ?? "") === cluster);
    const n = (kind: ResourceChange["kind"]) => mine.filter((c) => c.kind === kind).length;
    return { label: cluster === "" ? "not cluster-specific" : code(cluster), total: mine.length, cells: [n("create"), n("update"), n("replace"), n("delete")] };
  });
  return [
    "| cluster | create | update | replace | delete |",
    "|---|---:|---:|---:|---:|",
    ...rows.filter((r) => r.total > 0).map((r) => `| ${r.label} | ${r.cells.join(" | ")} |`),
  ];
}

function title(c: ResourceChange): string {
  return `${code(c.type)} ${code(c.name)}`;
}

/** `fleetgate:gcp:GcpFrontDoor` -> `GcpFrontDoor`. */
function shortType(type: string): string {
  return type.split(":").pop() ?? type;
}
