/**
 * What an environment cannot lose by mistake is protected: the global addresses (every DNS record and
 * client points at them), Certificate Manager certificates and their DNS authorizations, the root CA
 * (certificate and key: every cluster's trust hangs on it) and the Global Accelerator (its static IPs).
 * ACM certificates are the exception, by design: their names are their identity, so a new host means a
 * new certificate; they must be created before the old one goes (never delete-before-replace) and are
 * retained in AWS rather than deleted.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { TYPES } from "./resources";

const MUST_PROTECT: Record<string, string> = {
  [TYPES.globalAddress]: "a global address",
  [TYPES.certificate]: "a certificate",
  [TYPES.dnsAuthorization]: "a DNS authorization",
  [TYPES.rootCertificate]: "the root CA certificate",
  [TYPES.accelerator]: "the Global Accelerator",
};

export const statefulResourcesProtected: ResourceValidationPolicy = {
  name: "stateful-resources-protected",
  description: "Global addresses, certificates, DNS authorizations, the root CA and the accelerator are protected.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const what = MUST_PROTECT[args.type];
    if (what && !args.opts.protect) reportViolation(`${args.name} is ${what} and is not protected; set protect: true so a mistaken change cannot delete it.`);
    if (args.type === TYPES.acmCertificate && args.opts.deleteBeforeReplace)
      reportViolation(`ACM certificate ${args.name} is deleted before its replacement exists; create the new certificate first.`);
  },
};

export const rootKeyProtected: StackValidationPolicy = {
  name: "root-key-protected",
  description: "The private key of the root CA is protected like the root certificate.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const root of args.resources.filter((r) => r.type === TYPES.rootCertificate))
      for (const key of (root.propertyDependencies.privateKeyPem ?? []).filter((d) => d.type === TYPES.privateKey))
        if (!key.opts.protect) reportViolation(`${key.name} is the root CA's private key and is not protected; set protect: true.`, key.urn);
  },
};
