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
  head.push(
    `Planned offline at ${context.headSha.slice(0, 12)} against the base branch${context.runUrl ? ` ([run and plans](${context.runUrl}))` : ""}. What \`pulumi up\` would register, without cloud calls: a real \`pulumi preview\` follows where the repository has cloud credentials.`,
    "",
  );
  if (reviews.length === 0) return `${[...head, "This change touches no stack."].join("\n")}\n`;

  // What every section takes besides its diff: its frame, its error, and its picture where the picture
  // is small beside an even share. The diffs share the rest, the small ones whole first.
  const available = MAX_COMMENT_CHARS - head.join("\n").length - reviews.length * SECTION_FRAME_CHARS;
  const share = available / reviews.length;
  const diagrams = reviews.map((r) => (r.diagram && r.diagram.length < share / 2 ? r.diagram.trimEnd() : undefined));
  const errors = reviews.map((r) =>
    r.error
      ? [
          "> [!WARNING]",
          ...r.error
            .trimEnd()
            .split("\n")
            .map((l) => `> ${l}`),
          "",
        ].join("\n")
      : "",
  );
  const fixed = diagrams.reduce((sum, d) => sum + (d?.length ?? 0), 0) + errors.reduce((sum, e) => sum + e.length, 0);
  const allowances = shareOut(
    reviews.map((r) => r.diff?.trimEnd().length ?? 0),
    available - fixed,
  );

  const sections = reviews.map((r, i) => {
    const parts = [`<details open><summary><b>Stack <code>${r.stack}</code></b>${r.error ? " — plan failed" : ""}</summary>`, ""];
    if (errors[i]) parts.push(errors[i]!);
    if (r.diff) parts.push(cut(r.diff.trimEnd(), allowances[i]!), "");
    if (diagrams[i]) parts.push(`<details><summary>The picture of <code>${r.stack}</code> after this change</summary>`, "", diagrams[i]!, "", "</details>", "");
    else if (r.diagram) parts.push(`The picture of \`${r.stack}\` is too large for the comment; it is in the run's artifact.`, "");
    parts.push("</details>", "");
    return parts.join("\n");
  });
  return `${[...head, ...sections].join("\n").trimEnd()}\n`;
}

/** A section's frame: its summary line, folds and the note where its diff or picture is cut. */
const SECTION_FRAME_CHARS = 400;

/**
 * Shares `total` characters out among texts of the given lengths: a text shorter than an even share of
 * what is left gets all it needs, and what it leaves over goes to the longer ones.
 */
function shareOut(lengths: readonly number[], total: number): number[] {
  const out = lengths.map(() => 0);
  let left = Math.max(0, total);
  const order = lengths.map((length, i) => ({ length, i })).sort((a, b) => a.length - b.length);
  order.forEach(({ length, i }, n) => {
    const even = Math.floor(left / (order.length - n));
    out[i] = Math.min(length, even);
    left -= out[i]!;
  });
  return out;
}

/** Text cut at a line end, saying how much was left out. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const kept = text.slice(0, text.lastIndexOf("\n", max));
  return `${kept}\n\n… ${text.length - kept.length} more characters; the whole diff is in the run's artifact.`;
}
