import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changesBetween, runFleet, type RunChanges } from "../../bench/measure";
import { VARIANTS, type Variant } from "../../bench/fleet";

// A small synthetic fleet (2 clusters, 10 services, 5 hosts), planned through the real program for the
// base and each change; the counts are what the benchmark prints for every size.
const size = { clusters: 2, services: 10 };
const scratch = mkdtempSync(join(tmpdir(), "fleetgate-minimality-"));
const changes = new Map<Variant, RunChanges>();
const ids = (list: { type: string; name: string }[]) => list.map((r) => `${r.type.split(":").pop()} ${r.name}`).sort();

beforeAll(async () => {
  const base = await runFleet(size, "base", scratch);
  for (const variant of VARIANTS) changes.set(variant, changesBetween(base.resources, (await runFleet(size, variant, scratch)).resources));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("change minimality on a small fleet", () => {
  it("changes nothing when the documents and clusters are permuted", () => {
    const c = changes.get("permute")!;
    expect({ changed: ids(c.changed), disappeared: ids(c.disappeared), added: ids(c.added) }).toEqual({ changed: [], disappeared: [], added: [] });
  });

  it("never removes a logical name for an addition or a weight", () => {
    for (const variant of VARIANTS) expect(ids(changes.get(variant)!.disappeared), variant).toEqual([]);
  });

  it("adds a cluster by adding its own resources and extending only the backend lists it joins", () => {
    const c = changes.get("add-cluster")!;
    expect(c.added.length).toBeGreaterThan(10);
    for (const r of c.added) expect(r.name, r.type).toMatch(/c999/);
    expect(c.changed.length).toBeGreaterThan(0);
    // Besides backend lists, only the mesh's firewall changes: it admits the new cluster's pods.
    for (const r of c.changed)
      expect(`${r.type} ${r.name}`).toMatch(/^gcp:compute\/backendService:BackendService |^gcp:compute\/firewall:Firewall \S+-mesh-firewall-/);
  });

  it("adds a service by touching only its host's routes and the URL map", () => {
    const c = changes.get("add-service")!;
    for (const r of c.added) expect(`${r.type} ${r.name} ${JSON.stringify(r.inputs)}`).toMatch(/svc9999/);
    expect(c.changed.map((r) => r.type.split(":").pop()).sort()).toEqual(expect.arrayContaining(["URLMap"]));
    for (const r of c.changed) expect(`${r.type} ${r.name}`).toMatch(/URLMap|h0000\.team00|grant-team00/);
  });

  it("changes one weight by updating exactly that service's backend service", () => {
    expect(ids(changes.get("change-weight")!.changed)).toEqual(["BackendService bench-c2-s10-backend-team00-svc0000-8080"]);
  });
});
