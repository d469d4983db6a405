/**
 * Reading the annotations of a cluster's CRDs, where a CRD may not exist yet. The Pulumi Kubernetes
 * provider has no lookup that answers "absent" (`CustomResourceDefinition.get` fails the update when the
 * object is missing, which on a fresh cluster it is), so the read goes to the cluster's API server with
 * the kubeconfig Fleetgate deploys with: its current context, its CA, and its credential (a token, a
 * client certificate, or the exec plugin GKE and EKS clusters use). A 404 is an absent CRD.
 *
 * The offline engine answers the read in the cluster's place through the one hook below: the program
 * and the engine are loaded apart, so the hook is a global, which `pulumi up` never sets.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { parse } from "yaml";

/** Reads CRDs' annotations by name; undefined for a CRD the cluster does not have. */
export type CrdAnnotationReader = (
  cluster: string,
  kubeconfig: string,
  names: readonly string[],
) => Promise<Record<string, Readonly<Record<string, string>> | undefined>>;

/** Where the offline engine puts its answer to the read (offline/simulation). */
export const OFFLINE_CRD_ANNOTATIONS = Symbol.for("fleetgate.offline.crdAnnotations");

/** The reader: the offline engine's when it runs the program, else the cluster's API server's. */
export function crdAnnotationReader(): CrdAnnotationReader {
  const offline = (globalThis as Record<symbol, unknown>)[OFFLINE_CRD_ANNOTATIONS];
  if (typeof offline === "function") return offline as CrdAnnotationReader;
  return async (_cluster, kubeconfig, names) => {
    const target = await apiTarget(kubeconfig);
    const out: Record<string, Record<string, string> | undefined> = {};
    for (const name of names) out[name] = await readCrd(target, name);
    return out;
  };
}

/** Where and how to reach an API server: the parts of a kubeconfig's current context the read uses. */
export interface ApiTarget {
  readonly server: string;
  readonly ca?: string;
  readonly insecure: boolean;
  readonly token?: string;
  readonly cert?: string;
  readonly key?: string;
}

type Named<T> = { name: string } & T;
type Kubeconfig = {
  "current-context"?: string;
  contexts?: Named<{ context?: { cluster?: string; user?: string } }>[];
  clusters?: Named<{ cluster?: Record<string, unknown> }>[];
  users?: Named<{ user?: Record<string, unknown> }>[];
};
type Exec = { command?: string; args?: string[]; env?: { name: string; value: string }[] | null; apiVersion?: string; provideClusterInfo?: boolean };

const decode = (base64: unknown) => (typeof base64 === "string" ? Buffer.from(base64, "base64").toString("utf8") : undefined);
const file = (path: unknown) => (typeof path === "string" ? readFileSync(path, "utf8") : undefined);

/** The current context's server and credentials; an exec plugin is run for its credential. */
export async function apiTarget(text: string, run: (exec: Exec, info: string) => Promise<string> = runExec): Promise<ApiTarget> {
  const config = (parse(text) ?? {}) as Kubeconfig;
  const context = config.contexts?.find((c) => c.name === config["current-context"])?.context;
  const cluster = config.clusters?.find((c) => c.name === context?.cluster)?.cluster;
  const user = config.users?.find((u) => u.name === context?.user)?.user ?? {};
  if (!cluster || typeof cluster.server !== "string") throw new Error("the kubeconfig's current context names no cluster with a server");
  const ca = decode(cluster["certificate-authority-data"]) ?? file(cluster["certificate-authority"]);
  const base = { server: cluster.server.replace(/\/+$/, ""), ...(ca ? { ca } : {}), insecure: cluster["insecure-skip-tls-verify"] === true };
  const exec = user.exec as Exec | undefined;
  if (exec) {
    const info = JSON.stringify({
      apiVersion: exec.apiVersion ?? "client.authentication.k8s.io/v1beta1",
      kind: "ExecCredential",
      spec: {
        interactive: false,
        ...(exec.provideClusterInfo ? { cluster: { server: base.server, "certificate-authority-data": cluster["certificate-authority-data"] } } : {}),
      },
    });
    const status = (JSON.parse(await run(exec, info)) as { status?: { token?: string; clientCertificateData?: string; clientKeyData?: string } }).status ?? {};
    return {
      ...base,
      ...(status.token ? { token: status.token } : {}),
      ...(status.clientCertificateData ? { cert: status.clientCertificateData, key: status.clientKeyData } : {}),
    };
  }
  const token = (user.token as string | undefined) ?? file(user.tokenFile)?.trim();
  const cert = decode(user["client-certificate-data"]) ?? file(user["client-certificate"]);
  const key = decode(user["client-key-data"]) ?? file(user["client-key"]);
  return { ...base, ...(token ? { token } : {}), ...(cert && key ? { cert, key } : {}) };
}

function runExec(exec: Exec, info: string): Promise<string> {
  if (!exec.command) return Promise.reject(new Error("the kubeconfig's exec credential names no command"));
  const env = { ...process.env, KUBERNETES_EXEC_INFO: info, ...Object.fromEntries((exec.env ?? []).map((e) => [e.name, e.value])) };
  return new Promise((resolve, reject) =>
    execFile(exec.command!, exec.args ?? [], { env, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${exec.command} failed: ${stderr || error.message}`)) : resolve(stdout),
    ),
  );
}

/** One CRD's annotations, or undefined when the API server has no such CRD. */
function readCrd(target: ApiTarget, name: string): Promise<Record<string, string> | undefined> {
  const url = new URL(`${target.server}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "GET",
        headers: { Accept: "application/json", ...(target.token ? { Authorization: `Bearer ${target.token}` } : {}) },
        ...(target.ca ? { ca: target.ca } : {}),
        ...(target.cert ? { cert: target.cert, key: target.key } : {}),
        rejectUnauthorized: !target.insecure,
        timeout: 30_000,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => {
          if (res.statusCode === 404) return resolve(undefined);
          if (res.statusCode !== 200) return reject(new Error(`reading CRD ${name} answered ${res.statusCode}: ${body.slice(0, 300)}`));
          const crd = JSON.parse(body) as { metadata?: { annotations?: Record<string, string> } };
          resolve(crd.metadata?.annotations ?? {});
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`reading CRD ${name} from ${target.server} timed out`)));
    req.on("error", reject);
    req.end();
  });
}
