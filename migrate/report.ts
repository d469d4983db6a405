/**
 * What changes for the imported ingresses when Fleetgate serves them instead of GKE: each behaviour
 * change once, with the ingresses it concerns, so the team reads before the move what its users will
 * notice. Pure: the facts come from the imported objects, the settings and the validator's answers.
 */
import { formatDiagnostic, type Diagnostic } from "../spec/diagnostics";
import { addressName } from "../spec/naming";
import type { AdminSettings, IngressFacts } from "./admin-settings";

/** The behaviour changes the report names; the tests check each by its topic. */
export type ChangeTopic =
  | "one-load-balancer"
  | "managed-certificates"
  | "unknown-hosts-404"
  | "catch-all"
  | "addresses"
  | "host-conflicts"
  | "warning"
  | "error"
  | "imported-object";

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

  if (settings.addresses.length > 0)
    out.push({
      topic: "addresses",
      text:
        input.frontDoor === "aws"
          ? `GKE served ${list(settings.addresses.flatMap((a) => a.ingresses))} on Google Cloud addresses (${list(settings.addresses.map((a) => a.vip ?? a.staticIp!))}); behind the AWS front door they cannot be kept: update DNS and partners' allow-lists to the accelerator's addresses before deleting the MultiClusterIngresses.`
          : `Keep the addresses GKE served on, so that DNS records and partners' allow-lists pointing at them keep working: ${settings.addresses.map((a) => `${a.vip ?? a.staticIp} (${list(a.ingresses)}${a.staticIp === undefined ? `; an ephemeral address GKE chose: reserve it before deleting the ingress, \`gcloud compute addresses create <name> --global --addresses ${a.vip}\`` : a.vip === undefined ? "" : `; reserved, named in networking.gke.io/static-ip as ${a.staticIp}`})`).join("; ")}. The admin declares each for Fleetgate to adopt; an adopted address is protected and never deleted.`,
    });

  for (const c of settings.conflicts)
    out.push({ topic: "host-conflicts", text: `Namespace ${c.namespace} names ${c.host}, which the admin grants to ${list(c.owners)}; under GKE each load balancer answered its own hosts, here one host has one owner: move the rule, or change the grant.` });

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
    .map((t) => `${titles[t]}:\n${changes.filter((c) => c.topic === t).map((c) => `  - ${c.text}`).join("\n")}`)
    .join("\n\n");
}
