/**
 * Who owns a host: the admin's grants (`fleetgate:hostOwnership`) read the way routing reads hosts,
 * most specific first. A host granted exactly to one namespace is that namespace's even where another
 * namespace holds a wildcard over it, and a wildcard over a longer domain beats one over a shorter; so
 * a wide grant cannot be used to route on a narrower owner's host, nor to claim its paths first.
 */
import type { PathSegment } from "./diagnostics";
import { configPath } from "./environment";
import { hostMatchesPattern } from "./names";

export interface HostGrant {
  readonly namespace: string;
  readonly pattern: string;
  /** Where the grant is written: `["hostOwnership", i, "domains", d]`. */
  readonly path: readonly PathSegment[];
}

export function hostGrants(ownership: readonly { readonly namespace: string; readonly domains: readonly string[] }[]): HostGrant[] {
  return ownership.flatMap((owner, i) =>
    owner.domains.map((pattern, d) => ({ namespace: owner.namespace, pattern, path: ["hostOwnership", i, "domains", d] })),
  );
}

/** Higher is more specific: an exact host beats every wildcard; a wildcard ranks by its domain's labels. */
export function grantSpecificity(pattern: string): number {
  const labels = pattern.split(".").length;
  return pattern.startsWith("*.") ? 2 * (labels - 1) : 2 * labels + 1;
}

export interface HostOwnership {
  /** The namespaces of the most specific grants that cover the host (several when granted alike). */
  readonly owners: ReadonlySet<string>;
  /** Those most specific grants. */
  readonly grants: readonly HostGrant[];
}

/** The owners of a host (itself possibly a wildcard): the namespaces of its most specific grants. */
export function ownersOf(host: string, grants: readonly HostGrant[]): HostOwnership {
  let best = -1;
  let winners: HostGrant[] = [];
  for (const grant of grants) {
    if (!hostMatchesPattern(host, grant.pattern)) continue;
    const rank = grantSpecificity(grant.pattern);
    if (rank > best) [best, winners] = [rank, [grant]];
    else if (rank === best) winners.push(grant);
  }
  return { owners: new Set(winners.map((g) => g.namespace)), grants: winners };
}

/** A wider grant of one namespace that covers a narrower grant of another. */
export interface GrantOverlap {
  readonly wider: HostGrant;
  readonly narrower: HostGrant;
}

/** Every pair of grants of different namespaces where one covers the other, widest first. */
export function grantOverlaps(grants: readonly HostGrant[]): GrantOverlap[] {
  const out: GrantOverlap[] = [];
  for (const wider of grants) {
    if (!wider.pattern.startsWith("*.")) continue;
    for (const narrower of grants)
      if (narrower.namespace !== wider.namespace && narrower.pattern !== wider.pattern && hostMatchesPattern(narrower.pattern, wider.pattern))
        out.push({ wider, narrower });
  }
  return out;
}

/** Why a namespace does not own a host, and what to do: the grant that wins over its own, or its grants. */
export function whyNotOwned(host: string, namespace: string, owned: readonly string[], grants: readonly HostGrant[]): string {
  const winner = ownersOf(host, grants).grants[0];
  const own = owned.find((pattern) => hostMatchesPattern(host, pattern));
  if (winner && own !== undefined)
    return `the admin grants it to namespace ${winner.namespace} by "${winner.pattern}" (${configPath(...(winner.path as [string, ...(string | number)[]]))}), which is more specific than this namespace's "${own}" and wins; use another host, or ask the admin to grant it to both`;
  return `${owned.length ? `the admin allows it ${owned.join(", ")}` : "the admin allows it no host names"} (fleetgate:hostOwnership); ask the admin, or use a host the namespace owns`;
}
