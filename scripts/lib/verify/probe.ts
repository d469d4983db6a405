/**
 * The probes of `npm run verify`: real connections and requests to a front door, one at a time, at most
 * `ratePerSecond` started per second, each bounded by a timeout. A `--connect-to` override (curl's
 * `HOST:PORT:ADDRESS:PORT`) sends a host's connections elsewhere while keeping its name for SNI, the
 * certificate check and the Host header; without one, DNS finds the front door.
 *
 * The verification token is sent only over HTTPS, and only to a host whose certificate was valid for it:
 * a server that cannot prove it is the front door never sees the token.
 */
import { performance } from "node:perf_hooks";
import * as http from "node:http";
import * as https from "node:https";
import * as tls from "node:tls";
import { LANDED_HEADER, parseLandedHeader, VERIFY_HEADER } from "../../../components/verification";
import type { EvalRequest } from "../../../review/route-model/request";
import type { Check, Observation, Result, TlsVersion } from "./checks";

/** Where connections for a host and port go instead: `HOST:PORT:ADDRESS:PORT`, an empty HOST or PORT matching any. */
export interface ConnectTo {
  readonly host?: string;
  readonly port?: number;
  readonly address: string;
  readonly toPort: number;
}

const isPort = (text: string) => /^\d{1,5}$/.test(text) && Number(text) > 0 && Number(text) < 65536;

/** Reads one `--connect-to` value; a string says what is wrong with it. */
export function parseConnectTo(text: string): ConnectTo | string {
  // An IPv6 address is written in brackets, as curl takes it.
  const match = /^([^:]*):([^:]*):(\[[^\]]+\]|[^:]+):([^:]+)$/.exec(text);
  if (!match) return `--connect-to ${JSON.stringify(text)} is not HOST:PORT:ADDRESS:PORT (such as shop.example.com:443:127.0.0.1:8443)`;
  const [, host, port, address, toPort] = match as unknown as [string, string, string, string, string];
  if (port !== "" && !isPort(port)) return `--connect-to ${JSON.stringify(text)}: ${JSON.stringify(port)} is not a port (1-65535)`;
  if (!isPort(toPort)) return `--connect-to ${JSON.stringify(text)}: ${JSON.stringify(toPort)} is not a port (1-65535)`;
  return {
    ...(host !== "" ? { host: host.toLowerCase() } : {}),
    ...(port !== "" ? { port: Number(port) } : {}),
    address: address.replace(/^\[|\]$/g, ""),
    toPort: Number(toPort),
  };
}

/** The address and port a connection for `host:port` goes to: the first override that matches, else the host itself. */
export function target(host: string, port: number, overrides: readonly ConnectTo[]): { address: string; port: number } {
  const o = overrides.find((c) => (c.host === undefined || c.host === host) && (c.port === undefined || c.port === port));
  return o ? { address: o.address, port: o.toPort } : { address: host, port };
}

export interface ProbeOptions {
  readonly connectTo: readonly ConnectTo[];
  /** Certificates to trust besides the system's (PEM), for a private CA or a test. */
  readonly ca?: string;
  /** The environment's verification token; absent: landings are unknown. */
  readonly token?: string;
  readonly timeoutMs: number;
  readonly ratePerSecond: number;
  /** Called after each check (progress on a terminal). */
  readonly onProgress?: (done: number, total: number) => void;
}

const message = (error: unknown) =>
  error instanceof Error
    ? (error as NodeJS.ErrnoException).code
      ? `${(error as NodeJS.ErrnoException).code}: ${error.message}`
      : error.message
    : String(error);
const firstLine = (text: string) => text.split("\n")[0]!.replace(/^(\w+): [0-9A-F]+:error:[0-9A-F]+:SSL routines:([^:]+:)?/, "$1: ");

/** Opens a TLS connection and hands the socket to `inspect`; errors and timeouts reject. */
function withTls<T>(options: tls.ConnectionOptions, timeoutMs: number, inspect: (socket: tls.TLSSocket) => T): Promise<T> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(options, () => {
      try {
        resolve(inspect(socket));
      } catch (error) {
        reject(error);
      } finally {
        socket.destroy();
      }
    });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no TLS handshake within ${timeoutMs} ms`)));
    socket.on("error", reject);
  });
}

async function probeCertificate(host: string, options: ProbeOptions): Promise<Observation> {
  const to = target(host, 443, options.connectTo);
  try {
    return await withTls({ host: to.address, port: to.port, servername: host, ...(options.ca ? { ca: options.ca } : {}) }, options.timeoutMs, (socket) => {
      const cert = socket.getPeerCertificate();
      return { kind: "certificate", valid: true, summary: `valid, ${socket.getProtocol()}, expires ${new Date(cert.valid_to).toISOString().slice(0, 10)}` };
    });
  } catch (error) {
    return { kind: "certificate", valid: false, error: firstLine(message(error)) };
  }
}

/** Handshake failures that mean the server refused the version; anything else says nothing about it. */
const REFUSALS = /ALERT_PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|WRONG_VERSION_NUMBER|ALERT_HANDSHAKE_FAILURE|ECONNRESET|socket disconnected/;

async function probeOldTls(host: string, version: TlsVersion, options: ProbeOptions): Promise<Observation> {
  const to = target(host, 443, options.connectTo);
  try {
    const protocol = await withTls(
      // OpenSSL 3 offers TLS 1.0 and 1.1 only at security level 0; the certificate is not what this checks.
      { host: to.address, port: to.port, servername: host, minVersion: version, maxVersion: version, ciphers: "DEFAULT@SECLEVEL=0", rejectUnauthorized: false },
      options.timeoutMs,
      (socket) => socket.getProtocol() ?? version,
    );
    return { kind: "old-tls", outcome: "accepted", detail: `handshake completed with ${protocol}` };
  } catch (error) {
    const text = firstLine(message(error));
    return REFUSALS.test(text) ? { kind: "old-tls", outcome: "refused", detail: text } : { kind: "old-tls", outcome: "inconclusive", detail: text };
  }
}

async function probeRequest(request: EvalRequest, options: ProbeOptions, sendToken: boolean): Promise<Observation> {
  const to = target(request.host, request.port, options.connectTo);
  const headers: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(request.headers)) if (name !== "host") headers[name] = [...values];
  headers.host = request.port === (request.scheme === "https" ? 443 : 80) ? request.host : `${request.host}:${request.port}`;
  if (sendToken && options.token !== undefined) headers[VERIFY_HEADER] = options.token;
  const common = {
    host: to.address,
    port: to.port,
    method: request.method,
    path: `${request.path}${request.query ? `?${request.query}` : ""}`,
    headers,
    agent: false,
  };
  return new Promise((resolve) => {
    const onResponse = (response: http.IncomingMessage) => {
      const landedRaw = response.headers[LANDED_HEADER];
      const raw = Array.isArray(landedRaw) ? landedRaw.join(", ") : landedRaw;
      const landed = raw !== undefined ? parseLandedHeader(raw) : undefined;
      response.resume();
      resolve({
        kind: "response",
        status: response.statusCode ?? 0,
        ...(response.headers.location !== undefined ? { location: response.headers.location } : {}),
        ...(landed ? { landed } : raw !== undefined ? { landedRaw: raw } : {}),
      });
    };
    const req =
      request.scheme === "https"
        ? https.request({ ...common, servername: request.host, ...(options.ca ? { ca: options.ca } : {}) }, onResponse)
        : http.request(common, onResponse);
    req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on("error", (error) => resolve({ kind: "error", error: firstLine(message(error)) }));
    req.end();
  });
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Runs the checks in order, one at a time, starting at most `ratePerSecond` per second. A host whose
 * certificate is not valid gets no HTTPS request (it would carry the token): those checks report why.
 */
export async function runChecks(checks: readonly Check[], options: ProbeOptions): Promise<Result[]> {
  const results: Result[] = [];
  const untrusted = new Set<string>();
  const interval = 1000 / options.ratePerSecond;
  let next = performance.now();
  for (const check of checks) {
    const wait = next - performance.now();
    if (wait > 0) await sleep(wait);
    next = Math.max(next, performance.now()) + interval;
    const started = performance.now();
    let observation: Observation;
    if (check.kind === "certificate") {
      const seen = await probeCertificate(check.host, options);
      if (seen.kind === "certificate" && !seen.valid) untrusted.add(check.host);
      observation = seen;
    } else if (check.kind === "old-tls") observation = await probeOldTls(check.host, check.version, options);
    else if (check.request.scheme === "https" && untrusted.has(check.host))
      observation = { kind: "error", error: "not sent: the host's certificate is not valid" };
    else observation = await probeRequest(check.request, options, check.request.scheme === "https");
    results.push({ check, observation, latencyMs: performance.now() - started });
    options.onProgress?.(results.length, checks.length);
  }
  return results;
}
