//! Saved designs in a real browser: place two modules, save the design with a customer created
//! inline, edit it and let autosave store version 2, open `/?design=ID` afresh and find the same
//! modules and quantities placed, then price the reopened design into a quote and download its
//! PDF from the quote panel; the customer's page lists the design and opens it in the configurator.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { guard } from "./browser.mjs";
import { apiClient, assert, assertEqual } from "./api.mjs";
import { pickModules, waitForFreshQuote } from "./flow.mjs";

export async function runDesigns({ browser, base, outDir, log, state }) {
  const api = apiClient(base);
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const guards = guard(page, base);
  const step = async (name, body) => {
    const started = Date.now();
    try {
      await body();
    } catch (error) {
      await page.screenshot({ path: join(outDir, `failure-${name.replace(/\W+/g, "-")}.png`), fullPage: true }).catch(() => {});
      throw new Error(`${name}: ${error.message}`, { cause: error });
    }
    guards.assertClean(name);
    log(`  ✓ ${name} (${Date.now() - started} ms)`);
  };
  const modules = (await pickModules(api)).slice(0, 2);
  const placed = page.getByRole("list", { name: "Placed modules, left to right" }).getByRole("listitem");
  let designId;
  let customerId;

  await step("save a design with a new customer", async () => {
    await page.goto(`${base}/`);
    for (const [index, module] of modules.entries()) {
      await page.getByRole("button", { name: `Add ${module.name}`, exact: true }).click();
      await placed.nth(index).waitFor();
    }
    await page.getByLabel("Design name").fill("Showroom kitchen");
    await page.getByRole("button", { name: "New customer" }).click();
    await page.getByLabel("Customer name").fill("Grace Hopper");
    await page.getByLabel("Customer email").fill("grace@example.test");
    await page.getByLabel("Customer phone").fill("+1 555 0199");
    await page.getByRole("button", { name: "Add customer" }).click();
    await page.locator("#design-customer option:checked", { hasText: "Grace Hopper" }).waitFor({ state: "attached" });
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByTestId("design-status").filter({ hasText: "Saved · v1" }).waitFor();
    await page.waitForURL(/\?design=/);
    designId = new URL(page.url()).searchParams.get("design");
    const saved = await api.get(`/api/designs/${designId}`);
    assertEqual(JSON.stringify(saved.items.map((item) => item.module_id)), JSON.stringify(modules.map((m) => m.id)), "saved items");
    assert(saved.customer_id, "the design names its customer");
    customerId = saved.customer_id;
    await page.screenshot({ path: join(outDir, "05-design-bar.png") });
  });

  await step("autosave stores a new version 2 s after an edit", async () => {
    await placed.nth(1).getByLabel("Quantity").fill("3");
    await page.getByTestId("design-status").filter({ hasText: "Unsaved changes" }).waitFor();
    await page.getByTestId("design-status").filter({ hasText: "Saved · v2" }).waitFor();
    const saved = await api.get(`/api/designs/${designId}`);
    assertEqual(saved.version, 2, "version after autosave");
    assertEqual(saved.items[1].quantity, 3, "autosaved quantity");
  });

  await step("reopen /?design=ID, price it into a quote, download the PDF", async () => {
    // A full load: nothing of the configurator survives but what the server stored.
    const fresh = page;
    await fresh.goto(`${base}/?design=${designId}`);
    await fresh.getByTestId("design-status").filter({ hasText: "Saved · v2" }).waitFor();
    const rows = fresh.getByRole("list", { name: "Placed modules, left to right" }).getByRole("listitem");
    await rows.nth(1).waitFor();
    assertEqual(await rows.count(), 2, "placed modules after reopening");
    for (const [index, module] of modules.entries()) {
      assert((await rows.nth(index).textContent()).includes(module.name), `module ${index + 1} is ${module.name}`);
    }
    assertEqual(await rows.nth(1).getByLabel("Quantity").inputValue(), "3", "quantity after reopening");
    await waitForFreshQuote(fresh, 2);
    const [priced] = await Promise.all([
      fresh.waitForResponse((response) => response.url().endsWith(`/api/designs/${designId}/quote`)),
      fresh.getByRole("button", { name: "Price into quote" }).click(),
    ]);
    const quote = await priced.json();
    assertEqual(quote.design_id, designId, "the priced quote names its design");
    await fresh.getByRole("link", { name: "Open design" }).waitFor();
    assert(/^Q-\d{6}$/.test(quote.number ?? ""), `the quote has a number: ${quote.number}`);
    await fresh.getByTestId("quote-number").filter({ hasText: `Quote no. ${quote.number}` }).waitFor();
    const [download] = await Promise.all([
      fresh.waitForEvent("download"),
      fresh.getByRole("button", { name: "Download quote PDF" }).click(),
    ]);
    const path = await download.path();
    const bytes = readFileSync(path);
    assertEqual(bytes.subarray(0, 5).toString(), "%PDF-", "quote PDF header");
    state.designs = { designId, customerId, pdfBytes: bytes.length };
    log(`    design ${designId}: quote PDF ${bytes.length} bytes`);
  });
  await step("customer page lists the design and opens it", async () => {
    await page.goto(`${base}/customers/`);
    await page.getByRole("link", { name: "Grace Hopper" }).click();
    await page.getByRole("heading", { level: 1, name: "Grace Hopper" }).waitFor();
    await page.getByText("Showroom kitchen · v2").waitFor();
    await page.screenshot({ path: join(outDir, "06-customer.png"), fullPage: true });
    await page.getByRole("link", { name: "Open in configurator" }).click();
    await page.waitForURL(new RegExp(`\\?design=${designId}`));
    await placed.nth(1).waitFor();
    assertEqual(await placed.count(), 2, "placed modules opened from the customer page");
  });
  await context.close();
}
