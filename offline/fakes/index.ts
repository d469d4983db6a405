/**
 * What the mock engine answers in place of the clouds: outputs a provider would compute after creating a
 * resource, and results of the lookups the program makes. Values are realistic in shape (documentation
 * IP ranges, well-formed ARNs) and derived from names only, so every run gives the same answers.
 * It imports nothing of the program's own modules: the offline plan loads it before the program, and the
 * program's modules must be compiled the way the Pulumi language host compiles them.
 */
import { createHash } from "node:crypto";

type Inputs = Record<string, unknown>;
/** Computes outputs; `provider` is the explicit provider's reference (`<urn>::<id>`), when there is one. */
type OutputFaker = (name: string, inputs: Inputs, provider?: string) => Inputs;

const outputsByType: Record<string, OutputFaker> = {};
/** Answers a lookup; `provider` is the explicit provider's reference (`<urn>::<id>`), when there is one. */
type InvokeAnswer = (inputs: Inputs, provider?: string) => Inputs;
const invokesByToken: Record<string, InvokeAnswer> = {};

/** Registers computed outputs for a resource type (each component family adds its own). */
export function fakeOutputsFor(type: string, faker: OutputFaker): void {
  outputsByType[type] = faker;
}

/** Registers the answer to a lookup (invoke) token. */
export function fakeInvokeFor(token: string, answer: InvokeAnswer): void {
  invokesByToken[token] = answer;
}

export function fakeOutputs(type: string, name: string, inputs: Inputs, provider?: string): Inputs {
  return outputsByType[type]?.(name, inputs, provider) ?? {};
}

export function fakeInvoke(token: string, inputs: Inputs, provider?: string): Inputs {
  const answer = invokesByToken[token];
  if (!answer) throw new Error(`the offline engine has no answer for the lookup ${token}; add one in offline/fakes/`);
  return answer(inputs, provider);
}

/** A stable number in [0, n) from a name, for fake addresses and ids. */
export function stableNumber(name: string, n: number): number {
  return parseInt(createHash("sha256").update(name).digest("hex").slice(0, 8), 16) % n;
}
