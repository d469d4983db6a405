/**
 * GKE's `networking.gke.io/static-ip` annotation: the global address an ingress's load balancer serves
 * on. Under GKE every ingress has a load balancer of its own, and its users reserved an address for it
 * (named by the address's name or its IP), which their DNS and their partners' allow-lists point at.
 * Fleetgate serves the environment from one load balancer; it keeps those IPs by serving on them too:
 * the admin adopts each address (`fleetgate:gcp.adoptAddresses: [{ name, address }]`), the front door
 * gets a forwarding-rule pair on it, and the hosts of the ingresses that name it get records pointing at
 * it. The environment's own address name stays accepted (it means the default). Behind AWS there is no
 * address to name: Global Accelerator allocates its own.
 */
import { isIP } from "node:net";
import { cite } from "../contracts/contract";
import { acceleratorAddresses } from "../contracts/aws";
import { forwardingRulePorts } from "../contracts/gcp";
import type { DocReport, PathSegment, Severity } from "./diagnostics";
import { keyOf, type Loaded } from "./documents";
import { ingressAnnotations } from "./ingress";
import { didYouMean } from "./names";
import { addressName } from "./naming";
import { ANNOTATIONS, type MultiClusterIngress } from "./schema/documents";
import type { EnvironmentConfig } from "./schema/environment";

type Ingress = Loaded<"MultiClusterIngress", MultiClusterIngress>;
type EnvReport = (path: PathSegment[], message: string, severity?: Severity) => void;

export interface AdoptedAddress {
  readonly name: string;
  readonly address: string;
}

/** What an annotation's value names: the environment's own address, or an adopted one. */
export type StaticIpTarget = { readonly kind: "environment"; readonly name: string } | { readonly kind: "adopted"; readonly adopted: AdoptedAddress };

const ANNOTATION_PATH: PathSegment[] = ["metadata", "annotations", ANNOTATIONS.staticIp];

/** An IP address in one spelling per address (IPv6 compressed, lower-case), so `2001:DB8:0::10` is `2001:db8::10`. */
export function canonicalIp(value: string): string | undefined {
  const version = isIP(value.trim());
  if (version === 4) return value.trim();
  if (version === 6) return new URL(`http://[${value.trim()}]`).hostname.slice(1, -1);
  return undefined;
}

export function ipVersionOf(address: string): "IPV4" | "IPV6" {
  return isIP(address) === 6 ? "IPV6" : "IPV4";
}

function adoptedOf(config: EnvironmentConfig): readonly AdoptedAddress[] {
  return config.frontDoor === "gcp" ? (config.gcp?.adoptAddresses ?? []) : [];
}

/** The address an annotation value names, by name or by IP; undefined when it names none Fleetgate serves on. */
export function staticIpTarget(value: string, environment: string, config: EnvironmentConfig): StaticIpTarget | undefined {
  const own = addressName(environment);
  if (value === own) return { kind: "environment", name: own };
  const ip = canonicalIp(value);
  const adopted = adoptedOf(config).find((a) => a.name === value || (ip !== undefined && canonicalIp(a.address) === ip));
  return adopted ? { kind: "adopted", adopted } : undefined;
}

/** Per adopted address (by name), the hosts of the ingresses that name it, sorted; every adopted address has an entry. */
export function adoptedAddressHosts(environment: string, config: EnvironmentConfig, ingresses: readonly MultiClusterIngress[]): Map<string, string[]> {
  const hosts = new Map<string, Set<string>>(adoptedOf(config).map((a) => [a.name, new Set<string>()]));
  for (const ingress of ingresses) {
    const value = ingressAnnotations(ingress).staticIp;
    const target = value !== undefined ? staticIpTarget(value, environment, config) : undefined;
    if (target?.kind !== "adopted") continue;
    for (const rule of ingress.spec.template.spec.rules) hosts.get(target.adopted.name)!.add(rule.host);
  }
  return new Map([...hosts].map(([name, set]) => [name, [...set].sort()]));
}

/** The admin's adopted addresses that cannot be adopted: the environment's own. */
export function checkAdoptedAddresses(environment: string, config: EnvironmentConfig, env: EnvReport): void {
  const own = addressName(environment);
  adoptedOf(config).forEach((adopted, i) => {
    if (adopted.name === own || adopted.name === `${own}-v6`)
      env(
        ["gcp", "adoptAddresses", i, "name"],
        `"${adopted.name}" is the environment's own address, which the front door already serves on; adopting it would give one IP address and port a second forwarding rule ${cite(forwardingRulePorts)}, so remove the entry`,
      );
  });
}

/**
 * Every ingress's static-ip annotation: it names the environment's address or an adopted one (behind
 * GCP), and a host is served from one address, so two ingresses that serve a host name the same one.
 */
export function checkStaticIps(environment: string, config: EnvironmentConfig, stackFile: string, ingresses: readonly Ingress[], at: DocReport): void {
  const chosen = new Map<string, { loaded: Ingress; target: StaticIpTarget; value: string }>();
  for (const loaded of ingresses) {
    const value = ingressAnnotations(loaded.doc).staticIp;
    if (value === undefined) continue;
    if (config.frontDoor === "aws") {
      at(
        loaded,
        ANNOTATION_PATH,
        `names static IP "${value}", but the environment's front door is AWS: Global Accelerator serves on static anycast addresses it allocates itself, and an address of your own can only come from an IPv4 range brought to AWS for Global Accelerator (BYOIP), which is set when the accelerator is created ${cite(acceleratorAddresses)}; a GCP address cannot move there. Remove the annotation, and point the hosts' clients at the accelerator's addresses (the stack's outputs)`,
      );
      continue;
    }
    const target = staticIpTarget(value, environment, config);
    if (!target) {
      at(loaded, ANNOTATION_PATH, undeclaredMessage(value, environment, config, stackFile));
      continue;
    }
    const key = target.kind === "environment" ? target.name : target.adopted.name;
    for (const rule of loaded.doc.spec.template.spec.rules) {
      const previous = chosen.get(rule.host);
      if (!previous) {
        chosen.set(rule.host, { loaded, target, value });
        continue;
      }
      const previousKey = previous.target.kind === "environment" ? previous.target.name : previous.target.adopted.name;
      if (previousKey === key || previous.loaded.doc === loaded.doc) continue;
      const where = previous.loaded.locate(ANNOTATION_PATH);
      at(
        loaded,
        ANNOTATION_PATH,
        `names address "${key}" for host ${rule.host}, which ${keyOf(previous.loaded.doc)} (${where.file}:${where.line ?? 1}) serves from address "${previousKey}"; a host's DNS records point at one address, so name the same address in both ingresses, or remove the annotation from one of them`,
      );
    }
  }
}

function undeclaredMessage(value: string, environment: string, config: EnvironmentConfig, stackFile: string): string {
  const own = addressName(environment);
  const adopted = adoptedOf(config);
  const known = [own, ...adopted.map((a) => a.name)];
  const listing = adopted.length > 0 ? `; the adopted ones are ${adopted.map((a) => `${a.name} (${a.address})`).join(", ")}` : "";
  const ip = canonicalIp(value);
  const nameLike = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value);
  if (ip === undefined && !nameLike)
    return `"${value}" is neither an IP address nor the name of a global address (lower-case letters, digits and '-', a letter first); set it to the environment's address "${own}", or to the name or IP of an address the admin adopted${listing}`;
  const project = config.gcp?.project ?? "<project>";
  // What the admin adds: the part the value gives, and the command that shows the other.
  const [name, address, lookup] =
    ip !== undefined
      ? ["<the address's name>", ip, `\`gcloud compute addresses list --global --project ${project} --filter=address=${ip}\` shows its name`]
      : [value, "<its IP>", `\`gcloud compute addresses describe ${value} --global --project ${project} --format='value(address)'\` shows its IP`];
  return [
    `names static IP "${value}", which is neither the environment's address "${own}" nor an address the admin adopted${ip === undefined ? didYouMean(value, known) : ""}${listing}.`,
    `To keep serving on a global address reserved in ${project}, the admin adds it to ${stackFile} (${lookup}):`,
    `  fleetgate:gcp:`,
    `    adoptAddresses:`,
    `      - name: ${name}`,
    `        address: ${address}`,
    `Otherwise remove the annotation: the hosts are then served from "${own}".`,
  ].join("\n");
}
