import { beforeAll, describe, expect, it } from "vitest";
import { GATEWAY_READINESS } from "../../../components/gcp/backend-plan";
import { sslPolicyFor } from "../../../components/gcp/front-door";
import { pathMatcherName, ROUTE_PRIORITY_STEP } from "../../../components/gcp/url-map";
import { backendName, dispatchNegName } from "../../../spec/naming";
import { examplePlan } from "../../examples";
import { runProgram, type RegisteredResource } from "../../harness";
import { planOf, prodInputs } from "./prod-fixture";

const T = {
  frontDoor: "fleetgate:gcp:GcpFrontDoor",
  address: "gcp:compute/globalAddress:GlobalAddress",
  rule: "gcp:compute/globalForwardingRule:GlobalForwardingRule",
  httpsProxy: "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
  httpProxy: "gcp:compute/targetHttpProxy:TargetHttpProxy",
  urlMap: "gcp:compute/uRLMap:URLMap",
  backend: "gcp:compute/backendService:BackendService",
  health: "gcp:compute/healthCheck:HealthCheck",
  firewall: "gcp:compute/firewall:Firewall",
  ssl: "gcp:compute/sSLPolicy:SSLPolicy",
  cert: "gcp:certificatemanager/certificate:Certificate",
  auth: "gcp:certificatemanager/dnsAuthorization:DnsAuthorization",
  map: "gcp:certificatemanager/certificateMap:CertificateMap",
  entry: "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry",
  record: "gcp:dns/recordSet:RecordSet",
  lbPolicy: "gcp:networkservices/serviceLbPolicies:ServiceLbPolicies",
} as const;

const plan = examplePlan("prod");
type Inputs = Record<string, any>;

describe("the GCP front door of prod", () => {
  let graph: Awaited<ReturnType<typeof runProgram>>;
  let frontDoor: RegisteredResource;
  let gcpResources: RegisteredResource[];
  const inputs = (r: RegisteredResource) => r.inputs as Inputs;
  const selfLink = (collection: string, name: string) => `https://www.googleapis.com/compute/v1/projects/acme-fleet-prod/global/${collection}/${name}`;

  beforeAll(async () => {
    graph = await runProgram("prod");
    expect(graph.exitCode, graph.stderr).toBe(0);
    frontDoor = graph.one(T.frontDoor, "prod");
    // The clusters side owns one GCP resource of its own: the mesh's firewall between the clusters' pods.
    gcpResources = graph.resources.filter((r) => r.custom && r.type.startsWith("gcp:") && !r.name.includes("-mesh-firewall-"));
  });

  it("puts every GCP resource under the front door, in the plan's project, with unique names", () => {
    const below = new Set(graph.descendantsOf(frontDoor).map((r) => r.urn));
    expect(gcpResources.length).toBeGreaterThan(40);
    for (const r of gcpResources) {
      expect(below.has(r.urn), `${r.type} ${r.name}`).toBe(true);
      expect(inputs(r).project, `${r.type} ${r.name}`).toBe("acme-fleet-prod");
    }
    const keys = graph.resources.filter((r) => r.type.startsWith("gcp:") || r.type.startsWith("fleetgate:gcp:")).map((r) => `${r.type}::${r.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(
      graph
        .childrenOf(frontDoor)
        .filter((r) => !r.custom)
        .map((r) => r.type)
        .sort(),
    ).toEqual(["fleetgate:gcp:GcpBackends", "fleetgate:gcp:GcpCertificates"]);
  });

  it("serves the whole environment from one protected address per IP version and one HTTPS forwarding rule each", () => {
    const addresses = graph.ofType(T.address);
    expect(addresses.map((a) => [inputs(a).name, inputs(a).ipVersion, inputs(a).addressType, a.protect])).toEqual([
      ["fg-prod", "IPV4", "EXTERNAL", true],
      ["fg-prod-v6", "IPV6", "EXTERNAL", true],
    ]);
    const https = graph.ofType(T.rule).filter((r) => inputs(r).portRange === "443");
    expect(https.map((r) => [inputs(r).name, inputs(r).loadBalancingScheme, inputs(r).target])).toEqual([
      ["fg-prod-https", "EXTERNAL_MANAGED", selfLink("targetHttpsProxies", "fg-prod-https")],
      ["fg-prod-https-v6", "EXTERNAL_MANAGED", selfLink("targetHttpsProxies", "fg-prod-https")],
    ]);
    expect(https.map((r) => inputs(r).ipAddress)).toEqual([frontDoor.outputs?.address, frontDoor.outputs?.ipv6Address]);
    expect(frontDoor.outputs?.address).toMatch(/^203\.0\.113\.\d+$/);
    expect(graph.ofType(T.httpsProxy)).toHaveLength(1);
    expect(graph.ofType(T.urlMap)).toHaveLength(2);
  });

  it("terminates TLS with the certificate map and a TLS 1.2, MODERN SSL policy", () => {
    const proxy = graph.one(T.httpsProxy, "prod-https-proxy");
    expect(inputs(proxy)).toMatchObject({
      certificateMap: "//certificatemanager.googleapis.com/projects/acme-fleet-prod/locations/global/certificateMaps/fg-prod",
      sslPolicy: selfLink("sslPolicies", "fg-prod"),
      urlMap: selfLink("urlMaps", "fg-prod"),
    });
    expect(inputs(graph.one(T.ssl, "prod-ssl-policy"))).toMatchObject({ profile: "MODERN", minTlsVersion: "TLS_1_2" });
  });

  it("has a certificate map entry and an A and AAAA record per host, each record waiting for its host's entry", () => {
    const entries = graph.ofType(T.entry).filter((e) => inputs(e).matcher === undefined);
    expect(entries.map((e) => inputs(e).hostname).sort()).toEqual(plan.hosts.map((h) => h.name));
    const records = graph.ofType(T.record).filter((r) => ["A", "AAAA"].includes(inputs(r).type));
    expect(records.map((r) => [inputs(r).name, inputs(r).type]).sort()).toEqual(
      plan.hosts.flatMap((h) => [
        [`${h.name}.`, "A"],
        [`${h.name}.`, "AAAA"],
      ]),
    );
    for (const r of records) {
      const host = (inputs(r).name as string).slice(0, -1);
      expect(inputs(r)).toMatchObject({ ttl: 300, managedZone: host.endsWith(".apps.example.com") ? "apps-example-com" : "example-com" });
      expect(inputs(r).rrdatas).toEqual([inputs(r).type === "A" ? frontDoor.outputs?.address : frontDoor.outputs?.ipv6Address]);
      expect(r.dependsOn).toContain(entries.find((e) => inputs(e).hostname === host)!.urn);
    }
  });

  it("answers clients without a known server name with the first named host's certificate (the PRIMARY entry)", () => {
    const primary = graph.ofType(T.entry).filter((e) => inputs(e).matcher === "PRIMARY");
    expect(primary.map((e) => e.name)).toEqual(["prod-certificate-entry-primary"]);
    expect(inputs(primary[0]!).hostname).toBeUndefined();
    const accounts = graph.ofType(T.entry).find((e) => inputs(e).hostname === "accounts.example.com")!;
    expect(inputs(primary[0]!).certificates).toEqual(inputs(accounts).certificates);
  });

  it("protects certificates and DNS authorizations, and replaces certificates create-before-delete", () => {
    const certs = graph.ofType(T.cert);
    expect(certs.map((c) => inputs(c).managed.domains[0]).sort()).toEqual([
      "*.apps.example.com",
      "accounts.example.com",
      "shop.example.com",
      "www.example.com",
    ]);
    for (const c of certs) expect([c.name, c.protect, c.deleteBeforeReplace]).toEqual([c.name, true, false]);
    const auths = graph.ofType(T.auth);
    expect(auths.map((a) => inputs(a).domain).sort()).toEqual(["accounts.example.com", "apps.example.com", "shop.example.com", "www.example.com"]);
    for (const a of auths) expect(a.protect, a.name).toBe(true);
    const protectedTypes = gcpResources.filter((r) => r.protect).map((r) => r.type);
    expect(new Set(protectedTypes)).toEqual(new Set([T.address, T.cert, T.auth]));
  });

  it("writes each DNS authorization's CNAME in Cloud DNS before its certificate is requested", () => {
    const wildcard = graph.ofType(T.cert).find((c) => inputs(c).managed.domains[0] === "*.apps.example.com")!;
    expect(inputs(wildcard).managed.dnsAuthorizations).toEqual(["projects/acme-fleet-prod/locations/global/dnsAuthorizations/fg-prod-apps-example-com"]);
    const cname = graph.one(T.record, "prod-dns-authorization-apps-example-com-cname");
    expect(inputs(cname)).toMatchObject({
      type: "CNAME",
      name: expect.stringMatching(/^_acme-challenge_[0-9a-f]{16}\.apps\.example\.com\.$/),
      managedZone: "apps-example-com",
      rrdatas: [expect.stringMatching(/\.authorize\.certificatemanager\.goog\.$/)],
    });
    expect(wildcard.dependsOn).toContain(cname.urn);
    // A per-project record: no clash with an ACME client's _acme-challenge TXT records, or another project's.
    expect(inputs(graph.one(T.auth, "prod-dns-authorization-apps-example-com")).type).toBe("PER_PROJECT_RECORD");
  });

  it("has URL map rules equal to the spec's routes: match kinds, priorities and weights", () => {
    const map = inputs(graph.one(T.urlMap, "prod-url-map"));
    const bs = (key: string) => {
      const [service, port] = key.split(":") as [string, string];
      return selfLink("backendServices", backendName("prod", service, Number(port)));
    };
    for (const host of plan.hosts) {
      const matcher = (map.pathMatchers as Inputs[]).find((m) => m.name === pathMatcherName(host.name))!;
      expect(map.hostRules).toContainEqual({ hosts: [host.name], pathMatcher: matcher.name });
      expect(matcher.defaultService).toBe(
        host.defaultBackend ? bs(`${host.defaultBackend.service}:${host.defaultBackend.port}`) : selfLink("backendServices", "fg-prod-catch-all"),
      );
      // First the reserved prefix's rule (url-map.test.ts), then one rule per route.
      expect(matcher.routeRules[0]).toMatchObject({
        priority: 0,
        matchRules: [{ prefixMatch: "/.well-known/fleetgate/" }],
        routeAction: { faultInjectionPolicy: { abort: { httpStatus: 404, percentage: 100 } } },
      });
      const rules = (matcher.routeRules as Inputs[]).slice(1);
      expect(rules.map((r) => r.priority)).toEqual(host.routes.map((r) => r.priority * ROUTE_PRIORITY_STEP));
      host.routes.forEach((route, i) => {
        const rule = rules[i]!;
        expect(rule.matchRules[0][route.match.path.type === "Exact" ? "fullPathMatch" : "prefixMatch"], route.key).toBe(route.match.path.value);
        expect((rule.matchRules[0].headerMatches ?? []).map((m: Inputs) => m.headerName)).toEqual(route.match.headers.map((m) => m.name));
        expect((rule.matchRules[0].queryParameterMatches ?? []).map((m: Inputs) => m.name)).toEqual(route.match.queryParams.map((m) => m.name));
        if (route.action.kind === "redirect") expect(rule.urlRedirect, route.key).toBeDefined();
        else if (route.action.backends.length === 1)
          expect(rule.service, route.key).toBe(bs(`${route.action.backends[0]!.service}:${route.action.backends[0]!.port}`));
        else
          expect(rule.routeAction.weightedBackendServices, route.key).toEqual(
            route.action.backends.map((b) => ({ backendService: bs(`${b.service}:${b.port}`), weight: b.weight })),
          );
      });
    }
    expect(map.defaultService).toBe(selfLink("backendServices", "fg-prod-catch-all"));
  });

  it("attaches to each backend service the gateway NEGs of exactly its serving clusters, per zone, with their weights", () => {
    const zones = new Map(plan.clusters.map((c) => [c.name, c.zones]));
    for (const service of plan.services) {
      const port = service.ports[0]!;
      const backend = graph.one(T.backend, `prod-backend-${service.namespace}-${service.name}-${port.port}`);
      expect(inputs(backend)).toMatchObject({ name: backendName("prod", service.key, port.port), loadBalancingScheme: "EXTERNAL_MANAGED", protocol: "HTTP" });
      const expected = service.clusters.flatMap((sc) =>
        zones.get(sc.cluster)!.map((zone) => ({
          group: `https://www.googleapis.com/compute/v1/projects/acme-fleet-prod/zones/${zone}/networkEndpointGroups/${dispatchNegName("prod", sc.cluster)}`,
          balancingMode: "RATE",
          capacityScaler: sc.weight / 100,
        })),
      );
      expect(
        inputs(backend).backends.map((b: Inputs) => ({ group: b.group, balancingMode: b.balancingMode, capacityScaler: b.capacityScaler })),
        service.key,
      ).toEqual(expected);
    }
    const cart = inputs(graph.one(T.backend, "prod-backend-shop-cart-80"));
    expect(cart.backends.filter((b: Inputs) => b.group.includes("gke-asia")).map((b: Inputs) => b.capacityScaler)).toEqual([0, 0]);
  });

  it("health-checks every service on the NEGs' serving port, at its reserved path with its host header, once its gateways are in place", () => {
    const gatewayOf = (cluster: string) => graph.one("kubernetes:gateway.networking.k8s.io/v1:Gateway", `prod-${cluster}-gateway`).urn;
    for (const service of plan.services) {
      const port = service.ports[0]!;
      const check = graph.one(T.health, `prod-health-${service.namespace}-${service.name}-${port.port}`);
      expect(inputs(check).httpHealthCheck, service.key).toEqual({
        host: port.healthCheck.host,
        requestPath: `/.well-known/fleetgate/health/${service.key}/${port.port}`,
        portSpecification: "USE_SERVING_PORT",
      });
      expect(check.dependsOn, service.key).toEqual(expect.arrayContaining(service.clusters.map((c) => gatewayOf(c.cluster))));
      const backend = graph.one(T.backend, `prod-backend-${service.namespace}-${service.name}-${port.port}`);
      expect(inputs(backend).healthChecks).toBe(selfLink("healthChecks", inputs(check).name));
    }
    expect(inputs(graph.one(T.health, "prod-health-gateway")).httpHealthCheck).toEqual({
      requestPath: GATEWAY_READINESS.path,
      port: GATEWAY_READINESS.port,
      portSpecification: "USE_FIXED_PORT",
    });
  });

  it("tags what each backend service proxies with the service port it serves, and the catch-all with a tag no gateway routes", () => {
    for (const service of plan.services) {
      const port = service.ports[0]!;
      expect(inputs(graph.one(T.backend, `prod-backend-${service.namespace}-${service.name}-${port.port}`)).customRequestHeaders, service.key).toEqual([
        `x-fleetgate-backend:${service.key}:${port.port}`,
      ]);
    }
    expect(inputs(graph.one(T.backend, "prod-backend-catch-all")).customRequestHeaders).toEqual(["x-fleetgate-backend:catch-all"]);
    // Nothing in the URL map names the tag: a URL map header would take precedence over the backend services'.
    expect(JSON.stringify(inputs(graph.one(T.urlMap, "prod-url-map"))).toLowerCase()).not.toContain("x-fleetgate-backend");
  });

  it("sends the even-balanced service nearest-first like any other, through no service LB policy (the mesh spreads it)", () => {
    expect(graph.ofType(T.lbPolicy)).toEqual([]);
    expect(inputs(graph.one(T.backend, "prod-backend-search-search-8080")).serviceLbPolicy).toBeUndefined();
  });

  it("redirects HTTP to HTTPS on port 80 of every address", () => {
    const http = graph.ofType(T.rule).filter((r) => inputs(r).portRange === "80");
    expect(http.map((r) => [inputs(r).ipAddress, inputs(r).target])).toEqual([
      [frontDoor.outputs?.address, selfLink("targetHttpProxies", "fg-prod-http")],
      [frontDoor.outputs?.ipv6Address, selfLink("targetHttpProxies", "fg-prod-http")],
    ]);
    expect(inputs(graph.one(T.httpProxy, "prod-http-proxy")).urlMap).toBe(selfLink("urlMaps", "fg-prod-http-redirect"));
    expect(inputs(graph.one(T.urlMap, "prod-http-redirect"))).toMatchObject({
      defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT", stripQuery: false },
    });
  });

  it("opens the clusters' VPC to Google's health-check and proxy ranges on the NEGs' port and Istio's readiness port only, after the health checks", () => {
    const [rule, ...others] = gcpResources.filter((r) => r.type === T.firewall);
    expect(others).toEqual([]);
    expect(inputs(rule!)).toMatchObject({
      network: "projects/acme-fleet-prod/global/networks/fleet-prod",
      direction: "INGRESS",
      sourceRanges: ["130.211.0.0/22", "35.191.0.0/16"],
      allows: [{ protocol: "tcp", ports: ["8080", "15021"] }],
    });
    // A port the checks leave closes only after they have moved.
    expect(rule!.dependsOn).toEqual(expect.arrayContaining(graph.ofType(T.health).map((h) => h.urn)));
  });

  it("reports the address, every host's certificate state and each service's backend service", () => {
    const outputs = frontDoor.outputs as Inputs;
    expect(outputs.hosts.map((h: Inputs) => [h.host, h.certificateState])).toEqual(plan.hosts.map((h) => [h.name, "ACTIVE"]));
    expect(outputs.hosts.find((h: Inputs) => h.host === "search.apps.example.com").certificates).toEqual([
      expect.stringMatching(/^projects\/acme-fleet-prod\/locations\/global\/certificates\/fg-prod-wildcard-apps-example-com-[0-9a-f]{6}$/),
    ]);
    expect(outputs.backendServices).toEqual(
      Object.fromEntries(plan.services.map((s) => [`${s.key}:${s.ports[0]!.port}`, backendName("prod", s.key, s.ports[0]!.port)])),
    );
    expect(graph.stackOutputs.address).toBe(outputs.address);
  });
});

describe("the GCP front door's SSL policy", () => {
  it("follows the admin's profile at TLS 1.2, and asks for TLS 1.3 with RESTRICTED, the only profile GCP allows with it", () => {
    expect(sslPolicyFor(plan)).toEqual({ profile: "MODERN", minTlsVersion: "TLS_1_2" });
    const inputs = prodInputs();
    inputs.config["fleetgate:tls"].minVersion = "1.3";
    expect(sslPolicyFor(planOf(inputs))).toEqual({ profile: "RESTRICTED", minTlsVersion: "TLS_1_3" });
    inputs.config["fleetgate:tls"].minVersion = "1.2";
    inputs.config["fleetgate:gcp"].sslPolicy = { profile: "COMPATIBLE" };
    expect(sslPolicyFor(planOf(inputs))).toEqual({ profile: "COMPATIBLE", minTlsVersion: "TLS_1_2" });
  });
});
