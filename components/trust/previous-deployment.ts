/**
 * Reads what the stack's previous deployment recorded about its root of trust: a StackReference to the
 * stack itself, whose outputs are those of its last deployment (an update that fails keeps the outputs
 * it did not reach). The decision what to make of them is trust-record.ts's; this only fetches.
 */
import * as pulumi from "@pulumi/pulumi";
import { ALWAYS_EXPORTED_OUTPUT, type PreviousDeployment, previousDeploymentFrom, TRUST_OUTPUT } from "./trust-record";

/** The stack's own fully qualified name, as a StackReference takes it. */
export function ownStackName(): string {
  return `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
}

/**
 * Reads the previous deployment's trust record. The read is a resource of its own (`<environment>-previous-deployment`),
 * answered in previews and updates alike, so the guard decides from plain data before anything is created.
 */
export async function readPreviousDeployment(environment: string): Promise<PreviousDeployment> {
  const self = new pulumi.StackReference(`${environment}-previous-deployment`, { name: ownStackName() });
  const [trust, alwaysExported] = await Promise.all([self.getOutputDetails(TRUST_OUTPUT), self.getOutputDetails(ALWAYS_EXPORTED_OUTPUT)]);
  // The record holds nothing secret, but a stack whose outputs were made secret hands them over as such.
  const value = (details: pulumi.StackReferenceOutputDetails) => details.value ?? details.secretValue;
  return previousDeploymentFrom({ trust: value(trust), alwaysExported: value(alwaysExported) });
}
