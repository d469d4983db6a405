/**
 * A request as the route evaluator sees it: what a client sends to a front door. Header names are kept
 * lower-case (HTTP header names are case-insensitive); the query keeps its order and repeats.
 */

export interface EvalRequest {
  readonly scheme: "http" | "https";
  /** The Host header (lower-case, without port). */
  readonly host: string;
  /** The port the client connects to: the URL's, else 80 or 443 by scheme. */
  readonly port: number;
  /** The path, without the query. */
  readonly path: string;
  /** The query without the leading "?", as written (empty: none). */
  readonly query: string;
  readonly method: string;
  /** Lower-case names; a repeated header has several values, in order. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
}

/** Why a URL or a header could not make a request. */
export class RequestError extends Error {}

/**
 * Builds a request from a URL (`https://shop.example.com/cart?x=1`), `name: value` header lines and a
 * method. A Host header given with -H overrides the URL's host, as with curl.
 */
export function parseRequest(url: string, headerLines: readonly string[] = [], method = "GET"): EvalRequest {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RequestError(`${JSON.stringify(url)} is not a URL; write it whole, such as https://shop.example.com/cart?id=1.`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new RequestError(`${JSON.stringify(url)} uses ${parsed.protocol.slice(0, -1)}; a front door answers http and https only.`);
  const scheme = parsed.protocol === "https:" ? "https" : "http";
  const headers: Record<string, string[]> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : "";
    if (name === "" || /[\s:]/.test(name))
      throw new RequestError(`header ${JSON.stringify(line)} is not of the form "name: value"; write it as -H 'x-version: 2'.`);
    (headers[name] ??= []).push(line.slice(colon + 1).trim());
  }
  const hostHeader = headers["host"]?.[0];
  const host = (hostHeader ?? parsed.hostname).replace(/:\d+$/, "").toLowerCase();
  headers["host"] = [host];
  const m = method.toUpperCase();
  if (!/^[A-Z]+$/.test(m)) throw new RequestError(`method ${JSON.stringify(method)} is not an HTTP method; use one such as GET, POST or DELETE.`);
  return {
    scheme,
    host,
    port: parsed.port !== "" ? Number(parsed.port) : scheme === "https" ? 443 : 80,
    // The WHATWG URL parser keeps percent-escapes as written, as a proxy sees them.
    path: parsed.pathname || "/",
    query: parsed.search.replace(/^\?/, ""),
    method: m,
    headers,
  };
}

/** The first value of each query parameter, by name, in order (names and values decoded). */
export function queryParams(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(query)) if (!params.has(name)) params.set(name, value);
  return params;
}

/** The request's URL, for messages: `https://host/path?query`. */
export function requestUrl(r: Pick<EvalRequest, "scheme" | "host" | "port" | "path" | "query">): string {
  const defaultPort = r.scheme === "https" ? 443 : 80;
  return `${r.scheme}://${r.host}${r.port !== defaultPort ? `:${r.port}` : ""}${r.path}${r.query ? `?${r.query}` : ""}`;
}

/** A header's values joined with ",", as Envoy matches a repeated header; undefined when absent. */
export function headerValue(headers: EvalRequest["headers"], name: string): string | undefined {
  const values = headers[name.toLowerCase()];
  return values && values.length > 0 ? values.join(",") : undefined;
}

/** One change a router made to a request or its response, in words. */
export interface HeaderChange {
  readonly op: "set" | "add" | "remove";
  readonly name: string;
  readonly value?: string;
  /** Who made it: `URL map rule`, `backend service fg-dev-shop-cart-80`, `HTTPRoute rule`. */
  readonly by: string;
}

/** Applies request header changes in order. */
export function applyHeaderChanges(headers: EvalRequest["headers"], changes: readonly HeaderChange[]): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = { ...headers };
  for (const c of changes) {
    const name = c.name.toLowerCase();
    if (c.op === "remove") delete out[name];
    else if (c.op === "set") out[name] = [c.value ?? ""];
    else out[name] = [...(out[name] ?? []), c.value ?? ""];
  }
  return out;
}
