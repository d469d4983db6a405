/**
 * Every contract of the boundary (contracts/contract.ts), and the one function the offline engine calls
 * on each registration to refuse what a provider would refuse.
 */
import * as aws from "./aws";
import { type Contract, type Inputs, ProviderRefusal, type RegistrationCheck, type RegistrationContext, refusal } from "./contract";
import * as gatewayApi from "./gateway-api";
import * as gatewayApiBundle from "./gateway-api-bundle";
import * as gcp from "./gcp";
import * as istio from "./istio";
import * as kubernetes from "./kubernetes";
import * as protocols from "./protocols";
import * as gkePolicies from "./gke-policies";
import * as istioUpgrades from "./istio-upgrades";
import * as migration from "./migration";
import * as tls from "./tls";

export { type Contract, ProviderRefusal, refusal, cite } from "./contract";

/** Every contract, in the order of the generated table: by party, then as each module lists them. */
export const CONTRACTS: readonly Contract[] = [
  ...gcp.contracts,
  ...aws.contracts,
  ...kubernetes.contracts,
  ...istioUpgrades.contracts,
  ...istio.contracts,
  ...gatewayApi.contracts,
  ...gatewayApiBundle.contracts,
  ...protocols.contracts,
  ...gkePolicies.contracts,
  ...migration.contracts,
  ...tls.contracts,
];

const CHECKS: readonly RegistrationCheck[] = [
  ...gcp.registrationChecks,
  ...aws.registrationChecks,
  ...kubernetes.registrationChecks,
  ...tls.registrationChecks,
];

const checksByType = new Map<string, RegistrationCheck[]>();
for (const check of CHECKS) for (const type of check.types) checksByType.set(type, [...(checksByType.get(type) ?? []), check]);

/** The registration checks that apply to a type (for tests and the table): its own, and its package's. */
export function checksFor(type: string): readonly RegistrationCheck[] {
  return [...(checksByType.get(`${type.split(":")[0]}:*`) ?? []), ...(checksByType.get(type) ?? [])];
}

/** Contracts some registration check enforces. */
export function contractsCheckedOnRegistration(): ReadonlySet<string> {
  return new Set(CHECKS.map((c) => c.contract.id));
}

/**
 * Throws the provider's refusal when a registration breaks a contract: every broken rule, each with its
 * source, in one error (a provider reports a request's problems together).
 */
export function assertRegistration(type: string, name: string, inputs: Inputs, context?: RegistrationContext): void {
  const messages: string[] = [];
  let first: Contract | undefined;
  for (const check of checksFor(type)) {
    const problems = check.check(inputs, name, { ...context, type });
    if (problems.length === 0) continue;
    first ??= check.contract;
    messages.push(refusal(check.contract, `${name} (${type.split(":").pop()}): ${problems.join("; ")}`));
  }
  if (first) throw new ProviderRefusal(first, messages.join("\n"));
}
