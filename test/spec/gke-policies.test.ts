/**
 * GKE's Gateway policies (spec/gke-policies.ts): a GCPBackendPolicy and a HealthCheckPolicy plan exactly
 * as the BackendConfig they equal, every refused value is an error at the policy's own field, and a
 * GCPGatewayPolicy is answered against the fleet gateway.
 */
import { describe, expect, it } from "vitest";
import { awsFixture } from "../components/aws/aws-fixture";
import { baseFixture, planFixture, type SpecFixture } from "./fixtures";

type Doc = Record<string, any>;

const shop = (f: SpecFixture) => f.files["shop/shop.yaml"]!;
const web = (f: SpecFixture): Doc => shop(f)[0] as Doc;

function withBackendConfig(f: SpecFixture, spec: Doc): void {
  shop(f).push({ apiVersion: "cloud.google.com/v1", kind: "BackendConfig", metadata: { name: "web-bc", namespace: "shop" }, spec });
  web(f).metadata.annotations = { "cloud.google.com/backend-config": JSON.stringify({ default: "web-bc" }) };
}

/** A policy of a kind on the web service, through a Service or a ServiceImport. */
function policy(
  kind: "GCPBackendPolicy" | "HealthCheckPolicy",
  settings: Doc | undefined,
  target: "Service" | "ServiceImport" = "Service",
  name = "web-policy",
): Doc {
  return {
    apiVersion: "networking.gke.io/v1",
    kind,
    metadata: { name, namespace: "shop" },
    spec: { targetRef: { group: target === "Service" ? "" : "net.gke.io", kind: target, name: "web" }, ...(settings ? { default: settings } : {}) },
  };
}

function withPolicies(f: SpecFixture, backend: Doc | undefined, health: Doc | undefined, target: "Service" | "ServiceImport" = "Service"): void {
  if (backend) shop(f).push(policy("GCPBackendPolicy", backend, target));
  if (health) shop(f).push(policy("HealthCheckPolicy", health, target));
}

const errors = (f: SpecFixture) => planFixture(f).diagnostics.filter((d) => d.severity === "error");

/** BackendConfig spec, and the policies' spec.default that say the same. */
const EQUIVALENTS: { description: string; backendConfig: Doc; backend?: Doc; health?: Doc; target?: "ServiceImport" }[] = [
  { description: "timeout", backendConfig: { timeoutSec: 40 }, backend: { timeoutSec: 40 } },
  {
    description: "connection draining",
    backendConfig: { connectionDraining: { drainingTimeoutSec: 20 } },
    backend: { connectionDraining: { drainingTimeoutSec: 20 } },
    target: "ServiceImport",
  },
  {
    description: "logging with a sample rate in millionths",
    backendConfig: { logging: { enable: true, sampleRate: 0.25 } },
    backend: { logging: { enabled: true, sampleRate: 250_000 } },
  },
  { description: "logging off", backendConfig: { logging: { enable: false } }, backend: { logging: { enabled: false } } },
  {
    description: "cookie affinity",
    backendConfig: { sessionAffinity: { affinityType: "GENERATED_COOKIE", affinityCookieTtlSec: 600 } },
    backend: { sessionAffinity: { type: "GENERATED_COOKIE", cookieTtlSec: 600 } },
  },
  {
    description: "client IP affinity",
    backendConfig: { sessionAffinity: { affinityType: "CLIENT_IP" } },
    backend: { sessionAffinity: { type: "CLIENT_IP" } },
    target: "ServiceImport",
  },
  { description: "Cloud Armor policy", backendConfig: { securityPolicy: { name: "shop-armor" } }, backend: { securityPolicy: "shop-armor" } },
  {
    description: "health check timing",
    backendConfig: { healthCheck: { checkIntervalSec: 15, timeoutSec: 4, healthyThreshold: 3, unhealthyThreshold: 4 } },
    health: { checkIntervalSec: 15, timeoutSec: 4, healthyThreshold: 3, unhealthyThreshold: 4 },
  },
  {
    description: "health check path",
    backendConfig: { healthCheck: { requestPath: "/healthz" } },
    health: { config: { type: "HTTP", httpHealthCheck: { requestPath: "/healthz" } } },
    target: "ServiceImport",
  },
  {
    description: "health check protocol",
    backendConfig: { healthCheck: { type: "HTTP2", requestPath: "/h" } },
    health: { config: { type: "HTTP2", http2HealthCheck: { requestPath: "/h" } } },
  },
  {
    description: "health check port",
    backendConfig: { healthCheck: { port: 9090 } },
    health: { config: { type: "HTTP", httpHealthCheck: { portSpecification: "USE_FIXED_PORT", port: 9090 } } },
  },
];

describe("GCPBackendPolicy and HealthCheckPolicy read as the BackendConfig they equal", () => {
  it("gives the same backend plan for a BackendConfig and the equivalent GCPBackendPolicy and HealthCheckPolicy", () => {
    const none = planFixture(baseFixture()).plan;
    for (const c of EQUIVALENTS) {
      const byConfig = baseFixture();
      withBackendConfig(byConfig, c.backendConfig);
      const byPolicies = baseFixture();
      withPolicies(byPolicies, c.backend, c.health, c.target);
      const a = planFixture(byConfig);
      const b = planFixture(byPolicies);
      expect(
        b.diagnostics.filter((d) => d.severity === "error"),
        c.description,
      ).toEqual([]);
      expect(b.plan, c.description).toBeDefined();
      expect(b.plan, c.description).toEqual(a.plan);
      // The field is honoured: the plan is not the one without it.
      expect(b.plan, c.description).not.toEqual(none);
    }
  });

  it("applies a policy to every port of the service", () => {
    const f = baseFixture();
    web(f).spec.template.spec.ports.push({ name: "admin", protocol: "TCP", port: 9000 });
    withPolicies(f, { timeoutSec: 50 }, undefined);
    expect(
      planFixture(f)
        .plan!.services.find((s) => s.key === "shop/web")!
        .ports.map((p) => p.backend.timeoutSeconds),
    ).toEqual([50, 50]);
  });
});

/** A change to the base fixture, and the errors it must draw: `path` and a part of the message. */
const REFUSALS: { description: string; mutate: (f: SpecFixture) => void; want: { path: string; says: string }[] }[] = [
  {
    description: "a sample rate without logging enabled",
    mutate: (f) => withPolicies(f, { logging: { sampleRate: 500_000 } }, undefined),
    want: [{ path: "spec.default.logging.sampleRate", says: "gke.backend-policy-fields" }],
  },
  {
    description: "HEADER_FIELD affinity",
    mutate: (f) => withPolicies(f, { sessionAffinity: { type: "HEADER_FIELD" } }, undefined),
    want: [{ path: "spec.default.sessionAffinity.type", says: "GENERATED_COOKIE" }],
  },
  {
    description: "a passthrough affinity",
    mutate: (f) => withPolicies(f, { sessionAffinity: { type: "CLIENT_IP_PROTO" } }, undefined),
    want: [{ path: "spec.default.sessionAffinity.type", says: "passthrough" }],
  },
  {
    description: "a cookie lifetime without cookie affinity",
    mutate: (f) => withPolicies(f, { sessionAffinity: { type: "CLIENT_IP", cookieTtlSec: 60 } }, undefined),
    want: [{ path: "spec.default.sessionAffinity.cookieTtlSec", says: "gcp.backend-settings" }],
  },
  {
    description: "IAP, as BackendConfig's iap is refused",
    mutate: (f) => withPolicies(f, { iap: { enabled: true, clientID: "c", oauth2ClientSecret: { name: "s" } } }, undefined),
    want: [{ path: "spec.default.iap", says: "Identity-Aware Proxy" }],
  },
  {
    description: "a TCP health check",
    mutate: (f) => withPolicies(f, undefined, { config: { type: "TCP", tcpHealthCheck: {} } }),
    want: [
      { path: "spec.default.config.type", says: "HTTP" },
      { path: "spec.default.config.tcpHealthCheck", says: "httpHealthCheck" },
    ],
  },
  {
    description: "a timeout longer than the default interval",
    mutate: (f) => withPolicies(f, undefined, { timeoutSec: 10 }),
    want: [{ path: "spec.default.timeoutSec", says: "gke.health-check-policy" }],
  },
  {
    description: "a config without its type",
    mutate: (f) => withPolicies(f, undefined, { config: { httpHealthCheck: { requestPath: "/h" } } }),
    want: [{ path: "spec.default.config", says: "write type: HTTP" }],
  },
  {
    description: "a type without its settings",
    mutate: (f) => withPolicies(f, undefined, { config: { type: "HTTPS" } }),
    want: [{ path: "spec.default.config.type", says: "add httpsHealthCheck" }],
  },
  {
    description: "a member of another type than the check's",
    mutate: (f) => withPolicies(f, undefined, { config: { type: "HTTP", httpsHealthCheck: { requestPath: "/h" } } }),
    want: [{ path: "spec.default.config.httpsHealthCheck", says: "type: HTTPS" }],
  },
  {
    description: "a relative request path",
    mutate: (f) => withPolicies(f, undefined, { config: { type: "HTTP", httpHealthCheck: { requestPath: "healthz" } } }),
    want: [{ path: "spec.default.config.httpHealthCheck.requestPath", says: 'write one that begins with "/"' }],
  },
  {
    description: "a named port",
    mutate: (f) => withPolicies(f, undefined, { config: { type: "HTTP", httpHealthCheck: { portSpecification: "USE_NAMED_PORT" } } }),
    want: [{ path: "spec.default.config.httpHealthCheck.portSpecification", says: "USE_FIXED_PORT" }],
  },
  {
    description: "a port without USE_FIXED_PORT",
    mutate: (f) => withPolicies(f, undefined, { config: { type: "HTTP", httpHealthCheck: { port: 9090 } } }),
    want: [{ path: "spec.default.config.httpHealthCheck.port", says: "USE_FIXED_PORT" }],
  },
  {
    description: "a target in another namespace",
    mutate: (f) =>
      shop(f).push({
        ...policy("GCPBackendPolicy", { timeoutSec: 5 }),
        spec: { targetRef: { group: "", kind: "Service", name: "web", namespace: "search" }, default: { timeoutSec: 5 } },
      }),
    want: [{ path: "spec.targetRef.namespace", says: "gke.policy-attachment" }],
  },
  {
    description: "a target of another kind",
    mutate: (f) => shop(f).push({ ...policy("HealthCheckPolicy", {}), spec: { targetRef: { group: "apps", kind: "Deployment", name: "web" } } }),
    want: [{ path: "spec.targetRef.kind", says: "ServiceImport" }],
  },
  {
    description: "a ServiceImport in the core group",
    mutate: (f) => shop(f).push({ ...policy("HealthCheckPolicy", {}), spec: { targetRef: { group: "", kind: "ServiceImport", name: "web" } } }),
    want: [{ path: "spec.targetRef.group", says: "net.gke.io" }],
  },
  {
    description: "a second policy of a kind on one service",
    mutate: (f) => shop(f).push(policy("GCPBackendPolicy", { timeoutSec: 5 }), policy("GCPBackendPolicy", { timeoutSec: 6 }, "ServiceImport", "web-policy-2")),
    want: [{ path: "spec.targetRef.name", says: "merge this policy's settings into web-policy" }],
  },
  {
    description: "a second GCPBackendPolicy on one service as GKE does: only the older attaches",
    mutate: (f) => shop(f).push(policy("GCPBackendPolicy", { timeoutSec: 5 }), policy("GCPBackendPolicy", { timeoutSec: 6 }, "Service", "web-policy-2")),
    want: [{ path: "spec.targetRef.name", says: "GKE attaches only the older of two GCPBackendPolicies" }],
  },
  {
    description: "a second HealthCheckPolicy on one service for Fleetgate's own reason, GKE documenting none: a backend service has one health check",
    mutate: (f) =>
      shop(f).push(
        policy("HealthCheckPolicy", { checkIntervalSec: 10 }),
        policy("HealthCheckPolicy", { checkIntervalSec: 20 }, "ServiceImport", "web-policy-2"),
      ),
    want: [{ path: "spec.targetRef.name", says: "a backend service has one health check, so one HealthCheckPolicy sets it: merge" }],
  },
  {
    description: "HTTP_COOKIE affinity, which BackendConfig has no type for",
    mutate: (f) => withPolicies(f, { sessionAffinity: { type: "HTTP_COOKIE" } }, undefined),
    want: [{ path: "spec.default.sessionAffinity.type", says: "whose affinityType has no such type [gke.backend-policy-fields]" }],
  },
  {
    description: "two policies of one kind and name",
    mutate: (f) => shop(f).push(policy("HealthCheckPolicy", { checkIntervalSec: 10 }), policy("HealthCheckPolicy", { checkIntervalSec: 20 })),
    want: [{ path: "metadata.name", says: "is already defined at stacks/test/shop/shop.yaml" }],
  },
  {
    description: "a policy on a service that names a BackendConfig",
    mutate: (f) => {
      withBackendConfig(f, { timeoutSec: 5 });
      withPolicies(f, { timeoutSec: 6 }, undefined);
    },
    want: [{ path: "spec.targetRef.name", says: "also names a BackendConfig" }],
  },
];

describe("what a policy asks that cannot be given is an error at its field", () => {
  for (const c of REFUSALS)
    it(`refuses ${c.description}`, () => {
      const f = baseFixture();
      c.mutate(f);
      const found = errors(f).map((d) => ({ path: d.path, message: d.message, file: d.file }));
      for (const want of c.want)
        expect(
          found.filter((d) => d.path === want.path && d.message.includes(want.says) && d.file === "stacks/test/shop/shop.yaml"),
          JSON.stringify(found, null, 1),
        ).toHaveLength(1);
      expect(found).toHaveLength(c.want.length);
    });

  it("refuses a policy whose target names no MultiClusterService, suggesting the name meant", () => {
    const f = baseFixture();
    shop(f).push({
      ...policy("GCPBackendPolicy", { timeoutSec: 5 }),
      spec: { targetRef: { group: "", kind: "Service", name: "webb" }, default: { timeoutSec: 5 } },
    });
    const [error] = errors(f);
    expect(error).toMatchObject({ path: "spec.targetRef.name", file: "stacks/test/shop/shop.yaml" });
    expect(error!.message).toContain('did you mean "web"');
    expect(error!.line).toBeGreaterThan(1);
  });

  it("answers behind AWS each policy field as the AWS front door answers the BackendConfig field it equals, at the policy's field", () => {
    const f = awsFixture();
    withPolicies(f, { timeoutSec: 40, sessionAffinity: { type: "CLIENT_IP" } }, { checkIntervalSec: 10 });
    const diagnostics = planFixture(f).diagnostics.filter((d) => d.path.startsWith("spec.default"));
    expect(diagnostics.map((d) => `${d.severity} ${d.path}`).sort()).toEqual([
      "error spec.default.sessionAffinity.type",
      "warning spec.default",
      "warning spec.default.timeoutSec",
    ]);
  });

  it("warns at a HealthCheckPolicy's type, as at a BackendConfig's, when it is not the port's protocol", () => {
    const f = baseFixture();
    withPolicies(f, undefined, { config: { type: "HTTPS", httpsHealthCheck: { requestPath: "/h" } } });
    const warnings = planFixture(f).diagnostics.filter((d) => d.severity === "warning" && d.path.startsWith("spec.default"));
    expect(warnings.map((d) => d.path)).toEqual(["spec.default.config.type"]);
    expect(warnings[0]!.message).toContain("Write type: HTTP with its httpHealthCheck");
  });
});

describe("GCPGatewayPolicy", () => {
  const gatewayPolicy = (targetRef: Doc, settings: Doc = {}, namespace = "fleetgate-gateway"): Doc => ({
    apiVersion: "networking.gke.io/v1",
    kind: "GCPGatewayPolicy",
    metadata: { name: "gateway-policy", namespace },
    spec: { targetRef, default: settings },
  });
  const fleetGateway = { group: "gateway.networking.k8s.io", kind: "Gateway", name: "fleetgate" };

  it("accepts a policy on the fleet gateway without a word when it asks for nothing the front door does not do", () => {
    const f = baseFixture();
    f.files["fleetgate-gateway/policies.yaml"] = [gatewayPolicy(fleetGateway, { allowGlobalAccess: false })];
    const result = planFixture(f);
    expect(result.diagnostics.filter((d) => d.file.includes("fleetgate-gateway"))).toEqual([]);
    expect(result.plan).toEqual(planFixture(baseFixture()).plan);
  });

  it("refuses a GCPGatewayPolicy that targets another gateway than the fleet's, with the name to write", () => {
    const f = baseFixture();
    f.files["fleetgate-gateway/policies.yaml"] = [gatewayPolicy({ ...fleetGateway, name: "fleetgat" })];
    expect(errors(f).map((d) => [d.path, d.message.includes('did you mean "fleetgate"'), d.message.includes("write name: fleetgate")])).toEqual([
      ["spec.targetRef.name", true, true],
    ]);
  });

  it("refuses a GCPGatewayPolicy outside the gateway's namespace, and a second one", () => {
    const f = baseFixture();
    shop(f).push(gatewayPolicy(fleetGateway, {}, "shop"));
    f.files["fleetgate-gateway/policies.yaml"] = [
      gatewayPolicy(fleetGateway),
      { ...gatewayPolicy(fleetGateway), metadata: { name: "second", namespace: "fleetgate-gateway" } },
    ];
    expect(
      errors(f)
        .map((d) => `${d.file} ${d.path}`)
        .sort(),
    ).toEqual(["stacks/test/fleetgate-gateway/policies.yaml spec.targetRef.name", "stacks/test/shop/shop.yaml metadata.namespace"]);
  });

  it("warns that global access and a region, settings of other load balancers, change nothing on the global front door", () => {
    const f = baseFixture();
    f.files["fleetgate-gateway/policies.yaml"] = [gatewayPolicy(fleetGateway, { allowGlobalAccess: true, region: "us-central1" })];
    const warnings = planFixture(f).diagnostics.filter((d) => d.file.includes("fleetgate-gateway"));
    expect(warnings.map((d) => [d.severity, d.path, d.message.includes("[gke.gateway-policy-fields]")])).toEqual([
      ["warning", "spec.default.allowGlobalAccess", true],
      ["warning", "spec.default.region", true],
    ]);
  });

  it("refuses a second GCPGatewayPolicy on the gateway for Fleetgate's own reason: the front door has one set of gateway settings", () => {
    const f = baseFixture();
    f.files["fleetgate-gateway/policies.yaml"] = [
      gatewayPolicy(fleetGateway),
      { ...gatewayPolicy(fleetGateway), metadata: { name: "second", namespace: "fleetgate-gateway" } },
    ];
    const [error] = errors(f);
    expect(error!.message).toContain(
      "the front door has one set of gateway settings, so one GCPGatewayPolicy sets them: merge this policy's settings into gateway-policy",
    );
    expect(error!.message).not.toContain("older");
  });

  it("warns that an SSL policy is the admin's", () => {
    const f = baseFixture();
    f.files["fleetgate-gateway/policies.yaml"] = [gatewayPolicy(fleetGateway, { sslPolicy: "strict" })];
    const [warning] = planFixture(f).diagnostics.filter((d) => d.file.includes("fleetgate-gateway"));
    expect(warning).toMatchObject({ severity: "warning", path: "spec.default.sslPolicy" });
    expect(warning!.message).toContain("fleetgate:gcp.sslPolicy.profile");
  });
});
