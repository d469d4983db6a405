/**
 * The platform admin's Gateway: a GKE multi-cluster Gateway manifest (class
 * gke-l7-global-external-managed-mc) in the gateway namespace's folder, `stacks/<env>/<gateway namespace>/`,
 * which CODEOWNERS gives to the platform team. Under GKE it describes the global load balancer; here the
 * environment's front door takes its place, so its listeners, addresses and TLS options are read as the
 * front door's settings, and its name is what HTTPRoutes attach to. Without one, routes attach to the
 * implicit fleet gateway `fleetgate`, as before.
 *
 * How routes attach to its listeners (sectionName, allowedRoutes, hostname intersection) is
 * spec/http-routes.ts's; what a listener or address asks that the front door cannot do is answered
 * here, at the field.
 */
import { cite } from "../contracts/contract";
import { acceleratorAddresses } from "../contracts/aws";
import { gatewayListenerDistinct, gatewayRouteNamespaces, gkeGatewayAddresses, gkeGatewayCertificates, gkeGatewayListeners } from "../contracts/gateway-api";
import type { DocReport, PathSegment } from "./diagnostics";
import { keyOf, type Loaded } from "./documents";
import { didYouMean } from "./names";
import { addressName, DEFAULT_GATEWAY_NAMESPACE, GATEWAY_NAME } from "./naming";
import { GATEWAY_GROUP, GKE_CERT_MANAGER_CERTS, GKE_MC_GATEWAY_CLASS, GKE_PRE_SHARED_CERTS, type Gateway, type GatewayListener } from "./schema/gateway-api";
import type { EnvironmentConfig } from "./schema/environment";
import { canonicalIp } from "./static-ip";

type AdminGateway = Loaded<"Gateway", Gateway>;

/** A listener as routes see it. */
export interface ListenerView {
  readonly name: string;
  /** Where the listener is written: `["spec", "listeners", i]`. */
  readonly path: readonly PathSegment[];
  readonly hostname?: string;
  readonly protocol: string;
  readonly port: number;
  /** Why routes of a namespace may not attach; undefined when they may. */
  readonly refuses: (namespace: string) => string | undefined;
  /** The Certificate Manager certificates its hosts are served with (GCP), when its TLS options name them. */
  readonly preShared?: readonly string[];
}

/** The gateway routes attach to: the admin's Gateway when there is one, else the implicit fleet gateway. */
export interface FleetGateway {
  readonly name: string;
  readonly namespace: string;
  /** The admin's Gateway and its listeners; absent: routes attach to the implicit gateway as before. */
  readonly admin?: { readonly loaded: AdminGateway; readonly listeners: readonly ListenerView[] };
}

export function gatewayNamespace(config: Pick<EnvironmentConfig, "gateway">): string {
  return config.gateway?.namespace ?? DEFAULT_GATEWAY_NAMESPACE;
}

/** The environment's Gateway: the first in the gateway namespace (a second one is an error, see below). */
export function fleetGateway(config: Pick<EnvironmentConfig, "gateway" | "frontDoor">, gateways: readonly AdminGateway[]): FleetGateway {
  const namespace = gatewayNamespace(config);
  const loaded = gateways.find((g) => g.doc.metadata.namespace === namespace);
  if (!loaded) return { name: GATEWAY_NAME, namespace };
  return {
    name: loaded.doc.metadata.name,
    namespace,
    admin: { loaded, listeners: loaded.doc.spec.listeners.map((l, i) => listenerView(l, i, namespace, config.frontDoor)) },
  };
}

function listenerView(listener: GatewayListener, i: number, namespace: string, frontDoor: "gcp" | "aws"): ListenerView {
  const from = listener.allowedRoutes?.namespaces?.from ?? "Same";
  // An empty kinds list is an absent one: the listener's protocol decides the kinds [kubernetes.gateway-allowed-routes].
  const kinds = listener.allowedRoutes?.kinds?.length ? listener.allowedRoutes.kinds : undefined;
  const pre = listener.tls?.options?.[GKE_CERT_MANAGER_CERTS];
  const names =
    pre === undefined
      ? []
      : pre
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "");
  return {
    name: listener.name,
    path: ["spec", "listeners", i],
    ...(listener.hostname !== undefined ? { hostname: listener.hostname } : {}),
    protocol: listener.protocol,
    port: listener.port,
    refuses: (routeNamespace) => {
      if (kinds !== undefined && !kinds.some((k) => k.kind === "HTTPRoute" && k.group === GATEWAY_GROUP))
        return `listener "${listener.name}" admits no HTTPRoutes (its allowedRoutes.kinds lists ${kinds.map((k) => k.kind).join(", ")})`;
      // Selector is refused at the Gateway (Fleetgate knows no namespace labels); routes are not refused twice for it.
      if (from === "Same" && routeNamespace !== namespace)
        return `listener "${listener.name}" admits routes of its own namespace ${namespace} only (allowedRoutes.namespaces.from is ${listener.allowedRoutes?.namespaces?.from === undefined ? "Same by default" : "Same"}) ${cite(gatewayRouteNamespaces)}`;
      return undefined;
    },
    ...(names.length > 0 && frontDoor === "gcp" ? { preShared: names } : {}),
  };
}

/** Every listener protocol Fleetgate serves, with the one port the front door serves it on. */
const SERVED: Readonly<Record<string, number>> = { HTTPS: 443, HTTP: 80 };

/** Checks the admin's Gateways: where they are, how many, their class, listeners and addresses. */
export function checkFleetGateway(environment: string, config: EnvironmentConfig, gateways: readonly AdminGateway[], at: DocReport): void {
  const namespace = gatewayNamespace(config);
  const chosen = fleetGateway(config, gateways).admin?.loaded;
  for (const loaded of gateways) {
    const doc = loaded.doc;
    if (doc.metadata.namespace !== namespace) {
      at(
        loaded,
        ["metadata", "namespace"],
        `"${doc.metadata.namespace}" is not the gateway namespace: the environment's Gateway describes its one front door, which is the platform team's, so it lives in stacks/${environment}/${namespace}/ with namespace ${namespace} (fleetgate:gateway.namespace); service owners attach HTTPRoutes to it`,
      );
      continue;
    }
    if (loaded !== chosen) {
      const where = chosen!.locate(["metadata", "name"]);
      at(
        loaded,
        ["metadata", "name"],
        `is a second Gateway, but an environment has one front door, which Gateway ${keyOf(chosen!.doc)} (${where.file}:${where.line ?? 1}) already describes; merge its listeners into that one`,
      );
      continue;
    }
    checkClass(loaded, config, at);
    checkListeners(loaded, config, at);
    checkAddresses(loaded, environment, config, at);
  }
}

function checkClass(loaded: AdminGateway, config: EnvironmentConfig, at: DocReport): void {
  const name = loaded.doc.spec.gatewayClassName;
  if (name === GKE_MC_GATEWAY_CLASS) return;
  const behind =
    config.frontDoor === "aws"
      ? `behind AWS too, where the front door is the environment's Global Accelerator or latency DNS and only the listeners (hosts, allowedRoutes) apply,`
      : `the front door takes the place of GKE's multi-cluster global external Application Load Balancer,`;
  at(
    loaded,
    ["spec", "gatewayClassName"],
    `"${name}" is not the class Fleetgate reads: ${behind} whose class is ${GKE_MC_GATEWAY_CLASS}${didYouMean(name, [GKE_MC_GATEWAY_CLASS])}; write gatewayClassName: ${GKE_MC_GATEWAY_CLASS}`,
  );
}

function checkListeners(loaded: AdminGateway, config: EnvironmentConfig, at: DocReport): void {
  const listeners = loaded.doc.spec.listeners;
  const byName = new Map<string, number>();
  const byAddress = new Map<string, number>();
  listeners.forEach((listener, i) => {
    const base: PathSegment[] = ["spec", "listeners", i];
    const first = byName.get(listener.name);
    if (first !== undefined)
      at(
        loaded,
        [...base, "name"],
        `"${listener.name}" is already the name of listeners[${first}]; give each listener its own name (routes name it in sectionName)`,
      );
    else byName.set(listener.name, i);

    const port = SERVED[listener.protocol];
    if (port === undefined) {
      at(
        loaded,
        [...base, "protocol"],
        `is ${JSON.stringify(listener.protocol)}, which the front door does not serve: it is an Application Load Balancer for HTTPS (and HTTP, which it redirects) ${cite(gkeGatewayListeners)}; use HTTPS`,
      );
      return;
    }
    if (listener.port !== port)
      // The ports are the front door's own (its forwarding rules), not GKE's: see gke.mc-gateway-listeners.
      at(
        loaded,
        [...base, "port"],
        `is ${listener.port}, but the front door's forwarding rules serve HTTPS on port 443 and HTTP on port 80 only; write port: ${port}`,
      );
    if (listener.protocol === "HTTP")
      at(
        loaded,
        [...base, "protocol"],
        `is HTTP: the front door's port 80 answers every host with a redirect to HTTPS (the FrontendConfig's redirectToHttps, always on), so the routes of this listener are served on the HTTPS listeners only, never over plain HTTP; keep it for the record or remove it`,
        "warning",
      );
    const key = `${listener.port} ${listener.hostname ?? "*"}`;
    const same = byAddress.get(key);
    if (same !== undefined)
      at(
        loaded,
        [...base, listener.hostname === undefined ? "port" : "hostname"],
        `serves ${listener.hostname ?? "every host"} on port ${listener.port} like listeners[${same}]; listeners of a Gateway MUST be distinct ${cite(gatewayListenerDistinct)}, so merge them or give each its own hostname`,
      );
    else byAddress.set(key, i);
    checkTls(loaded, listener, base, config, at);
    checkAllowedRoutes(loaded, listener, base, at);
  });
}

function checkTls(loaded: AdminGateway, listener: GatewayListener, base: PathSegment[], config: EnvironmentConfig, at: DocReport): void {
  const tls = listener.tls;
  if (!tls) return;
  const path: PathSegment[] = [...base, "tls"];
  if (listener.protocol === "HTTP") {
    at(loaded, path, `is set on an HTTP listener, which carries no TLS; remove it, or make the listener HTTPS on 443`);
    return;
  }
  if (tls.mode === "Passthrough")
    at(
      loaded,
      [...path, "mode"],
      `is Passthrough, but the front door is an Application Load Balancer that terminates TLS to route by path ${cite(gkeGatewayListeners)}; write mode: Terminate or leave it out`,
    );
  if (tls.certificateRefs !== undefined)
    at(
      loaded,
      [...path, "certificateRefs"],
      `names certificates in Kubernetes Secrets, which the front door cannot serve: it is one load balancer in front of every cluster and takes its certificates from Certificate Manager, where Fleetgate issues one for every host itself (fleetgate:tls.wildcardCertificates shares one per wildcard) ${cite(gkeGatewayCertificates)}. Remove certificateRefs, or import the certificate into Certificate Manager and name it in options: { ${GKE_CERT_MANAGER_CERTS}: <names> }`,
    );
  if (tls.frontendValidation !== undefined)
    at(loaded, [...path, "frontendValidation"], `asks the front door to verify client certificates, which Fleetgate's front door does not do; remove it`);
  for (const key of Object.keys(tls.options ?? {}).sort()) {
    const optionPath = [...path, "options", key];
    if (key === GKE_CERT_MANAGER_CERTS) {
      // The same as an ingress's fleetgate.io/certificate-manager-certs: the host's entries in the
      // environment's certificate map serve these certificates instead of a managed one.
      if (config.frontDoor === "aws")
        at(
          loaded,
          optionPath,
          `names Certificate Manager certificates, but the environment's front door is AWS, where Fleetgate issues ACM certificates for every host; remove the option`,
        );
    } else if (key === GKE_PRE_SHARED_CERTS)
      at(
        loaded,
        optionPath,
        `names Compute Engine SSL certificates, which the environment's front door (one certificate map for every host) cannot serve, so the listener's hosts get ${config.frontDoor === "gcp" ? "managed certificates" : "ACM certificates"} instead; to serve a certificate of your own, import it into Certificate Manager and name it in ${GKE_CERT_MANAGER_CERTS}`,
        "warning",
      );
    else
      at(
        loaded,
        optionPath,
        `is an option Fleetgate does not read (it reads ${GKE_CERT_MANAGER_CERTS}, and answers ${GKE_PRE_SHARED_CERTS}), so it changes nothing; remove it`,
        "warning",
      );
  }
}

function checkAllowedRoutes(loaded: AdminGateway, listener: GatewayListener, base: PathSegment[], at: DocReport): void {
  const allowed = listener.allowedRoutes;
  const path: PathSegment[] = [...base, "allowedRoutes"];
  if (allowed?.namespaces?.from === "Selector")
    at(
      loaded,
      [...path, "namespaces", "from"],
      `is Selector, but Fleetgate knows no namespace labels: namespaces are the team folders, and the admin's config gives them hosts (fleetgate:hostOwnership), not labels; write from: All (each namespace still serves only the hosts granted to it) or from: Same`,
    );
  else if (allowed?.namespaces?.selector !== undefined)
    at(loaded, [...path, "namespaces", "selector"], `is set, but from is not Selector, and Fleetgate knows no namespace labels; remove it`);
  (allowed?.kinds ?? []).forEach((k, i) => {
    if (k.kind !== "HTTPRoute" || k.group !== GATEWAY_GROUP)
      at(
        loaded,
        [...path, "kinds", i, k.group !== GATEWAY_GROUP ? "group" : "kind"],
        `is ${k.group !== GATEWAY_GROUP ? `group ${JSON.stringify(k.group)}` : k.kind}, but Fleetgate reads HTTPRoutes (${GATEWAY_GROUP}) only; write { kind: HTTPRoute } or remove the entry`,
      );
  });
}

/** The address the Gateway asks for: the environment's own (undefined) or an adopted one's name. */
export function gatewayAddress(environment: string, config: EnvironmentConfig, doc: Gateway): string | undefined {
  const address = doc.spec.addresses?.[0];
  if (!address || config.frontDoor !== "gcp") return undefined;
  const adopted = config.gcp?.adoptAddresses ?? [];
  if (address.type === "NamedAddress") return adopted.find((a) => a.name === address.value)?.name;
  const ip = canonicalIp(address.value);
  return adopted.find((a) => ip !== undefined && canonicalIp(a.address) === ip)?.name;
}

function checkAddresses(loaded: AdminGateway, environment: string, config: EnvironmentConfig, at: DocReport): void {
  const addresses = loaded.doc.spec.addresses ?? [];
  if (addresses.length === 0) return;
  if (config.frontDoor === "aws") {
    at(
      loaded,
      ["spec", "addresses"],
      `asks for an address, but the environment's front door is AWS: Global Accelerator serves on static anycast addresses it allocates itself ${cite(acceleratorAddresses)}; remove addresses and point clients at the accelerator's addresses (the stack's outputs)`,
    );
    return;
  }
  if (addresses.length > 1)
    at(
      loaded,
      ["spec", "addresses", 1],
      `is a second address, but the front door serves the routes' hosts from one address ${cite(gkeGatewayAddresses)}; keep one`,
    );
  const own = addressName(environment);
  const adopted = config.gcp?.adoptAddresses ?? [];
  const listing = [`"${own}" (the environment's own)`, ...adopted.map((a) => `"${a.name}" (${a.address})`)].join(", ");
  const address = addresses[0]!;
  const path: PathSegment[] = ["spec", "addresses", 0];
  if (address.type === "NamedAddress") {
    if (address.value !== own && !adopted.some((a) => a.name === address.value))
      at(
        loaded,
        [...path, "value"],
        `"${address.value}" is neither the environment's address nor one the admin adopted${didYouMean(address.value, [own, ...adopted.map((a) => a.name)])}; name one of ${listing}, or adopt the reserved address in the stack file (fleetgate:gcp.adoptAddresses: [{ name, address }])`,
      );
  } else if (address.type === "IPAddress") {
    const ip = canonicalIp(address.value);
    if (ip === undefined)
      at(
        loaded,
        [...path, "value"],
        `${JSON.stringify(address.value)} is not an IPv4 or IPv6 address; write the IP of a reserved global address, or use type NamedAddress with its name`,
      );
    else if (!adopted.some((a) => canonicalIp(a.address) === ip))
      at(
        loaded,
        [...path, "value"],
        `${ip} is the IP of no address the admin adopted; the environment's own address is reserved by Fleetgate (name it with type NamedAddress, value "${own}"), and an address reserved outside it is adopted in the stack file (fleetgate:gcp.adoptAddresses: [{ name, address: ${ip} }]); adopted now: ${adopted.length > 0 ? adopted.map((a) => `${a.name} (${a.address})`).join(", ") : "none"}`,
      );
  } else
    at(
      loaded,
      [...path, "type"],
      `is ${JSON.stringify(address.type)}, but the front door serves on a reserved global address, which a Gateway names with a NamedAddress or an IPAddress ${cite(gkeGatewayAddresses)}; use one of them`,
    );
}

/**
 * The adopted addresses' hosts with the Gateway's address: when the admin's Gateway names an adopted
 * address, the hosts its routes serve point at it too, as the hosts of an ingress that names it in its
 * static-ip annotation do (spec/static-ip.ts). The environment's own address needs nothing: every host
 * is served there.
 */
export function withGatewayAddress(
  adopted: ReadonlyMap<string, readonly string[]>,
  address: string | undefined,
  routeHosts: readonly string[],
): Map<string, string[]> {
  const out = new Map([...adopted].map(([name, hosts]) => [name, [...hosts]]));
  if (address === undefined || !out.has(address)) return out;
  out.set(address, [...new Set([...out.get(address)!, ...routeHosts])].sort());
  return out;
}
