// `npm run gen:api`: lib/api/openapi.json (committed by the server side) -> lib/api/types.gen.ts.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateTypes } from "./openapi-gen.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const input = join(root, "lib", "api", "openapi.json");
const output = join(root, "lib", "api", "types.gen.ts");

if (!existsSync(input)) {
  console.error("gen:api: lib/api/openapi.json is missing; the server's test writes it");
  process.exit(1);
}
const text = await generateTypes(JSON.parse(readFileSync(input, "utf8")));
writeFileSync(output, text);
console.log(`gen:api: wrote ${output}`);
