/**
 * What the admin must add to `stacks/Pulumi.<env>.yaml` for imported documents to plan: the hosts each
 * namespace's ingresses name (`fleetgate:hostOwnership`), the catch-all grant for a namespace whose
 * ingress has only a default backend (`fleetgate:catchAll`), and the addresses GKE served the ingresses
 * on. Printed as a YAML fragment under `config:`, and applied to a stack file's text by the same rule an
 * admin follows by hand: a list is appended to the list already there, anything else is set.
 */
import { isMap, parseDocument, stringify, YAMLSeq } from "yaml";
import { ownersOf, hostGrants } from "../spec/host-ownership";
import { ENVIRONMENT_KEYS } from "../spec/schema/environment";
import { ANNOTATIONS } from "../spec/schema/documents";
import type { ImportedObject } from "./import";

export interface IngressFacts {
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly hosts: readonly string[];
  readonly defaultBackend?: string;
  readonly staticIp?: string;
  readonly vip?: string;
  readonly preSharedCerts?: string;
  readonly tlsSecrets: readonly string[];
}

/** The facts of an imported MultiClusterIngress the settings and the report need, read defensively. */
export function ingressFacts(object: ImportedObject): IngressFacts {
  const metadata = object.object.metadata as { annotations?: Record<string, unknown> };
  const spec = ((object.object.spec as { template?: { spec?: unknown } } | undefined)?.template?.spec ?? {}) as {
    backend?: { serviceName?: unknown; servicePort?: unknown };
    rules?: { host?: unknown }[];
    tls?: { secretName?: unknown }[];
  };
  const annotations = metadata.annotations ?? {};
  const text = (key: string) => (typeof annotations[key] === "string" ? (annotations[key] as string) : undefined);
  const hosts = [...new Set((Array.isArray(spec.rules) ? spec.rules : []).flatMap((r) => (typeof r?.host === "string" ? [r.host] : [])))].sort();
  const backend = spec.backend && typeof spec.backend.serviceName === "string" ? `${spec.backend.serviceName}:${String(spec.backend.servicePort)}` : undefined;
  const staticIp = text(ANNOTATIONS.staticIp);
  const preShared = text(ANNOTATIONS.gkePreSharedCerts);
  return {
    key: `${object.namespace}/${object.name}`,
    namespace: object.namespace,
    hosts,
    ...(backend !== undefined ? { defaultBackend: backend } : {}),
    ...(staticIp !== undefined ? { staticIp } : {}),
    ...(object.vip !== undefined ? { vip: object.vip } : {}),
    ...(preShared !== undefined ? { preSharedCerts: preShared } : {}),
    tlsSecrets: (Array.isArray(spec.tls) ? spec.tls : []).flatMap((t) => (typeof t?.secretName === "string" ? [t.secretName] : [])),
  };
}

export interface AddressToAdopt {
  /** What GKE was told (the static-ip annotation: an IP address or an address name), if anything. */
  readonly staticIp?: string;
  /** The address GKE served the ingress on (status.VIP). */
  readonly vip?: string;
  readonly ingresses: readonly string[];
}

export interface AdminSettings {
  /** Grants to add: per namespace, the hosts it is not granted yet. */
  readonly hostOwnership: readonly { readonly namespace: string; readonly domains: readonly string[] }[];
  /** Hosts a namespace names that the admin has granted to another namespace. */
  readonly conflicts: readonly { readonly host: string; readonly namespace: string; readonly owners: readonly string[] }[];
  /** The namespace to grant the catch-all, when exactly one namespace needs it and none is granted. */
  readonly catchAll?: string;
  /** Namespaces whose ingress has only a default backend: they need the catch-all. */
  readonly catchAllCandidates: readonly string[];
  /** The namespace the stack already grants the catch-all, if any. */
  readonly grantedCatchAll?: string;
  readonly addresses: readonly AddressToAdopt[];
}

/** Whether this Fleetgate reads `fleetgate:catchAll` (the key the catch-all grant lives in). */
export const CATCH_ALL_KEY_KNOWN = "catchAll" in ENVIRONMENT_KEYS;

export function adminSettings(ingresses: readonly IngressFacts[], stackValues: Readonly<Record<string, unknown>>): AdminSettings {
  const ownership = Array.isArray(stackValues.hostOwnership) ? (stackValues.hostOwnership as { namespace: string; domains: string[] }[]).filter((o) => typeof o?.namespace === "string" && Array.isArray(o.domains)) : [];
  const grants = hostGrants(ownership);
  const wanted = new Map<string, Set<string>>();
  const conflicts: { host: string; namespace: string; owners: string[] }[] = [];
  for (const ingress of ingresses)
    for (const host of ingress.hosts) {
      const { owners } = ownersOf(host, grants);
      if (owners.has(ingress.namespace)) continue;
      if (owners.size > 0) {
        if (!conflicts.some((c) => c.host === host && c.namespace === ingress.namespace)) conflicts.push({ host, namespace: ingress.namespace, owners: [...owners].sort() });
        continue;
      }
      wanted.set(ingress.namespace, (wanted.get(ingress.namespace) ?? new Set()).add(host));
    }
  const hostOwnership = [...wanted.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([namespace, domains]) => ({ namespace, domains: [...domains].sort() }));

  const candidates = [...new Set(ingresses.filter((i) => i.hosts.length === 0 && i.defaultBackend !== undefined).map((i) => i.namespace))].sort();
  const granted = (stackValues.catchAll as { namespace?: unknown } | undefined)?.namespace;
  const grantedCatchAll = typeof granted === "string" ? granted : undefined;
  const catchAll = grantedCatchAll === undefined && candidates.length === 1 ? candidates[0] : undefined;

  const byAddress = new Map<string, { staticIp?: string; vip?: string; ingresses: string[] }>();
  for (const i of ingresses) {
    if (i.staticIp === undefined && i.vip === undefined) continue;
    // An annotation that is the VIP itself, or a name GKE resolved to it, is one address.
    const key = i.vip ?? i.staticIp!;
    const entry = byAddress.get(key) ?? { ingresses: [] };
    if (i.staticIp !== undefined) entry.staticIp = i.staticIp;
    if (i.vip !== undefined) entry.vip = i.vip;
    entry.ingresses.push(i.key);
    byAddress.set(key, entry);
  }
  const addresses = [...byAddress.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, a]) => ({ ...a, ingresses: a.ingresses.sort() }));
  return { hostOwnership, conflicts, ...(catchAll !== undefined ? { catchAll } : {}), catchAllCandidates: candidates, ...(grantedCatchAll !== undefined ? { grantedCatchAll } : {}), addresses };
}

/**
 * The settings as a YAML fragment under `config:`; empty when there is nothing to add. The catch-all
 * grant is written whether or not this Fleetgate reads the key yet (scripts/import.ts says so), so the
 * admin sees what the migration needs.
 */
export function adminFragment(settings: AdminSettings, options: { catchAllKnown?: boolean } = {}): string {
  const config: Record<string, unknown> = {};
  if (settings.hostOwnership.length > 0) config["fleetgate:hostOwnership"] = settings.hostOwnership.map((o) => ({ namespace: o.namespace, domains: [...o.domains] }));
  if (settings.catchAll !== undefined && (options.catchAllKnown ?? CATCH_ALL_KEY_KNOWN)) config["fleetgate:catchAll"] = { namespace: settings.catchAll };
  return Object.keys(config).length === 0 ? "" : stringify(config, { lineWidth: 0 });
}

/**
 * A stack file's text with a fragment applied under `config:`: a list value is appended to the list
 * the key already has, any other value replaces the key's. Comments and the order of other keys stay.
 */
export function applyFragment(stackText: string, fragment: string): string {
  if (fragment.trim() === "") return stackText;
  const doc = parseDocument(stackText);
  const additions = parseDocument(fragment).toJS() as Record<string, unknown>;
  let config = doc.get("config", true);
  if (!isMap(config)) {
    doc.set("config", doc.createNode({}));
    config = doc.get("config", true);
  }
  for (const [key, value] of Object.entries(additions)) {
    const current = doc.getIn(["config", key], true);
    if (Array.isArray(value) && current instanceof YAMLSeq) for (const item of value) current.add(doc.createNode(item));
    else doc.setIn(["config", key], doc.createNode(value));
  }
  return doc.toString({ lineWidth: 0 });
}
