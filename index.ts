/**
 * The Fleetgate program: load the environment's spec, validate it, resolve it into a FleetPlan and hand
 * that to FleetIngress. `pulumi up` runs this file on the stack named after the environment; the offline
 * plan runs the same file under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { FleetIngress } from "./components/fleet-ingress";
import { secretsFromConfig } from "./components/secrets";
import { formatDiagnostic, InvalidSpecError, planEnvironment, repositoryNeighbours, stackConfigFromEngine } from "./spec";
import { readEnvironmentFiles, readStackFile } from "./spec/read-files";

// Which config keys are secret is known to the SDK but not exported in its typings.
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

const environment = pulumi.getStack();
const root = pulumi.runtime.getRootDirectory() || process.cwd();
const stack = stackConfigFromEngine(pulumi.runtime.allConfig(), isConfigSecret, readStackFile(root, environment));
// The repository's other stacks: a GCP project's DNS authorizations are shared between the stacks in it.
const neighbours = repositoryNeighbours(root, environment, planEnvironment);
const result = planEnvironment({ environment, stack, files: readEnvironmentFiles(root, environment), neighbours });

for (const warning of result.diagnostics.filter((d) => d.severity === "warning")) pulumi.log.warn(formatDiagnostic(warning));
// An invalid spec stops the program before any resource is registered.
if (!result.plan) throw new pulumi.RunError(new InvalidSpecError(result.diagnostics).message);

const fleet = new FleetIngress(environment, { plan: result.plan, secrets: secretsFromConfig(new pulumi.Config("fleetgate")) });

/** The hosts the environment serves. */
export const hosts = fleet.hosts;
/** The front door's public address: GCP's IPv4 address, or the AWS accelerator's DNS name. */
export const address = fleet.address;
/** Every public IP address of the front door. */
export const ipAddresses = fleet.ipAddresses;
/** Per host, the certificates that serve it (and, on GCP, whether they are ACTIVE). */
export const certificates = fleet.certificates;
/** GCP: per routed service port, its backend service. */
export const backendServices = fleet.backendServices;
/** Per cluster: its gateway's hosts and whether it is drained. */
export const gateways = fleet.gateways;
