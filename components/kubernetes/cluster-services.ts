/**
 * ClusterServices: the Services a cluster runs (from the MultiClusterServices' templates) and, where a
 * multi-cluster Services implementation runs, their ServiceExports; and the Services its gateway reaches
 * through the mesh (no export: the cluster runs no endpoints of them). They live in the teams' namespaces, which must exist in every cluster that runs or
 * routes to the team's services (MCS namespace sameness); Fleetgate does not own those namespaces.
 * A Service keeps its logical name whichever of the two it is, so a service that starts or stops running
 * in the cluster updates the Service in place and only adds or removes the export.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterPlan, FleetPlan } from "../../spec/plan";
import { serviceRef } from "./names";
import { kubeResource } from "./objects";
import { clusterServices, meshReachedServices, serviceExportObject, serviceObject } from "./services-plan";

export interface ClusterServicesArgs {
  readonly key: string;
  readonly plan: FleetPlan;
  readonly cluster: ClusterPlan;
  readonly provider: k8s.Provider;
  /** The services the cluster's gateway routes send to (routedServices), sorted. */
  readonly routed: readonly string[];
}

export class ClusterServices extends pulumi.ComponentResource {
  /** Keys of the services exported from this cluster, sorted. */
  readonly exported: string[];
  /** Keys of the services the gateway reaches through the mesh, sorted. */
  readonly meshReached: string[];

  constructor(name: string, args: ClusterServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:kubernetes:ClusterServices", name, {}, opts);
    const { key, plan, cluster, provider } = args;
    const services = clusterServices(plan, cluster.name);
    for (const service of services) {
      const ref = serviceRef(service.key);
      const created = kubeResource(`${key}-service-${ref}`, serviceObject(service), { parent: this, provider });
      const exported = serviceExportObject(cluster, service);
      if (exported) kubeResource(`${key}-export-${ref}`, exported, { parent: this, provider, dependsOn: [created] });
    }
    const reached = meshReachedServices(plan, cluster.name, args.routed);
    for (const service of reached) kubeResource(`${key}-service-${serviceRef(service.key)}`, serviceObject(service), { parent: this, provider });
    this.exported = cluster.multiClusterServices === "none" ? [] : services.map((s) => s.key).sort();
    this.meshReached = reached.map((s) => s.key).sort();
    this.registerOutputs({ exported: this.exported, meshReached: this.meshReached });
  }
}
