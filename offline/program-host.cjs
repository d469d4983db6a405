// Runs the Fleetgate program the way `pulumi up` does, but against the mock engine: the nodejs
// language host's own entry (@pulumi/pulumi/cmd/run) loads package.json's main through ts-node with
// the project's tsconfig.json. Only the mock engine is loaded before it (through tsx, which is then
// unregistered), so every module of the program is compiled by the language host's path.
//
// Usage: node offline/program-host.cjs --stack <env> --out <file> [--root <dir>]
// --root is the project root the program reads stacks/ from (default: this checkout), as Pulumi's
// root directory (the folder of Pulumi.yaml) is under `pulumi up`.
// The engine configuration comes in FLEETGATE_OFFLINE_CONFIG as { config, secretKeys }.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const stack = option("stack");
const out = option("out");
if (!stack || !out) {
  console.error("usage: node offline/program-host.cjs --stack <env> --out <file>");
  process.exit(2);
}
const program = path.resolve(__dirname, "..");
const root = path.resolve(option("root") ?? program);
process.chdir(program);

process.env.PULUMI_NODEJS_ROOT_DIRECTORY = root;
const { register } = require("tsx/cjs/api");
const unregister = register();
const { startMockEngine } = require("./mock-engine.ts");
unregister();

const { config, secretKeys } = JSON.parse(process.env.FLEETGATE_OFFLINE_CONFIG ?? '{"config":{},"secretKeys":[]}');
const engine = startMockEngine({ stack, config, secretKeys, preview: true });

process.env.PULUMI_NODEJS_TYPESCRIPT = "true";
// Type checking is `npm run typecheck`'s job; the language host honours this switch too.
process.env.PULUMI_NODEJS_TRANSPILE_ONLY = process.env.PULUMI_NODEJS_TRANSPILE_ONLY ?? "true";
process.argv = [process.argv[0], "pulumi-language-nodejs", "--monitor=offline", "--project=fleetgate", `--stack=${stack}`, `--root-directory=${root}`, "--dry-run", "."];
require("@pulumi/pulumi/cmd/run");
// Registered after the language host's own exit handler, which turns unhandled errors into an exit code.
process.on("exit", (code) => {
  fs.writeFileSync(out, JSON.stringify({ exitCode: process.exitCode ?? code, resources: engine.resources }));
});
