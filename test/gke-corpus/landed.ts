/**
 * The topics of issue 14 that other branches bring, and which of them are merged here. Corpus and import
 * expectations that wait for a topic are skipped until it is in LANDED: the merge of a topic adds it
 * (and updates the adapters marked TODO(<topic>) in test/gke-corpus/corpus.test.ts to the shape it chose).
 */
export type Topic = "catchall" | "proto" | "frontdoor" | "addresses";

export const LANDED: ReadonlySet<Topic> = new Set<Topic>(["catchall", "proto", "addresses"]);

/** The topics a list waits for that have not landed. */
export function pendingOf(topics: readonly Topic[]): Topic[] {
  return topics.filter((t) => !LANDED.has(t));
}
