/**
 * AWS in the simulated `pulumi up`: ACM issues a certificate some time after its validation records
 * resolve [aws.acm-validation]; Route 53 takes a minute to apply a change, refuses an alias to what does
 * not exist or is of another type, and a CNAME beside other records [aws.route53-records]; Global
 * Accelerator takes minutes to deploy, and refuses an endpoint that is not active or that cannot preserve
 * the client's address as asked [aws.endpoint-active] [aws.client-ip-preservation]
 * [aws.dual-stack-accelerator]. The NLBs themselves are made by the simulated load balancer controller
 * (kubernetes.ts).
 */
import { cite } from "../../contracts/contract";
import { acmCertificates, acmValidation, dualStack, endpointActive, preservation, routeRecords } from "../../contracts/aws";
import type { RegisteredResource } from "../mock-engine";
import { fakeInvoke } from "../fakes/all";
import { providerRegion } from "../fakes/aws";
import type { Context, Handler, LookupHandler, StateEntry } from "./engine";
import { expectGatewayReady } from "./kubernetes";
import { LATENCIES } from "./latencies";
import type { Nlb } from "./world";

const regionOf = (ctx: Context, resource: { provider?: string }) => String(ctx.providerInputs(resource)?.region ?? providerRegion(resource.provider));
const bare = (name: string) => name.replace(/\.$/, "");

// --- ACM ------------------------------------------------------------------------------------------

function issueWhenValidated(ctx: Context, arn: string): void {
  const check = () => {
    const certificate = ctx.world.aws.certificates[arn];
    if (!certificate || certificate.status !== "PENDING_VALIDATION") return;
    const names = new Set(Object.keys(ctx.world.aws.records).map((key) => bare(key.split("|")[1]!)));
    if (certificate.validationRecords.every((name) => names.has(bare(name))))
      ctx.clock.later(LATENCIES.acmValidation.ms, "ACM validation", () => {
        const current = ctx.world.aws.certificates[arn];
        if (current?.status === "PENDING_VALIDATION") {
          current.status = "ISSUED";
          ctx.event(`ACM issued ${arn}`);
          ctx.changed();
        }
      });
    else ctx.clock.later(30_000, "ACM checks DNS", check);
  };
  check();
}

export const acmHandler: Handler = {
  matches: (type) => type.startsWith("aws:acm/"),
  async create(ctx, resource, wireInputs) {
    const outputs = ctx.fakeOutputs(resource, wireInputs);
    if (resource.type === "aws:acm/certificate:Certificate") {
      await ctx.sleep("acmRequest");
      const arn = String(outputs.arn);
      const inputs = resource.inputs as Record<string, unknown>;
      const options = (outputs.domainValidationOptions ?? []) as { resourceRecordName: string }[];
      ctx.world.aws.certificates[arn] = {
        region: regionOf(ctx, resource),
        domains: [String(inputs.domainName), ...((inputs.subjectAlternativeNames ?? []) as string[])],
        status: "PENDING_VALIDATION",
        validationRecords: options.map((o) => o.resourceRecordName),
      };
      issueWhenValidated(ctx, arn);
      return outputs;
    }
    // A validation is done once its certificate is issued: the provider waits up to 75 minutes.
    const arn = String((resource.inputs as Record<string, unknown>).certificateArn);
    await ctx.until(
      () => ctx.world.aws.certificates[arn]?.status === "ISSUED",
      75 * 60_000,
      () => `${resource.name}: certificate ${arn} was not issued within 75 minutes ${cite(acmValidation)}`,
    );
    return outputs;
  },
  async delete(ctx, _urn, old) {
    if (old.type !== "aws:acm/certificate:Certificate") return;
    await ctx.sleep("acmRequest");
    const arn = String(old.outputs.arn);
    const users = Object.values(ctx.world.aws.loadBalancers).filter((nlb) => nlb.listeners.some((l) => l.certificates.includes(arn)));
    if (users.length > 0) ctx.refuse(acmCertificates, `${old.name}: ResourceInUseException: certificate ${arn} is in use by ${users[0]!.arn}`);
    delete ctx.world.aws.certificates[arn];
  },
};

// --- Route 53 -------------------------------------------------------------------------------------

const recordKey = (inputs: Record<string, unknown>) =>
  `${String(inputs.zoneId)}|${bare(String(inputs.name))}|${String(inputs.type)}|${String(inputs.setIdentifier ?? "")}`;
const policyOf = (inputs: Record<string, unknown>) =>
  ["weightedRoutingPolicies", "latencyRoutingPolicies", "failoverRoutingPolicies"].find((k) => ((inputs[k] ?? []) as unknown[]).length > 0) ?? "simple";

async function writeRecord(
  ctx: Context,
  resource: RegisteredResource,
  wireInputs: Record<string, unknown>,
  updating: boolean,
): Promise<Record<string, unknown>> {
  const inputs = resource.inputs as Record<string, unknown>;
  const key = recordKey(inputs);
  const [zone, name, type] = key.split("|") as [string, string, string];
  const owner = `${ctx.environment}/${resource.name}`;
  const refuse = (what: string) => ctx.refuse(routeRecords, `${resource.name}: InvalidChangeBatch: ${what}`);
  const existing = ctx.world.aws.records[key];
  if (existing && existing.owner !== owner && !inputs.allowOverwrite) refuse(`${name} (${type}) already exists`);
  const atName = Object.entries(ctx.world.aws.records).filter(([k]) => k !== key && k.startsWith(`${zone}|${name}|`));
  if (!updating && atName.some(([k]) => (k.split("|")[2] === "CNAME") !== (type === "CNAME")))
    refuse(`a CNAME at ${name} cannot stand beside its other records`);
  const sameType = atName.find(([k]) => k.split("|")[2] === type);
  if (sameType && sameType[1].policy !== policyOf(inputs))
    refuse(`records of ${name} (${type}) share one routing policy: ${sameType[1].policy} there, ${policyOf(inputs)} here`);
  const alias = ((inputs.aliases ?? []) as { name: string }[])[0]?.name;
  if (alias !== undefined) {
    const target = bare(alias);
    if (/\.elb\.[a-z0-9-]+\.amazonaws\.com$/.test(target)) {
      const nlb = Object.values(ctx.world.aws.loadBalancers).find((n) => n.dnsName === target);
      if (!nlb) refuse(`Tried to create an alias that targets ${target}, which does not exist`);
      expectGatewayReady(ctx, clusterOfNlb(ctx, nlb!), `record ${name}`);
      if (nlb!.state !== "active") ctx.violation(`record ${name} sends clients to NLB ${nlb!.dnsName} while it is still ${nlb!.state}`);
    }
    const inZone = Object.entries(ctx.world.aws.records).filter(([k]) => k.startsWith(`${zone}|${target}|`));
    if (inZone.length > 0 && !inZone.some(([k]) => k.split("|")[2] === type))
      refuse(
        `an alias of type ${type} cannot route to ${target}, whose records are ${[...new Set(inZone.map(([k]) => k.split("|")[2]))].join(", ")}: an alias has the type of the records it routes to`,
      );
  }
  await ctx.sleep("route53Change");
  ctx.world.aws.records[key] = {
    type,
    ...(inputs.setIdentifier !== undefined ? { setIdentifier: String(inputs.setIdentifier) } : {}),
    values: ((inputs.records ?? []) as unknown[]).map(String),
    ...(alias !== undefined ? { alias: bare(alias) } : {}),
    policy: policyOf(inputs),
    owner,
  };
  ctx.changed();
  return ctx.fakeOutputs(resource, wireInputs);
}

export const route53Handler: Handler = {
  matches: (type) => type.startsWith("aws:route53/"),
  async create(ctx, resource, wireInputs) {
    if (resource.type === "aws:route53/record:Record") return writeRecord(ctx, resource, wireInputs, false);
    await ctx.sleep("route53HealthCheck");
    return ctx.fakeOutputs(resource, wireInputs);
  },
  async update(ctx, resource, wireInputs) {
    if (resource.type === "aws:route53/record:Record") return writeRecord(ctx, resource, wireInputs, true);
    await ctx.sleep("route53HealthCheck");
    return ctx.fakeOutputs(resource, wireInputs);
  },
  async delete(ctx, _urn, old) {
    if (old.type !== "aws:route53/record:Record") return ctx.sleep("route53HealthCheck");
    await ctx.sleep("route53Change");
    delete ctx.world.aws.records[recordKey(old.inputs)];
  },
};

// --- Global Accelerator ---------------------------------------------------------------------------

function checkEndpoints(ctx: Context, resource: RegisteredResource): string[] {
  const inputs = resource.inputs as Record<string, unknown>;
  const accelerator = ctx.world.aws.listeners[String(inputs.listenerArn)]?.accelerator;
  const dualStackAccelerator = accelerator !== undefined && ctx.world.aws.accelerators[accelerator]?.ipAddressType === "DUAL_STACK";
  const endpoints = (inputs.endpointConfigurations ?? []) as { endpointId: string; clientIpPreservationEnabled?: boolean }[];
  for (const e of endpoints) {
    const nlb: Nlb | undefined = ctx.world.aws.loadBalancers[e.endpointId];
    if (!nlb) ctx.refuse(endpointActive, `${resource.name}: InvalidArgumentException: '${e.endpointId}' is not a valid load balancer ARN`);
    if (nlb!.state !== "active")
      ctx.refuse(endpointActive, `${resource.name}: InvalidArgumentException: endpoint ${e.endpointId} is ${nlb!.state}; it must be active when it is added`);
    const preserving = e.clientIpPreservationEnabled === true;
    if (preserving && (nlb!.securityGroups.length === 0 || nlb!.listeners.some((l) => l.protocol === "TLS")))
      ctx.refuse(
        preservation,
        `${resource.name}: InvalidArgumentException: client IP address preservation for ${e.endpointId}, which ${nlb!.securityGroups.length === 0 ? "has no security groups" : "has a TLS listener"}`,
      );
    expectGatewayReady(ctx, clusterOfNlb(ctx, nlb!), `endpoint group ${resource.name}`);
    if (dualStackAccelerator && (!preserving || nlb!.ipAddressType !== "dualstack" || nlb!.targetType === "ip"))
      ctx.refuse(
        dualStack,
        `${resource.name}: InvalidArgumentException: ${e.endpointId} on a dual-stack accelerator (${!preserving ? "it does not preserve the client's address" : nlb!.ipAddressType !== "dualstack" ? "it is not dual-stack" : "its targets are of type ip"})`,
      );
  }
  return endpoints.map((e) => e.endpointId);
}

export const acceleratorHandler: Handler = {
  matches: (type) => type.startsWith("aws:globalaccelerator/"),
  async create(ctx, resource, wireInputs) {
    const outputs = ctx.fakeOutputs(resource, wireInputs);
    const inputs = resource.inputs as Record<string, unknown>;
    if (resource.type === "aws:globalaccelerator/accelerator:Accelerator") {
      await ctx.sleep("acceleratorDeploy");
      ctx.world.aws.accelerators[String(outputs.arn)] = { ipAddressType: String(inputs.ipAddressType ?? "IPV4") };
      return outputs;
    }
    if (resource.type === "aws:globalaccelerator/listener:Listener") {
      await ctx.sleep("acceleratorChange");
      ctx.world.aws.listeners[String(outputs.arn)] = { accelerator: String(inputs.acceleratorArn) };
      return outputs;
    }
    const endpoints = checkEndpoints(ctx, resource);
    await ctx.sleep("acceleratorChange");
    ctx.world.aws.endpointGroups[String(outputs.arn)] = { endpoints };
    return outputs;
  },
  async update(ctx, resource, wireInputs) {
    const outputs = ctx.fakeOutputs(resource, wireInputs);
    if (resource.type === "aws:globalaccelerator/endpointGroup:EndpointGroup") {
      const endpoints = checkEndpoints(ctx, resource);
      await ctx.sleep("acceleratorChange");
      ctx.world.aws.endpointGroups[String(outputs.arn)] = { endpoints };
      return outputs;
    }
    await ctx.sleep("acceleratorChange");
    return outputs;
  },
  async delete(ctx, _urn, old: StateEntry) {
    await ctx.sleep("acceleratorChange");
    if (old.type === "aws:globalaccelerator/endpointGroup:EndpointGroup") delete ctx.world.aws.endpointGroups[String(old.outputs.arn)];
  },
};

// --- Lookups ---------------------------------------------------------------------------------------

export const awsLookups: readonly LookupHandler[] = [
  {
    token: "aws:lb/getLoadBalancer:getLoadBalancer",
    label: (inputs) => `NLB of ${Object.values((inputs.tags ?? {}) as Record<string, string>).join(" ")}`,
    answer(ctx, inputs, provider) {
      const tags = (inputs.tags ?? {}) as Record<string, string>;
      const region = providerRegion(provider);
      const nlb = Object.values(ctx.world.aws.loadBalancers).find((n) => n.region === region && Object.entries(tags).every(([k, v]) => n.tags[k] === v));
      if (!nlb)
        throw new Error(
          `Search returned 0 results for load balancers tagged ${JSON.stringify(tags)} in ${region}: the load balancer controller has made no NLB for that Service yet`,
        );
      return { ...fakeInvoke("aws:lb/getLoadBalancer:getLoadBalancer", inputs, provider), state: nlb.state };
    },
  },
  {
    token: "aws:eks/getCluster:getCluster",
    label: (inputs) => `EKS cluster ${String(inputs.name)}`,
    answer: (_ctx, inputs) => fakeInvoke("aws:eks/getCluster:getCluster", inputs),
  },
];

/** The cluster whose load balancer controller made an NLB, by the EKS name it tags it with. */
function clusterOfNlb(ctx: Context, nlb: Nlb): string {
  const tag = nlb.tags["elbv2.k8s.aws/cluster"];
  return Object.values(ctx.world.clusters).find((c) => (c.eksName ?? c.name) === tag)?.name ?? tag ?? "";
}

/** The NLB state read the program makes outside Pulumi's providers (components/aws/nlb-wait.ts). */
export function loadBalancerState(ctx: Context, arn: string): string {
  const nlb = ctx.world.aws.loadBalancers[arn];
  if (!nlb) throw new Error(`LoadBalancerNotFound: ${arn}`);
  return nlb.state;
}

export const awsHandlers: readonly Handler[] = [acmHandler, route53Handler, acceleratorHandler];
