/**
 * The README is the entry page and docs/ the manual: the README fits on two screens, every page of docs/
 * is reachable from it, and every relative link (file and heading) of the README and docs/ leads somewhere.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "../..");
const pages = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const text = (page: string) => readFileSync(join(ROOT, page), "utf8");

/** GitHub's heading anchors: lower case, punctuation but '-' and '_' dropped, spaces as '-'. */
function anchors(markdown: string): Set<string> {
  const headings = markdown
    .replace(/```[\s\S]*?```/g, "")
    .split("\n")
    .filter((l) => /^#{1,6} /.test(l));
  return new Set(
    headings.map((h) =>
      h
        .replace(/^#+ /, "")
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, "")
        .replace(/ /g, "-"),
    ),
  );
}

/** Relative links of a page, outside code blocks: [text](target) with no scheme. */
function links(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/.test(t));
}

describe("the README and docs/", () => {
  it("keep the README to two screens (120 lines at most)", () => {
    expect(text("README.md").split("\n").length).toBeLessThanOrEqual(120);
  });

  it("link every page of docs/ from the README", () => {
    const linked = new Set(links(text("README.md")).map((t) => normalize(t.split("#")[0]!)));
    expect(pages.filter((p) => p !== "README.md" && !linked.has(p))).toEqual([]);
  });

  it("link only to files and headings that exist", () => {
    const broken: string[] = [];
    for (const page of pages)
      for (const target of links(text(page))) {
        const [file, anchor] = target.split("#");
        const path = file === "" ? page : relative(ROOT, join(ROOT, dirname(page), file!));
        if (!existsSync(join(ROOT, path))) broken.push(`${page}: ${target} (no file ${path})`);
        else if (anchor !== undefined && path.endsWith(".md") && !anchors(text(path)).has(anchor))
          broken.push(`${page}: ${target} (no heading #${anchor} in ${path})`);
      }
    expect(broken).toEqual([]);
  });
});
