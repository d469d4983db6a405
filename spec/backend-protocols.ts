/**
 * The protocol behind the gateway, as GKE users write it: the `networking.gke.io/app-protocols`
 * annotation of a MultiClusterService (which protocol each port's pods speak) and a BackendConfig's
 * `healthCheck.type` and `healthCheck.port` (how and where the pods answer health checks)
 * [gke.app-protocols] [gke.health-check-parameters]. The resolver reads them here, and the validator
 * reports here what is wrong with them, and a service that selects a gateway's own pods.
 */
import { cite } from "../contracts/contract";
import { appProtocols as appProtocolsContract, GKE_BACKEND_PROTOCOLS, healthCheckParameters, type BackendProtocol } from "../contracts/protocols";
import type { DocReport, PathSegment } from "./diagnostics";
import { keyOf, type Loaded } from "./documents";
import { didYouMean } from "./names";
import { DEFAULT_GATEWAY_NAMESPACE } from "./naming";
import { ANNOTATIONS, type BackendConfig, type MultiClusterService } from "./schema/documents";
import type { EnvironmentConfig } from "./schema/environment";
import { backendConfigNames, selectClusters, type Problem } from "./select";
import { isPolicyConfig } from "./gke-policies";
import { HEALTH_CHECK_MEMBER } from "./schema/gke-policies";

export type { BackendProtocol };

/** The protocol of each port the annotation names, by port number, and what is wrong with it. */
export function appProtocols(service: MultiClusterService): { byPort: Map<number, BackendProtocol>; problems: Problem[] } {
  const byPort = new Map<number, BackendProtocol>();
  const problems: Problem[] = [];
  const raw = service.metadata.annotations?.[ANNOTATIONS.appProtocols];
  if (raw === undefined) return { byPort, problems };
  const path: PathSegment[] = ["metadata", "annotations", ANNOTATIONS.appProtocols];
  const ports = service.spec.template.spec.ports;
  const named = ports.filter((p) => p.name !== undefined);
  const example = `'{"${named[0]?.name ?? "<port name>"}": "HTTPS"}'`;
  const shape = `write it as a JSON object from port names to ${GKE_BACKEND_PROTOCOLS.join(", ")} ${cite(appProtocolsContract)}, e.g. ${example}`;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    problems.push({ path, message: `${JSON.stringify(raw)} is not JSON; ${shape}` });
    return { byPort, problems };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.push({ path, message: `is ${JSON.stringify(value)}, not an object; ${shape}` });
    return { byPort, problems };
  }
  for (const [name, protocol] of Object.entries(value)) {
    const port = ports.find((p) => p.name === name);
    if (port === undefined) {
      const byNumber = ports.find((p) => String(p.port) === name);
      const hint =
        byNumber?.name !== undefined
          ? `; GKE names ports by name, so write "${byNumber.name}"`
          : named.length > 0
            ? `${didYouMean(
                name,
                named.map((p) => p.name!),
              )}; the service's named ports are ${named.map((p) => `"${p.name}"`).join(", ")}`
            : `; the annotation names ports by name, and none of the service's ports has one: give the port a name in spec.template.spec.ports and use it here`;
      problems.push({ path, message: `names port "${name}", which is not a port name of the service${hint}` });
    }
    const known = typeof protocol === "string" && (GKE_BACKEND_PROTOCOLS as readonly string[]).includes(protocol);
    if (!known) {
      const upper = typeof protocol === "string" ? protocol.toUpperCase() : "";
      const hint = (GKE_BACKEND_PROTOCOLS as readonly string[]).includes(upper)
        ? `; GKE reads the protocol in capitals: "${upper}"`
        : `; use one of ${GKE_BACKEND_PROTOCOLS.join(", ")}`;
      problems.push({
        path,
        message: `gives port "${name}" the protocol ${JSON.stringify(protocol)}, which GKE does not accept ${cite(appProtocolsContract)}${hint}`,
      });
    }
    if (port !== undefined && known) byPort.set(port.port, protocol as BackendProtocol);
  }
  return { byPort, problems };
}

/** The labels by which Istio's gateways, and Fleetgate's, are selected: a service owner's slip from Google's ASM recipe. */
const GATEWAY_POD_LABELS: readonly { key: string; value?: string }[] = [
  { key: "istio", value: "ingressgateway" },
  { key: "app", value: "istio-ingressgateway" },
  // Google's Anthos Service Mesh recipe labels its ingress gateway's pods so.
  { key: "asm", value: "ingressgateway" },
  { key: "gateway.networking.k8s.io/gateway-name" },
  { key: "istio.io/gateway-name" },
];

/** Where a service selects a gateway's own pods (or lives in Fleetgate's gateway namespace), and why that is refused. */
export function gatewaySelection(service: MultiClusterService, gatewayNamespace: string): Problem[] {
  const why = `Fleetgate provides the gateway in every cluster itself and puts the front door before it, so select the pods of the services behind the gateway (and route to them from the MultiClusterIngress), as they are written for your own gateway's routes today`;
  const selector = service.spec.template.spec.selector;
  const problems: Problem[] = [];
  for (const { key, value } of GATEWAY_POD_LABELS) {
    const given = selector[key];
    if (given === undefined || (value !== undefined && given !== value)) continue;
    problems.push({
      path: ["spec", "template", "spec", "selector", key],
      message: `selects the pods of an Istio ingress gateway (${key}: ${given}), as Google's Anthos Service Mesh recipe puts Multi Cluster Ingress in front of one; ${why}`,
    });
  }
  if (service.metadata.namespace === gatewayNamespace)
    problems.push({
      path: ["metadata", "namespace"],
      message: `is ${gatewayNamespace}, the namespace of Fleetgate's own gateways; ${why}, in the team's own namespace`,
    });
  return problems;
}

/** A serving port as the health ports are worked out from it. */
export interface PortProtocols {
  readonly port: number;
  readonly name?: string;
  readonly targetPort: number | string;
  /** From app-protocols; absent: HTTP. */
  readonly protocol?: BackendProtocol;
  /** The health check's protocol, and its port on the pods when BackendConfig names one. */
  readonly health: { readonly protocol: BackendProtocol; readonly port?: number };
}

/** An extra port of the generated Service, through which the gateway's health rule reaches the pods. */
export interface HealthPort {
  readonly name: string;
  readonly port: number;
  readonly targetPort: number | string;
  readonly protocol: BackendProtocol;
}

/**
 * The Service ports the gateways' health rules forward to. A check on the serving port's own pod port
 * and protocol goes to the serving port; any other gets a named Service port of its own (shared by
 * checks that agree), numbered after the pod port it reaches, or the next free number. Deterministic:
 * the same ports give the same result, and adding a check to one port renumbers no other.
 */
export function healthPorts(ports: readonly PortProtocols[]): { ports: HealthPort[]; servicePort: Map<number, number> } {
  const sorted = [...ports].sort((a, b) => a.port - b.port);
  const usedNumbers = new Set(sorted.map((p) => p.port));
  const usedNames = new Set(sorted.flatMap((p) => (p.name !== undefined ? [p.name] : [])));
  const extra: HealthPort[] = [];
  const servicePort = new Map<number, number>();
  for (const p of sorted) {
    const target = p.health.port ?? p.targetPort;
    const same = (t: number | string, protocol: BackendProtocol) => String(t) === String(target) && protocol === p.health.protocol;
    const existing = sorted.find((s) => same(s.targetPort, s.protocol ?? "HTTP")) ?? extra.find((h) => same(h.targetPort, h.protocol));
    if (existing !== undefined) {
      servicePort.set(p.port, existing.port);
      continue;
    }
    let number = typeof target === "number" ? target : p.port;
    while (usedNumbers.has(number)) number = number >= 65535 ? 1 : number + 1;
    const name = usedNames.has(`health-${number}`) ? `fg-health-${number}` : `health-${number}`;
    usedNumbers.add(number);
    usedNames.add(name);
    extra.push({ name, port: number, targetPort: target, protocol: p.health.protocol });
    servicePort.set(p.port, number);
  }
  return { ports: extra.sort((a, b) => a.port - b.port), servicePort };
}

/** GKE's annotation for a single-cluster Service's port protocols. */
const SERVICE_APP_PROTOCOLS = "cloud.google.com/app-protocols";

/**
 * The validator's part: the annotation of every service, a selector that picks a gateway, and each
 * BackendConfig health check as it applies to the ports that use it.
 */
export function checkBackendProtocols(
  services: ReadonlyMap<string, Loaded<"MultiClusterService", MultiClusterService>>,
  backendConfigs: ReadonlyMap<string, Loaded<"BackendConfig", unknown>>,
  config: EnvironmentConfig,
  at: DocReport,
): void {
  const gatewayNamespace = config.gateway?.namespace ?? DEFAULT_GATEWAY_NAMESPACE;
  for (const loaded of services.values()) {
    const service = loaded.doc;
    const { byPort, problems } = appProtocols(service);
    for (const p of [...problems, ...gatewaySelection(service, gatewayNamespace)]) at(loaded, p.path, p.message, p.severity);
    // The single-cluster Service's spelling, copied onto a MultiClusterService, which reads the other.
    if (service.metadata.annotations?.[SERVICE_APP_PROTOCOLS] !== undefined)
      at(
        loaded,
        ["metadata", "annotations", SERVICE_APP_PROTOCOLS],
        `is the annotation of a single-cluster Service; a MultiClusterService's protocols are read from ${ANNOTATIONS.appProtocols} ${cite(appProtocolsContract)}, so this one is not applied: rename it to ${ANNOTATIONS.appProtocols}`,
        "warning",
      );
    const names = backendConfigNames(service).byPort;
    for (const port of [...service.spec.template.spec.ports].sort((a, b) => a.port - b.port)) {
      const bcName = names.get(port.port);
      const bc =
        bcName !== undefined
          ? (backendConfigs.get(`${service.metadata.namespace}/${bcName}`) as Loaded<"BackendConfig", BackendConfig> | undefined)
          : undefined;
      const check = bc?.doc.spec.healthCheck;
      // Behind the AWS front door no health check reaches the gateways (the validator says so at the field).
      if (!bc || !check || config.frontDoor !== "gcp") continue;
      const portName = `${keyOf(service)}:${port.port}`;
      const protocol = byPort.get(port.port) ?? "HTTP";
      if (check.type !== undefined && check.type !== protocol)
        at(
          bc,
          ["spec", "healthCheck", "type"],
          `is ${check.type}, but ${portName} serves ${protocol}${byPort.has(port.port) ? ` (${ANNOTATIONS.appProtocols})` : " (no app protocol is named for it)"}; as GKE does, the gateways check its pods in ${check.type} and send its traffic in ${protocol} ${cite(healthCheckParameters)}, so a passing check does not show that the pods serve ${protocol}. ${isPolicyConfig(bc.doc.metadata.name) ? `Write type: ${protocol} with its ${HEALTH_CHECK_MEMBER[protocol]}` : "Leave type out"} to check in the serving protocol`,
          "warning",
        );
      const target = port.targetPort ?? port.port;
      if (check.port !== undefined && check.port === port.port && String(target) !== String(check.port))
        at(
          bc,
          ["spec", "healthCheck", "port"],
          `is ${check.port}, the service port of ${portName}, whose pods listen on ${JSON.stringify(target)}; as GKE does with container-native load balancing, the check goes to port ${check.port} of the pods themselves ${cite(healthCheckParameters)}. To check the serving port, write ${typeof target === "number" ? target : "the container port number"} or leave port out`,
          "warning",
        );
      if ((check.type !== undefined && check.type !== protocol) || (check.port !== undefined && String(check.port) !== String(target))) {
        const routedTwice = selectClusters(service, config.clusters)
          .selected.filter((s) => s.cluster.provider !== "gke")
          .map((s) => s.cluster.name);
        if (routedTwice.length > 0)
          at(
            bc,
            ["spec", "healthCheck"],
            `checks ${portName} in another protocol or on another port than it serves, which the gateways of ${routedTwice.join(", ")} cannot do: the front door reaches them through their public listeners, where a check is routed like any request, to the serving port in its own protocol`,
            "warning",
          );
      }
    }
  }
}
