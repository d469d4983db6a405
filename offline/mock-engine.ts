/**
 * An engine stand-in for running Fleetgate offline: it installs Pulumi's mocks, answers the program's
 * registrations and lookups through a Cloud (the instant one of offline plans, or the simulated clouds
 * of `--simulate`), and records every resource registration with what a reviewer or a test needs to see
 * — type, name, parent, provider, inputs (with which of them are secret), and resource options.
 * Used by the test harness and by the offline plan, so both see the graph the same way.
 */
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { assertRegistration, cite } from "../contracts";
import { uniqueUrns } from "../contracts/kubernetes";
import { fakeInvoke, fakeOutputs } from "./fakes/all";
import { maskPaths } from "./secret-mask";

export { fingerprintMask, maskPaths, SECRET_MASK } from "./secret-mask";

export interface RegisteredResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** True for custom (cloud) resources, false for components. */
  readonly custom: boolean;
  readonly parent?: string;
  /** `<provider urn>::<id>`, or undefined when the default provider is used. */
  readonly provider?: string;
  /** Inputs as plain data: secrets unwrapped (see secretPaths), resource references as their URNs. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Dotted paths of inputs that are secret, e.g. `data.ca-key.pem`. Sorted. */
  readonly secretPaths: readonly string[];
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
  /** URNs this resource depends on (dependsOn and the resources its inputs come from), sorted. */
  readonly dependsOn: readonly string[];
  /** Per input, the URNs its value comes from, as the engine and policy packs see them. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly ignoreChanges: readonly string[];
  readonly replaceOnChanges: readonly string[];
  readonly additionalSecretOutputs: readonly string[];
  readonly aliases: readonly string[];
  /** Outputs registered by components (registerOutputs), plain. */
  outputs?: Readonly<Record<string, unknown>>;
}

export interface MockEngineOptions {
  readonly project?: string;
  readonly stack: string;
  readonly preview?: boolean;
  /** Full config keys (`fleetgate:clusters`) to raw values as the CLI passes them (objects as JSON). */
  readonly config?: Readonly<Record<string, string>>;
  readonly secretKeys?: readonly string[];
  /** Who answers: default, the instant cloud of offline plans (instantCloud). */
  readonly cloud?: Cloud;
  /**
   * The outputs of this stack's previous deployment, which the program reads through a StackReference to
   * itself. Without them it reads none, as for a stack never deployed: offline there is no deployment.
   */
  readonly previousOutputs?: Readonly<Record<string, unknown>>;
}

/** A registration as the cloud sees it: the record below, and the inputs as the SDK sent them (secrets wrapped). */
export interface Registration {
  readonly resource: RegisteredResource;
  readonly wireInputs: Record<string, unknown>;
  /** The run's registrations asked for before this one (answered or not, refused ones excepted), in order. */
  readonly earlier: readonly RegisteredResource[];
}

/**
 * What answers in place of the clouds: the outputs of each registration (or the provider's refusal), the
 * results of lookups, and the engine's own work after the program ends (deleting what it no longer
 * registers). Answers may take time: the simulated clouds answer on a virtual clock.
 */
export interface Cloud {
  register(registration: Registration, provider: RegisteredResource | undefined): Promise<Record<string, unknown>> | Record<string, unknown>;
  invoke(token: string, inputs: Record<string, unknown>, provider: string | undefined): Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Runs once the program has ended, before the engine reports it done. */
  finish?(): Promise<void>;
}

/**
 * The clouds of an offline plan (a preview): every registration is checked against the providers'
 * registration contracts (contracts/) and answered at once with the fakes' outputs.
 */
export const instantCloud: Cloud = {
  register({ resource, wireInputs, earlier }, provider) {
    if (resource.custom)
      assertRegistration(resource.type, resource.name, resource.inputs, {
        ...(provider ? { provider: provider.inputs } : {}),
        others: earlier.filter((r) => r.custom),
      });
    return fakeOutputs(resource.type, resource.name, wireInputs, resource.provider);
  },
  invoke: (token, inputs, provider) => fakeInvoke(token, inputs, provider),
};

/** A resource the program read with a resource's static `get`: Pulumi never updates or deletes it. */
export interface ReadResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The cloud id the read looked up. */
  readonly id: string;
  readonly parent?: string;
  /** The state the read was qualified with, plain. */
  readonly inputs: Readonly<Record<string, unknown>>;
}

export interface MockEngine {
  /** Resources in registration order. */
  readonly resources: RegisteredResource[];
  /** Resources read (not registered), in order. */
  readonly reads: ReadResource[];
  /** Registrations asked for and not answered yet, by URN. */
  readonly pending: ReadonlySet<string>;
  /** Waits until every pending registration has been answered. */
  settle(): Promise<void>;
}

type RawReadRequest = {
  getType(): string;
  getName(): string;
  getId(): string;
  getParent(): string;
  getProperties(): { toJavaScript(): Record<string, unknown> } | undefined;
};

type RawRequest = {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getProvider(): string;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getDeletebeforereplace(): boolean;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(callback: (value: { getUrnsList(): string[] }, key: string) => void): void };
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getAliasurnsList(): string[];
};

export function startMockEngine(options: MockEngineOptions): MockEngine {
  const resources: RegisteredResource[] = [];
  const byUrn = new Map<string, RegisteredResource>();
  const pending = new Set<string>();
  // Every registration asked for, answered or pending, for the rules between resources (contracts/).
  const asked: RegisteredResource[] = [];
  const reads: ReadResource[] = [];
  const cloud = options.cloud ?? instantCloud;
  // The registration being answered: the monitor hands it to `newResource` synchronously.
  let answering: { registration: Registration; provider: RegisteredResource | undefined } | undefined;
  // setMocks is async in name only: it installs the mocks before it returns.
  void pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        if (args.type === STACK_REFERENCE)
          return readStackReference(args.inputs, `organization/${options.project ?? "fleetgate"}/${options.stack}`, options.previousOutputs);
        const current = answering;
        answering = undefined;
        const outputs = current ? await cloud.register(current.registration, current.provider) : fakeOutputs(args.type, args.name, args.inputs, args.provider);
        return { id: `${args.name}-id`, state: { ...args.inputs, ...outputs } };
      },
      call: (args) => cloud.invoke(args.token, args.inputs, args.provider),
    },
    options.project ?? "fleetgate",
    options.stack,
    options.preview ?? true,
    // The organization of a DIY backend; the program names its own stack with it.
    "organization",
  );
  pulumi.runtime.setAllConfig({ ...(options.config ?? {}) }, [...(options.secretKeys ?? [])]);

  const monitor = settings.getMonitor() as unknown as {
    registerResource(req: RawRequest, callback: (err: unknown, resp?: { getUrn(): string }) => void): void;
    readResource(req: RawReadRequest, callback: (err: unknown, resp?: { getUrn(): string }) => void): void;
    registerResourceOutputs(
      req: { getUrn(): string; getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined },
      callback: (err: unknown, resp?: unknown) => void,
    ): void;
    signalAndWaitForShutdown?: (req: unknown, callback: (err: unknown, resp?: unknown) => void) => void;
  };
  const registerResource = monitor.registerResource.bind(monitor);
  const project = options.project ?? "fleetgate";
  monitor.registerResource = (req, callback) => {
    const wireInputs = req.getObject()?.toJavaScript() ?? {};
    const secretPaths: string[] = [];
    const inputs = reveal(wireInputs, [], secretPaths) as Record<string, unknown>;
    const resource: RegisteredResource = {
      urn: resourceUrn(options.stack, project, req.getParent(), req.getType(), req.getName()),
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      ...(req.getParent() ? { parent: req.getParent() } : {}),
      ...(req.getProvider() ? { provider: req.getProvider() } : {}),
      inputs,
      secretPaths: secretPaths.sort(),
      protect: req.getProtect(),
      retainOnDelete: req.getRetainondelete(),
      deleteBeforeReplace: req.getDeletebeforereplace(),
      dependsOn: [...req.getDependenciesList()].sort(),
      propertyDependencies: propertyDependencies(req),
      ignoreChanges: [...req.getIgnorechangesList()],
      replaceOnChanges: [...req.getReplaceonchangesList()],
      additionalSecretOutputs: [...req.getAdditionalsecretoutputsList()],
      aliases: [...req.getAliasurnsList()],
    };
    // The engine refuses a URN registered twice; the SDK's mock monitor would take it.
    if (byUrn.has(resource.urn) || pending.has(resource.urn))
      return callback(new Error(`Duplicate resource URN '${resource.urn}'; try giving it a unique name ${cite(uniqueUrns)}`));
    const providerUrn = resource.provider?.split("::").slice(0, -1).join("::");
    answering = { registration: { resource, wireInputs, earlier: asked.slice() }, provider: providerUrn ? byUrn.get(providerUrn) : undefined };
    pending.add(resource.urn);
    asked.push(resource);
    registerResource(req, (err, resp) => {
      pending.delete(resource.urn);
      if (err) asked.splice(asked.indexOf(resource), 1);
      if (!err && resp) {
        if (resp.getUrn() !== resource.urn) throw new Error(`the mock engine named ${resource.urn}, the monitor ${resp.getUrn()}`);
        resources.push(resource);
        byUrn.set(resource.urn, resource);
      }
      callback(err, resp);
    });
  };
  const readResource = monitor.readResource.bind(monitor);
  monitor.readResource = (req, callback) => {
    readResource(req, (err, resp) => {
      if (!err && resp)
        reads.push({
          urn: resp.getUrn(),
          type: req.getType(),
          name: req.getName(),
          id: req.getId(),
          ...(req.getParent() ? { parent: req.getParent() } : {}),
          inputs: reveal(req.getProperties()?.toJavaScript() ?? {}, [], []) as Record<string, unknown>,
        });
      callback(err, resp);
    });
  };
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, callback) => {
    const resource = byUrn.get(req.getUrn());
    if (resource) {
      const secretPaths: string[] = [];
      const outputs = reveal(req.getOutputs()?.toJavaScript() ?? {}, [], secretPaths) as Record<string, unknown>;
      resource.outputs = maskPaths(outputs, secretPaths) as Record<string, unknown>;
    }
    registerOutputs(req, callback);
  };
  // The run entry signals shutdown when the program ends: the cloud then does the engine's own work.
  monitor.signalAndWaitForShutdown = (_req, callback) => {
    if (!cloud.finish) return callback(null, {});
    cloud.finish().then(
      () => callback(null, {}),
      (error: unknown) => callback(error, undefined),
    );
  };

  return {
    resources,
    reads,
    pending,
    // waitForRPCs is internal to the SDK, but it is the one reliable way to know that every
    // registration the program started has been answered.
    settle: () => (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs(),
  };
}

const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/**
 * Answers a StackReference read: the stack's own previous outputs when it reads itself, and none
 * otherwise, as for a stack never deployed.
 */
function readStackReference(
  inputs: Record<string, unknown>,
  self: string,
  previous: Readonly<Record<string, unknown>> | undefined,
): { id: string; state: Record<string, unknown> } {
  const name = String(inputs.name ?? "");
  return { id: name, state: { ...inputs, outputs: { ...(name === self ? (previous ?? {}) : {}) }, secretOutputNames: [] } };
}

/** The URN the mock monitor gives a registration: a child's type is prefixed with its parent's. */
function resourceUrn(stack: string, project: string, parent: string, type: string, name: string): string {
  const parentType = parent ? parent.split("::")[2]!.split("$").pop()! : "";
  return `urn:pulumi:${stack}::${project}::${parentType ? `${parentType}$` : ""}${type}::${name}`;
}

function propertyDependencies(req: RawRequest): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((value, key) => {
    const urns = [...value.getUrnsList()].sort();
    if (urns.length > 0) out[key] = urns;
  });
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Value shown in place of a secret when printing. */
/** Unwraps the wire format: secrets (recording their paths), resource references, unknowns. */
function reveal(value: unknown, path: string[], secretPaths: string[]): unknown {
  if (value === rpc.unknownValue) return "<computed>";
  if (Array.isArray(value)) return value.map((v, i) => reveal(v, [...path, String(i)], secretPaths));
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const sig = record[rpc.specialSigKey];
  if (sig === rpc.specialSecretSig) {
    secretPaths.push(path.join("."));
    return reveal(record.value, path, []);
  }
  if (sig === rpc.specialResourceSig) return record.urn;
  // A remote component's inputs keep their Output values (a ConfigFile's file).
  if (sig === rpc.specialOutputValueSig) {
    if (record.secret === true) secretPaths.push(path.join("."));
    return "value" in record ? reveal(record.value, path, []) : "<computed>";
  }
  if (sig === rpc.specialAssetSig || sig === rpc.specialArchiveSig) return { asset: record.path ?? record.uri ?? "<inline>" };
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, reveal(v, [...path, k], secretPaths)]));
}
