/**
 * ClusterGateway: the Gateway API gateway of a cluster that serves something (drained clusters keep
 * theirs), in its own namespace: the sizing ConfigMap Istio reads, the Gateway, one HTTPRoute per host
 * (rules in the plan's order, see routes.ts), the routes of the dispatch listener where the plan gives
 * one, and the ReferenceGrants that let routes reach the teams' Services.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterPlan, FleetPlan, GatewayPlan } from "../../spec/plan";
import { assertUniqueRouteNames, dispatchRoutes, gatewayHosts, gatewayNamespace, gatewayObject, gatewayOptions, hostRoutes, type NamedRoute, referenceGrants, routeContext } from "./gateway-plan";
import { kubeResource } from "./objects";
import type { PlacedRule } from "./routes";

export interface ClusterGatewayArgs {
  readonly key: string;
  readonly plan: FleetPlan;
  readonly cluster: ClusterPlan;
  readonly gateway: GatewayPlan;
  /** Every host's rules, placed once for the fleet (only the backends differ per cluster). */
  readonly placements: ReadonlyMap<string, readonly PlacedRule[]>;
  readonly provider: k8s.Provider;
  /** What must exist before the gateway takes traffic (istiod, the cluster's Services). */
  readonly dependsOn: readonly pulumi.Resource[];
}

export class ClusterGateway extends pulumi.ComponentResource {
  /** The Gateway resource; the front door waits for it. */
  readonly gateway: pulumi.CustomResource;
  /** The HTTPRoutes' names, sorted. */
  readonly routes: string[];

  constructor(name: string, args: ClusterGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:kubernetes:ClusterGateway", name, {}, opts);
    const { key, plan, cluster, gateway, provider } = args;
    const child = { parent: this, provider };

    const namespace = kubeResource(`${key}-gateway-namespace`, gatewayNamespace(gateway), child);
    const options = kubeResource(`${key}-gateway-options`, gatewayOptions(gateway), { ...child, dependsOn: [namespace] });

    const context = routeContext(plan, cluster.name);
    const routes: NamedRoute[] = [
      ...gatewayHosts(plan, gateway).flatMap((host) => {
        const placed = args.placements.get(host.name);
        if (!placed) throw new Error(`host ${host.name} has no placed rules`);
        return hostRoutes(gateway, host, placed, context);
      }),
      ...dispatchRoutes(plan, cluster, gateway),
    ];
    assertUniqueRouteNames(cluster.name, routes);
    // Routes and grants come first (an HTTPRoute may name a Gateway that does not exist yet), so that
    // once the Gateway is programmed, and the front door starts sending to it, it routes every host.
    const routed = [
      ...routes.map((route) => kubeResource(`${key}-route-${route.name}`, route.model, { ...child, dependsOn: [namespace] })),
      ...referenceGrants(gateway, routes).map((grant) => kubeResource(`${key}-grant-${grant.metadata!.namespace}`, grant, child)),
    ];
    this.gateway = kubeResource(`${key}-gateway`, gatewayObject(cluster, gateway), { ...child, dependsOn: [namespace, options, ...routed, ...args.dependsOn] });

    this.routes = routes.map((r) => r.name).sort();
    this.registerOutputs({ routes: this.routes });
  }
}
