/**
 * `npm run route -- --stack <env> <url> [-H 'name: value']... [-X METHOD]`: where the front door and
 * the gateways send one request, evaluated on the configuration the program registers (offline): the
 * front door's rule, backend service, clusters and weights, rewrites and header changes, the gateway's
 * HTTPRoute rule and the Kubernetes Service port. Exits 0 when it printed a trace, 1 when the stack
 * cannot be evaluated, 2 on a usage error.
 */
import { parseArgs } from "node:util";
import { evaluateRequest } from "../review/route-model/evaluate";
import { renderTrace } from "../review/route-model/render";
import { parseRequest, RequestError } from "../review/route-model/request";
import { loadRoutingStack } from "./lib/route-stack";
import { runMain } from "./lib/run-main";

const USAGE = `usage: npm run route -- --stack <env> <url> [-H 'name: value']... [-X METHOD]
  Prints where the stack's front door and gateways send the request: the front-door rule that matches
  (host rule, route rule and priority, or the AWS endpoint groups), the backend service, the clusters
  and their weights, rewrites and header changes, the gateway's HTTPRoute rule, and the Service port.
  --stack, -s <env>     the stack (stacks/Pulumi.<env>.yaml)
  --header, -H <line>   a request header, "name: value" (repeatable; Host overrides the URL's host)
  --request, -X <verb>  the method (default GET)
  --help, -h            this text`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { stack: { type: "string", short: "s" }, header: { type: "string", short: "H", multiple: true }, request: { type: "string", short: "X" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    console.error(`${(error as Error).message.split("\n")[0]} (npm run route -- --help)`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.stack || positionals.length !== 1) {
    console.error(`${!values.stack ? "--stack is required" : "give exactly one URL"} (npm run route -- --help)`);
    return 2;
  }
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
  const loaded = await loadRoutingStack(values.stack);
  if ("error" in loaded) {
    console.error(loaded.error);
    return 1;
  }
  process.stdout.write(renderTrace(evaluateRequest(loaded.config, request)));
  return 0;
}

runMain(main);
