/**
 * Name rules shared by the whole spec: DNS host names and wildcards, Kubernetes names, and the bounded,
 * deterministic names Fleetgate derives for cloud resources.
 */
import { createHash } from "node:crypto";
import { distance } from "fastest-levenshtein";

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** An RFC 1123 label: what Kubernetes namespaces, cluster names and DNS labels have in common. */
export function isDnsLabel(value: string): boolean {
  return LABEL.test(value);
}

/** Explains why `value` is not a DNS label, in words a user can act on; undefined when it is one. */
export function dnsLabelProblem(value: string, maxLength = 63): string | undefined {
  if (value.length === 0) return "is empty; use lower-case letters, digits and '-'";
  if (value.length > maxLength) return `is ${value.length} characters long; use at most ${maxLength}`;
  // Lower case is suggested only where it is the whole fix: a suggestion must itself be valid.
  if (value !== value.toLowerCase() && LABEL.test(value.toLowerCase())) return `has upper-case letters; use "${value.toLowerCase()}"`;
  if (!LABEL.test(value)) return "must consist of lower-case letters, digits and '-', and start and end with a letter or digit";
  return undefined;
}

/**
 * Checks a host name as a service owner writes it in a rule: lower-case labels separated by single dots,
 * at least two labels, optionally a leading `*.` wildcard label. Returns a sentence fragment or undefined.
 */
export function hostNameProblem(host: string, { allowWildcard = true } = {}): string | undefined {
  const shown = JSON.stringify(host);
  if (host.length === 0) return "is empty; name the host, e.g. shop.example.com";
  if (host.length > 253) return `${shown} is longer than 253 characters; use a shorter host name`;
  // Lower case and no trailing dot are suggested only where they are the whole fix (a suggestion must itself
  // be valid); otherwise the rules below say what is wrong.
  const slips = [host !== host.toLowerCase() ? "has upper-case letters" : "", host.endsWith(".") ? "ends with a dot" : ""].filter((s) => s !== "");
  const repaired = host.toLowerCase().replace(/\.$/, "");
  if (slips.length > 0 && repaired !== host && hostNameProblem(repaired, { allowWildcard }) === undefined)
    return `${shown} ${slips.join(" and ")}; use "${repaired}"`;
  const labels = host.split(".");
  const wildcard = labels[0] === "*";
  if (wildcard && !allowWildcard) return `${shown} is a wildcard, which is not allowed here; name one host`;
  if (labels.slice(1).includes("*") || (!wildcard && host.includes("*")))
    return allowWildcard
      ? `${shown} has a wildcard that is not the whole leftmost label; write it as *.example.com`
      : `${shown} has a '*', which is not allowed here; name one host`;
  const rest = wildcard ? labels.slice(1) : labels;
  if (rest.length < 2) return `${shown} is not a fully qualified host name; use at least two labels, e.g. shop.example.com`;
  if (rest.some((l) => l.length === 0)) return `${shown} is not a valid host name; use lower-case labels separated by single dots`;
  const bad = rest.find((l) => !LABEL.test(l));
  if (bad !== undefined)
    return `${shown} is not a valid host name: label "${bad}" must be 1 to 63 lower-case letters, digits or '-', not starting or ending with '-'`;
  return undefined;
}

/** Whether `host` (itself possibly a wildcard) lies within `pattern` (`example.com` or `*.example.com`).
 * A wildcard pattern covers every name below its domain, at any depth, but not the domain itself; so
 * it covers a wildcard host whose own domain is that domain or below it (`*.example.com` included). */
export function hostMatchesPattern(host: string, pattern: string): boolean {
  if (!pattern.startsWith("*.")) return host === pattern;
  const domain = pattern.slice(2);
  if (host.startsWith("*.")) return hostInDomain(host.slice(2), domain);
  return host.endsWith(`.${domain}`);
}

/** Whether `host` lies within DNS `domain` (the domain itself or any name below it). */
export function hostInDomain(host: string, domain: string): boolean {
  const bare = host.startsWith("*.") ? host.slice(2) : host;
  return bare === domain || bare.endsWith(`.${domain}`);
}

/** Whether a wildcard certificate `*.d` covers `host`: exactly one label below d (RFC 6125). */
export function wildcardCovers(wildcard: string, host: string): boolean {
  if (!wildcard.startsWith("*.")) return false;
  const domain = wildcard.slice(2);
  if (host === wildcard) return true;
  if (host.startsWith("*.")) return false;
  const dot = host.indexOf(".");
  return dot > 0 && host.slice(dot + 1) === domain;
}

/** Short, stable hash for names that would otherwise be too long. */
export function shortHash(text: string, length = 8): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/**
 * Joins parts into a lower-case, dash-separated name of at most `maxLength` characters. When the full
 * name is too long it is cut and given a hash of the full name, so names stay unique and deterministic.
 * Cloud names must start with a letter: pass a leading part that does.
 */
export function boundedName(parts: readonly string[], maxLength = 63): string {
  const full = parts
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  if (full.length <= maxLength) return full;
  const hash = shortHash(full);
  return `${full.slice(0, maxLength - hash.length - 1).replace(/-$/, "")}-${hash}`;
}

/** Suggests the closest candidate for a misspelling, or undefined when nothing is close. */
export function closest(value: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(value.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(value.length / 3));
  return bestDistance <= limit ? best : undefined;
}

/** "; did you mean "x"?" or "", for the end of a message. */
export function didYouMean(value: string, candidates: Iterable<string>): string {
  const suggestion = closest(value, candidates);
  return suggestion === undefined ? "" : `; did you mean "${suggestion}"?`;
}

/** Lists choices for a message: `"a", "b" or "c"`. */
export function listChoices(choices: readonly string[], conjunction = "or"): string {
  const quoted = choices.map((c) => JSON.stringify(c));
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} ${conjunction} ${quoted[quoted.length - 1]}`;
}
