/**
 * The port-80 redirect to HTTPS, per host: GKE's FrontendConfig `redirectToHttps.responseCodeName` names
 * the status code the ingresses that refer to it answer plain HTTP with. Fleetgate serves every team
 * from one front door, so the code is a host's: each host takes the code of the FrontendConfig its
 * ingresses name, and 301 (GKE's default) where none names one. Two ingresses asking one host for
 * different codes are refused (spec/validate.ts); behind AWS only what Gateway API can answer is taken.
 */
import { cite } from "../contracts/contract";
import { GATEWAY_REDIRECT_CODES, gatewayRedirectCodes } from "../contracts/kubernetes";
import { keyOf, type Loaded, type LoadedDocuments } from "./documents";
import { ingressAnnotations } from "./ingress";
import { REDIRECT_CODE_NAMES, type RedirectCodeName, type RedirectStatus } from "./redirect-codes";
import type { FrontendConfig, MultiClusterIngress } from "./schema/documents";

/** One ingress's request for a host's redirect code. */
export interface RedirectClaim {
  readonly host: string;
  readonly status: RedirectStatus;
  readonly codeName: RedirectCodeName;
  readonly ingress: Loaded<"MultiClusterIngress", MultiClusterIngress>;
  readonly rule: number;
  readonly frontendConfig: Loaded<"FrontendConfig", FrontendConfig>;
}

/** The FrontendConfig an ingress names, when it exists in the ingress's namespace. */
export function frontendConfigOf(
  ingress: MultiClusterIngress,
  documents: Pick<LoadedDocuments, "frontendConfigs">,
): Loaded<"FrontendConfig", FrontendConfig> | undefined {
  const named = ingressAnnotations(ingress).frontendConfig;
  if (named === undefined) return undefined;
  return documents.frontendConfigs.find((fc) => fc.doc.metadata.namespace === ingress.metadata.namespace && fc.doc.metadata.name === named.name);
}

/** Every host's requested code, by ingress in key order (the order the resolver reads them). */
export function redirectClaims(documents: Pick<LoadedDocuments, "ingresses" | "frontendConfigs">): RedirectClaim[] {
  const claims: RedirectClaim[] = [];
  const ingresses = [...documents.ingresses].sort((a, b) => (keyOf(a.doc) < keyOf(b.doc) ? -1 : keyOf(a.doc) > keyOf(b.doc) ? 1 : 0));
  for (const ingress of ingresses) {
    const frontendConfig = frontendConfigOf(ingress.doc, documents);
    const codeName = frontendConfig?.doc.spec.redirectToHttps?.responseCodeName;
    if (frontendConfig === undefined || codeName === undefined) continue;
    ingress.doc.spec.template.spec.rules.forEach((rule, r) =>
      claims.push({ host: rule.host, status: REDIRECT_CODE_NAMES[codeName], codeName, ingress, rule: r, frontendConfig }),
    );
  }
  return claims;
}

/** The redirect code of each host some FrontendConfig gives one: the first claim in key order. */
export function redirectStatusByHost(documents: Pick<LoadedDocuments, "ingresses" | "frontendConfigs">): Map<string, RedirectStatus> {
  const byHost = new Map<string, RedirectStatus>();
  for (const claim of redirectClaims(documents)) if (!byHost.has(claim.host)) byHost.set(claim.host, claim.status);
  return byHost;
}

/** A problem of a document at a field, for spec/validate.ts to report. */
export interface DocumentProblem {
  readonly doc: Loaded;
  readonly path: (string | number)[];
  readonly message: string;
}

/**
 * What cannot be done with the codes asked for: two codes for one host (at the later ingress's host,
 * naming the earlier), and behind the AWS front door a code its gateways cannot answer with (at the
 * FrontendConfig's field, once).
 */
export function redirectCodeProblems(documents: Pick<LoadedDocuments, "ingresses" | "frontendConfigs">, frontDoor: "gcp" | "aws"): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  const first = new Map<string, RedirectClaim>();
  const refused = new Set<Loaded>();
  const describe = (claim: RedirectClaim) => `${claim.codeName} (${claim.status})`;
  for (const claim of redirectClaims(documents)) {
    if (frontDoor === "aws" && !(GATEWAY_REDIRECT_CODES as readonly number[]).includes(claim.status) && !refused.has(claim.frontendConfig)) {
      refused.add(claim.frontendConfig);
      const nearest = claim.status === 308 ? "MOVED_PERMANENTLY_DEFAULT" : "FOUND";
      problems.push({
        doc: claim.frontendConfig,
        path: ["spec", "redirectToHttps", "responseCodeName"],
        message: `is ${describe(claim)}, but behind the AWS front door each cluster's gateway answers port 80, and a Gateway API redirect is 301 or 302 ${cite(gatewayRedirectCodes)}; use "${nearest}" (${REDIRECT_CODE_NAMES[nearest]}), the one that is as ${claim.status === 308 ? "permanent" : "temporary"}, or remove responseCodeName for 301`,
      });
    }
    const earlier = first.get(claim.host);
    if (earlier === undefined) first.set(claim.host, claim);
    else if (earlier.status !== claim.status && earlier.ingress !== claim.ingress) {
      const where = earlier.ingress.locate(["spec", "template", "spec", "rules", earlier.rule, "host"]);
      problems.push({
        doc: claim.ingress,
        path: ["spec", "template", "spec", "rules", claim.rule, "host"],
        message: `"${claim.host}" is redirected from HTTP with ${describe(claim)} by FrontendConfig ${keyOf(claim.frontendConfig.doc)}, but ${keyOf(earlier.ingress.doc)} (${where.file}:${where.line ?? 1}) serves it too and asks for ${describe(earlier)} by FrontendConfig ${keyOf(earlier.frontendConfig.doc)}; one front door answers port 80 for the host with one code, so agree on one`,
      });
    }
  }
  return problems;
}
