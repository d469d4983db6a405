/**
 * `npm run route -- --stack <env> <url> [-H 'name: value']... [-X METHOD]`: where the front door and
 * the gateways send one request, evaluated on the configuration the program registers (offline): the
 * front door's rule, backend service, clusters and weights, rewrites and header changes, the gateway's
 * HTTPRoute rule and the Kubernetes Service port. Exits 0 when it printed a trace, 1 when the stack
 * cannot be evaluated, 2 on a usage error.
 */
import type * as Evaluate from "../review/route-model/evaluate";
import { renderTrace } from "../review/route-model/render";
import { parseRequest, RequestError } from "../review/route-model/request";
import { parseCommand } from "./lib/cli";
import type * as RouteStack from "./lib/route-stack";
import { runMain } from "./lib/run-main";

const USAGE = `Usage: npm run route -- --stack <env> <url> [-H 'name: value']... [-X METHOD]
  Prints where the stack's front door and gateways send the request: the front-door rule that matches
  (host rule, route rule and priority, or the AWS endpoint groups), the backend service, the clusters
  and their weights, rewrites and header changes, the gateway's HTTPRoute rule, and the Service port.
  --stack, -s <env>     the stack (stacks/Pulumi.<env>.yaml)
  --header, -H <line>   a request header, "name: value" (repeatable; Host overrides the URL's host)
  --request, -X <verb>  the method (default GET)
  --help, -h            this text`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals, fail } = parseCommand(
    {
      tool: "route",
      usage: USAGE,
      options: { stack: { type: "string", short: "s" }, header: { type: "string", short: "H", multiple: true }, request: { type: "string", short: "X" } },
      positionals: { min: 1, max: 1, what: "URL" },
    },
    argv,
  );
  const stack = values.stack ?? fail("--stack is required");
  let request;
  try {
    request = parseRequest(positionals[0]!, values.header ?? [], values.request ?? "GET");
  } catch (error) {
    if (error instanceof RequestError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  // Loaded once the command line is known good: --help and usage errors answer without them.
  const { loadRoutingStack }: typeof RouteStack = require("./lib/route-stack");
  const loaded = await loadRoutingStack(stack);
  if ("error" in loaded) {
    console.error(loaded.error);
    return 1;
  }
  const { evaluateRequest }: typeof Evaluate = require("../review/route-model/evaluate");
  process.stdout.write(renderTrace(evaluateRequest(loaded.config, request)));
  return 0;
}

runMain(main);
