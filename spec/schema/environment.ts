/**
 * The platform admin's side of the spec: structured stack configuration under the `fleetgate:`
 * namespace in `stacks/Pulumi.<env>.yaml`. Each top-level key has its own schema; `ENVIRONMENT_KEYS`
 * lists them all, so that an unknown or misspelt key is an error rather than a silently ignored value.
 */
import { z } from "zod";
import { dnsLabel, duration, hostName, labelMap, port, strictObject } from "./common";
import { hostNameProblem } from "../names";

const clusterName = dnsLabel(
  "The cluster's name in Fleetgate, unique in the environment. It becomes part of resource names, so it MUST be a DNS label of at most 30 characters.",
  30,
);

export const clusterAccessSchema = z
  .discriminatedUnion("kind", [
    strictObject(
      { kind: z.literal("kubeconfig") },
      "Fleetgate reads the cluster's kubeconfig from the secret config value `fleetgate:kubeconfigs.<cluster name>` (set it with `pulumi config set --secret --path 'fleetgate:kubeconfigs.<name>' \"$(cat kubeconfig)\"`).",
    ),
    strictObject(
      {
        kind: z.literal("gke"),
        project: z.string().min(1).describe("The GCP project that holds the GKE cluster."),
        location: z.string().min(1).optional().describe("The cluster's location (region or zone). Defaults to the cluster's region."),
        name: z.string().min(1).optional().describe("The GKE cluster's name. Defaults to the Fleetgate cluster name."),
      },
      "Fleetgate looks the GKE cluster up and builds a kubeconfig that authenticates with gke-gcloud-auth-plugin.",
    ),
    strictObject(
      {
        kind: z.literal("eks"),
        name: z.string().min(1).optional().describe("The EKS cluster's name. Defaults to the Fleetgate cluster name."),
        region: z.string().min(1).optional().describe("The AWS region of the EKS cluster. Defaults to the cluster's region."),
        roleArn: z
          .string()
          .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, { error: "is not an IAM role ARN; write it like arn:aws:iam::123456789012:role/fleetgate" })
          .optional()
          .describe("An IAM role to assume for `aws eks get-token`."),
      },
      "Fleetgate looks the EKS cluster up and builds a kubeconfig that authenticates with `aws eks get-token`.",
    ),
  ])
  .describe("How Fleetgate reaches the cluster's API server.");

const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/, {
  error: (iss) => `${JSON.stringify(iss.input)} is not a Kubernetes quantity; write it like "250m" or "512Mi"`,
});
const resourceList = strictObject({ cpu: quantity.optional(), memory: quantity.optional() }, "CPU and memory quantities.");

/** Gateway deployment settings; the environment sets defaults and a cluster may override any of them. */
const gatewayDeploymentShape = {
  replicas: z
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe("Replicas of the gateway deployment when autoscaling is off, and its starting size. Default 2."),
  resources: strictObject(
    { requests: resourceList.optional(), limits: resourceList.optional() },
    "Resources of each gateway pod. Default requests cpu 250m, memory 256Mi; limit memory 1Gi.",
  ).optional(),
  autoscaling: strictObject(
    {
      enabled: z.boolean().optional().describe("Whether a HorizontalPodAutoscaler scales the gateway. Default true."),
      minReplicas: z.number().int().min(1).optional().describe("Default 2."),
      maxReplicas: z.number().int().min(1).optional().describe("Default 10."),
      targetCPUUtilizationPercentage: z.number().int().min(1).max(100).optional().describe("Default 70."),
    },
    "Autoscaling of the gateway deployment.",
  ).optional(),
  podDisruptionBudget: strictObject(
    { minAvailable: z.number().int().min(0).optional().describe("Pods that must stay up during voluntary disruptions. Default 1.") },
    "The gateway's PodDisruptionBudget.",
  ).optional(),
};

export const gatewayDefaultsSchema = strictObject(
  {
    namespace: dnsLabel("The namespace that holds each cluster's Fleetgate gateway. Default `fleetgate-gateway`.").optional(),
    ...gatewayDeploymentShape,
  },
  "Defaults for the gateway Fleetgate runs in every serving cluster.",
);

export const clusterSchema = strictObject(
  {
    name: clusterName,
    provider: z.enum(["gke", "eks", "other"]).describe("Where the cluster runs: `gke`, `eks`, or `other` (on-premises or another cloud)."),
    region: z
      .string()
      .min(1)
      .describe(
        "The cloud region of the cluster, e.g. us-central1 or eu-west-1. For `other`, any name the admin uses for the location; it is the locality Istio fails over by.",
      ),
    zones: z
      .array(z.string().min(1))
      .default([])
      .describe("The zones the cluster's nodes run in. GKE clusters MUST list them: the front door attaches one network endpoint group per zone."),
    network: z
      .string()
      .min(1)
      .describe(
        "The network the cluster's pods are on. Clusters on the same network reach each other's pods directly; clusters on different networks talk through east-west gateways. For GKE, the VPC name (firewall rules are made on it).",
      ),
    labels: labelMap.default({}).describe("Labels that service owners select clusters by, e.g. `region: us`."),
    access: clusterAccessSchema,
    drain: z
      .boolean()
      .default(false)
      .describe("Drains the cluster for every service: it keeps its gateway and stays attached to the front door with zero capacity."),
    gateway: strictObject(
      {
        ...gatewayDeploymentShape,
        publicHostname: hostName(
          "The public DNS name of this cluster's gateway load balancer. Required for non-GKE clusters behind a GCP front door (reached through an internet NEG) and for non-EKS clusters behind an AWS `latency-dns` front door.",
          false,
        ).optional(),
        publicPort: port("The port the public gateway address listens on. Default 443.").optional(),
      },
      "Per-cluster overrides of the gateway settings.",
    ).optional(),
    istio: strictObject(
      {
        preinstalled: z
          .boolean()
          .default(false)
          .describe("Istio is already installed in this cluster by other means: Fleetgate installs nothing and only reports the settings it expects."),
      },
      "Istio in this cluster.",
    ).optional(),
    multiClusterServices: z
      .enum(["none", "gke-fleet", "mcs-api"])
      .default("none")
      .describe(
        "Which multi-cluster Services implementation runs in the cluster, so that Fleetgate exports its services for `clusterset.local` names: `gke-fleet` (GKE fleet multi-cluster Services, net.gke.io ServiceExports), `mcs-api` (an implementation of the upstream API installed by the operator, multicluster.x-k8s.io ServiceExports), or `none` (the default: no exports; Istio's discovery across clusters needs none). Neither EKS nor Istio installs the CRDs; a ServiceExport applied where they are missing fails.",
      ),
    latencyRegion: z
      .string()
      .min(1)
      .optional()
      .describe(
        "The AWS region a cluster outside AWS is placed in by the AWS `latency-dns` front door, whose latency records name AWS regions. Default: the cluster's region when it is an AWS region, else the AWS region nearest to its GCP region. Required for other clusters behind that front door whose region is neither.",
      ),
  },
  "A Kubernetes cluster of the fleet.",
);

export const clustersSchema = z
  .array(clusterSchema)
  .min(1, { error: "lists no clusters; add at least one cluster" })
  .describe("The clusters of the environment's fleet.");

export const frontDoorSchema = z
  .enum(["gcp", "aws"])
  .describe(
    "The cloud whose global load balancer fronts the fleet: `gcp` (global external Application Load Balancer) or `aws` (Global Accelerator or latency DNS with regional NLBs).",
  );

export const gcpSchema = strictObject(
  {
    project: z.string().min(1).describe("The GCP project that holds the front door's resources."),
    ipv6: z.boolean().default(false).describe("Also reserve a global IPv6 address, with its forwarding rule and AAAA records."),
    sslPolicy: strictObject(
      {
        profile: z.enum(["COMPATIBLE", "MODERN", "RESTRICTED"]).default("MODERN").describe("The SSL policy profile. Default MODERN."),
      },
      "The front door's SSL policy; its minimum TLS version is `fleetgate:tls.minVersion`.",
    ).default({ profile: "MODERN" }),
    securityPolicy: z.string().min(1).optional().describe("A Cloud Armor security policy attached to every backend service that does not name its own."),
    requireSecurityPolicy: z.boolean().default(false).describe("Every backend service MUST have a Cloud Armor policy; the policy pack enforces it."),
    logSampleRate: z.number().min(0).max(1).default(1).describe("Fraction of requests logged by backend services that do not set their own."),
    adoptAddresses: z
      .array(
        strictObject(
          {
            name: z
              .string()
              .regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, {
                error: (iss) =>
                  `${JSON.stringify(iss.input)} is not a GCP address name; global address names are lower-case letters, digits and '-', a letter first, at most 63 characters`,
              })
              .describe("The name of the reserved global address in the front door's project (`gcloud compute addresses list --global`)."),
            address: z
              .union([z.ipv4(), z.ipv6()], {
                error: (iss) =>
                  `${JSON.stringify(iss.input)} is not an IPv4 or IPv6 address; write the address the reserved global address holds, e.g. 203.0.113.10 or 2001:db8::10`,
              })
              .describe("The IP address it holds (IPv4 or IPv6), so that reviewers see it and an ingress's static-ip annotation may name either."),
          },
          "A global address reserved outside Fleetgate.",
        ),
      )
      .default([])
      .superRefine((list, ctx) => {
        list.forEach((entry, i) => {
          const byName = list.findIndex((other) => other.name === entry.name);
          if (byName < i)
            ctx.addIssue({ code: "custom", path: [i, "name"], message: `"${entry.name}" is already adoptAddresses[${byName}]; list each address once` });
          const byIp = list.findIndex((other) => other.address.toLowerCase() === entry.address.toLowerCase());
          if (byIp < i && byName >= i)
            ctx.addIssue({
              code: "custom",
              path: [i, "address"],
              message: `${entry.address} is already the address of adoptAddresses[${byIp}] (${list[byIp]!.name}); a reserved address holds one IP, so list each once`,
            });
        });
      })
      .describe(
        "Global addresses reserved outside Fleetgate (for example for a GKE MultiClusterIngress) that the front door serves on too, so that hosts moved here keep their IP: an ingress names one in its `networking.gke.io/static-ip` annotation (by name or address), and its hosts' DNS records point at it. Each MUST be a global EXTERNAL (premium tier) address in the front door's project, not used by another forwarding rule on ports 80 and 443. Fleetgate reads it and never creates, changes or deletes it.",
      ),
    awaitCertificates: duration(
      "How long `pulumi up` waits for each host's managed certificate to be ACTIVE before writing the host's DNS records (e.g. 60m), so that a host moved from another load balancer never meets a certificate still being issued. Absent: records are written at once.",
    ).optional(),
  },
  "Settings of the GCP front door (used when `fleetgate:frontDoor` is `gcp`).",
);

export const awsSchema = strictObject(
  {
    mode: z
      .enum(["accelerator", "latency-dns"])
      .default("accelerator")
      .describe(
        "`accelerator`: one Global Accelerator with anycast addresses in front of regional NLBs. `latency-dns`: no accelerator; Route 53 latency records per region.",
      ),
    dualStack: z
      .boolean()
      .default(false)
      .describe(
        "Serve IPv6 clients too. In `latency-dns` mode each EKS gateway gets a dual-stack NLB (its VPC and subnets MUST have IPv6) and every host gets AAAA records beside its A records. Not in `accelerator` mode: a dual-stack accelerator takes only endpoints that preserve the client's address, which NLBs that terminate TLS cannot.",
      ),
    clientAffinity: z.enum(["NONE", "SOURCE_IP"]).default("NONE").describe("Accelerator client affinity."),
    globalRegion: z
      .string()
      .default("us-west-2")
      .describe(
        "The region whose API serves global resources: Global Accelerator's API is served from us-west-2 only, so this MUST stay us-west-2 in accelerator mode.",
      ),
  },
  "Settings of the AWS front door (used when `fleetgate:frontDoor` is `aws`).",
);

const zoneSchema = strictObject(
  {
    domain: hostName("The zone's DNS domain, e.g. example.com. Each host is placed in the zone with the longest matching domain.", false),
    cloudDns: strictObject(
      {
        managedZone: z.string().min(1).describe("The Cloud DNS managed zone's name."),
        project: z.string().min(1).optional().describe("The project of the managed zone. Defaults to `fleetgate:gcp.project`."),
      },
      "The zone lives in Cloud DNS.",
    ).optional(),
    route53: strictObject(
      {
        hostedZoneId: z
          .string()
          .regex(/^Z[A-Z0-9]{1,32}$/, { error: (iss) => `${JSON.stringify(iss.input)} is not a Route 53 hosted zone id; it looks like Z0123456789ABCDEFGHIJ` })
          .describe("The Route 53 hosted zone id."),
      },
      "The zone lives in Route 53.",
    ).optional(),
  },
  "A DNS zone Fleetgate writes records in. Set exactly one of `cloudDns` and `route53`.",
).superRefine((zone, ctx) => {
  if ((zone.cloudDns === undefined) === (zone.route53 === undefined))
    ctx.addIssue({ code: "custom", message: "names neither or both of `cloudDns` and `route53`; set exactly one, for where the zone lives" });
});

export const dnsSchema = strictObject(
  {
    ttl: z.number().int().min(30).max(86400).default(300).describe("TTL in seconds of the records Fleetgate writes."),
    zones: z
      .array(zoneSchema)
      .min(1, { error: "lists no zones; add the zone that holds the environment's hosts" })
      .describe("The DNS zones of the environment's hosts."),
  },
  "Where the environment's DNS records live.",
);

export const tlsSchema = strictObject(
  {
    minVersion: z.enum(["1.2", "1.3"]).default("1.2").describe("The lowest TLS version the front door accepts. Default 1.2."),
    wildcardCertificates: z
      .array(hostName("A wildcard such as *.apps.example.com."))
      .default([])
      .describe("Wildcards the admin allows one certificate for: every host exactly one label below shares it instead of getting its own."),
  },
  "TLS settings of the front door.",
).superRefine((tls, ctx) => {
  tls.wildcardCertificates.forEach((w, i) => {
    if (!w.startsWith("*.")) {
      const wildcard = `*.${w}`;
      const hint = hostNameProblem(wildcard) === undefined ? `; write it as ${wildcard}` : "; write it as *.<domain>, e.g. *.apps.example.com";
      ctx.addIssue({ code: "custom", path: ["wildcardCertificates", i], message: `"${w}" is not a wildcard${hint}` });
    }
  });
});

export const hostOwnershipSchema = z
  .array(
    strictObject(
      {
        namespace: dnsLabel("A namespace of service owners."),
        domains: z
          .array(hostName("A host name, or a wildcard `*.example.com` that covers every name below example.com."))
          .min(1)
          .describe("The host names this namespace may claim."),
      },
      "Which host names a namespace may claim.",
    ),
  )
  .describe("Host-name ownership: a rule may claim a host only if its namespace is allowed the host here.");

export const catchAllSchema = strictObject(
  {
    namespace: dnsLabel(
      "The namespace whose MultiClusterIngress serves the catch-all. It MUST hold exactly one ingress with a default backend (`spec.template.spec.backend`) and no rules, or, failing that, exactly one with rules and a default backend; a second candidate of the same kind is an error.",
    ),
  },
  [
    "Grants one namespace the environment's catch-all: requests for host names no rule names, and requests by IP address, which a GKE ingress with a default backend gets from its own load balancer.",
    "Fleetgate serves every team from one load balancer, so only the namespace granted here may take them; without the grant an ingress with a default backend and no rules is refused, and unknown hosts are answered 404.",
    "The catch-all is served by the namespace's ingress with a default backend and no rules; an ingress there with rules and a default backend serves it only when the namespace has no such ingress (as its own load balancer would under GKE), and its backend stays its hosts' default either way.",
    "Over HTTPS such requests get the certificate of the front door's default: GCP's certificate map's PRIMARY entry (one host's certificate), the NLB's default certificate on AWS; a client that checks the name sees a mismatch.",
  ].join(" "),
);

export const trustSchema = strictObject(
  {
    trustDomain: z.string().min(1).default("cluster.local").describe("The mesh's SPIFFE trust domain. Default cluster.local."),
    root: z
      .discriminatedUnion("source", [
        strictObject(
          {
            source: z.literal("generate"),
            commonName: z.string().min(1).optional().describe("Default `Fleetgate <env> Root CA`; generations after the first add ` G<n>`."),
            organization: z.string().min(1).default("Fleetgate"),
            validityDays: z.number().int().min(30).max(36500).default(3650).describe("Default 3650."),
            algorithm: z.enum(["RSA", "ECDSA"]).default("RSA").describe("RSA (4096 bits) or ECDSA (P-384). Default RSA."),
            maxPathLength: z
              .number()
              .int()
              .min(1)
              .max(4)
              .default(1)
              .describe("How many CAs may stand below the root (its path length constraint): intermediates' path lengths must be below it. Default 1."),
            generation: z
              .number()
              .int()
              .min(1)
              .max(999)
              .default(1)
              .describe(
                "Which generated root signs the intermediates. A rotation makes the next generation: it MUST first be listed in additionalTrustedGenerations and deployed, and only then become the generation (Fleetgate refuses the steps out of order). The settings above apply when a generation is made; a made root never changes. Default 1.",
              ),
            additionalTrustedGenerations: z
              .array(z.number().int().min(1).max(999))
              .max(2)
              .default([])
              .describe(
                "Other generated roots every cluster trusts besides the signing one: during a rotation, the next generation before it signs, then the previous one until every workload certificate has been re-issued. A generation listed here is made if it does not exist; one that leaves every list is deleted, which its protection refuses until an operator unprotects it.",
              ),
          },
          "Fleetgate generates the root CA with @pulumi/tls and keeps its key in state as a secret.",
        ),
        strictObject(
          { source: z.literal("existing") },
          "The root CA comes from config: its certificate from `fleetgate:rootCaCert`, its key from the secret `fleetgate:rootCaKey`.",
        ),
      ])
      .default({
        source: "generate",
        organization: "Fleetgate",
        validityDays: 3650,
        algorithm: "RSA",
        maxPathLength: 1,
        generation: 1,
        additionalTrustedGenerations: [],
      }),
    intermediate: strictObject(
      {
        validityDays: z
          .number()
          .int()
          .min(1)
          .max(3650)
          .default(365)
          .describe(
            "Validity of each cluster's intermediate CA: it MUST be shorter than a generated root's. An intermediate is never issued beyond its root's expiry: near it, it is issued only until then. Default 365.",
          ),
        pathLength: z
          .number()
          .int()
          .min(0)
          .max(3)
          .default(0)
          .describe("The intermediate's path length constraint. Default 0: it signs workload certificates only."),
        algorithm: z.enum(["RSA", "ECDSA"]).default("RSA").describe("Default RSA (2048 bits)."),
      },
      "Each cluster's intermediate CA, signed by the root.",
    ).default({ validityDays: 365, pathLength: 0, algorithm: "RSA" }),
    additionalTrustedRoots: z
      .array(z.string().regex(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/, { error: "is not a PEM certificate" }))
      .default([])
      .describe(
        "More root certificates every cluster trusts besides the root: during a rotation, the new root before it signs, then the old one until every workload certificate has been re-issued.",
      ),
    emergencyRotation: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Only for an emergency (a leaked root key, an expired root): why the rotation may skip its order. The rotation guard and the expiry check then warn instead of refusing, and mTLS between clusters may fail until every workload holds a certificate under the new root. Remove it once that deployment is done.",
      ),
  },
  "The mesh's shared root of trust.",
).superRefine((trust, ctx) => {
  if (trust.root.source !== "generate") return;
  const { root } = trust;
  if (trust.intermediate.validityDays >= root.validityDays)
    ctx.addIssue({
      code: "custom",
      path: ["intermediate", "validityDays"],
      message: `is ${trust.intermediate.validityDays}, but the generated root is valid for ${root.validityDays} days (fleetgate:trust.root.validityDays), and an intermediate must never outlive its root; make it at most ${root.validityDays - 1}`,
    });
  root.additionalTrustedGenerations.forEach((generation, i) => {
    if (generation === root.generation)
      ctx.addIssue({
        code: "custom",
        path: ["root", "additionalTrustedGenerations", i],
        message: `is ${generation}, the generation that signs (fleetgate:trust.root.generation); list only other generations here`,
      });
    else if (root.additionalTrustedGenerations.indexOf(generation) !== i)
      ctx.addIssue({ code: "custom", path: ["root", "additionalTrustedGenerations", i], message: `lists generation ${generation} twice; list it once` });
  });
});

/** A pinned Istio chart version, as Helm takes it. */
function istioVersion(description: string) {
  return z
    .string()
    .regex(/^\d+\.\d+\.\d+$/, { error: (iss) => `${JSON.stringify(iss.input)} is not a pinned chart version; write it like 1.28.0` })
    .describe(description);
}

const istioRevisions = z
  .array(istioVersion("An installed Istio version."))
  .min(1)
  .describe(
    "The Istio control planes installed side by side, one revision per version; default: the one `version`. It must include `version`. Keep the previous version here while the gateways move to the new one, so that moving `version` back rolls them back.",
  );

export const istioWaveSchema = strictObject(
  {
    name: dnsLabel("The wave's name, shown in plans and diffs."),
    clusters: z.array(z.string().min(1)).optional().describe("The clusters of the wave, by name."),
    selector: labelMap.optional().describe("Clusters whose labels include all of these are in the wave."),
    version: istioVersion("The Istio version the wave's clusters run: the revision their gateways use."),
    revisions: istioRevisions.optional(),
  },
  "One upgrade wave: its clusters, by name or label, and the Istio version they run.",
);

export const meshSchema = strictObject(
  {
    id: dnsLabel("The Istio mesh ID. Default `fleet-<env>`.").optional(),
    istio: strictObject(
      {
        install: z
          .boolean()
          .default(true)
          .describe("Fleetgate installs istio-base and istiod with Helm in every cluster (except clusters marked `istio.preinstalled`)."),
        version: istioVersion(
          "The Istio version the clusters in no upgrade wave run: the revision their gateways use. Pinned chart version; required when install is true.",
        ).optional(),
        revisions: istioRevisions.optional(),
        keepUnrevisionedIstiod: z
          .boolean()
          .optional()
          .describe(
            "Keep the unrevisioned `istiod` Helm release that Fleetgate installed before it ran control planes by revision, while the gateways move to the revisioned one. Set it to true for the first `pulumi up` of an environment deployed before revisions, and remove it in the next (default false): removing it in the same update would take the old control plane away while the gateways still roll to the new one.",
          ),
        waves: z
          .array(istioWaveSchema)
          .optional()
          .describe(
            "Upgrade waves, in the order a new Istio version reaches them: each names its clusters and the version they run. A cluster belongs to the first wave that names or selects it; clusters in no wave run `version`. No wave may run a version ahead of an earlier wave.",
          ),
      },
      "Istio control plane settings.",
    ).default({ install: true }),
  },
  "The service mesh that spans the fleet.",
);

export const gatewayApiSchema = strictObject(
  {
    crds: z
      .enum(["manage", "check"])
      .default("check")
      .describe(
        "Who installs the Gateway API CRDs in the clusters with a gateway. `check` (the default): the admin (or the cluster's provider) does; Fleetgate reads the installed bundle (the CRDs' gateway.networking.k8s.io/bundle-version) before applying any Gateway API object and stops at a cluster whose bundle is missing or older than it needs. `manage`: Fleetgate installs and upgrades the standard-channel bundle it was tested with, and refuses to move a newer bundle back or to overwrite another channel; on GKE only where GKE's own Gateway API is disabled, since GKE keeps the CRDs where it is enabled.",
      ),
  },
  "The Gateway API CRDs the clusters' gateways need.",
);

export const kubeconfigsSchema = z
  .record(z.string(), z.string().min(1))
  .describe("Kubeconfigs of clusters whose access kind is `kubeconfig`, keyed by cluster name. MUST be set as a secret.");

/** Every key Fleetgate reads under the `fleetgate:` namespace, with its schema and whether it is required. */
export const ENVIRONMENT_KEYS = {
  clusters: { schema: clustersSchema, required: true },
  frontDoor: { schema: frontDoorSchema, required: true },
  gcp: { schema: gcpSchema, required: false },
  aws: { schema: awsSchema, required: false },
  dns: { schema: dnsSchema, required: true },
  tls: { schema: tlsSchema, required: false },
  hostOwnership: { schema: hostOwnershipSchema, required: true },
  catchAll: { schema: catchAllSchema, required: false },
  trust: { schema: trustSchema, required: false },
  mesh: { schema: meshSchema, required: false },
  gateway: { schema: gatewayDefaultsSchema, required: false },
  gatewayApi: { schema: gatewayApiSchema, required: false },
  kubeconfigs: { schema: kubeconfigsSchema, required: false },
  rootCaCert: {
    schema: z
      .string()
      .regex(/-----BEGIN CERTIFICATE-----/, { error: "is not a PEM certificate" })
      .describe("The existing root CA certificate (PEM), when `trust.root.source` is `existing`."),
    required: false,
  },
  rootCaKey: {
    schema: z.string().min(1).describe("The existing root CA private key (PEM), when `trust.root.source` is `existing`. MUST be set as a secret."),
    required: false,
  },
  verificationSecret: {
    schema: z
      .string()
      .min(32, {
        error:
          'is shorter than 32 characters, short enough to guess; set a random one: `pulumi config set --secret fleetgate:verificationSecret "$(openssl rand -hex 32)"`',
      })
      .describe(
        "The environment's verification secret. When set, the gateways tell requests that carry the token derived from it (HMAC-SHA256 of `fleetgate-verify/<environment>`) which cluster and backend they landed on, in the `x-fleetgate-landed` response header, so that `npm run verify` can check every route of the live front door; requests without the token are served as before. MUST be set as a secret, at least 32 characters.",
      ),
    required: false,
  },
} as const;

export type EnvironmentKey = keyof typeof ENVIRONMENT_KEYS;

/** Keys whose values are credentials: Fleetgate refuses them unless Pulumi holds them as secrets. */
export const SECRET_KEYS: readonly EnvironmentKey[] = ["kubeconfigs", "rootCaKey", "verificationSecret"];

export const environmentSchema = strictObject(
  Object.fromEntries(Object.entries(ENVIRONMENT_KEYS).map(([key, { schema, required }]) => [key, required ? schema : schema.optional()])) as {
    [K in EnvironmentKey]: (typeof ENVIRONMENT_KEYS)[K]["required"] extends true
      ? (typeof ENVIRONMENT_KEYS)[K]["schema"]
      : z.ZodOptional<(typeof ENVIRONMENT_KEYS)[K]["schema"]>;
  },
  "The environment: structured stack configuration under the `fleetgate:` namespace.",
);

export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type ClusterConfig = z.output<typeof clusterSchema>;
export type GatewayDefaults = z.output<typeof gatewayDefaultsSchema>;
