import { unknownCheckingProxy } from "@pulumi/policy";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { cloudArmorRequired } from "../../policies/rules/armor";
import { hostsHaveCertificates } from "../../policies/rules/certificates";
import { backendsHealthChecked } from "../../policies/rules/health";
import { httpOnlyRedirects } from "../../policies/rules/http";
import { RULES } from "../../policies/rules/index";
import { rootKeyProtected, statefulResourcesProtected } from "../../policies/rules/protection";
import { kubernetesExplicitProviders } from "../../policies/rules/providers";
import { TYPES } from "../../policies/rules/resources";
import { credentialsInSecretFields } from "../../policies/rules/secrets";
import { acceleratorServes, backendsNotAllDrained } from "../../policies/rules/serving";
import { tlsMinimumVersion } from "../../policies/rules/tls";
import { stackViolations, violations, type FakeResource } from "./policy-args";

// The sentinels the policy runtime puts where a preview does not know a value (not in its typings).
const { unknownArrayValue, unknownBooleanValue, unknownStringValue } = createRequire(__filename)("@pulumi/policy/proxy") as Record<string, string>;
const K8S_PROVIDER = "urn:pulumi:prod::fleetgate::pulumi:providers:kubernetes::prod-gke-us";
const zonal = (scaler: number) => ({ group: "projects/p/zones/us-central1-a/networkEndpointGroups/fg-prod-us-gw", capacityScaler: scaler });

describe("tls-minimum-version", () => {
  it("passes a TLS 1.2 SSL policy and an HTTPS proxy that names it", () => {
    expect(violations(tlsMinimumVersion, { type: TYPES.sslPolicy, name: "ok", props: { minTlsVersion: "TLS_1_2", profile: "MODERN" } })).toEqual([]);
    expect(violations(tlsMinimumVersion, { type: TYPES.httpsProxy, name: "ok", props: { sslPolicy: "projects/p/global/sslPolicies/fg" } })).toEqual([]);
  });
  it("judges a preview's new proxy and NLB gateway by what is known: a policy named, the certificate annotation present", () => {
    expect(violations(tlsMinimumVersion, { type: TYPES.httpsProxy, name: "new", props: unknownCheckingProxy({ sslPolicy: unknownStringValue }) })).toEqual([]);
    const gateway = (policy?: string) =>
      violations(tlsMinimumVersion, {
        type: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
        name: "gw",
        props: unknownCheckingProxy({
          spec: {
            infrastructure: {
              annotations: {
                "service.beta.kubernetes.io/aws-load-balancer-ssl-cert": unknownStringValue,
                ...(policy ? { "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": policy } : {}),
              },
            },
          },
        }),
      });
    expect(gateway("ELBSecurityPolicy-TLS13-1-2-2021-06")).toEqual([]);
    expect(gateway()).toEqual([expect.stringContaining("without service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy")]);
  });
  it("fails a TLS 1.0 SSL policy and an HTTPS proxy without a policy", () => {
    expect(violations(tlsMinimumVersion, { type: TYPES.sslPolicy, name: "old", props: { minTlsVersion: "TLS_1_0" } })).toEqual([
      expect.stringContaining("allows TLS_1_0"),
    ]);
    expect(violations(tlsMinimumVersion, { type: TYPES.httpsProxy, name: "bare", props: {} })).toEqual([expect.stringContaining("GCP's default (TLS 1.0)")]);
  });
  it("fails an NLB asked for without a modern negotiation policy, and passes one with it", () => {
    const gateway = (annotations: Record<string, string>): FakeResource => ({
      type: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
      name: "gw",
      provider: K8S_PROVIDER,
      props: { spec: { infrastructure: { annotations } } },
    });
    const cert = { "service.beta.kubernetes.io/aws-load-balancer-ssl-cert": "arn:aws:acm:x" };
    expect(violations(tlsMinimumVersion, gateway(cert))).toEqual([expect.stringContaining("AWS's default (TLS 1.0)")]);
    expect(
      violations(tlsMinimumVersion, gateway({ ...cert, "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": "ELBSecurityPolicy-2016-08" })),
    ).toEqual([expect.stringContaining("ELBSecurityPolicy-2016-08")]);
    expect(
      violations(
        tlsMinimumVersion,
        gateway({ ...cert, "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06" }),
      ),
    ).toEqual([]);
  });
});

describe("http-only-redirects", () => {
  const proxy: FakeResource = { type: TYPES.httpProxy, name: "http", propertyDependencies: { urlMap: ["redirect"] } };
  it("passes an HTTP proxy whose URL map only redirects to HTTPS", () => {
    expect(
      stackViolations(httpOnlyRedirects, [proxy, { type: TYPES.urlMap, name: "redirect", props: { defaultUrlRedirect: { httpsRedirect: true } } }]),
    ).toEqual([]);
  });
  it("fails an HTTP proxy that serves routes", () => {
    const serving = { type: TYPES.urlMap, name: "redirect", props: { defaultService: "bs", hostRules: [{ hosts: ["a.example.com"] }] } };
    expect(stackViolations(httpOnlyRedirects, [proxy, serving])).toEqual([expect.stringContaining("does not only redirect to HTTPS")]);
  });
});

describe("hosts-have-certificates", () => {
  const record = (host: string): FakeResource => ({ type: TYPES.recordSet, name: `rec-${host}`, props: { name: `${host}.`, type: "A" } });
  const entry = (hostname: string): FakeResource => ({
    type: TYPES.certificateMapEntry,
    name: `entry-${hostname}`,
    props: { hostname, certificates: ["projects/p/locations/global/certificates/c"] },
  });
  it("passes hosts with a certificate map entry, a wildcard one included", () => {
    expect(
      stackViolations(hostsHaveCertificates, [
        record("shop.example.com"),
        entry("shop.example.com"),
        record("a.apps.example.com"),
        entry("*.apps.example.com"),
      ]),
    ).toEqual([]);
  });
  it("fails a host that DNS points at the front door without a certificate", () => {
    expect(stackViolations(hostsHaveCertificates, [record("shop.example.com"), entry("www.example.com")])).toEqual([
      expect.stringContaining("shop.example.com points at the front door"),
    ]);
  });
  it("runs in a preview, where a new entry's certificate ids are not known yet", () => {
    const pending: FakeResource = {
      type: TYPES.certificateMapEntry,
      name: "entry-new",
      props: unknownCheckingProxy({ hostname: "new.example.com", certificates: unknownArrayValue }),
    };
    expect(stackViolations(hostsHaveCertificates, [record("new.example.com"), pending, record("bare.example.com")])).toEqual([
      expect.stringContaining("bare.example.com points at the front door"),
    ]);
  });
  it("checks AWS alias records against ACM certificate names", () => {
    const alias: FakeResource = { type: TYPES.route53Record, name: "a", props: { name: "shop.example.net", type: "A", aliases: [{}] } };
    const cert: FakeResource = {
      type: TYPES.acmCertificate,
      name: "c",
      props: { domainName: "api.example.net", subjectAlternativeNames: ["shop.example.net"], validationMethod: "DNS" },
    };
    expect(stackViolations(hostsHaveCertificates, [alias, cert])).toEqual([]);
    expect(stackViolations(hostsHaveCertificates, [alias])).toEqual([expect.stringContaining("no DNS-validated ACM certificate")]);
  });
});

describe("credentials-in-secret-fields", () => {
  const key = "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----";
  it("passes a CA key in a Kubernetes Secret and a kubeconfig in a provider", () => {
    expect(violations(credentialsInSecretFields, { type: TYPES.kubernetesSecret, name: "cacerts", props: { stringData: { "ca-key.pem": key } } })).toEqual([]);
    expect(
      violations(credentialsInSecretFields, { type: TYPES.kubernetesProvider, name: "p", props: { kubeconfig: "users:\n- user:\n    token: abc" } }),
    ).toEqual([]);
  });
  it("fails a key in a ConfigMap and a token in an annotation", () => {
    expect(violations(credentialsInSecretFields, { type: "kubernetes:core/v1:ConfigMap", name: "cm", props: { data: { key } } })).toEqual([
      expect.stringContaining("in data.key"),
    ]);
    expect(
      violations(credentialsInSecretFields, {
        type: "kubernetes:core/v1:Service",
        name: "svc",
        props: { metadata: { annotations: { kc: "users:\n- user:\n    token: abc" } } },
      }),
    ).toEqual([expect.stringContaining("metadata.annotations.kc")]);
  });
  it("still finds a key in a preview, where other fields are not known yet", () => {
    const props = unknownCheckingProxy({
      metadata: { name: "cm", namespace: unknownStringValue },
      data: { key, other: unknownStringValue },
      immutable: unknownBooleanValue,
    });
    expect(violations(credentialsInSecretFields, { type: "kubernetes:core/v1:ConfigMap", name: "cm", props })).toEqual([
      expect.stringContaining("in data.key"),
    ]);
  });
});

describe("stateful-resources-protected and root-key-protected", () => {
  it("passes protected addresses, certificates and root CA", () => {
    for (const type of [TYPES.globalAddress, TYPES.certificate, TYPES.dnsAuthorization, TYPES.rootCertificate, TYPES.accelerator])
      expect(violations(statefulResourcesProtected, { type, name: "x", protect: true })).toEqual([]);
    expect(violations(statefulResourcesProtected, { type: TYPES.acmCertificate, name: "c" })).toEqual([]);
  });
  it("fails an unprotected address and a delete-before-replace ACM certificate", () => {
    expect(violations(statefulResourcesProtected, { type: TYPES.globalAddress, name: "ip" })).toEqual([
      expect.stringContaining("is a global address and is not protected"),
    ]);
    expect(violations(statefulResourcesProtected, { type: TYPES.acmCertificate, name: "c", deleteBeforeReplace: true })).toEqual([
      expect.stringContaining("deleted before its replacement"),
    ]);
  });
  it("fails an unprotected root key and passes a protected one", () => {
    const root = (protect: boolean): FakeResource[] => [
      { type: TYPES.privateKey, name: "root-key", protect },
      { type: TYPES.rootCertificate, name: "root", protect: true, propertyDependencies: { privateKeyPem: ["root-key"] } },
    ];
    expect(stackViolations(rootKeyProtected, root(true))).toEqual([]);
    expect(stackViolations(rootKeyProtected, root(false))).toEqual([expect.stringContaining("root-key is the root CA's private key")]);
  });
});

describe("backends-not-all-drained and accelerator-serves", () => {
  it("passes a backend service with one cluster drained and fails one with all drained", () => {
    expect(violations(backendsNotAllDrained, { type: TYPES.backendService, name: "b", props: { backends: [zonal(0), zonal(0.5)] } })).toEqual([]);
    expect(violations(backendsNotAllDrained, { type: TYPES.backendService, name: "b", props: { backends: [zonal(0), zonal(0)] } })).toEqual([
      expect.stringContaining("every backend drained"),
    ]);
  });
  it("passes a listener with one serving region and fails one with every region drained", () => {
    const group = (name: string, dial: number, weight: number): FakeResource => ({
      type: TYPES.endpointGroup,
      name,
      props: { trafficDialPercentage: dial, endpointConfigurations: [{ weight }] },
      propertyDependencies: { listenerArn: ["l443"] },
    });
    const listener: FakeResource = { type: "aws:globalaccelerator/listener:Listener", name: "l443" };
    expect(stackViolations(acceleratorServes, [listener, group("us", 100, 255), group("eu", 0, 255)])).toEqual([]);
    expect(stackViolations(acceleratorServes, [listener, group("us", 100, 0), group("eu", 0, 255)])).toEqual([
      expect.stringContaining("every region of accelerator listener"),
    ]);
  });
});

describe("kubernetes-explicit-providers", () => {
  it("passes a resource with its cluster's provider and fails one on the default provider", () => {
    expect(violations(kubernetesExplicitProviders, { type: "kubernetes:core/v1:Namespace", name: "ns", provider: K8S_PROVIDER })).toEqual([]);
    expect(
      violations(kubernetesExplicitProviders, {
        type: "kubernetes:core/v1:Namespace",
        name: "ns",
        provider: "urn:pulumi:prod::fleetgate::pulumi:providers:kubernetes::default_4_34_2",
      }),
    ).toEqual([expect.stringContaining("default Kubernetes provider")]);
  });
});

describe("backends-health-checked", () => {
  it("passes a NEG backend service with a health check and an internet NEG one without", () => {
    expect(
      violations(backendsHealthChecked, {
        type: TYPES.backendService,
        name: "b",
        props: { backends: [zonal(1)], healthChecks: "projects/p/global/healthChecks/h" },
      }),
    ).toEqual([]);
    expect(
      violations(backendsHealthChecked, {
        type: TYPES.backendService,
        name: "i",
        props: { backends: [{ group: "projects/p/global/networkEndpointGroups/fg-onprem" }] },
      }),
    ).toEqual([]);
    // In a preview, a new health check's link is not known yet.
    expect(
      violations(backendsHealthChecked, {
        type: TYPES.backendService,
        name: "p",
        props: unknownCheckingProxy({ backends: [zonal(1)], healthChecks: unknownArrayValue }),
      }),
    ).toEqual([]);
  });
  it("fails a NEG backend service without a health check", () => {
    expect(violations(backendsHealthChecked, { type: TYPES.backendService, name: "b", props: { backends: [zonal(1)] } })).toEqual([
      expect.stringContaining("has no health check"),
    ]);
  });
});

describe("cloud-armor-required", () => {
  const service = (stack: string, securityPolicy?: string): FakeResource => ({
    type: TYPES.backendService,
    name: "b",
    stack,
    props: securityPolicy ? { securityPolicy } : {},
  });
  it("passes a prod backend with a policy and a dev backend without one", () => {
    expect(violations(cloudArmorRequired, service("prod", "edge"))).toEqual([]);
    expect(violations(cloudArmorRequired, service("dev"))).toEqual([]);
  });
  it("fails a backend without a policy in an environment that demands one, as configured", () => {
    expect(violations(cloudArmorRequired, service("prod"))).toEqual([expect.stringContaining("which prod requires")]);
    expect(violations(cloudArmorRequired, service("dev"), { environments: ["dev"] })).toEqual([expect.stringContaining("which dev requires")]);
  });
});

describe("the pack", () => {
  it("has unique rule names, each with a description and an enforcement level", () => {
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(rule.description.length).toBeGreaterThan(20);
      expect(rule.enforcementLevel).toBe("mandatory");
    }
  });
});
