/**
 * ClusterGateway: the Gateway API gateway of a cluster that serves something (drained clusters keep
 * theirs), in its own namespace: the sizing ConfigMap Istio reads, the Gateway, one HTTPRoute per host
 * (rules in the plan's order, see routes.ts), the routes of the dispatch or redirect listener where the
 * plan gives one, and the ReferenceGrants that let routes reach the teams' Services.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterPlan, FleetPlan, GatewayPlan } from "../../spec/plan";
import { gatewayNamespace, gatewayObject, gatewayOptions, type NamedRoute, referenceGrants, serviceAnnotations, SSL_CERT_ANNOTATION } from "./gateway-plan";
import { kubeResource } from "./objects";

/** Stands in for the certificate ARNs while the Gateway is checked against its schema (they are Outputs). */
const PENDING_CERTIFICATE = "arn:aws:acm:pending";

export interface ClusterGatewayArgs {
  readonly key: string;
  readonly plan: FleetPlan;
  readonly cluster: ClusterPlan;
  readonly gateway: GatewayPlan;
  /** The gateway's HTTPRoutes (clusterRoutes). */
  readonly routes: readonly NamedRoute[];
  readonly provider: k8s.Provider;
  /** What must exist before the gateway takes traffic (istiod, the cluster's Services). */
  readonly dependsOn: readonly pulumi.Resource[];
  /**
   * The validated ACM certificate ARNs of the cluster's region, for an NLB that terminates TLS (an EKS
   * gateway behind the AWS front door, whose plan gives a redirect port); required there, unused
   * elsewhere. The Gateway waits for them, so its NLB never presents a certificate still being validated.
   */
  readonly certificateArns?: pulumi.Input<string[]>;
}

export class ClusterGateway extends pulumi.ComponentResource {
  /** The Gateway resource; the front door waits for it. */
  readonly gateway: pulumi.CustomResource;
  /** The HTTPRoutes' names, sorted. */
  readonly routes: string[];

  constructor(name: string, args: ClusterGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:kubernetes:ClusterGateway", name, {}, opts);
    const { key, plan, cluster, gateway, provider, routes } = args;
    const child = { parent: this, provider };

    const namespace = kubeResource(`${key}-gateway-namespace`, gatewayNamespace(gateway), child);
    const options = kubeResource(`${key}-gateway-options`, gatewayOptions(gateway, serviceAnnotations(cluster)), { ...child, dependsOn: [namespace] });

    // Routes and grants come first (an HTTPRoute may name a Gateway that does not exist yet), so that
    // once the Gateway is programmed, and the front door starts sending to it, it routes every host.
    const routed = [
      ...routes.map((route) => kubeResource(`${key}-route-${route.name}`, route.model, { ...child, dependsOn: [namespace] })),
      ...referenceGrants(gateway, routes).map((grant) => kubeResource(`${key}-grant-${grant.metadata!.namespace}`, grant, child)),
    ];
    const tlsAtNlb = gateway.redirectPort !== undefined && cluster.provider === "eks";
    if (tlsAtNlb && args.certificateArns === undefined)
      throw new Error(`cluster ${cluster.name}: its gateway's NLB terminates TLS, but no certificate ARNs of ${cluster.region} were given; pass FleetClusters the AwsCertificates' arns`);
    const object = gatewayObject(cluster, gateway, tlsAtNlb ? { certificateArns: [PENDING_CERTIFICATE], minTlsVersion: plan.frontDoor.minTlsVersion } : undefined);
    // The object is checked with a stand-in ARN; the resource gets the region's validated ARNs.
    const extra = tlsAtNlb ? { spec: withAnnotation(object.toJSON(), SSL_CERT_ANNOTATION, pulumi.output(args.certificateArns!).apply((arns) => nlbCertificates(cluster, arns))) } : {};
    this.gateway = kubeResource(`${key}-gateway`, object, { ...child, dependsOn: [namespace, options, ...routed, ...args.dependsOn] }, extra);

    this.routes = routes.map((r) => r.name).sort();
    this.registerOutputs({ routes: this.routes });
  }
}

/** The Gateway's spec with one infrastructure annotation's value replaced (by an Output). */
function withAnnotation(json: unknown, name: string, value: pulumi.Input<string>): Record<string, unknown> {
  const spec = (json as { spec: { infrastructure: { annotations: Record<string, string> } & Record<string, unknown> } & Record<string, unknown> }).spec;
  return { ...spec, infrastructure: { ...spec.infrastructure, annotations: { ...spec.infrastructure.annotations, [name]: value } } };
}

/** The NLB's certificate list; an empty one would give it a TLS listener without a certificate. */
function nlbCertificates(cluster: ClusterPlan, arns: readonly string[]): string {
  if (arns.length === 0) throw new Error(`cluster ${cluster.name}: ${cluster.region} has no validated certificate for the gateway's NLB`);
  return arns.join(",");
}
