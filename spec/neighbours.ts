/**
 * What an environment shares with the repository's other stacks. Two environments whose GCP front doors
 * live in one project and authorize the same domain would both write the one CNAME record Certificate
 * Manager gives that domain in that project [gcp.per-project-dns-authorization]: the second `pulumi up`
 * fails on a record the first owns. So each environment learns the others' authorizations and refuses
 * the overlap at its hosts.
 */
import { cite } from "../contracts/contract";
import { perProjectRecords } from "../contracts/gcp";
import type { Diagnostic } from "./diagnostics";
import type { FleetPlan } from "./plan";
import { readEnvironmentFiles, readStackFile, stackEnvironments } from "./read-files";
import { stackConfigFromSource, type StackConfig } from "./stack-config";

/** Another environment of the repository: where its front door lives and which domains it authorizes. */
export interface Neighbour {
  readonly environment: string;
  readonly project?: string;
  readonly authorizations: readonly string[];
}

/** The domains an environment's managed certificates are DNS-authorized for. */
export function authorizationDomains(plan: FleetPlan): string[] {
  return [...new Set(plan.certificates.flatMap((c) => (c.kind === "managed" ? [c.authorizationDomain] : [])))].sort();
}

/** The repository's other environments, each planned on its own (their own neighbours are not looked at). */
export function repositoryNeighbours(
  root: string,
  environment: string,
  plan: (input: { environment: string; stack: StackConfig; files: ReturnType<typeof readEnvironmentFiles> }) => { plan?: FleetPlan },
): Neighbour[] {
  return stackEnvironments(root)
    .filter((other) => other !== environment)
    .flatMap((other) => {
      const file = readStackFile(root, other);
      if (!file) return [];
      const result = plan({ environment: other, stack: stackConfigFromSource(file), files: readEnvironmentFiles(root, other) });
      const frontDoor = result.plan?.frontDoor;
      return result.plan && frontDoor?.provider === "gcp"
        ? [{ environment: other, project: frontDoor.project, authorizations: authorizationDomains(result.plan) }]
        : [];
    });
}

export function sharedAuthorizations(
  plan: FleetPlan,
  neighbours: readonly Neighbour[],
  places: { host(host: string): Omit<Diagnostic, "severity" | "message"> | undefined; frontDoor(): Omit<Diagnostic, "severity" | "message"> },
): Diagnostic[] {
  if (plan.frontDoor.provider !== "gcp") return [];
  const project = plan.frontDoor.project;
  const out: Diagnostic[] = [];
  for (const certificate of plan.certificates) {
    if (certificate.kind !== "managed") continue;
    const others = neighbours.filter((n) => n.project === project && n.authorizations.includes(certificate.authorizationDomain)).map((n) => n.environment);
    if (others.length === 0) continue;
    const host = certificate.hosts[0]!;
    out.push({
      ...(places.host(host) ?? places.frontDoor()),
      severity: "error",
      message: `is served with a certificate authorized for ${certificate.authorizationDomain} in project ${project}, as ${others.length === 1 ? "stack" : "stacks"} ${others.join(", ")} also ${others.length === 1 ? "does" : "do"}; Certificate Manager gives a domain one DNS record per project ${cite(perProjectRecords)}, which only one stack can own. Serve the host from one environment, or run the environments' front doors in different projects.`,
    });
  }
  return out;
}
