/**
 * The admin's GKE multi-cluster Gateway (spec/fleet-gateway.ts) and how HTTPRoutes attach to its
 * listeners (spec/http-routes.ts): sectionName, allowedRoutes, hostname intersection with wildcards,
 * the host grants as the second gate, and the listeners' TLS options and the Gateway's addresses read as
 * the front door's settings.
 */
import { describe, expect, it } from "vitest";
import { formatDiagnostic, type Diagnostic } from "../../spec/diagnostics";
import { loadDocuments } from "../../spec/documents";
import { httpRouteContext, intersectHostnames } from "../../spec/http-routes";
import type { FleetPlan, HostPlan } from "../../spec/plan";
import { awsFixture } from "../components/aws/aws-fixture";
import { baseFixture, planFixture, sourceFiles, type SpecFixture, withShopRoute } from "./fixtures";

type Doc = Record<string, any>;

const GATEWAY_FILE = "fleetgate-gateway/gateway.yaml";
const CLASS = "gke-l7-global-external-managed-mc";

function listener(name: string, hostname: string | undefined, extra: Doc = {}): Doc {
  return { name, ...(hostname !== undefined ? { hostname } : {}), port: 443, protocol: "HTTPS", allowedRoutes: { namespaces: { from: "All" } }, ...extra };
}

function adminGateway(listeners: Doc[] = [listener("shop", "*.shop.example.com"), listener("search", "search.example.com")]): Doc {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name: "external", namespace: "fleetgate-gateway" },
    spec: { gatewayClassName: CLASS, listeners },
  };
}

/** The base spec, the admin's Gateway, and an HTTPRoute of the shop team attached to it. */
function gatewayFixture(base: () => SpecFixture = baseFixture): SpecFixture {
  const f = base();
  f.files[GATEWAY_FILE] = [adminGateway()];
  return withShopRoute(
    f,
    [{ name: "external", namespace: "fleetgate-gateway" }],
    [{ matches: [{ path: { type: "PathPrefix", value: "/v2" } }], backendRefs: [{ name: "web", port: 80 }] }],
  );
}
const gateway = (f: SpecFixture): Doc => f.files[GATEWAY_FILE]![0]!;
const gatewayListener = (f: SpecFixture, i: number): Doc => gateway(f).spec.listeners[i];
const route = (f: SpecFixture): Doc => f.files["shop/routes.yaml"]![0]!;

interface Case {
  description: string;
  base?: () => SpecFixture;
  mutate: (f: SpecFixture) => void;
  /** Substrings of the field path and the message of each diagnostic wanted (at a file position), with its file. */
  want: { file?: string; path: string; message: string; severity?: "error" | "warning" }[];
}

const ADOPTED = { name: "shop-legacy", address: "203.0.113.7" };
const adopt = (f: SpecFixture) => void ((f.config.gcp as Doc).adoptAddresses = [ADOPTED]);

const cases: Case[] = [
  { description: "the base spec with the admin's Gateway and a route attached to it is valid", mutate: () => {}, want: [] },
  // Attachment.
  {
    description: "a parentRef whose sectionName names a listener attaches to it",
    mutate: (f) => void (route(f).spec.parentRefs[0].sectionName = "shop"),
    want: [],
  },
  {
    description: "an unknown sectionName is refused with the listener it may mean",
    mutate: (f) => void (route(f).spec.parentRefs[0].sectionName = "shoop"),
    want: [{ path: "spec.parentRefs[0].sectionName", message: 'did you mean "shop"' }],
  },
  {
    description: "a parentRef to the implicit gateway's name names the admin's Gateway instead",
    mutate: (f) => void (route(f).spec.parentRefs[0].name = "fleetgate"),
    want: [{ path: "spec.parentRefs[0].name", message: "fleetgate-gateway/external" }],
  },
  {
    description: "a parentRef port no listener has is refused",
    mutate: (f) => void (route(f).spec.parentRefs[0].port = 8443),
    want: [{ path: "spec.parentRefs[0].port", message: "write port: 443" }],
  },
  {
    description: "a listener that admits its own namespace only (allowedRoutes absent: Same) refuses a team's route",
    mutate: (f) => {
      delete gatewayListener(f, 0).allowedRoutes;
      route(f).spec.parentRefs[0].sectionName = "shop";
    },
    want: [
      { path: "spec.parentRefs[0]", message: "admits routes of its own namespace fleetgate-gateway only (allowedRoutes.namespaces.from is Same by default)" },
    ],
  },
  {
    description: "allowedRoutes from Same admits the gateway namespace's own routes",
    mutate: (f) => {
      gatewayListener(f, 0).allowedRoutes = { namespaces: { from: "Same" } };
      (f.config.hostOwnership as Doc[]).push({ namespace: "fleetgate-gateway", domains: ["www.shop.example.com"] });
      f.files["fleetgate-gateway/routes.yaml"] = [
        {
          ...structuredClone(route(f)),
          metadata: { name: "www", namespace: "fleetgate-gateway" },
          spec: {
            ...structuredClone(route(f).spec),
            hostnames: ["www.shop.example.com"],
            rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { hostname: "shop.example.com" } }] }],
          },
        },
      ];
      delete f.files["shop/routes.yaml"];
    },
    want: [],
  },
  {
    description: "an empty allowedRoutes.kinds is an absent one: the HTTPS listener takes the route",
    mutate: (f) => void (gatewayListener(f, 0).allowedRoutes.kinds = []),
    want: [],
  },
  {
    description: "allowedRoutes.kinds without HTTPRoute admits no route, and is refused at the Gateway",
    mutate: (f) => void (gatewayListener(f, 0).allowedRoutes.kinds = [{ kind: "GRPCRoute" }]),
    want: [
      { file: GATEWAY_FILE, path: "spec.listeners[0].allowedRoutes.kinds[0].kind", message: "HTTPRoutes" },
      { path: "spec.hostnames[0]", message: "lies within the hostname of no listener" },
    ],
  },
  {
    description: "allowedRoutes from Selector is refused: Fleetgate knows no namespace labels",
    mutate: (f) => void (gatewayListener(f, 0).allowedRoutes.namespaces = { from: "Selector", selector: { matchLabels: { team: "shop" } } }),
    want: [{ file: GATEWAY_FILE, path: "spec.listeners[0].allowedRoutes.namespaces.from", message: "knows no namespace labels" }],
  },
  // Hostname intersection.
  {
    description: "a route hostname below a listener's wildcard is served as written",
    mutate: (f) => void (route(f).spec.hostnames = ["a.b.shop.example.com"]),
    want: [],
  },
  {
    description: "a hostname outside every listener's is refused, naming the listeners' hostnames",
    mutate: (f) => void (route(f).spec.hostnames = ["shop.example.com"]),
    want: [{ path: "spec.hostnames[0]", message: '"shop" (*.shop.example.com), "search" (search.example.com)' }],
  },
  {
    description: "a hostname outside the listener its sectionName names is refused",
    mutate: (f) => void (route(f).spec.parentRefs[0].sectionName = "search"),
    want: [{ path: "spec.hostnames[0]", message: '[kubernetes.gateway-hostname-intersection]: "search" (search.example.com)' }],
  },
  {
    description: "a route without hostnames on a listener without hostname is refused: a route names its hosts",
    mutate: (f) => void ((gateway(f).spec.listeners = [listener("all", undefined)]), delete route(f).spec.hostnames),
    want: [{ path: "spec", message: "MUST name the hosts it serves" }],
  },
  {
    description: "a host the intersection gives is still a claim under the admin's grants",
    mutate: (f) => void ((gateway(f).spec.listeners = [listener("all", "*.example.com")]), (route(f).spec.hostnames = ["www.search.example.com"])),
    want: [{ path: "spec.hostnames[0]", message: 'namespace shop may not claim "www.search.example.com"' }],
  },
  {
    description: "a route on a listener's host taken without hostnames is a claim at its parentRef",
    mutate: (f) => void ((route(f).spec.parentRefs[0].sectionName = "search"), delete route(f).spec.hostnames),
    want: [{ path: "spec.parentRefs[0]", message: 'namespace shop may not claim "search.example.com"' }],
  },
  // The Gateway itself.
  {
    description: "a Gateway of another class is refused, naming the class Fleetgate reads",
    mutate: (f) => void (gateway(f).spec.gatewayClassName = "gke-l7-gxlb-mc"),
    want: [{ file: GATEWAY_FILE, path: "spec.gatewayClassName", message: `write gatewayClassName: ${CLASS}` }],
  },
  {
    description: "behind AWS a Gateway of another class is refused, saying what applies there",
    base: awsFixture,
    mutate: (f) => void (gateway(f).spec.gatewayClassName = "istio"),
    want: [{ file: GATEWAY_FILE, path: "spec.gatewayClassName", message: "only the listeners (hosts, allowedRoutes) apply" }],
  },
  {
    description: "a second Gateway in the environment is refused at its name",
    mutate: (f) => void f.files[GATEWAY_FILE]!.push({ ...adminGateway(), metadata: { name: "internal", namespace: "fleetgate-gateway" } }),
    want: [{ file: GATEWAY_FILE, path: "metadata.name", message: "an environment has one front door" }],
  },
  {
    description: "a Gateway in a team's folder is refused: the gateway namespace's folder is the platform team's",
    mutate: (f) => void (f.files["shop/gateway.yaml"] = [{ ...adminGateway(), metadata: { name: "mine", namespace: "shop" } }]),
    want: [{ file: "shop/gateway.yaml", path: "metadata.namespace", message: "stacks/test/fleetgate-gateway/" }],
  },
  // Listeners.
  {
    description: "two listeners of one name are refused",
    mutate: (f) => void (gatewayListener(f, 1).name = "shop"),
    want: [{ file: GATEWAY_FILE, path: "spec.listeners[1].name", message: "already the name of listeners[0]" }],
  },
  {
    description: "two listeners of one port and hostname are refused",
    mutate: (f) => void (gatewayListener(f, 1).hostname = "*.shop.example.com"),
    want: [{ file: GATEWAY_FILE, path: "spec.listeners[1].hostname", message: "[kubernetes.gateway-listeners-distinct]" }],
  },
  {
    description: "a TCP listener is refused",
    mutate: (f) => void (gatewayListener(f, 1).protocol = "TCP"),
    want: [{ file: GATEWAY_FILE, path: "spec.listeners[1].protocol", message: "[gke.mc-gateway-listeners]" }],
  },
  {
    description: "an HTTPS listener on another port than 443 is refused",
    mutate: (f) => void (gatewayListener(f, 1).port = 8443),
    want: [
      {
        file: GATEWAY_FILE,
        path: "spec.listeners[1].port",
        message: "the front door's forwarding rules serve HTTPS on port 443 and HTTP on port 80 only; write port: 443",
      },
    ],
  },
  {
    description: "an HTTP listener on 80 is accepted with a warning: port 80 redirects to HTTPS",
    mutate: (f) => void gateway(f).spec.listeners.push({ name: "http", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "All" } } }),
    want: [{ file: GATEWAY_FILE, path: "spec.listeners[2].protocol", message: "never over plain HTTP", severity: "warning" }],
  },
  {
    description: "a route attached only to an HTTP listener is refused: it would serve nothing",
    mutate: (f) => {
      gateway(f).spec.listeners.push({ name: "http", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "All" } } });
      route(f).spec.parentRefs[0].sectionName = "http";
    },
    want: [{ path: "spec.parentRefs[0].sectionName", message: "sectionName: shop, sectionName: search" }],
  },
  {
    description: "a route that only upgrades HTTP listeners' requests to HTTPS draws a warning: port 80 does that already",
    mutate: (f) => {
      gateway(f).spec.listeners.push({ name: "http", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "All" } } });
      route(f).spec.parentRefs[0].sectionName = "http";
      route(f).spec.rules = [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }];
    },
    want: [
      { file: GATEWAY_FILE, path: "spec.listeners[2].protocol", message: "never over plain HTTP", severity: "warning" },
      { path: "spec.parentRefs", message: "port 80 already does that for every host", severity: "warning" },
    ],
  },
  // TLS.
  {
    description: "certificateRefs to Secrets are refused with the reason and what to write",
    mutate: (f) => void (gatewayListener(f, 0).tls = { certificateRefs: [{ name: "shop-tls" }] }),
    want: [{ file: GATEWAY_FILE, path: "spec.listeners[0].tls.certificateRefs", message: "[gke.mc-gateway-certificates]" }],
  },
  {
    description: "Passthrough TLS is refused",
    mutate: (f) => void (gatewayListener(f, 0).tls = { mode: "Passthrough" }),
    want: [{ file: GATEWAY_FILE, path: "spec.listeners[0].tls.mode", message: "write mode: Terminate" }],
  },
  {
    description: "the pre-shared-certs option draws a warning: the certificate map cannot serve Compute Engine certificates",
    mutate: (f) => void (gatewayListener(f, 0).tls = { options: { "networking.gke.io/pre-shared-certs": "shop" } }),
    want: [
      {
        file: GATEWAY_FILE,
        path: 'spec.listeners[0].tls.options["networking.gke.io/pre-shared-certs"]',
        message: "import it into Certificate Manager",
        severity: "warning",
      },
    ],
  },
  {
    description: "an option Fleetgate does not read draws a warning",
    mutate: (f) => void (gatewayListener(f, 0).tls = { options: { "example.com/x": "y" } }),
    want: [{ file: GATEWAY_FILE, path: 'spec.listeners[0].tls.options["example.com/x"]', message: "does not read", severity: "warning" }],
  },
  {
    description: "behind AWS the cert-manager-certs option is refused",
    base: awsFixture,
    mutate: (f) => void (gatewayListener(f, 0).tls = { options: { "networking.gke.io/cert-manager-certs": "shop-cert" } }),
    want: [{ file: GATEWAY_FILE, path: 'spec.listeners[0].tls.options["networking.gke.io/cert-manager-certs"]', message: "front door is AWS" }],
  },
  // Addresses.
  {
    description: "a NamedAddress naming the environment's own address is valid",
    mutate: (f) => void (gateway(f).spec.addresses = [{ type: "NamedAddress", value: "fg-test" }]),
    want: [],
  },
  {
    description: "a NamedAddress naming an adopted address is valid",
    mutate: (f) => void (adopt(f), (gateway(f).spec.addresses = [{ type: "NamedAddress", value: ADOPTED.name }])),
    want: [],
  },
  {
    description: "an IPAddress holding an adopted address's IP is valid",
    mutate: (f) => void (adopt(f), (gateway(f).spec.addresses = [{ value: ADOPTED.address }])),
    want: [],
  },
  {
    description: "a NamedAddress the environment neither owns nor adopted is refused with the names it may mean",
    mutate: (f) => void (adopt(f), (gateway(f).spec.addresses = [{ type: "NamedAddress", value: "shop-legacyy" }])),
    want: [{ file: GATEWAY_FILE, path: "spec.addresses[0].value", message: 'did you mean "shop-legacy"' }],
  },
  {
    description: "an IPAddress no adopted address holds is refused, naming how to adopt it",
    mutate: (f) => void (gateway(f).spec.addresses = [{ type: "IPAddress", value: "198.51.100.9" }]),
    want: [{ file: GATEWAY_FILE, path: "spec.addresses[0].value", message: "address: 198.51.100.9" }],
  },
  {
    description: "a second address is refused",
    mutate: (f) =>
      void (gateway(f).spec.addresses = [
        { type: "NamedAddress", value: "fg-test" },
        { type: "NamedAddress", value: "fg-test-v6" },
      ]),
    want: [{ file: GATEWAY_FILE, path: "spec.addresses[1]", message: "[gke.mc-gateway-addresses]" }],
  },
  {
    description: "a Hostname address is refused",
    mutate: (f) => void (gateway(f).spec.addresses = [{ type: "Hostname", value: "lb.example.com" }]),
    want: [
      {
        file: GATEWAY_FILE,
        path: "spec.addresses[0].type",
        message: "the front door serves on a reserved global address, which a Gateway names with a NamedAddress or an IPAddress",
      },
    ],
  },
  {
    description: "behind AWS addresses are refused: the accelerator allocates its own",
    base: awsFixture,
    mutate: (f) => void (gateway(f).spec.addresses = [{ type: "NamedAddress", value: "fg-test" }]),
    want: [{ file: GATEWAY_FILE, path: "spec.addresses", message: "[aws.accelerator-addresses]" }],
  },
];

function located(d: Diagnostic, want: Case["want"][number]): boolean {
  return (
    d.path.includes(want.path) &&
    d.message.includes(want.message) &&
    (want.file === undefined ? d.file.endsWith("shop/routes.yaml") : d.file.endsWith(want.file))
  );
}

describe("the admin's Gateway and the routes attached to it", () => {
  for (const c of cases)
    it(c.description, () => {
      const f = gatewayFixture(c.base);
      c.mutate(f);
      const result = planFixture(f);
      for (const want of c.want) {
        const severity = want.severity ?? "error";
        const match = result.diagnostics.find((d) => d.severity === severity && located(d, want));
        expect(
          match,
          `no ${severity} with path ~ "${want.path}" and message ~ "${want.message}" in:\n${result.diagnostics.map(formatDiagnostic).join("\n")}`,
        ).toBeDefined();
        expect(match!.line).toBeGreaterThan(0);
      }
      const errors = result.diagnostics.filter((d) => d.severity === "error");
      if (!c.want.some((w) => (w.severity ?? "error") === "error")) expect(errors.map(formatDiagnostic)).toEqual([]);
      else expect(result.plan).toBeUndefined();
    });
});

function planOf(f: SpecFixture): FleetPlan {
  const result = planFixture(f);
  expect(result.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
  return result.plan!;
}
const hostOf = (plan: FleetPlan, name: string): HostPlan | undefined => plan.hosts.find((h) => h.name === name);
const routedHosts = (plan: FleetPlan) => plan.hosts.filter((h) => h.routes.some((r) => r.ingress === "shop/api")).map((h) => h.name);

describe("hostname intersection", () => {
  it.each([
    ["a.example.com", "*.example.com", "a.example.com"],
    ["a.b.example.com", "*.example.com", "a.b.example.com"],
    ["example.com", "*.example.com", undefined],
    ["*.example.com", "foo.example.com", "foo.example.com"],
    ["*.example.com", "*.example.com", "*.example.com"],
    ["*.a.example.com", "*.example.com", "*.a.example.com"],
    ["*.example.com", "*.a.example.com", "*.a.example.com"],
    ["shop.example.com", undefined, "shop.example.com"],
    ["shop.example.com", "search.example.com", undefined],
    ["*.example.com", "example.com", undefined],
  ] as const)("intersects route hostname %s with listener hostname %s as %s", (routeHost, listenerHost, want) => {
    expect(intersectHostnames(routeHost, listenerHost)).toBe(want);
  });

  it("serves a route wildcard on a listener's exact host as that host", () => {
    const f = gatewayFixture();
    gateway(f).spec.listeners = [listener("api", "api.shop.example.com")];
    route(f).spec.hostnames = ["*.shop.example.com"];
    expect(routedHosts(planOf(f))).toEqual(["api.shop.example.com"]);
  });

  it("serves a route without hostnames on its listener's hostname, a wildcard host like an ingress's", () => {
    const f = gatewayFixture();
    route(f).spec.parentRefs[0].sectionName = "shop";
    delete route(f).spec.hostnames;
    const plan = planOf(f);
    expect(routedHosts(plan)).toEqual(["*.shop.example.com"]);
    expect(hostOf(plan, "*.shop.example.com")!.wildcard).toBe(true);
    expect(plan.certificates.find((c) => c.hosts.includes("*.shop.example.com"))).toMatchObject({
      kind: "managed",
      domain: "*.shop.example.com",
      authorizationDomain: "shop.example.com",
    });
  });

  it("serves each intersection once, on the listeners of every parentRef", () => {
    const f = gatewayFixture();
    gateway(f).spec.listeners.push(listener("api", "api.shop.example.com"));
    route(f).spec.parentRefs = [
      { name: "external", namespace: "fleetgate-gateway", sectionName: "shop" },
      { name: "external", namespace: "fleetgate-gateway", sectionName: "api" },
    ];
    route(f).spec.hostnames = ["*.shop.example.com"];
    expect(routedHosts(planOf(f))).toEqual(["*.shop.example.com", "api.shop.example.com"]);
  });
});

describe("the Gateway's settings on the front door", () => {
  it("serves a listener's hosts with the Certificate Manager certificates its cert-manager-certs option names", () => {
    const f = gatewayFixture();
    gatewayListener(f, 0).tls = { mode: "Terminate", options: { "networking.gke.io/cert-manager-certs": "shop-cert, shop-cert-ecdsa" } };
    const plan = planOf(f);
    expect(hostOf(plan, "api.shop.example.com")!.certificate).toBe("pre-shared:shop-cert,shop-cert-ecdsa");
    expect(plan.certificates.find((c) => c.hosts.includes("api.shop.example.com"))).toMatchObject({
      kind: "pre-shared",
      names: ["shop-cert", "shop-cert-ecdsa"],
    });
  });

  it("serves a host on the certificate of its most specific listener", () => {
    const f = gatewayFixture();
    gatewayListener(f, 0).tls = { options: { "networking.gke.io/cert-manager-certs": "wide" } };
    gateway(f).spec.listeners.push(listener("api", "api.shop.example.com"));
    expect(hostOf(planOf(f), "api.shop.example.com")!.certificate).toBe("api.shop.example.com");
  });

  it("refuses a host served with a listener's Certificate Manager certificates and an ingress's managed one", () => {
    const f = gatewayFixture();
    gatewayListener(f, 0).allowedRoutes = { namespaces: { from: "All" } };
    gateway(f).spec.listeners.push(listener("apex", "shop.example.com", { tls: { options: { "networking.gke.io/cert-manager-certs": "shop-cert" } } }));
    route(f).spec.hostnames = ["shop.example.com"];
    route(f).spec.rules[0].matches[0].path.value = "/api";
    const errors = planFixture(f).diagnostics.filter((d) => d.severity === "error");
    expect(errors.some((d) => d.path === "spec.hostnames[0]" && d.message.includes("a host has one certificate"))).toBe(true);
  });

  it("points the routes' hosts at the adopted address the Gateway names, by name or by IP", () => {
    for (const address of [
      { type: "NamedAddress", value: ADOPTED.name },
      { type: "IPAddress", value: ADOPTED.address },
    ]) {
      const f = gatewayFixture();
      adopt(f);
      gateway(f).spec.addresses = [address];
      const frontDoor = planOf(f).frontDoor as Extract<FleetPlan["frontDoor"], { provider: "gcp" }>;
      expect(frontDoor.adoptedAddresses.map((a) => [a.name, a.hosts])).toEqual([[ADOPTED.name, ["api.shop.example.com"]]]);
    }
  });

  it("serves the routes' hosts on the environment's own address alone when the Gateway names that one", () => {
    const f = gatewayFixture();
    adopt(f);
    gateway(f).spec.addresses = [{ type: "NamedAddress", value: "fg-test" }];
    const frontDoor = planOf(f).frontDoor as Extract<FleetPlan["frontDoor"], { provider: "gcp" }>;
    expect(frontDoor.adoptedAddresses.map((a) => [a.name, a.hosts])).toEqual([[ADOPTED.name, []]]);
  });

  it("exposes the admin's Gateway as the routes' gateway, for the policies that target it", () => {
    const f = gatewayFixture();
    const { documents } = loadDocuments(f.environment, sourceFiles(f));
    const ctx = httpRouteContext({ frontDoor: "gcp" }, new Map(), documents);
    expect([ctx.gateway.name, ctx.gateway.namespace, ctx.gateway.listeners?.map((l) => l.name)]).toEqual(["external", "fleetgate-gateway", ["shop", "search"]]);
  });

  it("keeps the implicit fleet gateway without an admin's Gateway", () => {
    const f = gatewayFixture();
    delete f.files[GATEWAY_FILE];
    const { documents } = loadDocuments(f.environment, sourceFiles(f));
    const ctx = httpRouteContext({ frontDoor: "gcp", gateway: { namespace: "edge" } }, new Map(), documents);
    expect(ctx.gateway).toEqual({ name: "fleetgate", namespace: "edge" });
  });
});
