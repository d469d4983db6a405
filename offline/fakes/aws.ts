/**
 * Fake outputs and lookups for the AWS resources Fleetgate creates (see offline/fakes/index.ts):
 * ACM certificates with their DNS validation records, Route 53 records, Global Accelerator, and the
 * lookup of a gateway's NLB by the AWS Load Balancer Controller's tags.
 */
import { createHash } from "node:crypto";
import { fakeInvokeFor, fakeOutputsFor, stableNumber } from "./index";

const ACCOUNT = "123456789012";
const hex = (text: string, length = 12) => createHash("sha256").update(text).digest("hex").slice(0, length);

/** The Route 53 zone of the NLBs of each region (published by AWS). */
const NLB_ZONES: Record<string, string> = {
  "us-east-1": "Z26RNL4JYFTOTI",
  "us-west-2": "Z18D5FSROUN65G",
  "eu-west-1": "Z2IFOLAFXWLO4F",
  "ap-southeast-1": "ZKVM4W9LS7TM",
};

/** The region of an explicit provider, from its logical name `<env>-aws-<region>`. */
function providerRegion(provider: string | undefined): string {
  const name = provider?.split("::")[3] ?? "";
  return /-aws-([a-z]{2}(-gov)?-[a-z]+-\d)$/.exec(name)?.[1] ?? "us-east-1";
}

fakeOutputsFor("aws:acm/certificate:Certificate", (name, inputs, provider) => {
  const domains = [inputs.domainName as string, ...((inputs.subjectAlternativeNames as string[] | undefined) ?? [])];
  return {
    arn: `arn:aws:acm:${providerRegion(provider)}:${ACCOUNT}:certificate/${hex(name, 8)}-${hex(`${name}/2`, 4)}-${hex(`${name}/3`, 4)}-${hex(`${name}/4`, 12)}`,
    status: "PENDING_VALIDATION",
    // ACM gives a name the same record in every region of an account, so it depends on the name only.
    domainValidationOptions: domains.map((domain) => {
      const bare = domain.replace(/^\*\./, "");
      return {
        domainName: domain,
        resourceRecordName: `_${hex(bare, 32)}.${bare}.`,
        resourceRecordType: "CNAME",
        resourceRecordValue: `_${hex(`v/${bare}`, 32)}.acm-validations.aws.`,
      };
    }),
  };
});

fakeOutputsFor("aws:acm/certificateValidation:CertificateValidation", (_name, inputs) => ({ certificateArn: inputs.certificateArn }));

fakeOutputsFor("aws:route53/record:Record", (_name, inputs) => ({ fqdn: String(inputs.name ?? "").replace(/\.$/, "") }));

fakeOutputsFor("aws:route53/healthCheck:HealthCheck", (name) => ({ id: `${hex(name, 8)}-${hex(`${name}/hc`, 4)}` }));

fakeOutputsFor("aws:globalaccelerator/accelerator:Accelerator", (name, inputs) => {
  const id = hex(name, 16);
  const octet = (k: number) => stableNumber(`${name}/${k}`, 250) + 1;
  return {
    arn: `arn:aws:globalaccelerator::${ACCOUNT}:accelerator/${id}`,
    dnsName: `a${id}.awsglobalaccelerator.com`,
    dualStackDnsName: inputs.ipAddressType === "DUAL_STACK" ? `a${id}.dualstack.awsglobalaccelerator.com` : "",
    hostedZoneId: "Z2BJ6XQ5FK7U4H",
    ipSets: [
      { ipFamily: "IPv4", ipAddresses: [`198.51.100.${octet(1)}`, `198.51.100.${octet(2)}`] },
      ...(inputs.ipAddressType === "DUAL_STACK"
        ? [{ ipFamily: "IPv6", ipAddresses: [`2001:db8:a::${octet(3).toString(16)}`, `2001:db8:b::${octet(4).toString(16)}`] }]
        : []),
    ],
  };
});

fakeOutputsFor("aws:globalaccelerator/listener:Listener", (name) => ({ arn: `arn:aws:globalaccelerator::${ACCOUNT}:accelerator/x/listener/${hex(name, 8)}` }));
fakeOutputsFor("aws:globalaccelerator/endpointGroup:EndpointGroup", (name) => ({
  arn: `arn:aws:globalaccelerator::${ACCOUNT}:accelerator/x/listener/y/endpoint-group/${hex(name, 12)}`,
}));

/**
 * The NLB the AWS Load Balancer Controller makes for a Service, by the tags it gives it: the EKS cluster
 * name it runs with and the Service. The lookup answers with it, and the simulated controller makes it.
 */
export function nlbIdentity(region: string, tags: Readonly<Record<string, string>>): { arn: string; dnsName: string; zoneId: string; name: string } {
  const key = `${tags["elbv2.k8s.aws/cluster"]}/${tags["service.k8s.aws/stack"]}`;
  const name = `k8s-${hex(key, 10)}`;
  return {
    name,
    arn: `arn:aws:elasticloadbalancing:${region}:${ACCOUNT}:loadbalancer/net/${name}/${hex(`${key}/id`, 16)}`,
    dnsName: `${name}-${hex(`${key}/dns`, 16)}.elb.${region}.amazonaws.com`,
    zoneId: NLB_ZONES[region] ?? "Z0000000000000",
  };
}

/** The region of an explicit AWS provider reference. */
export { providerRegion };

fakeInvokeFor("aws:lb/getLoadBalancer:getLoadBalancer", (inputs, provider) => {
  const tags = (inputs.tags ?? {}) as Record<string, string>;
  const { name: _, ...nlb } = nlbIdentity(providerRegion(provider), tags);
  return { ...nlb, loadBalancerType: "network", tags };
});
