import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RegisteredResource } from "../../offline/mock-engine";
import { planDocument, type PlanDocument, type PlannedResource } from "../../offline/render";
import { PROJECT_ROOT } from "../../offline/run-offline";
import type { FleetPlan } from "../../spec/plan";
import { diffFleets, renderFleetDiff } from "../../review/fleet-diff";
import { diffPlans } from "../../review/plan-diff";
import { examplePlan } from "../examples";
import { renderPlanDiff } from "../../review/render-diff";

const fixtures = join(__dirname, "fixtures");
const scenarios = readdirSync(fixtures, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const read = <T>(scenario: string, file: string) => JSON.parse(readFileSync(join(fixtures, scenario, file), "utf8")) as T;
const planDiffOf = (scenario: string) => diffPlans(read<PlanDocument>(scenario, "base.plan.json"), read<PlanDocument>(scenario, "head.plan.json"));

function markdownOf(scenario: string): string {
  const owners = renderFleetDiff(diffFleets(read<FleetPlan>(scenario, "base.fleet.json"), read<FleetPlan>(scenario, "head.fleet.json")));
  return renderPlanDiff(planDiffOf(scenario), owners);
}

const tsx = join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs");
function planDiff(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(
      process.execPath,
      [tsx, join(PROJECT_ROOT, "scripts", "plan-diff.ts"), ...args],
      { cwd: PROJECT_ROOT, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe("the committed fixture pairs", () => {
  it("cover adding a cluster, changing a route weight and a renaming that forces replacement", () => {
    expect(scenarios).toEqual(["dev-add-cluster", "dev-rename-host", "prod-route-weight"]);
  });

  for (const scenario of scenarios) {
    it(`${scenario}: plan:diff prints the committed expected.md`, () => {
      expect(markdownOf(scenario)).toBe(readFileSync(join(fixtures, scenario, "expected.md"), "utf8"));
    });
  }

  it("adding a cluster creates that cluster's resources and replaces or deletes nothing", () => {
    const diff = planDiffOf("dev-add-cluster");
    expect(diff.changes.filter((c) => c.kind === "replace" || c.kind === "delete")).toEqual([]);
    const created = diff.changes.filter((c) => c.kind === "create");
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created.map((c) => c.cluster))).toEqual(new Set(["gke-asia"]));
    expect(markdownOf("dev-add-cluster")).toContain("cluster `gke-asia` added");
  });

  it("changing a route weight updates the URL map and every cluster's route in place, and names the team", () => {
    const diff = planDiffOf("prod-route-weight");
    expect(diff.changes.map((c) => [c.kind, c.type])).toEqual([
      ["update", "gcp:compute/uRLMap:URLMap"],
      ["update", "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute"],
      ["update", "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute"],
      ["update", "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute"],
    ]);
    const text = markdownOf("prod-route-weight");
    expect(text).toContain("**team `shop`** (`stacks/prod/shop/`)");
    expect(text).toMatch(/weightedBackendServices\[backendService=prod-shop-cart-v2-80-id\]\.weight`: `100` → `250`/);
  });

  it("renaming a host replaces its protected certificate and says so before anything else", () => {
    const diff = planDiffOf("dev-rename-host");
    const certificate = diff.changes.find((c) => c.type === "gcp:certificatemanager/certificate:Certificate")!;
    expect(certificate).toMatchObject({
      kind: "replace",
      protect: true,
      name: "dev-store-dev-example-com",
      renamedFrom: { name: "dev-shop-dev-example-com", aliased: false },
    });
    const text = markdownOf("dev-rename-host");
    expect(text.indexOf("> [!CAUTION]")).toBeLessThan(text.indexOf("#### FleetIngress"));
    expect(text).toContain("> - `gcp:certificatemanager/certificate:Certificate` `dev-store-dev-example-com`: replaced");
  });

  it("never prints a value at a secret path, even when the plan JSON holds it in plain text", () => {
    const base = read<PlanDocument>("dev-add-cluster", "base.plan.json");
    const leak = (plan: PlanDocument, value: string): PlanDocument => ({
      ...plan,
      resources: plan.resources.map((r) =>
        r.type === "kubernetes:core/v1:Secret"
          ? { ...r, inputs: { ...(r.inputs as object), stringData: { ...(r.inputs as { stringData: object }).stringData, "ca-key.pem": value } } }
          : r,
      ),
    });
    const secretPaths = base.resources.find((r) => r.type === "kubernetes:core/v1:Secret")!.secretPaths;
    expect(secretPaths).toContain("stringData");
    const text = renderPlanDiff(diffPlans(leak(base, "OLD-PRIVATE-KEY-TEXT"), leak(base, "NEW-PRIVATE-KEY-TEXT")));
    expect(text).not.toMatch(/PRIVATE-KEY-TEXT/);
    expect(text).toContain('`stringData["ca-key.pem"]`: `[secret]` → `[secret]`');
  });
});

describe("secrets in plans made with a fingerprint key", () => {
  const secretResource = (value: string) =>
    ({
      urn: "urn:pulumi:t::fleetgate::kubernetes:core/v1:Secret::t-cacerts",
      type: "kubernetes:core/v1:Secret",
      name: "t-cacerts",
      custom: true,
      inputs: { stringData: { "ca-key.pem": value }, metadata: { name: "cacerts" } },
      secretPaths: ["stringData"],
      protect: false,
      retainOnDelete: false,
      deleteBeforeReplace: false,
      dependsOn: [],
      propertyDependencies: {},
      ignoreChanges: [],
      replaceOnChanges: [],
      additionalSecretOutputs: [],
      aliases: [],
    }) as unknown as RegisteredResource;
  const planned = (value: string, key?: string) => planDocument("fleetgate", "t", [secretResource(value)], key);

  it("show a changed secret as changed, and never its value", () => {
    const text = renderPlanDiff(diffPlans(planned("OLD-KEY-MATERIAL", "job-key"), planned("NEW-KEY-MATERIAL", "job-key")));
    expect(text).toContain("`stringData`: `[secret]` → `[secret]`");
    expect(text).not.toMatch(/KEY-MATERIAL/);
    expect(JSON.stringify(planned("OLD-KEY-MATERIAL", "job-key"))).not.toMatch(/KEY-MATERIAL/);
  });

  it("show an unchanged secret as unchanged, and without a key every secret alike", () => {
    expect(diffPlans(planned("SAME", "job-key"), planned("SAME", "job-key")).changes).toEqual([]);
    expect(diffPlans(planned("OLD"), planned("NEW")).changes).toEqual([]);
  });
});

describe("npm run plan:diff", () => {
  it("prints the Markdown of two plan files and exits 0", async () => {
    const dir = join(fixtures, "prod-route-weight");
    const result = await planDiff([
      join(dir, "base.plan.json"),
      join(dir, "head.plan.json"),
      "--base-fleet",
      join(dir, "base.fleet.json"),
      "--head-fleet",
      join(dir, "head.fleet.json"),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(readFileSync(join(dir, "expected.md"), "utf8"));
  });

  it("prints its usage on stdout and exits 0 with --help or -h", async () => {
    for (const flag of ["--help", "-h"]) {
      const result = await planDiff([flag]);
      expect([result.code, result.stdout.startsWith("Usage: npm run plan:diff"), result.stderr]).toEqual([0, true, ""]);
    }
  });

  it("refuses an unknown option in one line with exit 2", async () => {
    const dir = join(fixtures, "prod-route-weight");
    const result = await planDiff([join(dir, "base.plan.json"), join(dir, "head.plan.json"), "--verbose"]);
    expect([result.code, result.stdout, result.stderr.trim().split("\n").length, result.stderr.includes("--verbose")]).toEqual([2, "", 1, true]);
  });

  it("exits 1 and names the file when an input is not a readable plan", async () => {
    const result = await planDiff([join(fixtures, "README.md"), join(fixtures, "prod-route-weight", "head.plan.json")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("README.md: cannot read it as JSON");
  });
});

// --- Behaviour on small hand-made plans -------------------------------------------------------------

const STACK_URN = "urn:pulumi:t::fleetgate::pulumi:pulumi:Stack::fleetgate-t";

function resource(type: string, name: string, inputs: Record<string, unknown>, options: Partial<PlannedResource> = {}): PlannedResource {
  return {
    urn: `urn:pulumi:t::fleetgate::${type}::${name}`,
    type,
    name,
    custom: true,
    parent: STACK_URN,
    inputs,
    secretPaths: [],
    protect: false,
    retainOnDelete: false,
    deleteBeforeReplace: false,
    dependsOn: [],
    ignoreChanges: [],
    replaceOnChanges: [],
    aliases: [],
    ...options,
  };
}
const plan = (...resources: PlannedResource[]): PlanDocument => ({ project: "fleetgate", stack: "t", resources });
const render = (base: PlanDocument, head: PlanDocument) => renderPlanDiff(diffPlans(base, head));

const RECORD = "gcp:dns/recordSet:RecordSet";
const record = (inputs: Record<string, unknown>, options: Partial<PlannedResource> = {}) =>
  resource(RECORD, "t-shop-a", { name: "shop.example.com.", type: "A", managedZone: "zone-a", ttl: 60, rrdatas: ["192.0.2.1"], ...inputs }, options);

describe("the fleet's route changes", () => {
  it("name a route's method, so that a method route added beside a plain one reads as its own route", () => {
    const base = examplePlan("prod");
    const cart = base.hosts.find((h) => h.name === "shop.example.com")!.routes.find((r) => r.key === "=/cart")!;
    const post = { ...cart, key: "=/cart m:POST", priority: 1, match: { ...cart.match, method: "POST" as const } };
    const head: FleetPlan = {
      ...base,
      hosts: base.hosts.map((h) =>
        h.name === "shop.example.com" ? { ...h, routes: [post, ...h.routes.map((r) => ({ ...r, priority: r.priority + 1 }))] } : h,
      ),
    };
    const lines = diffFleets(base, head).find((c) => c.owner === cart.team)!.lines;
    expect(lines).toContain(`host \`shop.example.com\` route \`/cart if method POST\` added: shop/cart:80 100%`);
  });
});

describe("the cluster a change is filed under", () => {
  it("is the resource's provider's cluster, else the cluster its name starts with, not the longest it mentions", () => {
    const stack = resource("pulumi:pulumi:Stack", "fleetgate-t", {}, {
      custom: false,
      parent: undefined,
      urn: STACK_URN,
      outputs: { gateways: { "gke-eu": {}, "gke-us2": {} } },
    } as Partial<PlannedResource>);
    const provider = resource("pulumi:providers:kubernetes", "t-gke-eu", {});
    const secret = (data: string) => resource("kubernetes:core/v1:Secret", "t-gke-eu-remote-secret-gke-us2", { data }, { provider: provider.urn });
    const firewall = (ranges: string[]) => resource("gcp:compute/firewall:Firewall", "t-gke-us2-mesh-from-gke-eu", { sourceRanges: ranges });
    const diff = diffPlans(plan(stack, provider, secret("a"), firewall(["10.0.0.0/14"])), plan(stack, provider, secret("b"), firewall(["10.4.0.0/14"])));
    expect(diff.changes.map((c) => [c.name, c.cluster])).toEqual(
      expect.arrayContaining([
        ["t-gke-eu-remote-secret-gke-us2", "gke-eu"],
        ["t-gke-us2-mesh-from-gke-eu", "gke-us2"],
      ]),
    );
  });
});

describe("plan:diff on hand-made plans", () => {
  const cases: { description: string; base: PlanDocument; head: PlanDocument; kinds: string[]; contains: string[]; absent?: string[] }[] = [
    {
      description: "an input the provider replaces on (a record's managed zone) makes a replacement and marks the field",
      base: plan(record({})),
      head: plan(record({ managedZone: "zone-b" })),
      kinds: ["replace"],
      contains: ["`+-` **replace**", '`managedZone`: `"zone-a"` → `"zone-b"` **(forces replacement)**'],
    },
    {
      description: "an input the provider updates in place (a record's TTL) makes an update",
      base: plan(record({})),
      head: plan(record({ ttl: 300 })),
      kinds: ["update"],
      contains: ["`~` update", "`ttl`: `60` → `300`"],
      absent: ["forces replacement", "replacement unknown"],
    },
    {
      description: "a resource's own replaceOnChanges is honoured even for a type the table does not know",
      base: plan(resource("example:index:Widget", "w", { size: 1 }, { replaceOnChanges: ["size"] })),
      head: plan(resource("example:index:Widget", "w", { size: 2 }, { replaceOnChanges: ["size"] })),
      kinds: ["replace"],
      contains: ["its `replaceOnChanges` option lists"],
    },
    {
      description: "a change to a type the table does not know says that replacement is unknown",
      base: plan(resource("example:index:Widget", "w", { size: 1 })),
      head: plan(resource("example:index:Widget", "w", { size: 2 })),
      kinds: ["update"],
      contains: ["replacement unknown: `example:index:Widget` is not in Fleetgate's replacement table"],
    },
    {
      description: "a Kubernetes object whose name changes is replaced",
      base: plan(resource("kubernetes:core/v1:ConfigMap", "cm", { metadata: { name: "a", namespace: "n" }, data: { k: "v" } })),
      head: plan(resource("kubernetes:core/v1:ConfigMap", "cm", { metadata: { name: "b", namespace: "n" }, data: { k: "v" } })),
      kinds: ["replace"],
      contains: ['`metadata.name`: `"a"` → `"b"` **(forces replacement)**'],
    },
    {
      description: "a new logical name with an alias to the old one is a move, not a replacement",
      base: plan(record({})),
      head: plan({ ...record({}), urn: "urn:pulumi:t::fleetgate::gcp:dns/recordSet:RecordSet::t-shop-apex", name: "t-shop-apex", aliases: [record({}).urn] }),
      kinds: ["update"],
      contains: ["renamed from `t-shop-a` with an alias: Pulumi moves the resource"],
    },
    {
      description: "a new logical name without an alias is a replacement that deletes the old resource",
      base: plan(record({})),
      head: plan({ ...record({}), urn: "urn:pulumi:t::fleetgate::gcp:dns/recordSet:RecordSet::t-shop-apex", name: "t-shop-apex" }),
      kinds: ["replace"],
      contains: ["renamed from `t-shop-a` without an alias: Pulumi deletes `t-shop-a` and creates `t-shop-apex`"],
    },
    {
      description: "a long value is cut around its first difference, so the difference shows",
      base: plan(
        resource("gcp:certificatemanager/certificateMapEntry:CertificateMapEntry", "e", {
          certificates: ["projects/acme-fleet-prod/locations/global/certificates/fg-prod-shop-example-com-7f3a"],
        }),
      ),
      head: plan(
        resource("gcp:certificatemanager/certificateMapEntry:CertificateMapEntry", "e", {
          certificates: ["projects/acme-fleet-prod/locations/global/certificates/fg-prod-shop-example-com-9b21"],
        }),
      ),
      kinds: ["update"],
      contains: ["-7f3a", "-9b21"],
    },
    {
      description: "deleting a protected resource is called out in a caution block",
      base: plan(record({}, { protect: true })),
      head: plan(),
      kinds: ["delete"],
      contains: ["> [!CAUTION]", "`gcp:dns/recordSet:RecordSet` `t-shop-a`: deleted"],
    },
    {
      description: "lifting protect from a resource is a warning",
      base: plan(record({}, { protect: true })),
      head: plan(record({}, { protect: false })),
      kinds: ["update"],
      contains: ["> [!WARNING]", "`t-shop-a` loses `protect`", "option `protect`: `true` → `false`"],
    },
    {
      description: "a replacement that deletes first warns of an outage",
      base: plan(record({}, { deleteBeforeReplace: true })),
      head: plan(record({ name: "www.example.com." }, { deleteBeforeReplace: true })),
      kinds: ["replace"],
      contains: ["> [!WARNING]", "is deleted before its replacement is created"],
    },
    {
      description: "an input that stops being secret is a warning, and its old value stays masked",
      base: plan(
        resource(
          "kubernetes:core/v1:Secret",
          "s",
          { metadata: { name: "s", namespace: "n" }, stringData: { key: "[secret]" } },
          { secretPaths: ["stringData.key"] },
        ),
      ),
      head: plan(resource("kubernetes:core/v1:Secret", "s", { metadata: { name: "s", namespace: "n" }, stringData: { key: "now-plain" } })),
      kinds: ["replace"],
      contains: ["no longer secret: `stringData.key`", "`stringData.key`: `[secret]` → `[secret]`"],
      absent: ["now-plain"],
    },
    {
      description: "long values are cut and their length given",
      base: plan(record({ rrdatas: ["a".repeat(200)] })),
      head: plan(record({ rrdatas: ["b".repeat(200)] })),
      kinds: ["update"],
      contains: ["… (204 chars)"],
      absent: ["a".repeat(100)],
    },
    {
      description: "identical plans say that nothing would change",
      base: plan(record({})),
      head: plan(record({})),
      kinds: [],
      contains: ["**0 to create · 0 to update · 0 to replace · 0 to delete** · 1 unchanged", "No resource would change."],
    },
  ];

  for (const c of cases) {
    it(c.description, () => {
      expect(diffPlans(c.base, c.head).changes.map((x) => x.kind)).toEqual(c.kinds);
      const text = render(c.base, c.head);
      for (const s of c.contains) expect(text).toContain(s);
      for (const s of c.absent ?? []) expect(text).not.toContain(s);
    });
  }
});
