// @vitest-environment node
// The generated API types must be exactly what openapi-typescript makes of the server's
// OpenAPI document (STYLE rule 11): edit neither by hand, run `npm run gen:api`.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script without type declarations
import { generateTypes } from "../scripts/openapi-gen.mjs";

const apiDir = join(__dirname, "..", "lib", "api");
const documentPath = join(apiDir, "openapi.json");
const generatedPath = join(apiDir, "types.gen.ts");

describe("generated API types", () => {
  it.skipIf(!existsSync(documentPath))("match lib/api/openapi.json (run `npm run gen:api`)", async () => {
    const expected = await generateTypes(JSON.parse(readFileSync(documentPath, "utf8")));
    expect(existsSync(generatedPath), "lib/api/types.gen.ts is missing: run npm run gen:api").toBe(true);
    const actual = readFileSync(generatedPath, "utf8");
    expect(actual === expected, "lib/api/types.gen.ts is out of date: run npm run gen:api").toBe(true);
  });
});
