// Measures the first-load JS of an exported route: every script the HTML references,
// gzipped. Usage: node scripts/first-load-size.mjs [route] (default "/", i.e. out/index.html).
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "out");
const route = process.argv[2] ?? "/";
const html = readFileSync(join(root, route, "index.html"), "utf8");
const sources = new Set([...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)].map((match) => match[1]));
let total = 0;
for (const src of sources) {
  const bytes = readFileSync(join(root, src.split("?")[0]));
  const gz = gzipSync(bytes, { level: 9 }).length;
  total += gz;
  console.log(`${(gz / 1024).toFixed(1).padStart(7)} kB  ${src}`);
}
const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].reduce((sum, match) => sum + match[1].length, 0);
console.log(`first-load JS of ${route}: ${(total / 1024).toFixed(1)} kB gzip in ${sources.size} files (+ ${(inline / 1024).toFixed(1)} kB inline RSC payload, uncompressed)`);
if (process.env.MAX_KB && total / 1024 > Number(process.env.MAX_KB)) {
  console.error(`over budget: ${process.env.MAX_KB} kB`);
  process.exit(1);
}
