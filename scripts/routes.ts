/**
 * `npm run routes -- --stack <env> [--host h]`: the table of hosts, paths and matches in the order the
 * front door (GCP URL map) or the gateways (behind AWS) try them, with their backends, clusters and the
 * hosts' owners, read from the configuration the program registers (offline).
 */
import { renderRows, routeRows } from "../review/route-model/table";
import { parseCommand } from "./lib/cli";
import type * as RouteStack from "./lib/route-stack";
import { runMain } from "./lib/run-main";

const USAGE = `Usage: npm run routes -- --stack <env> [--host <host>]
  Prints every host's rules in precedence order with what each does, the clusters that serve it and
  the namespaces that own the host.
  --stack, -s <env>   the stack (stacks/Pulumi.<env>.yaml)
  --host <host>       one host's rules only
  --help, -h          this text`;

async function main(argv: string[]): Promise<number> {
  const { values, fail } = parseCommand({ tool: "routes", usage: USAGE, options: { stack: { type: "string", short: "s" }, host: { type: "string" } } }, argv);
  const stack = values.stack ?? fail("--stack is required");
  // Loaded once the command line is known good: --help and usage errors answer without them.
  const { loadRoutingStack }: typeof RouteStack = require("./lib/route-stack");
  const loaded = await loadRoutingStack(stack);
  if ("error" in loaded) {
    console.error(loaded.error);
    return 1;
  }
  const rows = routeRows(loaded.config, loaded.plan, values.host?.toLowerCase());
  if (rows.length === 0 && values.host !== undefined) {
    console.error(`the stack "${stack}" serves no host ${values.host}; its hosts are ${loaded.plan.hosts.map((h) => h.name).join(", ")}.`);
    return 1;
  }
  process.stdout.write(renderRows(rows));
  return 0;
}

runMain(main);
