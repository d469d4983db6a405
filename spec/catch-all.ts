/**
 * The environment's catch-all: who serves requests for host names no rule names, and requests by IP
 * address. Under GKE an ingress with a default backend gets a load balancer of its own, which sends
 * every such request to that backend; most published MultiClusterIngress examples are an ingress with
 * only a default backend. Fleetgate serves every team from one load balancer, so the admin grants one
 * namespace the catch-all (`fleetgate:catchAll: { namespace }`), and an ingress there serves it:
 * - the namespace's ingress with a default backend and no rules, as its own load balancer would;
 * - failing that, its one ingress with rules and a default backend: under GKE that ingress's own load
 *   balancer would answer unknown hosts with its default backend too. (Its backend stays the default of
 *   its hosts either way.)
 * Two candidates of the same kind compete: the first by `namespace/name` serves, and the other is an
 * error. Without the grant, nobody serves it and the gateways answer 404.
 */
import { configPath } from "./environment";
import { keyOf, type Loaded } from "./documents";
import type { PathSegment, Severity } from "./diagnostics";
import type { MultiClusterIngress } from "./schema/documents";
import type { EnvironmentConfig } from "./schema/environment";

type Ingress = Loaded<"MultiClusterIngress", MultiClusterIngress>;

/** The config key of the grant, as the admin writes it. */
export const CATCH_ALL_KEY = configPath("catchAll");

/** How an ingress of the granted namespace can serve the catch-all; lower wins. */
function tierOf(ingress: MultiClusterIngress): 0 | 1 | undefined {
  const spec = ingress.spec.template.spec;
  if (!spec.backend) return undefined;
  return spec.rules.length === 0 ? 0 : 1;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The ingresses that could serve the catch-all, best first: rules-less ones, then the others, each by key. */
function candidates(config: EnvironmentConfig, ingresses: readonly Ingress[]): { loaded: Ingress; tier: 0 | 1 }[] {
  const namespace = config.catchAll?.namespace;
  if (namespace === undefined) return [];
  return ingresses
    .filter((l) => l.doc.metadata.namespace === namespace)
    .flatMap((loaded) => {
      const tier = tierOf(loaded.doc);
      return tier === undefined ? [] : [{ loaded, tier }];
    })
    .sort((a, b) => a.tier - b.tier || compare(keyOf(a.loaded.doc), keyOf(b.loaded.doc)));
}

/** The ingress that serves the catch-all, if the admin granted it and a namespace's ingress can. */
export function catchAllIngress(config: EnvironmentConfig, ingresses: readonly Ingress[]): Ingress | undefined {
  return candidates(config, ingresses)[0]?.loaded;
}

/** The service (`namespace/name`) the catch-all sends to, if any. */
export function catchAllService(config: EnvironmentConfig, ingresses: readonly Ingress[]): string | undefined {
  const served = catchAllIngress(config, ingresses);
  const backend = served?.doc.spec.template.spec.backend;
  return served && backend ? `${served.doc.metadata.namespace}/${backend.serviceName}` : undefined;
}

type DocReport = (doc: Ingress, path: PathSegment[], message: string, severity?: Severity) => void;
type EnvReport = (path: PathSegment[], message: string, severity?: Severity) => void;

/**
 * The catch-all's checks: an ingress with a default backend and no rules needs the grant; two
 * candidates of one kind compete; a grant no ingress uses is a warning at the grant. `unsure` names
 * namespaces with ingresses that failed to load, where an unused grant may not be unused.
 */
export function checkCatchAll(config: EnvironmentConfig, ingresses: readonly Ingress[], at: DocReport, env: EnvReport, unsure: ReadonlySet<string>): void {
  const granted = config.catchAll?.namespace;
  const spec = ["spec", "template", "spec"];
  for (const loaded of ingresses) {
    const namespace = loaded.doc.metadata.namespace;
    if (tierOf(loaded.doc) !== 0 || namespace === granted) continue;
    const grant = `fleetgate:catchAll: { namespace: ${namespace} }`;
    const why =
      "has a default backend but no rules, so under GKE its own load balancer would serve every request that reaches it; Fleetgate serves every team from one load balancer, where only the namespace the admin grants the environment's catch-all (requests for host names no rule names, and requests by IP address) may serve them";
    at(
      loaded,
      spec,
      granted === undefined
        ? `${why}. Name the hosts this ingress serves in rules, or ask the admin to add \`${grant}\` to the stack file`
        : `${why}, and the admin grants it to namespace ${granted} (${configPath("catchAll", "namespace")}). Name the hosts this ingress serves in rules, or ask the admin to set \`${grant}\` instead`,
    );
  }
  if (granted === undefined) return;

  const list = candidates(config, ingresses);
  const winner = list[0];
  for (const other of list.slice(1)) {
    if (other.tier !== winner!.tier) break;
    const where = winner!.loaded.locate([...spec, "backend"]);
    const first = `${keyOf(winner!.loaded.doc)} (${where.file}:${where.line ?? 1})`;
    at(
      other.loaded,
      [...spec, "backend"],
      other.tier === 0
        ? `competes for the environment's catch-all with ${first}: both have a default backend and no rules, and one ingress serves the catch-all; remove one, or name this one's hosts in rules`
        : `competes for the environment's catch-all with ${first}: namespace ${granted} has no ingress with only a default backend, and both of these have rules and a default backend, which GKE would each serve unknown hosts with; add an ingress with only a default backend to say which service serves them`,
    );
  }
  if (!winner && !unsure.has(granted))
    env(
      ["catchAll", "namespace"],
      `grants namespace ${granted} the environment's catch-all, but no MultiClusterIngress there has a default backend (spec.template.spec.backend), so requests for unknown hosts and by IP address are answered 404; add an ingress with only a default backend to ${granted}, or remove the grant`,
      "warning",
    );
}
