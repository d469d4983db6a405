/**
 * Certificates and DNS of the GCP front door, decided from the FleetPlan:
 * - one Certificate Manager DNS authorization per authorized domain (a host, or a wildcard's parent),
 *   with its CNAME record in the Cloud DNS zone the plan names, so certificates are issued by DNS
 *   validation whether or not traffic reaches the load balancer yet;
 * - one managed certificate per certificate domain (a host, or a wildcard the admin allows), so adding
 *   a host never touches another host's certificate;
 * - one certificate map entry per host, pointing at its managed certificate or at the pre-shared
 *   certificates its ingress names;
 * - A (and AAAA) records for every host pointing at the environment's address.
 */
import { shortHash } from "../../spec/names";
import type { DnsZonePlan, FleetPlan } from "../../spec/plan";
import { compare, gcpFrontDoor } from "./backend-plan";
import { assertUniqueNames, cloudName, hostPart, logicalName } from "./names";

export interface CloudDnsZone {
  readonly domain: string;
  readonly managedZone: string;
  readonly project: string;
  readonly ttl: number;
}

export interface DnsAuthorizationSpec {
  /** The authorized domain (`apps.example.com` authorizes `*.apps.example.com` too). */
  readonly domain: string;
  readonly logicalName: string;
  readonly name: string;
  /** Logical name of the CNAME record that proves control of the domain. */
  readonly recordLogicalName: string;
  readonly zone: CloudDnsZone;
}

export interface ManagedCertificateSpec {
  /** The certificate's domain: a host, or a wildcard. */
  readonly domain: string;
  readonly logicalName: string;
  /**
   * Ends in a hash of what the certificate is (its domains and authorizations): a replacement gets a new
   * name, so it is created, and can be issued, before the old one is deleted.
   */
  readonly name: string;
  readonly domains: readonly string[];
  /** Authorized domains (keys of DnsAuthorizationSpec), sorted. */
  readonly authorizations: readonly string[];
  readonly hosts: readonly string[];
}

export interface CertificateMapEntrySpec {
  readonly host: string;
  readonly logicalName: string;
  readonly name: string;
  /** The managed certificate that serves the host (a ManagedCertificateSpec domain)... */
  readonly managed?: string;
  /** ...or the pre-shared Certificate Manager certificates, `projects/<p>/locations/global/certificates/<name>`. */
  readonly preShared?: readonly string[];
}

export interface AddressRecordSpec {
  readonly host: string;
  readonly type: "A" | "AAAA";
  readonly logicalName: string;
  readonly zone: CloudDnsZone;
  /**
   * The adopted address the record points at (its name and IP), for a host whose ingress names one in its
   * static-ip annotation; absent: the environment's own address of the record's type.
   */
  readonly adopted?: { readonly name: string; readonly address: string };
}

export interface GcpCertificatesPlan {
  readonly project: string;
  readonly map: { readonly logicalName: string; readonly name: string };
  /** Sorted by domain. */
  readonly authorizations: readonly DnsAuthorizationSpec[];
  /** Sorted by domain. */
  readonly certificates: readonly ManagedCertificateSpec[];
  /** Sorted by host. */
  readonly entries: readonly CertificateMapEntrySpec[];
  /**
   * The entry for clients that send no server name, or one no entry matches (a probe of the bare
   * address, an old client, a request for a host no rule names, which the environment's catch-all may
   * serve): without it their handshake fails [gcp.certificate-map-primary]. It serves the certificate of
   * a host, the first named one in order, so it is stable while that host is.
   */
  readonly primary?: { readonly logicalName: string; readonly name: string; readonly host: string };
}

export function planCertificates(plan: FleetPlan): GcpCertificatesPlan {
  const frontDoor = gcpFrontDoor(plan);
  const env = plan.environment;
  const zones = cloudDnsZones(plan);

  const authorizations = new Map<string, DnsAuthorizationSpec>();
  const certificates: ManagedCertificateSpec[] = [];
  for (const cert of plan.certificates) {
    if (cert.kind !== "managed") continue;
    const zone = zoneNamed(zones, cert.zone, `the DNS authorization of ${cert.domain}`);
    authorizations.set(cert.authorizationDomain, {
      domain: cert.authorizationDomain,
      logicalName: logicalName(env, "dns-authorization", cert.authorizationDomain),
      name: cloudName(env, cert.authorizationDomain),
      recordLogicalName: logicalName(env, "dns-authorization", cert.authorizationDomain, "cname"),
      zone,
    });
    const domains = [cert.domain];
    const identity = JSON.stringify({ domains, authorizations: [cert.authorizationDomain] });
    certificates.push({
      domain: cert.domain,
      logicalName: logicalName(env, "certificate", hostPart(cert.domain)),
      name: cloudName(env, hostPart(cert.domain), shortHash(identity, 6)),
      domains,
      authorizations: [cert.authorizationDomain],
      hosts: [...cert.hosts],
    });
  }

  const byDomain = new Map(plan.certificates.map((c) => [c.domain, c]));
  const entries = plan.hosts.map((host): CertificateMapEntrySpec => {
    const cert = byDomain.get(host.certificate);
    if (!cert) throw new Error(`host ${host.name} names certificate ${host.certificate}, which the plan does not have`);
    const base = { host: host.name, logicalName: logicalName(env, "certificate-entry", hostPart(host.name)), name: cloudName(env, hostPart(host.name)) };
    return cert.kind === "managed"
      ? { ...base, managed: cert.domain }
      : { ...base, preShared: cert.names.map((name) => certificatePath(frontDoor.project, name)) };
  });

  const result: GcpCertificatesPlan = {
    project: frontDoor.project,
    map: { logicalName: logicalName(env, "certificate-map"), name: cloudName(env) },
    authorizations: [...authorizations.values()].sort((a, b) => compare(a.domain, b.domain)),
    certificates: certificates.sort((a, b) => compare(a.domain, b.domain)),
    entries: entries.sort((a, b) => compare(a.host, b.host)),
  };
  const primaryHost = (result.entries.find((e) => !e.host.startsWith("*.")) ?? result.entries[0])?.host;
  if (primaryHost !== undefined)
    (result as { primary?: GcpCertificatesPlan["primary"] }).primary = {
      logicalName: logicalName(env, "certificate-entry-primary"),
      name: cloudName(env, "primary"),
      host: primaryHost,
    };
  assertUniqueNames(
    "DNS authorizations",
    result.authorizations.map((a) => [a.domain, a.name] as const),
  );
  assertUniqueNames(
    "certificates",
    result.certificates.map((c) => [c.domain, c.logicalName] as const),
  );
  assertUniqueNames(
    "certificate map entries",
    result.entries.map((e) => [e.host, e.name] as const),
  );
  return result;
}

/** A and, with IPv6, AAAA records for every host, in the host's Cloud DNS zone. Sorted by host, then type. */
export function planAddressRecords(plan: FleetPlan): AddressRecordSpec[] {
  const frontDoor = gcpFrontDoor(plan);
  const zones = cloudDnsZones(plan);
  // A host served from an adopted address keeps that address for its IP version; the other version (if
  // the environment has it) stays the environment's. The logical name is the host's and the type's, so a
  // host moving between addresses updates its record in place.
  const adoptedFor = new Map<string, { name: string; address: string; type: "A" | "AAAA" }>();
  for (const adopted of frontDoor.adoptedAddresses)
    for (const host of adopted.hosts)
      adoptedFor.set(`${host} ${adopted.ipVersion === "IPV6" ? "AAAA" : "A"}`, {
        name: adopted.name,
        address: adopted.address,
        type: adopted.ipVersion === "IPV6" ? "AAAA" : "A",
      });
  return plan.hosts.flatMap((host) => {
    const zone = zoneNamed(zones, host.zone, `host ${host.name}`);
    const types = (["A", "AAAA"] as const).filter((type) => type === "A" || frontDoor.ipv6 || adoptedFor.has(`${host.name} ${type}`));
    return types.map((type): AddressRecordSpec => {
      const adopted = adoptedFor.get(`${host.name} ${type}`);
      return {
        host: host.name,
        type,
        logicalName: logicalName(plan.environment, "dns", hostPart(host.name), type.toLowerCase()),
        zone,
        ...(adopted ? { adopted: { name: adopted.name, address: adopted.address } } : {}),
      };
    });
  });
}

/** A pre-shared certificate as Certificate Manager names it; a full name is used as given. */
export function certificatePath(project: string, name: string): string {
  return name.includes("/") ? name : `projects/${project}/locations/global/certificates/${name}`;
}

function cloudDnsZones(plan: FleetPlan): Map<string, CloudDnsZone> {
  const frontDoor = gcpFrontDoor(plan);
  return new Map(
    plan.dnsZones
      .filter((z): z is DnsZonePlan & { managedZone: string } => z.provider === "cloud-dns" && z.managedZone !== undefined)
      .map((z) => [z.domain, { domain: z.domain, managedZone: z.managedZone, project: z.project || frontDoor.project, ttl: z.ttl }]),
  );
}

function zoneNamed(zones: Map<string, CloudDnsZone>, domain: string, what: string): CloudDnsZone {
  const zone = zones.get(domain);
  if (!zone)
    throw new Error(
      `${what} belongs in DNS zone "${domain}", which is not a Cloud DNS zone of the environment; the GCP front door writes its records in Cloud DNS, so configure the zone with cloudDns`,
    );
  return zone;
}
