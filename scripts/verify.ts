/**
 * `npm run verify -- --stack <env> [--host h]`: sends real requests through the environment's front door
 * (after `pulumi up`) and compares what comes back with the plan: per host, the certificate is valid for
 * it, TLS below the environment's minimum is refused, plain HTTP on port 80 is redirected, and each
 * route's request lands on the cluster and Service the route model (`npm run route`) says. Where it
 * landed comes from the gateways' landed header, which they add only to requests carrying the
 * environment's verification token (components/verification.ts); the secret is read from
 * FLEETGATE_VERIFICATION_SECRET. Exits 0 when everything matched, 1 on any mismatch (or when the stack
 * cannot be evaluated), 2 on a usage error.
 */
import { readFileSync } from "node:fs";
import { SECRET_ENVIRONMENT_VARIABLE } from "../components/verification";
import { parseCommand } from "./lib/cli";
import type * as RouteStack from "./lib/route-stack";
import { runMain } from "./lib/run-main";
import type * as Probe from "./lib/verify/probe";
import type * as Run from "./lib/verify/run";

const USAGE = `Usage: npm run verify -- --stack <env> [--host <host>] [options]
  Probes the live front door of the stack's environment and prints, per check, the host, the path, what
  the plan expects, what came back and the latency; exits 1 on any mismatch.
  Checks per host: the certificate is valid for it; every TLS version below the environment's minimum is
  refused; http://<host>/ on port 80 redirects to https; each route's request lands on the cluster and
  Service the plan says (read from the gateways' landed header, which needs the environment's
  verification secret in ${SECRET_ENVIRONMENT_VARIABLE}; without it landings are reported unknown).
  --stack, -s <env>          the stack (stacks/Pulumi.<env>.yaml)
  --host <host>              one host only (a name under a wildcard host probes that wildcard)
  --connect-to <H:P:A:P>     send connections for host H, port P to address A, port P (repeatable; an
                             empty H or P matches any), as curl does; default: DNS finds the front door
  --ca <file>                PEM certificates to trust besides the system's (a private CA)
  --max-requests <n>         refuse to start when the checks would send more (default 200)
  --rate <n>                 at most n requests started per second (default 5)
  --timeout <ms>             per connection or request (default 10000)
  --unsafe-methods           also probe routes that match POST, PUT, DELETE... (sent without a body;
                             by default they are listed as not probed, since they reach live backends)
  --help, -h                 this text
  Exit: 0 all matched, 1 a mismatch (or the stack cannot be evaluated, or it would take more than
  --max-requests), 2 a usage error. See docs/operating.md, "Verifying the live front door".`;

/** A positive number option, or the usage error that says why not. */
function positive(name: string, text: string | undefined, fallback: number, fail: (m: string) => never, integer = false): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    fail(`--${name} ${JSON.stringify(text)} is not a positive ${integer ? "whole number" : "number"}`);
  return value;
}

async function main(argv: string[]): Promise<number> {
  const { values, fail } = parseCommand(
    {
      tool: "verify",
      usage: USAGE,
      options: {
        stack: { type: "string", short: "s" },
        host: { type: "string" },
        "connect-to": { type: "string", multiple: true },
        ca: { type: "string" },
        "max-requests": { type: "string" },
        rate: { type: "string" },
        timeout: { type: "string" },
        "unsafe-methods": { type: "boolean" },
      },
    },
    argv,
  );
  const stack = values.stack ?? fail("--stack is required");
  const maxRequests = positive("max-requests", values["max-requests"], 200, fail, true);
  const ratePerSecond = positive("rate", values.rate, 5, fail);
  const timeoutMs = positive("timeout", values.timeout, 10_000, fail, true);
  const { parseConnectTo }: typeof Probe = require("./lib/verify/probe");
  const connectTo = (values["connect-to"] ?? []).map((text) => {
    const parsed = parseConnectTo(text);
    return typeof parsed === "string" ? fail(parsed) : parsed;
  });
  let ca: string | undefined;
  if (values.ca !== undefined)
    try {
      ca = readFileSync(values.ca, "utf8");
    } catch (error) {
      fail(`--ca ${values.ca} cannot be read (${error instanceof Error ? error.message : String(error)})`);
    }
  // Loaded once the command line is known good: --help and usage errors answer without them.
  const { loadRoutingStack }: typeof RouteStack = require("./lib/route-stack");
  const loaded = await loadRoutingStack(stack);
  if ("error" in loaded) {
    console.error(loaded.error);
    return 1;
  }
  const { verifyStack }: typeof Run = require("./lib/verify/run");
  const secret = process.env[SECRET_ENVIRONMENT_VARIABLE];
  return verifyStack({
    config: loaded.config,
    plan: loaded.plan,
    ...(values.host !== undefined ? { host: values.host.toLowerCase() } : {}),
    ...(secret ? { secret } : {}),
    probe: { connectTo, ...(ca !== undefined ? { ca } : {}), timeoutMs, ratePerSecond, onProgress: showProgress },
    maxRequests,
    unsafeMethods: values["unsafe-methods"] ?? false,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}

/** One line on a terminal, rewritten after each check; nothing in pipes or CI logs. */
function showProgress(done: number, total: number): void {
  if (!process.stderr.isTTY) return;
  process.stderr.write(`\rprobing ${done}/${total}${done === total ? "\n" : ""}`);
}

runMain(main);
