/**
 * SharedTrust: the environment's root CA (generated here and protected, or an existing one from secret
 * configuration) and one intermediate CA per cluster signed by it. It creates no Kubernetes object: each
 * cluster writes its `cacerts` secret from `cacerts(cluster)` with its own provider.
 *
 * Generated roots have generations (`fleetgate:trust.root.generation`): a rotation makes the next one
 * beside the current, every cluster trusts both, then the new one signs; rotation.ts guards the order.
 */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import type { IntermediateCaPlan, TrustPlan } from "../../spec/plan";
import {
  CA_ALLOWED_USES,
  CACERTS_FILES,
  caKeyArgs,
  type CacertsFile,
  cacertsFiles,
  GENERATED_ROOT_FIXED_INPUTS,
  generatedRootCommonName,
  generatedRootGenerations,
  intermediateRenewalHours,
  intermediateSubject,
  trustNames,
} from "./trust-plan";
import { type TrustRecord, trustRecord } from "./trust-record";

/** Outputs of a private key that hold key material; the provider marks them secret, Fleetgate insists. */
const KEY_SECRET_OUTPUTS = ["privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh"];

export interface SharedTrustArgs {
  readonly environment: string;
  /** The trust plan: root source, intermediates per cluster, extra trusted roots. */
  readonly trust: TrustPlan;
  /**
   * The existing root CA, required when `trust.root.source` is `existing`. Its key never leaves Pulumi
   * secrets; replacing it re-signs every intermediate.
   */
  readonly existingRoot?: { readonly certPem: pulumi.Input<string>; readonly keyPem: pulumi.Output<string> };
}

export class SharedTrust extends pulumi.ComponentResource {
  /** The root CA certificate that signs every intermediate. */
  readonly rootCertPem: pulumi.Output<string>;
  private readonly files: Readonly<Record<string, Readonly<Record<CacertsFile, pulumi.Output<string>>>>>;
  /** Every root of the bundle, the signing one first, with its generation when generated. */
  private readonly trusted: readonly { readonly pem: pulumi.Output<string>; readonly generation?: number }[];
  private readonly intermediates: ReadonlyMap<string, { readonly plan: IntermediateCaPlan; readonly ca: IntermediateCa }>;
  private readonly trust: TrustPlan;

  constructor(name: string, args: SharedTrustArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:trust:SharedTrust", name, {}, opts);
    const { environment, trust } = args;
    this.trust = trust;

    let rootKeyPem: pulumi.Output<string>;
    if (trust.root.source === "generate") {
      const root = trust.root;
      const made = new Map(generatedRootGenerations(root).map((generation) => [generation, this.generatedRoot(environment, root, generation)] as const));
      const signing = made.get(root.generation)!;
      rootKeyPem = pulumi.secret(signing.keyPem);
      this.rootCertPem = signing.certPem;
      this.trusted = [
        { pem: signing.certPem, generation: root.generation },
        ...root.additionalTrustedGenerations.map((generation) => ({ pem: made.get(generation)!.certPem, generation })),
        ...trust.additionalTrustedRoots.map((pem) => ({ pem: pulumi.output(pem) })),
      ];
    } else {
      if (!args.existingRoot)
        throw new Error(
          `fleetgate:trust.root.source is "existing", but ${trust.root.certConfigKey} and ${trust.root.keyConfigKey} are not both set; ` +
            `set them (the key with --secret) or generate the root with source: generate.`,
        );
      rootKeyPem = pulumi.secret(args.existingRoot.keyPem);
      this.rootCertPem = pulumi.output(args.existingRoot.certPem);
      this.trusted = [{ pem: this.rootCertPem }, ...trust.additionalTrustedRoots.map((pem) => ({ pem: pulumi.output(pem) }))];
    }

    const extraRoots = pulumi.all(this.trusted.slice(1).map((t) => t.pem));
    const files: Record<string, Record<CacertsFile, pulumi.Output<string>>> = {};
    const intermediates = new Map<string, { plan: IntermediateCaPlan; ca: IntermediateCa }>();
    for (const plan of trust.intermediates) {
      const ca = new IntermediateCa(`${environment}-${plan.cluster}`, { environment, plan, rootCertPem: this.rootCertPem, rootKeyPem }, { parent: this });
      intermediates.set(plan.cluster, { plan, ca });
      const all = pulumi
        .all([ca.certPem, ca.keyPem, this.rootCertPem, extraRoots])
        .apply(([intermediateCertPem, intermediateKeyPem, rootCertPem, additionalTrustedRoots]) =>
          cacertsFiles({ intermediateCertPem, intermediateKeyPem, rootCertPem, additionalTrustedRoots }),
        );
      // Each file is its own secret, so that each stays secret wherever it is used.
      files[plan.cluster] = Object.fromEntries(CACERTS_FILES.map((f) => [f, pulumi.secret(all.apply((a) => a[f]))])) as Record<
        CacertsFile,
        pulumi.Output<string>
      >;
    }
    this.files = files;
    this.intermediates = intermediates;
    this.registerOutputs({ rootCertPem: this.rootCertPem, clusters: trust.intermediates.map((i) => i.cluster) });
  }

  /** The four files of the `cacerts` secret of a cluster, each a secret Output. */
  cacerts(cluster: string): Readonly<Record<CacertsFile, pulumi.Output<string>>> {
    const files = this.files[cluster];
    if (!files) throw new Error(`the trust plan has no intermediate CA for cluster "${cluster}"`);
    return files;
  }

  /**
   * This deployment's trust record (trust-record.ts), for the stack output the next deployment's rotation
   * guard reads. It resolves only once every cluster's `written` resources exist (its `cacerts` secret, or
   * what depends on it), so an update that fails to write a cluster's `cacerts` records nothing new: the
   * stack keeps the previous record, and the guard the previous state. Undefined when a certificate
   * cannot be read.
   */
  record(written: Readonly<Record<string, readonly pulumi.Resource[]>>): pulumi.Output<TrustRecord | undefined> {
    const done = Object.values(written)
      .flat()
      .map((r) => (pulumi.CustomResource.isInstance(r) ? r.id : r.urn));
    const ends = [...this.intermediates.values()].map(({ ca }) => ca.validityEndTime);
    return pulumi.all([pulumi.all(this.trusted.map((t) => t.pem)), pulumi.all(ends), pulumi.all(done)]).apply(([pems, notAfters]) =>
      trustRecord({
        signingRoot: pems[0]!,
        trusted: this.trusted.map((t, i) => ({ pem: pems[i]!, ...(t.generation !== undefined ? { generation: t.generation } : {}) })),
        intermediates: [...this.intermediates.values()].map(({ plan }, i) => ({
          cluster: plan.cluster,
          notAfter: notAfters[i]!,
          validityHours: plan.validityHours,
          configuredValidityHours: plan.configuredValidityHours,
        })),
        retiredSigners: this.trust.retiredSigners ?? {},
      }),
    );
  }

  /**
   * One generated root: its key and self-signed certificate, both protected so that no refactor or
   * mistake can replace or delete them and silently break mTLS between clusters that still hold
   * certificates under it. The settings it is made with are fixed from then on.
   */
  private generatedRoot(
    environment: string,
    root: Extract<TrustPlan["root"], { source: "generate" }>,
    generation: number,
  ): { keyPem: pulumi.Output<string>; certPem: pulumi.Output<string> } {
    const name = trustNames.root(environment, generation);
    const key = new tls.PrivateKey(
      name,
      { ...caKeyArgs(root.algorithm, "root") },
      { parent: this, protect: true, additionalSecretOutputs: KEY_SECRET_OUTPUTS, ignoreChanges: [...GENERATED_ROOT_FIXED_INPUTS.key] },
    );
    const cert = new tls.SelfSignedCert(
      name,
      {
        privateKeyPem: key.privateKeyPem,
        subject: { commonName: generatedRootCommonName(root.commonName, generation), organization: root.organization },
        validityPeriodHours: root.validityHours,
        isCaCertificate: true,
        // The root's constraint bounds the chain (the TLS provider may leave an intermediate's pathLen 0
        // out). It is set from config, not derived from the intermediates, whose changes would otherwise
        // replace the root.
        maxPathLength: root.maxPathLength,
        allowedUses: [...CA_ALLOWED_USES],
        setSubjectKeyId: true,
      },
      { parent: this, protect: true, ignoreChanges: [...GENERATED_ROOT_FIXED_INPUTS.certificate] },
    );
    return { keyPem: key.privateKeyPem, certPem: cert.certPem };
  }
}

export interface IntermediateCaArgs {
  readonly environment: string;
  readonly plan: IntermediateCaPlan;
  readonly rootCertPem: pulumi.Input<string>;
  readonly rootKeyPem: pulumi.Output<string>;
}

/** One cluster's intermediate CA: its key, its signing request, and the certificate the root signs. */
export class IntermediateCa extends pulumi.ComponentResource {
  readonly certPem: pulumi.Output<string>;
  /** The intermediate's private key (secret). */
  readonly keyPem: pulumi.Output<string>;
  /** When the issued certificate expires (RFC 3339). */
  readonly validityEndTime: pulumi.Output<string>;

  constructor(name: string, args: IntermediateCaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:trust:IntermediateCa", name, {}, opts);
    const { environment, plan } = args;
    const childName = trustNames.intermediate(environment, plan.cluster);
    const key = new tls.PrivateKey(childName, { ...caKeyArgs(plan.algorithm, "intermediate") }, { parent: this, additionalSecretOutputs: KEY_SECRET_OUTPUTS });
    const request = new tls.CertRequest(childName, { privateKeyPem: key.privateKeyPem, subject: intermediateSubject(plan) }, { parent: this });
    const cert = new tls.LocallySignedCert(
      childName,
      {
        certRequestPem: request.certRequestPem,
        caCertPem: args.rootCertPem,
        caPrivateKeyPem: args.rootKeyPem,
        validityPeriodHours: plan.validityHours,
        earlyRenewalHours: intermediateRenewalHours(plan.validityHours),
        isCaCertificate: true,
        maxPathLength: plan.pathLength,
        allowedUses: [...CA_ALLOWED_USES],
        setSubjectKeyId: true,
      },
      { parent: this },
    );
    this.certPem = cert.certPem;
    this.validityEndTime = cert.validityEndTime;
    this.keyPem = pulumi.secret(key.privateKeyPem);
    this.registerOutputs({ certPem: this.certPem });
  }
}
