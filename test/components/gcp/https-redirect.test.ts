/**
 * The program, run offline on the dev stack with a FrontendConfig that asks for FOUND: the port-80 URL
 * map that the offline engine's fakes accept redirects the shop's host with 302 and every other with 301.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { engineConfigFromStackFile, PROJECT_ROOT } from "../../../offline/run-offline";
import { runProgram } from "../../harness";

const scratch = mkdtempSync(join(tmpdir(), "fleetgate-redirect-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the GCP front door's port-80 redirect", () => {
  it("redirects the hosts of an ingress whose FrontendConfig names FOUND with 302, and the others with 301", async () => {
    cpSync(join(PROJECT_ROOT, "stacks", "dev"), join(scratch, "stacks", "dev"), { recursive: true });
    const shop = join(scratch, "stacks", "dev", "shop", "shop.yaml");
    const frontendConfig =
      "---\napiVersion: networking.gke.io/v1beta1\nkind: FrontendConfig\nmetadata: { name: temporary, namespace: shop }\nspec:\n  redirectToHttps: { enabled: true, responseCodeName: FOUND }\n";
    const annotated = readFileSync(shop, "utf8").replace(
      "metadata: { name: shop, namespace: shop }",
      "metadata: { name: shop, namespace: shop, annotations: { networking.gke.io/frontend-config: temporary } }",
    );
    writeFileSync(shop, `${annotated}${frontendConfig}`);
    const stackFile = readFileSync(join(PROJECT_ROOT, "stacks", "Pulumi.dev.yaml"), "utf8");
    writeFileSync(join(scratch, "stacks", "Pulumi.dev.yaml"), stackFile);

    const graph = await runProgram("dev", { root: scratch, config: engineConfigFromStackFile(stackFile) });
    expect(graph.exitCode, graph.stderr).toBe(0);
    const map = graph.one("gcp:compute/uRLMap:URLMap", "dev-http-redirect").inputs as Record<string, any>;
    const https = { httpsRedirect: true, stripQuery: false };
    expect(map.defaultUrlRedirect).toEqual({ ...https, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT" });
    expect(map.hostRules).toEqual([{ hosts: ["shop.dev.example.com"], pathMatcher: "https-302" }]);
    expect(map.pathMatchers).toEqual([
      { name: "https-302", description: "HTTP to HTTPS with 302 (FOUND)", defaultUrlRedirect: { ...https, redirectResponseCode: "FOUND" } },
    ]);
  });
});
