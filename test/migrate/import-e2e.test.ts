/**
 * The migration end to end: a dump of the GKE corpus (a List with every server field) is imported by
 * `npm run import` into a fresh project folder, the admin settings it prints are applied to a copy of the
 * stack file as printed, and the imported folder then plans with no other edit; the report names each
 * behaviour change.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { applyFragment } from "../../migrate/admin-settings";
import { PROJECT_ROOT } from "../../offline/run-offline";
import { planEnvironment } from "../../spec";
import { readEnvironmentFiles, readStackFile } from "../../spec/read-files";
import { stackConfigFromSource } from "../../spec/stack-config";
import { caseObjects, CORPUS_STACK_TEXT, dumpOf } from "../gke-corpus/corpus";

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function project(): string {
  const root = mkdtempSync(join(tmpdir(), "fleetgate-import-"));
  roots.push(root);
  mkdirSync(join(root, "stacks"));
  writeFileSync(join(root, "stacks/Pulumi.corpus.yaml"), CORPUS_STACK_TEXT);
  return root;
}

function runImport(root: string, args: string[]) {
  return spawnSync(
    process.execPath,
    [join(PROJECT_ROOT, "node_modules/tsx/dist/cli.mjs"), join(PROJECT_ROOT, "scripts/import.ts"), "--stack", "corpus", "--root", root, ...args],
    { encoding: "utf8" },
  );
}

/** The YAML the import prints for the admin to add under `config:` (indented by four spaces). */
function printedFragment(stdout: string): string {
  const lines = stdout.split("\n");
  const start = lines.findIndex((l) => l.startsWith("Add to stacks/Pulumi.corpus.yaml, under config:"));
  if (start === -1) return "";
  const body: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("    ")) break;
    body.push(line.slice(4));
  }
  return `${body.join("\n")}\n`;
}

/**
 * The adoptAddresses entries the import prints to complete by a look-up, completed as the admin does:
 * each `gcloud` command above an entry is answered from `gcloud` (IP to the reserved address's name),
 * and what it prints replaces the entry's placeholder.
 */
function completedLookups(stdout: string, gcloud: Readonly<Record<string, string>>): string {
  const lines = stdout.split("\n");
  const start = lines.findIndex((l) => l.startsWith("The dump names these addresses by one half only"));
  if (start === -1) return "";
  const body: string[] = [];
  let answer = "";
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("    ")) break;
    const ip = /gcloud compute addresses list .*--filter="address=([^"]+)" --format="value\(name\)"/.exec(line)?.[1];
    if (ip !== undefined) answer = gcloud[ip] ?? "";
    body.push(line.slice(4).replace(/<name of [^>]+>/, answer));
  }
  return `${body.join("\n")}\n`;
}

/** Imports the cases' dump into a fresh project, applies the printed settings, and plans the folder. */
function migrateCases(cases: readonly string[], vips: Record<string, string>, gcloud: Record<string, string> = {}) {
  const root = project();
  writeFileSync(join(root, "dump.yaml"), dumpOf(cases.flatMap(caseObjects), vips));
  const run = runImport(
    root,
    ["dump.yaml"].map((f) => join(root, f)),
  );
  writeFileSync(
    join(root, "stacks/Pulumi.corpus.yaml"),
    applyFragment(applyFragment(CORPUS_STACK_TEXT, printedFragment(run.stdout)), completedLookups(run.stdout, gcloud)),
  );
  const result = planEnvironment({
    environment: "corpus",
    stack: stackConfigFromSource(readStackFile(root, "corpus")!),
    files: readEnvironmentFiles(root, "corpus"),
  });
  return { root, run, result };
}

describe("npm run import, end to end", () => {
  it("keeps every address GKE served on: adopts the ephemeral ones it reserves and annotates, and the one named by IP once gcloud gives its name", () => {
    const vips = { "zoneprinter/zone-ingress": "34.98.102.37", "basic/foobar-ingress": "34.98.102.38", "https/foobar-ingress": "192.0.2.10" };
    const { root, run, result } = migrateCases(["zoneprinter", "basic", "https-e2e"], vips, { "192.0.2.10": "https-ip" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const frontDoor = result.plan!.frontDoor;
    expect(frontDoor.provider === "gcp" ? frontDoor.adoptedAddresses.map((a) => [a.name, a.address, a.hosts]) : []).toEqual([
      ["basic-foobar-ingress", "34.98.102.38", ["bar.basic.example.com", "foo.basic.example.com"]],
      ["https-ip", "192.0.2.10", ["bar1.https.example.com", "foo1.https.example.com"]],
      ["zoneprinter-zone-ingress", "34.98.102.37", []],
    ]);
    expect(printedFragment(run.stdout)).toContain(
      "fleetgate:gcp:\n  adoptAddresses:\n    - name: basic-foobar-ingress\n      address: 34.98.102.38\n    - name: zoneprinter-zone-ingress\n      address: 34.98.102.37\n",
    );
    expect(run.stdout).toContain('# gcloud compute addresses list --global --project corpus-fleet --filter="address=192.0.2.10" --format="value(name)"');
    expect(run.stdout).toContain("once the looked-up names and addresses are in");
    const annotation = (path: string) =>
      (parse(readFileSync(join(root, path), "utf8")) as { metadata: { annotations?: Record<string, string> } }).metadata.annotations?.[
        "networking.gke.io/static-ip"
      ];
    expect([
      annotation("stacks/corpus/basic/multiclusteringress-foobar-ingress.yaml"),
      annotation("stacks/corpus/zoneprinter/multiclusteringress-zone-ingress.yaml"),
      annotation("stacks/corpus/https/multiclusteringress-foobar-ingress.yaml"),
    ]).toEqual(["basic-foobar-ingress", "zoneprinter-zone-ingress", "192.0.2.10"]);
    const section = run.stdout.slice(run.stdout.indexOf("Addresses to keep:"));
    for (const command of [
      "gcloud compute addresses create basic-foobar-ingress --addresses=34.98.102.38 --global --project corpus-fleet",
      "kubectl delete multiclusteringress foobar-ingress -n https",
      "[gcp.forwarding-rule-ports]",
    ])
      expect(section).toContain(command);
  });

  it("imports the corpus that plans today into a folder that plans once the printed settings are in, and reports each behaviour change", () => {
    const { root, run, result } = migrateCases(["basic", "host-path"], { "basic/foobar-ingress": "34.98.102.37", "paths/foo-ingress": "34.98.102.38" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.plan?.hosts.map((h) => h.name)).toEqual([
      "bar.basic.example.com",
      "foo.basic.example.com",
      "search.paths.example.com",
      "store.paths.example.com",
    ]);
    expect(printedFragment(run.stdout)).toMatch(/^fleetgate:hostOwnership:\n  - namespace: basic\n/);
    for (const heading of ["One load balancer for the environment:", "Requests for unknown hosts and by IP address:", "Addresses to keep:"])
      expect(run.stdout).toContain(heading);
    expect(run.stdout).toContain("basic/foobar-ingress on 34.98.102.37, paths/foo-ingress on 34.98.102.38");
    expect(run.stdout).toContain("stacks/corpus/ plans with these settings");
    expect(run.stdout).toContain(
      "New team folders; give each its team in .github/CODEOWNERS:\n  /stacks/corpus/basic/  @<team>\n  /stacks/corpus/paths/  @<team>",
    );
    // The written files carry nothing the server added.
    const ingress = JSON.stringify(parse(readFileSync(join(root, "stacks/corpus/basic/multiclusteringress-foobar-ingress.yaml"), "utf8")));
    expect(ingress).toContain("foo.basic.example.com");
    expect(ingress).not.toMatch(/uid|resourceVersion|managedFields|last-applied|VIP|CloudResources/);

    // A second run refuses to overwrite; with --force it says which files it replaced.
    const again = runImport(root, [join(root, "dump.yaml")]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(
      /stacks\/corpus\/basic\/multiclusteringress-foobar-ingress\.yaml: exists; the import never overwrites a file unless it is run with --force/,
    );
    const forced = runImport(root, ["--force", join(root, "dump.yaml")]);
    expect(forced.stdout).toContain("  replaced stacks/corpus/basic/multiclusteringress-foobar-ingress.yaml");
  });

  // Every case that plans under GKE and fits one environment: the corpus's other two default-only
  // ingresses (bank-of-anthos, cluster-upgrade) would need the catch-all zoneprinter has, and the ASM
  // recipe's refusal is the documented answer (test/gke-corpus).
  const FITTING = ["zoneprinter", "basic", "host-path", "https-e2e", "frontend-config", "blue-green"];
  it("imports every corpus case that fits one environment into a folder that plans once the printed settings are in, and the report names every change", () => {
    const { run, result } = migrateCases(
      FITTING,
      { "zoneprinter/zone-ingress": "34.98.102.37", "https/foobar-ingress": "192.0.2.10", "frontend/foobar-ingress": "192.0.2.20" },
      { "192.0.2.10": "https-ip", "192.0.2.20": "frontend-ip" },
    );
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(run.status).toBe(0);
    expect(printedFragment(run.stdout)).toContain("fleetgate:catchAll:\n  namespace: zoneprinter\n");
    for (const heading of [
      "One load balancer for the environment:",
      "Managed certificates instead of pre-shared ones:",
      "Requests for unknown hosts and by IP address:",
      "The catch-all:",
      "Addresses to keep:",
      "Warnings on the imported documents:",
    ])
      expect(run.stdout).toContain(heading);
    for (const warning of result.diagnostics.filter((d) => d.severity === "warning")) expect(run.stdout).toContain(warning.message);
  });
});
