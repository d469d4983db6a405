/**
 * The checks of one MultiClusterIngress: its backends, its default backend, its annotations, each host it
 * claims (with the default backend and certificate it gives the host) and each path. Claims are shared
 * with the Gateway API's routes through ClaimMaps, so one host and match have one owner across dialects.
 */
import { cite } from "../contracts/contract";
import { noRegex, urlMapRules } from "../contracts/gcp";
import { acmCertificates } from "../contracts/aws";
import { GATEWAY_REDIRECT_CODES, gatewayRedirectCodes } from "../contracts/kubernetes";
import type { DocReport, PathSegment } from "./diagnostics";
import { failedToLoad, keyOf, type Loaded, type LoadedDocuments } from "./documents";
import type { ClaimMaps } from "./http-route-checks";
import { hostGrants, ownersOf, whyNotOwned } from "./host-ownership";
import { ingressAnnotations } from "./ingress";
import { didYouMean } from "./names";
import { gkePathToMatch, isReservedPath, matchKey, RESERVED_PATH_PREFIX, routeMatch } from "./paths";
import { compiles } from "./regex";
import { ANNOTATIONS, type DocumentKind, type MultiClusterIngress, type MultiClusterService } from "./schema/documents";
import type { EnvironmentConfig } from "./schema/environment";
import { findPort } from "./select";

type Ingress = Loaded<"MultiClusterIngress", MultiClusterIngress>;
type BackendRef = { serviceName: string; servicePort: number | string };
type Rule = MultiClusterIngress["spec"]["template"]["spec"]["rules"][number];
type Path = Rule["http"]["paths"][number];

/** What every check of one ingress reads. */
interface IngressScope {
  readonly loaded: Ingress;
  readonly config: EnvironmentConfig;
  readonly documents: LoadedDocuments;
  readonly services: ReadonlyMap<string, Loaded<"MultiClusterService", MultiClusterService>>;
  readonly namespace: string;
  readonly at: DocReport;
  /** Whether the namespace may claim a host, and why not. */
  readonly owns: (host: string) => boolean;
  readonly whyNot: (host: string) => string;
}

const BASE: PathSegment[] = ["spec", "template", "spec"];

export function validateIngress(
  loaded: Ingress,
  config: EnvironmentConfig,
  documents: LoadedDocuments,
  services: ReadonlyMap<string, Loaded<"MultiClusterService", MultiClusterService>>,
  frontendConfigs: ReadonlyMap<string, Loaded<DocumentKind, unknown>>,
  maps: ClaimMaps,
  at: DocReport,
): void {
  const namespace = loaded.doc.metadata.namespace;
  const owned = config.hostOwnership.filter((o) => o.namespace === namespace).flatMap((o) => o.domains);
  const grants = hostGrants(config.hostOwnership);
  const scope: IngressScope = {
    loaded,
    config,
    documents,
    services,
    namespace,
    at,
    owns: (host) => ownersOf(host, grants).owners.has(namespace),
    whyNot: (host) => whyNotOwned(host, namespace, owned, grants),
  };
  const spec = loaded.doc.spec.template.spec;

  if (spec.backend) checkBackend(scope, [...BASE, "backend"], spec.backend);
  checkShadowedDefault(scope);
  // One with a default backend and no rules serves the environment's catch-all, if granted (spec/catch-all.ts).
  if (spec.rules.length === 0 && !spec.backend) at(loaded, [...BASE], `has neither rules nor a backend; add rules with a host and paths`);
  if (spec.tls)
    at(
      loaded,
      [...BASE, "tls"],
      `is ignored: Fleetgate issues a managed certificate for every host (or uses the Certificate Manager certificates named in ${ANNOTATIONS.certificateManagerCerts})`,
      "warning",
    );
  checkAnnotations(scope, frontendConfigs);

  spec.rules.forEach((rule, r) => {
    // A claim the namespace may not make takes nothing from the host's owners: it is reported once, and
    // no conflict with their rules (default backend, certificate, paths) is reported against them.
    const claimable = checkHost(scope, rule, r);
    if (claimable) claimHost(scope, rule, r, maps);
    rule.http.paths.forEach((entry, p) => checkPath(scope, rule, [...BASE, "rules", r, "http", "paths", p], entry, claimable ? maps.claims : undefined));
  });
}

/** A backend reference: a MultiClusterService of the ingress's namespace, and one of its ports. */
function checkBackend({ loaded, documents, services, namespace, at }: IngressScope, path: PathSegment[], ref: BackendRef): void {
  const service = services.get(`${namespace}/${ref.serviceName}`);
  if (!service && failedToLoad(documents, "MultiClusterService", namespace, ref.serviceName)) return;
  if (!service) {
    const names = [...services.values()].filter((s) => s.doc.metadata.namespace === namespace).map((s) => s.doc.metadata.name);
    at(
      loaded,
      [...path, "serviceName"],
      `"${ref.serviceName}" is not a MultiClusterService in namespace ${namespace}${didYouMean(ref.serviceName, names)}${names.length ? `; the services there are ${names.sort().join(", ")}` : "; define it in the team's folder"}`,
    );
    return;
  }
  if (!findPort(service.doc, ref.servicePort)) {
    const ports = service.doc.spec.template.spec.ports.map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port)));
    // YAML reads a quoted number as text, and text names a port by its name.
    const quotedNumber = typeof ref.servicePort === "string" && /^[0-9]+$/.test(ref.servicePort) && findPort(service.doc, Number(ref.servicePort));
    const hint = quotedNumber ? `; a quoted number is read as a port name, so write ${ref.servicePort} without quotes` : "";
    at(
      loaded,
      [...path, "servicePort"],
      `${JSON.stringify(ref.servicePort)} is not a port of ${namespace}/${ref.serviceName}; its ports are ${ports.join(", ")}${hint}`,
    );
  }
}

/**
 * A `/*` path with no other condition wins over the default backend on its host: one on every host leaves
 * the default nothing to serve (harmless where both name the same service and port).
 */
function checkShadowedDefault({ loaded, services, namespace, at }: IngressScope): void {
  const spec = loaded.doc.spec.template.spec;
  const backend = spec.backend;
  if (!backend || spec.rules.length === 0) return;
  const catchAllPaths = spec.rules.map((rule) =>
    rule.http.paths.filter((p) => {
      const m = gkePathToMatch(p.path);
      return "match" in m && m.match.type === "Prefix" && m.match.value === "/" && p.fleetgate?.match === undefined;
    }),
  );
  const portKey = (ref: BackendRef) => {
    const service = services.get(`${namespace}/${ref.serviceName}`);
    return `${ref.serviceName}:${(service && findPort(service.doc, ref.servicePort)?.port) ?? ref.servicePort}`;
  };
  if (catchAllPaths.every((paths) => paths.length > 0) && catchAllPaths.flat().some((p) => p.backend === undefined || portKey(p.backend) !== portKey(backend)))
    at(
      loaded,
      [...BASE, "backend"],
      `serves nothing: every host of this ingress (${spec.rules.map((r) => r.host).join(", ")}) has a /* path, which every request there takes first; remove the default backend, or narrow the /* paths (to answer unknown hosts with it, as GKE's default backend also does, give it an ingress of its own without rules and grant that namespace fleetgate:catchAll)`,
      "warning",
    );
}

/** The certificate annotations, and the FrontendConfig the ingress names. */
function checkAnnotations(
  { loaded, config, documents, namespace, at }: IngressScope,
  frontendConfigs: ReadonlyMap<string, Loaded<DocumentKind, unknown>>,
): void {
  const annotations = ingressAnnotations(loaded.doc);
  const annotationPath = (key: string): PathSegment[] => ["metadata", "annotations", key];
  if (annotations.preSharedCerts !== undefined && config.frontDoor === "aws")
    at(
      loaded,
      annotationPath(ANNOTATIONS.certificateManagerCerts),
      `names Certificate Manager certificates, but the front door is AWS, where Fleetgate issues ACM certificates; remove the annotation`,
    );
  if (annotations.gkePreSharedCerts)
    at(
      loaded,
      annotationPath(ANNOTATIONS.gkePreSharedCerts),
      `names Compute Engine SSL certificates, which the environment's front door (one certificate map for every host) cannot serve, so its hosts get ${config.frontDoor === "gcp" ? "managed certificates" : "ACM certificates"} instead; to serve a certificate of your own, import it into Certificate Manager and name it in ${ANNOTATIONS.certificateManagerCerts}`,
      "warning",
    );
  if (annotations.frontendConfig === undefined) return;
  const fc = frontendConfigs.get(`${namespace}/${annotations.frontendConfig.name}`) as
    Loaded<"FrontendConfig", { spec: { sslPolicy?: string; redirectToHttps?: { enabled: boolean } } }> | undefined;
  if (!fc) {
    // One that failed to load is reported at the FrontendConfig itself.
    if (!failedToLoad(documents, "FrontendConfig", namespace, annotations.frontendConfig.name))
      at(
        loaded,
        annotationPath(annotations.frontendConfig.key),
        `names FrontendConfig "${annotations.frontendConfig.name}", which is not defined in namespace ${namespace}; add it to the team's folder or fix the name`,
      );
    return;
  }
  if (fc.doc.spec.sslPolicy !== undefined)
    at(
      fc,
      ["spec", "sslPolicy"],
      `is not applied: the environment's one front door uses the SSL policy the admin sets (fleetgate:gcp.sslPolicy, fleetgate:tls.minVersion)`,
      "warning",
    );
  if (fc.doc.spec.redirectToHttps?.enabled === false)
    at(fc, ["spec", "redirectToHttps", "enabled"], `is not applied: the front door always redirects HTTP to HTTPS`, "warning");
}

/** A rule's host: whether the namespace may claim it, and a length ACM takes. */
function checkHost({ loaded, config, namespace, at, owns, whyNot }: IngressScope, rule: Rule, r: number): boolean {
  const path: PathSegment[] = [...BASE, "rules", r, "host"];
  if (config.frontDoor === "aws" && rule.host.length > 64)
    at(
      loaded,
      path,
      `has ${rule.host.length} characters; ACM gives a certificate's domain name at most 64 ${cite(acmCertificates)}, and the AWS front door's certificates may put any host first; serve it under a shorter name`,
    );
  const claimable = owns(rule.host);
  if (!claimable) at(loaded, path, `namespace ${namespace} may not claim "${rule.host}"; ${whyNot(rule.host)}`);
  return claimable;
}

/** What a claimed host takes from the ingress: its default backend and its certificate, one of each per host. */
function claimHost({ loaded, at }: IngressScope, rule: Rule, r: number, { defaults, certificates }: ClaimMaps): void {
  const ingress = loaded.doc;
  const backend = ingress.spec.template.spec.backend;
  const host = rule.host;
  if (backend) {
    const previous = defaults.get(host);
    const service = `${backend.serviceName}:${backend.servicePort}`;
    if (!previous) defaults.set(host, { service, loaded });
    else if (previous.loaded.doc !== ingress) {
      const where = previous.loaded.locate([...BASE, "backend"]);
      at(
        loaded,
        [...BASE, "backend"],
        `is a second default backend for host ${host}, which ${keyOf(previous.loaded.doc)} (${where.file}:${where.line ?? 1}) already gives one; a host has one default backend, so remove one or serve the paths explicitly`,
      );
    }
  }
  const certNames = ingressAnnotations(ingress).preSharedCerts?.join(",") ?? "managed";
  const previousCert = certificates.get(host);
  const described = (names: string) => (names === "managed" ? "a managed certificate" : `pre-shared certificates ${names}`);
  if (!previousCert) certificates.set(host, { names: certNames, loaded });
  else if (previousCert.names !== certNames && previousCert.loaded.doc !== ingress)
    at(
      loaded,
      [...BASE, "rules", r, "host"],
      `is served with ${described(certNames)} here but with ${described(previousCert.names)} by ${keyOf(previousCert.loaded.doc)}; a host has one certificate, so agree on one`,
    );
}

/** One path: its match, what it does, what the front door can express, and its claim (when the host is the namespace's). */
function checkPath(scope: IngressScope, rule: Rule, pathPath: PathSegment[], entry: Path, claims: ClaimMaps["claims"] | undefined): void {
  const { loaded, config, namespace, at, owns, whyNot } = scope;
  const normalised = gkePathToMatch(entry.path);
  if ("problem" in normalised) {
    at(loaded, [...pathPath, "path"], normalised.problem);
    return;
  }
  const ext = entry.fleetgate;
  const reserved = `lies under ${RESERVED_PATH_PREFIX}, which Fleetgate reserves on every host for the front door's health checks through the gateways (the front door answers clients there with 404 itself)`;
  if (isReservedPath(normalised.match.value))
    at(loaded, [...pathPath, "path"], `${JSON.stringify(entry.path)} ${reserved}; serve the route under another path`);
  for (const [action, field] of [
    ["rewrite", "prefix"],
    ["rewrite", "path"],
    ["redirect", "prefix"],
    ["redirect", "path"],
  ] as const) {
    const target = ext?.[action]?.[field];
    if (target !== undefined && isReservedPath(target))
      at(loaded, [...pathPath, "fleetgate", action, field], `${JSON.stringify(target)} ${reserved}; ${action} to another path`);
  }
  if (ext?.redirect && entry.backend)
    at(loaded, [...pathPath, "fleetgate", "redirect"], `is set together with a backend; a path either redirects or forwards, so remove one`);
  const rewriteHost = ext?.rewrite?.host;
  if (rewriteHost !== undefined && !owns(rewriteHost))
    at(
      loaded,
      [...pathPath, "fleetgate", "rewrite", "host"],
      `rewrites requests to "${rewriteHost}", which namespace ${namespace} does not own: a gateway that routes by host would hand them to that host's routes, with this team's backend settings; ${whyNot(rewriteHost)}`,
    );
  for (const [field, max] of [
    ["prefix", 1024],
    ["path", 1024],
    ["host", 255],
  ] as const) {
    const value = ext?.rewrite?.[field];
    if (value !== undefined && value.length > max)
      at(
        loaded,
        [...pathPath, "fleetgate", "rewrite", field],
        `has ${value.length} characters; the front door rewrites to at most ${max} ${cite(urlMapRules)}`,
      );
  }
  if (ext?.redirect?.scheme === "http") {
    if (config.frontDoor === "gcp")
      at(
        loaded,
        [...pathPath, "fleetgate", "redirect", "scheme"],
        `is http, which the GCP front door cannot answer with: its URL map serves HTTPS and only redirects to HTTPS; remove scheme`,
      );
    else if (ext.redirect.host === undefined)
      at(
        loaded,
        [...pathPath, "fleetgate", "redirect", "scheme"],
        `is http to the same host, whose port 80 redirects back to HTTPS, so the client would loop; redirect to another host or remove scheme`,
      );
  }
  // Behind AWS the gateways are the front door, and a Gateway API redirect has two codes.
  const code = ext?.redirect?.statusCode;
  if (config.frontDoor === "aws" && code !== undefined && !(GATEWAY_REDIRECT_CODES as readonly number[]).includes(code))
    at(
      loaded,
      [...pathPath, "fleetgate", "redirect", "statusCode"],
      `is ${code}, but behind the AWS front door the clusters' gateways answer the redirect, and a Gateway API redirect is 301 or 302 ${cite(gatewayRedirectCodes)}; use ${code === 308 ? "301, the permanent one" : "302, the temporary one"}`,
    );
  if (!ext?.redirect && !entry.backend) at(loaded, pathPath, `has no backend; add backend: { serviceName, servicePort } (or a fleetgate.redirect)`);
  if (entry.backend) checkBackend(scope, [...pathPath, "backend"], entry.backend);
  checkSplit(scope, pathPath, entry);
  checkConditions(scope, pathPath, entry);
  if (normalised.match.type === "Exact" && (ext?.rewrite?.prefix !== undefined || ext?.redirect?.prefix !== undefined))
    at(
      loaded,
      [...pathPath, "fleetgate"],
      `replaces a prefix, but "${entry.path}" is an exact path; use path instead of prefix, or make the path "${entry.path}/*"`,
    );
  if (normalised.match.type === "Prefix" && ext?.rewrite?.path !== undefined)
    at(
      loaded,
      [...pathPath, "fleetgate", "rewrite", "path"],
      `replaces the whole path of every request under "${entry.path}"; use prefix to keep what follows it`,
    );

  if (!claims) return;
  const claimKey = `${rule.host} ${matchKey(routeMatch(normalised.match, ext))}`;
  const previous = claims.get(claimKey);
  if (previous) {
    const where = previous.loaded.locate(previous.path);
    at(
      loaded,
      [...pathPath, "path"],
      `${rule.host}${entry.path ?? "/*"}${ext?.match?.method !== undefined ? ` for ${ext.match.method}` : ""} is already claimed by ${keyOf(previous.loaded.doc)} at ${where.file}:${where.line ?? 1}; one host and path have one owner, so remove one of them or tell them apart with fleetgate.match (another method, headers or query parameters)`,
    );
  } else claims.set(claimKey, { loaded, path: [...pathPath, "path"] });
}

/** A path's split: the path's own backend takes the rest, each backend named once. */
function checkSplit(scope: IngressScope, pathPath: PathSegment[], entry: Path): void {
  const { loaded, at } = scope;
  const split = entry.fleetgate?.split;
  if (!split) return;
  const splitPath = [...pathPath, "fleetgate", "split"];
  if (!entry.backend) at(loaded, splitPath, `needs the path's own backend, which receives the traffic the split does not take`);
  const total = split.reduce((sum, s) => sum + s.weight, 0);
  if (total > 100) at(loaded, splitPath, `gives ${total}% of the traffic away; the weights MUST add up to at most 100 (the path's backend receives the rest)`);
  if (total === 100)
    at(
      loaded,
      splitPath,
      `gives all traffic to the split, so the path's own backend receives none; point the backend at the service that should serve`,
      "warning",
    );
  const refs = new Set(entry.backend ? [`${entry.backend.serviceName}:${entry.backend.servicePort}`] : []);
  split.forEach((s, i) => {
    checkBackend(scope, [...splitPath, i], s);
    const ref = `${s.serviceName}:${s.servicePort}`;
    if (refs.has(ref)) at(loaded, [...splitPath, i], `sends to ${ref} again; name each backend once`);
    refs.add(ref);
  });
}

/** A path's header and query conditions: values where the type needs one, expressions that compile and the front door can match. */
function checkConditions({ loaded, config, at }: IngressScope, pathPath: PathSegment[], entry: Path): void {
  const match = entry.fleetgate?.match;
  const conditions = [
    ...(match?.headers ?? []).map((m, i) => ({ m, path: [...pathPath, "fleetgate", "match", "headers", i] })),
    ...(match?.queryParams ?? []).map((m, i) => ({ m, path: [...pathPath, "fleetgate", "match", "queryParams", i] })),
  ];
  for (const { m, path } of conditions) {
    if (m.type === "Present" && m.value !== undefined)
      at(loaded, [...path, "value"], `is set for a Present match, which ignores values; remove it or use type Exact`);
    if (m.type !== "Present" && m.value === undefined) at(loaded, path, `has no value; give the value to match, or use type Present`);
    if (m.type === "RegularExpression" && m.value !== undefined && !compiles(m.value))
      at(loaded, [...path, "value"], `${JSON.stringify(m.value)} is not a valid regular expression`);
    // Google's global load balancer refuses regular expressions in header and query matches (they are
    // for regional and internal ones), and the environment's one URL map would fail for every host.
    if (m.type === "RegularExpression" && config.frontDoor === "gcp")
      at(
        loaded,
        [...path, "type"],
        `is RegularExpression, which the GCP front door's global load balancer cannot match ${cite(noRegex)}; use Exact or Present`,
      );
  }
}
