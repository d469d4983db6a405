/**
 * Verifying the live front door (`npm run verify`): the token a request carries to learn where it
 * landed, and the header the gateways answer it with. Pure and shared by the program (which writes the
 * token into the gateways' verification routes) and the tool (which sends it): one derivation, so the
 * two cannot drift apart.
 *
 * The token is HMAC-SHA256 of the environment's name under the environment's verification secret
 * (`fleetgate:verificationSecret`): knowing one environment's token says nothing about another's or
 * about the secret, and rotating the secret changes every token. Only requests that carry it learn the
 * cluster and backend; everyone else gets the responses they always got.
 */
import { createHmac } from "node:crypto";

/** The request header that carries the token. The gateways remove it before the request reaches a backend. */
export const VERIFY_HEADER = "x-fleetgate-verify";

/** The response header that names where a request carrying the token landed. */
export const LANDED_HEADER = "x-fleetgate-landed";

/** The environment variable `npm run verify` reads the secret from (never a command-line argument, which other users of the machine can read). */
export const SECRET_ENVIRONMENT_VARIABLE = "FLEETGATE_VERIFICATION_SECRET";

/** The token of an environment: hex HMAC-SHA256 of `fleetgate-verify/<environment>` under its secret. */
export function verificationToken(secret: string, environment: string): string {
  return createHmac("sha256", secret).update(`fleetgate-verify/${environment}`).digest("hex");
}

/**
 * Where a request landed: the cluster whose gateway took it, and the Service ports of the gateway rule
 * that forwarded it (one, unless the rule splits between several in that cluster; the header is the
 * rule's, not the chosen backend's, because Gateway API's per-backend filters are an extended feature).
 */
export interface Landing {
  readonly cluster: string;
  /** `namespace/name:port`, sorted. */
  readonly backends: readonly string[];
}

/** The landed header's value: `cluster=<cluster>; backend=<namespace>/<name>:<port>[,...]`. */
export function landedHeaderValue(landing: Landing): string {
  return `cluster=${landing.cluster}; backend=${[...new Set(landing.backends)].sort().join(",")}`;
}

const BACKEND = /^[^/\s,]+\/[^:\s,]+:\d+$/;

/** Reads a landed header's value; undefined when it is not one `landedHeaderValue` writes. */
export function parseLandedHeader(value: string): Landing | undefined {
  const match = /^cluster=([^;\s]+);\s*backend=(\S+)$/.exec(value.trim());
  if (!match) return undefined;
  const backends = match[2]!.split(",");
  return backends.every((b) => BACKEND.test(b)) ? { cluster: match[1]!, backends } : undefined;
}

/** A landing's places as the route model names them (`cluster namespace/name:port`, see review/route-model `landings`). */
export function landingKeys(landing: Landing): string[] {
  return landing.backends.map((b) => `${landing.cluster} ${b}`);
}
