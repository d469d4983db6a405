// The linter. typescript-eslint's recommended rules everywhere; where Pulumi Outputs and the engine's
// promises live (the program, its components, the offline engine), the type-aware rules as well:
// Pulumi's own rules against an Output inside a template literal (it prints a warning text, not its
// value; pulumi.interpolate is the way) and the rules against a promise nobody waits for.
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "schemas/**", "docs/**", "scratch/**", "policies/node_modules/**", "**/*.cjs", "**/*.mjs", "**/*.mts"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore names what is left out on purpose (`const { a: _a, ...rest } = x`).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { varsIgnorePattern: "^_", argsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Fixtures are plain YAML-shaped documents that tests reach into freely, and the policies read the
    // providers' untyped resource properties.
    files: ["test/**/*.ts", "bench/**/*.ts", "policies/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // The commands load their heavy modules only once the command line is parsed, so that --help and a
    // usage error answer at once, and the stand-ins load the fakes only for a stack that needs them: a
    // typed require() where an import would load them up front.
    files: ["scripts/**/*.ts", "offline/stand-ins.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["program.ts", "index.ts", "components/**/*.ts", "offline/**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
    },
  },
);
