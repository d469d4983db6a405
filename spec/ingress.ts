/**
 * Reading MultiClusterIngress documents: their GKE annotations and the services their routes reach.
 */
import { ANNOTATIONS, type MultiClusterIngress } from "./schema/documents";

export interface IngressAnnotations {
  readonly staticIp?: string;
  /** Certificate Manager certificate names, in the order given. */
  readonly preSharedCerts?: readonly string[];
  /** GKE's pre-shared-certs annotation is present (its Compute Engine certificates are not used). */
  readonly gkePreSharedCerts: boolean;
  readonly frontendConfig?: { readonly key: string; readonly name: string };
}

export function ingressAnnotations(ingress: MultiClusterIngress): IngressAnnotations {
  const annotations = ingress.metadata.annotations ?? {};
  const frontendKey = ANNOTATIONS.frontendConfig.find((k) => annotations[k] !== undefined);
  const certs = annotations[ANNOTATIONS.certificateManagerCerts];
  return {
    ...(annotations[ANNOTATIONS.staticIp] !== undefined ? { staticIp: annotations[ANNOTATIONS.staticIp]! } : {}),
    ...(certs !== undefined
      ? {
          preSharedCerts: certs
            .split(",")
            .map((c) => c.trim())
            .filter((c) => c !== ""),
        }
      : {}),
    ...(frontendKey !== undefined ? { frontendConfig: { key: frontendKey, name: annotations[frontendKey]! } } : {}),
    gkePreSharedCerts: annotations[ANNOTATIONS.gkePreSharedCerts] !== undefined,
  };
}

/**
 * Keys (`namespace/name`) of every service some ingress sends traffic to: its rules' backends, its
 * default backend when it has rules, and the service that serves the environment's catch-all
 * (`catchAll`, spec/catch-all.ts).
 */
export function routedServices(ingresses: readonly MultiClusterIngress[], catchAll?: string): Set<string> {
  const keys = new Set<string>(catchAll !== undefined ? [catchAll] : []);
  for (const ingress of ingresses) {
    const ns = ingress.metadata.namespace;
    const spec = ingress.spec.template.spec;
    if (spec.backend && spec.rules.length > 0) keys.add(`${ns}/${spec.backend.serviceName}`);
    for (const rule of spec.rules)
      for (const path of rule.http.paths) {
        if (path.backend) keys.add(`${ns}/${path.backend.serviceName}`);
        for (const split of path.fleetgate?.split ?? []) keys.add(`${ns}/${split.serviceName}`);
      }
  }
  return keys;
}
