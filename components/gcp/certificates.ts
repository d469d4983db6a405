/**
 * GcpCertificates: Certificate Manager for the GCP front door, created from a GcpCertificatesPlan
 * (certificate-plan.ts): DNS authorizations and their CNAME records in Cloud DNS, one managed
 * certificate per certificate domain, and the certificate map with an entry per host.
 *
 * Authorizations are per-project records (`_acme-challenge_<id>.<domain>`), not the fixed
 * `_acme-challenge.<domain>`: that name would clash with an ACME client's TXT records for the same domain
 * and with another project (a second environment, a migration) authorizing the domain too.
 *
 * DNS authorizations and certificates are protected: losing one means re-validating the domain or
 * serving without a certificate. A certificate that must change is replaced create-before-delete under
 * a new name, so the map entry moves to a certificate that exists.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { GcpCertificatesPlan } from "./certificate-plan";
import { afterWait } from "../waits";
import { certificateState, waitUntilActive } from "./certificate-wait";

export interface GcpCertificatesArgs {
  readonly certificates: GcpCertificatesPlan;
  /** How long an update waits for each managed certificate to be ACTIVE (certificate-wait.ts); absent: no wait. */
  readonly awaitSeconds?: number;
}

/** How often a waiting update asks Certificate Manager again. */
const POLL_INTERVAL_MS = 30_000;

export class GcpCertificates extends pulumi.ComponentResource {
  /** The certificate map as a target HTTPS proxy names it. */
  readonly mapReference: pulumi.Output<string>;
  /** Per host, its certificate map entry. */
  readonly entries: Readonly<Record<string, gcp.certificatemanager.CertificateMapEntry>>;
  /** Per host, the cloud names of the certificates that serve it. */
  readonly certificatesOf: Readonly<Record<string, pulumi.Output<string[]>>>;
  /** Per host, resolved once its managed certificate may serve (at once unless told to wait). */
  readonly ready: Readonly<Record<string, pulumi.Output<unknown>>>;

  constructor(name: string, args: GcpCertificatesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:gcp:GcpCertificates", name, {}, opts);
    const plan = args.certificates;
    const project = plan.project;

    const authorizations = new Map(
      plan.authorizations.map((spec) => {
        const authorization = new gcp.certificatemanager.DnsAuthorization(
          spec.logicalName,
          {
            name: spec.name,
            project,
            location: "global",
            domain: spec.domain,
            type: "PER_PROJECT_RECORD",
            description: `Fleetgate: proves control of ${spec.domain} for its certificates`,
          },
          { parent: this, protect: true },
        );
        const record = authorization.dnsResourceRecords.apply((records) => {
          const first = records[0];
          if (!first) throw new Error(`Certificate Manager gave the DNS authorization of ${spec.domain} no DNS record`);
          return first;
        });
        const cname = new gcp.dns.RecordSet(
          spec.recordLogicalName,
          { project: spec.zone.project, managedZone: spec.zone.managedZone, name: record.name, type: record.type, ttl: spec.zone.ttl, rrdatas: [record.data] },
          { parent: this },
        );
        const id = pulumi.interpolate`projects/${project}/locations/global/dnsAuthorizations/${authorization.name}`;
        return [spec.domain, { id, cname }] as const;
      }),
    );

    const certificates = new Map(
      plan.certificates.map((spec) => {
        const used = spec.authorizations.map((domain) => authorizations.get(domain)!);
        const certificate = new gcp.certificatemanager.Certificate(
          spec.logicalName,
          {
            name: spec.name,
            project,
            location: "global",
            scope: "DEFAULT",
            description: `Fleetgate: the certificate of ${spec.domain}`,
            managed: { domains: [...spec.domains], dnsAuthorizations: used.map((a) => a.id) },
          },
          // Waiting for the CNAME records lets issuance start at once.
          { parent: this, protect: true, deleteBeforeReplace: false, dependsOn: used.map((a) => a.cname) },
        );
        return [spec.domain, pulumi.interpolate`projects/${project}/locations/global/certificates/${certificate.name}`] as const;
      }),
    );

    const map = new gcp.certificatemanager.CertificateMap(
      plan.map.logicalName,
      { name: plan.map.name, project, description: "Fleetgate: a certificate per host of the environment" },
      { parent: this },
    );
    this.mapReference = pulumi.interpolate`//certificatemanager.googleapis.com/projects/${project}/locations/global/certificateMaps/${map.name}`;

    // Reading a certificate's state needs the front door's project, whatever the default provider's is.
    const wait =
      args.awaitSeconds !== undefined
        ? { timeoutMs: args.awaitSeconds * 1000, reader: new gcp.Provider(`${plan.map.logicalName}-reader`, { project }, { parent: this }) }
        : undefined;
    const readyOf = (certificate: pulumi.Output<string>): pulumi.Output<unknown> =>
      !wait
        ? certificate
        : afterWait(certificate, certificate, (id) => {
            const read = () =>
              gcp.certificatemanager
                .getCertificates({ region: "global", filter: `name:${id}` }, { provider: wait.reader, parent: this })
                .then(certificateState);
            return waitUntilActive(id, read, { timeoutMs: wait.timeoutMs, intervalMs: POLL_INTERVAL_MS });
          });

    const entries: Record<string, gcp.certificatemanager.CertificateMapEntry> = {};
    const certificatesOf: Record<string, pulumi.Output<string[]>> = {};
    const ready: Record<string, pulumi.Output<unknown>> = {};
    for (const spec of plan.entries) {
      const refs = spec.managed !== undefined ? [certificates.get(spec.managed)!] : [...(spec.preShared ?? [])].map((p) => pulumi.output(p));
      entries[spec.host] = new gcp.certificatemanager.CertificateMapEntry(
        spec.logicalName,
        { name: spec.name, project, map: map.name, hostname: spec.host, certificates: refs, description: `Fleetgate: the certificate of ${spec.host}` },
        { parent: this },
      );
      certificatesOf[spec.host] = pulumi.all(refs);
      // Certificates named by the spec are the team's to have issued; managed ones may be waited for.
      ready[spec.host] = spec.managed !== undefined ? readyOf(certificates.get(spec.managed)!) : pulumi.all(refs);
    }
    if (plan.primary)
      new gcp.certificatemanager.CertificateMapEntry(
        plan.primary.logicalName,
        {
          name: plan.primary.name,
          project,
          map: map.name,
          matcher: "PRIMARY",
          certificates: certificatesOf[plan.primary.host]!,
          description: `Fleetgate: for clients without a known server name, the certificate of ${plan.primary.host}`,
        },
        { parent: this },
      );
    this.entries = entries;
    this.certificatesOf = certificatesOf;
    this.ready = ready;
    this.registerOutputs({ mapReference: this.mapReference });
  }
}
