/**
 * Reads what the stack's previous deployment recorded: a StackReference to the stack itself, whose
 * outputs are those of its last deployment (an update that fails keeps the outputs it did not reach).
 * Two records are read from it: the root of trust's (trust-record.ts) and each cluster's Istio revisions
 * (spec/istio-upgrade-guard.ts). What to make of them is theirs to decide; this only fetches.
 */
import * as pulumi from "@pulumi/pulumi";
import { ISTIO_OUTPUT, type PreviousIstio, previousIstioFrom } from "../../spec/istio-upgrade-guard";
import { ALWAYS_EXPORTED_OUTPUT, type PreviousDeployment, previousDeploymentFrom, TRUST_OUTPUT } from "./trust-record";

/** The stack's own fully qualified name, as a StackReference takes it. */
export function ownStackName(): string {
  return `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
}

/** What the previous deployment recorded, by record. */
export interface PreviousRecords {
  readonly trust: PreviousDeployment;
  readonly istio: PreviousIstio;
}

/**
 * Reads the previous deployment's records. The read is a resource of its own (`<environment>-previous-deployment`),
 * answered in previews and updates alike, so the guards decide from plain data before anything is created.
 */
export async function readPreviousRecords(environment: string): Promise<PreviousRecords> {
  const self = new pulumi.StackReference(`${environment}-previous-deployment`, { name: ownStackName() });
  const [trust, istio, alwaysExported] = await Promise.all([TRUST_OUTPUT, ISTIO_OUTPUT, ALWAYS_EXPORTED_OUTPUT].map((output) => self.getOutputDetails(output)));
  // The records hold nothing secret, but a stack whose outputs were made secret hands them over as such.
  const value = (details: pulumi.StackReferenceOutputDetails | undefined) => details?.value ?? details?.secretValue;
  return {
    trust: previousDeploymentFrom({ trust: value(trust), alwaysExported: value(alwaysExported) }),
    istio: previousIstioFrom({ istio: value(istio), alwaysExported: value(alwaysExported) }),
  };
}

/** Reads the previous deployment's trust record alone. */
export async function readPreviousDeployment(environment: string): Promise<PreviousDeployment> {
  return (await readPreviousRecords(environment)).trust;
}
