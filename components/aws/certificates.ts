/**
 * ACM certificates for the regions' NLBs: per region the certificates covering the hosts it serves,
 * DNS-validated in Route 53, with a CertificateValidation that gates their use.
 *
 * A certificate's names are its identity (its logical name is a hash of them): adding a host creates a
 * new certificate, validated before the load balancer switches to it. The old one is retained in AWS
 * rather than deleted, because ACM refuses to delete a certificate a listener still uses, and protecting
 * it would forbid ever adding a host.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { boundedName } from "../../spec/names";
import { hostNamePart } from "../../spec/naming";
import type { AwsEdgePlan } from "./edge-plan";
import type { AwsRegions } from "./regions";

export interface AwsCertificatesArgs {
  readonly environment: string;
  readonly edge: AwsEdgePlan;
  readonly regions: AwsRegions;
}

export class AwsCertificates extends pulumi.ComponentResource {
  /** Per region, the ARNs of its validated certificates (for the NLB's TLS listener). */
  readonly arns: Readonly<Record<string, pulumi.Output<string[]>>>;

  constructor(name: string, args: AwsCertificatesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:aws:AwsCertificates", name, {}, opts);
    const { environment, edge, regions } = args;

    const certificates = edge.regions.flatMap((region) =>
      region.certificates.map((cert) => ({
        region: region.region,
        cert,
        resource: new aws.acm.Certificate(
          boundedName([environment, region.region, "cert", cert.key]),
          {
            domainName: cert.domains[0]!,
            subjectAlternativeNames: cert.domains.slice(1),
            validationMethod: "DNS",
            keyAlgorithm: "RSA_2048",
            tags: { "fleetgate:region": region.region },
          },
          { parent: this, provider: regions.providers[region.region], retainOnDelete: true },
        ),
      })),
    );

    // ACM gives a name the same validation record in every region of an account: one record per name.
    const records = new Map<string, aws.route53.Record>();
    for (const { domain, hostedZoneId } of edge.validationDomains) {
      const source = certificates.find((c) => c.cert.domains.includes(domain))!;
      const option = source.resource.domainValidationOptions.apply((options) => options.find((o) => o.domainName === domain));
      records.set(
        domain,
        new aws.route53.Record(
          boundedName([environment, "acm-validation", hostNamePart(domain)]),
          {
            zoneId: hostedZoneId,
            name: option.apply((o) => o?.resourceRecordName ?? ""),
            type: option.apply((o) => o?.resourceRecordType ?? "CNAME"),
            records: [option.apply((o) => o?.resourceRecordValue ?? "")],
            ttl: 300,
            // A previous certificate of the same name left the identical record behind.
            allowOverwrite: true,
          },
          { parent: this, provider: regions.global },
        ),
      );
    }

    const arns: Record<string, pulumi.Output<string>[]> = {};
    for (const { region, cert, resource } of certificates) {
      const validation = new aws.acm.CertificateValidation(
        boundedName([environment, region, "cert", cert.key, "validation"]),
        { certificateArn: resource.arn, validationRecordFqdns: cert.domains.map((d) => records.get(d)!.fqdn) },
        { parent: this, provider: regions.providers[region] },
      );
      arns[region] = [...(arns[region] ?? []), validation.certificateArn];
    }
    this.arns = Object.fromEntries(Object.entries(arns).map(([region, list]) => [region, pulumi.all(list)]));
    this.registerOutputs({ arns: this.arns });
  }
}
