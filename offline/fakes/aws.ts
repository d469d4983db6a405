/**
 * Fake outputs and lookups for the aws resources Fleetgate creates (see offline/fakes/index.ts).
 */
export {};
