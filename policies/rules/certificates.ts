/**
 * Every host that DNS points at the front door has a certificate: on GCP a certificate map entry for
 * the host (a managed certificate, or a pre-shared one named by the spec); on AWS an ACM certificate
 * whose names cover it.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { asArray, nameCovers, readKnown, TYPES, UNKNOWN } from "./resources";

export const hostsHaveCertificates: StackValidationPolicy = {
  name: "hosts-have-certificates",
  description: "Every host with a DNS record at the front door is served with a managed (or named pre-shared) certificate.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const gcpHosts = new Set(
      args.resources
        .filter((r) => r.type === TYPES.certificateMapEntry)
        // A new entry's certificates are ids a preview does not know yet: the entry names them all the same.
        .filter((r) => {
          const certificates = readKnown(() => asArray(r.props.certificates));
          return certificates === UNKNOWN || certificates.length > 0;
        })
        .map((r) => String(r.props.hostname ?? "")),
    );
    for (const record of args.resources.filter((r) => r.type === TYPES.recordSet && ["A", "AAAA"].includes(r.props.type))) {
      const host = String(record.props.name ?? "").replace(/\.$/, "");
      if (![...gcpHosts].some((name) => nameCovers(name, host)))
        reportViolation(`${host} points at the front door but has no certificate map entry with a certificate; add a managed certificate for it.`, record.urn);
    }
    const acmNames = args.resources
      .filter((r) => r.type === TYPES.acmCertificate && r.props.validationMethod === "DNS")
      .flatMap((r) => [String(r.props.domainName ?? ""), ...asArray<string>(r.props.subjectAlternativeNames)]);
    const accelerated = args.resources.filter(
      (r) => r.type === TYPES.route53Record && ["A", "AAAA"].includes(r.props.type) && r.props.weightedRoutingPolicies === undefined,
    );
    for (const record of accelerated) {
      const host = String(record.props.name ?? "").replace(/\.$/, "");
      if (!acmNames.some((name) => nameCovers(name, host)))
        reportViolation(`${host} points at the front door but no DNS-validated ACM certificate covers it; add it to its regions' certificates.`, record.urn);
    }
  },
};
