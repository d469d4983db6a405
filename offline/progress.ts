/**
 * Progress of a long command on stderr: one line rewritten in place (phase and counts), shown only when
 * stderr is a terminal and the user did not ask for `--quiet`. Piped or redirected output, CI logs and
 * tests get nothing from it: what a command prints stays exactly its result and its diagnostics.
 */

/** The part of a stream progress needs; `isTTY` says whether a person is watching. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export interface Progress {
  /** Whether anything is shown: callers skip work that only feeds the line (counting in a child process). */
  readonly active: boolean;
  /** Starts a phase: `loading 12 files`, `validating`, `writing plan.json`. */
  phase(text: string): void;
  /** Counts within the current phase: `registering 40 of 52 resources`. Redrawn at most every `intervalMs`. */
  count(label: string, done: number, of?: number): void;
  /** Clears the line, so that what follows starts on a clean one. */
  end(): void;
}

export interface ProgressOptions {
  readonly quiet?: boolean;
  /** Least time between two redraws of counts, so that a fast count costs nothing; phases always draw. */
  readonly intervalMs?: number;
  /** The clock (tests). */
  readonly now?: () => number;
}

const SILENT: Progress = { active: false, phase() {}, count() {}, end() {} };

/** Progress on `stream`, or a silent one when it is not a terminal or `quiet` is set. */
export function createProgress(stream: ProgressStream, options: ProgressOptions = {}): Progress {
  if (options.quiet || stream.isTTY !== true) return SILENT;
  const now = options.now ?? (() => Date.now());
  const interval = options.intervalMs ?? 100;
  let shown = false;
  let lastDraw = -Infinity;
  // Carriage return and erase-line: the line is redrawn in place instead of scrolling the terminal.
  const draw = (text: string) => {
    stream.write(`\r\x1b[K${text}`);
    shown = true;
    lastDraw = now();
  };
  return {
    active: true,
    phase: (text) => draw(`${text}...`),
    count(label, done, of) {
      if (now() - lastDraw < interval && (of === undefined || done < of)) return;
      draw(`${label}: ${done}${of === undefined ? "" : ` of ${of}`}`);
    },
    end() {
      if (shown) stream.write("\r\x1b[K");
      shown = false;
    },
  };
}
