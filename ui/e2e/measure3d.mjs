// The 3D benchmark and the showroom picture, in Debian's chromium (SwiftShader: no GPU):
// - a showroom kitchen (base run under one worktop, wall units, a tall unit) photographed to
//   e2e/artifacts/configurator-3d.png for people to look at;
// - 40 modules of the seeded catalog: frame time (median and p95 over 120 frames drawn back to
//   back), draw calls and triangles per frame (`window.__paformScene`, exposed under WebDriver
//   only), time from navigation to the first shown quote, and the first-load JS of `/`.
// Reported, never asserted. Run alone (`node e2e/measure3d.mjs`, starts its own server) or as
// a phase of `npm run e2e`.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { guard, launchBrowser } from "./browser.mjs";
import { apiClient } from "./api.mjs";
import { waitForFreshQuote } from "./flow.mjs";
import { startServer } from "./server.mjs";

const ui = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const FRAMES = 120;

export const SHOWROOM = [
  "Kitchen Tall Pantry 600",
  "Kitchen Base 600",
  "Kitchen Drawer Base 600",
  "Kitchen Sink Base 800",
  "Kitchen Base 400",
  "Kitchen Tall Oven Housing 600",
  "Kitchen Wall 600",
  "Kitchen Wall 800",
  "Kitchen Wall 400",
];

async function addModules(page, names) {
  for (const name of names) {
    await page.getByRole("button", { name: `Add ${name}`, exact: true }).click();
  }
}

async function waitForScene(page, modules) {
  await page.waitForFunction((count) => window.__paformScene?.modules === count, modules, { polling: "raf" });
}

/** Renders FRAMES frames back to back (each rAF asks for the next one) and times them. */
async function frameTimes(page) {
  return page.evaluate(
    (frames) =>
      new Promise((resolve) => {
        const probe = window.__paformScene;
        const deltas = [];
        let last = performance.now();
        let calls = 0;
        let triangles = 0;
        const tick = (now) => {
          deltas.push(now - last);
          last = now;
          calls = Math.max(calls, probe.drawCalls);
          triangles = Math.max(triangles, probe.triangles);
          if (deltas.length > frames) {
            deltas.shift(); // the first interval includes the wait before the loop started
            const sorted = [...deltas].sort((a, b) => a - b);
            resolve({
              medianMs: sorted[Math.floor(sorted.length / 2)],
              p95Ms: sorted[Math.floor(sorted.length * 0.95)],
              drawCalls: calls,
              triangles,
            });
            return;
          }
          probe.invalidate();
          requestAnimationFrame(tick);
        };
        probe.invalidate();
        requestAnimationFrame(tick);
      }),
    FRAMES,
  );
}

export async function runMeasure3d({ browser, base, outDir, log, state }) {
  const api = apiClient(base);
  const catalog = await api.get("/api/modules?limit=200");
  const names = new Set(catalog.items.map((module) => module.name));
  const showroom = SHOWROOM.filter((name) => names.has(name));
  const artifacts = join(ui, "e2e", "artifacts");
  mkdirSync(artifacts, { recursive: true });

  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const guards = guard(page, base);
  await page.goto(`${base}/`);
  await addModules(page, showroom);
  await waitForScene(page, showroom.length);
  await waitForFreshQuote(page, showroom.length);
  // Textures arrive after the first frame; the probe's frame count settles once they have.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="viewer3d"] canvas').length === 1);
  // A click on the empty wall clears the selection outline from the picture.
  const viewer = page.getByTestId("viewer3d");
  await viewer.click({ position: { x: 20, y: 60 } });
  await page.waitForTimeout(1500);
  const picture = join(artifacts, "configurator-3d.png");
  await page.getByTestId("viewer3d").screenshot({ path: picture });
  log(`  showroom picture: ${picture}`);
  guards.assertClean("showroom picture");
  await context.close();

  const forty = [];
  const pool = catalog.items.filter((module) => module.placement_constraints?.mount !== "on_top").map((module) => module.name);
  for (let index = 0; forty.length < 40; index += 1) forty.push(pool[index % pool.length]);
  const benchContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const bench = await benchContext.newPage();
  bench.setDefaultTimeout(120_000);
  const benchGuards = guard(bench, base);
  await bench.goto(`${base}/`);
  await addModules(bench, forty.slice(0, 1));
  const firstQuote = await waitForFreshQuote(bench, 1);
  await addModules(bench, forty.slice(1));
  await waitForScene(bench, 40);
  await waitForFreshQuote(bench, forty.length);
  const frames = await frameTimes(bench);
  // A clip, not an element screenshot: with 40 rows the page below keeps reflowing while the
  // quote settles, and the viewer itself is what matters.
  await bench.evaluate(() => window.scrollTo(0, 0));
  const box = await bench.getByTestId("viewer3d").boundingBox();
  if (box) await bench.screenshot({ path: join(artifacts, "configurator-40-modules.png"), clip: box });
  benchGuards.assertClean("3D benchmark");
  await benchContext.close();

  const size = execFileSync(process.execPath, [join(ui, "scripts", "first-load-size.mjs"), "/"], { cwd: ui, encoding: "utf8" });
  const result = {
    modules: 40,
    frames: FRAMES,
    frameMedianMs: Math.round(frames.medianMs * 10) / 10,
    frameP95Ms: Math.round(frames.p95Ms * 10) / 10,
    drawCalls: frames.drawCalls,
    triangles: frames.triangles,
    firstQuoteMs: Math.round(firstQuote.at),
    firstLoadJs: size.trim().split("\n").at(-1),
  };
  state.measure3d = result;
  writeFileSync(join(outDir, "metrics-3d.json"), JSON.stringify(result, null, 2));
  log(
    `  40 modules: frame ${result.frameMedianMs} ms median, ${result.frameP95Ms} ms p95, ${result.drawCalls} draw calls, ` +
      `${result.triangles} triangles; first quote ${result.firstQuoteMs} ms after navigation; ${result.firstLoadJs}`,
  );
  return result;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(ui, "..");
  const binary = process.env.PAFORM_BIN ? resolve(process.env.PAFORM_BIN) : join(root, "target", "debug", "paform");
  const outDir = join(root, "test-output", "e2e");
  mkdirSync(outDir, { recursive: true });
  const server = await startServer({ root, binary, uiDir: join(ui, "out") });
  const browser = await launchBrowser();
  let failed = false;
  try {
    await runMeasure3d({ browser, base: server.base, outDir, log: console.log, state: {} });
  } catch (error) {
    failed = true;
    console.error(`measure3d FAILED: ${error.message}`);
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
  }
  process.exit(failed ? 1 : 0);
}
