// `npm run e2e`: the browser tests against the real server. Builds nothing: it expects the UI
// export in ui/out and the server binary in target/debug/paform (`make test-e2e` builds both).
// Starts `paform serve` on a free port with a temporary data directory, runs the showroom
// flow, the accessibility pass and the measurements in Debian's chromium, then stops the
// server. The phase "hq: chain view" starts its own PostgreSQL, HQ and second site.
// Screenshots and metrics go to test-output/e2e/ at the repository root.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchBrowser } from "./browser.mjs";
import { runA11y } from "./a11y.mjs";
import { runChain } from "./chain.mjs";
import { runFloor } from "./floor.mjs";
import { runDesigns } from "./designs.mjs";
import { runFlow } from "./flow.mjs";
import { runHq } from "./hq.mjs";
import { runMeasure } from "./measure.mjs";
import { runMeasure3d } from "./measure3d.mjs";
import { runShare } from "./share.mjs";
import { runTint } from "./tint.mjs";
import { startServer } from "./server.mjs";

const ui = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const root = resolve(ui, "..");
const binary = process.env.PAFORM_BIN ? resolve(process.env.PAFORM_BIN) : join(root, "target", "debug", "paform");
const outDir = join(root, "test-output", "e2e");
mkdirSync(outDir, { recursive: true });

// Ctrl-C or a kill ends the run through process.exit, whose handler stops the server.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.once(signal, () => process.exit(130));
// A closed stdout (`npm run e2e | head`) must not crash the run before the server is stopped.
process.stdout.on("error", () => {});

const log = (line) => console.log(line);
const state = {};
const phases = [
  ["showroom flow", runFlow],
  ["model tint", runTint],
  ["shop floor", runFloor],
  ["saved designs", runDesigns],
  ["customer's phone", runShare],
  ["settings: chain", runChain],
  ["hq: chain view", runHq],
  ["accessibility", runA11y],
  ["measurements", runMeasure],
  ["3D benchmark", runMeasure3d],
];

// `E2E_ONLY="customer's phone,saved designs"` runs just those phases (while working on one).
const only = process.env.E2E_ONLY?.split(",").map((name) => name.trim()).filter(Boolean);
const selected = only?.length ? phases.filter(([name]) => only.includes(name)) : phases;
if (only?.length && selected.length !== only.length) throw new Error(`E2E_ONLY names unknown phases: ${only.join(", ")}`);

let server;
let browser;
let failed = false;
const started = Date.now();
try {
  server = await startServer({ root, binary, uiDir: join(ui, "out") });
  log(`e2e: paform serve at ${server.base} (data ${server.dataDir})`);
  browser = await launchBrowser();
  log(`e2e: chromium ${browser.version()}`);
  for (const [name, run] of selected) {
    log(`${name}:`);
    await run({ browser, base: server.base, outDir, log, state, root, binary, uiDir: join(ui, "out") });
  }
} catch (error) {
  failed = true;
  console.error(`\ne2e FAILED: ${error.message}`);
  if (process.env.E2E_VERBOSE && server) console.error(server.log());
} finally {
  await browser?.close().catch(() => {});
  await server?.stop();
}
writeFileSync(join(outDir, "results.json"), JSON.stringify({ ok: !failed, ms: Date.now() - started, ...state }, null, 2));
log(`e2e: ${failed ? "FAILED" : "passed"} in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots and results.json in ${outDir}`);
process.exit(failed ? 1 : 0);
