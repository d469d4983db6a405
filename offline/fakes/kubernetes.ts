/**
 * Fake outputs and lookups for the clusters side (see offline/fakes/index.ts): the GKE and EKS cluster
 * lookups Fleetgate builds kubeconfigs from (an endpoint and a CA per cluster, derived from its name),
 * and the token the Kubernetes token controller writes into a service-account-token Secret.
 */
import { createHash } from "node:crypto";
import { fakeInvokeFor, fakeOutputsFor, stableNumber } from "./index";

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const hex = (text: string, length: number) => createHash("sha256").update(text).digest("hex").slice(0, length);

/** A PEM-shaped (not parseable) CA certificate that names its cluster. */
function fakeCaPem(cluster: string): string {
  const body = Buffer.from(`fake cluster CA of ${cluster}`).toString("base64");
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

fakeInvokeFor("gcp:container/getCluster:getCluster", (inputs) => {
  const name = String(inputs.name);
  const location = String(inputs.location ?? "us-central1");
  const key = `${inputs.project}/${location}/${name}`;
  return {
    id: `projects/${inputs.project}/locations/${location}/clusters/${name}`,
    name,
    location,
    project: inputs.project,
    // 203.0.113.0/24 is TEST-NET-3, reserved for documentation.
    endpoint: `203.0.113.${stableNumber(key, 250) + 1}`,
    // A /14 pod range of its own per cluster, as GKE gives by default.
    clusterIpv4Cidr: `10.${stableNumber(key, 63) * 4}.0.0/14`,
    masterAuths: [{ clusterCaCertificate: base64(fakeCaPem(name)), clientCertificate: "", clientKey: "", clientCertificateConfigs: [] }],
  };
});

fakeInvokeFor("aws:eks/getCluster:getCluster", (inputs) => {
  const name = String(inputs.name);
  const region = String(inputs.region ?? "us-east-1");
  return {
    id: name,
    name,
    region,
    arn: `arn:aws:eks:${region}:123456789012:cluster/${name}`,
    endpoint: `https://${hex(`${region}/${name}`, 32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`,
    certificateAuthorities: [{ data: base64(fakeCaPem(name)) }],
  };
});

fakeOutputsFor("kubernetes:core/v1:Secret", (name, inputs) => {
  if (inputs.type !== "kubernetes.io/service-account-token") return {};
  const metadata = (inputs.metadata ?? {}) as { namespace?: string; annotations?: Record<string, string> };
  const account = metadata.annotations?.["kubernetes.io/service-account.name"] ?? "default";
  // A JWT-shaped token; nothing checks its signature offline.
  const token = `eyJhbGciOiJSUzI1NiJ9.${base64(JSON.stringify({ sub: `system:serviceaccount:${metadata.namespace}:${account}`, fake: name })).replace(/=+$/, "")}.${hex(name, 43)}`;
  return { data: { token: base64(token), "ca.crt": base64(fakeCaPem(name)), namespace: base64(metadata.namespace ?? "default") } };
});
