/**
 * ClusterGateway: the Gateway API gateway of a cluster that serves something (drained clusters keep
 * theirs), in its own namespace: the sizing ConfigMap Istio reads, the Gateway, one HTTPRoute per host
 * (rules in the plan's order, see routes.ts), the routes of the dispatch or redirect listener where the
 * plan gives one, the ReferenceGrants that let routes reach the teams' Services, the gateway's own
 * DestinationRules for services whose pods serve TLS, on EKS the Service the gateway's NLB is made from, and
 * with a verification token the routes' verification twins (landing-routes.ts), whose spec is secret.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterPlan, FleetPlan, GatewayPlan } from "../../spec/plan";
import {
  gatewayNamespace,
  gatewayObject,
  gatewayOptions,
  type NamedRoute,
  nlbService,
  referenceGrants,
  routedServices,
  SSL_CERT_ANNOTATION,
} from "./gateway-plan";
import { landingRoutes, unverifiableHosts } from "./landing-routes";
import { gatewayDestinationRule } from "./mesh-plan";
import { serviceRef } from "./names";
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
   * What the Gateway API objects wait for: the check of the cluster's Gateway API bundle and, where
   * Fleetgate installs it, the bundle (GatewayApiCrds.ready). A refused bundle stops them.
   */
  readonly crds?: pulumi.Output<pulumi.Resource[]>;
  /**
   * The validated ACM certificate ARNs of the cluster's region, for an NLB that terminates TLS (an EKS
   * gateway behind the AWS front door); required there, unused elsewhere. The NLB's Service waits for
   * them, so its NLB never presents a certificate still being validated.
   */
  readonly certificateArns?: pulumi.Input<string[]>;
  /**
   * The environment's verification token (a secret): when given, every forwarding route gets a twin that
   * answers requests carrying it with the landed header. Absent: no twins, nothing else changes.
   */
  readonly verificationToken?: pulumi.Output<string>;
}

export class ClusterGateway extends pulumi.ComponentResource {
  /** The Gateway resource. */
  readonly gateway: pulumi.CustomResource;
  /**
   * What a front door waits for before sending traffic here: the Gateway, programmed; on EKS the NLB's
   * Service, which Pulumi holds until the load balancer controller has given it the NLB's name.
   */
  readonly entry: pulumi.CustomResource;
  /** The HTTPRoutes' names, sorted. */
  readonly routes: string[];

  constructor(name: string, args: ClusterGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:kubernetes:ClusterGateway", name, {}, opts);
    const { key, plan, cluster, gateway, provider, routes } = args;
    const child = { parent: this, provider };
    // Gateway API objects are applied only after the cluster's bundle has been checked (and installed).
    const crds = args.crds ?? pulumi.output([] as pulumi.Resource[]);
    const afterCrds = (resources: readonly pulumi.Resource[]): pulumi.Input<pulumi.Input<pulumi.Resource>[]> => crds.apply((ready) => [...resources, ...ready]);

    const namespace = kubeResource(`${key}-gateway-namespace`, gatewayNamespace(gateway), child);
    const options = kubeResource(`${key}-gateway-options`, gatewayOptions(gateway), { ...child, dependsOn: [namespace] });

    // Routes and grants come first (an HTTPRoute may name a Gateway that does not exist yet), so that
    // once the Gateway is programmed, and the front door starts sending to it, it routes every host.
    // The gateway's own DestinationRules (TLS to pods that serve it) come with them, after Istio's CRDs.
    const reached = new Set(routedServices(routes));
    const originating = plan.services.flatMap((service) => {
      const rule = reached.has(service.key) ? gatewayDestinationRule(plan, service, gateway.namespace) : undefined;
      return rule ? [kubeResource(`${key}-gateway-destination-${serviceRef(service.key)}`, rule, { ...child, dependsOn: [namespace, ...args.dependsOn] })] : [];
    });
    const token = args.verificationToken;
    // Twins are checked with a placeholder token; the resource gets the spec with the real one, as a secret.
    const twins = token ? landingRoutes(cluster.name, routes) : [];
    if (token)
      for (const host of unverifiableHosts(routes))
        void pulumi.log.warn(
          `${cluster.name}: ${host} has a route with 16 header matches, Gateway API's most, so its gateway cannot add the verification token's; npm run verify reports its landings as missing. Give the route fewer header conditions.`,
          this,
        );
    const twinSpec = (name: string) =>
      pulumi.secret(
        token!.apply(
          (t) =>
            (
              landingRoutes(cluster.name, routes, t)
                .find((r) => r.name === name)!
                .model.toJSON() as { spec: unknown }
            ).spec,
        ),
      );
    const routed = [
      ...routes.map((route) => kubeResource(`${key}-route-${route.name}`, route.model, { ...child, dependsOn: afterCrds([namespace]) })),
      ...twins.map((twin) =>
        kubeResource(`${key}-route-${twin.name}`, twin.model, { ...child, dependsOn: afterCrds([namespace]) }, { spec: twinSpec(twin.name) }),
      ),
      ...referenceGrants(gateway, routes).map((grant) =>
        kubeResource(`${key}-grant-${grant.metadata!.namespace}`, grant, { ...child, dependsOn: afterCrds([]) }),
      ),
      ...originating,
    ];
    this.gateway = kubeResource(`${key}-gateway`, gatewayObject(cluster, gateway), {
      ...child,
      dependsOn: afterCrds([namespace, options, ...routed, ...args.dependsOn]),
    });
    this.entry = gateway.nlb ? this.nlb(key, plan, cluster, gateway, args.certificateArns, child) : this.gateway;

    this.routes = [...routes, ...twins].map((r) => r.name).sort();
    this.registerOutputs({ routes: this.routes });
  }

  /** The EKS gateway's NLB Service, after the Gateway (whose pods it selects) is programmed. */
  private nlb(
    key: string,
    plan: FleetPlan,
    cluster: ClusterPlan,
    gateway: GatewayPlan,
    certificateArns: pulumi.Input<string[]> | undefined,
    child: pulumi.CustomResourceOptions,
  ): pulumi.CustomResource {
    const tls = gateway.nlb!.tlsPort !== undefined;
    if (tls && certificateArns === undefined)
      throw new Error(
        `cluster ${cluster.name}: its gateway's NLB terminates TLS, but no certificate ARNs of ${cluster.region} were given; pass FleetClusters the AwsCertificates' arns`,
      );
    // The object is checked with a stand-in ARN; the resource gets the region's validated ARNs.
    const service = nlbService(cluster, gateway, tls ? { certificateArns: [PENDING_CERTIFICATE], minTlsVersion: plan.frontDoor.minTlsVersion } : undefined);
    const extra = tls
      ? {
          metadata: withAnnotation(
            service.toJSON(),
            SSL_CERT_ANNOTATION,
            pulumi.output(certificateArns!).apply((arns) => nlbCertificates(cluster, arns)),
          ),
        }
      : {};
    return kubeResource(`${key}-gateway-nlb`, service, { ...child, dependsOn: [this.gateway] }, extra);
  }
}

/** An object's metadata with one annotation's value replaced (by an Output). */
function withAnnotation(json: unknown, name: string, value: pulumi.Input<string>): Record<string, unknown> {
  const metadata = (json as { metadata: { annotations: Record<string, string> } & Record<string, unknown> }).metadata;
  return { ...metadata, annotations: { ...metadata.annotations, [name]: value } };
}

/** The NLB's certificate list; an empty one would give it a TLS listener without a certificate. */
function nlbCertificates(cluster: ClusterPlan, arns: readonly string[]): string {
  if (arns.length === 0) throw new Error(`cluster ${cluster.name}: ${cluster.region} has no validated certificate for the gateway's NLB`);
  return arns.join(",");
}
