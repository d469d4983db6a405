/**
 * `npm run new-team -- --stack <env> --namespace <ns> --host <host>`: scaffolds a team's folder with a
 * first MultiClusterService and its MultiClusterIngress (or HTTPRoute), never replacing a file, prints
 * what the platform admin and CODEOWNERS must add, and plans the environment with the printed grant in
 * (spec/index.ts, no engine) to show that it would plan. The decisions are in scripts/lib/team-scaffold.ts;
 * docs/teams.md is the whole checklist.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { applyFragment } from "../migrate/admin-settings";
import { formatDiagnostic, planEnvironment, repositoryNeighbours, stackConfigFromFile } from "../spec";
import { DEFAULT_GATEWAY_NAMESPACE } from "../spec/naming";
import { readEnvironmentFiles, readStackFile, stackEnvironments } from "../spec/read-files";
import { parseCommand } from "./lib/cli";
import {
  codeownersLine,
  DIALECTS,
  grantFragment,
  requestProblems,
  teamFile,
  teamFolder,
  type Dialect,
  type EnvironmentFacts,
  type TeamRequest,
} from "./lib/team-scaffold";

const USAGE = `Usage: npm run new-team -- --stack <env> --namespace <ns> --host <host> [--dialect gke|gateway-api]

Scaffolds stacks/<env>/<ns>/<ns>.yaml: a first MultiClusterService and a MultiClusterIngress (or, with
--dialect gateway-api, an HTTPRoute) that sends every path of <host> to it. Never replaces a file.
Prints the host grant the platform admin adds to stacks/Pulumi.<env>.yaml, the .github/CODEOWNERS line,
and whether the environment plans with the grant in. docs/teams.md has the whole checklist.

options:
  --stack <env>        the environment (a stacks/Pulumi.<env>.yaml must exist)
  --namespace <ns>     the team's namespace, a DNS label; the folder's name
  --host <host>        the team's first host name (shop.example.com, or *.apps.example.com)
  --dialect <d>        gke (default: MultiClusterIngress) or gateway-api (HTTPRoute)
  --root <dir>         the project whose stacks/ and .github/CODEOWNERS to use (default: this one)
  -h, --help           this text

exit status: 0 written and plans; 1 refused (nothing written) or the environment does not plan yet; 2 usage.`;

const ROOT = resolve(__dirname, "..");

const COMMAND = {
  tool: "new-team",
  usage: USAGE,
  options: { stack: { type: "string" }, namespace: { type: "string" }, host: { type: "string" }, dialect: { type: "string" }, root: { type: "string" } },
} as const;

function main(argv: string[]): number {
  const { values, fail } = parseCommand(COMMAND, argv);
  const missing = (["stack", "namespace", "host"] as const).filter((k) => values[k] === undefined);
  if (missing.length > 0) fail(`${missing.map((k) => `--${k}`).join(", ")} ${missing.length === 1 ? "is" : "are"} required`);
  const dialect = values.dialect ?? "gke";
  if (!DIALECTS.includes(dialect as Dialect)) fail(`--dialect: "${dialect}" is not a dialect; use ${DIALECTS.join(" or ")}`);
  const root = resolve(values.root ?? ROOT);
  const request: TeamRequest = { environment: values.stack!, namespace: values.namespace!, host: values.host!, dialect: dialect as Dialect };

  const environments = stackEnvironments(root);
  const stackFile = environments.includes(request.environment) ? readStackFile(root, request.environment) : undefined;
  const facts = environmentFacts(root, request.environment, environments, stackFile?.text);
  const problems = requestProblems(request, facts);
  if (stackFile?.unreadable) problems.push(`${stackFile.path}: ${stackFile.unreadable.message}`);
  const file = teamFile(request, facts);
  if (problems.length === 0 && existsSync(join(root, file.path)))
    problems.push(`${file.path} exists already, and new-team never replaces a file; the team has a folder: add documents to it by hand.`);
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem);
    console.error(`\nNothing was written: ${problems.length} problem${problems.length === 1 ? "" : "s"} above.`);
    return 1;
  }

  mkdirSync(join(root, dirname(file.path)), { recursive: true });
  writeFileSync(join(root, file.path), file.text, { flag: "wx" });
  console.log(`wrote ${file.path}\n`);

  const fragment = grantFragment(request, facts);
  if (fragment === "")
    console.log(`1. stacks/Pulumi.${request.environment}.yaml grants "${request.host}" to "${request.namespace}" already (fleetgate:hostOwnership).`);
  else
    console.log(
      `1. The platform admin adds under config: of stacks/Pulumi.${request.environment}.yaml (a list appends to the one there):\n\n${indent(fragment)}`,
    );
  const owners = codeownersLine(request, readOptional(join(root, ".github", "CODEOWNERS")));
  console.log(
    owners.present
      ? `2. .github/CODEOWNERS has a line for /${teamFolder(request)}/ already.`
      : `2. Add to .github/CODEOWNERS, after the platform's lines (the last matching line wins):\n\n    ${owners.line}\n`,
  );
  console.log(`3. Create the namespace "${request.namespace}" in every cluster that runs the team's services or routes to them (docs/operating.md).`);
  console.log(`4. Regenerate the pictures: npm run diagram -- --docs\n`);

  // The environment as it will be once the grant is in: the files on disk and the stack file with the fragment applied.
  const stackText = applyFragment(stackFile!.text, fragment);
  const result = planEnvironment({
    environment: request.environment,
    stack: stackConfigFromFile(stackFile!.path, stackText),
    files: readEnvironmentFiles(root, request.environment),
    neighbours: repositoryNeighbours(root, request.environment, planEnvironment),
  });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  const warnings = result.diagnostics.length - errors.length;
  if (!result.plan) {
    for (const d of result.diagnostics) console.error(formatDiagnostic(d));
    console.error(`\nWith the grant in, "${request.environment}" does not plan yet: ${errors.length} error${errors.length === 1 ? "" : "s"} above.`);
    return 1;
  }
  for (const d of result.diagnostics) console.log(formatDiagnostic(d));
  console.log(
    `With the grant in, "${request.environment}" plans${warnings > 0 ? ` with ${warnings} warning${warnings === 1 ? "" : "s"} above` : " without warnings"}; npm run plan -- --stack ${request.environment} shows what it builds.`,
  );
  return 0;
}

/** What the team's environment says: its grants, its gateway namespace and the admin's Gateway there. */
function environmentFacts(root: string, environment: string, environments: readonly string[], stackText: string | undefined): EnvironmentFacts {
  const config =
    (stackText !== undefined ? (parseAllDocuments(stackText)[0]?.toJS?.() as { config?: Record<string, unknown> } | undefined)?.config : undefined) ?? {};
  const ownership = Array.isArray(config["fleetgate:hostOwnership"])
    ? (config["fleetgate:hostOwnership"] as unknown[]).flatMap((o) => {
        const entry = o as { namespace?: unknown; domains?: unknown };
        return typeof entry?.namespace === "string" && Array.isArray(entry.domains)
          ? [{ namespace: entry.namespace, domains: entry.domains.filter((d): d is string => typeof d === "string") }]
          : [];
      })
    : undefined;
  const gatewayConfig = config["fleetgate:gateway"] as { namespace?: unknown } | undefined;
  const gatewayNamespace = typeof gatewayConfig?.namespace === "string" ? gatewayConfig.namespace : DEFAULT_GATEWAY_NAMESPACE;
  const dns = config["fleetgate:dns"] as { zones?: unknown } | undefined;
  const dnsZones = Array.isArray(dns?.zones)
    ? dns.zones.flatMap((z) => (typeof (z as { domain?: unknown })?.domain === "string" ? [(z as { domain: string }).domain] : []))
    : [];
  const adminGateway = environments.includes(environment) ? gatewayName(root, environment, gatewayNamespace) : undefined;
  return { environments, gatewayNamespace, dnsZones, ...(ownership ? { hostOwnership: ownership } : {}), ...(adminGateway ? { adminGateway } : {}) };
}

/** The name of the admin's Gateway in the gateway namespace's folder: routes attach to it by that name. */
function gatewayName(root: string, environment: string, gatewayNamespace: string): string | undefined {
  for (const file of readEnvironmentFiles(root, environment).filter((f) => f.path.startsWith(`stacks/${environment}/${gatewayNamespace}/`) && !f.unreadable))
    for (const doc of parseAllDocuments(file.text)) {
      const object = doc.toJS() as { kind?: unknown; metadata?: { name?: unknown } } | null;
      if (object?.kind === "Gateway" && typeof object.metadata?.name === "string") return object.metadata.name;
    }
  return undefined;
}

function readOptional(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

function indent(text: string): string {
  return (
    text
      .trimEnd()
      .split("\n")
      .map((l) => `    ${l}`)
      .join("\n") + "\n"
  );
}

process.exit(main(process.argv.slice(2)));
