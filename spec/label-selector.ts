/**
 * Kubernetes label selectors over the fleet's clusters, read as Kubernetes reads them: `matchLabels` and
 * every `matchExpressions` requirement must all hold; an empty selector (`{}`) selects every cluster.
 * One function matches, so selection (spec/select.ts) and every check that re-matches an entry
 * (spec/validate.ts) agree on which clusters a selector means.
 */

export const SELECTOR_OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"] as const;
export type SelectorOperator = (typeof SELECTOR_OPERATORS)[number];

export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly SelectorRequirement[];
}

/** Whether labels satisfy the selector. NotIn holds for a cluster without the key, as in Kubernetes. */
export function matchesSelector(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const has = (key: string) => Object.prototype.hasOwnProperty.call(labels, key);
  const labelsHold = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => has(key) && labels[key] === value);
  return (
    labelsHold &&
    (selector.matchExpressions ?? []).every((r) => {
      const values = r.values ?? [];
      switch (r.operator) {
        case "In":
          return has(r.key) && values.includes(labels[r.key]!);
        case "NotIn":
          return !has(r.key) || !values.includes(labels[r.key]!);
        case "Exists":
          return has(r.key);
        case "DoesNotExist":
          return !has(r.key);
      }
    })
  );
}

/** The selector in words for messages: `region=eu, tier in (gold, silver), !legacy`; `(any labels)` when empty. */
export function describeSelector(selector: LabelSelector): string {
  const parts = [
    ...Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(selector.matchExpressions ?? []).map((r) => {
      const values = `(${(r.values ?? []).join(", ")})`;
      if (r.operator === "In") return `${r.key} in ${values}`;
      if (r.operator === "NotIn") return `${r.key} not in ${values}`;
      return r.operator === "Exists" ? r.key : `!${r.key}`;
    }),
  ];
  return parts.length > 0 ? parts.join(", ") : "(any labels)";
}
