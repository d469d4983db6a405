/**
 * `npm run routes` output: every host's rules in the order the front door (GCP: the URL map) or the
 * gateways (AWS) try them, with what each does, the clusters that serve it and the host's owners.
 */
import type { FleetPlan } from "../../spec/plan";
import type { ClusterObjects, RoutingConfig, UrlMapInput } from "./config";
import { attaches, candidateRoutes } from "./gateway";
import { describeGatewayMatch } from "./matching";
import { orderMatches } from "./precedence";
import { describeMatchRule, headerChanges, REDIRECT_STATUS } from "./url-map";

export interface RouteRow {
  readonly host: string;
  readonly port: number;
  /** `priority 10`, `default`, or the gateway's rank (1 is tried first). */
  readonly order: string;
  readonly match: string;
  /** What the rule does: backends with weights, a redirect, an answer. */
  readonly action: string;
  readonly clusters: readonly string[];
  readonly owners: readonly string[];
}

const lastSegment = (url: string) => url.slice(url.lastIndexOf("/") + 1);

function ownersOf(plan: FleetPlan | undefined, host: string): string[] {
  const exact = plan?.hosts.find((h) => h.name === host);
  return exact ? [...exact.owners] : [];
}

/** A backend service by what it serves: its dispatch tag (`shop/cart:80`) or its name. */
function backendName(config: RoutingConfig, service: string): string {
  const s = config.gcp?.backendServices.get(service);
  const tag = s?.customRequestHeaders.find((h) => h.startsWith("x-fleetgate-backend:"));
  return tag ? `${tag.slice(tag.indexOf(":") + 1)} (${service})` : service;
}

function gcpClusters(config: RoutingConfig, services: readonly string[]): string[] {
  const out = new Set<string>();
  for (const name of services)
    for (const b of config.gcp?.backendServices.get(name)?.backends ?? [])
      if (b.cluster !== undefined) out.add(b.capacityScaler === 0 ? `${b.cluster} (drained)` : b.cluster);
  return [...out].sort();
}

type Target = {
  service?: string;
  routeAction?: NonNullable<UrlMapInput["defaultRouteAction"]>;
  urlRedirect?: UrlMapInput["defaultUrlRedirect"];
  headerAction?: UrlMapInput["headerAction"];
};

function gcpAction(config: RoutingConfig, t: Target): { action: string; services: string[] } {
  if (t.urlRedirect) {
    const r = t.urlRedirect;
    const to = [
      r.httpsRedirect ? "https" : "",
      r.hostRedirect ? `host ${r.hostRedirect}` : "",
      r.pathRedirect ? `path ${r.pathRedirect}` : "",
      r.prefixRedirect ? `prefix ${r.prefixRedirect}` : "",
    ]
      .filter(Boolean)
      .join(", ");
    return { action: `redirect ${REDIRECT_STATUS[r.redirectResponseCode ?? "MOVED_PERMANENTLY_DEFAULT"] ?? 301} to ${to || "same URL"}`, services: [] };
  }
  const abort = t.routeAction?.faultInjectionPolicy?.abort;
  if (abort && (abort.percentage ?? 0) >= 100) return { action: `answer ${abort.httpStatus ?? 503}`, services: [] };
  const weighted = t.routeAction?.weightedBackendServices ?? [];
  const total = weighted.reduce((s, w) => s + w.weight, 0) || 1;
  const services = weighted.length > 0 ? weighted.map((w) => lastSegment(w.backendService)) : t.service ? [lastSegment(t.service)] : [];
  const parts =
    weighted.length > 0
      ? weighted.map((w) => `${backendName(config, lastSegment(w.backendService))} ${Math.round((w.weight * 1000) / total) / 10}%`)
      : services.map((s) => backendName(config, s));
  const rewrite = t.routeAction?.urlRewrite;
  const extras = [
    ...(rewrite?.hostRewrite ? [`host -> ${rewrite.hostRewrite}`] : []),
    ...(rewrite?.pathPrefixRewrite !== undefined ? [`path -> ${rewrite.pathPrefixRewrite}`] : []),
    ...[...headerChanges(t.headerAction, "").request].map((c) => `${c.op} ${c.name}`),
  ];
  return { action: `${parts.join(" + ") || "nothing (404)"}${extras.length ? ` [${extras.join("; ")}]` : ""}`, services };
}

function gcpRows(config: RoutingConfig, plan: FleetPlan | undefined): RouteRow[] {
  const rows: RouteRow[] = [];
  const maps = new Map<string, number>();
  for (const f of config.gcp?.forwardingRules ?? []) {
    const proxy = config.gcp!.proxies.get(f.proxy);
    if (proxy && !maps.has(proxy.urlMap)) maps.set(proxy.urlMap, f.ports[0]);
  }
  for (const [mapName, port] of [...maps].sort(([, a], [, b]) => b - a)) {
    const map = config.gcp!.urlMaps.get(mapName);
    if (!map) continue;
    const row = (host: string, order: string, match: string, t: Target) => {
      const { action, services } = gcpAction(config, t);
      rows.push({ host, port, order, match, action, clusters: gcpClusters(config, services), owners: ownersOf(plan, host) });
    };
    for (const hostRule of [...(map.hostRules ?? [])].sort((a, b) => (a.hosts[0]! < b.hosts[0]! ? -1 : 1))) {
      const matcher = map.pathMatchers?.find((m) => m.name === hostRule.pathMatcher);
      if (!matcher) continue;
      for (const host of hostRule.hosts) {
        for (const rule of [...(matcher.routeRules ?? [])].sort((a, b) => a.priority - b.priority))
          row(host, `priority ${rule.priority}`, (rule.matchRules?.length ? rule.matchRules : [{}]).map(describeMatchRule).join(" | "), rule);
        for (const rule of matcher.pathRules ?? []) row(host, "path rule", rule.paths.join(" | "), rule);
        row(host, "default", "any other path", {
          ...(matcher.defaultService ? { service: matcher.defaultService } : {}),
          ...(matcher.defaultRouteAction ? { routeAction: matcher.defaultRouteAction } : {}),
          ...(matcher.defaultUrlRedirect ? { urlRedirect: matcher.defaultUrlRedirect } : {}),
        });
      }
    }
    row("(any other host)", "default", "any path", {
      ...(map.defaultService ? { service: map.defaultService } : {}),
      ...(map.defaultRouteAction ? { routeAction: map.defaultRouteAction } : {}),
      ...(map.defaultUrlRedirect ? { urlRedirect: map.defaultUrlRedirect } : {}),
    });
  }
  return rows;
}

/** The rules a gateway tries for a listener host name on a port, in order, as rows (one cluster). */
function gatewayRows(cluster: ClusterObjects, plan: FleetPlan | undefined): RouteRow[] {
  const rows: RouteRow[] = [];
  // A listener without host name serves the host names of the routes attached to it.
  const pairs = cluster.gateways.flatMap((g) =>
    g.spec.listeners.flatMap((l) =>
      l.hostname !== undefined
        ? [{ listener: l, host: l.hostname }]
        : [...new Set(cluster.routes.filter((r) => attaches(r, g, l)).flatMap((r) => r.spec.hostnames ?? ["(any host)"]))].map((host) => ({
            listener: l,
            host,
          })),
    ),
  );
  for (const { listener, host } of pairs) {
    const candidates = candidateRoutes(cluster, listener.port, host);
    const ordered = orderMatches(
      candidates.flatMap((c) =>
        (c.route.spec.rules ?? []).flatMap((rule, ruleIndex) =>
          (rule.matches?.length ? rule.matches : [{}]).map((match, matchIndex) => ({
            route: c.route,
            routeKey: `${c.route.metadata.namespace}/${c.route.metadata.name}`,
            ruleIndex,
            matchIndex,
            match,
          })),
        ),
      ),
    );
    ordered.forEach((m, i) => {
      const rule = m.route.spec.rules![m.ruleIndex]!;
      const redirect = rule.filters?.find((f) => f.type === "RequestRedirect")?.requestRedirect;
      const refs = (rule.backendRefs ?? []).filter((b) => (b.weight ?? 1) > 0);
      const total = refs.reduce((s, b) => s + (b.weight ?? 1), 0);
      const action = redirect
        ? `redirect ${redirect.statusCode ?? 302} to ${[redirect.scheme, redirect.hostname, redirect.path?.replaceFullPath ?? redirect.path?.replacePrefixMatch].filter(Boolean).join(" ") || "same URL"}`
        : refs.length === 0
          ? "answer 500"
          : refs
              .map(
                (b) =>
                  `${b.namespace ?? m.route.metadata.namespace}/${b.name}:${b.port ?? ""}${refs.length > 1 ? ` ${Math.round(((b.weight ?? 1) * 1000) / total) / 10}%` : ""}`,
              )
              .join(" + ");
      rows.push({
        host,
        port: listener.port,
        order: `${i + 1}`,
        match: describeGatewayMatch(m.match),
        action,
        clusters: [cluster.name],
        owners: ownersOf(plan, host),
      });
    });
  }
  return rows;
}

/** Every host's rules in precedence order. `host` keeps one host's rows. */
export function routeRows(config: RoutingConfig, plan?: FleetPlan, host?: string): RouteRow[] {
  let rows: RouteRow[];
  if (config.gcp) rows = gcpRows(config, plan);
  else {
    // The same rule in several clusters is one row with all of them.
    const merged = new Map<string, RouteRow>();
    for (const cluster of config.clusters.values())
      for (const row of gatewayRows(cluster, plan)) {
        const key = `${row.host}\n${row.port}\n${row.order}\n${row.match}\n${row.action}`;
        const prior = merged.get(key);
        merged.set(key, prior ? { ...prior, clusters: [...prior.clusters, ...row.clusters].sort() } : row);
      }
    rows = [...merged.values()].sort((a, b) => (a.host !== b.host ? (a.host < b.host ? -1 : 1) : b.port - a.port || Number(a.order) - Number(b.order)));
  }
  return host === undefined ? rows : rows.filter((r) => r.host === host);
}

export function renderRows(rows: readonly RouteRow[]): string {
  const header = ["HOST", "PORT", "ORDER", "MATCH", "ACTION", "CLUSTERS", "OWNERS"];
  const cells = rows.map((r) => [r.host, String(r.port), r.order, r.match, r.action, r.clusters.join(", ") || "-", r.owners.join(", ") || "-"]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    c
      .map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return `${[line(header), ...cells.map(line)].join("\n")}\n`;
}
