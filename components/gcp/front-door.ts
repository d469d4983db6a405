/**
 * The GCP front door: one global external Application Load Balancer (EXTERNAL_MANAGED) for the whole
 * environment, with Certificate Manager certificates and Cloud DNS records, in front of every cluster's
 * gateway. One anycast address (and one IPv6 address when asked), plus each global address the admin
 * adopted (read, never created or deleted), with one HTTPS forwarding rule per address, serve every host
 * of every team; port 80 only redirects to HTTPS.
 *
 * The decisions live in pure modules (backend-plan.ts, url-map.ts, certificate-plan.ts); this component
 * and its two children only create what they say.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../../spec/plan";
import { gcpFrontDoor, LOAD_BALANCING_SCHEME, planBackends } from "./backend-plan";
import { confirmAdoptedAddress, planServingAddresses } from "./address-plan";
import { GcpBackends } from "./backends";
import { planAddressRecords, planCertificates } from "./certificate-plan";
import { GcpCertificates } from "./certificates";
import { cloudName, logicalName, mutable } from "./names";
import { buildUrlMap, httpsRedirectMap } from "./url-map";

export interface GcpFrontDoorArgs {
  /** The environment's plan; its front door MUST be `gcp`. Every name, rule and weight comes from it. */
  readonly plan: FleetPlan;
  /**
   * Per serving cluster, the resource the front door waits for (its Gateway, whose Service carries the
   * NEG annotation), so NEGs exist before a backend service attaches them. A cluster missing here is not
   * waited for; an empty record makes no dependencies (the front door alone, e.g. in tests).
   */
  readonly gateways: Readonly<Record<string, pulumi.Resource>>;
}

/** What the stack reports per host. */
export interface GcpHostStatus {
  readonly host: string;
  /** The Certificate Manager certificates that serve it. */
  readonly certificates: string[];
  /** Its certificate map entry and the entry's state (ACTIVE once its certificate is issued). */
  readonly certificateMapEntry: string;
  readonly certificateState: string;
}

/**
 * SSL policy profile for the plan: GCP accepts a TLS 1.3 minimum only with the RESTRICTED profile,
 * which is then the one that applies (TLS 1.3 has no weaker ciphers to choose from anyway).
 */
export function sslPolicyFor(plan: FleetPlan): { profile: "COMPATIBLE" | "MODERN" | "RESTRICTED"; minTlsVersion: "TLS_1_2" | "TLS_1_3" } {
  const frontDoor = gcpFrontDoor(plan);
  return frontDoor.minTlsVersion === "1.3"
    ? { profile: "RESTRICTED", minTlsVersion: "TLS_1_3" }
    : { profile: frontDoor.sslPolicyProfile, minTlsVersion: "TLS_1_2" };
}

export class GcpFrontDoor extends pulumi.ComponentResource {
  /** The environment's global IPv4 address. */
  readonly address: pulumi.Output<string | undefined>;
  /** The global IPv6 address, when the admin asks for one. */
  readonly ipv6Address: pulumi.Output<string | undefined>;
  /** Every host with its certificates and their state, sorted by host. */
  readonly hosts: pulumi.Output<GcpHostStatus[]>;
  /** Per routed service port (`namespace/name:port`, and `...@cluster` for non-GKE clusters), its backend service's name. */
  readonly backendServices: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: GcpFrontDoorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:gcp:GcpFrontDoor", name, {}, opts);
    const { plan, gateways } = args;
    const frontDoor = gcpFrontDoor(plan);
    const env = plan.environment;
    const project = frontDoor.project;

    const backendPlan = planBackends(plan);
    const backends = new GcpBackends(env, { backends: backendPlan, gateways }, { parent: this });
    const awaitSeconds = frontDoor.awaitCertificatesSeconds;
    const certificates = new GcpCertificates(
      env,
      { certificates: planCertificates(plan), ...(awaitSeconds !== undefined ? { awaitSeconds } : {}) },
      { parent: this },
    );

    // The addresses are what every DNS record and every client points at: never lost by mistake.
    const addresses = [
      new gcp.compute.GlobalAddress(
        logicalName(env, "address", "ipv4"),
        { name: frontDoor.addressName, project, addressType: "EXTERNAL", ipVersion: "IPV4", description: `Fleetgate: the front door of ${env}` },
        { parent: this, protect: true },
      ),
      ...(frontDoor.ipv6
        ? [
            new gcp.compute.GlobalAddress(
              logicalName(env, "address", "ipv6"),
              {
                name: `${frontDoor.addressName}-v6`,
                project,
                addressType: "EXTERNAL",
                ipVersion: "IPV6",
                description: `Fleetgate: the IPv6 front door of ${env}`,
              },
              { parent: this, protect: true },
            ),
          ]
        : []),
    ];

    const sslPolicy = new gcp.compute.SSLPolicy(
      logicalName(env, "ssl-policy"),
      { name: cloudName(env), project, ...sslPolicyFor(plan), description: `Fleetgate: TLS for the front door of ${env}` },
      { parent: this },
    );

    const urlMap = new gcp.compute.URLMap(
      logicalName(env, "url-map"),
      {
        name: cloudName(env),
        project,
        description: `Fleetgate: every host and route of ${env}`,
        ...mutable(buildUrlMap(plan.hosts, backendPlan, (key) => backends.selfLink(key), plan.catchAll)),
      },
      { parent: this },
    );
    const httpsProxy = new gcp.compute.TargetHttpsProxy(
      logicalName(env, "https-proxy"),
      {
        name: cloudName(env, "https"),
        project,
        urlMap: urlMap.selfLink,
        certificateMap: certificates.mapReference,
        sslPolicy: sslPolicy.selfLink,
        description: `Fleetgate: HTTPS for ${env}`,
      },
      { parent: this },
    );
    const redirectMap = new gcp.compute.URLMap(
      logicalName(env, "http-redirect"),
      { name: cloudName(env, "http-redirect"), project, description: `Fleetgate: HTTP to HTTPS for ${env}`, ...mutable(httpsRedirectMap(plan.hosts)) },
      { parent: this },
    );
    const httpProxy = new gcp.compute.TargetHttpProxy(
      logicalName(env, "http-proxy"),
      { name: cloudName(env, "http"), project, urlMap: redirectMap.selfLink, description: `Fleetgate: HTTP to HTTPS for ${env}` },
      { parent: this },
    );
    // Every address serves the same proxies: its own (IPv4, IPv6) and each adopted one (address-plan.ts).
    // An adopted address is only read, never registered, so nothing here can delete it; its rules serve
    // on the declared IP once the read confirms it, and wait for that read.
    const targets = { https: httpsProxy.selfLink, http: httpProxy.selfLink };
    const adoptedIps: Record<string, pulumi.Output<string>> = {};
    for (const serving of planServingAddresses(plan)) {
      let ipAddress: pulumi.Input<string | undefined>;
      let dependsOn: pulumi.Resource[] = [];
      if (serving.adopted && serving.read) {
        const adopted = serving.adopted;
        const read = gcp.compute.GlobalAddress.get(
          serving.read.logicalName,
          serving.read.id,
          { name: adopted.name, project, address: adopted.address },
          { parent: this },
        );
        adoptedIps[adopted.name] = pulumi
          .all([read.address, read.addressType])
          .apply(([address, addressType]) => confirmAdoptedAddress(adopted, project, { address, addressType }));
        ipAddress = adoptedIps[adopted.name];
        dependsOn = [read];
      } else ipAddress = (serving.key === "ipv4" ? addresses[0]! : addresses[1]!).address;
      for (const rule of serving.rules)
        new gcp.compute.GlobalForwardingRule(
          rule.logicalName,
          {
            name: rule.name,
            project,
            ipAddress,
            ipProtocol: "TCP",
            portRange: rule.port,
            loadBalancingScheme: LOAD_BALANCING_SCHEME,
            networkTier: "PREMIUM",
            target: targets[rule.scheme],
            description: serving.adopted
              ? `Fleetgate: ${rule.scheme.toUpperCase()} for ${env} on the adopted address ${serving.adopted.name}`
              : `Fleetgate: ${rule.scheme.toUpperCase()} for ${env}`,
          },
          { parent: this, dependsOn },
        );
    }

    // Records move traffic to the load balancer: each waits for its host's certificate map entry and, where
    // the admin asks (fleetgate:gcp.awaitCertificates), for its managed certificate to be ACTIVE. DNS
    // authorization lets Certificate Manager issue it whether or not the host points here yet, and `hosts`
    // reports each entry's state.
    for (const record of planAddressRecords(plan)) {
      const address = record.adopted ? adoptedIps[record.adopted.name]! : (record.type === "A" ? addresses[0]! : addresses[1]!).address;
      new gcp.dns.RecordSet(
        record.logicalName,
        {
          project: record.zone.project,
          managedZone: record.zone.managedZone,
          name: `${record.host}.`,
          type: record.type,
          ttl: record.zone.ttl,
          rrdatas: pulumi.all([address, certificates.ready[record.host]!]).apply(([ip]) => [ip!]),
        },
        { parent: this, dependsOn: [certificates.entries[record.host]!] },
      );
    }

    this.address = addresses[0]!.address;
    this.ipv6Address = addresses[1] ? addresses[1].address : pulumi.output(undefined);
    this.hosts = pulumi.all(
      plan.hosts.map((host) => {
        const entry = certificates.entries[host.name]!;
        return pulumi.all([certificates.certificatesOf[host.name]!, entry.name, entry.state]).apply(([certs, entryName, state]): GcpHostStatus => ({
          host: host.name,
          certificates: certs,
          certificateMapEntry: entryName,
          certificateState: state,
        }));
      }),
    );
    this.backendServices = pulumi.output(Object.fromEntries(backendPlan.backendServices.filter((b) => b.backendKey !== undefined).map((b) => [b.key, b.name])));
    this.registerOutputs({ address: this.address, ipv6Address: this.ipv6Address, hosts: this.hosts, backendServices: this.backendServices });
  }
}
