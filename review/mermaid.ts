/**
 * A FleetPlan drawn as a Mermaid flowchart: front door -> hosts -> services -> clusters -> gateways.
 * Route edges carry their paths, split weights and header conditions; service edges carry each
 * cluster's weight, and drained clusters are dashed; redirects end in their own node. Pure: the same
 * plan gives the same text, so the committed pictures of the example stacks can be checked for staleness.
 */
import type { ClusterPlan, FleetPlan, HostPlan, RouteMatchPlan, RoutePlan, ServicePlan } from "../spec/plan";

export function fleetDiagram(plan: FleetPlan): string {
  const ids = new NodeIds();
  const nodes: string[] = [];
  const edges: string[] = [];
  const drained: string[] = [];

  const frontDoor = ids.of("frontdoor", "");
  nodes.push(`${frontDoor}(["${label(frontDoorTitle(plan))}"])`);

  for (const host of plan.hosts) {
    const hostId = ids.of("host", host.name);
    nodes.push(`${hostId}["${label([host.name, `cert ${host.certificate}`])}"]`);
    edges.push(`${frontDoor} --> ${hostId}`);
    // One edge per service a host reaches, listing every route that leads there.
    const toService = new Map<string, string[]>();
    const add = (service: string, text: string) => toService.set(service, [...(toService.get(service) ?? []), text]);
    for (const route of host.routes) {
      if (route.action.kind === "redirect") {
        const redirectId = ids.of("redirect", `${host.name} ${route.key}`);
        nodes.push(`${redirectId}{{"${label([`redirect ${route.action.statusCode}`, redirectTarget(route)])}"}}`);
        edges.push(`${hostId} -->|"${label([matchText(route.match)])}"| ${redirectId}`);
        continue;
      }
      const split = route.action.backends.length > 1;
      for (const b of route.action.backends) add(b.service, `${matchText(route.match)}${split ? ` ${b.weight}%` : ""}`);
    }
    if (host.defaultBackend) add(host.defaultBackend.service, "default");
    for (const [service, texts] of toService) edges.push(`${hostId} -->|"${label(texts)}"| ${ids.of("service", service)}`);
  }

  // The environment's catch-all, when a namespace is granted it: straight from the front door.
  if (plan.catchAll)
    edges.push(`${frontDoor} -->|"${label([`unknown hosts and IP requests (${plan.catchAll.ingress})`])}"| ${ids.of("service", plan.catchAll.service)}`);

  for (const service of plan.services) {
    const serviceId = ids.of("service", service.key);
    nodes.push(`${serviceId}["${label(serviceTitle(service))}"]`);
    for (const c of service.clusters) {
      const clusterId = ids.of("cluster", c.cluster);
      edges.push(
        c.drained || c.weight === 0 ? `${serviceId} -.->|"drained"| ${clusterId}` : `${serviceId} -->|"${label([`weight ${c.weight}`])}"| ${clusterId}`,
      );
    }
  }

  for (const cluster of plan.clusters) {
    const clusterId = ids.of("cluster", cluster.name);
    nodes.push(`${clusterId}["${label(clusterTitle(cluster))}"]`);
    if (cluster.drained) drained.push(clusterId);
    if (cluster.gateway) {
      const gatewayId = ids.of("gateway", cluster.name);
      nodes.push(
        `${gatewayId}[["${label([`gateway ${cluster.gateway.namespace}/${cluster.gateway.name}`, `${cluster.gateway.className} :${cluster.gateway.port}`])}"]]`,
      );
      edges.push(`${clusterId} --> ${gatewayId}`);
    }
  }

  const lines = ["flowchart LR", ...nodes.map((n) => `  ${n}`), ...edges.map((e) => `  ${e}`)];
  if (drained.length > 0) lines.push("  classDef drained stroke-dasharray: 5 5,color:#888", `  class ${drained.join(",")} drained`);
  return `${lines.join("\n")}\n`;
}

/** The diagram in a fenced block, as GitHub renders it in Markdown. */
export function fleetDiagramMarkdown(plan: FleetPlan): string {
  return `\`\`\`mermaid\n${fleetDiagram(plan)}\`\`\`\n`;
}

function frontDoorTitle(plan: FleetPlan): string[] {
  const fd = plan.frontDoor;
  if (fd.provider === "gcp")
    return [
      `GCP global load balancer`,
      `address ${fd.addressName}${fd.ipv6 ? " (IPv4 + IPv6)" : ""}`,
      `TLS ≥ ${fd.minTlsVersion}, ${fd.sslPolicyProfile}${fd.securityPolicy ? `, Cloud Armor ${fd.securityPolicy}` : ""}`,
    ];
  return [fd.mode === "accelerator" ? "AWS Global Accelerator" : "Route 53 latency DNS", `regions ${fd.regions.join(", ")}`, `TLS ≥ ${fd.minTlsVersion}`];
}

function serviceTitle(s: ServicePlan): string[] {
  const extras = [s.balancing === "even" ? "even balancing" : "", s.failover.length ? `failover ${s.failover.join(" → ")}` : ""].filter((x) => x !== "");
  return [s.key, `team ${s.team}`, ...extras];
}

function clusterTitle(c: ClusterPlan): string[] {
  return [c.name, `${c.provider} · ${c.region}`, ...(c.drained ? ["drained"] : []), ...(c.gateway ? [] : ["no gateway"])];
}

/** GCE URL-map meaning, as the teams wrote it: `/cart` exact, `/cart/*` below `/cart/`, `/*` everything. */
function matchText(m: RouteMatchPlan): string {
  const path = m.path.type === "Exact" ? m.path.value : `${m.path.value}*`;
  const conditions = [
    ...(m.method !== undefined ? [`method ${m.method}`] : []),
    ...m.headers.map((h) => `header ${h.name}${h.type === "Present" ? "" : h.type === "Exact" ? `=${h.value}` : `~${h.value}`}`),
    ...m.queryParams.map((q) => `query ${q.name}${q.value ? `=${q.value}` : ""}`),
  ];
  return conditions.length ? `${path} if ${conditions.join(" and ")}` : path;
}

function redirectTarget(route: RoutePlan): string {
  if (route.action.kind !== "redirect") return "";
  const a = route.action;
  const target = `${a.scheme ? `${a.scheme}://` : ""}${a.host ?? ""}${a.path ?? a.prefix ?? ""}`;
  return `to ${target || "the same URL"}`;
}

/** Label text with every character Mermaid gives a meaning escaped; lines joined with `<br/>`. */
export function label(lines: readonly string[]): string {
  const escape = (text: string) => text.replace(/[#&"<>|`]/g, (ch) => `#${ch.codePointAt(0)};`);
  return lines.map(escape).join("<br/>");
}

/** Node ids from names: letters, digits and `_` only, unique, and never a Mermaid keyword. */
class NodeIds {
  private readonly byKey = new Map<string, string>();
  private readonly used = new Set<string>();

  of(kind: string, name: string): string {
    const key = `${kind}\u0000${name}`;
    const known = this.byKey.get(key);
    if (known) return known;
    const slug = name.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "");
    const base = slug === "" ? kind : `${kind}_${slug}`;
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    this.byKey.set(key, id);
    return id;
  }
}

export type { HostPlan };
