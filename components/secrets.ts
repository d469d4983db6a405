/**
 * The secret inputs of the program, read from stack configuration as Pulumi secrets and handed to the
 * components. Components never read config themselves; the FleetPlan names these values only by key.
 */
import * as pulumi from "@pulumi/pulumi";
import { verificationToken } from "./verification";

export interface FleetSecrets {
  /** The kubeconfig of a cluster whose access kind is `kubeconfig`. */
  kubeconfig(cluster: string): pulumi.Output<string>;
  /** The existing root CA, when `trust.root.source` is `existing`. */
  readonly existingRootCa?: { readonly certPem: pulumi.Input<string>; readonly keyPem: pulumi.Output<string> };
  /** The environment's verification token (components/verification.ts), when `fleetgate:verificationSecret` is set; a secret. */
  verificationToken?(environment: string): pulumi.Output<string>;
}

export function secretsFromConfig(config: pulumi.Config): FleetSecrets {
  const kubeconfigs = config.getSecretObject<Record<string, string>>("kubeconfigs");
  const rootCaCert = config.get("rootCaCert");
  const rootCaKey = config.getSecret("rootCaKey");
  const verificationSecret = config.getSecret("verificationSecret");
  return {
    kubeconfig: (cluster) => {
      if (!kubeconfigs) throw new Error(`fleetgate:kubeconfigs is not set; it must hold the kubeconfig of ${cluster}`);
      return pulumi.secret(kubeconfigs.apply((all) => all[cluster] ?? ""));
    },
    ...(rootCaCert !== undefined && rootCaKey !== undefined ? { existingRootCa: { certPem: rootCaCert, keyPem: rootCaKey } } : {}),
    ...(verificationSecret !== undefined
      ? { verificationToken: (environment: string) => pulumi.secret(verificationSecret.apply((secret) => verificationToken(secret, environment))) }
      : {}),
  };
}
