/**
 * What Fleetgate reads from an admin's kubeconfig: the API server of its current context, which the
 * other clusters' istiods are pointed at. Checked while validating wherever the value is known (under
 * `pulumi up`, decrypted); an offline plan cannot decrypt it and plans with a stand-in instead.
 */
import { parse } from "yaml";
import { unsafeToParse } from "./nesting";

type Kubeconfig = {
  "current-context"?: unknown;
  contexts?: unknown;
  clusters?: unknown;
};

/** The API server of the kubeconfig's current context (or its only context), or why there is none. */
export function kubeconfigApiServer(text: string): { server: string } | { problem: string } {
  if (unsafeToParse(text)) return { problem: "is too large or too deeply nested to be a kubeconfig" };
  let config: Kubeconfig;
  try {
    config = (parse(text) ?? {}) as Kubeconfig;
  } catch {
    return { problem: "is not YAML, so not a kubeconfig; set it from the kubeconfig file itself" };
  }
  if (config === null || typeof config !== "object" || Array.isArray(config))
    return { problem: "is not a kubeconfig (a YAML map with clusters, contexts and current-context)" };
  const list = (value: unknown) =>
    Array.isArray(value) ? (value as { name?: unknown; context?: { cluster?: unknown }; cluster?: { server?: unknown } }[]) : [];
  const contexts = list(config.contexts);
  const clusters = list(config.clusters);
  const contextName = typeof config["current-context"] === "string" ? config["current-context"] : contexts[0]?.name;
  const context = contexts.find((c) => c?.name === contextName);
  if (contexts.length > 0 && context === undefined)
    return { problem: `has current-context ${JSON.stringify(String(contextName))}, which none of its contexts is named; set current-context to one of them` };
  const clusterName = context?.context?.cluster ?? clusters[0]?.name;
  const server = clusters.find((c) => c?.name === clusterName)?.cluster?.server;
  if (typeof server !== "string" || server === "")
    return { problem: "names no API server for its current context; set current-context, and the server of the cluster that context names" };
  if (!/^https?:\/\/[^\s/]+/.test(server)) return { problem: "names an API server that is not an http(s) URL; write it as https://<host>[:port]" };
  return { server };
}
