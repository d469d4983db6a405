/**
 * ClusterServices: the Services a cluster runs (from the MultiClusterServices' templates) and their
 * ServiceExports. They live in the teams' namespaces, which must exist in every cluster that runs the
 * team's services (MCS namespace sameness); Fleetgate does not own those namespaces.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterPlan, FleetPlan } from "../../spec/plan";
import { serviceRef } from "./names";
import { kubeResource } from "./objects";
import { clusterServices, serviceExportObject, serviceObject } from "./services-plan";

export interface ClusterServicesArgs {
  readonly key: string;
  readonly plan: FleetPlan;
  readonly cluster: ClusterPlan;
  readonly provider: k8s.Provider;
}

export class ClusterServices extends pulumi.ComponentResource {
  /** Keys of the services exported from this cluster, sorted. */
  readonly exported: string[];

  constructor(name: string, args: ClusterServicesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:kubernetes:ClusterServices", name, {}, opts);
    const { key, plan, cluster, provider } = args;
    const services = clusterServices(plan, cluster.name);
    for (const service of services) {
      const ref = serviceRef(service.key);
      const created = kubeResource(`${key}-service-${ref}`, serviceObject(service), { parent: this, provider });
      kubeResource(`${key}-export-${ref}`, serviceExportObject(cluster, service), { parent: this, provider, dependsOn: [created] });
    }
    this.exported = services.map((s) => s.key).sort();
    this.registerOutputs({ exported: this.exported });
  }
}
