/**
 * Builds the arguments CrossGuard passes to rules, from plain descriptions or from the resources the
 * offline engine recorded, so rules can be tested without a policy server.
 */
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { RegisteredResource } from "../../offline/mock-engine";

export interface FakeResource {
  type: string;
  name: string;
  props?: Record<string, unknown>;
  protect?: boolean;
  deleteBeforeReplace?: boolean;
  provider?: string;
  stack?: string;
  /** Names (or URNs) of the resources each input comes from. */
  propertyDependencies?: Record<string, string[]>;
  urn?: string;
}

const urnOf = (r: FakeResource) => r.urn ?? `urn:pulumi:${r.stack ?? "prod"}::fleetgate::${r.type}::${r.name}`;

function resourceArgs(r: FakeResource, config: Record<string, unknown> = {}): ResourceValidationArgs {
  return {
    type: r.type,
    name: r.name,
    urn: urnOf(r),
    props: r.props ?? {},
    opts: {
      protect: r.protect ?? false,
      ignoreChanges: [],
      deleteBeforeReplace: r.deleteBeforeReplace ?? false,
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    ...(r.provider ? { provider: { type: r.provider.split("::")[2] ?? "", name: r.provider.split("::")[3] ?? "", urn: r.provider, props: {} } } : {}),
    stackTags: new Map(),
    getConfig: <T>() => config as T,
    isType: () => false,
    asType: () => undefined,
  } as unknown as ResourceValidationArgs;
}

/** Runs a resource rule and returns its violation messages. */
export function violations(rule: ResourceValidationPolicy, resource: FakeResource, config?: Record<string, unknown>): string[] {
  const out: string[] = [];
  const report: ReportViolation = (message) => out.push(message);
  const validate = rule.validateResource;
  if (!validate) throw new Error(`${rule.name} has no resource validation`);
  for (const v of Array.isArray(validate) ? validate : [validate]) void v(resourceArgs(resource, config), report);
  return out;
}

/** Runs a stack rule over resources (property dependencies name other resources by name) and returns its messages. */
export function stackViolations(rule: StackValidationPolicy, resources: FakeResource[], config: Record<string, unknown> = {}): string[] {
  const byKey = new Map<string, PolicyResource>();
  const policyResources = resources.map((r) => {
    const resource = { ...resourceArgs(r, config), dependencies: [], propertyDependencies: {} } as unknown as PolicyResource;
    byKey.set(urnOf(r), resource);
    if (!byKey.has(r.name)) byKey.set(r.name, resource);
    return { fake: r, resource };
  });
  for (const { fake, resource } of policyResources)
    (resource as { propertyDependencies: Record<string, PolicyResource[]> }).propertyDependencies = Object.fromEntries(
      Object.entries(fake.propertyDependencies ?? {}).map(([k, names]) => [k, names.map((n) => byKey.get(n)!).filter(Boolean)]),
    );
  const out: string[] = [];
  void rule.validateStack({ resources: policyResources.map((p) => p.resource), getConfig: <T>() => config as T } as unknown as StackValidationArgs, (message) =>
    out.push(message),
  );
  return out;
}

/** The recorded resources of an offline run, as rules see them (properties, options, providers, dependencies). */
export function fromRegistered(resources: readonly RegisteredResource[]): { resources: FakeResource[] } {
  return {
    resources: resources
      .filter((r) => r.custom)
      .map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        props: r.inputs as Record<string, unknown>,
        protect: r.protect,
        deleteBeforeReplace: r.deleteBeforeReplace,
        stack: r.urn.split("::")[0]!.split(":")[2]!,
        ...(r.provider ? { provider: r.provider.split("::").slice(0, -1).join("::") } : {}),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, urns]) => [k, [...urns]])),
      })),
  };
}
