/**
 * How long the commands people wait on take, end to end, on the example stacks: `npm run check` (the spec
 * alone, for editors and hooks) and `npm run plan` (validation and the simulated first pulumi up). Each
 * command runs as `npm run` runs it (the tsx command line), once to warm the caches and then `runs` times;
 * the figures are wall times to read, never assertions.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export interface CommandLatency {
  readonly command: "check" | "plan";
  readonly stack: string;
  readonly runs: number;
  readonly medianSeconds: number;
  readonly minSeconds: number;
  readonly maxSeconds: number;
  /** The exit code of the last run (check exits 1 on an invalid spec, plan also on a refused update). */
  readonly exitCode: number | null;
}

export function measureLatency(root: string, stacks: readonly string[], runs: { readonly check: number; readonly plan: number }): CommandLatency[] {
  const tsx = join(root, "node_modules", "tsx", "dist", "cli.mjs");
  const out: CommandLatency[] = [];
  for (const command of ["check", "plan"] as const)
    for (const stack of stacks) {
      const once = () => {
        const started = process.hrtime.bigint();
        const result = spawnSync(process.execPath, [tsx, join(root, "scripts", `${command}.ts`), "--stack", stack], { cwd: root, stdio: "ignore" });
        return { seconds: Number(process.hrtime.bigint() - started) / 1e9, code: result.status };
      };
      once();
      const samples = Array.from({ length: runs[command] }, once);
      const seconds = samples.map((s) => s.seconds).sort((a, b) => a - b);
      const middle = Math.floor(seconds.length / 2);
      out.push({
        command,
        stack,
        runs: seconds.length,
        medianSeconds: seconds.length % 2 === 1 ? seconds[middle]! : (seconds[middle - 1]! + seconds[middle]!) / 2,
        minSeconds: seconds[0]!,
        maxSeconds: seconds[seconds.length - 1]!,
        exitCode: samples[samples.length - 1]!.code,
      });
    }
  return out;
}
