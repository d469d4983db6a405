/**
 * The Fleetgate program as a function: load the environment's spec, validate it, resolve it into a
 * FleetPlan, check its root of trust and its Istio upgrade step against the stack's previous deployment,
 * and hand the plan to FleetIngress. index.ts runs it under `pulumi up` and the offline plan; the property tests run it many
 * times in one process.
 */
import * as pulumi from "@pulumi/pulumi";
import { FleetIngress } from "./components/fleet-ingress";
import { secretsFromConfig } from "./components/secrets";
import { readPreviousRecords } from "./components/trust/previous-deployment";
import { checkTrust, recordedExpiryWarning } from "./components/trust/trust-check";
import { checkIstioSteps, istioRecord } from "./spec/istio-upgrade-guard";
import { formatDiagnostic, InvalidSpecError, planEnvironment, repositoryNeighbours, stackConfigFromEngine } from "./spec";
import { redactDiagnostics } from "./spec/redact";
import { readEnvironmentFiles, readStackFile } from "./spec/read-files";

// Which config keys are secret is known to the SDK but not exported in its typings.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a module the SDK's exports map leaves out, read as CommonJS
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

/**
 * Runs the program for the current stack; resolves to the stack's outputs. An invalid spec, or a trust
 * or Istio upgrade step taken out of order, rejects with a RunError listing every error before any resource is registered.
 */
export async function fleetgateProgram(root = pulumi.runtime.getRootDirectory() || process.cwd()) {
  const environment = pulumi.getStack();
  const stack = stackConfigFromEngine(pulumi.runtime.allConfig(), isConfigSecret, readStackFile(root, environment));
  // The repository's other stacks: a GCP project's DNS authorizations are shared between the stacks in it.
  const neighbours = repositoryNeighbours(root, environment, planEnvironment);
  const result = planEnvironment({ environment, stack, files: readEnvironmentFiles(root, environment), neighbours });

  for (const warning of result.diagnostics.filter((d) => d.severity === "warning")) void pulumi.log.warn(formatDiagnostic(warning));
  if (!result.plan) throw new pulumi.RunError(new InvalidSpecError(result.diagnostics).message);
  const plan = result.plan;

  // The rotation guard and the root's expiry, and the Istio upgrade guard, against this stack's previous
  // deployment (components/trust/, spec/istio-upgrade-guard.ts).
  const now = new Date();
  const previous = await readPreviousRecords(environment);
  const check = checkTrust({
    trust: plan.trust,
    rootCaCert: stack.values.rootCaCert,
    previous: previous.trust,
    now,
    locate: (path) => stack.locate(path),
  });
  const istioSteps = checkIstioSteps({ plan, previous: previous.istio, locate: (path) => stack.locate(path) });
  const diagnostics = redactDiagnostics([...check.diagnostics, ...istioSteps], stack);
  for (const warning of diagnostics.filter((d) => d.severity === "warning")) void pulumi.log.warn(formatDiagnostic(warning));
  if (diagnostics.some((d) => d.severity === "error")) throw new pulumi.RunError(new InvalidSpecError(diagnostics).message);

  const fleet = new FleetIngress(environment, { plan: { ...plan, trust: check.trust }, secrets: secretsFromConfig(new pulumi.Config("fleetgate")) });
  // A generated root the previous deployment did not record is known only once it exists.
  if (check.signingRootNotAfter === undefined)
    fleet.trust.apply((record) => {
      const warning = recordedExpiryWarning(check.trust, record, now);
      if (warning) void pulumi.log.warn(warning);
    });

  return {
    /** The hosts the environment serves. */
    hosts: fleet.hosts,
    /** The front door's public address: GCP's IPv4 address, or the AWS accelerator's DNS name. */
    address: fleet.address,
    /** Every public IP address of the front door. */
    ipAddresses: fleet.ipAddresses,
    /** Per host, the certificates that serve it (and, on GCP, whether they are ACTIVE). */
    certificates: fleet.certificates,
    /** GCP: per routed service port, its backend service. */
    backendServices: fleet.backendServices,
    /** Per cluster: its gateway's hosts and whether it is drained. */
    gateways: fleet.gateways,
    /** What every cluster trusts and which root signed its intermediate: the next deployment's rotation guard reads it. */
    trust: fleet.trust,
    /**
     * Per cluster, its installed Istio revisions and the one its gateways run: the next deployment's Istio
     * upgrade guard reads it. Known once the gateways are, so an update that fails before keeps the old record.
     */
    istio: fleet.gateways.apply(() => istioRecord(plan)),
  };
}
