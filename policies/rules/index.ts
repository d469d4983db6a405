/** Every rule of the pack, by family. policies/index.ts turns them into the PolicyPack. */
import { cloudArmorRequired } from "./armor";
import { hostsHaveCertificates } from "./certificates";
import { backendsHealthChecked } from "./health";
import { httpOnlyRedirects } from "./http";
import { statefulResourcesProtected, rootKeyProtected } from "./protection";
import { kubernetesExplicitProviders } from "./providers";
import { credentialsInSecretFields } from "./secrets";
import { acceleratorServes, backendsNotAllDrained } from "./serving";
import { tlsMinimumVersion } from "./tls";

export const RULES = [
  tlsMinimumVersion,
  httpOnlyRedirects,
  hostsHaveCertificates,
  credentialsInSecretFields,
  statefulResourcesProtected,
  rootKeyProtected,
  backendsNotAllDrained,
  acceleratorServes,
  kubernetesExplicitProviders,
  backendsHealthChecked,
  cloudArmorRequired,
];
