/**
 * FrontendConfig `redirectToHttps.responseCodeName`: the code port 80 answers with, for the hosts of the
 * ingresses that name the FrontendConfig; 301 elsewhere. GCP: the port-80 URL map's host rules. AWS: the
 * gateways' redirect routes, which Gateway API lets answer with 301 or 302 only.
 */
import { describe, expect, it } from "vitest";
import { httpsRedirectMap } from "../../components/gcp/url-map";
import { redirectRoutes } from "../../components/kubernetes/gateway-plan";
import { formatDiagnostic } from "../../spec/diagnostics";
import type { FleetPlan } from "../../spec/plan";
import { awsFixture } from "../components/aws/aws-fixture";
import { baseFixture, planFixture, type SpecFixture } from "./fixtures";

type Doc = Record<string, any>;
const shopIngress = (f: SpecFixture): Doc => f.files["shop/shop.yaml"]![2] as Doc;

const frontendConfig = (name: string, redirectToHttps: Doc): Doc => ({
  apiVersion: "networking.gke.io/v1beta1",
  kind: "FrontendConfig",
  metadata: { name, namespace: "shop" },
  spec: { redirectToHttps },
});

/** The shop ingress names FrontendConfig `name`, which redirects with `code`. */
const shopRedirects =
  (code: unknown, name = "redirect", extra: Doc = {}) =>
  (f: SpecFixture) => {
    f.files["shop/shop.yaml"]!.push(frontendConfig(name, { enabled: true, responseCodeName: code, ...extra }));
    shopIngress(f).metadata.annotations = { "networking.gke.io/frontend-config": name };
  };

/** A second shop ingress serving shop.example.com/extra/*, naming FrontendConfig `name` with `code`. */
const secondIngress = (code: string, name: string) => (f: SpecFixture) => {
  f.files["shop/extra.yaml"] = [
    frontendConfig(name, { enabled: true, responseCodeName: code }),
    {
      apiVersion: "networking.gke.io/v1",
      kind: "MultiClusterIngress",
      metadata: { name: "extra", namespace: "shop", annotations: { "networking.gke.io/frontend-config": name } },
      spec: {
        template: {
          spec: { rules: [{ host: "shop.example.com", http: { paths: [{ path: "/extra/*", backend: { serviceName: "web", servicePort: 80 } }] } }] },
        },
      },
    },
  ];
};

interface Case {
  description: string;
  fixture?: () => SpecFixture;
  mutate: (f: SpecFixture) => void;
  wantErrors?: { path: string; message: string; file?: string }[];
  /** The hosts' codes in the plan, when it plans (absent: 301). */
  wantStatus?: Record<string, number | undefined>;
  wantWarning?: { path: string; message: string };
}

const both =
  (...mutations: ((f: SpecFixture) => void)[]) =>
  (f: SpecFixture) =>
    mutations.forEach((m) => m(f));

const cases: Case[] = [
  {
    description: "without a FrontendConfig every host redirects with 301",
    mutate: () => {},
    wantStatus: { "shop.example.com": undefined, "search.example.com": undefined },
  },
  {
    description: "FOUND redirects the hosts of the ingresses that name the FrontendConfig with 302, and no others",
    mutate: shopRedirects("FOUND"),
    wantStatus: { "shop.example.com": 302, "search.example.com": undefined, "api.search.example.com": undefined },
  },
  { description: "each GKE code name is honoured behind GCP", mutate: shopRedirects("PERMANENT_REDIRECT"), wantStatus: { "shop.example.com": 308 } },
  { description: "MOVED_PERMANENTLY_DEFAULT is GKE's 301", mutate: shopRedirects("MOVED_PERMANENTLY_DEFAULT"), wantStatus: { "shop.example.com": 301 } },
  {
    description: "a status code written as a number is answered with its name",
    mutate: shopRedirects(302),
    wantErrors: [{ path: "spec.redirectToHttps.responseCodeName", message: '302 is a status code; GKE names the code: write "FOUND"' }],
  },
  {
    description: "a misspelt code name gets a suggestion and the list",
    mutate: shopRedirects("FOUDN"),
    wantErrors: [
      {
        path: "spec.redirectToHttps.responseCodeName",
        message:
          '"FOUDN" is not a redirect code GKE names; did you mean "FOUND"?; use one of MOVED_PERMANENTLY_DEFAULT (301), FOUND (302), SEE_OTHER (303), TEMPORARY_REDIRECT (307), PERMANENT_REDIRECT (308)',
      },
    ],
  },
  {
    description: "two ingresses asking one host for different codes are refused at the host of the later one by key, naming the earlier",
    mutate: both(shopRedirects("FOUND"), secondIngress("TEMPORARY_REDIRECT", "temporary")),
    wantErrors: [
      {
        file: "shop/shop.yaml",
        path: "spec.template.spec.rules[0].host",
        message:
          '"shop.example.com" is redirected from HTTP with FOUND (302) by FrontendConfig shop/redirect, but shop/extra (stacks/test/shop/extra.yaml:22) serves it too and asks for TEMPORARY_REDIRECT (307) by FrontendConfig shop/temporary; one front door answers port 80 for the host with one code, so agree on one',
      },
    ],
  },
  {
    description: "two ingresses asking one host for the same code agree",
    mutate: both(shopRedirects("FOUND"), secondIngress("FOUND", "found")),
    wantStatus: { "shop.example.com": 302 },
  },
  {
    description: "an ingress without a code beside one with a code leaves the code to the host",
    mutate: both(secondIngress("SEE_OTHER", "other")),
    wantStatus: { "shop.example.com": 303 },
  },
  {
    description: "behind AWS, a code Gateway API cannot redirect with is refused at the field, with the nearest it can",
    fixture: awsFixture,
    mutate: shopRedirects("TEMPORARY_REDIRECT"),
    wantErrors: [
      {
        path: "spec.redirectToHttps.responseCodeName",
        message:
          'is TEMPORARY_REDIRECT (307), but behind the AWS front door each cluster\'s gateway answers port 80, and a Gateway API redirect is 301 or 302 [kubernetes.gateway-redirect-codes]; use "FOUND" (302), the one that is as temporary',
      },
    ],
  },
  {
    description: "behind AWS, PERMANENT_REDIRECT is refused with MOVED_PERMANENTLY_DEFAULT",
    fixture: awsFixture,
    mutate: shopRedirects("PERMANENT_REDIRECT"),
    wantErrors: [{ path: "spec.redirectToHttps.responseCodeName", message: 'use "MOVED_PERMANENTLY_DEFAULT" (301), the one that is as permanent' }],
  },
  { description: "behind AWS, FOUND is honoured", fixture: awsFixture, mutate: shopRedirects("FOUND"), wantStatus: { "shop.example.com": 302 } },
  {
    description: "enabled: false is still a warning, and the code is honoured",
    mutate: shopRedirects("FOUND", "redirect", { enabled: false }),
    wantStatus: { "shop.example.com": 302 },
    wantWarning: { path: "spec.redirectToHttps.enabled", message: "the front door always redirects HTTP to HTTPS" },
  },
];

describe("FrontendConfig redirectToHttps.responseCodeName", () => {
  for (const c of cases) {
    it(c.description, () => {
      const fixture = (c.fixture ?? baseFixture)();
      c.mutate(fixture);
      const result = planFixture(fixture);
      const errors = result.diagnostics.filter((d) => d.severity === "error");
      for (const want of c.wantErrors ?? []) {
        const match = errors.find(
          (e) => e.path.includes(want.path) && e.message.includes(want.message) && (want.file === undefined || e.file.includes(want.file)),
        );
        expect(match, `no error at ~"${want.path}" saying ~"${want.message}" in:\n${errors.map(formatDiagnostic).join("\n")}`).toBeDefined();
        expect(match!.line).toBeGreaterThan(0);
      }
      if (c.wantWarning)
        expect(result.diagnostics.some((d) => d.severity === "warning" && d.path === c.wantWarning!.path && d.message.includes(c.wantWarning!.message))).toBe(
          true,
        );
      if ((c.wantErrors ?? []).length > 0) return expect(result.plan).toBeUndefined();
      expect(errors.map(formatDiagnostic)).toEqual([]);
      for (const [host, status] of Object.entries(c.wantStatus ?? {}))
        expect(result.plan!.hosts.find((h) => h.name === host)?.httpsRedirectStatus, host).toBe(status);
    });
  }
});

describe("the port-80 redirect", () => {
  const planOf = (fixture: SpecFixture, ...mutations: ((f: SpecFixture) => void)[]): FleetPlan => {
    mutations.forEach((m) => m(fixture));
    const result = planFixture(fixture);
    expect(result.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
    return result.plan!;
  };

  it("on GCP gives the hosts of each code other than 301 a host rule whose path matcher redirects with it", () => {
    const plan = planOf(baseFixture(), shopRedirects("FOUND"));
    const https = { httpsRedirect: true, stripQuery: false };
    expect(httpsRedirectMap(plan.hosts)).toEqual({
      defaultUrlRedirect: { ...https, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT" },
      hostRules: [{ hosts: ["shop.example.com"], pathMatcher: "https-302" }],
      pathMatchers: [{ name: "https-302", description: "HTTP to HTTPS with 302 (FOUND)", defaultUrlRedirect: { ...https, redirectResponseCode: "FOUND" } }],
    });
  });

  it("on GCP groups hosts by code, sorted, and keeps the plain map when every host redirects with 301", () => {
    const hosts = [
      { name: "b.example.com", httpsRedirectStatus: 307 as const },
      { name: "a.example.com", httpsRedirectStatus: 302 as const },
      { name: "c.example.com" },
      { name: "*.d.example.com", httpsRedirectStatus: 302 as const },
      { name: "e.example.com", httpsRedirectStatus: 301 as const },
    ];
    const map = httpsRedirectMap(hosts);
    expect(map.hostRules).toEqual([
      { hosts: ["*.d.example.com", "a.example.com"], pathMatcher: "https-302" },
      { hosts: ["b.example.com"], pathMatcher: "https-307" },
    ]);
    expect(map.pathMatchers!.map((m) => m.defaultUrlRedirect.redirectResponseCode)).toEqual(["FOUND", "TEMPORARY_REDIRECT"]);
    expect(httpsRedirectMap([{ name: "c.example.com" }, { name: "e.example.com", httpsRedirectStatus: 301 }])).toEqual({
      defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT", stripQuery: false },
    });
  });

  it("behind AWS makes each EKS gateway's redirect route answer with its host's code, as a valid HTTPRoute", () => {
    const plan = planOf(awsFixture(), shopRedirects("FOUND"));
    const cluster = plan.clusters.find((c) => c.gateway?.redirectPort !== undefined && c.gateway.hosts.includes("shop.example.com"))!;
    const routes = redirectRoutes(cluster.gateway!, plan.hosts);
    const codes = Object.fromEntries(
      routes.map((r) => {
        r.model.validate();
        return [r.host, r.model.spec.rules![0]!.filters![0]!.requestRedirect!.statusCode];
      }),
    );
    expect(codes["shop.example.com"]).toBe(302);
    for (const host of cluster.gateway!.hosts.filter((h) => h !== "shop.example.com")) expect(codes[host], host).toBe(301);
  });
});
