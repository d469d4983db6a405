/**
 * What the admin must add to `stacks/Pulumi.<env>.yaml` for imported documents to plan: the hosts each
 * namespace's ingresses name (`fleetgate:hostOwnership`), the catch-all grant for a namespace whose
 * ingress has only a default backend (`fleetgate:catchAll`), and the addresses GKE served the ingresses
 * on (`fleetgate:gcp.adoptAddresses`). Printed as a YAML fragment under `config:`, and applied to a stack
 * file's text by the same rule an admin follows by hand: a list is appended to the list already there, a
 * map is merged into the map there, anything else is set.
 */
import { isMap, parseDocument, stringify, YAMLSeq } from "yaml";
import { ownersOf, hostGrants } from "../spec/host-ownership";
import { ENVIRONMENT_KEYS } from "../spec/schema/environment";
import { ANNOTATIONS } from "../spec/schema/documents";
import { importedAddresses, lookupPlaceholder, type AddressToKeep, type ImportedAddresses } from "./addresses";
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
  /** The addresses GKE served the ingresses on: to adopt behind GCP, lost behind AWS (migrate/addresses.ts). */
  readonly addresses: ImportedAddresses;
}

/** Whether this Fleetgate reads `fleetgate:catchAll` (the key the catch-all grant lives in). */
export const CATCH_ALL_KEY_KNOWN = "catchAll" in ENVIRONMENT_KEYS;

export function adminSettings(ingresses: readonly IngressFacts[], stackValues: Readonly<Record<string, unknown>>, environment: string): AdminSettings {
  const ownership = Array.isArray(stackValues.hostOwnership)
    ? (stackValues.hostOwnership as { namespace: string; domains: string[] }[]).filter((o) => typeof o?.namespace === "string" && Array.isArray(o.domains))
    : [];
  const grants = hostGrants(ownership);
  const wanted = new Map<string, Set<string>>();
  const conflicts: { host: string; namespace: string; owners: string[] }[] = [];
  for (const ingress of ingresses)
    for (const host of ingress.hosts) {
      const { owners } = ownersOf(host, grants);
      if (owners.has(ingress.namespace)) continue;
      if (owners.size > 0) {
        if (!conflicts.some((c) => c.host === host && c.namespace === ingress.namespace))
          conflicts.push({ host, namespace: ingress.namespace, owners: [...owners].sort() });
        continue;
      }
      wanted.set(ingress.namespace, (wanted.get(ingress.namespace) ?? new Set()).add(host));
    }
  const hostOwnership = [...wanted.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([namespace, domains]) => ({ namespace, domains: [...domains].sort() }));

  const candidates = [...new Set(ingresses.filter((i) => i.hosts.length === 0 && i.defaultBackend !== undefined).map((i) => i.namespace))].sort();
  const granted = (stackValues.catchAll as { namespace?: unknown } | undefined)?.namespace;
  const grantedCatchAll = typeof granted === "string" ? granted : undefined;
  const catchAll = grantedCatchAll === undefined && candidates.length === 1 ? candidates[0] : undefined;

  const addresses = importedAddresses(ingresses, stackValues, environment);
  return {
    hostOwnership,
    conflicts,
    ...(catchAll !== undefined ? { catchAll } : {}),
    catchAllCandidates: candidates,
    ...(grantedCatchAll !== undefined ? { grantedCatchAll } : {}),
    addresses,
  };
}

/**
 * The settings as a YAML fragment under `config:`; empty when there is nothing to add. The catch-all
 * grant is written whether or not this Fleetgate reads the key yet (scripts/import.ts says so), so the
 * admin sees what the migration needs.
 */
export function adminFragment(settings: AdminSettings, options: { catchAllKnown?: boolean } = {}): string {
  const config: Record<string, unknown> = {};
  if (settings.hostOwnership.length > 0)
    config["fleetgate:hostOwnership"] = settings.hostOwnership.map((o) => ({ namespace: o.namespace, domains: [...o.domains] }));
  if (settings.catchAll !== undefined && (options.catchAllKnown ?? CATCH_ALL_KEY_KNOWN)) config["fleetgate:catchAll"] = { namespace: settings.catchAll };
  const adopt = settings.addresses.keep.filter((k) => k.adoptedAs === undefined && k.name !== undefined && k.address !== undefined);
  if (adopt.length > 0) config["fleetgate:gcp"] = { adoptAddresses: adopt.map((k) => ({ name: k.name, address: k.address })) };
  return Object.keys(config).length === 0 ? "" : stringify(config, { lineWidth: 0 });
}

/** The addresses whose name (or IP) only a look-up gives: the dump names them by the other half. */
export function pendingLookups(settings: AdminSettings): AddressToKeep[] {
  return settings.addresses.keep.filter((k) => k.adoptedAs === undefined && (k.name === undefined || k.address === undefined));
}

/**
 * The adoptAddresses entries to complete by a look-up, as a fragment applied like the other once each
 * placeholder is replaced by what the command above it prints; empty when there are none. `fill` gives a
 * stand-in for each placeholder, for validating the rest before the look-ups are done.
 */
export function lookupFragment(settings: AdminSettings, fill?: (keep: AddressToKeep, index: number) => string): string {
  const pending = pendingLookups(settings);
  if (pending.length === 0) return "";
  const entry = (k: AddressToKeep, i: number) => {
    const value = fill ? fill(k, i) : lookupPlaceholder(k);
    return [`    # ${k.command}`, `    - name: ${k.name ?? value}`, `      address: ${k.address ?? value}`];
  };
  return ["fleetgate:gcp:", "  adoptAddresses:", ...pending.flatMap(entry), ""].join("\n");
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
  // A map merges into the map there key by key (fleetgate:gcp keeps its project beside adoptAddresses).
  const merge = (path: unknown[], additions: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(additions)) {
      const current = doc.getIn([...path, key], true);
      if (Array.isArray(value) && current instanceof YAMLSeq) for (const item of value) current.add(doc.createNode(item));
      else if (isMap(current) && value !== null && typeof value === "object" && !Array.isArray(value)) merge([...path, key], value as Record<string, unknown>);
      else doc.setIn([...path, key], doc.createNode(value));
    }
  };
  merge(["config"], additions);
  return doc.toString({ lineWidth: 0 });
}
