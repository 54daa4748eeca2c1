// Debian's chromium driven by playwright-core (never a downloaded browser; flags from
// NOTES-MACHINE.md), plus the guards every page of the run carries: no console error, no
// uncaught exception, no failed request and no request to any host but the app's.
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.PAFORM_CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Records what must not happen on a page; `problems()` lists it, `assertClean()` throws. */
export function guard(page, base) {
  const origin = new URL(base).origin;
  const problems = [];
  const foreign = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()} (${message.location().url ?? ""})`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught exception: ${error.message}`));
  page.on("request", (request) => {
    const url = request.url();
    if (url.startsWith("data:") || url.startsWith("blob:")) return;
    if (new URL(url).origin !== origin) foreign.push(`${request.method()} ${url}`);
  });
  page.on("requestfailed", (request) => {
    // Aborted requests of a page being left are not failures of the app.
    const failure = request.failure()?.errorText ?? "";
    if (failure.includes("ERR_ABORTED")) return;
    problems.push(`request failed: ${request.method()} ${request.url()} ${failure}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return {
    problems: () => [...problems, ...foreign.map((request) => `request to a foreign host: ${request}`)],
    foreignRequests: () => [...foreign],
    assertClean(where) {
      const all = this.problems();
      if (all.length) throw new Error(`${where}: ${all.length} problem(s)\n  ${all.join("\n  ")}`);
    },
  };
}
