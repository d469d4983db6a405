/**
 * What the import does with the address each MultiClusterIngress was served on, so that the hosts keep
 * their IP when Fleetgate serves them (spec/static-ip.ts: the admin adopts the reserved global address in
 * `fleetgate:gcp.adoptAddresses`, the ingress's `networking.gke.io/static-ip` names it):
 * - the annotation names an address and the dump's `status.VIP` gives its IP: adopt `{ name, address }`;
 * - the annotation is an IP: its name is not in the dump, so the entry waits for a `gcloud` look-up;
 * - no annotation, but a VIP: GKE chose an ephemeral address; the admin reserves it under a name the
 *   import chooses (gcloud reserves an ephemeral address in use with `addresses create --addresses`,
 *   "gcloud compute addresses create" reference), and the import writes the annotation on the ingress;
 * - behind AWS nothing can be kept (Global Accelerator allocates its own addresses): the import takes
 *   the annotation off, since the validator refuses it there.
 * Pure: the facts in, the decisions out; migrate/index.ts rewrites the files, migrate/report.ts words it.
 */
import { addressName } from "../spec/naming";
import { boundedName, shortHash } from "../spec/names";
import { canonicalIp } from "../spec/static-ip";
import type { IngressFacts } from "./admin-settings";

/** How the import learnt of an address. */
export type AddressOrigin = "named" | "by-ip" | "ephemeral";

export interface AddressToKeep {
  readonly origin: AddressOrigin;
  /** The reserved address's name; absent when only a look-up can give it. */
  readonly name?: string;
  /** Its IP; absent when only a look-up can give it (a name without a VIP in the dump). */
  readonly address?: string;
  /** `namespace/name` of the ingresses served on it, sorted. */
  readonly ingresses: readonly string[];
  readonly hosts: readonly string[];
  /** What to run first: reserve the ephemeral address, or look up the half the dump lacks. */
  readonly command?: string;
  /** The name `fleetgate:gcp.adoptAddresses` already lists it under: nothing to add. */
  readonly adoptedAs?: string;
  /** The annotation value the import writes on each of `ingresses` (an ephemeral address it names). */
  readonly annotate?: string;
  /** The annotation's value differs from the VIP GKE reports (the VIP is kept: it is what serves). */
  readonly staticIp?: string;
}

/** An ingress whose address cannot be kept (behind AWS), with the annotation the import takes off. */
export interface AddressLost {
  readonly ingress: string;
  readonly hosts: readonly string[];
  readonly vip?: string;
  readonly removedStaticIp?: string;
}

export interface ImportedAddresses {
  readonly keep: readonly AddressToKeep[];
  readonly lost: readonly AddressLost[];
}

interface Declared {
  readonly name: string;
  readonly address: string;
}

function declaredOf(stackValues: Readonly<Record<string, unknown>>): Declared[] {
  const list = (stackValues.gcp as { adoptAddresses?: unknown } | undefined)?.adoptAddresses;
  return Array.isArray(list) ? list.filter((a): a is Declared => typeof a?.name === "string" && typeof a?.address === "string") : [];
}

/**
 * The name the import gives an ephemeral address: `<namespace>-<ingress>`, a valid global address name
 * (a letter first, at most 63 characters, cut with a hash when longer), with a hash of the ingress added
 * where it would be a name already taken.
 */
export function chosenAddressName(ingressKey: string, taken: ReadonlySet<string>): string {
  const [namespace, name] = ingressKey.split("/") as [string, string];
  const base = /^[a-z]/.test(namespace) ? boundedName([namespace, name]) : boundedName(["ip", namespace, name]);
  return taken.has(base) ? boundedName([base.slice(0, 54), shortHash(ingressKey)]) : base;
}

export function importedAddresses(ingresses: readonly IngressFacts[], stackValues: Readonly<Record<string, unknown>>, environment: string): ImportedAddresses {
  const served = ingresses.filter((i) => i.staticIp !== undefined || i.vip !== undefined).sort((a, b) => (a.key < b.key ? -1 : 1));
  if (stackValues.frontDoor === "aws")
    return {
      keep: [],
      lost: served.map((i) => ({
        ingress: i.key,
        hosts: i.hosts,
        ...(i.vip !== undefined ? { vip: i.vip } : {}),
        ...(i.staticIp !== undefined ? { removedStaticIp: i.staticIp } : {}),
      })),
    };

  const project = (stackValues.gcp as { project?: unknown } | undefined)?.project;
  const inProject = typeof project === "string" ? ` --project ${project}` : "";
  const declared = declaredOf(stackValues);
  const own = addressName(environment);
  const taken = new Set([
    own,
    `${own}-v6`,
    ...declared.map((d) => d.name),
    ...served.flatMap((i) => (i.staticIp !== undefined && canonicalIp(i.staticIp) === undefined ? [i.staticIp] : [])),
  ]);
  const adoptedAs = (name?: string, ip?: string) =>
    declared.find((d) => d.name === name || (ip !== undefined && canonicalIp(d.address) === canonicalIp(ip)))?.name;

  // One entry per address: ingresses that name one address, or share one VIP, are served on it together.
  const byAddress = new Map<string, { origin: AddressOrigin; name?: string; address?: string; staticIp?: string; ingresses: IngressFacts[] }>();
  for (const i of served) {
    const annotatedIp = i.staticIp !== undefined ? canonicalIp(i.staticIp) : undefined;
    const vip = i.vip !== undefined ? (canonicalIp(i.vip) ?? i.vip) : undefined;
    // The environment's own address is Fleetgate's already: nothing to keep.
    if (i.staticIp === own) continue;
    const origin: AddressOrigin = i.staticIp === undefined ? "ephemeral" : annotatedIp === undefined ? "named" : "by-ip";
    const address = vip ?? annotatedIp;
    const name = origin === "named" ? i.staticIp : undefined;
    const key = address ?? `name:${name}`;
    const entry = byAddress.get(key) ?? { origin, ingresses: [] };
    if (name !== undefined) entry.name = name;
    if (address !== undefined) entry.address = address;
    if (origin !== "ephemeral") entry.origin = entry.origin === "named" ? "named" : origin;
    if (annotatedIp !== undefined && vip !== undefined && annotatedIp !== vip) entry.staticIp = i.staticIp!;
    entry.ingresses.push(i);
    byAddress.set(key, entry);
  }

  const keep: AddressToKeep[] = [];
  for (const entry of [...byAddress.values()].sort((a, b) => (a.ingresses[0]!.key < b.ingresses[0]!.key ? -1 : 1))) {
    const keys = entry.ingresses.map((i) => i.key).sort();
    const hosts = [...new Set(entry.ingresses.flatMap((i) => i.hosts))].sort();
    const already = adoptedAs(entry.name, entry.address);
    const common = {
      ingresses: keys,
      hosts,
      ...(already !== undefined ? { adoptedAs: already } : {}),
      ...(entry.staticIp !== undefined ? { staticIp: entry.staticIp } : {}),
    };
    if (entry.origin === "ephemeral") {
      const name = already ?? chosenAddressName(keys[0]!, taken);
      taken.add(name);
      keep.push({
        origin: "ephemeral",
        name,
        address: entry.address!,
        ...common,
        annotate: name,
        ...(already === undefined ? { command: `gcloud compute addresses create ${name} --addresses=${entry.address} --global${inProject}` } : {}),
      });
    } else if (entry.name === undefined) {
      const lookup = `gcloud compute addresses list --global${inProject} --filter="address=${entry.address}" --format="value(name)"`;
      keep.push({ origin: "by-ip", address: entry.address!, ...common, ...(already !== undefined ? { name: already } : { command: lookup }) });
    } else if (entry.address === undefined) {
      const lookup = `gcloud compute addresses describe ${entry.name} --global${inProject} --format="value(address)"`;
      keep.push({ origin: "named", name: entry.name, ...common, ...(already === undefined ? { command: lookup } : {}) });
    } else keep.push({ origin: entry.origin, name: entry.name, address: entry.address, ...common });
  }
  return { keep, lost: [] };
}

/** The placeholder a look-up fills in; not a valid name nor IP, so the validator refuses it if pasted as is. */
export function lookupPlaceholder(keep: AddressToKeep): string {
  return keep.name === undefined ? `<name of ${keep.address}>` : `<address of ${keep.name}>`;
}
