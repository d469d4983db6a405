/**
 * Sets up a simulated `pulumi up` in the process that runs the program (offline/program-host.cjs): the
 * virtual clock in place of the process's timers, the simulated clouds as the mock engine's Cloud, and
 * the simulated answers to the reads the program makes outside Pulumi's providers (an NLB's state, a
 * cluster's CRDs).
 */
import { awsHandlers, awsLookups, loadBalancerState } from "./aws";
import { installVirtualTimers, VirtualClock } from "./clock";
import { type Handler, type PulumiState, Simulation } from "./engine";
import { gcpHandlers, gcpLookups } from "./gcp";
import { crdAnnotations, kubernetesHandler } from "./kubernetes";
import type { World } from "./world";

/**
 * Where the program looks for the offline answer to its NLB state read (components/aws/nlb-wait.ts,
 * OFFLINE_LOAD_BALANCER_STATE; a test keeps the two equal). Not imported: the engine loads none of the
 * program's modules, which the language host must compile itself.
 */
export const LOAD_BALANCER_STATE_HOOK = Symbol.for("fleetgate.offline.loadBalancerState");

/** Where the program looks for the offline answer to its CRD read (components/kubernetes/crd-reader.ts, OFFLINE_CRD_ANNOTATIONS). */
export const CRD_ANNOTATIONS_HOOK = Symbol.for("fleetgate.offline.crdAnnotations");

/** What a simulated run starts from. */
export interface SimulationInput {
  readonly environment: string;
  readonly world: World;
  readonly state: PulumiState;
}

/** Resources with no API behind them: keys are generated where `pulumi up` runs, certificates signed there. */
const localHandler: Handler = {
  matches: (type) => type.startsWith("tls:"),
  async create(ctx, resource, wireInputs) {
    await ctx.sleep(resource.type === "tls:index/privateKey:PrivateKey" ? "tlsKey" : "local");
    return ctx.fakeOutputs(resource, wireInputs);
  },
};

export function startSimulation(input: SimulationInput): { simulation: Simulation; clock: VirtualClock } {
  const clock = new VirtualClock();
  installVirtualTimers(clock);
  const simulation = new Simulation({
    clock,
    environment: input.environment,
    world: input.world,
    state: input.state,
    handlers: [kubernetesHandler, ...gcpHandlers, ...awsHandlers, localHandler],
    lookups: [...gcpLookups, ...awsLookups],
  });
  (globalThis as Record<symbol, unknown>)[LOAD_BALANCER_STATE_HOOK] = async (_region: string, arn: string) =>
    simulation.read(`NLB ${arn.split("/").slice(-2).join("/")} active`, () => loadBalancerState(simulation.context, arn));
  (globalThis as Record<symbol, unknown>)[CRD_ANNOTATIONS_HOOK] = async (cluster: string, _kubeconfig: string, names: readonly string[]) =>
    simulation.read(`${cluster}'s Gateway API CRDs`, () => crdAnnotations(simulation.context, cluster, names));
  return { simulation, clock };
}
