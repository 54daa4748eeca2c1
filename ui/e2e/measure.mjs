// Measurements, reported and never asserted: the configurator's first-load JS (gzip, the same
// script as `npm run size`) and, in headless chromium with an empty cache, the time from
// navigation start to the catalog being usable and to a shown (current) quote after adding
// one module. The live quote's 350 ms debounce is part of that time.
import { execFileSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileSync } from "node:fs";
import { guard } from "./browser.mjs";
import { apiClient } from "./api.mjs";
import { pickModules, waitForFreshQuote } from "./flow.mjs";

const ui = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SAMPLES = 5;

export async function runMeasure({ browser, base, outDir, log, state }) {
  const size = execFileSync(process.execPath, [join(ui, "scripts", "first-load-size.mjs"), "/"], { cwd: ui, encoding: "utf8" });
  const sizeLine = size.trim().split("\n").at(-1);
  log(`  ${sizeLine}`);

  const [module] = await pickModules(apiClient(base));
  const samples = [];
  for (let run = 0; run < SAMPLES; run += 1) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const guards = guard(page, base);
    await page.goto(`${base}/`);
    const add = page.getByRole("button", { name: `Add ${module.name}`, exact: true });
    await add.waitFor();
    const catalogReady = await page.evaluate(() => performance.now());
    await add.click();
    const shown = await waitForFreshQuote(page, 1);
    const navigation = await page.evaluate(() => {
      const entry = performance.getEntriesByType("navigation")[0];
      return { domContentLoaded: entry.domContentLoadedEventEnd, load: entry.loadEventEnd };
    });
    guards.assertClean(`measure run ${run + 1}`);
    samples.push({ catalogReady, quoteShown: shown.at, ...navigation });
    await context.close();
  }
  const median = (key) => {
    const sorted = samples.map((sample) => sample[key]).sort((a, b) => a - b);
    return Math.round(sorted[Math.floor(sorted.length / 2)]);
  };
  const result = {
    firstLoadJs: sizeLine,
    samples: samples.length,
    medianMs: {
      domContentLoaded: median("domContentLoaded"),
      load: median("load"),
      catalogReady: median("catalogReady"),
      quoteShown: median("quoteShown"),
    },
    rawMs: samples.map((sample) => Object.fromEntries(Object.entries(sample).map(([key, value]) => [key, Math.round(value)]))),
  };
  state.measure = result;
  writeFileSync(join(outDir, "metrics.json"), JSON.stringify(result, null, 2));
  log(
    `  navigation → DOMContentLoaded ${result.medianMs.domContentLoaded} ms, catalog usable ${result.medianMs.catalogReady} ms, ` +
      `quote shown ${result.medianMs.quoteShown} ms (median of ${SAMPLES}, cold cache, includes the 350 ms debounce)`,
  );
}
