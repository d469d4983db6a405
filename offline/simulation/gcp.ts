/**
 * Google Cloud in the simulated `pulumi up`: Compute Engine refuses a backend service that names a NEG or
 * health check that does not exist, and the deletion of what something still uses [gcp.neg-references];
 * Certificate Manager issues a managed certificate some time after its DNS authorization's record exists
 * [gcp.certificate-issuance]; Cloud DNS refuses a record set that exists, or a CNAME beside other records
 * [gcp.dns-records] (in a world the stacks share, as they share a project).
 */
import { cite } from "../../contracts/contract";
import { certificateIssuance, dnsRecords, negReferences, perProjectRecords } from "../../contracts/gcp";
import type { RegisteredResource } from "../mock-engine";
import { fakeInvoke } from "../fakes/all";
import type { Context, Handler, LookupHandler, StateEntry } from "./engine";
import { expectGatewayReady } from "./kubernetes";
import { LATENCIES, type LatencyKind } from "./latencies";

const BACKEND_SERVICE = "gcp:compute/backendService:BackendService";
const URL_MAP = "gcp:compute/uRLMap:URLMap";
const GLOBAL_OPERATIONS = new Set([
  BACKEND_SERVICE,
  URL_MAP,
  "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
  "gcp:compute/targetHttpProxy:TargetHttpProxy",
  "gcp:compute/globalForwardingRule:GlobalForwardingRule",
]);

const zonalNeg = /^https:\/\/www\.googleapis\.com\/compute\/v1\/projects\/([^/]+)\/zones\/([^/]+)\/networkEndpointGroups\/([^/]+)$/;

/** What a compute resource names that must exist: NEGs and health checks, backend services, URL maps, proxies. */
function references(type: string, inputs: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (type === BACKEND_SERVICE) {
    for (const b of (inputs.backends ?? []) as { group: string }[]) out.push(b.group);
    if (typeof inputs.healthChecks === "string" && inputs.healthChecks) out.push(inputs.healthChecks);
  }
  if (type === URL_MAP) {
    const text = JSON.stringify(inputs);
    for (const match of text.matchAll(/https:\/\/www\.googleapis\.com\/compute\/v1\/projects\/[^/"]+\/global\/backendServices\/[a-z0-9-]+/g))
      out.push(match[0]);
  }
  for (const field of ["urlMap", "target"])
    if (typeof inputs[field] === "string" && String(inputs[field]).startsWith("https://")) out.push(String(inputs[field]));
  return [...new Set(out)];
}

function exists(ctx: Context, link: string): boolean {
  const neg = zonalNeg.exec(link);
  if (neg) return ctx.world.gcp.negs[`${neg[1]}/${neg[2]}/${neg[3]}`] !== undefined;
  return ctx.world.gcp.resources[link] !== undefined;
}

async function computeWrite(ctx: Context, resource: RegisteredResource, wireInputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  const kind: LatencyKind = GLOBAL_OPERATIONS.has(resource.type) ? "gcpGlobalOperation" : "gcpSmallOperation";
  await ctx.sleep(kind);
  const inputs = resource.inputs as Record<string, unknown>;
  const missing = references(resource.type, inputs).filter((link) => !exists(ctx, link));
  if (missing.length > 0)
    ctx.refuse(
      negReferences,
      `${resource.name}: The resource '${missing[0]!.replace("https://www.googleapis.com/compute/v1/", "")}' was not found${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ""}`,
    );
  if (resource.type === BACKEND_SERVICE)
    for (const cluster of attachedClusters(ctx, inputs)) expectGatewayReady(ctx, cluster, `backend service ${String(inputs.name)}`);
  const outputs = ctx.fakeOutputs(resource, wireInputs);
  const link = String(outputs.selfLink ?? resource.urn);
  ctx.world.gcp.resources[link] = { type: resource.type, inputs };
  return outputs;
}

/** The clusters a backend service sends to: the owners of its zonal NEGs, or its internet NEG's gateway. */
function attachedClusters(ctx: Context, inputs: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const { group } of (inputs.backends ?? []) as { group: string }[]) {
    const neg = zonalNeg.exec(group);
    if (neg) {
      const owner = ctx.world.gcp.negs[`${neg[1]}/${neg[2]}/${neg[3]}`]?.owner;
      if (owner) out.add(owner.split("/")[0]!);
      continue;
    }
    const name = group.split("/").pop();
    const endpoint = Object.values(ctx.world.gcp.resources).find(
      (r) => r.type === "gcp:compute/globalNetworkEndpoint:GlobalNetworkEndpoint" && r.inputs.globalNetworkEndpointGroup === name,
    );
    const cluster = Object.values(ctx.world.clusters).find((c) => c.publicHostname !== undefined && c.publicHostname === endpoint?.inputs.fqdn);
    if (cluster) out.add(cluster.name);
  }
  return [...out].sort();
}

export const computeHandler: Handler = {
  matches: (type) => type.startsWith("gcp:compute/") || type.startsWith("gcp:networkservices/"),
  create: computeWrite,
  update: computeWrite,
  async delete(ctx, urn, old: StateEntry) {
    await ctx.sleep(GLOBAL_OPERATIONS.has(old.type) ? "gcpGlobalOperation" : "gcpSmallOperation");
    const link = String(old.outputs.selfLink ?? urn);
    const users = Object.entries(ctx.world.gcp.resources).filter(([other, r]) => other !== link && references(r.type, r.inputs).includes(link));
    if (users.length > 0)
      ctx.refuse(negReferences, `${old.name}: The ${old.type.split(":").pop()} resource '${link}' is already being used by '${users[0]![0]}'`);
    delete ctx.world.gcp.resources[link];
  },
};

// --- Certificate Manager --------------------------------------------------------------------------

const certificateId = (inputs: Record<string, unknown>) => `projects/${String(inputs.project)}/locations/global/certificates/${String(inputs.name)}`;

/** Issues a PROVISIONING certificate once every record its authorizations need resolves, after a while. */
function issueWhenAuthorized(ctx: Context, id: string): void {
  const check = () => {
    const certificate = ctx.world.gcp.certificates[id];
    if (!certificate || certificate.state !== "PROVISIONING") return;
    const names = new Set(Object.entries(ctx.world.gcp.dns).map(([key]) => key.split("|")[1]));
    if (certificate.authorizationRecords.every((name) => names.has(name)))
      ctx.clock.later(LATENCIES.certificateIssuance.ms, "certificate issuance", () => {
        const current = ctx.world.gcp.certificates[id];
        if (current?.state === "PROVISIONING") {
          current.state = "ACTIVE";
          ctx.event(`Certificate Manager issued ${id}`);
          ctx.changed();
        }
      });
    else ctx.clock.later(60_000, "certificate manager checks DNS", check);
  };
  check();
}

/** The authorization CNAME records a certificate waits for: those of the authorizations it names. */
function authorizationRecords(ctx: Context, inputs: Record<string, unknown>): string[] {
  const ids = ((inputs.managed as { dnsAuthorizations?: string[] } | undefined)?.dnsAuthorizations ?? []).map(String);
  return ids.flatMap((id) => {
    const authorization = Object.values(ctx.world.gcp.resources).find(
      (r) => r.type === "gcp:certificatemanager/dnsAuthorization:DnsAuthorization" && id.endsWith(`/dnsAuthorizations/${String(r.inputs.name)}`),
    );
    return authorization ? [String((authorization.inputs.record as string | undefined) ?? "")] : [];
  });
}

export const certificateManagerHandler: Handler = {
  matches: (type) => type.startsWith("gcp:certificatemanager/"),
  async create(ctx, resource, wireInputs) {
    await ctx.sleep("certificateManagerCall");
    const inputs = resource.inputs as Record<string, unknown>;
    const outputs = ctx.fakeOutputs(resource, wireInputs);
    if (resource.type === "gcp:certificatemanager/dnsAuthorization:DnsAuthorization") {
      const record = ((outputs.dnsResourceRecords ?? []) as { name: string }[])[0]?.name ?? "";
      ctx.world.gcp.resources[`${resource.urn}`] = { type: resource.type, inputs: { ...inputs, record } };
    } else {
      ctx.world.gcp.resources[resource.urn] = { type: resource.type, inputs };
      if (resource.type === "gcp:certificatemanager/certificate:Certificate") {
        const id = certificateId(inputs);
        ctx.world.gcp.certificates[id] = { state: "PROVISIONING", authorizationRecords: authorizationRecords(ctx, inputs) };
        issueWhenAuthorized(ctx, id);
      }
    }
    return outputs;
  },
  async delete(ctx, urn, old) {
    await ctx.sleep("certificateManagerCall");
    if (old.type === "gcp:certificatemanager/certificate:Certificate") delete ctx.world.gcp.certificates[certificateId(old.inputs)];
    delete ctx.world.gcp.resources[urn];
  },
};

// --- Cloud DNS ------------------------------------------------------------------------------------

const recordKey = (inputs: Record<string, unknown>) => `${String(inputs.project)}/${String(inputs.managedZone)}|${String(inputs.name)}|${String(inputs.type)}`;

async function writeRecord(
  ctx: Context,
  resource: RegisteredResource,
  wireInputs: Record<string, unknown>,
  updating: boolean,
): Promise<Record<string, unknown>> {
  await ctx.sleep("cloudDnsChange");
  const inputs = resource.inputs as Record<string, unknown>;
  const key = recordKey(inputs);
  const owner = `${ctx.environment}/${resource.name}`;
  const existing = ctx.world.gcp.dns[key];
  if (existing && existing.owner !== owner) {
    const perProject = String(inputs.name).includes("_acme-challenge_");
    ctx.refuse(
      perProject ? perProjectRecords : dnsRecords,
      `${resource.name}: The resource record set '${String(inputs.name)}' (${String(inputs.type)}) already exists, written by ${existing.owner}${perProject ? `: another stack authorizes the same domain in the same project ${cite(perProjectRecords)}` : ""}`,
    );
  }
  const [zone, name] = key.split("|") as [string, string];
  const siblings = Object.keys(ctx.world.gcp.dns).filter((k) => k !== key && k.startsWith(`${zone}|${name}|`));
  if (!updating && siblings.length > 0 && (inputs.type === "CNAME" || siblings.some((k) => k.endsWith("|CNAME"))))
    ctx.refuse(dnsRecords, `${resource.name}: a CNAME at ${name} cannot stand beside its other records`);
  if (inputs.type === "A" || inputs.type === "AAAA") {
    const host = name.replace(/\.$/, "");
    const entry = Object.values(ctx.world.gcp.resources).find(
      (r) => r.type === "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry" && r.inputs.hostname === host,
    );
    for (const id of ((entry?.inputs.certificates ?? []) as string[]).map(String)) {
      const state = ctx.world.gcp.certificates[id]?.state;
      if (state !== undefined && state !== "ACTIVE")
        ctx.event(`host ${host} points at the front door while its certificate ${id} is ${state} ${cite(certificateIssuance)}`);
    }
  }
  ctx.world.gcp.dns[key] = { type: String(inputs.type), values: ((inputs.rrdatas ?? []) as unknown[]).map(String), owner };
  ctx.changed();
  return ctx.fakeOutputs(resource, wireInputs);
}

export const cloudDnsHandler: Handler = {
  matches: (type) => type === "gcp:dns/recordSet:RecordSet",
  create: (ctx, resource, wire) => writeRecord(ctx, resource, wire, false),
  update: (ctx, resource, wire) => writeRecord(ctx, resource, wire, true),
  async delete(ctx, _urn, old) {
    await ctx.sleep("cloudDnsChange");
    delete ctx.world.gcp.dns[recordKey(old.inputs)];
  },
};

// --- Lookups ---------------------------------------------------------------------------------------

export const gcpLookups: readonly LookupHandler[] = [
  {
    token: "gcp:compute/getNetworkEndpointGroup:getNetworkEndpointGroup",
    label: (inputs) => `NEG ${String(inputs.name)} in ${String(inputs.zone)}`,
    answer(ctx, inputs) {
      const key = `${String(inputs.project)}/${String(inputs.zone)}/${String(inputs.name)}`;
      if (!ctx.world.gcp.negs[key])
        throw new Error(
          `googleapi: Error 404: The resource 'projects/${String(inputs.project)}/zones/${String(inputs.zone)}/networkEndpointGroups/${String(inputs.name)}' was not found, notFound`,
        );
      return {
        name: inputs.name,
        zone: inputs.zone,
        project: inputs.project,
        selfLink: `https://www.googleapis.com/compute/v1/projects/${String(inputs.project)}/zones/${String(inputs.zone)}/networkEndpointGroups/${String(inputs.name)}`,
        networkEndpointType: "GCE_VM_IP_PORT",
      };
    },
  },
  {
    token: "gcp:certificatemanager/getCertificates:getCertificates",
    label: (inputs) => `certificate ${String(inputs.filter).replace(/^name:/, "")} ${cite(certificateIssuance)}`,
    answer(ctx, inputs) {
      const id = String(inputs.filter).replace(/^name:/, "");
      const certificate = ctx.world.gcp.certificates[id];
      return { certificates: certificate ? [{ name: id, manageds: [{ state: certificate.state, provisioningIssues: [] }] }] : [] };
    },
  },
  {
    token: "gcp:container/getCluster:getCluster",
    label: (inputs) => `GKE cluster ${String(inputs.name)}`,
    // With the cluster's Gateway API channel, as the world holds it [gke.gateway-api-crds-managed].
    answer: (ctx, inputs) => {
      const cluster = Object.values(ctx.world.clusters).find((c) => c.project === inputs.project && c.gkeName === inputs.name);
      const channel = cluster?.gkeGatewayApiChannel;
      return { ...fakeInvoke("gcp:container/getCluster:getCluster", inputs), gatewayApiConfigs: channel ? [{ channel }] : [] };
    },
  },
];

export const gcpHandlers: readonly Handler[] = [computeHandler, certificateManagerHandler, cloudDnsHandler];
