/**
 * Fake outputs and lookups for the kubernetes resources Fleetgate creates (see offline/fakes/index.ts).
 */
export {};
