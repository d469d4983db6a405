/**
 * HTTP redirect codes by GKE's FrontendConfig names, which are the Compute API's redirectResponseCode
 * names (HttpRedirectAction.RedirectResponseCode): the GCP front door takes them as they are.
 */
/** GKE's names of the redirect codes (the Compute API's, which the GCP front door takes as they are). */
export const REDIRECT_CODE_NAMES = {
  MOVED_PERMANENTLY_DEFAULT: 301,
  FOUND: 302,
  SEE_OTHER: 303,
  TEMPORARY_REDIRECT: 307,
  PERMANENT_REDIRECT: 308,
} as const;

export type RedirectCodeName = keyof typeof REDIRECT_CODE_NAMES;
export type RedirectStatus = (typeof REDIRECT_CODE_NAMES)[RedirectCodeName];

/** GKE's default, and what every host without a FrontendConfig code gets. */
export const DEFAULT_REDIRECT_STATUS: RedirectStatus = 301;
