/**
 * The simulated `pulumi up`: a Cloud (offline/mock-engine.ts) that answers the program's registrations
 * and lookups on a virtual clock, against a World (world.ts) where the clouds' APIs and the clusters'
 * controllers act as their documentation says (the handlers of kubernetes.ts, gcp.ts, aws.ts).
 *
 * It behaves as Pulumi's engine does in an update:
 * - a registration is answered once its resource is created (or updated, or found unchanged), so what
 *   depends on it waits, exactly as the SDK waits for the real engine;
 * - a resource whose inputs did not change is the same (no call); one whose inputs changed is updated,
 *   or replaced where its provider must (review/replacement.ts), the old one deleted at the end;
 * - when the program ends, what it no longer registers is deleted, dependents first;
 * - a provider's refusal fails the registration, and so the update.
 * Every operation is timed, which gives the update's wall time and its critical path (report.ts).
 */
import { ProviderRefusal, type Contract, refusal } from "../../contracts/contract";
import { assertRegistration } from "../../contracts";
import { changedLeaves } from "../../review/values";
import { replacementVerdict } from "../../review/replacement";
import type { Cloud, Registration, RegisteredResource } from "../mock-engine";
import { fakeInvoke, fakeOutputs } from "../fakes/all";
import type { VirtualClock } from "./clock";
import { LATENCIES, type LatencyKind } from "./latencies";
import type { World } from "./world";

/** A resource as Pulumi's state keeps it between updates. */
export interface StateEntry {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
  readonly wireInputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly provider?: string;
  readonly parent?: string;
  /** Everything it depends on: parent, provider, dependsOn and the resources its inputs come from. */
  readonly dependencies: readonly string[];
  readonly deleteBeforeReplace: boolean;
  readonly retainOnDelete: boolean;
}

export type PulumiState = Record<string, StateEntry>;

export type OperationKind = "create" | "update" | "replace" | "same" | "delete" | "delete-replaced" | "retain";

/** One thing the engine did, with when. */
export interface Operation {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly kind: OperationKind;
  readonly start: number;
  readonly end: number;
  readonly dependencies: readonly string[];
  readonly error?: string;
}

/** A lookup the program made, repeated until it was answered (a wait), with when. */
export interface Lookup {
  readonly label: string;
  readonly first: number;
  readonly last: number;
  readonly calls: number;
  readonly answered: boolean;
}

export interface SimulationResult {
  readonly world: World;
  readonly state: PulumiState;
  readonly operations: readonly Operation[];
  readonly lookups: readonly Lookup[];
  /** The first refusal or failure, if the update failed. */
  readonly failure?: string;
  /** What the actors did, and what went wrong outside Pulumi's view (traffic to something gone, say). */
  readonly events: readonly { readonly at: number; readonly text: string }[];
  readonly violations: readonly string[];
  /** When the engine finished (the program ended and its deletions were done). */
  readonly endMs: number;
  /** When the actors were done afterwards (certificates issued, load balancers active). */
  readonly settledMs: number;
}

/** What a handler needs of the simulation. */
export interface Context {
  readonly clock: VirtualClock;
  readonly world: World;
  readonly environment: string;
  /** Waits a kind's latency (or a number of milliseconds). */
  sleep(kind: LatencyKind | number): Promise<void>;
  /** Throws the provider's refusal. */
  refuse(contract: Contract, what: string): never;
  /** Something went wrong outside Pulumi's view: recorded, and the scenario fails on it. */
  violation(text: string): void;
  event(text: string): void;
  /** Tells waiters the world changed. */
  changed(): void;
  /** Resolves when `ready()` holds, checked after each change; rejects with `timeout()`'s message after `ms`. */
  until(ready: () => boolean, ms: number, timeout: () => string): Promise<void>;
  /** The inputs of a registration's explicit provider. */
  providerInputs(resource: { provider?: string }): Record<string, unknown> | undefined;
  /** The fakes' outputs for a registration (offline/fakes). */
  fakeOutputs(resource: RegisteredResource, wireInputs: Record<string, unknown>): Record<string, unknown>;
}

/** How one kind of resource is created, updated and deleted, and what that does to the world. */
export interface Handler {
  readonly matches: (type: string) => boolean;
  /** Component types the handler's provider constructs itself (remote components such as a ConfigFile). */
  readonly constructs?: (type: string) => boolean;
  /** What constructing one does in the world, at every update (a component is constructed each time). */
  construct?(ctx: Context, resource: RegisteredResource): Promise<void>;
  create(ctx: Context, resource: RegisteredResource, wireInputs: Record<string, unknown>): Promise<Record<string, unknown>>;
  update?(ctx: Context, resource: RegisteredResource, wireInputs: Record<string, unknown>, old: StateEntry): Promise<Record<string, unknown>>;
  delete?(ctx: Context, urn: string, old: StateEntry): Promise<void>;
}

/** How a lookup is answered from the world; it throws what the provider would (not found, say). */
export interface LookupHandler {
  readonly token: string;
  answer(ctx: Context, inputs: Record<string, unknown>, provider: string | undefined): Record<string, unknown>;
  /** A name for the lookup in reports: what it waits for. */
  label(inputs: Record<string, unknown>): string;
}

export interface SimulationOptions {
  readonly clock: VirtualClock;
  readonly environment: string;
  readonly world: World;
  readonly state: PulumiState;
  readonly handlers: readonly Handler[];
  readonly lookups: readonly LookupHandler[];
}

const dependenciesOf = (r: RegisteredResource): string[] =>
  [
    ...new Set([
      ...(r.parent ? [r.parent] : []),
      ...(r.provider ? [r.provider.split("::").slice(0, -1).join("::")] : []),
      ...r.dependsOn,
      ...Object.values(r.propertyDependencies).flat(),
    ]),
  ].sort();

export class Simulation implements Cloud {
  private readonly clock: VirtualClock;
  private readonly world: World;
  private readonly prior: PulumiState;
  private readonly next: PulumiState = {};
  /** The program signalled its end and the engine did its own work (deletions), or kept the old state on a failure. */
  private finished = false;
  private readonly operations: Operation[] = [];
  private readonly lookupLog = new Map<string, { label: string; first: number; last: number; calls: number; answered: boolean }>();
  private readonly events: { at: number; text: string }[] = [];
  private readonly violations: string[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly registered = new Map<string, RegisteredResource>();
  private readonly replaced: string[] = [];
  private failure?: string;
  private endMs = 0;
  private settledMs = 0;
  readonly context: Context;

  constructor(private readonly options: SimulationOptions) {
    this.clock = options.clock;
    this.world = options.world;
    this.prior = options.state;
    this.context = {
      clock: this.clock,
      world: this.world,
      environment: options.environment,
      sleep: (kind) => this.clock.sleep(typeof kind === "number" ? kind : LATENCIES[kind].ms, typeof kind === "number" ? "sleep" : kind),
      refuse(contract, what): never {
        throw new ProviderRefusal(contract, refusal(contract, what));
      },
      violation: (text) => {
        this.violations.push(text);
        this.events.push({ at: this.clock.now, text: `VIOLATION ${text}` });
      },
      event: (text) => void this.events.push({ at: this.clock.now, text }),
      changed: () => {
        for (const waiter of [...this.waiters]) waiter();
        this.clock.touch();
      },
      until: (ready, ms, timeout) => {
        if (ready()) return Promise.resolve();
        return new Promise((done, fail) => {
          const timer = this.clock.later(ms, "timeout", () => {
            this.waiters.delete(check);
            fail(new Error(timeout()));
          });
          const check = () => {
            if (!ready()) return;
            this.waiters.delete(check);
            this.clock.cancel(timer);
            done();
          };
          this.waiters.add(check);
        });
      },
      providerInputs: (resource) => {
        const urn = resource.provider?.split("::").slice(0, -1).join("::");
        return urn ? (this.registered.get(urn)?.inputs as Record<string, unknown> | undefined) : undefined;
      },
      fakeOutputs: (resource, wireInputs) => fakeOutputs(resource.type, resource.name, wireInputs, resource.provider),
    };
  }

  /**
   * What the clouds hold besides `urn` while it is registered: what this run registered, and what the
   * previous deployment left that this run has not registered (deleted only once the program ends).
   */
  private existingOthers(urn: string): { type: string; name: string; inputs: Record<string, unknown> }[] {
    const current = [...this.registered.values()]
      .filter((r) => r.urn !== urn && r.custom)
      .map((r) => ({ type: r.type, name: r.name, inputs: r.inputs as Record<string, unknown> }));
    const left = Object.entries(this.prior)
      .filter(([other]) => other !== urn && !this.registered.has(other))
      .map(([, r]) => ({ type: r.type, name: r.name, inputs: r.inputs }));
    return [...current, ...left];
  }

  async register({ resource, wireInputs }: Registration): Promise<Record<string, unknown>> {
    this.registered.set(resource.urn, resource);
    const start = this.clock.now;
    const dependencies = dependenciesOf(resource);
    const old = this.prior[resource.urn];
    const record = (kind: OperationKind, outputs: Record<string, unknown>, error?: string) => {
      this.operations.push({
        urn: resource.urn,
        type: resource.type,
        name: resource.name,
        kind,
        start,
        end: this.clock.now,
        dependencies,
        ...(error ? { error } : {}),
      });
      if (!error)
        this.next[resource.urn] = {
          type: resource.type,
          name: resource.name,
          custom: resource.custom,
          inputs: resource.inputs as Record<string, unknown>,
          wireInputs,
          outputs,
          ...(resource.provider ? { provider: resource.provider } : {}),
          ...(resource.parent ? { parent: resource.parent } : {}),
          dependencies,
          deleteBeforeReplace: resource.deleteBeforeReplace,
          retainOnDelete: resource.retainOnDelete,
        };
    };
    if (!resource.custom || resource.type.startsWith("pulumi:providers:")) {
      const builder = resource.custom ? undefined : this.options.handlers.find((h) => h.constructs?.(resource.type));
      if (builder)
        try {
          await builder.construct!(this.context, resource);
          this.context.changed();
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          record(old ? "same" : "create", {}, message);
          this.failure ??= `${resource.type.split(":").pop()} ${resource.name}: ${message}`;
          throw error instanceof ProviderRefusal ? error : Object.assign(new Error(message), { details: message });
        }
      const outputs = fakeOutputs(resource.type, resource.name, wireInputs, resource.provider);
      record(old ? "same" : "create", outputs);
      return outputs;
    }
    const handler = this.options.handlers.find((h) => h.matches(resource.type));
    let kind: OperationKind = "create";
    try {
      // A provider checks the request before it acts on it.
      assertRegistration(resource.type, resource.name, resource.inputs, {
        ...(this.context.providerInputs(resource) ? { provider: this.context.providerInputs(resource)! } : {}),
        others: this.existingOthers(resource.urn),
      });
      if (!handler) throw new Error(`the simulated clouds have no handler for ${resource.type}; add one in offline/simulation`);
      let outputs: Record<string, unknown>;
      if (!old) outputs = await handler.create(this.context, resource, wireInputs);
      else {
        const changes = changedLeaves(old.inputs, resource.inputs).map((c) => c.path);
        if (changes.length === 0) {
          kind = "same";
          outputs = old.outputs;
        } else if (replacementVerdict(resource.type, resource.replaceOnChanges, changes).kind === "replace") {
          kind = "replace";
          if (resource.deleteBeforeReplace) await this.remove(resource.urn, old, "delete-replaced");
          outputs = await handler.create(this.context, resource, wireInputs);
          if (!resource.deleteBeforeReplace) this.replaced.push(resource.urn);
        } else {
          kind = "update";
          outputs = handler.update ? await handler.update(this.context, resource, wireInputs, old) : await handler.create(this.context, resource, wireInputs);
        }
      }
      record(kind, outputs);
      this.context.changed();
      return outputs;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      record(kind, {}, message);
      this.failure ??= `${resource.type.split(":").pop()} ${resource.name}: ${message}`;
      throw error instanceof ProviderRefusal ? error : Object.assign(new Error(message), { details: message });
    }
  }

  invoke(token: string, inputs: Record<string, unknown>, provider: string | undefined): Record<string, unknown> {
    this.clock.touch();
    const handler = this.options.lookups.find((l) => l.token === token);
    const label = handler ? handler.label(inputs) : token;
    const key = `${token} ${JSON.stringify(inputs)}`;
    const entry = this.lookupLog.get(key) ?? { label, first: this.clock.now, last: this.clock.now, calls: 0, answered: false };
    entry.calls++;
    entry.last = this.clock.now;
    this.lookupLog.set(key, entry);
    try {
      const answer = handler ? handler.answer(this.context, inputs, provider) : fakeInvoke(token, inputs, provider);
      entry.answered = true;
      return answer;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // The SDK reads `details` of an invoke's error.
      throw Object.assign(new Error(message), { details: message });
    }
  }

  /**
   * Reads outside Pulumi's providers that the program makes (components/aws/nlb-wait.ts), logged as lookups.
   */
  read<T>(label: string, answer: () => T): T {
    this.clock.touch();
    const entry = this.lookupLog.get(label) ?? { label, first: this.clock.now, last: this.clock.now, calls: 0, answered: false };
    entry.calls++;
    entry.last = this.clock.now;
    this.lookupLog.set(label, entry);
    const value = answer();
    entry.answered = true;
    return value;
  }

  /** The engine's own work once the program has ended: replaced and removed resources are deleted. */
  async finish(): Promise<void> {
    this.finished = true;
    if (this.failure === undefined) {
      const gone = Object.keys(this.prior).filter((urn) => !this.next[urn]);
      const deletions = [...this.replaced.map((urn) => ({ urn, kind: "delete-replaced" as const })), ...gone.map((urn) => ({ urn, kind: "delete" as const }))];
      await this.deleteInOrder(deletions);
    } else {
      // A failed update keeps what it did not get to: the old state of every resource it did not touch.
      for (const [urn, entry] of Object.entries(this.prior)) if (!this.next[urn]) this.next[urn] = entry;
    }
    this.endMs = this.clock.now;
    await this.settle();
  }

  /** Lets the actors finish what they started, so the next update starts from where the world comes to rest. */
  async settle(): Promise<void> {
    await this.clock.settle();
    this.settledMs = this.clock.now;
  }

  /** Deletes, in parallel where Pulumi would: a resource goes only once nothing left depends on it. */
  private async deleteInOrder(deletions: readonly { urn: string; kind: "delete" | "delete-replaced" }[]): Promise<void> {
    const pending = new Map(deletions.map((d) => [d.urn, d.kind]));
    const started = new Map<string, Promise<void>>();
    const dependents = (urn: string) => [...pending.keys()].filter((other) => other !== urn && (this.prior[other]?.dependencies ?? []).includes(urn));
    const start = (urn: string): Promise<void> => {
      let run = started.get(urn);
      if (!run) {
        run = (async () => {
          await Promise.all(dependents(urn).map(start));
          await this.remove(urn, this.prior[urn]!, pending.get(urn)!);
        })();
        started.set(urn, run);
      }
      return run;
    };
    await Promise.all([...pending.keys()].map(start));
  }

  private async remove(urn: string, old: StateEntry, kind: "delete" | "delete-replaced"): Promise<void> {
    const begin = this.clock.now;
    const record = (k: OperationKind, error?: string) => {
      this.operations.push({
        urn,
        type: old.type,
        name: old.name,
        kind: k,
        start: begin,
        end: this.clock.now,
        dependencies: old.dependencies,
        ...(error ? { error } : {}),
      });
    };
    if (old.retainOnDelete) return record("retain");
    const handler = old.custom ? this.options.handlers.find((h) => h.matches(old.type)) : undefined;
    try {
      if (handler?.delete) await handler.delete(this.context, urn, old);
      record(kind);
      this.context.changed();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      record(kind, message);
      this.failure ??= `deleting ${old.type.split(":").pop()} ${old.name}: ${message}`;
      this.next[urn] = old;
    }
  }

  result(): SimulationResult {
    // A program that stopped on an error never signals its end, so the engine's own work never ran: as
    // in any failed update, the resources it did not get to keep their old state.
    if (!this.finished) for (const [urn, entry] of Object.entries(this.prior)) if (!this.next[urn]) this.next[urn] = entry;
    return {
      world: this.world,
      state: this.next,
      operations: this.operations,
      lookups: [...this.lookupLog.values()],
      ...(this.failure !== undefined ? { failure: this.failure } : {}),
      events: this.events,
      violations: this.violations,
      endMs: this.endMs || this.operationsEnd(),
      settledMs: this.settledMs || this.clock.now,
    };
  }

  private operationsEnd(): number {
    return this.operations.reduce((end, o) => Math.max(end, o.end), 0);
  }

  /** Records that the program itself failed (an error outside any registration). */
  fail(message: string): void {
    this.failure ??= message;
  }
}
