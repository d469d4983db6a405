/**
 * The addresses the GCP front door serves on, and the forwarding rules each gets: the environment's own
 * (IPv4, and IPv6 when asked), created and protected by Fleetgate, and each address the admin adopted
 * (fleetgate:gcp.adoptAddresses), reserved outside Fleetgate.
 *
 * An adopted address is read with the resource's static `get`, never registered as a resource: Pulumi
 * never updates or deletes a resource read with `get` (Pulumi docs, "Get functions"), so no change to the
 * stack, not even `pulumi destroy`, can release an IP that DNS and partners' allow-lists point at. The
 * read makes a preview fail where the address does not exist in the front door's project, and its
 * answer is checked against what the admin declared before any forwarding rule uses it.
 */
import { cite } from "../../contracts/contract";
import { forwardingRuleAddress } from "../../contracts/gcp";
import type { AdoptedAddressPlan, FleetPlan } from "../../spec/plan";
import { gcpFrontDoor } from "./backend-plan";
import { assertUniqueNames, cloudName, logicalName } from "./names";

/** One forwarding rule: HTTPS on 443 to the HTTPS proxy, or HTTP on 80 to the redirect proxy. */
export interface ForwardingRuleSpec {
  readonly scheme: "https" | "http";
  readonly port: "443" | "80";
  readonly logicalName: string;
  readonly name: string;
}

/** An address the front door serves on, with its pair of forwarding rules. */
export interface ServingAddressSpec {
  /** `ipv4` and `ipv6` for the environment's own addresses; the address's name for an adopted one. */
  readonly key: string;
  readonly kind: "own" | "adopted";
  /** The adopted address (absent for the environment's own). */
  readonly adopted?: AdoptedAddressPlan;
  /** The read of an adopted address: its logical name and the id `get` takes. */
  readonly read?: { readonly logicalName: string; readonly id: string };
  readonly rules: readonly ForwardingRuleSpec[];
}

const SCHEMES = [
  ["https", "443"],
  ["http", "80"],
] as const;

/** Every address the front door serves on, its own first (IPv4, IPv6), then the adopted ones by name. */
export function planServingAddresses(plan: FleetPlan): ServingAddressSpec[] {
  const frontDoor = gcpFrontDoor(plan);
  const env = plan.environment;
  const rules = (family: string, cloudSuffix: readonly string[], logicalSuffix: readonly string[]) =>
    SCHEMES.map(([scheme, port]): ForwardingRuleSpec => ({
      scheme,
      port,
      logicalName: logicalName(env, scheme, family, ...logicalSuffix),
      name: cloudName(env, scheme, ...cloudSuffix),
    }));
  const out: ServingAddressSpec[] = [
    { key: "ipv4", kind: "own", rules: rules("ipv4", [], []) },
    ...(frontDoor.ipv6 ? [{ key: "ipv6", kind: "own" as const, rules: rules("ipv6", ["v6"], []) }] : []),
    ...frontDoor.adoptedAddresses.map((adopted): ServingAddressSpec => ({
      key: adopted.name,
      kind: "adopted",
      adopted,
      read: { logicalName: logicalName(env, "adopted-address", adopted.name), id: `projects/${frontDoor.project}/global/addresses/${adopted.name}` },
      rules: rules("adopted", ["adopted", adopted.name], [adopted.name]),
    })),
  ];
  assertUniqueNames(
    "forwarding rules",
    out.flatMap((a) => a.rules.map((r) => [`${a.key} ${r.scheme}`, r.name] as const)),
  );
  return out;
}

/** What the read of an adopted address answered. */
export interface ReadAddress {
  readonly address?: string;
  readonly addressType?: string;
}

/**
 * The IP a forwarding rule serves an adopted address on: the declared one, once the read confirms that
 * the reserved address holds it and is external. Otherwise it throws, naming the stack setting to fix:
 * serving on an IP the address does not hold would fail, or point DNS at nothing of ours.
 */
export function confirmAdoptedAddress(adopted: AdoptedAddressPlan, project: string, read: ReadAddress): string {
  const where = `fleetgate:gcp.adoptAddresses (${adopted.name})`;
  if (read.addressType !== undefined && read.addressType !== "EXTERNAL")
    throw new Error(
      `${where}: the global address ${adopted.name} of project ${project} is ${read.addressType}, but the front door can serve only on a global EXTERNAL address ${cite(forwardingRuleAddress)}; adopt an external address, or remove the entry.`,
    );
  if (read.address !== undefined && normalize(read.address) !== normalize(adopted.address))
    throw new Error(
      `${where}: the global address ${adopted.name} of project ${project} holds ${read.address}, not ${adopted.address} as declared; set its address to ${read.address} if that is the IP to keep, or name the address that holds ${adopted.address}.`,
    );
  return adopted.address;
}

function normalize(ip: string): string {
  return ip.includes(":") ? new URL(`http://[${ip}]`).hostname.slice(1, -1) : ip;
}
