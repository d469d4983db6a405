/**
 * `npm run verify` against a stand-in for the dev stack's front door and gateways, started on 127.0.0.1
 * only: an HTTPS server with a test certificate, and a plain HTTP server for port 80, that answer what
 * the route model says the stack does (the landed header only to requests with the right token).
 * Variants misroute a route, present a certificate for another name, accept TLS 1.0 and 1.1, or skip the
 * port-80 redirect; verify passes on the faithful one and reports each mismatch on the others.
 */
import { generateKeyPairSync } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import forge from "node-forge";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { LANDED_HEADER, landedHeaderValue, parseLandedHeader, VERIFY_HEADER, verificationToken } from "../../components/verification";
import { runProgramOffline } from "../../offline/run-offline";
import { readRoutingConfig, type RoutingConfig } from "../../review/route-model/config";
import { evaluateRequest } from "../../review/route-model/evaluate";
import { parseRequest } from "../../review/route-model/request";
import { buildChecks, expectationOf, requestFor } from "../../scripts/lib/verify/checks";
import { parseConnectTo, target } from "../../scripts/lib/verify/probe";
import { verifyStack } from "../../scripts/lib/verify/run";
import type { FleetPlan } from "../../spec/plan";
import { examplePlan } from "../examples";

const SECRET = "test-verification-secret";

/** A self-signed certificate for the names (its own trust anchor, given to verify with --ca). */
function testCertificate(names: readonly string[]): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const key = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString());
  cert.serialNumber = "01";
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const subject = [{ name: "commonName", value: names[0]! }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true },
    { name: "subjectAltName", altNames: names.map((value) => ({ type: 2, value })) },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(key), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key };
}

interface Variant {
  /** A host and path whose forwarded requests the stand-in lands on another backend. */
  readonly misroute?: { readonly host: string; readonly path: string };
  readonly wrongCertificate?: boolean;
  readonly acceptOldTls?: boolean;
  readonly skipRedirect?: boolean;
  /** A host and path whose backend answers 503 (its landing header still set by the gateway). */
  readonly unavailable?: { readonly host: string; readonly path: string };
  /** The token the stand-in's gateways answer (default: the environment's). */
  readonly token?: string;
}

interface StandIn {
  readonly connectTo: string[];
  /** Requests that carried a verification token, by scheme. */
  readonly tokensSeen: { https: number; http: number };
  close(): Promise<void>;
}

/** A stack the stand-in serves: its registered configuration, its plan, and certificates for its hosts and for another name. */
interface Served {
  readonly config: RoutingConfig;
  readonly plan: FleetPlan;
  readonly certificates: { readonly right: { cert: string; key: string }; readonly wrong: { cert: string; key: string } };
}

async function served(stack: string): Promise<Served> {
  const plan = examplePlan(stack);
  const run = await runProgramOffline({ stack });
  expect(run.exitCode).toBe(0);
  const names = plan.hosts.map((h) => h.name);
  return {
    config: readRoutingConfig(stack, run.resources),
    plan,
    certificates: { right: testCertificate(names), wrong: testCertificate(["other.example.net"]) },
  };
}

let dev: Served;
/** The dev stack's, for the tests that read them. */
let config: RoutingConfig;
let plan: FleetPlan;
const open: StandIn[] = [];

/** Answers a request as the route model says the stack does; the landed header only with the right token. */
function answer(
  stack: Served,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  scheme: "http" | "https",
  variant: Variant,
  seen: StandIn["tokensSeen"],
): void {
  const lines = Object.entries(request.headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value ?? ""]).map((v) => `${name}: ${v}`));
  const evaluated = parseRequest(`${scheme}://${request.headers.host}${request.url}`, lines, request.method);
  const token = request.headers[VERIFY_HEADER];
  if (token !== undefined) seen[scheme]++;
  if (scheme === "http" && variant.skipRedirect) return void response.writeHead(200).end("plain http served");
  const expect = expectationOf(evaluateRequest(stack.config, evaluated));
  if (!expect) return void response.writeHead(404).end();
  if (expect.kind === "redirect") return void response.writeHead(expect.status, { location: expect.location }).end();
  if (expect.kind === "answer") return void response.writeHead(expect.status).end();
  const [cluster, backend] = expect.landings[0]!.split(" ") as [string, string];
  const misrouted = evaluated.host === variant.misroute?.host && evaluated.path === variant.misroute.path;
  const where = { cluster, backends: [misrouted ? "elsewhere/wrong-service:80" : backend] };
  const headers = token === (variant.token ?? verificationToken(SECRET, stack.plan.environment)) ? { [LANDED_HEADER]: landedHeaderValue(where) } : {};
  const down = evaluated.host === variant.unavailable?.host && evaluated.path === variant.unavailable.path;
  response.writeHead(down ? 503 : 200, headers).end(down ? "no healthy upstream" : "ok");
}

async function standIn(variant: Variant = {}, stack: Served = dev): Promise<StandIn> {
  const tokensSeen = { https: 0, http: 0 };
  const { cert, key } = variant.wrongCertificate ? stack.certificates.wrong : stack.certificates.right;
  const secure = https.createServer(
    { cert, key, ...(variant.acceptOldTls ? { minVersion: "TLSv1" as const, ciphers: "DEFAULT@SECLEVEL=0" } : { minVersion: "TLSv1.2" as const }) },
    (req, res) => answer(stack, req, res, "https", variant, tokensSeen),
  );
  const plain = http.createServer((req, res) => answer(stack, req, res, "http", variant, tokensSeen));
  // The loopback address only: nothing else may be listened on or reached.
  await Promise.all([secure, plain].map((server) => new Promise<void>((up) => server.listen(0, "127.0.0.1", up))));
  const port = (server: http.Server) => (server.address() as AddressInfo).port;
  const instance: StandIn = {
    connectTo: [`:443:127.0.0.1:${port(secure)}`, `:80:127.0.0.1:${port(plain)}`],
    tokensSeen,
    close: () => Promise.all([secure, plain].map((s) => new Promise<void>((down) => s.close(() => down())))).then(() => undefined),
  };
  open.push(instance);
  return instance;
}

async function verify(instance: StandIn, options: { secret?: string | null; host?: string; maxRequests?: number; stack?: Served; plan?: FleetPlan } = {}) {
  const stack = options.stack ?? dev;
  let out = "";
  let err = "";
  const secret = options.secret === null ? undefined : (options.secret ?? SECRET);
  const code = await verifyStack({
    config: stack.config,
    plan: options.plan ?? stack.plan,
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(secret !== undefined ? { secret } : {}),
    probe: {
      connectTo: instance.connectTo.map((c) => parseConnectTo(c) as Exclude<ReturnType<typeof parseConnectTo>, string>),
      ca: stack.certificates.right.cert,
      timeoutMs: 5000,
      ratePerSecond: 1000,
    },
    maxRequests: options.maxRequests ?? 200,
    out: (t) => (out += t),
    err: (t) => (err += t),
  });
  const rows = out.split("\n").filter((line) => /^(ok|FAIL|\?)\s/.test(line));
  return { code, out, err, rows, failed: rows.filter((r) => r.startsWith("FAIL")) };
}

beforeAll(async () => {
  dev = await served("dev");
  ({ config, plan } = dev);
}, 120_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe("the verification token and landed header", () => {
  it("derives one token per environment and secret, and none from another environment's", () => {
    expect(verificationToken("s", "dev")).toMatch(/^[0-9a-f]{64}$/);
    expect(verificationToken("s", "dev")).toBe(verificationToken("s", "dev"));
    expect(verificationToken("s", "dev")).not.toBe(verificationToken("s", "prod"));
    expect(verificationToken("s", "dev")).not.toBe(verificationToken("t", "dev"));
  });

  it("reads back the landed header it writes, and nothing else", () => {
    const one = { cluster: "gke-us", backends: ["shop/cart:80"] };
    expect(parseLandedHeader(landedHeaderValue(one))).toEqual(one);
    const split = { cluster: "gke-us", backends: ["shop/cart-canary:80", "shop/cart:80"] };
    expect(parseLandedHeader(landedHeaderValue({ ...split, backends: [...split.backends].reverse() }))).toEqual(split);
    expect(parseLandedHeader("cluster=gke-us")).toBeUndefined();
    expect(parseLandedHeader("cluster=a; backend=nonamespace:80")).toBeUndefined();
    expect(parseLandedHeader("cluster=a; backend=shop/cart:80,")).toBeUndefined();
  });
});

describe("the request built for a route", () => {
  const match = (extra: object) => ({ path: { type: "Prefix" as const, value: "/api/" }, headers: [], queryParams: [], ...extra });

  it("takes the route's path, headers and query, with a value for a presence condition", () => {
    const request = requestFor(
      "shop.example.com",
      match({ headers: [{ name: "x-version", type: "Exact", value: "2" }], queryParams: [{ name: "debug", type: "Present" }] }),
    );
    expect(request).toMatchObject({ host: "shop.example.com", path: "/api/fleetgate-verify", query: "debug=present", method: "GET" });
    expect(typeof request !== "string" && request.headers["x-version"]).toEqual(["2"]);
  });

  it("is not sent for a regular-expression condition, which names no value", () => {
    expect(requestFor("shop.example.com", match({ headers: [{ name: "x-version", type: "RegularExpression", value: "[0-9]+" }] }))).toMatch(
      /regular expression/,
    );
  });

  it("is sent for a POST route only with --unsafe-methods, and for GET, HEAD and OPTIONS always", () => {
    expect(requestFor("shop.example.com", match({ method: "POST" }))).toMatch(/--unsafe-methods/);
    expect(requestFor("shop.example.com", match({ method: "POST" }), true)).toMatchObject({ method: "POST" });
    for (const method of ["GET", "HEAD", "OPTIONS"]) expect(requestFor("shop.example.com", match({ method }))).toMatchObject({ method });
  });
});

describe("--connect-to", () => {
  it.each([
    ["shop.example.com:443:127.0.0.1:8443", { host: "shop.example.com", port: 443, address: "127.0.0.1", toPort: 8443 }],
    [":80:127.0.0.1:8080", { port: 80, address: "127.0.0.1", toPort: 8080 }],
    ["::[::1]:8443", { address: "::1", toPort: 8443 }],
  ])("reads %s", (text, want) => expect(parseConnectTo(text)).toEqual(want));

  it.each(["127.0.0.1:8443", "a:443:127.0.0.1:0", "a:http:127.0.0.1:80"])("refuses %s with a message", (text) =>
    expect(typeof parseConnectTo(text)).toBe("string"),
  );

  it("sends a host's connections to the first override that matches it, else to the host itself", () => {
    const overrides = [parseConnectTo("a.example.com:443:127.0.0.1:1"), parseConnectTo(":443:127.0.0.1:2")] as Exclude<
      ReturnType<typeof parseConnectTo>,
      string
    >[];
    expect(target("a.example.com", 443, overrides)).toEqual({ address: "127.0.0.1", port: 1 });
    expect(target("b.example.com", 443, overrides)).toEqual({ address: "127.0.0.1", port: 2 });
    expect(target("b.example.com", 80, overrides)).toEqual({ address: "b.example.com", port: 80 });
  });
});

describe("npm run verify against a stand-in on 127.0.0.1", () => {
  it("builds for every host its certificate, old-TLS, port-80 checks and a check per route the route model can place", () => {
    const { checks } = buildChecks(config, plan);
    for (const host of plan.hosts.filter((h) => !h.wildcard)) {
      const mine = checks.filter((c) => c.host === host.name);
      expect(mine.filter((c) => c.kind === "certificate")).toHaveLength(1);
      expect(mine.filter((c) => c.kind === "old-tls").map((c) => c.kind === "old-tls" && c.version)).toEqual(
        plan.frontDoor.minTlsVersion === "1.3" ? ["TLSv1", "TLSv1.1", "TLSv1.2"] : ["TLSv1", "TLSv1.1"],
      );
      expect(mine.some((c) => c.kind === "route" && c.request.scheme === "http" && c.expect.kind === "redirect")).toBe(true);
      expect(mine.filter((c) => c.kind === "route" && c.request.scheme === "https").length).toBeGreaterThanOrEqual(
        host.routes.length +
          (host.defaultBackend ? 1 : 0) -
          host.routes.filter((r) => [...r.match.headers, ...r.match.queryParams].some((m) => m.type === "RegularExpression")).length,
      );
    }
  });

  it("notes a wildcard host instead of probing it, probes a name under it given with --host, and gives a name the plan serves itself to that host alone", () => {
    const shop = plan.hosts.find((h) => h.name === "shop.dev.example.com")!;
    const wildcard = { ...shop, name: "*.dev.example.com", wildcard: true, routes: [] };
    const withWildcard = { ...plan, hosts: [...plan.hosts, wildcard] };
    const all = buildChecks(config, withWildcard);
    expect(all.checks.some((c) => c.host.startsWith("*"))).toBe(false);
    expect(all.notes.some((n) => n.startsWith("*.dev.example.com: a wildcard names no host"))).toBe(true);
    const under = buildChecks(config, withWildcard, "new.dev.example.com").checks;
    expect(under.filter((c) => c.kind === "certificate").map((c) => c.host)).toEqual(["new.dev.example.com"]);
    const own = buildChecks(config, withWildcard, "shop.dev.example.com").checks;
    expect(own.filter((c) => c.kind === "certificate")).toHaveLength(1);
    expect(own).toEqual(buildChecks(config, plan, "shop.dev.example.com").checks);
  });

  it("passes when the stand-in serves what the plan says, every landing confirmed by the gateways' header", async () => {
    const result = await verify(await standIn());
    expect(result.failed).toEqual([]);
    expect(result.rows.length).toBe(buildChecks(config, plan).checks.length);
    expect(result.rows.filter((r) => r.startsWith("?"))).toEqual([]);
    expect(result.code).toBe(0);
  });

  it("reports landings unknown, with a warning, when the verification secret is not given", async () => {
    const result = await verify(await standIn(), { secret: null });
    expect(result.err).toMatch(/FLEETGATE_VERIFICATION_SECRET is not set/);
    expect(result.rows.some((r) => r.startsWith("?") && r.includes("landing unknown"))).toBe(true);
    expect(result.code).toBe(0);
  });

  it("reports the one route the stand-in misroutes", async () => {
    const { checks } = buildChecks(config, plan);
    const victim = checks.find((c) => c.kind === "route" && c.expect.kind === "landing")!;
    if (victim.kind !== "route") throw new Error("no forwarded route in dev");
    const result = await verify(await standIn({ misroute: { host: victim.host, path: victim.request.path } }));
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]).toContain("elsewhere/wrong-service");
    expect(result.code).toBe(1);
  });

  it("reports a route whose request lands where the plan says but gets a 5xx, which never reached the Service", async () => {
    const victim = buildChecks(config, plan).checks.find((c) => c.kind === "route" && c.expect.kind === "landing")!;
    const result = await verify(await standIn({ unavailable: { host: victim.host, path: victim.kind === "route" ? victim.request.path : "" } }));
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]).toContain("(503)");
    expect(result.code).toBe(1);
  });

  it("reports a certificate for another name, and never sends the token to that server", async () => {
    const instance = await standIn({ wrongCertificate: true });
    const result = await verify(instance);
    const hosts = plan.hosts.filter((h) => !h.wildcard).length;
    expect(result.failed.filter((r) => r.includes("(certificate)"))).toHaveLength(hosts);
    expect(result.failed.some((r) => r.includes("not sent"))).toBe(true);
    expect(instance.tokensSeen.https).toBe(0);
    expect(result.code).toBe(1);
  });

  it("reports a front door that accepts TLS 1.0 and 1.1", async () => {
    const result = await verify(await standIn({ acceptOldTls: true }));
    const hosts = plan.hosts.filter((h) => !h.wildcard).length;
    expect(result.failed.filter((r) => /\(TLS 1\.[01]\)/.test(r) && r.includes("accepted"))).toHaveLength(2 * hosts);
    expect(result.code).toBe(1);
  });

  it("reports a host whose port 80 answers instead of redirecting, and never sends the token over plain HTTP", async () => {
    const instance = await standIn({ skipRedirect: true });
    const result = await verify(instance);
    const hosts = plan.hosts.filter((h) => !h.wildcard).length;
    expect(result.failed.filter((r) => r.includes("(port 80)"))).toHaveLength(hosts);
    expect(result.failed.every((r) => r.includes("(port 80)"))).toBe(true);
    expect(instance.tokensSeen.http).toBe(0);
    expect(result.code).toBe(1);
  });

  it("reports every forwarded route as unconfirmed when the gateways answer another token", async () => {
    const result = await verify(await standIn({ token: verificationToken("another secret", plan.environment) }));
    expect(result.failed.length).toBeGreaterThan(0);
    expect(result.failed.every((r) => r.includes("no landing header"))).toBe(true);
    expect(result.code).toBe(1);
  });

  it("sends nothing when the checks would take more requests than the bound", async () => {
    const instance = await standIn();
    const result = await verify(instance, { maxRequests: 1 });
    expect(result.err).toMatch(/more than --max-requests 1.*Nothing was sent/);
    expect(result.rows).toEqual([]);
    expect(instance.tokensSeen.https + instance.tokensSeen.http).toBe(0);
    expect(result.code).toBe(1);
  });

  it("checks one host with --host and refuses a host the stack does not serve", async () => {
    const host = plan.hosts.find((h) => !h.wildcard)!.name;
    const one = await verify(await standIn(), { host });
    expect(one.rows.length).toBeGreaterThan(0);
    expect(one.rows.every((r) => r.split(/\s+/)[1] === host)).toBe(true);
    expect(one.code).toBe(0);
    const none = await verify(await standIn(), { host: "nowhere.example.org" });
    expect(none.err).toMatch(/serves no host nowhere\.example\.org/);
    expect(none.code).toBe(1);
  });

  it("reports a front door that accepts TLS 1.2 where the environment's minimum is 1.3", async () => {
    const strict = { ...plan, frontDoor: { ...plan.frontDoor, minTlsVersion: "1.3" as const } };
    const result = await verify(await standIn(), { plan: strict });
    const hosts = plan.hosts.filter((h) => !h.wildcard).length;
    expect(result.failed.filter((r) => r.includes("(TLS 1.2)") && r.includes("accepted"))).toHaveLength(hosts);
    expect(result.failed.every((r) => r.includes("(TLS 1.2)"))).toBe(true);
    expect(result.code).toBe(1);
  });
});

describe("npm run verify against a stand-in for the AWS example (aws-prod) on 127.0.0.1", () => {
  let aws: Served;
  beforeAll(async () => {
    aws = await served("aws-prod");
  }, 120_000);

  it("passes when the stand-in serves what the plan says, every landing confirmed", async () => {
    const result = await verify(await standIn({}, aws), { stack: aws });
    expect(result.failed).toEqual([]);
    expect(result.rows.length).toBe(buildChecks(aws.config, aws.plan).checks.length);
    expect(result.rows.filter((r) => r.startsWith("?"))).toEqual([]);
    expect(result.code).toBe(0);
  });
});
