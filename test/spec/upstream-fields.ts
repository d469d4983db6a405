/**
 * The upstream field lists the field registry (spec/field-handling.ts) is held to.
 * - Gateway (the admin's): walked from @kubernetes-models/gateway-api's v1 Gateway, with the certmap
 *   annotation GKE reads on it.
 * - BackendConfig and FrontendConfig: walked from the TypeScript interfaces @kubernetes-models/gke
 *   generates from GKE's CRD schemas (both BackendConfig versions); so are GKE's Gateway policies
 *   (networking.gke.io/v1 GCPBackendPolicy, HealthCheckPolicy, GCPGatewayPolicy).
 * - MultiClusterService's template spec: the Kubernetes Service spec (kubernetes-models), which GKE
 *   copies into each derived Service.
 * - The rest of MultiClusterService and MultiClusterIngress, which @kubernetes-models/gke does not ship:
 *   written out here from GKE's Multi Cluster Ingress documentation ("Deploying Ingress across
 *   clusters", "Multi Cluster Ingress annotations": cloud.google.com/kubernetes-engine/docs/how-to/
 *   multi-cluster-ingress and …/multi-cluster-ingress-setup), with the annotations GKE reads on each kind.
 * Object metadata other than the annotations GKE reads is Kubernetes', not GKE's, and status is the
 * server's; neither is walked.
 */
import { join } from "node:path";
import ts from "typescript";
import { PROJECT_ROOT } from "../../offline/run-offline";

const GKE = join(PROJECT_ROOT, "node_modules/@kubernetes-models/gke");
const K8S = join(PROJECT_ROOT, "node_modules/kubernetes-models");
const GATEWAY_API = join(PROJECT_ROOT, "node_modules/@kubernetes-models/gateway-api");

/** Every leaf field below `from` of an exported interface, as `a.b[].c` paths, prefixed with `prefix`. */
function leavesOf(program: ts.Program, file: string, name: string, from: readonly string[], prefix: string): string[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`cannot read ${file}`);
  const decl = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (!decl) throw new Error(`${file} has no interface ${name}`);
  let type = checker.getTypeAtLocation(decl);
  for (const step of from) {
    const prop = type.getProperty(step);
    if (!prop) throw new Error(`${name} has no ${step}`);
    type = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(prop, decl));
  }
  const out: string[] = [];
  const walk = (t: ts.Type, path: string) => {
    let inner = checker.getNonNullableType(t);
    let suffix = "";
    if (checker.isArrayType(inner)) {
      inner = checker.getTypeArguments(inner as ts.TypeReference)[0]!;
      suffix = "[]";
    }
    const props = inner.flags & ts.TypeFlags.Object ? checker.getPropertiesOfType(inner) : [];
    if (props.length === 0 || path.endsWith("targetPort")) {
      out.push(path);
      return;
    }
    for (const p of props) walk(checker.getTypeOfSymbolAtLocation(p, decl), `${path}${suffix}.${p.name}`);
  };
  for (const p of checker.getPropertiesOfType(type)) walk(checker.getTypeOfSymbolAtLocation(p, decl), `${prefix}${p.name}`);
  return out;
}

export interface UpstreamKind {
  readonly group: string;
  readonly kind: string;
  /** Leaf fields, as `spec.a[].b`, and `annotation:<key>` for the annotations GKE reads. */
  readonly fields: readonly string[];
}

export function upstreamFields(): UpstreamKind[] {
  const files = {
    bcV1: join(GKE, "cloud.google.com/v1/BackendConfig.d.ts"),
    bcV1beta1: join(GKE, "cloud.google.com/v1beta1/BackendConfig.d.ts"),
    fc: join(GKE, "networking.gke.io/v1beta1/FrontendConfig.d.ts"),
    service: join(K8S, "v1/ServiceSpec.d.ts"),
    gbp: join(GKE, "networking.gke.io/v1/GCPBackendPolicy.d.ts"),
    hcp: join(GKE, "networking.gke.io/v1/HealthCheckPolicy.d.ts"),
    ggp: join(GKE, "networking.gke.io/v1/GCPGatewayPolicy.d.ts"),
    gateway: join(GATEWAY_API, "gateway.networking.k8s.io/v1/Gateway.d.ts"),
  };
  const program = ts.createProgram(Object.values(files), { strict: true, noEmit: true, skipLibCheck: true });
  const backendConfig = [
    ...new Set([
      ...leavesOf(program, files.bcV1, "IBackendConfig", ["spec"], "spec."),
      ...leavesOf(program, files.bcV1beta1, "IBackendConfig", ["spec"], "spec."),
    ]),
  ];
  return [
    // The admin's Gateway: every field of the Gateway API's v1 Gateway spec, which GKE's controller reads.
    {
      group: "gateway.networking.k8s.io",
      kind: "Gateway",
      fields: [...leavesOf(program, files.gateway, "IGateway", ["spec"], "spec."), "annotation:networking.gke.io/certmap"].sort(),
    },
    { group: "cloud.google.com", kind: "BackendConfig", fields: backendConfig.sort() },
    { group: "networking.gke.io", kind: "FrontendConfig", fields: leavesOf(program, files.fc, "IFrontendConfig", ["spec"], "spec.").sort() },
    { group: "networking.gke.io", kind: "GCPBackendPolicy", fields: leavesOf(program, files.gbp, "IGCPBackendPolicy", ["spec"], "spec.").sort() },
    { group: "networking.gke.io", kind: "HealthCheckPolicy", fields: leavesOf(program, files.hcp, "IHealthCheckPolicy", ["spec"], "spec.").sort() },
    { group: "networking.gke.io", kind: "GCPGatewayPolicy", fields: leavesOf(program, files.ggp, "IGCPGatewayPolicy", ["spec"], "spec.").sort() },
    {
      group: "networking.gke.io",
      kind: "MultiClusterService",
      fields: [
        ...leavesOf(program, files.service, "IServiceSpec", [], "spec.template.spec."),
        "spec.template.metadata.labels",
        "spec.template.metadata.annotations",
        "spec.clusters[].link",
        "annotation:cloud.google.com/backend-config",
        "annotation:beta.cloud.google.com/backend-config",
        "annotation:networking.gke.io/app-protocols",
      ].sort(),
    },
    {
      group: "networking.gke.io",
      kind: "MultiClusterIngress",
      fields: [
        "spec.template.spec.backend.serviceName",
        "spec.template.spec.backend.servicePort",
        "spec.template.spec.rules[].host",
        "spec.template.spec.rules[].http.paths[].path",
        "spec.template.spec.rules[].http.paths[].backend.serviceName",
        "spec.template.spec.rules[].http.paths[].backend.servicePort",
        "spec.template.spec.tls[].secretName",
        "annotation:networking.gke.io/static-ip",
        "annotation:networking.gke.io/pre-shared-certs",
        "annotation:networking.gke.io/frontend-config",
      ].sort(),
    },
  ];
}
