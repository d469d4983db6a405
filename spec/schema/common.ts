/**
 * Building blocks for Fleetgate's zod schemas. Every object is strict (an unknown field is an error with
 * a did-you-mean), and every field carries a description: it becomes the JSON Schema documentation that
 * editors show, and the hint printed when the field is missing.
 */
import { z } from "zod";
import { dnsLabelProblem, didYouMean, hostNameProblem, listChoices } from "../names";

/** A strict object whose unknown-key error names the known keys and the closest one. */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T, description: string) {
  const known = Object.keys(shape);
  return z
    .strictObject(shape, {
      error: (issue) => {
        if (issue.code !== "unrecognized_keys") return undefined;
        const key = issue.keys[0] ?? "";
        const hint = didYouMean(key, known);
        return hint !== "" ? `unknown field "${key}"${hint}` : `unknown field "${key}"; the fields allowed here are ${listChoices(known, "and")}`;
      },
    })
    .describe(description);
}

export function dnsLabel(description: string, maxLength = 63) {
  return z
    .string()
    .superRefine((value, ctx) => {
      const problem = dnsLabelProblem(value, maxLength);
      if (problem) ctx.addIssue({ code: "custom", message: `"${value}" ${problem}` });
    })
    .describe(description);
}

export function hostName(description: string, allowWildcard = true) {
  return z
    .string()
    .superRefine((value, ctx) => {
      const problem = hostNameProblem(value, { allowWildcard });
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .describe(description);
}

/** A URL path: it starts with `/`. */
export function absolutePath(description: string) {
  return z
    .string()
    .regex(/^\//, { error: (iss) => `${JSON.stringify(iss.input)} does not start with "/"; write it as ${JSON.stringify(`/${String(iss.input)}`)}` })
    .describe(description);
}

/** Durations as Gateway API writes them: 1 to 4 groups of a number and a unit, e.g. `1m30s`, `250ms`. */
export const DURATION_PATTERN = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

export function duration(description: string) {
  return z
    .string({ error: (iss) => (typeof iss.input === "number" ? numberAsDuration(iss.input) : undefined) })
    .regex(DURATION_PATTERN, { error: (iss) => `${JSON.stringify(iss.input)} is not a duration; write it like "30s", "1m30s" or "250ms"` })
    .refine((value) => !DURATION_PATTERN.test(value) || durationMillis(value) > 0, {
      error: (iss) => `${JSON.stringify(iss.input)} is no time at all; a timeout or interval must be longer than 0`,
    })
    .describe(description);
}

/** What a bare number written as a duration lacks; the durations it suggests are themselves valid. */
function numberAsDuration(value: number): string {
  const valid = (text: string) => DURATION_PATTERN.test(text) && durationMillis(text) > 0;
  const suggestions = [`${value}s`, `${value}ms`].filter(valid);
  return suggestions.length > 0
    ? `${value} has no unit; write a duration like ${suggestions.map((s) => JSON.stringify(s)).join(" or ")}`
    : `${value} is not a duration; write a whole number above 0 with a unit, like "30s", "1m30s" or "250ms"`;
}

/** Converts a duration string (already validated) to milliseconds. */
export function durationMillis(value: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
  let total = 0;
  for (const match of value.matchAll(/([0-9]+)(ms|h|m|s)/g)) total += Number(match[1]) * units[match[2]!]!;
  return total;
}

/** Kubernetes label keys and values, as the API server accepts them. */
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

export const labelKey = z
  .string()
  .regex(LABEL_KEY, { error: (iss) => `${JSON.stringify(iss.input)} is not a valid label key; use a name like "region" or "example.com/tier"` });
export const labelValue = z.string().regex(LABEL_VALUE, {
  error: (iss) =>
    `${JSON.stringify(iss.input)} is not a valid label value; use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
});

/** Whether a key and a value may stand in a label, as the Kubernetes API server reads them. */
export function isLabel(key: string, value: unknown): value is string {
  return LABEL_KEY.test(key) && typeof value === "string" && LABEL_VALUE.test(value);
}

export const labelMap = z.record(labelKey, labelValue).describe("Kubernetes-style labels: keys and values as the Kubernetes API accepts them.");

export const annotationMap = z.record(z.string(), z.string()).describe("Kubernetes-style annotations.");

export function port(description: string) {
  return z.number().int().min(1).max(65535).describe(description);
}

/** An HTTP header name: an RFC 7230 token. The Gateway API takes the same for query parameter names. */
export const HEADER_TOKEN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
/** The Gateway API's bounds on header and query names and values (HTTPRoute's CRD schema). */
export const MAX_HEADER_NAME = 256;
export const MAX_HEADER_VALUE = 4096;
export const MAX_QUERY_VALUE = 1024;
/** Headers the Google front end and Envoy own: a URL map that sets one is refused for every host. */
const OWNED_HEADERS = new Set([
  "host",
  ":authority",
  "authority",
  "x-user-ip",
  "cdn-loop",
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);
const OWNED_PREFIXES = ["x-google", "x-goog-", "x-gfe", "x-amz-"];
/**
 * Fleetgate's own headers: the GCP front door tells each gateway which backend it chose in one of them,
 * so a spec that set, added or removed it would send requests elsewhere or nowhere.
 */
export const RESERVED_HEADER_PREFIX = "x-fleetgate-";
/** Control characters a header value may not hold (tab is allowed): a newline would split the header. */
const HEADER_VALUE_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** What is wrong with a header name a route or backend adds, sets or removes; undefined when nothing. */
export function headerNameProblem(name: string): string | undefined {
  if (!HEADER_TOKEN.test(name)) return `${JSON.stringify(name)} is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~ only)`;
  if (name.length > MAX_HEADER_NAME) return `is ${name.length} characters long; the gateways' routes take header names of at most ${MAX_HEADER_NAME}`;
  const lower = name.toLowerCase();
  if (OWNED_HEADERS.has(lower)) return `${JSON.stringify(name)} is a header the load balancer or the proxy owns; it cannot be changed by a route`;
  const prefix = OWNED_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix) return `${JSON.stringify(name)} starts with ${JSON.stringify(prefix)}, which the cloud load balancers reserve; choose another name`;
  if (lower.startsWith(RESERVED_HEADER_PREFIX))
    return `${JSON.stringify(name)} starts with ${JSON.stringify(RESERVED_HEADER_PREFIX)}, which Fleetgate reserves: its front door tells the gateways which backend it chose in such a header; choose another name`;
  return undefined;
}

/** What is wrong with a header value a route or backend adds or sets; undefined when nothing. */
export function headerValueProblem(value: string): string | undefined {
  if (value === "") return `is empty; the gateways' routes set headers to a value of at least one character (to drop a header, list it under remove)`;
  if (value.length > MAX_HEADER_VALUE) return `is ${value.length} characters long; the gateways' routes take header values of at most ${MAX_HEADER_VALUE}`;
  if (HEADER_VALUE_CONTROL.test(value))
    return `${JSON.stringify(value)} holds a line break or another control character, which would split or corrupt the header; write the value on one line`;
  return undefined;
}

/** A map of header names to values, each name checked (a bad one would fail the one shared URL map). */
export function headerMap(description: string) {
  return z
    .record(z.string(), z.string())
    .superRefine((headers, ctx) => {
      for (const [name, value] of Object.entries(headers)) {
        const problem = headerNameProblem(name) ?? headerValueProblem(value);
        if (problem) ctx.addIssue({ code: "custom", path: [name], message: problem });
      }
    })
    .describe(description);
}

/** A header name a route or backend changes. */
export function headerName(description: string) {
  return z
    .string()
    .superRefine((name, ctx) => {
      const problem = headerNameProblem(name);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .describe(description);
}

/** A header line, `Name: value`, whose name is checked as headerName's. */
export function headerLine(description: string) {
  return z
    .string()
    .superRefine((line, ctx) => {
      const colon = line.indexOf(":");
      if (colon <= 0) {
        ctx.addIssue({ code: "custom", message: `${JSON.stringify(line)} is not a header line; write it as "Name: value"` });
        return;
      }
      const problem = headerNameProblem(line.slice(0, colon).trim()) ?? headerValueProblem(line.slice(colon + 1));
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .describe(description);
}
