/**
 * `npm run route` output: a trace in words, one hop per line, clusters whose gateways do the same thing
 * grouped on one line.
 */
import type { ClusterHop, RouteTrace } from "./evaluate";
import type { GatewayResult } from "./gateway";
import { requestUrl, type HeaderChange } from "./request";
import type { UrlMapAction, UrlMapResult } from "./url-map";

const pct = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)}%`;

export function describeChange(c: HeaderChange): string {
  return c.op === "remove" ? `remove ${c.name}` : `${c.op} ${c.name}: ${c.value ?? ""}`;
}

function changes(label: string, list: readonly HeaderChange[], indent: string): string[] {
  return list.length === 0 ? [] : [`${indent}${label}: ${list.map((c) => `${describeChange(c)} (${c.by})`).join("; ")}`];
}

function urlMapLines(u: UrlMapResult): string[] {
  const lines = [
    u.hostRule
      ? `  host rule: ${u.hostRule.hosts.join(", ")}${u.hostRule.pattern !== u.hostRule.hosts[0] ? ` (by ${u.hostRule.pattern})` : ""} -> path matcher ${u.hostRule.pathMatcher}`
      : `  host rule: none takes the host; the URL map's default acts`,
  ];
  const r = u.rule;
  if (r.kind === "route-rule") lines.push(`  route rule: priority ${r.priority}, match ${r.match}`);
  else if (r.kind === "path-rule") lines.push(`  path rule: ${r.path}`);
  else if (r.kind === "path-matcher-default") lines.push(`  no route rule matches: the path matcher's default acts`);
  lines.push(...actionLines(u.action));
  return lines;
}

function actionLines(a: UrlMapAction): string[] {
  if (a.kind === "redirect") return [`  redirect: ${a.status} to ${a.location}`];
  if (a.kind === "answer") return [`  answer: ${a.status} (${a.reason})`];
  return [
    ...(a.rewrite
      ? [
          `  rewrite: ${[a.rewrite.host !== undefined ? `host ${a.rewrite.host}` : "", a.rewrite.path !== undefined ? `path ${a.rewrite.path}` : ""].filter(Boolean).join(", ")}`,
        ]
      : []),
    ...changes("request headers", a.requestHeaders, "  "),
    ...changes("response headers", a.responseHeaders, "  "),
    ...(a.timeoutSeconds !== undefined ? [`  timeout: ${a.timeoutSeconds}s`] : []),
    ...(a.mirror ? [`  mirror: backend service ${a.mirror}`] : []),
  ];
}

export function gatewayLines(g: GatewayResult, indent: string): string[] {
  const lines = [`${indent}gateway ${g.gateway ?? "(none)"} port ${g.port}${g.listener ? `, listener ${g.listener}` : ""}`];
  if (g.route) lines.push(`${indent}HTTPRoute ${g.route.route} rule ${g.route.ruleIndex}${g.route.ruleName ? ` (${g.route.ruleName})` : ""}: ${g.route.match}`);
  if (g.tiesWith) lines.push(`${indent}ties with ${g.tiesWith.join(", ")}: the cluster's creation order decides`);
  const o = g.outcome;
  if (o.kind === "redirect") lines.push(`${indent}redirect: ${o.status} to ${o.location}`);
  else if (o.kind === "answer") lines.push(`${indent}answer: ${o.status} (${o.reason})`);
  else {
    if (o.rewrite)
      lines.push(
        `${indent}rewrite: ${[o.rewrite.host !== undefined ? `host ${o.rewrite.host}` : "", o.rewrite.path !== undefined ? `path ${o.rewrite.path}` : ""].filter(Boolean).join(", ")}`,
      );
    lines.push(...changes("request headers", o.requestHeaders, indent), ...changes("response headers", o.responseHeaders, indent));
    if (o.timeout) lines.push(`${indent}timeout: ${o.timeout}`);
    if (o.mirror) lines.push(`${indent}mirror: ${o.mirror}`);
    for (const b of o.backends)
      lines.push(
        `${indent}-> ${b.kind} ${b.service}${b.port !== undefined ? ` port ${b.port}` : ""}${b.targetPort !== undefined ? ` (pods' port ${b.targetPort})` : ""}, ${pct(b.weight)}${b.problem ? `: 500, ${b.problem}` : ""}`,
      );
  }
  return lines;
}

/** Clusters whose gateways answer alike, on one heading each. */
function clusterLines(hops: readonly ClusterHop[], weightLabel: string, indent: string): string[] {
  const groups = new Map<string, { clusters: string[]; lines: string[] }>();
  for (const hop of hops) {
    const lines = gatewayLines(hop.gateway, `${indent}  `);
    const key = lines.join("\n");
    const entry = groups.get(key) ?? { clusters: [], lines };
    entry.clusters.push(`${hop.cluster}${hop.weight !== undefined ? ` (${weightLabel} ${hop.weight})` : ""}`);
    groups.set(key, entry);
  }
  if (groups.size === 0) return [`${indent}no cluster serves it`];
  return [...groups.values()].flatMap((g) => [`${indent}${g.clusters.join(", ")}:`, ...g.lines]);
}

export function renderTrace(trace: RouteTrace): string {
  const r = trace.request;
  const lines = [`${r.method} ${requestUrl(r)}`];
  lines.push(
    trace.dns.length > 0
      ? `DNS: ${trace.dns.map((d) => `${d.name} ${d.type}${d.setIdentifier ? ` [${d.setIdentifier}${d.routing ? `, ${d.routing}` : ""}]` : ""} ${d.values.join(" ")}`).join("; ")}`
      : `DNS: the stack has no record for ${r.host}; a client reaches the front door only by its address`,
  );
  const f = trace.frontDoor;
  if (f.kind === "none") lines.push(`Front door: ${f.reason}.`);
  else if (f.kind === "gcp") {
    lines.push(`Front door (GCP): forwarding rule ${f.forwardingRule} -> proxy ${f.proxy} -> URL map ${f.urlMap.urlMap}`, ...urlMapLines(f.urlMap));
    for (const b of f.backends) {
      lines.push(`Backend service ${b.backendService} (${pct(b.weight)})${b.problem ? `: ${b.problem}` : ""}`);
      lines.push(
        ...changes(
          "request headers",
          b.requestHeaders.filter((c) => c.by === `backend service ${b.backendService}`),
          "  ",
        ),
      );
      if (b.request.path !== r.path || b.request.host !== r.host) lines.push(`  the gateways receive ${requestUrl(b.request)}`);
      lines.push(...clusterLines(b.clusters, "capacity", "  "));
    }
  } else {
    lines.push(
      f.mode === "accelerator"
        ? `Front door (AWS Global Accelerator): listener ${f.listener}; the client's nearest endpoint group with healthy endpoints takes it`
        : f.groups.some((g) => g.name.startsWith("failover"))
          ? `Front door (AWS DNS failover): the PRIMARY region answers while it is healthy, else the SECONDARY`
          : `Front door (AWS latency DNS): the client's lowest-latency region answers`,
    );
    for (const g of f.groups) {
      lines.push(
        `${f.mode === "accelerator" ? `Endpoint group ${g.region}` : `Record ${g.name} to ${g.region}`}${g.trafficDialPercentage !== undefined ? ` (traffic dial ${g.trafficDialPercentage}%)` : ""}:`,
      );
      lines.push(...clusterLines(g.clusters, "weight", "  "));
    }
  }
  return `${lines.join("\n")}\n`;
}
