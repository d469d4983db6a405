/**
 * The test harness: runs a component (in this process) or the real program (in a child process, as
 * the offline plan does) against the mock engine, and returns the registered graph with helpers that
 * make tests read like statements about it.
 */
import { startMockEngine, type MockEngineOptions, type ReadResource, type RegisteredResource } from "../offline/mock-engine";
import { runProgramOffline, type EngineConfig } from "../offline/run-offline";

export type { RegisteredResource };

export class Graph {
  /** `reads`: resources read with a static `get` (runComponent records them), which Pulumi never deletes. */
  constructor(
    readonly resources: readonly RegisteredResource[],
    readonly reads: readonly ReadResource[] = [],
  ) {}

  /** Every resource of a type, in registration order. */
  ofType(type: string): RegisteredResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The one resource of this type and name; fails when there is none or more than one. */
  one(type: string, name: string): RegisteredResource {
    const found = this.resources.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1)
      throw new Error(
        `expected one ${type} named ${name}, found ${found.length}; names of that type: ${
          this.ofType(type)
            .map((r) => r.name)
            .join(", ") || "(none)"
        }`,
      );
    return found[0]!;
  }

  find(type: string, name: string): RegisteredResource | undefined {
    return this.resources.find((r) => r.type === type && r.name === name);
  }

  byUrn(urn: string): RegisteredResource | undefined {
    return this.resources.find((r) => r.urn === urn);
  }

  parentOf(resource: RegisteredResource): RegisteredResource | undefined {
    return resource.parent ? this.byUrn(resource.parent) : undefined;
  }

  childrenOf(resource: RegisteredResource): RegisteredResource[] {
    return this.resources.filter((r) => r.parent === resource.urn);
  }

  /** Every resource below `resource` in the tree. */
  descendantsOf(resource: RegisteredResource): RegisteredResource[] {
    const out: RegisteredResource[] = [];
    const walk = (r: RegisteredResource) => this.childrenOf(r).forEach((c) => (out.push(c), walk(c)));
    walk(resource);
    return out;
  }

  /** The explicit provider resource of a resource, or undefined when it uses a default provider. */
  providerOf(resource: RegisteredResource): RegisteredResource | undefined {
    if (!resource.provider) return undefined;
    return this.byUrn(resource.provider.split("::").slice(0, -1).join("::"));
  }

  /** The Stack's outputs (the program's exports). */
  get stackOutputs(): Readonly<Record<string, unknown>> {
    return this.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs ?? {};
  }
}

/**
 * Runs `build` (which creates components) under the mock engine in this process, waits until every
 * registration has been answered, and returns the graph.
 */
export async function runComponent(build: () => void | Promise<void>, options: Partial<MockEngineOptions> = {}): Promise<Graph> {
  const engine = startMockEngine({ stack: "test", ...options });
  await build();
  await engine.settle();
  return new Graph([...engine.resources], [...engine.reads]);
}

/** Runs the real program entry for a stack, as `npm run plan` does. */
export async function runProgram(stack: string, options: { root?: string; config?: EngineConfig } = {}): Promise<Graph & { exitCode: number; stderr: string }> {
  const run = await runProgramOffline({ stack, ...options });
  return Object.assign(new Graph(run.resources), { exitCode: run.exitCode, stderr: run.stderr });
}
