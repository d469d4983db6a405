/** The simulation's own parts: the virtual clock, the critical path, and the hook the program reads. */
import { describe, expect, it } from "vitest";
import { OFFLINE_LOAD_BALANCER_STATE } from "../../components/aws/nlb-wait";
import { VirtualClock } from "../../offline/simulation/clock";
import { criticalPath, duration } from "../../offline/simulation/report";
import { LOAD_BALANCER_STATE_HOOK } from "../../offline/simulation/simulate";

describe("the virtual clock", () => {
  it("runs events in time order and moves only when nothing else is to be done", async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    clock.schedule(3000, "c", () => seen.push(`c@${clock.now}`));
    clock.schedule(1000, "a", () => {
      seen.push(`a@${clock.now}`);
      clock.schedule(500, "b", () => seen.push(`b@${clock.now}`));
    });
    await clock.sleep(5000);
    expect(seen).toEqual(["a@1000", "b@1500", "c@3000"]);
    expect(clock.now).toBe(5000);
  });

  it("leaves background events for settle when nothing waits for them", async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    clock.later(10_000, "issued", () => seen.push(clock.now));
    await clock.sleep(1000);
    await new Promise((done) => setTimeout(done, 20));
    expect(seen).toEqual([]);
    await clock.settle();
    expect(seen).toEqual([10_000]);
  });
});

describe("the critical path", () => {
  it("walks back through what each step waited on, a repeated lookup included", () => {
    const op = (urn: string, start: number, end: number, dependencies: string[] = []) => ({
      urn,
      type: `t:x:${urn}`,
      name: urn,
      kind: "create" as const,
      start,
      end,
      dependencies,
    });
    const operations = [op("a", 0, 10), op("b", 0, 5), op("c", 10, 20, ["a"]), op("d", 50, 60, ["c", "b"]), op("e", 0, 1)];
    const lookups = [{ label: "NEG x", first: 20, last: 50, calls: 4, answered: true }];
    expect(criticalPath(operations, lookups).map((s) => s.label)).toEqual(["create a a", "create c c", "wait for NEG x", "create d d"]);
    expect(duration(125_000)).toBe("2m 05s");
  });
});

it("gives the program's NLB state read the hook the engine sets", () => {
  expect(LOAD_BALANCER_STATE_HOOK).toBe(OFFLINE_LOAD_BALANCER_STATE);
});
