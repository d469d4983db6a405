/**
 * Fake outputs and lookups for the tls resources Fleetgate creates (see offline/fakes/index.ts).
 */
export {};
