import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { PROJECT_ROOT } from "../../offline/run-offline";
import { formatDiagnostic } from "../../spec/diagnostics";
import { planEnvironment, stackConfigFromFile } from "../../spec/index";
import { readEnvironmentFiles } from "../../spec/read-files";
import { planCase, type DiagnosticCase, type Want } from "./diagnostic-cases";
import { baseFixture, planFixture, type SpecFixture } from "./fixtures";

type Doc = Record<string, any>;
const doc = (f: SpecFixture, file: string, index: number): Doc => f.files[file]![index]! as Doc;
const cluster = (f: SpecFixture, i: number): Doc => (f.config.clusters as Doc[])[i]!;
const shopIngress = (f: SpecFixture) => doc(f, "shop/shop.yaml", 2).spec.template.spec;
const searchIngress = (f: SpecFixture) => doc(f, "search/search.yaml", 1).spec.template.spec;
const staticIp = (f: SpecFixture, file: string, index: number, value: string) =>
  void (doc(f, file, index).metadata.annotations = { "networking.gke.io/static-ip": value });
/** Lets namespace search claim routes on shop.example.com too. */
const shareShopHost = (f: SpecFixture) =>
  void (f.config.hostOwnership = [...(f.config.hostOwnership as Doc[]), { namespace: "search", domains: ["shop.example.com"] }]);
const adopt = (f: SpecFixture, ...addresses: { name: string; address: string }[]) => void ((f.config.gcp as Doc).adoptAddresses = addresses);

interface Case extends DiagnosticCase {
  wantErrors: Want[];
}

const cases: Case[] = [
  { description: "the base spec is valid", mutate: () => {}, wantErrors: [] },

  // --- Environment: schema rules -------------------------------------------------------------
  {
    description: "an unknown fleetgate: key is rejected with a suggestion",
    mutate: (f) => {
      f.config.cluster = [];
    },
    wantErrors: [{ path: "fleetgate:cluster", message: 'did you mean "clusters"' }],
  },
  {
    description: "a missing required key is named",
    mutate: (f) => {
      delete f.config.dns;
    },
    wantErrors: [{ path: "fleetgate:dns", message: "is missing" }],
  },
  {
    description: "a cluster name with upper-case letters is rejected",
    mutate: (f) => {
      cluster(f, 0).name = "US";
    },
    wantErrors: [{ path: "fleetgate:clusters[0].name", message: 'use "us"' }],
  },
  {
    description: "a misspelt provider gets a suggestion",
    mutate: (f) => {
      cluster(f, 0).provider = "gkee";
    },
    wantErrors: [{ path: "fleetgate:clusters[0].provider", message: 'did you mean "gke"' }],
  },
  {
    description: "an unknown cluster field gets a suggestion",
    mutate: (f) => {
      cluster(f, 0).netwrok = "x";
    },
    wantErrors: [{ path: "fleetgate:clusters[0].netwrok", message: 'did you mean "network"' }],
  },
  {
    description: "an unknown access kind lists the kinds",
    mutate: (f) => {
      cluster(f, 0).access = { kind: "gcloud" };
    },
    wantErrors: [{ path: "fleetgate:clusters[0].access.kind", message: '"kubeconfig", "gke" or "eks"' }],
  },
  {
    description: "a negative or too large cluster weight is rejected",
    mutate: (f) => {
      doc(f, "shop/shop.yaml", 0).spec.clusters[0].fleetgate.weight = -5;
    },
    wantErrors: [{ path: "spec.clusters[0].fleetgate.weight", message: "use at least 0" }],
  },
  {
    description: "a DNS zone must say where it lives, once",
    mutate: (f) => {
      (f.config.dns as Doc).zones[0].route53 = { hostedZoneId: "Z123" };
    },
    wantErrors: [{ path: "fleetgate:dns.zones[0]", message: "exactly one" }],
  },
  {
    description: "a wildcard certificate must be a wildcard",
    mutate: (f) => {
      f.config.tls = { wildcardCertificates: ["apps.example.com"] };
    },
    wantErrors: [{ path: "fleetgate:tls.wildcardCertificates[0]", message: "*.apps.example.com" }],
  },
  {
    description: "kubeconfigs in plain text are refused",
    mutate: (f) => {
      cluster(f, 0).access = { kind: "kubeconfig" };
      f.config.kubeconfigs = { us: "apiVersion: v1" };
    },
    wantErrors: [{ path: "fleetgate:kubeconfigs", message: "pulumi config set --secret --path 'fleetgate:kubeconfigs.us'" }],
  },
  {
    description: "a root CA key in plain text is refused with the command for a single value",
    mutate: (f) => {
      f.config.trust = { root: { source: "existing" } };
      f.config.rootCaCert = "-----BEGIN CERTIFICATE-----";
      f.config.rootCaKey = "-----BEGIN PRIVATE KEY-----";
    },
    wantErrors: [{ path: "fleetgate:rootCaKey", message: "pulumi config set --secret fleetgate:rootCaKey < <file>" }],
  },
  {
    description: "a verification secret held as a Pulumi secret is accepted",
    mutate: (f) => {
      f.config.verificationSecret = "0123456789abcdef0123456789abcdef";
      f.secure.push("verificationSecret");
    },
    wantErrors: [],
  },
  {
    description: "a verification secret in plain text is refused with the command that sets it as a secret",
    mutate: (f) => void (f.config.verificationSecret = "0123456789abcdef0123456789abcdef"),
    wantErrors: [{ path: "fleetgate:verificationSecret", message: "pulumi config set --secret fleetgate:verificationSecret" }],
  },
  {
    // Offline a secret is an opaque placeholder; under `pulumi up` the engine gives the value, which the same rule checks.
    description: "a verification secret shorter than 32 characters is refused with a command that sets a random one",
    mutate: (f) => void (f.config.verificationSecret = "short"),
    wantErrors: [
      { path: "fleetgate:verificationSecret", message: "pulumi config set --secret fleetgate:verificationSecret" },
      { path: "fleetgate:verificationSecret", message: "openssl rand -hex 32" },
    ],
  },

  // --- Environment: cross-checks -------------------------------------------------------------
  {
    description: "an unknown region gets a suggestion",
    mutate: (f) => {
      cluster(f, 0).region = "us-centrl1";
      cluster(f, 0).zones = ["us-centrl1-a"];
      doc(f, "shop/shop.yaml", 0).spec.clusters[0].link = "us-centrl1/us";
      doc(f, "shop/shop.yaml", 1).spec.clusters[0].link = "us-centrl1/us";
      f.files["search/search.yaml"]![0]!.spec = { ...(doc(f, "search/search.yaml", 0).spec as Doc), fleetgate: undefined };
    },
    wantErrors: [{ path: "fleetgate:clusters[0].region", message: 'did you mean "us-central1"' }],
  },
  {
    description: "a region of the other cloud suggests the provider, not a look-alike region",
    mutate: (f) => {
      cluster(f, 1).region = "eu-west-1";
      cluster(f, 1).zones = ["eu-west-1a"];
    },
    wantErrors: [{ path: "fleetgate:clusters[1].region", message: 'it is an AWS region: is the cluster\'s provider "eks"?' }],
  },
  {
    description: "a zone outside the cluster's region is rejected",
    mutate: (f) => {
      cluster(f, 1).zones = ["us-central1-a"];
    },
    wantErrors: [{ path: "fleetgate:clusters[1].zones[0]", message: "not a zone of europe-west1" }],
  },
  {
    description: "an EKS zone is written without a dash",
    mutate: (f) => {
      cluster(f, 2).provider = "eks";
      cluster(f, 2).region = "ap-northeast-1";
      cluster(f, 2).zones = ["ap-northeast-1-a"];
      cluster(f, 2).access = { kind: "eks" };
    },
    wantErrors: [{ path: "fleetgate:clusters[2].zones[0]", message: "ap-northeast-1a" }],
  },
  {
    description: "duplicate cluster names are rejected",
    mutate: (f) => {
      cluster(f, 2).name = "us";
    },
    wantErrors: [{ path: "fleetgate:clusters[2].name", message: "already the name of clusters[0]" }],
  },
  {
    description: "a GKE cluster behind the GCP front door must list zones",
    mutate: (f) => {
      cluster(f, 2).zones = [];
    },
    wantErrors: [{ path: "fleetgate:clusters[2].zones", message: "GKE makes the gateway's NEGs only in zones with nodes" }],
  },
  {
    description: "a GKE access for an EKS cluster is rejected",
    mutate: (f) => {
      cluster(f, 2).provider = "eks";
      cluster(f, 2).region = "ap-northeast-1";
      cluster(f, 2).zones = ["ap-northeast-1a"];
    },
    wantErrors: [{ path: "fleetgate:clusters[2].access.kind", message: 'use kind "eks"' }],
  },
  {
    description: "kubeconfig access needs the secret kubeconfig",
    mutate: (f) => {
      cluster(f, 2).access = { kind: "kubeconfig" };
    },
    wantErrors: [{ path: "fleetgate:clusters[2].access", message: "fleetgate:kubeconfigs.asia" }],
  },
  {
    description: "kubeconfig access with a secret kubeconfig is valid",
    mutate: (f) => {
      cluster(f, 2).access = { kind: "kubeconfig" };
      f.config.kubeconfigs = { asia: "apiVersion: v1" };
      f.secure.push("kubeconfigs");
    },
    wantErrors: [],
  },
  {
    description: "the GCP front door needs its settings",
    mutate: (f) => {
      delete f.config.gcp;
    },
    wantErrors: [{ path: "fleetgate:frontDoor", message: "fleetgate:gcp.project" }],
  },
  {
    description: "a Route 53 zone cannot serve the GCP front door",
    mutate: (f) => {
      (f.config.dns as Doc).zones = [{ domain: "example.com", route53: { hostedZoneId: "Z0123456789ABC" } }];
    },
    wantErrors: [{ path: "fleetgate:dns.zones[0].route53", message: "use cloudDns" }],
  },
  {
    description: "an intermediate's path length must fit under the root's",
    mutate: (f) => {
      f.config.trust = { intermediate: { pathLength: 1 } };
    },
    wantErrors: [{ path: "fleetgate:trust.intermediate.pathLength", message: "at most 0; a longer chain needs a new root" }],
  },
  {
    description: "an existing root CA needs its certificate and key",
    mutate: (f) => {
      f.config.trust = { root: { source: "existing" } };
    },
    wantErrors: [
      { path: "fleetgate:trust.root.source", message: "fleetgate:rootCaCert" },
      { path: "fleetgate:trust.root.source", message: "fleetgate:rootCaKey" },
    ],
  },
  {
    description: "installing Istio needs a pinned version",
    mutate: (f) => {
      f.config.mesh = {};
    },
    wantErrors: [{ path: "fleetgate:mesh", message: "fleetgate:mesh.istio.version" }],
  },
  {
    description: "gateway autoscaling bounds are checked as the environment and each cluster combine them",
    mutate: (f) => {
      f.config.gateway = { autoscaling: { minReplicas: 12 } };
      cluster(f, 1).gateway = { autoscaling: { minReplicas: 3, maxReplicas: 2 } };
      cluster(f, 0).gateway = { autoscaling: { maxReplicas: 20 } };
    },
    wantErrors: [
      { path: "fleetgate:gateway.autoscaling", message: "minReplicas 12, above its maxReplicas 10" },
      { path: "fleetgate:clusters[1].gateway.autoscaling", message: "minReplicas 3, above its maxReplicas 2" },
    ],
  },
  {
    description: "a cluster that turns on autoscaling the environment leaves off is checked with the environment's bounds",
    mutate: (f) => {
      f.config.gateway = { autoscaling: { enabled: false, minReplicas: 8, maxReplicas: 3 } };
      cluster(f, 1).gateway = { autoscaling: { enabled: true } };
    },
    wantErrors: [{ path: "fleetgate:clusters[1].gateway.autoscaling", message: "minReplicas 8, above its maxReplicas 3" }],
  },
  {
    description: "an Istio older than the gateways need is refused",
    mutate: (f) => {
      f.config.mesh = { istio: { version: "1.22.3" } };
    },
    wantErrors: [{ path: "fleetgate:mesh.istio.version", message: "older than 1.26" }],
  },
  {
    description: "an accelerator front door cannot serve a non-AWS cluster",
    mutate: (f) => {
      f.config.frontDoor = "aws";
      (f.config.dns as Doc).zones = [{ domain: "example.com", route53: { hostedZoneId: "Z0123456789ABC" } }];
    },
    wantErrors: [0, 1].map((i) => ({ path: `fleetgate:clusters[${i}].provider`, message: 'set fleetgate:aws.mode to "latency-dns"' })),
  },
  {
    description: "a non-GKE cluster behind the GCP front door needs a public gateway name",
    mutate: (f) => {
      cluster(f, 1).provider = "other";
      cluster(f, 1).access = { kind: "kubeconfig" };
      f.config.kubeconfigs = { eu: "x" };
      f.secure.push("kubeconfigs");
    },
    wantErrors: [{ path: "fleetgate:clusters[1].gateway", message: "internet NEG" }],
  },
  {
    description: "an environment name that is not a DNS label is rejected",
    mutate: (f) => {
      f.environment = "Prod_EU";
    },
    wantErrors: [{ path: "", message: 'stack) name "Prod_EU"' }],
  },

  // --- Documents: schema rules ---------------------------------------------------------------
  {
    description: "an unknown kind gets a suggestion",
    mutate: (f) => {
      doc(f, "shop/shop.yaml", 1).kind = "MultiClusterServise";
    },
    wantErrors: [{ path: "kind", message: 'did you mean "MultiClusterService"' }],
  },
  {
    description: "a service name must start with a letter, as a Kubernetes Service name does",
    mutate: (f) => {
      doc(f, "shop/shop.yaml", 1).metadata.name = "3cart";
      shopIngress(f).rules[0].http.paths[0].backend.serviceName = "3cart";
    },
    wantErrors: [{ path: "metadata.name", message: "must start with a letter" }],
  },
  {
    description: "a service without ports is rejected",
    mutate: (f) => {
      doc(f, "shop/shop.yaml", 1).spec.template.spec.ports = [];
    },
    wantErrors: [{ path: "spec.template.spec.ports", message: "add the port" }],
  },
  {
    description: "a rule without a host is rejected with the reason",
    mutate: (f) => {
      delete shopIngress(f).rules[0].host;
    },
    wantErrors: [{ path: "spec.template.spec.rules[0].host", message: "one load balancer" }],
  },
  {
    description: "an invalid host name is explained",
    mutate: (f) => {
      shopIngress(f).rules[0].host = "shop..example.com";
    },
    wantErrors: [{ path: "spec.template.spec.rules[0].host", message: "single dots" }],
  },
  {
    description: "a wildcard that is not the leftmost label is rejected",
    mutate: (f) => {
      searchIngress(f).rules[1].host = "api.*.example.com";
    },
    wantErrors: [{ path: "spec.template.spec.rules[1].host", message: "*.example.com" }],
  },
  {
    description: "a duration must be written like 30s",
    mutate: (f) => {
      doc(f, "search/search.yaml", 0).spec.fleetgate.timeout = "30 seconds";
    },
    wantErrors: [{ path: "spec.fleetgate.timeout", message: '"30s"' }],
  },
  {
    description: "a zero duration is refused",
    mutate: (f) => {
      doc(f, "search/search.yaml", 0).spec.fleetgate.timeout = "0s";
    },
    wantErrors: [{ path: "spec.fleetgate.timeout", message: "must be longer than 0" }],
  },
  {
    description: "an affinity cookie cannot outlive GCP's two weeks",
    mutate: (f) => {
      f.files["shop/shop.yaml"]!.push({
        apiVersion: "cloud.google.com/v1",
        kind: "BackendConfig",
        metadata: { name: "web-bc", namespace: "shop" },
        spec: { sessionAffinity: { affinityType: "GENERATED_COOKIE", affinityCookieTtlSec: 2_000_000 } },
      });
    },
    wantErrors: [{ path: "sessionAffinity.affinityCookieTtlSec", message: "1209600" }],
  },
  {
    description: "a duration written as a bare number is asked for its unit",
    mutate: (f) => {
      doc(f, "search/search.yaml", 0).spec.fleetgate.timeout = 10;
    },
    wantErrors: [{ path: "spec.fleetgate.timeout", message: '10 has no unit; write a duration like "10s"' }],
  },
  {
    description: "a rewrite prefix must be an absolute path",
    mutate: (f) => {
      shopIngress(f).rules[0].http.paths[0].fleetgate = { rewrite: { prefix: "basket/" } };
    },
    wantErrors: [{ path: "fleetgate.rewrite.prefix", message: '"basket/" does not start with "/"; write it as "/basket/"' }],
  },
  {
    description: "a port given as a map says what a port is",
    mutate: (f) => {
      doc(f, "shop/shop.yaml", 1).spec.template.spec.ports[0].targetPort = { number: 8080 };
    },
    wantErrors: [{ path: "ports[0].targetPort", message: "expected a number or a string, found a map" }],
  },
  {
    description: "a quoted port number is taken for a port name, and the error says so",
    mutate: (f) => {
      shopIngress(f).rules[0].http.paths[0].backend.servicePort = "80";
    },
    wantErrors: [{ path: "backend.servicePort", message: "a quoted number is read as a port name, so write 80 without quotes" }],
  },
  {
    description: "a port number out of range in a number-or-name field says the range",
    mutate: (f) => {
      doc(f, "shop/shop.yaml", 1).spec.template.spec.ports[0].targetPort = 0;
    },
    wantErrors: [{ path: "ports[0].targetPort", message: "is 0; use at least 1" }],
  },
  {
    description: "a misspelt required number-or-name field says it is required and suggests the name",
    mutate: (f) => {
      const backend = shopIngress(f).rules[0].http.paths[0].backend;
      backend.servicPort = backend.servicePort;
      delete backend.servicePort;
    },
    wantErrors: [
      { path: "backend.servicePort", message: "is required; give a number or a string" },
      { path: "backend.servicPort", message: 'did you mean "servicePort"' },
    ],
  },
  {
    description: "an empty cluster list is refused, not read as every cluster or none",
    mutate: (f) => {
      doc(f, "shop/shop.yaml", 1).spec.clusters = [];
    },
    wantErrors: [{ path: "spec.clusters", message: "lists no cluster; leave clusters out" }],
  },
  {
    description: "a cluster entry cannot both drain and carry a weight",
    mutate: (f) => {
      doc(f, "shop/shop.yaml", 0).spec.clusters[0].fleetgate = { drain: true, weight: 50 };
    },
    wantErrors: [{ path: "spec.clusters[0].fleetgate.weight", message: "beside drain: true" }],
  },
  {
    description: "labels written straight under selector get one error that shows matchLabels",
    mutate: (f) => {
      doc(f, "shop/shop.yaml", 1).spec.clusters[0] = { selector: { region: "eu" } };
    },
    wantErrors: [{ path: "spec.clusters[0].selector", message: 'labels go under matchLabels: selector: { matchLabels: { region: "eu" } }' }],
  },
  {
    description: "an empty selector selects every cluster, as in Kubernetes",
    mutate: (f) => {
      doc(f, "shop/shop.yaml", 1).spec.clusters[0] = { selector: {} };
    },
    wantErrors: [],
  },
  {
    description: "a cluster entry needs exactly one of link and selector",
    mutate: (f) => {
      doc(f, "shop/shop.yaml", 1).spec.clusters[0] = {};
    },
    wantErrors: [{ path: "spec.clusters[0]", message: "link` and `selector`" }],
  },

  // --- Documents: cross-document checks ------------------------------------------------------
  {
    description: "a path with a * in the middle is rejected",
    mutate: (f) => {
      shopIngress(f).rules[0].http.paths[0].path = "/cart/*/items";
    },
    wantErrors: [{ path: "paths[0].path", message: 'not a final "/*"' }],
  },
  {
    description: "a link to an unknown cluster gets a suggestion",
    mutate: (f) => {
      doc(f, "shop/shop.yaml", 1).spec.clusters[0].link = "us-central1/uss";
    },
    wantErrors: [{ path: "spec.clusters[0].link", message: 'did you mean "us"' }],
  },
  {
    description: "a link with the wrong region names the right one",
    mutate: (f) => {
      doc(f, "shop/shop.yaml", 1).spec.clusters[0].link = "us-east1/us";
    },
    wantErrors: [{ path: "spec.clusters[0].link", message: 'write "us-central1/us"' }],
  },
  {
    description: "a selector that matches no cluster is rejected",
    mutate: (f) => {
      doc(f, "search/search.yaml", 0).spec.clusters[0].selector.matchLabels = { tier: "platinum" };
    },
    wantErrors: [{ path: "spec.clusters[0].selector", message: "tier=platinum" }],
  },
  {
    description: "weights that are all zero leave nobody serving",
    mutate: (f) => {
      for (const c of doc(f, "shop/shop.yaml", 0).spec.clusters) c.fleetgate.weight = 0;
    },
    wantErrors: [{ path: "spec.clusters", message: "keep at least one cluster" }],
  },
  {
    description: "an admin drain that empties a service is reported with its cause",
    mutate: (f) => {
      cluster(f, 0).drain = true;
    },
    wantErrors: [{ path: "spec.clusters", message: "us drained by the admin" }],
  },
  {
    description: "failover to a region that does not serve the service is rejected",
    mutate: (f) => {
      doc(f, "search/search.yaml", 0).spec.fleetgate.failover = ["us-central1", "asia-east1"];
    },
    wantErrors: [{ path: "spec.fleetgate.failover[1]", message: "not a region of any cluster that serves search/search" }],
  },
  {
    description: "a backend naming an unknown service gets a suggestion",
    mutate: (f) => {
      shopIngress(f).rules[0].http.paths[0].backend.serviceName = "carts";
    },
    wantErrors: [{ path: "backend.serviceName", message: 'did you mean "cart"' }],
  },
  {
    description: "a backend naming an unknown port lists the ports",
    mutate: (f) => {
      searchIngress(f).rules[0].http.paths[0].backend.servicePort = "grpc";
    },
    wantErrors: [{ path: "backend.servicePort", message: "its ports are 8080 (http)" }],
  },
  {
    description: "a split that gives away more than 100% is rejected",
    mutate: (f) => {
      shopIngress(f).rules[0].http.paths[0].fleetgate = {
        split: [
          { serviceName: "web", servicePort: 80, weight: 60 },
          { serviceName: "web", servicePort: 80, weight: 50 },
        ],
      };
    },
    wantErrors: [
      { path: "fleetgate.split", message: "110%" },
      { path: "fleetgate.split[1]", message: "name each backend once" },
    ],
  },
  {
    description: "the same host and path claimed by two teams is rejected at the second",
    mutate: (f) => {
      f.config.hostOwnership = [...(f.config.hostOwnership as Doc[]), { namespace: "search", domains: ["shop.example.com"] }];
      searchIngress(f).rules.push({ host: "shop.example.com", http: { paths: [{ path: "/cart/*", backend: { serviceName: "search", servicePort: 8080 } }] } });
    },
    wantErrors: [{ file: "shop/shop.yaml", path: "paths[0].path", message: "already claimed by search/search" }],
  },
  {
    description: "the same conditions in another order claim the same requests",
    mutate: (f) => {
      const paths = shopIngress(f).rules[0].http.paths;
      paths[0].fleetgate = {
        match: {
          headers: [
            { name: "x-a", value: "1" },
            { name: "x-a", type: "Present" },
          ],
        },
      };
      paths.push({
        path: "/cart/*",
        backend: { serviceName: "web", servicePort: 80 },
        fleetgate: {
          match: {
            headers: [
              { name: "x-a", type: "Present" },
              { name: "x-a", value: "1" },
            ],
          },
        },
      });
    },
    wantErrors: [{ path: "paths[1].path", message: "already claimed by shop/shop" }],
  },
  {
    description: "GET and POST of one host and path may belong to two ingresses",
    mutate: (f) => {
      shareShopHost(f);
      shopIngress(f).rules[0].http.paths[0].fleetgate = { match: { method: "GET" } };
      searchIngress(f).rules.push({
        host: "shop.example.com",
        http: { paths: [{ path: "/cart/*", backend: { serviceName: "search", servicePort: 8080 }, fleetgate: { match: { method: "POST" } } }] },
      });
    },
    wantErrors: [],
  },
  {
    description: "the same method of one host and path claimed by two ingresses is refused at the second, naming the method",
    mutate: (f) => {
      shareShopHost(f);
      shopIngress(f).rules[0].http.paths[0].fleetgate = { match: { method: "POST" } };
      searchIngress(f).rules.push({
        host: "shop.example.com",
        http: { paths: [{ path: "/cart/*", backend: { serviceName: "search", servicePort: 8080 }, fleetgate: { match: { method: "POST" } } }] },
      });
    },
    wantErrors: [{ file: "shop/shop.yaml", path: "paths[0].path", message: "shop.example.com/cart/* for POST is already claimed by search/search" }],
  },
  {
    description: "a method is upper-case, and a lower-case one is answered with its upper-case name",
    mutate: (f) => {
      shopIngress(f).rules[0].http.paths[0].fleetgate = { match: { method: "get" } };
    },
    wantErrors: [
      {
        path: "fleetgate.match.method",
        message: '"get" is not one of "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE" or "PATCH"; did you mean "GET"?',
      },
    ],
  },
  {
    description: "a method Gateway API cannot match is refused with the methods it can",
    mutate: (f) => {
      shopIngress(f).rules[0].http.paths[0].fleetgate = { match: { method: "PURGE" } };
    },
    wantErrors: [{ path: "fleetgate.match.method", message: '"PURGE" is not one of "GET", "HEAD"' }],
  },
  {
    description: "a host claimed by a namespace the admin did not allow is rejected",
    mutate: (f) => {
      searchIngress(f).rules[0].host = "shop.example.com";
    },
    wantErrors: [{ path: "rules[0].host", message: "namespace search may not claim" }],
  },
  {
    description: "a wildcard host may be claimed under the same wildcard the admin allows",
    mutate: (f) => {
      searchIngress(f).rules[1].host = "*.search.example.com";
    },
    wantErrors: [],
  },
  {
    description: "a wildcard host is not covered by an exact host the admin allows",
    mutate: (f) => {
      f.config.hostOwnership = [
        { namespace: "shop", domains: ["shop.example.com"] },
        { namespace: "search", domains: ["search.example.com", "api.search.example.com"] },
      ];
      searchIngress(f).rules[1].host = "*.search.example.com";
    },
    wantErrors: [{ path: "rules[1].host", message: 'namespace search may not claim "*.search.example.com"' }],
  },
  {
    description: "two hosts that differ only in dots and dashes are rejected, since resource names are made from hosts",
    mutate: (f) => {
      searchIngress(f).rules.push(
        ...["eu.api.search.example.com", "eu-api.search.example.com"].map((host) => ({
          host,
          http: { paths: [{ path: "/*", backend: { serviceName: "search", servicePort: 8080 } }] },
        })),
      );
    },
    wantErrors: [{ path: "rules[3].host", message: '"eu-api.search.example.com" would be given the same resource names as "eu.api.search.example.com"' }],
  },
  {
    description: "a wildcard host and a host named wildcard are told apart",
    mutate: (f) => {
      searchIngress(f).rules.push(
        ...["*.search.example.com", "wildcard.search.example.com"].map((host) => ({
          host,
          http: { paths: [{ path: "/*", backend: { serviceName: "search", servicePort: 8080 } }] },
        })),
      );
    },
    wantErrors: [{ path: "rules[3].host", message: "same resource names" }],
  },
  {
    description: "a host domain the admin gives outside every DNS zone is rejected in the stack file",
    mutate: (f) => {
      f.config.hostOwnership = [{ namespace: "shop", domains: ["shop.example.org"] }, ...(f.config.hostOwnership as Doc[]).slice(1)];
      shopIngress(f).rules[0].host = "shop.example.org";
    },
    wantErrors: [{ file: "Pulumi.test.yaml", path: "fleetgate:hostOwnership[0].domains[0]", message: "none of the DNS zones (example.com)" }],
  },
  {
    description: "two default backends for one host are rejected",
    mutate: (f) => {
      f.config.hostOwnership = [...(f.config.hostOwnership as Doc[]), { namespace: "shop", domains: ["search.example.com"] }];
      shopIngress(f).rules.push({ host: "search.example.com", http: { paths: [{ path: "/shop/*", backend: { serviceName: "web", servicePort: 80 } }] } });
      searchIngress(f).backend = { serviceName: "search", servicePort: 8080 };
    },
    wantErrors: [{ path: "spec.template.spec.backend", message: "second default backend for host search.example.com" }],
  },
  {
    description: "two services of the same name are rejected",
    mutate: (f) => {
      doc(f, "shop/shop.yaml", 1).metadata.name = "web";
      shopIngress(f).rules[0].http.paths[0].backend.serviceName = "web";
    },
    wantErrors: [{ path: "metadata.name", message: "MultiClusterService shop/web is already defined" }],
  },
  {
    description: "a backend-config annotation GKE would not read is refused, not ignored",
    mutate: (f) => {
      doc(f, "shop/shop.yaml", 0).metadata.annotations = { "cloud.google.com/backend-config": '{"defualt": "web-bc", "ports": {"80": 7}}' };
    },
    wantErrors: [
      { path: "cloud.google.com/backend-config", message: 'has the field "defualt", which GKE does not read; did you mean "default"' },
      { path: "cloud.google.com/backend-config", message: 'maps port "80" to 7' },
    ],
  },
  {
    description: "a backend-config annotation must be a JSON object",
    mutate: (f) => {
      doc(f, "shop/shop.yaml", 0).metadata.annotations = { "cloud.google.com/backend-config": '"web-bc"' };
    },
    wantErrors: [{ path: "cloud.google.com/backend-config", message: "not an object" }],
  },
  {
    description: "a BackendConfig reference must resolve",
    mutate: (f) => {
      doc(f, "shop/shop.yaml", 0).metadata.annotations = { "cloud.google.com/backend-config": '{"default": "web-bc"}' };
    },
    wantErrors: [{ path: "cloud.google.com/backend-config", message: 'BackendConfig "web-bc"' }],
  },
  // --- networking.gke.io/static-ip and fleetgate:gcp.adoptAddresses (spec/static-ip.ts) ---------------
  {
    description: "a static IP naming the environment's own address is accepted",
    mutate: (f) => {
      staticIp(f, "shop/shop.yaml", 2, "fg-test");
    },
    wantErrors: [],
  },
  {
    description: "a static IP naming an adopted address by name, or by IP in another spelling, is accepted",
    mutate: (f) => {
      adopt(f, { name: "shop-ip", address: "203.0.113.10" }, { name: "search-v6", address: "2001:db8::10" });
      staticIp(f, "shop/shop.yaml", 2, "shop-ip");
      staticIp(f, "search/search.yaml", 1, "2001:DB8:0:0::10");
    },
    wantErrors: [],
  },
  {
    description: "a static IP naming an address nobody adopted is refused with the stack-file lines that adopt it",
    mutate: (f) => {
      staticIp(f, "shop/shop.yaml", 2, "my-ip");
    },
    wantErrors: [
      { path: "networking.gke.io/static-ip", message: "to stacks/Pulumi.test.yaml" },
      { path: "networking.gke.io/static-ip", message: "    adoptAddresses:\n      - name: my-ip\n        address: <its IP>" },
      { path: "networking.gke.io/static-ip", message: "gcloud compute addresses describe my-ip --global --project acme-test" },
    ],
  },
  {
    description: "a static IP given as an IP nobody adopted is refused with the lines that adopt it, and the adopted ones listed",
    mutate: (f) => {
      adopt(f, { name: "shop-ip", address: "203.0.113.10" });
      staticIp(f, "shop/shop.yaml", 2, "198.51.100.7");
    },
    wantErrors: [
      { path: "networking.gke.io/static-ip", message: "address: 198.51.100.7" },
      { path: "networking.gke.io/static-ip", message: "the adopted ones are shop-ip (203.0.113.10)" },
    ],
  },
  {
    description: "a static IP that is neither an IP nor an address name is refused",
    mutate: (f) => {
      staticIp(f, "shop/shop.yaml", 2, "Shop_IP");
    },
    wantErrors: [{ path: "networking.gke.io/static-ip", message: '"Shop_IP" is neither an IP address nor the name of a global address' }],
  },
  {
    description: "two ingresses serving one host from different addresses are refused, naming the other",
    mutate: (f) => {
      adopt(f, { name: "shop-ip", address: "203.0.113.10" });
      f.config.hostOwnership = [...(f.config.hostOwnership as Doc[]), { namespace: "shop", domains: ["search.example.com"] }];
      shopIngress(f).rules.push({ host: "search.example.com", http: { paths: [{ path: "/shop/*", backend: { serviceName: "web", servicePort: 80 } }] } });
      staticIp(f, "shop/shop.yaml", 2, "shop-ip");
      staticIp(f, "search/search.yaml", 1, "fg-test");
    },
    wantErrors: [
      {
        path: "networking.gke.io/static-ip",
        message: 'for host search.example.com, which search/search (stacks/test/search/search.yaml:31) serves from address "fg-test"',
      },
    ],
  },
  {
    description: "the environment's own address cannot be adopted",
    mutate: (f) => {
      adopt(f, { name: "fg-test", address: "203.0.113.10" });
    },
    wantErrors: [{ file: "Pulumi.test.yaml", path: "fleetgate:gcp.adoptAddresses[0].name", message: "second forwarding rule [gcp.forwarding-rule-ports]" }],
  },
  {
    description: "an adopted address has a GCP address name and holds an IP",
    mutate: (f) => {
      adopt(f, { name: "a-ip", address: "203.0.113.300" }, { name: "Bad_Name", address: "203.0.113.9" });
    },
    wantErrors: [
      { path: "fleetgate:gcp.adoptAddresses[0].address", message: "is not an IPv4 or IPv6 address" },
      { path: "fleetgate:gcp.adoptAddresses[1].name", message: "is not a GCP address name" },
    ],
  },
  {
    description: "each address is adopted once, by name and by IP",
    mutate: (f) => {
      adopt(f, { name: "a-ip", address: "2001:db8::10" }, { name: "b-ip", address: "2001:db8::10" }, { name: "a-ip", address: "203.0.113.9" });
    },
    wantErrors: [
      { path: "fleetgate:gcp.adoptAddresses[1].address", message: "already the address of adoptAddresses[0] (a-ip)" },
      { path: "fleetgate:gcp.adoptAddresses[2].name", message: '"a-ip" is already adoptAddresses[0]' },
    ],
  },
  {
    description: "a redirect must change the host or the path, and cannot replace both path and prefix",
    mutate: (f) => {
      const paths = searchIngress(f).rules[1].http.paths;
      paths.push({ path: "/same", fleetgate: { redirect: { scheme: "https" } } }, { path: "/both/*", fleetgate: { redirect: { path: "/x", prefix: "/y/" } } });
    },
    wantErrors: [
      { path: "fleetgate.redirect", message: "back to the same URL" },
      { path: "fleetgate.redirect.prefix", message: "keep one" },
    ],
  },
  {
    description: "the GCP front door cannot redirect to plain http",
    mutate: (f) => {
      searchIngress(f).rules[1].http.paths.push({ path: "/plain", fleetgate: { redirect: { scheme: "http", host: "example.com" } } });
    },
    wantErrors: [{ path: "fleetgate.redirect.scheme", message: "which the GCP front door cannot answer with" }],
  },
  {
    description: "the GCP front door cannot match a regular expression",
    mutate: (f) => {
      shopIngress(f).rules[0].http.paths[0].fleetgate = { match: { headers: [{ name: "x-user", type: "RegularExpression", value: "^bot" }] } };
    },
    wantErrors: [{ path: "fleetgate.match.headers[0].type", message: "cannot match [gcp.no-regex]; use Exact or Present" }],
  },
  {
    description: "a path cannot both redirect and forward",
    mutate: (f) => {
      shopIngress(f).rules[0].http.paths[0].fleetgate = { redirect: { path: "/basket" } };
    },
    wantErrors: [{ path: "fleetgate.redirect", message: "either redirects or forwards" }],
  },
  {
    description: "a Present match takes no value",
    mutate: (f) => {
      shopIngress(f).rules[0].http.paths[0].fleetgate = { match: { headers: [{ name: "x-beta", type: "Present", value: "1" }] } };
    },
    wantErrors: [{ path: "headers[0].value", message: "Present match" }],
  },
  {
    description: "an exact path cannot have a prefix rewrite",
    mutate: (f) => {
      shopIngress(f).rules[0].http.paths[0].path = "/cart";
      shopIngress(f).rules[0].http.paths[0].fleetgate = { rewrite: { prefix: "/" } };
    },
    wantErrors: [{ path: "paths[0].fleetgate", message: "exact path" }],
  },
  {
    description: "a path under the prefix Fleetgate reserves for health checks is refused",
    mutate: (f) => {
      shopIngress(f).rules[0].http.paths[0].path = "/.well-known/fleetgate/health/*";
    },
    wantErrors: [
      { path: "paths[0].path", message: '"/.well-known/fleetgate/health/*" lies under /.well-known/fleetgate/, which Fleetgate reserves on every host' },
    ],
  },
  {
    description: "a rewrite or redirect into the reserved prefix is refused",
    mutate: (f) => {
      shopIngress(f).rules[0].http.paths[0].fleetgate = { rewrite: { prefix: "/.well-known/fleetgate/" } };
      searchIngress(f).rules[1].http.paths.push({ path: "/old", fleetgate: { redirect: { path: "/.well-known/fleetgate" } } });
    },
    wantErrors: [
      { path: "fleetgate.rewrite.prefix", message: "rewrite to another path" },
      { path: "fleetgate.redirect.path", message: "redirect to another path" },
    ],
  },
  {
    description: "a path that only covers the reserved prefix, like /.well-known/*, is valid",
    mutate: (f) => {
      shopIngress(f).rules[0].http.paths.push({ path: "/.well-known/*", backend: { serviceName: "web", servicePort: 80 } });
    },
    wantErrors: [],
  },
  {
    description: "a GKE cluster in another project than the GCP front door is refused (NEGs attach within one project)",
    mutate: (f) => {
      cluster(f, 1).access = { kind: "gke", project: "acme-other" };
    },
    wantErrors: [{ path: "fleetgate:clusters[1].access.project", message: "attaches a cluster's network endpoint groups only within one project" }],
  },
  {
    description: "a route cannot change a header the load balancer owns, or one with a reserved prefix, or an invalid name",
    mutate: (f) => {
      shopIngress(f).rules[0].http.paths[0].fleetgate = { requestHeaders: { set: { Host: "x" }, add: { "X-Goog-Trace": "1" }, remove: ["bad name"] } };
    },
    wantErrors: [
      { path: "requestHeaders.set.Host", message: "the load balancer or the proxy owns" },
      { path: "requestHeaders.add.X-Goog-Trace", message: 'starts with "x-goog-"' },
      { path: "requestHeaders.remove[0]", message: "not a valid HTTP header name" },
    ],
  },
  {
    description: "a route cannot change Fleetgate's own headers, nor set a value with a line break",
    mutate: (f) => {
      shopIngress(f).rules[0].http.paths[0].fleetgate = {
        requestHeaders: { set: { "X-Fleetgate-Backend": "shop/cart:80" }, add: { "X-Split": "a\nb" }, remove: ["x-fleetgate-backend"] },
      };
    },
    wantErrors: [
      { path: "requestHeaders.set.X-Fleetgate-Backend", message: 'starts with "x-fleetgate-", which Fleetgate reserves' },
      { path: "requestHeaders.add.X-Split", message: "line break" },
      { path: "requestHeaders.remove[0]", message: "Fleetgate reserves" },
    ],
  },
  {
    description: "a BackendConfig cannot add Fleetgate's own headers",
    mutate: (f) => {
      f.files["shop/shop.yaml"]!.push({
        apiVersion: "cloud.google.com/v1",
        kind: "BackendConfig",
        metadata: { name: "web-bc", namespace: "shop" },
        spec: { customRequestHeaders: { headers: ["x-fleetgate-backend:shop/cart:80"] }, customResponseHeaders: { headers: ["X-Note: a\r\nSet-Cookie: x"] } },
      });
    },
    wantErrors: [
      { path: "customRequestHeaders.headers[0]", message: "Fleetgate reserves" },
      { path: "customResponseHeaders.headers[0]", message: "line break" },
    ],
  },
  {
    description: "a BackendConfig's custom header must be a header line with an allowed name",
    mutate: (f) => {
      f.files["shop/shop.yaml"]!.push({
        apiVersion: "cloud.google.com/v1",
        kind: "BackendConfig",
        metadata: { name: "web-bc", namespace: "shop" },
        spec: { customRequestHeaders: { headers: ["X-Client-Region: {client_region}", "no colon", "X-GFE-Thing: 1"] } },
      });
    },
    wantErrors: [
      { path: "customRequestHeaders.headers[1]", message: 'write it as "Name: value"' },
      { path: "customRequestHeaders.headers[2]", message: 'starts with "x-gfe"' },
    ],
  },
  {
    description: "a health check that would time out after its interval is refused",
    mutate: (f) => {
      f.files["shop/shop.yaml"]!.push({
        apiVersion: "cloud.google.com/v1",
        kind: "BackendConfig",
        metadata: { name: "web-bc", namespace: "shop" },
        spec: { healthCheck: { checkIntervalSec: 2, timeoutSec: 5 } },
      });
    },
    wantErrors: [{ path: "healthCheck.timeoutSec", message: "longer than checkIntervalSec (2)" }],
  },
  {
    description: "a document in another team's namespace is refused: each folder is its namespace's, reviewed by its owners",
    mutate: (f) => {
      f.files["search/search.yaml"]!.push({ ...doc(f, "shop/shop.yaml", 1), metadata: { name: "admin", namespace: "shop" } });
    },
    wantErrors: [
      {
        file: "search/search.yaml",
        path: "metadata.namespace",
        message: 'is not the namespace of stacks/test/search/, whose documents belong to namespace "search"',
      },
    ],
  },
  {
    description: "a document without a namespace is refused with the folder's namespace to write",
    mutate: (f) => {
      delete doc(f, "shop/shop.yaml", 1).metadata.namespace;
    },
    wantErrors: [{ file: "shop/shop.yaml", path: "metadata", message: "add `namespace: shop`" }],
  },
  {
    description: "a document outside a team folder is rejected",
    mutate: (f) => {
      f.files["loose.yaml"] = [doc(f, "shop/shop.yaml", 1)];
    },
    wantErrors: [{ file: "stacks/test/loose.yaml", path: "", message: "team folder" }],
  },
];

describe("spec validation", () => {
  for (const c of cases) {
    it(c.description, () => {
      const result = planCase(c);
      if (c.wantErrors.length === 0) expect(result.plan).toBeDefined();
      else expect(result.plan).toBeUndefined();
    });
  }
});

describe("one mistake, one error", () => {
  const errorsOf = (mutate: (f: SpecFixture) => void) => {
    const fixture = baseFixture();
    mutate(fixture);
    return planFixture(fixture).diagnostics.filter((d) => d.severity === "error");
  };

  it("reports an admin's misspelt region in the stack file only, not as the teams' links being wrong", () => {
    const errors = errorsOf((f) => {
      cluster(f, 1).region = "europe-wst1";
      cluster(f, 1).zones = [];
    });
    expect(errors.map((e) => e.file)).toEqual(errors.map(() => "stacks/Pulumi.test.yaml"));
    expect(errors.find((e) => e.path === "fleetgate:clusters[1].region")?.message).toContain('did you mean "europe-west1"');
  });

  it("checks the cluster list even when another setting of the stack file fails its schema", () => {
    const errors = errorsOf((f) => {
      (f.config.dns as Doc).ttl = "60";
      cluster(f, 1).region = "europe-wst1";
    });
    expect(errors.map((e) => e.path).sort()).toEqual(["fleetgate:clusters[1].region", "fleetgate:dns.ttl"]);
    expect(errors.find((e) => e.path === "fleetgate:clusters[1].region")?.message).toContain('did you mean "europe-west1"');
  });

  it("reports a duplicate cluster name once, at the admin's second cluster", () => {
    const errors = errorsOf((f) => {
      cluster(f, 1).name = "us";
    });
    expect(errors.map((e) => `${e.file} ${e.path}`)).toEqual(["stacks/Pulumi.test.yaml fleetgate:clusters[1].name"]);
  });

  it("reports a team file that cannot be read once, not as the documents it holds being missing elsewhere", () => {
    for (const broken of [
      "kind: MultiClusterService\nmetadata: { name: web, namespace: shop\n",
      "kind: MultiClusterServise\nmetadata: { name: web, namespace: shop }\n",
    ]) {
      const fixture = baseFixture();
      fixture.files["shop/shop.yaml"]!.splice(0, 1); // web now lives in the unreadable file
      const diagnostics = planFixture(fixture, [{ path: "stacks/test/shop/web.yaml", text: broken }]).diagnostics;
      expect(
        diagnostics.map((d) => `${d.severity} ${d.file}`),
        diagnostics.map(formatDiagnostic).join("\n"),
      ).toEqual(["error stacks/test/shop/web.yaml"]);
    }
  });

  it("warns that behind the AWS front door a BackendConfig's settings other than session affinity are not applied", () => {
    const path = "stacks/Pulumi.aws-prod.yaml";
    const extra = {
      path: "stacks/aws-prod/shop/backend.yaml",
      text: "apiVersion: cloud.google.com/v1\nkind: BackendConfig\nmetadata: { name: web-bc, namespace: shop }\nspec:\n  securityPolicy: { name: armor }\n  cdn: { enabled: true }\n  sessionAffinity: { affinityType: GENERATED_COOKIE }\n",
    };
    const result = planEnvironment({
      environment: "aws-prod",
      stack: stackConfigFromFile(path, readFileSync(`${PROJECT_ROOT}/${path}`, "utf8")),
      files: [...readEnvironmentFiles(PROJECT_ROOT, "aws-prod"), extra],
    });
    expect(result.plan).toBeDefined();
    // The example stack names no BackendConfig, so this one also draws the warning that nothing uses it.
    const settings = result.diagnostics.filter((d) => d.path !== "metadata.name");
    expect(settings.map((d) => `${d.severity} ${d.line}:${d.column} ${d.path}`)).toEqual(["warning 5:19 spec.securityPolicy", "warning 6:8 spec.cdn"]);
    for (const d of settings) expect(d.message).toContain("front door is AWS");

    const byClient = {
      path: "stacks/aws-prod/shop/backend.yaml",
      text: "apiVersion: cloud.google.com/v1\nkind: BackendConfig\nmetadata: { name: web-bc, namespace: shop }\nspec:\n  sessionAffinity: { affinityType: CLIENT_IP }\n",
    };
    const sticky = planEnvironment({
      environment: "aws-prod",
      stack: stackConfigFromFile(path, readFileSync(`${PROJECT_ROOT}/${path}`, "utf8")),
      files: [...readEnvironmentFiles(PROJECT_ROOT, "aws-prod"), byClient],
    });
    // Behind the accelerator no client address reaches the gateways: refused. In latency-dns mode proxy protocol carries it.
    const stickySettings = sticky.diagnostics.filter((d) => d.path !== "metadata.name");
    expect(stickySettings.map((d) => `${d.severity} ${d.path}`)).toEqual(["error spec.sessionAffinity.affinityType"]);
    expect(stickySettings[0]!.message).toContain("use GENERATED_COOKIE");
    const latency = planEnvironment({
      environment: "aws-prod",
      stack: stackConfigFromFile(path, readFileSync(`${PROJECT_ROOT}/${path}`, "utf8").replace("mode: accelerator", "mode: latency-dns")),
      files: [...readEnvironmentFiles(PROJECT_ROOT, "aws-prod"), byClient],
    });
    expect(latency.diagnostics.filter((d) => d.path !== "metadata.name")).toEqual([]);
  });

  it("reports a host claimed by a namespace that may not claim it at the claim only, not against the host's owner", () => {
    const errors = errorsOf((f) => {
      searchIngress(f).rules[0].host = "shop.example.com";
      searchIngress(f).backend = { serviceName: "search", servicePort: 8080 };
    });
    expect(errors.map((e) => `${e.file.split("/").pop()} ${e.path}`)).toEqual(["search.yaml spec.template.spec.rules[0].host"]);
  });

  it("warns at a default backend that a /* path to another service shadows on every host, and not where both name one service", () => {
    const shadowed = baseFixture();
    shopIngress(shadowed).rules[0].http.paths.push({ path: "/*", backend: { serviceName: "cart", servicePort: 80 } });
    const warned = planFixture(shadowed).diagnostics.filter((d) => d.message.includes("serves nothing"));
    expect(warned.map((d) => `${d.severity} ${d.file.split("/").pop()} ${d.path}`)).toEqual(["warning shop.yaml spec.template.spec.backend"]);
    expect(warned[0]!.message).toContain("every host of this ingress (shop.example.com) has a /* path");

    // The same service, by port name on the path and by number as the default: the same place.
    const same = baseFixture();
    searchIngress(same).rules.splice(1);
    searchIngress(same).backend = { serviceName: "search", servicePort: 8080 };
    expect(planFixture(same).diagnostics.filter((d) => d.message.includes("serves nothing"))).toEqual([]);
  });
});
