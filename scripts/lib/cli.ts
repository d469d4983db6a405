/**
 * The command line every npm script shares, on node's util.parseArgs: `--help` or `-h` prints the
 * usage on stdout and exits 0 before any work; an unknown option, a missing or invalid value or a wrong
 * number of arguments prints one line, `<tool>: <what is wrong>; see --help`, on stderr and exits 2.
 * test/scripts/cli.test.ts holds every script in package.json to this.
 */
import { parseArgs } from "node:util";

type OptionSpec = { readonly type: "string" | "boolean"; readonly short?: string; readonly multiple?: boolean };
type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The parsed value of one option: parseArgs' own typing, for the option specs a command declares. */
type ValueOf<S extends OptionSpec> = S["type"] extends "string"
  ? S["multiple"] extends true
    ? string[]
    : string
  : S["multiple"] extends true
    ? boolean[]
    : boolean;

export interface Command<O extends OptionSpecs> {
  /** The npm script's name, which starts every error line. */
  readonly tool: string;
  /** The text `--help` prints; its first line starts with "Usage: npm run <tool>". */
  readonly usage: string;
  /** The options besides --help/-h, which every command has. */
  readonly options: O;
  /** How many arguments besides the options it takes (default: none). */
  readonly positionals?: { readonly min: number; readonly max: number; readonly what: string };
}

export interface Parsed<O extends OptionSpecs> {
  readonly values: { readonly [K in keyof O]?: ValueOf<O[K]> };
  readonly positionals: readonly string[];
  /** Ends the run with a usage error of this command: one line on stderr, exit 2. */
  readonly fail: (message: string) => never;
}

/** A usage error: one line on stderr and exit 2. */
export function usageError(tool: string, message: string): never {
  process.stderr.write(`${tool}: ${message}; see --help\n`);
  process.exit(2);
}

/** parseArgs' messages go on with advice for another command line; the first sentence says what is wrong. */
export function firstSentence(message: string): string {
  const line = message.split("\n")[0]!.split(/\.\s/)[0]!.replace(/\.$/, "");
  return line.charAt(0).toLowerCase() + line.slice(1);
}

/** Parses `argv` for `command`; answers --help and every usage error itself (the process ends). */
export function parseCommand<const O extends OptionSpecs>(command: Command<O>, argv: readonly string[]): Parsed<O> {
  const fail = (message: string): never => usageError(command.tool, message);
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: { ...command.options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (error) {
    // An --help anywhere wins over what else is wrong on the line.
    if (argv.includes("--help") || argv.includes("-h")) help(command);
    return fail(firstSentence(error instanceof Error ? error.message : String(error)));
  }
  if (parsed.values.help) help(command);
  const { min, max, what } = command.positionals ?? { min: 0, max: 0, what: "" };
  const count = parsed.positionals.length;
  if (count > max)
    fail(
      max === 0
        ? `takes no arguments besides its options, not ${parsed.positionals.map((p) => JSON.stringify(p)).join(" ")}`
        : `takes at most ${max} ${what}, not ${count}`,
    );
  if (count < min) fail(`needs ${min === max ? "" : "at least "}${min} ${what}, ${count} given`);
  return { values: parsed.values as Parsed<O>["values"], positionals: parsed.positionals, fail };
}

function help(command: Command<OptionSpecs>): never {
  process.stdout.write(`${command.usage.trimEnd()}\n`);
  process.exit(0);
}
