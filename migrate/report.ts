/**
 * What changes for the imported ingresses when Fleetgate serves them instead of GKE: each behaviour
 * change once, with the ingresses it concerns, so the team reads before the move what its users will
 * notice. Pure: the facts come from the imported objects, the settings and the validator's answers.
 */
import { formatDiagnostic, type Diagnostic } from "../spec/diagnostics";
import { addressName } from "../spec/naming";
import { cite } from "../contracts/contract";
import { acceleratorAddresses } from "../contracts/aws";
import { forwardingRulePorts } from "../contracts/gcp";
import { ANNOTATIONS } from "../spec/schema/documents";
import { lookupPlaceholder, type ImportedAddresses } from "./addresses";
import type { AdminSettings, IngressFacts } from "./admin-settings";

/** The behaviour changes the report names; the tests check each by its topic. */
export type ChangeTopic =
  "one-load-balancer" | "managed-certificates" | "unknown-hosts-404" | "catch-all" | "addresses" | "host-conflicts" | "warning" | "error" | "imported-object";

export interface BehaviourChange {
  readonly topic: ChangeTopic;
  readonly text: string;
}

export interface ReportInput {
  readonly environment: string;
  readonly frontDoor: "gcp" | "aws" | undefined;
  readonly ingresses: readonly IngressFacts[];
  readonly settings: AdminSettings;
  /** Whether the catch-all grant reaches the validator (the key is known and granted). */
  readonly catchAllServed?: string;
  /** The validator's answers on the imported folder, with the settings applied. */
  readonly diagnostics: readonly Diagnostic[];
  /** Notes about single objects (fields left out, live spec newer than last-applied), `Kind ns/name: note`. */
  readonly objectNotes: readonly string[];
}

const list = (items: readonly string[]) => items.join(", ");

export function behaviourChanges(input: ReportInput): BehaviourChange[] {
  const out: BehaviourChange[] = [];
  const { ingresses, settings } = input;
  const address = input.frontDoor === "aws" ? "the AWS front door's addresses" : `one global address (${addressName(input.environment)})`;
  if (ingresses.length > 0)
    out.push({
      topic: "one-load-balancer",
      text: `GKE gave each MultiClusterIngress its own load balancer and address (${list(ingresses.map((i) => (i.vip ? `${i.key} on ${i.vip}` : i.key)))}); Fleetgate serves every host of environment "${input.environment}" from one front door with ${address}, one URL map and one certificate map, and writes each host's DNS records to point there.`,
    });

  const preShared = ingresses.filter((i) => i.preSharedCerts !== undefined || i.tlsSecrets.length > 0);
  if (preShared.length > 0)
    out.push({
      topic: "managed-certificates",
      text: `${list(preShared.map((i) => `${i.key} (${[i.preSharedCerts ? `pre-shared certificates ${i.preSharedCerts}` : "", i.tlsSecrets.length ? `TLS secrets ${list(i.tlsSecrets)}` : ""].filter((s) => s !== "").join(", ")})`))} served ${preShared.length === 1 ? "its" : "their"} hosts with certificates of ${preShared.length === 1 ? "its" : "their"} own; Fleetgate issues a managed certificate for each host instead (DNS-authorized, so it is active before traffic moves). To keep a certificate of your own, import it into Certificate Manager and name it in fleetgate.io/certificate-manager-certs.`,
    });

  for (const i of ingresses.filter((i) => i.defaultBackend !== undefined && i.hosts.length > 0))
    out.push({
      topic: "unknown-hosts-404",
      text: `${i.key}: under GKE, requests for host names no rule names and requests by IP address reached its default backend ${i.defaultBackend}; ${input.catchAllServed === undefined ? "Fleetgate answers them 404" : input.catchAllServed === i.namespace ? "Fleetgate sends them to the environment's catch-all, which this namespace's default-only ingress serves" : `Fleetgate sends them to the environment's catch-all, which namespace ${input.catchAllServed} serves`}. The default backend still serves every path of ${list(i.hosts)} that no rule matches.`,
    });

  for (const i of ingresses.filter((i) => i.defaultBackend !== undefined && i.hosts.length === 0)) {
    const served = input.catchAllServed === i.namespace;
    out.push({
      topic: "catch-all",
      text: served
        ? `${i.key} has only a default backend (${i.defaultBackend}): it serves the environment's catch-all, requests for host names no rule names and requests by IP address, as its own load balancer did. Over HTTPS such clients get the certificate of the front door's default entry, whose name they will not match.`
        : `${i.key} has only a default backend (${i.defaultBackend}), which Fleetgate serves only as the environment's catch-all, and ${settings.grantedCatchAll !== undefined ? `namespace ${settings.grantedCatchAll} is granted it` : settings.catchAllCandidates.length > 1 ? `only one namespace may have it, but ${list(settings.catchAllCandidates)} each need it: grant it to one and give the other ingresses rules that name their hosts` : "the catch-all is not granted yet"}. Until then the validator refuses it (see below).`,
    });
  }

  for (const text of addressChanges(settings.addresses)) out.push({ topic: "addresses", text });

  for (const c of settings.conflicts)
    out.push({
      topic: "host-conflicts",
      text: `Namespace ${c.namespace} names ${c.host}, which the admin grants to ${list(c.owners)}; under GKE each load balancer answered its own hosts, here one host has one owner: move the rule, or change the grant.`,
    });

  for (const note of input.objectNotes) out.push({ topic: "imported-object", text: note });
  for (const d of input.diagnostics) out.push({ topic: d.severity === "error" ? "error" : "warning", text: formatDiagnostic(d) });
  return out;
}

/** The report as printed, under one heading per topic group. */
export function renderReport(changes: readonly BehaviourChange[]): string {
  const titles: Record<ChangeTopic, string> = {
    "one-load-balancer": "One load balancer for the environment",
    "managed-certificates": "Managed certificates instead of pre-shared ones",
    "unknown-hosts-404": "Requests for unknown hosts and by IP address",
    "catch-all": "The catch-all",
    addresses: "Addresses to keep",
    "host-conflicts": "Hosts another namespace owns",
    "imported-object": "Imported objects",
    warning: "Warnings on the imported documents",
    error: "Errors: the imported folder does not plan until these are fixed",
  };
  const order = Object.keys(titles) as ChangeTopic[];
  return order
    .filter((t) => changes.some((c) => c.topic === t))
    .map(
      (t) =>
        `${titles[t]}:\n${changes
          .filter((c) => c.topic === t)
          .map((c) => `  - ${c.text}`)
          .join("\n")}`,
    )
    .join("\n\n");
}

const servedHosts = (hosts: readonly string[]) => (hosts.length > 0 ? `hosts ${list(hosts)}` : "no host of its own (requests by IP address)");

/**
 * Per address: which ingresses it served, which hosts, what to run, and the order of the cutover: the
 * MultiClusterIngress leaves the config cluster before the `pulumi up` that adopts its address, since
 * GKE's forwarding rules hold the address's ports until then.
 */
export function addressChanges(addresses: ImportedAddresses): string[] {
  const out: string[] = [];
  for (const k of addresses.keep) {
    const ingresses = list(k.ingresses);
    const ip = k.address ?? lookupPlaceholder(k);
    const what =
      k.adoptedAs !== undefined
        ? `is adopted already (fleetgate:gcp.adoptAddresses: ${k.adoptedAs}); nothing to add`
        : k.origin === "ephemeral"
          ? `is an ephemeral address GKE chose, released when the ingress is deleted: reserve it first, while the ingress still holds it, with \`${k.command}\`; the import wrote ${ANNOTATIONS.staticIp}: ${k.annotate} on ${k.ingresses.length === 1 ? "the ingress" : "each ingress"} and the adoptAddresses entry above`
          : k.command !== undefined
            ? `is named in ${ANNOTATIONS.staticIp} by its ${k.name === undefined ? "IP; the dump does not give its name" : "name; the dump gives no VIP for it"}: \`${k.command}\` prints it, which goes in place of ${lookupPlaceholder(k)} in the entry to complete above`
            : `is the reserved global address ${k.name}, named in ${ANNOTATIONS.staticIp}: the adoptAddresses entry above keeps it`;
    const differs = k.staticIp !== undefined ? ` (the annotation says ${k.staticIp}, but GKE served on ${k.address}, which is kept)` : "";
    out.push(
      `${ip}${k.name !== undefined ? ` (${k.name})` : ""}, which served ${ingresses} with ${servedHosts(k.hosts)}, ${what}${differs}. Then delete the MultiClusterIngress${k.ingresses.length === 1 ? "" : "s"} from the config cluster (\`${k.ingresses.map((i) => `kubectl delete multiclusteringress ${i.split("/")[1]} -n ${i.split("/")[0]}`).join("; ")}\`) before the \`pulumi up\` that adopts the address: GCP refuses a second forwarding rule on the same address and port ${cite(forwardingRulePorts)}, and GKE's rules hold it until then.`,
    );
  }
  for (const l of addresses.lost)
    out.push(
      `${l.ingress}, with ${servedHosts(l.hosts)}, ${l.vip !== undefined ? `was served on ${l.vip}` : "had its own address"}, which cannot be kept behind the AWS front door: Global Accelerator allocates its own static addresses ${cite(acceleratorAddresses)}.${l.removedStaticIp !== undefined ? ` The import took off its ${ANNOTATIONS.staticIp}: ${l.removedStaticIp} annotation, which the validator refuses behind AWS.` : ""} Point DNS and partners' allow-lists at the accelerator's addresses (the stack's outputs) before deleting the MultiClusterIngress.`,
    );
  return out;
}
