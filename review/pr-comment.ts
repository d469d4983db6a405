/**
 * The one pull-request comment the workflow keeps up to date: per touched stack, the offline plan diff
 * and the picture of the stack as the pull request leaves it, folded so that a long diff does not push
 * the conversation away. GitHub rejects comments over 65,536 characters, so long sections are cut with
 * a pointer to the full text in the run's artifact.
 */

/** Marks the comment so the workflow finds and edits it instead of adding another. */
export const COMMENT_MARKER = "<!-- fleetgate-offline-plan -->";
export const MAX_COMMENT_CHARS = 65_000;

export interface StackReview {
  readonly stack: string;
  /** `npm run plan:diff` output, when both plans could be made. */
  readonly diff?: string;
  /** The head's Mermaid picture (Markdown with a mermaid block). */
  readonly diagram?: string;
  /** What went wrong, when a plan could not be made. */
  readonly error?: string;
}

export interface CommentContext {
  readonly headSha: string;
  /** Link to the workflow run, where the artifact with every plan is. */
  readonly runUrl?: string;
}

export function composeComment(reviews: readonly StackReview[], context: CommentContext): string {
  const head = [COMMENT_MARKER, "## Fleetgate offline plan", ""];
  head.push(`Planned offline at ${context.headSha.slice(0, 12)} against the base branch${context.runUrl ? ` ([run and plans](${context.runUrl}))` : ""}. What \`pulumi up\` would register, without cloud calls: a real \`pulumi preview\` follows where the repository has cloud credentials.`, "");
  if (reviews.length === 0) return `${[...head, "This change touches no stack."].join("\n")}\n`;

  const budget = Math.floor((MAX_COMMENT_CHARS - head.join("\n").length) / reviews.length) - 200;
  const sections = reviews.map((r) => {
    const parts = [`<details open><summary><b>Stack <code>${r.stack}</code></b>${r.error ? " — plan failed" : ""}</summary>`, ""];
    if (r.error) parts.push("> [!WARNING]", ...r.error.trimEnd().split("\n").map((l) => `> ${l}`), "");
    if (r.diff) parts.push(cut(r.diff.trimEnd(), Math.max(1000, budget - (r.diagram?.length ?? 0))), "");
    if (r.diagram && r.diagram.length < budget / 2) parts.push(`<details><summary>The picture of <code>${r.stack}</code> after this change</summary>`, "", r.diagram.trimEnd(), "", "</details>", "");
    else if (r.diagram) parts.push(`The picture of \`${r.stack}\` is too large for the comment; it is in the run's artifact.`, "");
    parts.push("</details>", "");
    return parts.join("\n");
  });
  return `${[...head, ...sections].join("\n").trimEnd()}\n`;
}

/** Text cut at a line end, saying how much was left out. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const kept = text.slice(0, text.lastIndexOf("\n", max));
  return `${kept}\n\n… ${text.length - kept.length} more characters; the whole diff is in the run's artifact.`;
}
