/**
 * How deep a YAML text nests, measured before it is parsed. The YAML parser recurses once per level: a
 * thousand levels exhaust its stack, and tens of thousands make it fail outside JavaScript (out of memory
 * while compiling a pattern), which no try/catch can answer. So every spec text is measured first, by a
 * linear scan that never recurses, and refused past the limit with a place.
 */

/** Fleetgate's deepest documents nest about a dozen levels; four times more is room for any layout. */
export const MAX_NESTING_DEPTH = 48;

/** Spec files are a few kilobytes; a larger file is a mistake or an attack on the reader, not a spec. */
export const MAX_SPEC_FILE_BYTES = 1024 * 1024;

/**
 * The offset where the text first nests deeper than `limit` maps and lists, or undefined.
 *
 * The measure is an upper bound: block nesting by indentation and `- ` entries, plus flow nesting by
 * brackets outside quotes and comments. It can only over-count (a plain scalar holding an unbalanced
 * `[`), which takes dozens of such lines to matter.
 */
export function firstOffsetBeyondNesting(text: string, limit = MAX_NESTING_DEPTH): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let quote: '"' | "'" | undefined;
  let blockScalarParent: number | undefined;
  let offset = 0;
  for (const line of text.split("\n")) {
    const start = offset;
    offset += line.length + 1;
    const indent = /^ */.exec(line)![0].length;
    const content = line.slice(indent);
    // Lines of a literal or folded scalar (`|`, `>`) are text, however they are indented.
    if (blockScalarParent !== undefined) {
      if (content.trim() === "" || indent > blockScalarParent) continue;
      blockScalarParent = undefined;
    }
    if (quote === undefined && flow === 0) {
      if (content.trim() === "" || content.startsWith("#")) continue;
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
    }
    let depth = indents.length + flow;
    let i = indent;
    // `- - - a` nests one level per entry marker on the same line.
    if (quote === undefined && flow === 0) {
      while (/^[-?:](\s|$)/.test(line.slice(i, i + 2))) {
        if (++depth > limit) return start + i;
        i += 2;
        while (line[i] === " ") i++;
      }
    }
    if (depth > limit) return start + indent;
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (quote === '"') {
        if (c === "\\") i++;
        else if (c === '"') quote = undefined;
        continue;
      }
      if (quote === "'") {
        if (c === "'" && line[i + 1] === "'") i++;
        else if (c === "'") quote = undefined;
        continue;
      }
      if (c === "#" && (i === 0 || /\s/.test(line[i - 1]!))) break;
      if (c === '"' || c === "'") quote = c;
      else if (c === "[" || c === "{") {
        flow++;
        if (indents.length + flow > limit) return start + i;
      } else if ((c === "]" || c === "}") && flow > 0) flow--;
    }
    if (quote === undefined && flow === 0 && /(^|:\s+|-\s+)[|>][-+1-9]{0,2}\s*(#.*)?$/.test(content)) blockScalarParent = indent;
  }
  return undefined;
}

/** Line and column (1-based) of an offset, counted without a parser. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Why a spec text cannot be parsed safely (too large, or nested past the limit), as a sentence, with
 * the offset it concerns; undefined when it can.
 */
export function unsafeToParse(text: string): { offset: number; message: string } | undefined {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_SPEC_FILE_BYTES)
    return {
      offset: 0,
      message: `is ${bytes} bytes, more than the ${MAX_SPEC_FILE_BYTES} bytes Fleetgate reads in one spec file; split it into several files in the same folder.`,
    };
  const deep = firstOffsetBeyondNesting(text);
  if (deep !== undefined)
    return {
      offset: deep,
      message: `nests maps and lists more than ${MAX_NESTING_DEPTH} levels deep here, past the limit Fleetgate reads (its documents need about a dozen); flatten the structure, or look for text pasted in by mistake.`,
    };
  return undefined;
}
