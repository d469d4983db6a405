/**
 * Fake outputs and lookups for the gcp resources Fleetgate creates (see offline/fakes/index.ts).
 */
export {};
