/**
 * Every value a message suggests passes the check that refused the original: a user who follows the
 * advice is not refused again. Table cases for the slips users make, and property tests over arbitrary
 * input for each check that suggests a value.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../spec/diagnostics";
import { dnsLabelProblem, hostNameProblem } from "../../spec/names";
import { gkePathToMatch } from "../../spec/paths";
import { duration } from "../../spec/schema/common";
import { baseFixture, planFixture, type SpecFixture } from "./fixtures";

type Doc = Record<string, any>;
const shopIngress = (f: SpecFixture): Doc => (f.files["shop/shop.yaml"]![2] as Doc).spec.template.spec;
const cart = (f: SpecFixture): Doc => f.files["shop/shop.yaml"]![1] as Doc;

/** The values a message suggests: `use "x"`, `write it as "x"`, `write it like "x" or "y"`, `write a duration like "x"`, `did you mean "x"`. */
function suggested(message: string): string[] {
  return [...message.matchAll(/(?:use|write it as|write it like|write a duration like|did you mean)((?:,? (?:or )?"[^"]*")+)/g)].flatMap((m) =>
    [...m[1]!.matchAll(/"([^"]*)"/g)].map((q) => q[1]!),
  );
}

interface Case {
  description: string;
  mutate: (f: SpecFixture) => void;
  path: string;
  message: string;
  /** The values the message suggests; absent: it suggests none. */
  suggests?: string | string[];
}

const cases: Case[] = [
  {
    description: "a mixed-case host with an underscore gets the rule, not a lower-case host that is still invalid",
    mutate: (f) => void (shopIngress(f).rules[0].host = "Shop_Front.example.com"),
    path: "rules[0].host",
    message: `"Shop_Front.example.com" is not a valid host name: label "Shop_Front" must be 1 to 63 lower-case letters, digits or '-'`,
  },
  {
    description: "a lower-case host with an underscore gets the rule",
    mutate: (f) => void (shopIngress(f).rules[0].host = "shop_front.example.com"),
    path: "rules[0].host",
    message: `label "shop_front" must be 1 to 63 lower-case letters`,
  },
  {
    description: "a mixed-case host that lower case makes valid is given in lower case",
    mutate: (f) => void (shopIngress(f).rules[0].host = "Shop.Example.com"),
    path: "rules[0].host",
    message: "has upper-case letters",
    suggests: "shop.example.com",
  },
  {
    description: "a host with a trailing dot is given without it",
    mutate: (f) => void (shopIngress(f).rules[0].host = "Shop.example.com."),
    path: "rules[0].host",
    message: "has upper-case letters and ends with a dot",
    suggests: "shop.example.com",
  },
  {
    description: "a host with a trailing dot and an underscore gets the rule",
    mutate: (f) => void (shopIngress(f).rules[0].host = "shop_front.example.com."),
    path: "rules[0].host",
    message: "use lower-case labels separated by single dots",
  },
  {
    description: "a mixed-case service name with an underscore gets the rule",
    mutate: (f) => void (cart(f).metadata.name = "Cart_Svc"),
    path: "metadata.name",
    message: "must consist of lower-case letters, digits and '-'",
  },
  {
    description: "a mixed-case service name is given in lower case",
    mutate: (f) => void (cart(f).metadata.name = "Cart"),
    path: "metadata.name",
    message: "has upper-case letters",
    suggests: "cart",
  },
  {
    description: "a service name that starts with a digit is given a prefix that makes it valid",
    mutate: (f) => void (cart(f).metadata.name = "1cart"),
    path: "metadata.name",
    message: "starts with a digit",
    suggests: "svc-1cart",
  },
  {
    description: "a service name whose prefixed form would be too long is told to start with a letter",
    mutate: (f) => void (cart(f).metadata.name = `1${"c".repeat(61)}`),
    path: "metadata.name",
    message: "must start with a letter; start it with a letter",
  },
  {
    description: "a path without its leading slash is given with it",
    mutate: (f) => void (shopIngress(f).rules[0].http.paths[0].path = "cart/*"),
    path: "paths[0].path",
    message: 'does not start with "/"',
    suggests: "/cart/*",
  },
  {
    description: "a relative path that a slash does not fix gets an example",
    mutate: (f) => void (shopIngress(f).rules[0].http.paths[0].path = "cart*"),
    path: "paths[0].path",
    message: 'write an absolute path such as "/cart" or "/cart/*"',
  },
  {
    description: "a timeout written as a bare fraction gets a unit only where the result is valid",
    mutate: (f) => void (shopIngress(f).rules[0].http.paths[0].fleetgate = { timeout: 1.5 }),
    path: "fleetgate.timeout",
    message: "1.5 is not a duration; write a whole number above 0 with a unit",
  },
  {
    description: "a timeout written as a bare number gets a unit",
    mutate: (f) => void (shopIngress(f).rules[0].http.paths[0].fleetgate = { timeout: 30 }),
    path: "fleetgate.timeout",
    message: "30 has no unit",
    suggests: ["30s", "30ms"],
  },
];

describe("suggestions in messages", () => {
  for (const c of cases) {
    it(c.description, () => {
      const fixture = baseFixture();
      c.mutate(fixture);
      const errors = planFixture(fixture).diagnostics.filter((d) => d.severity === "error");
      const match = errors.find((e) => e.path.includes(c.path) && e.message.includes(c.message));
      expect(match, `no error at ~"${c.path}" saying ~"${c.message}" in:\n${errors.map(formatDiagnostic).join("\n")}`).toBeDefined();
      expect(match!.line).toBeGreaterThan(0);
      expect(suggested(match!.message)).toEqual(c.suggests === undefined ? [] : [c.suggests].flat());
    });
  }
});

describe("every suggested value passes the check that refused the original", () => {
  const slips = fc.string({ unit: fc.constantFrom(..."abcAB019-_.*/ "), maxLength: 24 });

  it("host names, with and without wildcards", () => {
    fc.assert(
      fc.property(slips, fc.boolean(), (host, allowWildcard) => {
        const problem = hostNameProblem(host, { allowWildcard });
        for (const value of suggested(problem ?? "")) expect(hostNameProblem(value, { allowWildcard }), `${host} -> ${value}`).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it("DNS labels", () => {
    fc.assert(
      fc.property(slips, (label) => {
        for (const value of suggested(dnsLabelProblem(label) ?? "")) expect(dnsLabelProblem(value), `${label} -> ${value}`).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });

  it("GKE paths", () => {
    fc.assert(
      fc.property(slips, (path) => {
        const result = gkePathToMatch(path);
        for (const value of suggested("problem" in result ? result.problem : "")) expect("match" in gkePathToMatch(value), `${path} -> ${value}`).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("durations written as bare numbers", () => {
    const schema = duration("A timeout.");
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -10, max: 200_000 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -5, max: 5 })), (value) => {
        const result = schema.safeParse(value);
        expect(result.success).toBe(false);
        for (const text of suggested(result.error!.issues[0]!.message)) expect(schema.safeParse(text).success, `${value} -> ${text}`).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
