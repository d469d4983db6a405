/**
 * Credentials stay where they are kept secret: private keys and kubeconfig credentials may appear only
 * in Kubernetes Secrets, in a Kubernetes provider's kubeconfig, and in the tls resources that make and
 * sign certificates — fields whose providers keep them encrypted in state. Anywhere else (an annotation,
 * a ConfigMap, a description) they would be stored and shown in plain text.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { readKnown, TYPES, UNKNOWN } from "./resources";

const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
const KUBECONFIG_CREDENTIAL = /(client-key-data|client-certificate-data|^\s*token:\s*\S)/m;

/** Where credentials belong, by type: the top-level inputs that may hold them. */
const SECRET_FIELDS: Record<string, readonly string[]> = {
  [TYPES.kubernetesSecret]: ["data", "stringData"],
  [TYPES.kubernetesProvider]: ["kubeconfig"],
  [TYPES.rootCertificate]: ["privateKeyPem"],
  "tls:index/certRequest:CertRequest": ["privateKeyPem"],
  "tls:index/locallySignedCert:LocallySignedCert": ["caPrivateKeyPem"],
};

export const credentialsInSecretFields: ResourceValidationPolicy = {
  name: "credentials-in-secret-fields",
  description: "CA private keys and kubeconfig credentials appear only in fields kept as secrets (Kubernetes Secrets, provider kubeconfigs, tls inputs).",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const allowed = SECRET_FIELDS[args.type] ?? [];
    const props = args.props as Record<string, unknown>;
    for (const field of Object.keys(props)) {
      if (allowed.includes(field)) continue;
      for (const path of credentialPaths(
        readKnown(() => props[field]),
        field,
      ))
        reportViolation(
          `${args.type} ${args.name} holds a credential in ${path}, which is not kept secret; put it in a Kubernetes Secret or a secret config value.`,
        );
    }
  },
};

/** The paths under `value` that hold a credential; values a preview does not know yet are skipped. */
function credentialPaths(value: unknown, path: string): string[] {
  if (value === UNKNOWN) return [];
  if (typeof value === "string") return PRIVATE_KEY.test(value) || KUBECONFIG_CREDENTIAL.test(value) ? [path] : [];
  if (Array.isArray(value))
    return Array.from({ length: value.length }, (_, i) =>
      credentialPaths(
        readKnown(() => value[i]),
        `${path}[${i}]`,
      ),
    ).flat();
  if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    return Object.keys(object).flatMap((k) =>
      credentialPaths(
        readKnown(() => object[k]),
        `${path}.${k}`,
      ),
    );
  }
  return [];
}
