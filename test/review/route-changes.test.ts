/**
 * plan:diff's Routes section on plans of the real program: the dev stack as committed (base) against
 * the same stack with one team document edited (head), both run offline as `npm run plan` does.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planDocument, type PlanDocument } from "../../offline/render";
import { engineConfigFromStackFile, PROJECT_ROOT } from "../../offline/run-offline";
import { diffPlans } from "../../review/plan-diff";
import { renderPlanDiff } from "../../review/render-diff";
import { examplePlan } from "../examples";
import { runProgram } from "../harness";

const scratch = mkdtempSync(join(tmpdir(), "fleetgate-route-diff-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SHOP = join("stacks", "dev", "shop", "shop.yaml");
const CART_PREFIX = "- { path: /cart/*, backend: { serviceName: cart, servicePort: web } }";

/** Edits of the dev stack, each a pull request. */
const edits: Record<string, (root: string) => void> = {
  base: () => {},
  "add-path": (root) =>
    edit(root, SHOP, (t) => t.replace(CART_PREFIX, `${CART_PREFIX}\n              - { path: /checkout/*, backend: { serviceName: cart, servicePort: 80 } }`)),
  "change-backend": (root) => edit(root, SHOP, (t) => t.replace(CART_PREFIX, "- { path: /cart/*, backend: { serviceName: storefront, servicePort: 80 } }")),
  "remove-host": (root) => rmSync(join(root, "stacks", "dev", "catalog"), { recursive: true, force: true }),
  // The same documents, last first: nothing about the routes may change.
  "reorder-documents": (root) =>
    edit(root, SHOP, (t) =>
      t
        .split(/\n---\n/)
        .reverse()
        .join("\n---\n"),
    ),
};

function edit(root: string, file: string, change: (text: string) => string): void {
  const before = readFileSync(join(root, file), "utf8");
  const after = change(before);
  if (after === before) throw new Error(`the edit of ${file} changed nothing; the example stack moved on`);
  writeFileSync(join(root, file), after);
}

const plans = new Map<string, PlanDocument>();
beforeAll(async () => {
  const stackFile = readFileSync(join(PROJECT_ROOT, "stacks", "Pulumi.dev.yaml"), "utf8");
  await Promise.all(
    Object.entries(edits).map(async ([name, apply]) => {
      const root = join(scratch, name);
      cpSync(join(PROJECT_ROOT, "stacks", "dev"), join(root, "stacks", "dev"), { recursive: true });
      writeFileSync(join(root, "stacks", "Pulumi.dev.yaml"), stackFile);
      apply(root);
      const graph = await runProgram("dev", { root, config: engineConfigFromStackFile(stackFile) });
      if (graph.exitCode !== 0) throw new Error(`${name}: ${graph.stderr}`);
      plans.set(name, planDocument("fleetgate", "dev", graph.resources));
    }),
  );
}, 120_000);

const diffOf = (head: string) => diffPlans(plans.get("base")!, plans.get(head)!);
const hostsOf = (head: string) =>
  Object.fromEntries((diffOf(head).routes ?? []).map((h) => [h.host, h.rules.map((r) => [r.kind, r.port, r.match, ...r.changed])]));

describe("plan:diff's route changes", () => {
  it("report a path a team adds as one added rule of its host, and no other rule as changed", () => {
    expect(hostsOf("add-path")).toEqual({ "shop.dev.example.com": [["added", 443, "prefix /checkout/"]] });
    const added = diffOf("add-path").routes![0]!.rules[0]!;
    expect(added.after).toMatchObject({ action: "shop/cart:80 (fg-dev-shop-cart-80)", clusters: ["gke-us"] });
  });

  it("report a changed backend as the rule's action and clusters, old and new", () => {
    expect(hostsOf("change-backend")).toEqual({ "shop.dev.example.com": [["changed", 443, "prefix /cart/", "action", "clusters"]] });
    const text = renderPlanDiff(diffOf("change-backend"));
    expect(text).toContain(
      "`~` changed `prefix /cart/` (port 443, priority 20): action `shop/cart:80 (fg-dev-shop-cart-80)` → `shop/storefront:80 (fg-dev-shop-storefront-80)`; clusters `gke-us` → `gke-eu`, `gke-us`",
    );
  });

  it("report a removed host with every rule it had, in the order they were tried", () => {
    const host = diffOf("remove-host").routes!.find((h) => h.host === "catalog.dev.example.com")!;
    expect(host.status).toBe("removed");
    expect(host.rules.map((r) => [r.kind, r.before!.order, r.match])).toEqual([
      ["removed", "priority 0", "prefix /.well-known/fleetgate/"],
      ["removed", "default", "any other path"],
    ]);
  });

  it("report nothing when a team only reorders its documents", () => {
    expect(diffOf("reorder-documents").routes).toEqual([]);
    expect(renderPlanDiff(diffOf("reorder-documents"))).not.toContain("#### Routes");
  });

  it("name the hosts' owners when the FleetPlans are given, and leave them out otherwise", () => {
    const fleet = examplePlan("dev");
    const withOwners = diffPlans(plans.get("base")!, plans.get("add-path")!, { base: fleet, head: fleet });
    expect(withOwners.routes![0]!.owners).toEqual(["shop"]);
    expect(renderPlanDiff(withOwners)).toContain("- `shop.dev.example.com` · owners `shop`");
    expect(diffOf("add-path").routes![0]!.owners).toEqual([]);
  });

  it("replace the URL map's raw rule values by a pointer to the Routes section, keeping what the rules do not show", () => {
    const text = renderPlanDiff(diffOf("add-path"));
    const urlMap = text.slice(text.indexOf("`gcp:compute/uRLMap:URLMap` `dev-url-map`"));
    const lines = urlMap.split("\n").slice(
      1,
      urlMap.split("\n").findIndex((l, i) => i > 0 && !l.startsWith("  ")),
    );
    expect(lines[0]).toBe("  - route changes listed above under **Routes**");
    expect(lines.join("\n")).not.toMatch(/routeRules|prefixMatch|…/);
    // The matcher's description is not a rule; it stays as a value.
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^ {2}- `pathMatchers\[name=host-shop-dev-example-com\]\.description`: /)]);
    expect(text.indexOf("#### Routes")).toBeLessThan(text.indexOf("`dev-url-map`"));
  });
});
