import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { eksExec, execKubeconfig, gkeExec, gkeServer, kubeconfigServer, readerKubeconfig } from "../../../components/kubernetes/access";

const api = { server: "https://203.0.113.7", certificateAuthorityData: "Q0E=" };

describe("cluster access", () => {
  it("reaches a GKE cluster through gke-gcloud-auth-plugin, with the looked-up endpoint and CA", () => {
    const config = parse(execKubeconfig("gke-us", { ...api, server: gkeServer("203.0.113.7") }, gkeExec()));
    expect(config["current-context"]).toBe("gke-us");
    expect(config.clusters[0].cluster).toEqual({ server: "https://203.0.113.7", "certificate-authority-data": "Q0E=" });
    expect(config.users[0].user.exec).toMatchObject({
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "gke-gcloud-auth-plugin",
      provideClusterInfo: true,
    });
    expect(config.users[0].user.token).toBeUndefined();
  });

  it("reaches an EKS cluster through `aws eks get-token`, assuming the deployer role when the plan names one", () => {
    expect(eksExec("eks-use1", "us-east-1").args).toEqual(["--region", "us-east-1", "eks", "get-token", "--cluster-name", "eks-use1", "--output", "json"]);
    expect(eksExec("eks-use1", "us-east-1", "arn:aws:iam::123456789012:role/deployer").args?.slice(-2)).toEqual([
      "--role-arn",
      "arn:aws:iam::123456789012:role/deployer",
    ]);
    const config = parse(execKubeconfig("eks-use1", api, eksExec("eks-use1", "us-east-1")));
    expect(config.users[0].user.exec.command).toBe("aws");
  });

  it("gives peers' istiods a kubeconfig with this cluster's API server, CA and reader token", () => {
    const config = parse(readerKubeconfig("gke-eu", api, "t0ken"));
    expect(config.users).toEqual([{ name: "gke-eu", user: { token: "t0ken" } }]);
    expect(config.clusters[0].cluster.server).toBe(api.server);
  });

  it("finds the API server of an admin kubeconfig's current context, and says when there is none", () => {
    const text = `apiVersion: v1
clusters:
- name: a
  cluster: { server: https://a.example }
- name: b
  cluster: { server: https://b.example }
contexts:
- name: ctx-a
  context: { cluster: a, user: u }
- name: ctx-b
  context: { cluster: b, user: u }
current-context: ctx-b
`;
    expect(kubeconfigServer(text)).toBe("https://b.example");
    expect(() => kubeconfigServer("apiVersion: v1\nkind: Config\n")).toThrow(/names no API server/);
  });
});
