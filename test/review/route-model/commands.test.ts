import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../../offline/run-offline";

const tsx = join(PROJECT_ROOT, "node_modules", "tsx", "dist", "cli.mjs");

function run(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(
      process.execPath,
      [tsx, join(PROJECT_ROOT, "scripts", script), ...args],
      { cwd: PROJECT_ROOT, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe.each(["route.ts", "routes.ts"])("npm run %s", (script) => {
  it("prints its usage on stdout and exits 0 with --help", async () => {
    const result = await run(script, ["--help"]);
    expect([result.code, result.stdout.startsWith("Usage: npm run route"), result.stderr]).toEqual([0, true, ""]);
  });

  it("refuses an unknown option in one line with exit 2", async () => {
    const result = await run(script, ["--stack", "dev", "--verbose"]);
    expect([result.code, result.stdout, result.stderr.trim().split("\n").length, result.stderr.includes("--verbose")]).toEqual([2, "", 1, true]);
  });
});

describe("npm run route", () => {
  it("traces a request through the dev stack's URL map and gateway to the Service port, with no progress in a pipe", async () => {
    const result = await run("route.ts", ["--stack", "dev", "https://shop.dev.example.com/cart/items?id=1", "-X", "POST", "-H", "x-test: 1"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("POST https://shop.dev.example.com/cart/items?id=1");
    expect(result.stdout).toContain("route rule: priority 20, match prefix /cart/");
    expect(result.stdout).toContain("Backend service fg-dev-shop-cart-80 (100%)");
    expect(result.stdout).toContain("HTTPRoute fleetgate-gateway/cart.shop.dispatch rule 0");
    expect(result.stdout).toContain("-> Service shop/cart port 80 (pods' port 8080), 100%");
  });

  it("refuses a URL it cannot parse with exit 2", async () => {
    const result = await run("route.ts", ["--stack", "dev", "shop.dev.example.com/cart"]);
    expect([result.code, result.stderr.includes("is not a URL")]).toEqual([2, true]);
  });
});

describe("npm run routes", () => {
  it("prints the aws-prod gateways' rules for one host in precedence order, with clusters and owners", async () => {
    const result = await run("routes.ts", ["--stack", "aws-prod", "--host", "shop.example.net"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^HOST\s+PORT\s+ORDER\s+MATCH\s+ACTION\s+CLUSTERS\s+OWNERS$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/))).toEqual([
      ["shop.example.net", "443", "1", "RegularExpression /checkout/.*", "shop/checkout:80", "eks-apse1, eks-euw1, eks-use1", "shop"],
      ["shop.example.net", "443", "2", "RegularExpression /.*", "shop/storefront:80", "eks-apse1, eks-euw1, eks-use1", "shop"],
      ["shop.example.net", "80", "1", "PathPrefix /", "redirect 301 to https", "eks-apse1, eks-euw1, eks-use1", "shop"],
    ]);
  });
});
