/**
 * The protocol behind the gateways as GKE users write it: networking.gke.io/app-protocols on a
 * MultiClusterService, a BackendConfig's healthCheck type and port, and the refusal of a service that
 * selects a gateway's own pods. Table-driven from the base spec (errors and warnings with their places),
 * then what the resolver makes of them.
 */
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../spec/diagnostics";
import { healthPorts } from "../../spec/backend-protocols";
import type { ServicePlan } from "../../spec/plan";
import { awsFixture } from "../components/aws/aws-fixture";
import { planCase, type DiagnosticCase, type Want } from "./diagnostic-cases";
import { baseFixture, planFixture, type SpecFixture } from "./fixtures";

type Doc = Record<string, any>;
const web = (f: SpecFixture): Doc => f.files["shop/shop.yaml"]![0]! as Doc;
const annotate = (f: SpecFixture, value: string) => void (web(f).metadata.annotations = { "networking.gke.io/app-protocols": value });
/** Gives shop/web a BackendConfig (its only port is 80, named http, targetPort 8080). */
const withHealthCheck = (f: SpecFixture, healthCheck: Doc) => {
  web(f).metadata.annotations = { ...web(f).metadata.annotations, "cloud.google.com/backend-config": '{"default": "web-bc"}' };
  f.files["shop/shop.yaml"]!.push({
    apiVersion: "cloud.google.com/v1",
    kind: "BackendConfig",
    metadata: { name: "web-bc", namespace: "shop" },
    spec: { healthCheck },
  });
};
/** shop/web with an HTTPS port beside its HTTP one. */
const withTlsPort = (f: SpecFixture) => {
  web(f).spec.template.spec.ports.push({ name: "tls", port: 443, targetPort: 8443 });
  annotate(f, '{"tls": "HTTPS"}');
};

interface Case extends DiagnosticCase {
  wantErrors: Want[];
}

const A = "app-protocols";
const cases: Case[] = [
  { description: "an annotation naming a port's protocol in GKE's words is valid", mutate: (f) => annotate(f, '{"http": "HTTP2"}'), wantErrors: [] },
  {
    description: "every protocol GKE accepts is valid, HTTP included",
    mutate: (f) => {
      withTlsPort(f);
      web(f).spec.template.spec.ports.push({ name: "grpc", port: 9090 });
      annotate(f, '{"tls": "HTTPS", "grpc": "HTTP2", "http": "HTTP"}');
    },
    wantErrors: [],
  },
  {
    description: "an annotation that is not JSON is refused, with the shape to write",
    mutate: (f) => annotate(f, "{http: HTTPS}"),
    wantErrors: [
      { path: A, message: `is not JSON; write it as a JSON object from port names to HTTP, HTTPS, HTTP2 [gke.app-protocols], e.g. '{"http": "HTTPS"}'` },
    ],
  },
  {
    description: "an annotation that is JSON but no object is refused",
    mutate: (f) => annotate(f, '["HTTPS"]'),
    wantErrors: [{ path: A, message: 'is ["HTTPS"], not an object' }],
  },
  {
    description: "a port name the service does not have is refused, with the look-alike",
    mutate: (f) => annotate(f, '{"htp": "HTTPS"}'),
    wantErrors: [{ path: A, message: 'names port "htp", which is not a port name of the service; did you mean "http"?' }],
  },
  {
    description: "a port written by its number is refused, with its name",
    mutate: (f) => annotate(f, '{"80": "HTTPS"}'),
    wantErrors: [{ path: A, message: 'GKE names ports by name, so write "http"' }],
  },
  {
    description: "a service whose ports have no names is told to name them",
    mutate: (f) => void ((f.files["shop/shop.yaml"]![1] as Doc).metadata.annotations = { "networking.gke.io/app-protocols": '{"80": "HTTPS"}' }),
    wantErrors: [{ path: A, message: "none of the service's ports has one: give the port a name in spec.template.spec.ports" }],
  },
  {
    description: "a protocol in lower case is refused, with the capitals GKE reads",
    mutate: (f) => annotate(f, '{"http": "https"}'),
    wantErrors: [
      {
        path: A,
        message: 'gives port "http" the protocol "https", which GKE does not accept [gke.app-protocols]; GKE reads the protocol in capitals: "HTTPS"',
      },
    ],
  },
  {
    description: "a protocol GKE does not know is refused, with the ones it does",
    mutate: (f) => annotate(f, '{"http": "GRPC"}'),
    wantErrors: [{ path: A, message: "use one of HTTP, HTTPS, HTTP2" }],
  },
  {
    description: "a protocol that is no string is refused",
    mutate: (f) => annotate(f, '{"http": 2}'),
    wantErrors: [{ path: A, message: "the protocol 2, which GKE does not accept" }],
  },
  {
    description: "every problem of one annotation is reported together",
    mutate: (f) => annotate(f, '{"htp": "HTTPS", "http": "TLS"}'),
    wantErrors: [
      { path: A, message: 'names port "htp"' },
      { path: A, message: 'the protocol "TLS"' },
    ],
  },

  {
    description: "the single-cluster Service's annotation on a MultiClusterService is not applied, and the warning names the one that is",
    mutate: (f) => void (web(f).metadata.annotations = { "cloud.google.com/app-protocols": '{"http": "HTTPS"}' }),
    wantErrors: [],
    wantWarnings: [{ path: "cloud.google.com/app-protocols", message: "so this one is not applied: rename it to networking.gke.io/app-protocols" }],
  },

  // A service that selects the gateway's own pods (Google's ASM recipe).
  ...[
    ["istio", "ingressgateway"],
    ["app", "istio-ingressgateway"],
    ["gateway.networking.k8s.io/gateway-name", "fleetgate"],
    ["istio.io/gateway-name", "my-gateway"],
  ].map(([key, value]) => ({
    description: `a service that selects an ingress gateway's pods by ${key}: ${value} is refused`,
    mutate: (f: SpecFixture) => void (web(f).spec.template.spec.selector = { [key!]: value }),
    wantErrors: [
      {
        path: `spec.template.spec.selector`,
        message: `selects the pods of an Istio ingress gateway (${key}: ${value}), as Google's Anthos Service Mesh recipe puts Multi Cluster Ingress in front of one; Fleetgate provides the gateway in every cluster itself`,
      },
    ],
  })),
  {
    description: "a service labelled istio for another reason is not taken for a gateway",
    mutate: (f) => void (web(f).spec.template.spec.selector = { app: "web", istio: "enabled" }),
    wantErrors: [],
  },

  // BackendConfig health checks, as they apply to the ports that use them.
  {
    description: "a health check in the serving protocol on another pod port is valid",
    mutate: (f) => withHealthCheck(f, { port: 9901, requestPath: "/healthz" }),
    wantErrors: [],
  },
  {
    description: "a health check type other than the port's app protocol is honoured with a warning at the type",
    mutate: (f) => {
      annotate(f, '{"http": "HTTPS"}');
      withHealthCheck(f, { type: "HTTP" });
    },
    wantErrors: [],
    wantWarnings: [
      {
        path: "spec.healthCheck.type",
        message:
          "is HTTP, but shop/web:80 serves HTTPS (networking.gke.io/app-protocols); as GKE does, the gateways check its pods in HTTP and send its traffic in HTTPS [gke.health-check-parameters]",
      },
    ],
  },
  {
    description: "a health check type on a port with no app protocol says the port serves HTTP",
    mutate: (f) => withHealthCheck(f, { type: "HTTPS" }),
    wantErrors: [],
    wantWarnings: [{ path: "spec.healthCheck.type", message: "is HTTPS, but shop/web:80 serves HTTP (no app protocol is named for it)" }],
  },
  {
    description: "a health check port that is the service port, not the pods' port, is taken as GKE takes it, with a warning",
    mutate: (f) => withHealthCheck(f, { port: 80 }),
    wantErrors: [],
    wantWarnings: [
      {
        path: "spec.healthCheck.port",
        message:
          "is 80, the service port of shop/web:80, whose pods listen on 8080; as GKE does with container-native load balancing, the check goes to port 80 of the pods themselves [gke.health-check-parameters]. To check the serving port, write 8080 or leave port out",
      },
    ],
  },
  {
    description: "a health check on another port says which clusters outside GKE cannot follow it",
    mutate: (f) => {
      (f.config.clusters as Doc[]).push({
        name: "dc",
        provider: "other",
        region: "dc-1",
        network: "dc",
        labels: {},
        access: { kind: "kubeconfig" },
        gateway: { publicHostname: "gw.dc.example.com" },
      });
      f.config.kubeconfigs = { dc: "apiVersion: v1" };
      f.secure.push("kubeconfigs");
      web(f).spec.clusters.push({ link: "dc-1/dc" });
      withHealthCheck(f, { port: 9901 });
    },
    wantErrors: [],
    wantWarnings: [{ path: "spec.healthCheck", message: "which the gateways of dc cannot do: the front door reaches them through their public listeners" }],
  },
];

describe("backend protocols: validation", () => {
  for (const c of cases) {
    it(c.description, () => void planCase(c));
  }

  it("refuses a service in the gateways' own namespace, and says where services belong", () => {
    const f = baseFixture();
    f.config.gateway = { namespace: "shop" };
    const errors = planFixture(f).diagnostics.filter((d) => d.severity === "error" && d.path === "metadata.namespace");
    expect(errors.map((e) => e.message)).toEqual([
      "is shop, the namespace of Fleetgate's own gateways; Fleetgate provides the gateway in every cluster itself and puts the front door before it, so select the pods of the services behind the gateway (and route to them from the MultiClusterIngress), as they are written for your own gateway's routes today, in the team's own namespace.",
      "is shop, the namespace of Fleetgate's own gateways; Fleetgate provides the gateway in every cluster itself and puts the front door before it, so select the pods of the services behind the gateway (and route to them from the MultiClusterIngress), as they are written for your own gateway's routes today, in the team's own namespace.",
    ]);
  });
});

const planned = (mutate: (f: SpecFixture) => void, fixture = baseFixture): ServicePlan => {
  const f = fixture();
  mutate(f);
  const result = planFixture(f);
  expect(result.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic)).toEqual([]);
  return result.plan!.services.find((s) => s.key === "shop/web")!;
};

describe("backend protocols: the plan", () => {
  it("gives each port the protocol the annotation names, and names none where it is silent", () => {
    const service = planned(withTlsPort);
    expect(service.ports.map((p) => [p.port, p.appProtocol])).toEqual([
      [80, undefined],
      [443, "HTTPS"],
    ]);
    expect(service.healthPorts).toBeUndefined();
  });

  it("checks a port in its app protocol by default, on its serving port", () => {
    const service = planned(withTlsPort);
    expect(service.ports.map((p) => [p.port, p.healthCheck.protocol, p.healthCheck.servicePort])).toEqual([
      [80, "HTTP", undefined],
      [443, "HTTPS", undefined],
    ]);
  });

  it("checks a health port of the pods through a Service port of its own, in the check's protocol", () => {
    const service = planned((f) => withHealthCheck(f, { type: "HTTPS", port: 9901, requestPath: "/healthz" }));
    expect(service.healthPorts).toEqual([{ name: "health-9901", port: 9901, targetPort: 9901, protocol: "HTTPS" }]);
    expect(service.ports[0]!.healthCheck).toMatchObject({ protocol: "HTTPS", servicePort: 9901, path: "/healthz" });
  });

  it("checks in another protocol on the serving pod port through a Service port of its own", () => {
    const service = planned((f) => {
      annotate(f, '{"http": "HTTP2"}');
      withHealthCheck(f, { type: "HTTP" });
    });
    expect(service.healthPorts).toEqual([{ name: "health-8080", port: 8080, targetPort: 8080, protocol: "HTTP" }]);
    expect(service.ports[0]!.healthCheck).toMatchObject({ protocol: "HTTP", servicePort: 8080 });
  });

  it("makes no health port behind the AWS front door, where no check reaches the gateways' health rules", () => {
    const service = planned(
      (f) => withHealthCheck(f, { type: "HTTPS", port: 9901 }),
      () => awsFixture(),
    );
    expect(service.healthPorts).toBeUndefined();
    expect(service.ports[0]!.healthCheck.servicePort).toBeUndefined();
  });
});

describe("backend protocols: health ports", () => {
  const port = (
    p: number,
    health: { protocol: "HTTP" | "HTTPS" | "HTTP2"; port?: number },
    extra: { name?: string; targetPort?: number | string; protocol?: "HTTP" | "HTTPS" | "HTTP2" } = {},
  ) => ({ port: p, targetPort: extra.targetPort ?? p, ...extra, health });

  it("uses a serving port that already reaches the health port in the check's protocol", () => {
    const { ports, servicePort } = healthPorts([
      port(80, { protocol: "HTTP", port: 8081 }, { targetPort: 8080 }),
      port(81, { protocol: "HTTP" }, { targetPort: 8081 }),
    ]);
    expect(ports).toEqual([]);
    expect([...servicePort]).toEqual([
      [80, 81],
      [81, 81],
    ]);
  });

  it("shares one health port among checks that agree, and numbers a taken port on", () => {
    const { ports, servicePort } = healthPorts([
      port(9901, { protocol: "HTTP" }),
      port(80, { protocol: "HTTPS", port: 9901 }),
      port(81, { protocol: "HTTPS", port: 9901 }),
    ]);
    expect(ports).toEqual([{ name: "health-9902", port: 9902, targetPort: 9901, protocol: "HTTPS" }]);
    expect(servicePort.get(80)).toBe(9902);
    expect(servicePort.get(81)).toBe(9902);
  });

  it("keeps clear of a port name the service already uses", () => {
    const { ports } = healthPorts([port(80, { protocol: "HTTP", port: 9901 }, { name: "health-9901" })]);
    expect(ports.map((p) => p.name)).toEqual(["fg-health-9901"]);
  });

  it("reaches a named target port in the check's protocol through a port numbered after the serving port", () => {
    const { ports } = healthPorts([port(80, { protocol: "HTTP2" }, { targetPort: "web", protocol: "HTTPS" })]);
    expect(ports).toEqual([{ name: "health-81", port: 81, targetPort: "web", protocol: "HTTP2" }]);
  });

  it("gives the same ports whatever order the service lists them in", () => {
    const list = [port(443, { protocol: "HTTP", port: 9901 }, { protocol: "HTTPS" }), port(80, { protocol: "HTTPS", port: 9901 })];
    const a = healthPorts(list);
    const b = healthPorts([...list].reverse());
    expect(a.ports).toEqual(b.ports);
    expect([...a.servicePort].sort()).toEqual([...b.servicePort].sort());
  });
});
