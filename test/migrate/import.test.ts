import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { migrate } from "../../migrate";
import { adminFragment, adminSettings, applyFragment, CATCH_ALL_KEY_KNOWN, ingressFacts } from "../../migrate/admin-settings";
import { chosenAddressName } from "../../migrate/addresses";
import { planImport } from "../../migrate/import";
import { behaviourChanges } from "../../migrate/report";
import { PROJECT_ROOT } from "../../offline/run-offline";
import { stackConfigFromFile } from "../../spec/stack-config";
import { caseObjects, CORPUS_STACK_TEXT, dumpOf } from "../gke-corpus/corpus";

const ENV = "corpus";
const importOf = (text: string, options: { existing?: string[]; force?: boolean; namespace?: string } = {}) =>
  planImport({
    environment: ENV,
    inputName: "dump.yaml",
    text,
    existing: new Set(options.existing ?? []),
    force: options.force ?? false,
    ...(options.namespace ? { namespace: options.namespace } : {}),
  });
const stack = { path: "stacks/Pulumi.corpus.yaml", text: CORPUS_STACK_TEXT };
const migrateText = (text: string, stackText = CORPUS_STACK_TEXT) =>
  migrate({ environment: ENV, inputName: "dump.yaml", text, stack: { ...stack, text: stackText }, files: [], force: false });

const zoneprinter = caseObjects("zoneprinter");
const written = (text: string) => Object.fromEntries(importOf(text).objects.map((o) => [o.path, parse(o.text) as unknown]));

describe("reading a dump", () => {
  const asList = dumpOf(zoneprinter);
  const items = (parse(asList) as { items: Record<string, unknown>[] }).items;
  const shapes: [string, string][] = [
    ["a v1 List as kubectl get -o yaml prints it", asList],
    ["a multi-document YAML stream of the same objects", items.map((i) => stringify(i)).join("---\n")],
    ["the List as JSON (kubectl get -o json)", JSON.stringify(parse(asList), null, 2)],
    [
      "a typed list (MultiClusterServiceList beside a MultiClusterIngress)",
      `${stringify({ apiVersion: "networking.gke.io/v1", kind: "MultiClusterServiceList", items: [items[0]] })}---\n${stringify(items[1])}`,
    ],
  ];
  for (const [shape, text] of shapes)
    it(`imports ${shape} into the same files`, () => {
      expect(importOf(text).refusals).toEqual([]);
      expect(written(text)).toEqual(written(asList));
    });

  it("imports one object on its own", () => {
    const plan = importOf(stringify(items[1]));
    expect(plan.objects.map((o) => o.path)).toEqual(["stacks/corpus/zoneprinter/multiclusteringress-zone-ingress.yaml"]);
  });

  it("writes each object to stacks/<env>/<namespace>/<kind in lower case>-<name>.yaml, sorted", () => {
    expect(importOf(dumpOf(caseObjects("basic"))).objects.map((o) => o.path)).toEqual([
      "stacks/corpus/basic/backendconfig-backend-health-check.yaml",
      "stacks/corpus/basic/multiclusteringress-foobar-ingress.yaml",
      "stacks/corpus/basic/multiclusterservice-bar.yaml",
      "stacks/corpus/basic/multiclusterservice-default-backend.yaml",
      "stacks/corpus/basic/multiclusterservice-foo.yaml",
    ]);
  });

  it("takes off what the API server and GKE's controllers added, and keeps what the owner wrote", () => {
    const files = written(dumpOf(caseObjects("frontend-config"), { "frontend/foobar-ingress": "192.0.2.20" }));
    expect(Object.values(files)).toEqual(
      caseObjects("frontend-config")
        .sort((a, b) => `${String(a.kind)}${JSON.stringify(a.metadata)}`.localeCompare(`${String(b.kind)}${JSON.stringify(b.metadata)}`))
        .map((o) => expect.objectContaining(o)),
    );
    for (const object of Object.values(files) as Record<string, Record<string, unknown>>[]) {
      expect(Object.keys(object).sort()).toEqual(["apiVersion", "kind", "metadata", "spec"]);
      expect(Object.keys(object.metadata!).every((k) => ["name", "namespace", "annotations", "labels"].includes(k))).toBe(true);
      expect(JSON.stringify(object)).not.toMatch(/last-applied|last-reconcile|mci\.finalizer|managedFields|resourceVersion|CloudResources/);
    }
    const ingress = files["stacks/corpus/frontend/multiclusteringress-foobar-ingress.yaml"] as { metadata: { annotations: Record<string, string> } };
    expect(ingress.metadata.annotations).toEqual({
      "networking.gke.io/frontend-config": "frontend-config",
      "networking.gke.io/static-ip": "192.0.2.20",
      "networking.gke.io/pre-shared-certs": "mci-certs",
    });
  });

  it("takes off Config Sync's bookkeeping, which would claim the files for its inventory", () => {
    const object = {
      ...zoneprinter[1]!,
      metadata: {
        name: "zone-ingress",
        namespace: "zoneprinter",
        labels: { "app.kubernetes.io/managed-by": "configmanagement.gke.io", "configsync.gke.io/declared-version": "v1", team: "zp" },
        annotations: { "config.k8s.io/owning-inventory": "x", "configsync.gke.io/resource-id": "y", "config.kubernetes.io/origin": "z" },
      },
    };
    const [imported] = importOf(stringify(object)).objects;
    expect(imported!.object.metadata as Record<string, unknown>).toEqual({ name: "zone-ingress", namespace: "zoneprinter", labels: { team: "zp" } });
  });

  it("says where the live spec differs from the last kubectl apply, and imports the live one", () => {
    const list = parse(dumpOf(zoneprinter)) as { items: { spec: { template: { spec: { ports: { port: number }[] } } } }[] };
    list.items[0]!.spec.template.spec.ports[0]!.port = 9090;
    const plan = importOf(stringify(list));
    expect(plan.objects.find((o) => o.kind === "MultiClusterService")!.notes).toEqual([
      expect.stringContaining("live spec differs from the last `kubectl apply`"),
    ]);
    expect(plan.objects.find((o) => o.kind === "MultiClusterIngress")!.notes).toEqual([]);
  });
});

describe("what the import refuses or leaves out", () => {
  const refusals = (text: string, options?: Parameters<typeof importOf>[1]) =>
    importOf(text, options).refusals.map((d) => `${d.file}:${d.line ?? "-"}: ${d.path ? `${d.path}: ` : ""}${d.message}`);
  const cases: { description: string; text: string; options?: Parameters<typeof importOf>[1]; want: RegExp[] }[] = [
    {
      description: "empty input",
      text: "",
      want: [/dump\.yaml:1: is empty; expected the output of `kubectl get multiclusteringress,multiclusterservice,backendconfig,frontendconfig -A -o yaml`/],
    },
    {
      description: "a stack file",
      text: CORPUS_STACK_TEXT,
      want: [/dump\.yaml:\d+: has no apiVersion and kind, so it is not a Kubernetes object \(its keys are config\); expected the output of `kubectl get/],
    },
    { description: "a List whose items are not a list", text: "apiVersion: v1\nkind: List\nitems: {}\n", want: [/items: is not a list of objects/] },
    { description: "a YAML scalar", text: "hello\n", want: [/is "hello", not a Kubernetes object/] },
    {
      description: "a dump of other kinds only",
      text: stringify({ apiVersion: "v1", kind: "List", items: [{ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" } }] }),
      want: [/holds no MultiClusterIngress, MultiClusterService, BackendConfig or FrontendConfig \(only Deployment\); run `kubectl get multiclusteringress/],
    },
    {
      description: "an object without namespace",
      text: stringify({ ...zoneprinter[1], metadata: { name: "zone-ingress" } }),
      want: [
        /MultiClusterIngress "zone-ingress" has no namespace; `kubectl get -A` prints every object's namespace\. For a manifest saved by hand, give --namespace <namespace>/,
      ],
    },
    {
      description: "a name that is not a Kubernetes name (a path)",
      text: stringify({ ...zoneprinter[1], metadata: { name: "../../x", namespace: "zoneprinter" } }),
      want: [/metadata\.name: "\.\.\/\.\.\/x" is not a Kubernetes object name/],
    },
    {
      description: "a namespace that is not a DNS label",
      text: stringify({ ...zoneprinter[1], metadata: { name: "x", namespace: "Zone_Printer" } }),
      want: [/metadata\.namespace: "Zone_Printer"/],
    },
    {
      description: "one object twice",
      text: `${stringify(zoneprinter[1])}---\n${stringify(zoneprinter[1])}`,
      want: [/is MultiClusterIngress zoneprinter\/zone-ingress a second time \(first at dump\.yaml:1\)/],
    },
    {
      description: "files that exist, without --force",
      text: dumpOf(zoneprinter),
      options: { existing: ["stacks/corpus/zoneprinter/multiclusteringress-zone-ingress.yaml"] },
      want: [/stacks\/corpus\/zoneprinter\/multiclusteringress-zone-ingress\.yaml:-: exists; the import never overwrites a file unless it is run with --force/],
    },
  ];
  for (const c of cases)
    it(`refuses ${c.description}, saying what it expected, and plans no file`, () => {
      const got = refusals(c.text, c.options);
      expect(got).toHaveLength(c.want.length);
      c.want.forEach((w, i) => expect(got[i]).toMatch(w));
      expect(importOf(c.text, c.options).objects).toEqual([]);
    });

  it("puts objects that name no namespace in the one given with --namespace", () => {
    const plan = importOf(stringify({ ...zoneprinter[1], metadata: { name: "zone-ingress" } }), { namespace: "zp" });
    expect(plan.refusals).toEqual([]);
    expect(plan.objects.map((o) => [o.path, (o.object.metadata as { namespace: string }).namespace])).toEqual([
      ["stacks/corpus/zp/multiclusteringress-zone-ingress.yaml", "zp"],
    ]);
  });

  it("replaces existing files with --force, and says which", () => {
    const plan = importOf(dumpOf(zoneprinter), { existing: ["stacks/corpus/zoneprinter/multiclusteringress-zone-ingress.yaml"], force: true });
    expect(plan.refusals).toEqual([]);
    expect(plan.replaces).toEqual(["stacks/corpus/zoneprinter/multiclusteringress-zone-ingress.yaml"]);
  });

  it("never writes nor prints a Secret's data, and leaves out other kinds with the reason", () => {
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "tls", namespace: "zoneprinter" },
      type: "kubernetes.io/tls",
      data: { "tls.key": "c3VwZXItc2VjcmV0LWtleQ==" },
      stringData: { password: "hunter2-plain" },
    };
    const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "zoneprinter", namespace: "zoneprinter" }, spec: { replicas: 2 } };
    const text = stringify({ apiVersion: "v1", kind: "List", items: [...(parse(dumpOf(zoneprinter)) as { items: unknown[] }).items, secret, deployment] });
    const result = migrateText(text);
    expect(result.plan.skipped).toEqual([
      expect.stringMatching(/^Deployment zoneprinter\/zoneprinter \(apps\/v1\): not a kind Fleetgate reads .*; it stays in its clusters as it is\.$/),
      expect.stringMatching(/^Secret zoneprinter\/tls: Fleetgate never writes Secrets; its data was neither written nor printed/),
    ]);
    expect(result.plan.objects.map((o) => o.kind).sort()).toEqual(["MultiClusterIngress", "MultiClusterService"]);
    const everything = JSON.stringify(result);
    for (const value of ["c3VwZXItc2VjcmV0LWtleQ==", "hunter2-plain", "tls.key", "password"]) expect(everything).not.toContain(value);
  });

  it("leaves out a BackendConfig or FrontendConfig that no imported object names (a single-cluster Ingress's)", () => {
    const orphan = {
      apiVersion: "cloud.google.com/v1",
      kind: "BackendConfig",
      metadata: { name: "for-an-ingress", namespace: "basic" },
      spec: { timeoutSec: 40 },
    };
    const plan = importOf(dumpOf([...caseObjects("basic"), orphan]));
    expect(plan.skipped).toEqual([expect.stringMatching(/^BackendConfig basic\/for-an-ingress: no imported MultiClusterService names it/)]);
    expect(plan.objects.map((o) => o.name)).toContain("backend-health-check");
  });

  it("refuses a MultiClusterService of another API group as a kind it does not read", () => {
    const plan = importOf(stringify({ ...zoneprinter[0], apiVersion: "example.com/v1" }));
    expect(plan.refusals).toEqual([expect.objectContaining({ message: expect.stringContaining("holds no MultiClusterIngress") })]);
  });
});

describe("the admin settings the import prints", () => {
  const facts = (names: string[], vips: Record<string, string> = {}) =>
    importOf(dumpOf(names.flatMap(caseObjects), vips))
      .objects.filter((o) => o.kind === "MultiClusterIngress")
      .map(ingressFacts);

  it("grants each namespace the hosts its ingresses name, leaving out what it is granted already", () => {
    const values = stackConfigFromFile(
      stack.path,
      applyFragment(CORPUS_STACK_TEXT, "fleetgate:hostOwnership:\n  - { namespace: basic, domains: [foo.basic.example.com] }\n"),
    ).values;
    const settings = adminSettings(facts(["basic", "host-path"]), values, ENV);
    expect(settings.hostOwnership).toEqual([
      { namespace: "basic", domains: ["bar.basic.example.com"] },
      { namespace: "paths", domains: ["search.paths.example.com", "store.paths.example.com"] },
    ]);
  });

  it("names a host another namespace is granted as a conflict instead of granting it twice", () => {
    const values = stackConfigFromFile(
      stack.path,
      applyFragment(CORPUS_STACK_TEXT, "fleetgate:hostOwnership:\n  - { namespace: shop, domains: ['*.basic.example.com'] }\n"),
    ).values;
    const settings = adminSettings(facts(["basic"]), values, ENV);
    expect(settings.hostOwnership).toEqual([]);
    expect(settings.conflicts).toEqual([
      { host: "bar.basic.example.com", namespace: "basic", owners: ["shop"] },
      { host: "foo.basic.example.com", namespace: "basic", owners: ["shop"] },
    ]);
    const changes = behaviourChanges({ environment: ENV, frontDoor: "gcp", ingresses: facts(["basic"]), settings, diagnostics: [], objectNotes: [] });
    expect(changes.filter((c) => c.topic === "host-conflicts").map((c) => c.text)).toEqual([
      expect.stringMatching(/^Namespace basic names bar\.basic\.example\.com, which the admin grants to shop; .* move the rule, or change the grant\.$/),
      expect.stringMatching(/^Namespace basic names foo\.basic\.example\.com/),
    ]);
  });

  it("grants the catch-all to the one namespace whose ingress has only a default backend, and to none when two need it", () => {
    const values = stackConfigFromFile(stack.path, CORPUS_STACK_TEXT).values;
    expect(adminSettings(facts(["zoneprinter", "basic"]), values, ENV)).toMatchObject({ catchAll: "zoneprinter", catchAllCandidates: ["zoneprinter"] });
    const two = adminSettings(facts(["zoneprinter", "bank-of-anthos"]), values, ENV);
    expect(two.catchAll).toBeUndefined();
    expect(two.catchAllCandidates).toEqual(["boa", "zoneprinter"]);
    expect(adminFragment(adminSettings(facts(["zoneprinter"]), values, ENV), { catchAllKnown: true })).toBe("fleetgate:catchAll:\n  namespace: zoneprinter\n");
  });

  it("applies a fragment as the admin would: appends to a list already there, sets other keys, keeps comments", () => {
    const before = "# the stack\nconfig:\n  fleetgate:hostOwnership:\n    - { namespace: a, domains: [a.example.com] } # a's\n  fleetgate:frontDoor: gcp\n";
    const after = applyFragment(before, "fleetgate:hostOwnership:\n  - namespace: b\n    domains: [b.example.com]\nfleetgate:catchAll:\n  namespace: b\n");
    expect(after).toContain("# a's");
    expect((parse(after) as { config: Record<string, unknown> }).config).toEqual({
      "fleetgate:hostOwnership": [
        { namespace: "a", domains: ["a.example.com"] },
        { namespace: "b", domains: ["b.example.com"] },
      ],
      "fleetgate:frontDoor": "gcp",
      "fleetgate:catchAll": { namespace: "b" },
    });
  });
});

describe("the report of what changes against GKE", () => {
  it("names one load balancer, managed certificates, unknown hosts answered 404, the catch-all, the addresses and every warning", () => {
    const result = migrateText(dumpOf(["zoneprinter", "basic", "https-e2e"].flatMap(caseObjects), { "zoneprinter/zone-ingress": "34.98.102.37" }));
    const topics = new Set(result.changes.map((c) => c.topic));
    for (const topic of ["one-load-balancer", "managed-certificates", "unknown-hosts-404", "catch-all", "addresses", "warning"])
      expect(topics).toContain(topic);
    const text = result.changes.map((c) => c.text).join("\n");
    // Once Fleetgate reads fleetgate:catchAll, the import grants it to zoneprinter, whose catch-all then takes them.
    expect(text).toMatch(
      new RegExp(
        `basic/foobar-ingress: under GKE, requests for host names no rule names and requests by IP address reached its default backend default-backend:8080; ${CATCH_ALL_KEY_KNOWN ? "Fleetgate sends them to the environment's catch-all, which namespace zoneprinter serves" : "Fleetgate answers them 404"}`,
      ),
    );
    expect(text).toMatch(
      /https\/foobar-ingress \(pre-shared certificates mci-certs\) served its hosts with certificates of its own; Fleetgate issues a managed certificate for each host instead/,
    );
    expect(text).toMatch(
      /^34\.98\.102\.37 \(zoneprinter-zone-ingress\), which served zoneprinter\/zone-ingress with no host of its own \(requests by IP address\), is an ephemeral address GKE chose/m,
    );
    // Every warning of the validator is in the report, as the validator words it.
    for (const d of result.validation!.diagnostics.filter((d) => d.severity === "warning"))
      expect(result.changes).toContainEqual({ topic: "warning", text: expect.stringContaining(d.message) });
    expect(result.validation!.diagnostics.some((d) => d.severity === "warning")).toBe(true);
  });

  it("tells two namespaces that each need the catch-all that only one may have it", () => {
    const changes = behaviourChanges({
      environment: ENV,
      frontDoor: "gcp",
      ingresses: importOf(dumpOf(["zoneprinter", "bank-of-anthos"].flatMap(caseObjects)))
        .objects.filter((o) => o.kind === "MultiClusterIngress")
        .map(ingressFacts),
      settings: adminSettings(
        importOf(dumpOf(["zoneprinter", "bank-of-anthos"].flatMap(caseObjects)))
          .objects.filter((o) => o.kind === "MultiClusterIngress")
          .map(ingressFacts),
        {},
        ENV,
      ),
      diagnostics: [],
      objectNotes: [],
    });
    expect(changes.filter((c) => c.topic === "catch-all").map((c) => c.text)).toEqual([
      expect.stringContaining(
        "boa/frontend-global-ingress has only a default backend (frontend-mcs:8080), which Fleetgate serves only as the environment's catch-all, and only one namespace may have it, but boa, zoneprinter each need it",
      ),
      expect.stringContaining("zoneprinter/zone-ingress has only a default backend"),
    ]);
  });

  it("sends another ingress's unknown hosts to the catch-all where a namespace is granted it, and says so instead of 404", () => {
    const ingresses = importOf(dumpOf(["zoneprinter", "basic"].flatMap(caseObjects)))
      .objects.filter((o) => o.kind === "MultiClusterIngress")
      .map(ingressFacts);
    const report = (catchAllServed?: string) =>
      behaviourChanges({
        environment: ENV,
        frontDoor: "gcp",
        ingresses,
        settings: adminSettings(ingresses, {}, ENV),
        ...(catchAllServed ? { catchAllServed } : {}),
        diagnostics: [],
        objectNotes: [],
      });
    expect(report("zoneprinter").find((c) => c.topic === "unknown-hosts-404")!.text).toMatch(
      /reached its default backend default-backend:8080; Fleetgate sends them to the environment's catch-all, which namespace zoneprinter serves\./,
    );
    expect(report("zoneprinter").find((c) => c.topic === "catch-all")!.text).toMatch(
      /^zoneprinter\/zone-ingress has only a default backend \(zone-mcs:8080\): it serves the environment's catch-all/,
    );
    expect(report().find((c) => c.topic === "unknown-hosts-404")!.text).toMatch(/Fleetgate answers them 404\./);
  });
});

describe("npm run import on the command line", () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, [join(PROJECT_ROOT, "node_modules/tsx/dist/cli.mjs"), join(PROJECT_ROOT, "scripts/import.ts"), ...args], { encoding: "utf8" });

  it("prints its usage on standard output with --help and -h, and exits 0", () => {
    for (const flag of ["--help", "-h"]) {
      const result = run([flag]);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^Usage: npm run import -- --stack <env> \[--force\]/);
    }
  });

  it("answers an unknown option with one line and exit code 2", () => {
    const result = run(["--stack", ENV, "--frobnicate", "dump.yaml"]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^import: unknown option '--frobnicate'; see --help$/)]);
  });
});

// Keeps the helpers above honest: the YAML the corpus turns into a dump reads back as the same objects.
describe("the addresses the import keeps", () => {
  const AWS_STACK = CORPUS_STACK_TEXT.replace("fleetgate:frontDoor: gcp", "fleetgate:frontDoor: aws");
  const ingressWith = (staticIp?: string) => {
    const [service, ingress] = caseObjects("zoneprinter") as [Record<string, unknown>, { metadata: Record<string, unknown> }];
    return [
      service,
      { ...ingress, metadata: { ...ingress.metadata, ...(staticIp !== undefined ? { annotations: { "networking.gke.io/static-ip": staticIp } } : {}) } },
    ];
  };
  const run = (staticIp: string | undefined, vip: string | undefined, stackText = CORPUS_STACK_TEXT) =>
    migrateText(dumpOf(ingressWith(staticIp), vip ? { "zoneprinter/zone-ingress": vip } : {}), stackText);
  const annotationOf = (result: ReturnType<typeof migrateText>) =>
    (parse(result.plan.objects.find((o) => o.kind === "MultiClusterIngress")!.text) as { metadata: { annotations?: Record<string, string> } }).metadata
      .annotations?.["networking.gke.io/static-ip"];
  const addressText = (result: ReturnType<typeof migrateText>) => result.changes.filter((c) => c.topic === "addresses").map((c) => c.text);
  const adopted = (result: ReturnType<typeof migrateText>) =>
    (parse(result.fragment || "{}") as Record<string, { adoptAddresses?: unknown }>)["fleetgate:gcp"]?.adoptAddresses;

  it("adopts an address the annotation names, at the IP the dump's VIP gives, and says to delete the ingress before pulumi up", () => {
    const result = run("zone-ip", "34.98.102.37");
    expect(adopted(result)).toEqual([{ name: "zone-ip", address: "34.98.102.37" }]);
    expect(result.lookups).toBe("");
    expect(annotationOf(result)).toBe("zone-ip");
    expect(addressText(result)).toEqual([
      expect.stringMatching(
        /^34\.98\.102\.37 \(zone-ip\), which served zoneprinter\/zone-ingress .*is the reserved global address zone-ip.*Then delete the MultiClusterIngress from the config cluster \(`kubectl delete multiclusteringress zone-ingress -n zoneprinter`\) before the `pulumi up` that adopts the address: .*\[gcp\.forwarding-rule-ports\]/,
      ),
    ]);
    expect(result.validation!.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("leaves the name of an address the annotation gives by IP to a gcloud look-up, printed as an entry to complete", () => {
    const result = run("192.0.2.10", "192.0.2.10");
    expect(adopted(result)).toBeUndefined();
    expect(result.lookups).toBe(
      'fleetgate:gcp:\n  adoptAddresses:\n    # gcloud compute addresses list --global --project corpus-fleet --filter="address=192.0.2.10" --format="value(name)"\n    - name: <name of 192.0.2.10>\n      address: 192.0.2.10\n',
    );
    expect(addressText(result)).toEqual([expect.stringContaining("goes in place of <name of 192.0.2.10> in the entry to complete above")]);
    // The rest is checked with a stand-in name; pasted unfilled, the placeholder is refused at the stack file.
    expect(result.validation!.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const unfilled = migrateText(dumpOf(ingressWith("192.0.2.10"), {}), applyFragment(CORPUS_STACK_TEXT, result.lookups));
    expect(unfilled.validation!.diagnostics).toContainEqual(
      expect.objectContaining({ severity: "error", message: expect.stringContaining('"<name of 192.0.2.10>" is not a GCP address name') }),
    );
    // Filled with what gcloud prints, it plans.
    const filled = migrateText(
      dumpOf(ingressWith("192.0.2.10"), {}),
      applyFragment(CORPUS_STACK_TEXT, result.lookups.replace("<name of 192.0.2.10>", "zone-ip")),
    );
    expect(filled.validation!.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(filled.lookups).toBe("");
    expect(addressText(filled)).toEqual([expect.stringContaining("is adopted already (fleetgate:gcp.adoptAddresses: zone-ip); nothing to add")]);
  });

  it("reserves an ephemeral VIP under <namespace>-<ingress>, writes the annotation that names it, and adopts it", () => {
    const result = run(undefined, "34.98.102.37");
    expect(adopted(result)).toEqual([{ name: "zoneprinter-zone-ingress", address: "34.98.102.37" }]);
    expect(annotationOf(result)).toBe("zoneprinter-zone-ingress");
    expect(result.plan.objects.find((o) => o.kind === "MultiClusterIngress")!.text).toContain(
      "# Changed: the import added networking.gke.io/static-ip: zoneprinter-zone-ingress",
    );
    expect(addressText(result)).toEqual([
      expect.stringContaining(
        "reserve it first, while the ingress still holds it, with `gcloud compute addresses create zoneprinter-zone-ingress --addresses=34.98.102.37 --global --project corpus-fleet`",
      ),
    ]);
    expect(result.validation!.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.validation!.plan!.frontDoor).toMatchObject({ adoptedAddresses: [{ name: "zoneprinter-zone-ingress", address: "34.98.102.37" }] });
  });

  const names: [string, string, string[], RegExp][] = [
    ["cuts a long name to 63 characters with a hash", `${"n".repeat(40)}/${"i".repeat(40)}`, [], /^n{40}-i{13}-[0-9a-f]{8}$/],
    ["starts a name with a letter", "1team/web", [], /^ip-1team-web$/],
    ["adds a hash where the name is taken", "a-b/c", ["a-b-c"], /^a-b-c-[0-9a-f]{8}$/],
  ];
  for (const [behaviour, key, taken, want] of names)
    it(`${behaviour} for an ephemeral address`, () => {
      const name = chosenAddressName(key, new Set(taken));
      expect(name).toMatch(want);
      expect(name).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
    });

  it("behind the AWS front door keeps no address, takes the static-ip annotation off and says why", () => {
    for (const [staticIp, vip] of [
      ["zone-ip", "34.98.102.37"],
      [undefined, "34.98.102.37"],
    ] as const) {
      const result = run(staticIp, vip, AWS_STACK);
      expect(result.fragment).not.toContain("adoptAddresses");
      expect(annotationOf(result)).toBeUndefined();
      expect(addressText(result)).toEqual([
        expect.stringMatching(
          /^zoneprinter\/zone-ingress, .*was served on 34\.98\.102\.37, which cannot be kept behind the AWS front door: Global Accelerator allocates its own static addresses \[aws\.accelerator-addresses\]/,
        ),
      ]);
      expect(addressText(result)[0]!.includes("took off its networking.gke.io/static-ip: zone-ip annotation")).toBe(staticIp !== undefined);
      expect(result.validation!.diagnostics.filter((d) => d.path.includes("static-ip"))).toEqual([]);
    }
  });

  it("merges the fragment's fleetgate:gcp into the stack's, keeping its project", () => {
    const after = parse(applyFragment(CORPUS_STACK_TEXT, "fleetgate:gcp:\n  adoptAddresses:\n    - { name: a, address: 192.0.2.1 }\n")) as {
      config: Record<string, unknown>;
    };
    expect(after.config["fleetgate:gcp"]).toEqual({ project: "corpus-fleet", adoptAddresses: [{ name: "a", address: "192.0.2.1" }] });
  });
});

it("the corpus dump holds the corpus objects with their server fields", () => {
  const list = parse(dumpOf(zoneprinter, { "zoneprinter/zone-ingress": "34.98.102.37" })) as { items: Record<string, Record<string, unknown>>[] };
  expect(list.items.map((i) => i.metadata!.uid)).toEqual([expect.any(String), expect.any(String)]);
  expect(list.items[1]!.status).toMatchObject({ VIP: "34.98.102.37" });
});

describe("whatever the input", () => {
  it("never throws: every object a dump may hold is imported, left out or refused with a reason", async () => {
    const fc = await import("fast-check");
    const kinds = fc.constantFrom("MultiClusterIngress", "MultiClusterService", "BackendConfig", "FrontendConfig", "Secret", "List", "Deployment");
    const groups = fc.constantFrom("networking.gke.io/v1", "networking.gke.io/v1beta1", "cloud.google.com/v1", "v1", "apps/v1", "x");
    const item = fc.record(
      {
        apiVersion: fc.oneof(groups, fc.anything()),
        kind: fc.oneof(kinds, fc.anything()),
        metadata: fc.oneof(
          fc.record(
            {
              name: fc.oneof(fc.constantFrom("a", "b", "../x"), fc.anything()),
              namespace: fc.oneof(fc.constantFrom("ns", "Bad_NS"), fc.anything()),
              annotations: fc.oneof(
                fc.dictionary(
                  fc.constantFrom(
                    "networking.gke.io/static-ip",
                    "beta.cloud.google.com/backend-config",
                    "networking.gke.io/frontend-config",
                    "kubectl.kubernetes.io/last-applied-configuration",
                  ),
                  fc.oneof(fc.string(), fc.anything()),
                ),
                fc.anything(),
              ),
            },
            { requiredKeys: [] },
          ),
          fc.anything(),
        ),
        spec: fc.oneof(
          fc.record(
            {
              template: fc.oneof(
                fc.record({
                  spec: fc.oneof(
                    fc.record(
                      {
                        backend: fc.anything(),
                        rules: fc.oneof(fc.array(fc.record({ host: fc.oneof(fc.string(), fc.anything()) })), fc.anything()),
                        tls: fc.anything(),
                      },
                      { requiredKeys: [] },
                    ),
                    fc.anything(),
                  ),
                }),
                fc.anything(),
              ),
            },
            { requiredKeys: [] },
          ),
          fc.anything(),
        ),
        status: fc.oneof(fc.record({ VIP: fc.oneof(fc.ipV4(), fc.anything()) }), fc.anything()),
        items: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 6 }), fc.boolean(), (items, asList) => {
        const text = asList ? stringify({ apiVersion: "v1", kind: "List", items }) : items.map((i) => stringify(i)).join("---\n");
        const result = migrateText(text);
        // Refused, or imported with a report; never both, never neither when something was read.
        expect(result.plan.refusals.length === 0 || result.plan.objects.length === 0).toBe(true);
        if (result.plan.refusals.length === 0) expect(result.changes.length + result.plan.skipped.length + result.plan.objects.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
