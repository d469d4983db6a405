/**
 * GcpBackends: the backend side of the GCP front door, created from a GcpBackendsPlan (backend-plan.ts):
 * health checks (one per service port, shared by its backend services), EXTERNAL_MANAGED backend
 * services over the gateways' NEGs, internet NEGs for non-GKE clusters, and the firewall rules.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { afterWait } from "../waits";
import { LOAD_BALANCING_SCHEME, type BackendServiceSpec, type GcpBackendsPlan, type HealthCheckSpec } from "./backend-plan";
import { mutable } from "./names";
import { negParts, waitForNeg } from "./neg-wait";

export interface GcpBackendsArgs {
  /** What to create; every decision is in it. */
  readonly backends: GcpBackendsPlan;
  /**
   * Per cluster, the resource whose creation makes its gateway NEGs exist (the gateway). Backend
   * services wait for the gateways of the clusters they attach; a cluster absent here is not waited for.
   */
  readonly gateways: Readonly<Record<string, pulumi.Resource>>;
}

export class GcpBackends extends pulumi.ComponentResource {
  /** Backend services by key (`namespace/name:port`, `...@cluster`, `catch-all`). */
  readonly backendServices: Readonly<Record<string, gcp.compute.BackendService>>;

  constructor(name: string, args: GcpBackendsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:gcp:GcpBackends", name, {}, opts);
    const { backends, gateways } = args;
    const project = backends.project;

    const internet = new Map(
      backends.internetNegs.map((spec) => {
        const neg = new gcp.compute.GlobalNetworkEndpointGroup(
          spec.logicalName,
          {
            name: spec.name,
            project,
            networkEndpointType: "INTERNET_FQDN_PORT",
            defaultPort: spec.port,
            description: `Fleetgate: the public gateway of ${spec.cluster}`,
          },
          { parent: this },
        );
        const endpoint = new gcp.compute.GlobalNetworkEndpoint(
          `${spec.logicalName}-endpoint`,
          { project, globalNetworkEndpointGroup: neg.name, fqdn: spec.fqdn, port: spec.port },
          { parent: this },
        );
        return [spec.cluster, { neg, endpoint }] as const;
      }),
    );

    // A health check serves every backend service of its service port, so it waits for all their gateways.
    const checkSpecs = new Map<string, { spec: HealthCheckSpec; attached: Set<pulumi.Resource> }>();
    for (const spec of backends.backendServices) {
      if (!spec.healthCheck) continue;
      const entry = checkSpecs.get(spec.healthCheck.logicalName) ?? { spec: spec.healthCheck, attached: new Set<pulumi.Resource>() };
      for (const c of spec.clusters) if (gateways[c]) entry.attached.add(gateways[c]);
      checkSpecs.set(spec.healthCheck.logicalName, entry);
    }
    // A check changes only once the gateways it asks (and their routes, which each Gateway waits for) are in place.
    const healthChecks = new Map([...checkSpecs].map(([logical, { spec, attached }]) => [logical, this.healthCheck(project, spec, [...attached])] as const));

    // Each NEG is waited for once, after its cluster's gateway, however many backend services attach it.
    const negs = new Map<string, pulumi.Output<string>>();
    const negReady = (b: BackendServiceSpec["backends"][number]): pulumi.Output<string> => {
      let ready = negs.get(b.group);
      if (!ready) {
        const { project: negProject, zone, name: negName } = negParts(b.group);
        const read = () => gcp.compute.getNetworkEndpointGroup({ project: negProject, zone, name: negName }, { parent: this });
        ready = afterWait(b.group, gateways[b.cluster]?.urn ?? b.group, () => waitForNeg({ cluster: b.cluster, zone: b.zone, group: b.group }, read));
        negs.set(b.group, ready);
      }
      return ready;
    };

    const services: Record<string, gcp.compute.BackendService> = {};
    for (const spec of backends.backendServices) {
      const attached = spec.clusters.flatMap((c) => (gateways[c] ? [gateways[c]] : []));
      const healthCheck = spec.healthCheck ? healthChecks.get(spec.healthCheck.logicalName) : undefined;
      const neg = spec.internetCluster !== undefined ? internet.get(spec.internetCluster) : undefined;
      const dependsOn = [...attached, ...(neg ? [neg.endpoint] : [])];
      services[spec.key] = new gcp.compute.BackendService(
        spec.logicalName,
        {
          name: spec.name,
          project,
          description: spec.description,
          loadBalancingScheme: LOAD_BALANCING_SCHEME,
          protocol: spec.protocol,
          backends: backendsOf(spec, neg?.neg, negReady),
          ...(healthCheck ? { healthChecks: healthCheck.selfLink } : {}),
          ...mutable(spec.settings),
        },
        { parent: this, dependsOn },
      );
    }
    this.backendServices = services;

    // Without these rules NEG endpoints never become healthy. They have no target tags because the
    // node tags of GKE node pools are not in the plan: they admit only Google's ranges, only to the
    // gateway ports, on every instance of the network. They change after the health checks, so a port
    // the checks leave is closed only once no check asks it.
    for (const rule of backends.firewalls)
      new gcp.compute.Firewall(
        rule.logicalName,
        {
          name: rule.name,
          project: rule.project,
          network: rule.network,
          description: `Fleetgate: Google's health checks and load balancer proxies to the gateways on ${rule.network}`,
          direction: "INGRESS",
          sourceRanges: [...rule.sourceRanges],
          allows: [{ protocol: "tcp", ports: [...rule.ports] }],
        },
        { parent: this, dependsOn: [...healthChecks.values()] },
      );

    this.registerOutputs({ backendServices: pulumi.output(Object.fromEntries(Object.entries(services).map(([key, s]) => [key, s.name]))) });
  }

  /** The self link of a backend service by key, for the URL map. */
  selfLink(key: string): pulumi.Output<string> {
    const service = this.backendServices[key];
    if (!service) throw new Error(`the GCP front door has no backend service ${key}`);
    return service.selfLink;
  }

  private healthCheck(project: string, spec: HealthCheckSpec, dependsOn: pulumi.Resource[]): gcp.compute.HealthCheck {
    return new gcp.compute.HealthCheck(
      spec.logicalName,
      {
        name: spec.name,
        project,
        description: spec.description,
        checkIntervalSec: spec.checkIntervalSec,
        timeoutSec: spec.timeoutSec,
        healthyThreshold: spec.healthyThreshold,
        unhealthyThreshold: spec.unhealthyThreshold,
        httpHealthCheck: {
          ...(spec.host !== undefined ? { host: spec.host } : {}),
          requestPath: spec.requestPath,
          ...(spec.port !== undefined ? { portSpecification: "USE_FIXED_PORT", port: spec.port } : { portSpecification: "USE_SERVING_PORT" }),
        },
      },
      { parent: this, dependsOn },
    );
  }
}

function backendsOf(
  spec: BackendServiceSpec,
  neg: gcp.compute.GlobalNetworkEndpointGroup | undefined,
  ready: (b: BackendServiceSpec["backends"][number]) => pulumi.Output<string>,
): gcp.types.input.compute.BackendServiceBackend[] {
  // A global internet NEG takes no balancing mode or capacity scaler.
  if (spec.kind === "internet") return neg ? [{ group: neg.selfLink }] : [];
  // A zonal NEG is named once GKE has made it (neg-wait.ts).
  return spec.backends.map((b) => ({
    group: ready(b),
    balancingMode: b.balancingMode,
    maxRatePerEndpoint: b.maxRatePerEndpoint,
    capacityScaler: b.capacityScaler,
  }));
}
