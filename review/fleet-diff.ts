/**
 * What changed in an environment's spec, by who owns it: the platform admin (the stack file: clusters,
 * front door, DNS, trust, mesh) and each team (its folder under stacks/<env>/: services and the routes
 * of its ingresses). Read from two FleetPlans, whose services and routes carry the team folder they
 * came from, so a reviewer sees which team's change a resource change comes from.
 */
import type { ClusterPlan, FleetPlan, HostPlan, RoutePlan, ServicePlan } from "../spec/plan";
import { diffIstioWaves, istioWaveLines } from "./istio-waves-diff";
import { changedLeaves, code, formatPath, formatValue, sameValue } from "./values";

/** One owner's changes: `platform` for the stack file, otherwise a team folder. */
export interface OwnerChanges {
  readonly owner: string;
  /** Where the owner's files are, e.g. `stacks/dev/shop/`. */
  readonly files: string;
  readonly lines: readonly string[];
}

export const PLATFORM = "platform";
const MAX_FIELDS = 8;

export function diffFleets(base: FleetPlan | undefined, head: FleetPlan | undefined): OwnerChanges[] {
  const environment = head?.environment ?? base?.environment ?? "";
  const byOwner = new Map<string, string[]>();
  const say = (owner: string, line: string) => byOwner.set(owner, [...(byOwner.get(owner) ?? []), line]);

  // --- the platform admin's stack file
  for (const { key, before, after } of keyed(base?.clusters ?? [], head?.clusters ?? [], (c) => c.name)) {
    if (!before) say(PLATFORM, `cluster ${code(key)} added (${after!.provider}, ${after!.region})`);
    else if (!after) say(PLATFORM, `cluster ${code(key)} removed`);
    else if (before.drained !== after.drained) say(PLATFORM, `cluster ${code(key)} ${after.drained ? "drained" : "no longer drained"}`);
    else fields(`cluster ${code(key)}`, withoutIstioWave(before), withoutIstioWave(after)).forEach((l) => say(PLATFORM, l));
  }
  // Istio's revisions and revision tag, per upgrade wave, and what the upgrade guard refuses of the step.
  istioWaveLines(diffIstioWaves(base, head)).forEach((l) => say(PLATFORM, l));
  // What follows from clusters, hosts and services (gateway hosts, zone hosts, intermediates, remote
  // secrets) is left out: it is shown where it comes from, and in the resource diff.
  const own = (plan: FleetPlan | undefined) =>
    plan && {
      frontDoor: plan.frontDoor,
      dnsZones: plan.dnsZones.map((z) => ({ ...z, hosts: undefined })),
      trust: { ...plan.trust, intermediates: undefined },
      mesh: { meshId: plan.mesh.meshId, istioVersion: plan.mesh.istioVersion },
    };
  const [ownBase, ownHead] = [own(base), own(head)];
  for (const part of ["frontDoor", "dnsZones", "trust", "mesh"] as const) fields(part, ownBase?.[part], ownHead?.[part]).forEach((l) => say(PLATFORM, l));

  // --- the teams' documents
  for (const { key, before, after } of keyed(base?.services ?? [], head?.services ?? [], (s) => s.key)) {
    const team = (after ?? before)!.team;
    if (!before) say(team, `service ${code(key)} added, served from ${clusterWeights(after!)}`);
    else if (!after) say(team, `service ${code(key)} removed`);
    else {
      if (!sameValue(before.clusters, after.clusters)) say(team, `service ${code(key)}: clusters ${clusterWeights(before)} → ${clusterWeights(after)}`);
      // Clusters are shown above; hosts and the health check's host header follow from the routes.
      const own = (s: ServicePlan) => ({
        ...s,
        clusters: undefined,
        hosts: undefined,
        ports: s.ports.map((p) => ({ ...p, healthCheck: { ...p.healthCheck, host: undefined } })),
      });
      fields(`service ${code(key)}`, own(before), own(after)).forEach((l) => say(team, l));
    }
  }
  for (const { key, before, after } of keyed(base?.hosts ?? [], head?.hosts ?? [], (h) => h.name)) {
    const owners = teamsOf((after ?? before)!);
    if (!before) owners.forEach((t) => say(t, `host ${code(key)} added`));
    else if (!after) owners.forEach((t) => say(t, `host ${code(key)} removed`));
    else {
      for (const r of keyed(before.routes, after.routes, (x) => x.key)) {
        const route = (r.after ?? r.before)!;
        const where = `host ${code(key)} route ${code(routeText(route))}`;
        if (!r.before) say(route.team, `${where} added: ${actionText(route)}`);
        else if (!r.after) say(route.team, `${where} removed`);
        else if (!sameValue(r.before.action, r.after.action)) say(route.team, `${where}: ${actionText(r.before)} → ${actionText(r.after)}`);
        else if (r.before.priority !== r.after.priority) say(route.team, `${where}: priority ${r.before.priority} → ${r.after.priority}`);
      }
      if (!sameValue(before.defaultBackend, after.defaultBackend))
        owners.forEach((t) => say(t, `host ${code(key)} default backend ${backendText(before)} → ${backendText(after)}`));
    }
  }
  // Who serves unknown hosts and requests by IP address: the admin grants it, a team's ingress serves it.
  if (!sameValue(base?.catchAll, head?.catchAll)) {
    const line = `unknown hosts and requests by IP address: ${catchAllText(base)} → ${catchAllText(head)}`;
    for (const owner of new Set([base?.catchAll?.team, head?.catchAll?.team].filter((t) => t !== undefined))) say(owner, line);
    if (base?.catchAll === undefined || head?.catchAll === undefined) say(PLATFORM, line);
  }

  return [...byOwner.entries()]
    .sort(([a], [b]) => (a === PLATFORM ? -1 : b === PLATFORM ? 1 : a < b ? -1 : 1))
    .map(([owner, lines]) => ({ owner, files: owner === PLATFORM ? `stacks/Pulumi.${environment}.yaml` : `stacks/${environment}/${owner}/`, lines }));
}

/** A cluster without what is shown elsewhere: its gateway, and its Istio revisions and wave (shown per wave). */
function withoutIstioWave(c: ClusterPlan) {
  return { ...c, gateway: undefined, istio: { ...c.istio, revisions: undefined, serving: undefined, wave: undefined } };
}

export function renderFleetDiff(changes: readonly OwnerChanges[]): string {
  if (changes.length === 0) return "#### Spec changes by owner\n\nThe spec resolves to the same plan.\n";
  const lines = ["#### Spec changes by owner", ""];
  for (const c of changes) {
    lines.push(`- **${c.owner === PLATFORM ? "platform admin" : `team ${code(c.owner)}`}** (${code(c.files)})`);
    lines.push(...c.lines.map((l) => `  - ${l}`));
  }
  return `${lines.join("\n")}\n`;
}

function keyed<T>(before: readonly T[], after: readonly T[], key: (t: T) => string): { key: string; before?: T; after?: T }[] {
  const b = new Map(before.map((t) => [key(t), t]));
  const a = new Map(after.map((t) => [key(t), t]));
  return [...new Set([...b.keys(), ...a.keys()])]
    .sort()
    .map((k) => ({ key: k, ...(b.has(k) ? { before: b.get(k)! } : {}), ...(a.has(k) ? { after: a.get(k)! } : {}) }));
}

function fields(what: string, before: unknown, after: unknown): string[] {
  const changed = changedLeaves(before, after);
  const shown = changed.slice(0, MAX_FIELDS).map((c) => `${what}: ${code(formatPath(c.path))} ${code(formatValue(c.before))} → ${code(formatValue(c.after))}`);
  return changed.length > MAX_FIELDS ? [...shown, `${what}: … and ${changed.length - MAX_FIELDS} more changed fields`] : shown;
}

function clusterWeights(s: ServicePlan): string {
  return s.clusters.map((c) => `${c.cluster} ${c.drained ? "drained" : `weight ${c.weight}`}`).join(", ") || "no cluster";
}

function teamsOf(host: HostPlan): string[] {
  return [...new Set(host.routes.map((r) => r.team))].sort();
}

function routeText(r: RoutePlan): string {
  const path = r.match.path.type === "Exact" ? r.match.path.value : `${r.match.path.value}*`;
  const conditions = [
    ...(r.match.method !== undefined ? [`method ${r.match.method}`] : []),
    ...r.match.headers.map((h) => `header ${h.name}`),
    ...r.match.queryParams.map((q) => `query ${q.name}`),
  ];
  return conditions.length ? `${path} if ${conditions.join(" and ")}` : path;
}

function actionText(r: RoutePlan): string {
  const a = r.action;
  if (a.kind === "redirect") return `redirect ${a.statusCode} to ${a.host ?? ""}${a.path ?? a.prefix ?? ""}`;
  return a.backends.map((b) => `${b.service}:${b.port} ${b.weight}%`).join(", ");
}

function catchAllText(plan: FleetPlan | undefined): string {
  const c = plan?.catchAll;
  return c ? `${code(`${c.service}:${c.port}`)} (ingress ${code(c.ingress)})` : "(the gateways' 404)";
}

function backendText(h: HostPlan): string {
  return h.defaultBackend ? code(`${h.defaultBackend.service}:${h.defaultBackend.port}`) : "(the gateways' 404)";
}
