import { describe, expect, it } from "vitest";
import { readPreviousDeployment } from "../../../components/trust/previous-deployment";
import type { PreviousDeployment } from "../../../components/trust/trust-record";
import { startMockEngine } from "../../../offline/mock-engine";
import { caRoot, daysIn, deploy, recorded } from "./fixtures";

/** Reads the previous deployment of stack `test` whose outputs were `outputs` (none: never deployed). */
async function read(outputs?: Record<string, unknown>): Promise<PreviousDeployment> {
  const engine = startMockEngine({ stack: "test", ...(outputs ? { previousOutputs: outputs } : {}) });
  const previous = await readPreviousDeployment("test");
  await engine.settle();
  return previous;
}

describe("reading the stack's previous deployment", () => {
  const record = recorded(deploy({ existing: caRoot("Acme Mesh Root 2025") }, { kind: "none" }, daysIn(400)));

  it("reads the trust record its own stack's previous deployment exported", async () => {
    // The offline engine answers only a read of the stack itself (organization/fleetgate/test) with them.
    expect(await read({ hosts: ["shop.example.com"], trust: (record as { record: unknown }).record })).toEqual(record);
  });

  it("tells a stack never deployed (no outputs at all) from one deployed without a record", async () => {
    expect(await read()).toEqual({ kind: "none" });
    expect(await read({})).toEqual({ kind: "none" });
    expect(await read({ hosts: [] })).toEqual({ kind: "unrecorded" });
  });

  it("says what is wrong with a record it cannot read, instead of throwing", async () => {
    expect(await read({ hosts: [], trust: { version: 2 } })).toMatchObject({ kind: "unreadable", reason: expect.stringContaining("version") });
  });
});
