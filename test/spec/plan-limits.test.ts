/**
 * What a whole environment adds up to at the GCP front door (spec/plan-limits.ts), and what it shares
 * with the repository's other stacks (spec/neighbours.ts): refused where the plan is made, at the place
 * one can act on it, citing the contract.
 */
import { describe, expect, it } from "vitest";
import { planLimits } from "../../spec/plan-limits";
import { authorizationDomains, sharedAuthorizations } from "../../spec/neighbours";
import type { FleetPlan, HostPlan } from "../../spec/plan";
import { examplePlan } from "../examples";

const places = {
  host: (host: string) => ({ file: `team.yaml`, line: 1, column: 1, path: `host ${host}` }),
  frontDoor: () => ({ file: "stacks/Pulumi.dev.yaml", line: 1, column: 1, path: "fleetgate:gcp" }),
};
const dev = examplePlan("dev");

/** dev with one host given `count` more routes, each with `headers` header conditions. */
function withRoutes(count: number, headers = 0): FleetPlan {
  const host = dev.hosts.find((h) => h.name === "shop.dev.example.com")!;
  const base = host.routes.find((r) => r.action.kind === "forward")!;
  const routes = Array.from({ length: count }, (_, i) => ({
    ...base,
    key: `extra-${i}`,
    priority: host.routes.length + i + 1,
    match: {
      path: { type: "Exact" as const, value: `/extra/${i}` },
      headers: Array.from({ length: headers }, (_, h) => ({ name: `x-h${h}`, type: "Present" as const })),
      queryParams: [],
    },
  }));
  return { ...dev, hosts: dev.hosts.map((h) => (h === host ? { ...h, routes: [...h.routes, ...routes] } : h)) };
}

describe("the GCP front door's limits over a whole environment", () => {
  it("accepts the examples", () => {
    for (const env of ["dev", "prod"]) expect(planLimits(examplePlan(env), places)).toEqual([]);
  });

  it("refuses a host with more route rules or conditions than a path matcher holds, at the host", () => {
    const rules = planLimits(withRoutes(1000), places);
    expect(rules).toEqual([
      expect.objectContaining({
        path: "host shop.dev.example.com",
        severity: "error",
        message: expect.stringMatching(/host shop\.dev\.example\.com would have 10\d\d route rules and 10\d\d conditions .* \[gcp\.url-map-limits\]/),
      }),
    ]);
    const conditions = planLimits(withRoutes(300, 3), places);
    expect(conditions.map((d) => d.message)).toEqual([expect.stringMatching(/would have 1\d\d\d conditions \(a path, each header, each query parameter\)/)]);
    expect(planLimits(withRoutes(900), places)).toEqual([]);
  });

  it("refuses an environment whose URL map would outgrow GCP's size, at the front door", () => {
    // Eight hosts of 900 routes each (within the rules per path matcher), every one with the shop host's certificate.
    const template = withRoutes(900).hosts.find((h) => h.name === "shop.dev.example.com")!;
    const hosts: HostPlan[] = Array.from({ length: 8 }, (_, i) => ({ ...template, name: `h${i}.shop.dev.example.com` }));
    const big = { ...dev, hosts };
    const diagnostics = planLimits(big, places);
    expect(diagnostics.map((d) => [d.path, d.message])).toEqual([
      ["fleetgate:gcp", expect.stringMatching(/^the environment.s URL map, which holds every host and route, would be \d+ bytes/)],
    ]);
    expect(diagnostics[0]!.message).toContain("[gcp.url-map-size]");
  });
});

describe("certificate map entries over a whole environment", () => {
  it("refuses more certificate map entries than a project holds, at the front door", () => {
    const template = dev.hosts.find((h) => h.name === "shop.dev.example.com")!;
    const hosts: HostPlan[] = Array.from({ length: 5000 }, (_, i) => ({ ...template, name: `h${String(i).padStart(4, "0")}.shop.dev.example.com` }));
    const diagnostics = planLimits({ ...dev, hosts }, places);
    expect(diagnostics.map((d) => d.message)).toContainEqual(
      expect.stringMatching(/certificate map would hold 5001 entries, and a project holds at most 5000 \[gcp\.certificate-limits\]/),
    );
  });
});

describe("DNS authorizations shared between the repository's stacks", () => {
  it("refuses a domain another stack of the same project authorizes, at the host served with it", () => {
    const others = [
      { environment: "staging", project: dev.frontDoor.provider === "gcp" ? dev.frontDoor.project : "", authorizations: ["shop.dev.example.com"] },
      { environment: "elsewhere", project: "another-project", authorizations: authorizationDomains(dev) },
    ];
    const diagnostics = sharedAuthorizations(dev, others, places);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        path: "host shop.dev.example.com",
        severity: "error",
        message: expect.stringContaining(
          "as stack staging also does; Certificate Manager gives a domain one DNS record per project [gcp.per-project-dns-authorization]",
        ),
      }),
    ]);
  });
});
