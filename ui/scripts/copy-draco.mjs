// Copies the Draco decoder that ships with three.js into public/draco/, so the static export
// serves it at /draco/ and `useGLTF(url, "/draco/")` never reaches the internet.
// Runs before `next build` and `next dev` (see package.json); the copy is gitignored.
import { cpSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "node_modules", "three", "examples", "jsm", "libs", "draco", "gltf");
const target = join(root, "public", "draco");

if (!existsSync(source)) {
  console.error(`copy-draco: ${source} is missing; run npm ci first`);
  process.exit(1);
}
mkdirSync(target, { recursive: true });
const files = readdirSync(source).filter((name) => /\.(js|wasm)$/.test(name));
for (const name of files) cpSync(join(source, name), join(target, name));
console.log(`copy-draco: ${files.length} decoder files -> public/draco/`);
