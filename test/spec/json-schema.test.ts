import Ajv2020 from "ajv/dist/2020";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { generatedSchemas } from "../../spec/json-schema";
import { readEnvironmentFiles } from "../../spec/read-files";
import { PROJECT_ROOT } from "../../offline/run-offline";

const ajv = new Ajv2020({ strict: false, allErrors: true });
const schemas = Object.fromEntries(Object.entries(generatedSchemas()).map(([path, text]) => [path, JSON.parse(text) as object]));
const validateDocument = ajv.compile(schemas["schemas/documents.schema.json"]!);
const validateStack = ajv.compile(schemas["schemas/stack.schema.json"]!);
// JSON Schema 2020-12, section 7.3.
const STANDARD_FORMATS = [
  "date-time",
  "date",
  "time",
  "duration",
  "email",
  "idn-email",
  "hostname",
  "idn-hostname",
  "ipv4",
  "ipv6",
  "uri",
  "uri-reference",
  "iri",
  "iri-reference",
  "uuid",
  "uri-template",
  "json-pointer",
  "relative-json-pointer",
  "regex",
];
const environments = readdirSync(join(PROJECT_ROOT, "stacks"))
  .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
  .map((f) => f.slice("Pulumi.".length, -".yaml".length));

describe("the generated JSON Schemas", () => {
  it("are committed and up to date (run `npm run schema` after changing spec/schema)", () => {
    for (const [path, text] of Object.entries(generatedSchemas())) expect(readFileSync(join(PROJECT_ROOT, path), "utf8"), path).toBe(text);
  });

  it("say in their first key that they are generated and by which command", () => {
    for (const schema of Object.values(schemas)) expect(Object.keys(schema)[0]).toBe("$comment");
  });

  for (const environment of environments) {
    it(`accept every document of the ${environment} example and its stack file`, () => {
      const stack = parseAllDocuments(readFileSync(join(PROJECT_ROOT, "stacks", `Pulumi.${environment}.yaml`), "utf8"))[0]!.toJS();
      expect(validateStack(stack), JSON.stringify(validateStack.errors)).toBe(true);
      for (const file of readEnvironmentFiles(PROJECT_ROOT, environment))
        for (const doc of parseAllDocuments(file.text))
          expect(validateDocument(doc.toJS()), `${file.path}: ${JSON.stringify(validateDocument.errors)}`).toBe(true);
    });
  }

  it("use only formats that JSON Schema defines, so that editors check them", () => {
    const formats = [
      ...Object.values(generatedSchemas())
        .join("\n")
        .matchAll(/"format": "([^"]+)"/g),
    ].map((m) => m[1]);
    expect(formats.filter((f) => !STANDARD_FORMATS.includes(f!))).toEqual([]);
  });

  it("reject an unknown field and an unknown fleetgate: key", () => {
    const doc = {
      apiVersion: "networking.gke.io/v1",
      kind: "MultiClusterService",
      metadata: { name: "a" },
      spec: { template: { spec: { selector: {}, ports: [{ port: 80 }] } }, colors: [] },
    };
    expect(validateDocument(doc)).toBe(false);
    expect(validateStack({ config: { "fleetgate:frontDoor": "gcp", "fleetgate:cluster": [] } })).toBe(false);
    expect(validateStack({ config: { "gcp:project": "x" } })).toBe(false); // required fleetgate keys missing
  });

  it("accept encrypted kubeconfigs and root keys as Pulumi writes them", () => {
    const stack = parseAllDocuments(readFileSync(join(PROJECT_ROOT, "stacks", "Pulumi.dev.yaml"), "utf8"))[0]!.toJS() as { config: Record<string, unknown> };
    stack.config["fleetgate:kubeconfigs"] = { onprem: { secure: "v1:abc" } };
    stack.config["fleetgate:rootCaKey"] = { secure: "v1:def" };
    expect(validateStack(stack), JSON.stringify(validateStack.errors)).toBe(true);
  });
});

describe("the example specs", () => {
  it("point editors at the schemas with a yaml-language-server line that resolves", () => {
    const files = [
      ...environments.map((e) => join("stacks", `Pulumi.${e}.yaml`)),
      ...environments.flatMap((e) => readEnvironmentFiles(PROJECT_ROOT, e).map((f) => f.path)),
    ];
    for (const file of files) {
      const text = readFileSync(join(PROJECT_ROOT, file), "utf8");
      const match = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text);
      expect(match, `${file} has no schema line`).not.toBeNull();
      expect(existsSync(resolve(PROJECT_ROOT, dirname(file), match![1]!)), `${file} points at ${match![1]}`).toBe(true);
    }
  });
});
