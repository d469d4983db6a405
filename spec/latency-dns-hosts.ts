/**
 * In the AWS front door's latency-dns mode a host's latency records alias its regions' records, and an
 * alias has the type of the records it routes to: A for the EKS gateways' NLBs, CNAME for the public
 * names of gateways outside AWS. So a host is served by one kind of cluster, and a host reached by
 * CNAME is not its zone's apex. The hosts of both dialects are checked, each where it is written.
 * Gateways outside AWS are reached at their public names on their TLS port only: Fleetgate answers no
 * port 80 for them, so a FrontendConfig's redirect code for a host they serve is answered with a warning.
 */
import { cite } from "../contracts/contract";
import { routeRecords } from "../contracts/aws";
import type { DocReport, PathSegment } from "./diagnostics";
import type { Loaded, LoadedDocuments } from "./documents";
import type { NormalisedHttpRoute } from "./http-routes";
import { redirectClaims } from "./https-redirect";
import type { MultiClusterService } from "./schema/documents";
import type { EnvironmentConfig } from "./schema/environment";
import { selectClusters } from "./select";
import type { Locator } from "./yaml-source";

interface HostUse {
  /** Where the host is first written. */
  readonly loaded: { locate: Locator };
  readonly path: PathSegment[];
  /** Keys (`namespace/name`) of the services it forwards to. */
  readonly services: Set<string>;
}

export function checkLatencyDnsHosts(
  config: EnvironmentConfig,
  documents: Pick<LoadedDocuments, "ingresses" | "frontendConfigs">,
  httpRoutes: readonly NormalisedHttpRoute[],
  services: ReadonlyMap<string, Loaded<"MultiClusterService", MultiClusterService>>,
  at: DocReport,
): void {
  if (config.frontDoor !== "aws" || config.aws?.mode !== "latency-dns") return;
  const byHost = new Map<string, HostUse>();
  const use = (host: string, loaded: { locate: Locator }, path: PathSegment[]) => {
    const entry = byHost.get(host) ?? { loaded, path, services: new Set<string>() };
    byHost.set(host, entry);
    return entry.services;
  };
  for (const loaded of documents.ingresses) {
    const spec = loaded.doc.spec.template.spec;
    const namespace = loaded.doc.metadata.namespace;
    spec.rules.forEach((rule, r) => {
      const served = use(rule.host, loaded, ["spec", "template", "spec", "rules", r, "host"]);
      const refs = [spec.backend, ...rule.http.paths.flatMap((p) => [p.backend, ...(p.fleetgate?.split ?? [])])];
      for (const ref of refs) if (ref !== undefined) served.add(`${namespace}/${ref.serviceName}`);
    });
  }
  for (const { loaded, routes } of httpRoutes)
    for (const route of routes) {
      const served = use(route.host, loaded, route.hostPath);
      if (route.action.kind === "forward") for (const b of route.action.backends) served.add(b.service);
    }

  const providerOf = new Map(config.clusters.map((c) => [c.name, c.provider]));
  const claims = redirectClaims(documents);
  const warned = new Set<unknown>();
  for (const [host, { loaded, path, services: keys }] of byHost) {
    const clusters = new Set<string>();
    for (const key of keys) {
      const service = services.get(key);
      if (service) for (const s of selectClusters(service.doc, config.clusters).selected) clusters.add(s.cluster.name);
    }
    const eks = [...clusters].filter((c) => providerOf.get(c) === "eks").sort();
    const others = [...clusters].filter((c) => providerOf.get(c) !== "eks").sort();
    if (eks.length > 0 && others.length > 0)
      at(
        loaded,
        path,
        `is served by EKS clusters (${eks.join(", ")}) and by clusters outside AWS (${others.join(", ")}); in latency-dns mode its records alias either NLBs (A records) or public names (CNAMEs), never both, since an alias has the type of the records it routes to ${cite(routeRecords)}; serve the host from one kind of cluster`,
      );
    else if (others.length > 0 && config.dns.zones.some((z) => z.domain === host))
      at(
        loaded,
        path,
        `is the apex of its DNS zone and is served by clusters outside AWS, which latency-dns reaches by CNAME, and a zone's apex cannot hold a CNAME ${cite(routeRecords)}; serve a name below the apex, or serve the apex from EKS clusters`,
      );
    if (eks.length === 0 && others.length > 0)
      for (const claim of claims.filter((c) => c.host === host && !warned.has(c.frontendConfig))) {
        warned.add(claim.frontendConfig);
        at(
          claim.frontendConfig,
          ["spec", "redirectToHttps", "responseCodeName"],
          `is not applied for ${host}: its clusters (${others.join(", ")}) are outside AWS, which latency-dns reaches at their gateways' public names on the TLS port only, and Fleetgate answers no port 80 there; have the load balancer in front of those gateways redirect port 80 with ${claim.status}, or serve the host from EKS clusters`,
          "warning",
        );
      }
  }
}
