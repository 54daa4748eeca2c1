// Accessibility pass: axe-core (from node_modules, injected into the page) on the main screens,
// each in the state a sales person sees it. Serious or critical violations fail the run.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { guard } from "./browser.mjs";
import { pickModules, waitForFreshQuote, waitForPaintedCanvas } from "./flow.mjs";
import { apiClient } from "./api.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const BLOCKING = new Set(["serious", "critical"]);

export async function axe(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.slice(0, 5).map((node) => `${node.target.join(" ")} — ${node.failureSummary?.split("\n").slice(0, 2).join(" ")}`),
      count: violation.nodes.length,
    }));
  });
}

export async function runA11y({ browser, base, outDir, log, state }) {
  const api = apiClient(base);
  const modules = await pickModules(api);
  const screens = [
    {
      name: "configurator",
      path: "/",
      ready: async (page) => {
        for (const module of modules) await page.getByRole("button", { name: `Add ${module.name}`, exact: true }).click();
        await waitForFreshQuote(page, 3);
        await waitForPaintedCanvas(page);
      },
    },
    { name: "catalog", path: "/catalog/", ready: (page) => page.getByRole("button", { name: /^Edit / }).first().waitFor() },
    { name: "orders", path: "/orders/", ready: (page) => page.locator("tbody tr a").first().waitFor() },
    {
      name: "order page",
      path: `/orders/view/?id=${encodeURIComponent(state.orderId ?? "")}`,
      ready: async (page) => {
        await page.locator('[data-testid^="step-"][data-state="current"]').waitFor();
        await page.getByTestId("payment-status").first().waitFor();
        await page.getByText("v1").waitFor();
      },
    },
    {
      name: "CNC",
      path: "/cnc/",
      ready: async (page) => {
        if (!state.cnc?.export || !state.orderId) return page.getByRole("button", { name: "Nest parts" }).waitFor();
        await page.getByLabel("Source").locator(`option[value="${state.orderId}"]`).waitFor({ state: "attached" });
        await page.getByLabel("Source").selectOption(state.orderId);
        await page.getByRole("button", { name: "Export cut list" }).click();
        await page.getByTestId("nesting-preview").locator("img").first().waitFor();
      },
    },
    { name: "customers", path: "/customers/", ready: (page) => page.getByRole("link", { name: "Grace Hopper" }).waitFor() },
    {
      name: "customer page",
      path: `/customers/view/?id=${state.designs?.customerId ?? ""}`,
      ready: (page) => page.getByRole("link", { name: "Open in configurator" }).waitFor(),
    },
    { name: "settings", path: "/settings/", ready: (page) => page.getByRole("button", { name: "Save settings" }).waitFor() },
    {
      name: "customer's phone",
      path: state.share?.path ?? "/share/",
      viewport: { width: 390, height: 844 },
      ready: async (page) => {
        await page.getByRole("heading", { level: 1 }).waitFor();
        await waitForPaintedCanvas(page);
        await page.locator('[data-testid="view-in-room"]:not([disabled])').waitFor();
      },
    },
  ];

  const failures = [];
  const summary = {};
  for (const screen of screens) {
    const phone = Boolean(screen.viewport);
    const context = await browser.newContext({
      viewport: screen.viewport ?? { width: 1440, height: 1000 },
      acceptDownloads: true,
      ...(phone ? { isMobile: true, hasTouch: true } : {}),
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const guards = guard(page, base);
    const started = Date.now();
    await page.goto(base + screen.path);
    await screen.ready(page);
    const violations = await axe(page);
    const blocking = violations.filter((violation) => BLOCKING.has(violation.impact));
    summary[screen.name] = violations.map((violation) => `${violation.impact}: ${violation.id} ×${violation.count}`);
    await page.screenshot({ path: join(outDir, `a11y-${screen.name.replace(/\W+/g, "-")}.png`), fullPage: true });
    const problems = guards.problems();
    if (problems.length) failures.push(`${screen.name}: ${problems.join("; ")}`);
    if (blocking.length) {
      failures.push(
        `${screen.name}: ${blocking.length} serious/critical axe violation(s)\n` +
          blocking.map((violation) => `    ${violation.impact} ${violation.id}: ${violation.help}\n      ${violation.nodes.join("\n      ")}`).join("\n"),
      );
    }
    const minor = violations.length - blocking.length;
    log(`  ${blocking.length || problems.length ? "✗" : "✓"} axe ${screen.name}: ${blocking.length} serious/critical, ${minor} minor/moderate (${Date.now() - started} ms)`);
    await context.close();
  }
  state.axe = summary;
  if (failures.length) throw new Error(`accessibility pass failed:\n  ${failures.join("\n  ")}`);
}
