import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../offline/run-offline";
import { planEnvironment, stackConfigFromFile, type FleetPlan } from "../../spec";
import { readEnvironmentFiles, stackFilePath } from "../../spec/read-files";
import { DIAGRAMS_FILE, diagramsDocument } from "../../review/diagrams-doc";
import { stackEnvironments } from "../../spec/read-files";
import { fleetDiagram, label } from "../../review/mermaid";

function examplePlan(environment: string): FleetPlan {
  const text = readFileSync(join(PROJECT_ROOT, stackFilePath(environment)), "utf8");
  const result = planEnvironment({
    environment,
    stack: stackConfigFromFile(stackFilePath(environment), text),
    files: readEnvironmentFiles(PROJECT_ROOT, environment),
  });
  if (!result.plan) throw new Error(`the ${environment} example does not resolve`);
  return result.plan;
}
const environments = stackEnvironments(PROJECT_ROOT);

/**
 * A cheap check of the flowchart subset fleetDiagram writes: every statement is a node with a quoted
 * label, an edge (plain or dashed, with an optional quoted label) between declared nodes, or a class
 * line; ids are plain words; labels hold no character Mermaid would read as syntax. The real Mermaid
 * parser is a browser library and is not run here; the subset is small enough to check exactly.
 */
function problemsOf(diagram: string): string[] {
  const [header, ...body] = diagram.trimEnd().split("\n");
  const problems: string[] = header === "flowchart LR" ? [] : [`first line is ${JSON.stringify(header)}`];
  const declared = new Set<string>();
  const used: string[] = [];
  const text = String.raw`"((?:[^"#<>|\x60]|#\d+;|<br/>)*)"`;
  const node = new RegExp(String.raw`^  (\w+)(?:\(\[${text}\]\)|\[${text}\]|\[\[${text}\]\]|\{\{${text}\}\})$`);
  const edge = new RegExp(String.raw`^  (\w+) (?:-->|-\.->)(?:\|${text}\|)? (\w+)$`);
  for (const line of body) {
    const n = node.exec(line);
    const e = edge.exec(line);
    if (n) {
      if (declared.has(n[1]!)) problems.push(`node ${n[1]} is declared twice`);
      declared.add(n[1]!);
    } else if (e) used.push(e[1]!, e[3]!);
    else if (/^  classDef \w+ [^;]+$/.test(line)) continue;
    else if (/^  class \w+(,\w+)* \w+$/.test(line)) used.push(...line.trim().split(" ")[1]!.split(","));
    else problems.push(`not a statement of the subset: ${JSON.stringify(line)}`);
  }
  for (const id of used) if (!declared.has(id)) problems.push(`${id} is used but never declared`);
  for (const id of declared) if (/^(end|graph|subgraph|flowchart|class|classDef|style|click)$/.test(id)) problems.push(`${id} is a Mermaid keyword`);
  return problems;
}

describe("the Mermaid picture of a FleetPlan", () => {
  for (const environment of environments) {
    it(`is a well-formed flowchart for the ${environment} example`, () => {
      expect(problemsOf(fleetDiagram(examplePlan(environment)))).toEqual([]);
    });
  }

  it("the well-formedness check rejects what Mermaid would reject", () => {
    expect(problemsOf('flowchart LR\n  a["x"]\n  a --> b')).toEqual(["b is used but never declared"]);
    expect(problemsOf('flowchart LR\n  a["say "hi""]')).toHaveLength(1);
    expect(problemsOf('flowchart LR\n  end["x"]')).toEqual(["end is a Mermaid keyword"]);
  });

  it("draws front door -> hosts -> services -> clusters -> gateways with weights, drains and redirects", () => {
    const diagram = fleetDiagram(examplePlan("prod"));
    expect(diagram).toContain('frontdoor(["GCP global load balancer<br/>address fg-prod (IPv4 + IPv6)');
    expect(diagram).toContain("frontdoor --> host_shop_example_com");
    expect(diagram).toContain('host_shop_example_com -->|"/cart<br/>/cart/* 90%"| service_shop_cart');
    expect(diagram).toContain('host_www_example_com -->|"/*"| redirect_www_example_com');
    expect(diagram).toContain('redirect_www_example_com{{"redirect 301<br/>to shop.example.com"}}');
    expect(diagram).toContain('service_shop_storefront -->|"weight 100"| cluster_gke_eu');
    expect(diagram).toContain('service_shop_cart -.->|"drained"| cluster_gke_asia');
    expect(diagram).toContain("cluster_gke_us --> gateway_gke_us");
  });

  it("marks a drained cluster and gives every node a unique id even when names collide after cleaning", () => {
    const plan = examplePlan("dev");
    const drained: FleetPlan = { ...plan, clusters: plan.clusters.map((c) => (c.name === "gke-eu" ? { ...c, drained: true } : c)) };
    expect(fleetDiagram(drained)).toMatch(/class cluster_gke_eu drained/);
    const colliding: FleetPlan = { ...plan, hosts: [...plan.hosts, { ...plan.hosts[0]!, name: plan.hosts[0]!.name.replace(/\./g, "-") }] };
    expect(problemsOf(fleetDiagram(colliding))).toEqual([]);
  });

  it("names a route's method among its conditions", () => {
    const plan = examplePlan("prod");
    const withMethod: FleetPlan = {
      ...plan,
      hosts: plan.hosts.map((h) =>
        h.name === "shop.example.com"
          ? { ...h, routes: h.routes.map((r) => (r.key === "=/cart" ? { ...r, match: { ...r.match, method: "POST" as const } } : r)) }
          : h,
      ),
    };
    expect(fleetDiagram(withMethod)).toContain('host_shop_example_com -->|"/cart if method POST<br/>');
  });

  it("escapes quotes, angle brackets, pipes, hashes and backticks in labels", () => {
    expect(label(['say "hi" <b> | #1 `x` & co'])).toBe("say #34;hi#34; #60;b#62; #124; #35;1 #96;x#96; #38; co");
  });
});

describe(DIAGRAMS_FILE, () => {
  it("is committed and up to date (run `npm run diagram -- --docs` after changing a stack)", () => {
    const committed = readFileSync(join(PROJECT_ROOT, DIAGRAMS_FILE), "utf8");
    expect(committed).toBe(diagramsDocument(environments.map(examplePlan)));
  });

  it("says in its first line that it is generated and by which command", () => {
    expect(readFileSync(join(PROJECT_ROOT, DIAGRAMS_FILE), "utf8").split("\n")[0]).toMatch(/^<!-- Generated by `npm run diagram -- --docs`/);
  });
});
