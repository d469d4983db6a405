/**
 * The boundary, written down: what a cloud API, a controller or a provider outside Fleetgate accepts and
 * does, one rule each, with the documentation it comes from and the places Fleetgate holds to it.
 *
 * - `engine`: the offline engine's fakes refuse what breaks the rule, as the provider would (offline/
 *   simulation, offline/fakes), so an offline plan or simulated `pulumi up` fails where the real one would.
 * - `validator`: the spec validator reports it at the field a user can fix (spec/validate.ts).
 * - `wait`: the program waits for the actor's own signal before depending on it (components/waits.ts).
 * - `program`: Fleetgate builds only what the rule allows, and a test says so.
 *
 * docs/contracts.md is generated from these records (`npm run contracts`); test/contracts checks that
 * every place a rule names really holds it.
 */

export type Party = "GCP" | "AWS" | "GKE" | "EKS" | "Istio" | "Kubernetes" | "Pulumi";

export interface Source {
  /** The document's title as its publisher gives it. */
  readonly title: string;
  /** The section that states the rule. */
  readonly section?: string;
  readonly url?: string;
}

export interface Contract {
  /** Stable identifier, quoted in every message that enforces the rule. */
  readonly id: string;
  /** Whose rule it is. */
  readonly party: Party;
  /** The resource or actor it is about. */
  readonly subject: string;
  /** The rule, as a sentence. */
  readonly rule: string;
  readonly source: Source;
  /** Where Fleetgate holds to it, each with what exactly does. */
  readonly checkedIn: { readonly engine?: string; readonly validator?: string; readonly wait?: string; readonly program?: string };
}

/** The rule's reference in messages: `[gcp.neg-backends]`. */
export function cite(contract: Contract): string {
  return `[${contract.id}]`;
}

/** What a provider says when it refuses: the rule's words and where they come from. */
export function refusal(contract: Contract, what: string): string {
  const where = [contract.source.title, contract.source.section].filter(Boolean).join(" › ");
  return `${contract.party} refuses ${what} ${cite(contract)}: ${contract.rule} (${where})`;
}

/** The inputs of a registration as the fakes see them: plain data, secrets revealed. */
export type Inputs = Readonly<Record<string, unknown>>;

/**
 * A check the fakes run on every registration of a resource type, using its inputs alone (what a
 * provider's API checks on the request). It returns the problems, as phrases naming the value.
 */
export interface RegistrationCheck {
  readonly contract: Contract;
  /** Resource types; `kubernetes:*` stands for every type of that package. */
  readonly types: readonly string[];
  check(inputs: Inputs, name: string, context?: RegistrationContext): readonly string[];
}

/**
 * What else a check may know of a registration: its type, the inputs of the explicit provider it names,
 * and the other resources of the cloud at that moment (the run's other registrations, and in a
 * simulated update those of the previous deployment not deleted yet), for rules between resources.
 */
export interface RegistrationContext {
  readonly type?: string;
  readonly provider?: Inputs;
  readonly others?: readonly { readonly type: string; readonly name: string; readonly inputs: Inputs }[];
}

/** A provider's error for a refused request: the message Pulumi shows, as `details` too, which the SDK reads for invokes. */
export class ProviderRefusal extends Error {
  readonly details: string;
  constructor(
    readonly contract: Contract,
    message: string,
  ) {
    super(message);
    this.details = message;
  }
}

/** Numbers as the APIs take them. */
export const asNumber = (value: unknown): number | undefined =>
  typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value)) ? Number(value) : undefined;
export const asArray = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
export const asRecord = (value: unknown): Readonly<Record<string, unknown>> =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
