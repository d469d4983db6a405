/**
 * SharedTrust: the environment's root CA (generated here and protected, or an existing one from secret
 * configuration) and one intermediate CA per cluster signed by it. It creates no Kubernetes object: each
 * cluster writes its `cacerts` secret from `cacerts(cluster)` with its own provider.
 */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import type { IntermediateCaPlan, TrustPlan } from "../../spec/plan";
import { CA_ALLOWED_USES, CACERTS_FILES, caKeyArgs, type CacertsFile, cacertsFiles, intermediateRenewalHours, intermediateSubject, trustNames } from "./trust-plan";

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
  /** The root CA certificate every cluster trusts. */
  readonly rootCertPem: pulumi.Output<string>;
  private readonly files: Readonly<Record<string, Readonly<Record<CacertsFile, pulumi.Output<string>>>>>;

  constructor(name: string, args: SharedTrustArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:trust:SharedTrust", name, {}, opts);
    const { environment, trust } = args;

    let rootKeyPem: pulumi.Output<string>;
    if (trust.root.source === "generate") {
      // The root outlives every cluster: protected, so that no refactor or mistake can replace it and
      // silently break mTLS between clusters that still hold certificates from the old one.
      const key = new tls.PrivateKey(trustNames.root(environment), { ...caKeyArgs(trust.root.algorithm, "root") }, { parent: this, protect: true, additionalSecretOutputs: KEY_SECRET_OUTPUTS });
      const cert = new tls.SelfSignedCert(
        trustNames.root(environment),
        {
          privateKeyPem: key.privateKeyPem,
          subject: { commonName: trust.root.commonName, organization: trust.root.organization },
          validityPeriodHours: trust.root.validityHours,
          isCaCertificate: true,
          // The root's constraint bounds the chain (the TLS provider may leave an intermediate's pathLen 0
          // out). It is set from config, not derived from the intermediates, whose changes would otherwise
          // replace the root.
          maxPathLength: trust.root.maxPathLength,
          allowedUses: [...CA_ALLOWED_USES],
          setSubjectKeyId: true,
        },
        { parent: this, protect: true },
      );
      rootKeyPem = pulumi.secret(key.privateKeyPem);
      this.rootCertPem = cert.certPem;
    } else {
      if (!args.existingRoot)
        throw new Error(
          `fleetgate:trust.root.source is "existing", but ${trust.root.certConfigKey} and ${trust.root.keyConfigKey} are not both set; ` +
            `set them (the key with --secret) or generate the root with source: generate.`,
        );
      rootKeyPem = pulumi.secret(args.existingRoot.keyPem);
      this.rootCertPem = pulumi.output(args.existingRoot.certPem);
    }

    const files: Record<string, Record<CacertsFile, pulumi.Output<string>>> = {};
    for (const plan of trust.intermediates) {
      const ca = new IntermediateCa(`${environment}-${plan.cluster}`, { environment, plan, rootCertPem: this.rootCertPem, rootKeyPem }, { parent: this });
      const all = pulumi
        .all([ca.certPem, ca.keyPem, this.rootCertPem])
        .apply(([intermediateCertPem, intermediateKeyPem, rootCertPem]) =>
          cacertsFiles({ intermediateCertPem, intermediateKeyPem, rootCertPem, additionalTrustedRoots: trust.additionalTrustedRoots }),
        );
      // Each file is its own secret, so that each stays secret wherever it is used.
      files[plan.cluster] = Object.fromEntries(CACERTS_FILES.map((f) => [f, pulumi.secret(all.apply((a) => a[f]))])) as Record<CacertsFile, pulumi.Output<string>>;
    }
    this.files = files;
    this.registerOutputs({ rootCertPem: this.rootCertPem, clusters: trust.intermediates.map((i) => i.cluster) });
  }

  /** The four files of the `cacerts` secret of a cluster, each a secret Output. */
  cacerts(cluster: string): Readonly<Record<CacertsFile, pulumi.Output<string>>> {
    const files = this.files[cluster];
    if (!files) throw new Error(`the trust plan has no intermediate CA for cluster "${cluster}"`);
    return files;
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
    this.keyPem = pulumi.secret(key.privateKeyPem);
    this.registerOutputs({ certPem: this.certPem });
  }
}
