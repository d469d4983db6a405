/**
 * What `npm run new-team` decides, as pure functions over plain data: whether the inputs can make a team
 * folder, the first documents of that folder, the host grant the platform admin adds to the stack file,
 * and the CODEOWNERS line. scripts/new-team.ts does the reading, writing and planning around them.
 */
import { stringify } from "yaml";
import { hostGrants, ownersOf } from "../../spec/host-ownership";
import { didYouMean, dnsLabelProblem, hostInDomain, hostNameProblem } from "../../spec/names";
import { GATEWAY_NAME } from "../../spec/naming";

export type Dialect = "gke" | "gateway-api";
export const DIALECTS: readonly Dialect[] = ["gke", "gateway-api"];

export interface TeamRequest {
  readonly environment: string;
  readonly namespace: string;
  readonly host: string;
  readonly dialect: Dialect;
}

/** What the repository says about the environment the team joins. */
export interface EnvironmentFacts {
  /** Every environment with a stack file. */
  readonly environments: readonly string[];
  /** The stack file's `fleetgate:hostOwnership`, as written (undefined when it has none). */
  readonly hostOwnership?: readonly { readonly namespace: string; readonly domains: readonly string[] }[];
  /** `fleetgate:gateway.namespace`, or the default. */
  readonly gatewayNamespace: string;
  /** The name of the admin's Gateway in the gateway namespace's folder, if there is one. */
  readonly adminGateway?: string;
  /** The domains of `fleetgate:dns.zones`: a host outside them gets no records or certificate. */
  readonly dnsZones: readonly string[];
}

/** Every reason the request cannot make a team, as full sentences; empty when it can. */
export function requestProblems(request: TeamRequest, facts: EnvironmentFacts): string[] {
  const problems: string[] = [];
  if (!facts.environments.includes(request.environment))
    problems.push(
      `--stack: there is no stack file stacks/Pulumi.${request.environment}.yaml (the environments are ${facts.environments.join(", ") || "none yet"})${didYouMean(request.environment, facts.environments) || "."}`,
    );
  const labelProblem = dnsLabelProblem(request.namespace);
  if (labelProblem !== undefined) problems.push(`--namespace: "${request.namespace}" ${labelProblem}; a namespace is a DNS label, such as "cart".`);
  else if (request.namespace === facts.gatewayNamespace)
    problems.push(
      `--namespace: "${request.namespace}" is the environment's gateway namespace (fleetgate:gateway.namespace), whose folder holds the admin's Gateway; name the team's own namespace.`,
    );
  const hostProblem = hostNameProblem(request.host);
  if (hostProblem !== undefined) problems.push(`--host: ${hostProblem}.`);
  else if (facts.environments.includes(request.environment) && !facts.dnsZones.some((zone) => hostInDomain(request.host, zone)))
    problems.push(
      `--host: "${request.host}" is in none of the environment's DNS zones (${facts.dnsZones.join(", ") || "fleetgate:dns.zones lists none"}), so it could get no records or certificate; use a host under one of them, or ask the admin to add its zone.`,
    );
  else {
    const others = otherOwners(request, facts);
    if (others !== undefined)
      problems.push(
        `--host: "${request.host}" is granted exactly to ${others.map((o) => `"${o}"`).join(" and ")} in fleetgate:hostOwnership, and the new team's first path (/*) would take all of it; ask the admin for a host of the team's own.`,
      );
  }
  return problems;
}

/** The namespaces that hold the host by an exact grant, when the team does not: the host is theirs. */
function otherOwners(request: TeamRequest, facts: EnvironmentFacts): string[] | undefined {
  const { owners, grants } = ownersOf(request.host, hostGrants(facts.hostOwnership ?? []));
  if (owners.size === 0 || owners.has(request.namespace)) return undefined;
  return grants.some((g) => g.pattern === request.host) ? [...owners].sort() : undefined;
}

/** Whether the admin's grants already let the namespace claim the host. */
export function alreadyGranted(request: TeamRequest, facts: EnvironmentFacts): boolean {
  return ownersOf(request.host, hostGrants(facts.hostOwnership ?? [])).owners.has(request.namespace);
}

/** The grant to add under `config:` of the stack file, as YAML; empty when the host is granted already. */
export function grantFragment(request: TeamRequest, facts: EnvironmentFacts): string {
  if (alreadyGranted(request, facts)) return "";
  return stringify({ "fleetgate:hostOwnership": [{ namespace: request.namespace, domains: [request.host] }] }, { lineWidth: 0 });
}

/** The team's folder, relative to the project root. */
export function teamFolder(request: TeamRequest): string {
  return `stacks/${request.environment}/${request.namespace}`;
}

/** The first file of the folder: one MultiClusterService and its ingress or route, named after the team. */
export function teamFile(request: TeamRequest, facts: EnvironmentFacts): { readonly path: string; readonly text: string } {
  const service = serviceName(request.namespace);
  const header = [
    "# yaml-language-server: $schema=../../../schemas/documents.schema.json",
    `# The ${request.namespace} team's first service and its ${request.dialect === "gke" ? "ingress" : "route"}, scaffolded by \`npm run new-team\`.`,
    `# The service runs pods labelled app: ${service} in every cluster (selector: {}); name clusters or labels`,
    "# to narrow it, and set the port your pods listen on. docs/spec.md is the reference.",
  ];
  const mcs = [
    "apiVersion: networking.gke.io/v1",
    "kind: MultiClusterService",
    `metadata: { name: ${service}, namespace: ${request.namespace} }`,
    "spec:",
    "  template:",
    "    spec:",
    `      selector: { app: ${service} }`,
    "      ports: [{ name: http, protocol: TCP, port: 8080 }]",
    "  clusters:",
    "    - selector: {}",
  ];
  const front =
    request.dialect === "gke"
      ? [
          "apiVersion: networking.gke.io/v1",
          "kind: MultiClusterIngress",
          `metadata: { name: ${request.namespace}, namespace: ${request.namespace} }`,
          "spec:",
          "  template:",
          "    spec:",
          "      rules:",
          `        - host: ${JSON.stringify(request.host)}`,
          "          http:",
          "            paths:",
          `              - { path: /*, backend: { serviceName: ${service}, servicePort: 8080 } }`,
        ]
      : [
          "apiVersion: gateway.networking.k8s.io/v1",
          "kind: HTTPRoute",
          `metadata: { name: ${request.namespace}, namespace: ${request.namespace} }`,
          "spec:",
          `  parentRefs: [{ name: ${facts.adminGateway ?? GATEWAY_NAME}, namespace: ${facts.gatewayNamespace} }]`,
          `  hostnames: [${JSON.stringify(request.host)}]`,
          "  rules:",
          `    - backendRefs: [{ name: ${service}, port: 8080 }]`,
        ];
  return { path: `${teamFolder(request)}/${request.namespace}.yaml`, text: [...header, ...mcs, "---", ...front, ""].join("\n") };
}

/**
 * The service's name: the namespace's, unless that starts with a digit, which a namespace may and a
 * Kubernetes Service name may not.
 */
function serviceName(namespace: string): string {
  return /^[a-z]/.test(namespace) ? namespace : "web";
}

/**
 * The CODEOWNERS line that gives the folder to its team: `@<org>/<namespace>`, the organization taken
 * from the file's catch-all `*` line (test/review/codeowners.test.ts holds every team folder to it).
 */
export function codeownersLine(request: TeamRequest, codeowners: string | undefined): { readonly line: string; readonly present: boolean } {
  const pattern = `/${teamFolder(request)}/`;
  const lines = (codeowners ?? "").split("\n").map((l) => l.replace(/#.*/, "").trim());
  const fallback = lines.find((l) => l.startsWith("* "))?.split(/\s+/)[1];
  const org = fallback?.match(/^@([^/]+)\//)?.[1] ?? "<org>";
  return { line: `${pattern} @${org}/${request.namespace}`, present: lines.some((l) => l.split(/\s+/)[0] === pattern) };
}
