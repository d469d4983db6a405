/**
 * How Fleetgate and the mesh reach a cluster's API server, as pure text builders: the kubeconfig of a
 * GKE or EKS cluster found by lookup (exec credential plugins, so no long-lived credential is stored),
 * the kubeconfig a peer's istiod reads this cluster with (a reader token), and the server of an admin
 * kubeconfig. Kubeconfigs are YAML; the callers wrap them as secrets.
 */
import { stringify } from "yaml";
import { kubeconfigApiServer } from "../../spec/kubeconfig";

/** Where an API server is and which CA signs its serving certificate (base64 PEM, as kubeconfigs hold it). */
export interface ApiServer {
  readonly server: string;
  readonly certificateAuthorityData: string;
}

export type ExecCredential = {
  readonly apiVersion: "client.authentication.k8s.io/v1beta1";
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: readonly { readonly name: string; readonly value: string }[];
  readonly installHint: string;
  readonly provideClusterInfo: boolean;
};

function kubeconfig(name: string, api: ApiServer, user: Record<string, unknown>): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: api.server, "certificate-authority-data": api.certificateAuthorityData } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    users: [{ name, user }],
  });
}

/** GKE returns the endpoint as an address; kubeconfigs want a URL. */
export function gkeServer(endpoint: string): string {
  return endpoint.startsWith("https://") ? endpoint : `https://${endpoint}`;
}

/** The credential plugin for GKE: gke-gcloud-auth-plugin, with the caller's gcloud credentials. */
export function gkeExec(): ExecCredential {
  return {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "gke-gcloud-auth-plugin",
    installHint:
      "Install gke-gcloud-auth-plugin (gcloud components install gke-gcloud-auth-plugin); see https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin",
    provideClusterInfo: true,
  };
}

/** The credential plugin for EKS: `aws eks get-token`, assuming `roleArn` when given. */
export function eksExec(clusterName: string, region: string, roleArn?: string): ExecCredential {
  return {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args: ["--region", region, "eks", "get-token", "--cluster-name", clusterName, "--output", "json", ...(roleArn ? ["--role-arn", roleArn] : [])],
    installHint:
      "Install the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html) and sign in to the account of the cluster.",
    provideClusterInfo: false,
  };
}

/** A kubeconfig that authenticates with an exec credential plugin. */
export function execKubeconfig(name: string, api: ApiServer, exec: ExecCredential): string {
  return kubeconfig(name, api, { exec });
}

/** The kubeconfig a peer's istiod uses to watch this cluster: the API server and a reader token. */
export function readerKubeconfig(name: string, api: ApiServer, token: string): string {
  return kubeconfig(name, api, { token });
}

/**
 * The API server of an admin's kubeconfig (its current context), so that peers can reach a cluster
 * given by kubeconfig. The validator has refused a kubeconfig without one (spec/kubeconfig.ts); this
 * throws only if that check was skipped.
 */
export function kubeconfigServer(text: string): string {
  const found = kubeconfigApiServer(text);
  if ("problem" in found) throw new Error(`the kubeconfig ${found.problem}`);
  return found.server;
}
