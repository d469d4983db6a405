/**
 * Which stacks are production: declared by the platform team in `stacks/production.yaml`, never guessed
 * from a name. Production stacks deploy after all the others, each once its GitHub environment's
 * reviewers approve. A stack whose name looks like production but is not declared gets a warning, so
 * that `prd` or `prod_eu` never slips into the first wave unnoticed.
 *
 * ```yaml
 * production:
 *   - prod
 *   - aws-prod
 * ```
 */
import { distance } from "fastest-levenshtein";
import type { Diagnostic } from "../spec/diagnostics";
import { parseYamlDocuments } from "../spec/yaml-source";

export const PRODUCTION_FILE = "stacks/production.yaml";

export interface ProductionList {
  /** The declared production stacks, in the file's order, each once. */
  readonly stacks: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads the production list. `text` is the file's content (undefined when it does not exist); `known`
 * the stacks that have a stack file. Every problem of the file is reported, with its place; a list with
 * errors must not be used to order a deployment.
 */
export function readProductionList(text: string | undefined, known: readonly string[]): ProductionList {
  const error = (where: { line?: number; column?: number }, path: string, message: string): Diagnostic => ({
    file: PRODUCTION_FILE,
    ...where,
    severity: "error",
    path,
    message,
  });
  if (text === undefined)
    return {
      stacks: [],
      diagnostics: [
        error(
          {},
          "",
          `there is no production list; create ${PRODUCTION_FILE} with "production:" and the production stacks (or "production: []"), so that no stack is taken for production by its name alone.`,
        ),
      ],
    };

  const { documents, diagnostics } = parseYamlDocuments(PRODUCTION_FILE, text);
  if (diagnostics.some((d) => d.severity === "error")) return { stacks: [], diagnostics };
  if (documents.length !== 1)
    return {
      stacks: [],
      diagnostics: [
        ...diagnostics,
        error({ line: 1, column: 1 }, "", `the file holds ${documents.length} YAML documents; write one map with the key "production".`),
      ],
    };

  const [document] = documents;
  const { value, locate } = document!;
  const root = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  if (!root || !("production" in root))
    return { stacks: [], diagnostics: [...diagnostics, error(locate([]), "", `the file must be a map with the key "production", a list of stack names.`)] };

  const problems: Diagnostic[] = [...diagnostics];
  for (const key of Object.keys(root).filter((k) => k !== "production"))
    problems.push(error(locate([key], "key"), key, `is not a key of the production list; the file has one key, "production".`));
  const list = root.production;
  if (!Array.isArray(list)) {
    problems.push(error(locate(["production"]), "production", `must be a list of stack names, e.g. "production: [prod]" (or "production: []" for none).`));
    return { stacks: [], diagnostics: problems };
  }

  const stacks: string[] = [];
  const firstIndex = new Map<string, number>();
  list.forEach((item, i) => {
    const path = ["production", i];
    const field = `production[${i}]`;
    if (typeof item !== "string") {
      problems.push(error(locate(path), field, `${JSON.stringify(item) ?? String(item)} is not a stack name; write the name of a stack as text, e.g. prod.`));
      return;
    }
    const earlier = firstIndex.get(item);
    if (earlier !== undefined) {
      problems.push(error(locate(path), field, `"${item}" is listed already as production[${earlier}]; list each stack once.`));
      return;
    }
    firstIndex.set(item, i);
    if (!known.includes(item)) {
      const hint = nearest(item, known);
      problems.push(
        error(
          locate(path),
          field,
          `"${item}" has no stack file stacks/Pulumi.${item}.yaml; ${hint ? `did you mean "${hint}"?` : `list only stacks that exist (${known.join(", ") || "there are none"}).`}`,
        ),
      );
      return;
    }
    stacks.push(item);
  });
  return { stacks, diagnostics: problems };
}

/** The words that make a stack name look like production, in any case. */
const PRODUCTION_WORDS = new Set(["prod", "prd", "production"]);

/**
 * Whether a name reads as production: one of its words is prod, prd or production, whatever the case or
 * separator (`prd`, `Prod`, `prod_eu`, `eu.production`, `euProd`), but not a word that merely contains
 * one (`product`, `preprod`).
 */
export function looksLikeProduction(stack: string): boolean {
  const words = stack
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z]+/)
    .map((w) => w.toLowerCase());
  return words.some((w) => PRODUCTION_WORDS.has(w));
}

/** Warnings for stacks that look like production but are not declared, at their stack files. */
export function undeclaredLookalikes(known: readonly string[], production: readonly string[]): Diagnostic[] {
  return known
    .filter((stack) => looksLikeProduction(stack) && !production.includes(stack))
    .map((stack) => ({
      file: `stacks/Pulumi.${stack}.yaml`,
      line: 1,
      column: 1,
      severity: "warning" as const,
      path: "",
      message: `the stack "${stack}" looks like production by its name, but ${PRODUCTION_FILE} does not list it, so it deploys in the first wave with the others; add it to the production list if it is production.`,
    }));
}

function nearest(name: string, candidates: readonly string[]): string | undefined {
  const scored = candidates.map((c) => ({ c, d: distance(name.toLowerCase(), c.toLowerCase()) })).sort((a, b) => a.d - b.d);
  const best = scored[0];
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.c : undefined;
}
