// Runs the Fleetgate program the way `pulumi up` does, but against the mock engine: the nodejs
// language host's own entry (@pulumi/pulumi/cmd/run) loads package.json's main through ts-node with
// the project's tsconfig.json. Only the mock engine is loaded before it (through tsx, which is then
// unregistered), so every module of the program is compiled by the language host's path.
//
// Usage: node offline/program-host.cjs --stack <env> --out <file> [--root <dir>] [--program <dir>] [--measure] [--plain-stacks] [--simulate <input.json>] [--inputs-from-stdin]
// --root is the project root the program reads stacks/ from (default: this checkout), as Pulumi's
// root directory (the folder of Pulumi.yaml) is under `pulumi up`.
// --program runs another program folder (package.json main + tsconfig.json) the same way: the
// benchmark's SDK floor (bench/floor) is measured through the same language host as Fleetgate.
// --measure (for the benchmark) loads the provider SDKs first, then times the program from its start to
// its exit.
// --plain-stacks keeps V8's own stack traces: the language host's source-map support maps every frame
// of the stack the SDK captures for each resource and promise, half of a run's time. For runs whose
// registrations matter but whose speed and error positions do not (the benchmark's change variants).
// --simulate runs an update instead of a preview, against the simulated clouds and controllers of
// offline/simulation, starting from the world and state in the input file; the result carries what the
// simulation did.
// --inputs-from-stdin starts the process ahead of its inputs: it loads what every run loads, then reads
// { args, env } from stdin (more of the options above, and the environment below) and runs.
// The engine configuration comes in FLEETGATE_OFFLINE_CONFIG as { config, secretKeys }.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

/** The SDKs every program of this project loads (the benchmark's floor too). */
const PROVIDER_SDKS = ["@pulumi/pulumi", "@pulumi/gcp", "@pulumi/aws", "@pulumi/kubernetes", "@pulumi/tls"];

let args = process.argv.slice(2);
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
const project = path.resolve(__dirname, "..");
const program = path.resolve(option("program") ?? project);
const root = path.resolve(option("root") ?? project);
process.chdir(program);

process.env.PULUMI_NODEJS_ROOT_DIRECTORY = root;
// The packages the engine needs are loaded before tsx is registered: tsx compiles every module loaded
// while it is, JavaScript too, and @pulumi/pulumi alone brings some 700 (npm's arborist among them),
// half a second of every run. Node loads them as the language host would; the program gets the same
// instances from the module cache.
for (const dependency of ["@pulumi/pulumi", "@pulumi/pulumi/runtime/rpc", "@pulumi/pulumi/runtime/settings", "node-forge", "yaml", "fastest-levenshtein"])
  require(dependency);
// Started ahead (--inputs-from-stdin, see prestartProgramHost in offline/run-offline.ts): the provider SDKs,
// which the program loads anyway, are loaded while the caller is still validating the spec.
const early = args.includes("--inputs-from-stdin");
if (early) for (const sdk of PROVIDER_SDKS) require(sdk);
const { register } = require("tsx/cjs/api");
const unregister = register();
const { startMockEngine } = require("./mock-engine.ts");
const simulation = early || option("simulate") ? require("./simulation/simulate.ts") : undefined;
unregister();
if (early) {
  // The rest of the command line and the environment, once the caller knows them; nothing (the caller
  // ended without running the program: an invalid spec) ends this process quietly.
  const text = fs.readFileSync(0, "utf8");
  if (text === "") process.exit(0);
  const inputs = JSON.parse(text);
  args = [...args, ...inputs.args];
  Object.assign(process.env, inputs.env);
}
const simulateInput = option("simulate");
const simulated = simulateInput ? simulation.startSimulation(JSON.parse(fs.readFileSync(simulateInput, "utf8"))) : undefined;
// The engine's contracts are the program's too (the validator reads them): forget the copies tsx
// compiled, so that the program loads them through the language host like every module of its own.
for (const file of Object.keys(require.cache)) if (file.startsWith(path.join(project, "contracts") + path.sep)) delete require.cache[file];

const { config, secretKeys, previousOutputs } = JSON.parse(process.env.FLEETGATE_OFFLINE_CONFIG ?? '{"config":{},"secretKeys":[]}');
const engine = startMockEngine({
  stack,
  config,
  secretKeys,
  preview: !simulated,
  ...(simulated ? { cloud: simulated.simulation } : {}),
  ...(previousOutputs ? { previousOutputs } : {}),
});
// A registration in flight holds the update open while only the actors' own work is left.
if (simulated) simulated.clock.busy = () => engine.pending.size > 0;
// Counts for the plan command's progress line (offline/progress.ts): registrations answered and asked for,
// on stderr behind the marker the caller gave, which offline/run-offline.ts takes out again. Only when
// asked for, so that every other run's stderr stays the program's own. The timer is node's own (a simulated
// update puts its virtual clock in place of the global timers, where it would be an event of the update)
// and unref'd, so it never holds the run open; it touches nothing the program or the simulation reads.
const progressMark = process.env.FLEETGATE_PROGRESS_MARK;
if (progressMark) {
  const report = () => {
    const asked = engine.resources.length + engine.pending.size;
    if (asked > 0) process.stderr.write(`${progressMark} ${engine.resources.length} ${asked}\n`);
  };
  require("node:timers").setInterval(report, 100).unref();
  process.on("exit", report);
}

const measure = args.includes("--measure");
if (args.includes("--plain-stacks")) Object.defineProperty(Error, "prepareStackTrace", { configurable: false, get: () => undefined, set: () => {} });
const loadStart = performance.now();
// The provider SDKs are loaded before the window for the program and the floor alike, so that the
// comparison is of the work each does, not of loading modules every program loads.
if (measure) for (const sdk of PROVIDER_SDKS) require(sdk);
const windowStart = performance.now();
const measurement = () =>
  measure ? { loadMs: windowStart - loadStart, windowMs: performance.now() - windowStart, maxRssKb: process.resourceUsage().maxRSS } : undefined;

process.env.PULUMI_NODEJS_TYPESCRIPT = "true";
// Type checking is `npm run typecheck`'s job; the language host honours this switch too.
process.env.PULUMI_NODEJS_TRANSPILE_ONLY = process.env.PULUMI_NODEJS_TRANSPILE_ONLY ?? "true";
process.argv = [
  process.argv[0],
  "pulumi-language-nodejs",
  "--monitor=offline",
  "--project=fleetgate",
  `--stack=${stack}`,
  `--root-directory=${root}`,
  "--dry-run",
  ".",
];
require("@pulumi/pulumi/cmd/run");
// Registered after the language host's own exit handler, which turns unhandled errors into an exit code.
process.on("exit", (code) => {
  // A registration never answered means the run stopped waiting for something that never came.
  const stuck = [...engine.pending];
  if (simulated && stuck.length > 0)
    simulated.simulation.fail(
      `the update never finished: ${stuck.length} registration(s) still waiting, e.g. ${stuck
        .slice(0, 3)
        .map((urn) => urn.split("::").pop())
        .join(", ")}`,
    );
  const exitCode = stuck.length > 0 ? 1 : (process.exitCode ?? code);
  fs.writeFileSync(
    out,
    JSON.stringify({ exitCode, resources: engine.resources, measurement: measurement(), ...(simulated ? { simulation: simulated.simulation.result() } : {}) }),
  );
});
