/** Every transcribed conformance case, in the order docs/conformance.md lists them. */
import type { ConformanceCase } from "../case";
import { invalidNonExistentBackendRef, namedRule, noBackendRefs, requestHeaderModifierBackendWeights, simpleSameNamespace } from "./backend-refs";
import { crossNamespace, referenceGrant, referenceGrantDeleted } from "./cross-namespace";
import { exactPathMatching } from "./exact-path-matching";
import { headerMatching } from "./header-matching";
import { requestHeaderModifier, responseHeaderModifier } from "./header-modifiers";
import { hostnameIntersection, hostnameIntersectionAll, listenerHostnameMatching } from "./listeners";
import { matching } from "./matching";
import { matchingAcrossRoutes } from "./matching-across-routes";
import { methodMatching } from "./method-matching";
import { pathMatchOrder } from "./path-match-order";
import { queryParamMatching } from "./query-param-matching";
import { requestMirror } from "./request-mirror";
import { redirect303, redirect307, redirect308, redirectHostAndStatus, redirectPath, redirectPort, redirectPortAndScheme, redirectScheme } from "./redirects";
import { rewriteHost, rewritePath } from "./rewrites";
import { weight } from "./weight";

export const CASES: readonly ConformanceCase[] = [
  simpleSameNamespace,
  matching,
  matchingAcrossRoutes,
  headerMatching,
  queryParamMatching,
  methodMatching,
  exactPathMatching,
  pathMatchOrder,
  weight,
  requestHeaderModifierBackendWeights,
  namedRule,
  noBackendRefs,
  invalidNonExistentBackendRef,
  redirectHostAndStatus,
  redirectPath,
  redirectScheme,
  redirectPort,
  redirectPortAndScheme,
  redirect303,
  redirect307,
  redirect308,
  requestHeaderModifier,
  responseHeaderModifier,
  requestMirror,
  rewritePath,
  rewriteHost,
  crossNamespace,
  referenceGrant,
  referenceGrantDeleted,
  hostnameIntersection,
  hostnameIntersectionAll,
  listenerHostnameMatching,
];
