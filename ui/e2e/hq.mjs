// Phase "hq: chain view" (SPEC §15): a real HQ on a throwaway PostgreSQL (./postgres.mjs)
// serving the same UI, and a second site server with its own data directory. In HQ's browser:
// `/` goes to the chain view and asks for the admin token (`paform hq token create`); the
// navigation offers only Chain and Catalog; "Add site" shows the token once with the join
// code and its QR code. In the site's browser, Settings → Chain takes that join code and joins.
// An order made on the site through its API and synced then appears at HQ under the site's
// name, its page shows both chains, and the site's row says it synced. A material's price
// edited in HQ's catalog screen reaches the site on its next sync.
// Screenshots: hq-chain-orders.png, hq-sites-join-code.png, hq-order-detail.png.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { axe } from "./a11y.mjs";
import { guard } from "./browser.mjs";
import { apiClient, assert, assertEqual } from "./api.mjs";
import { pickModules } from "./flow.mjs";
import { startPostgres } from "./postgres.mjs";
import { startHqServer, startServer } from "./server.mjs";

const SITE_NAME = "Leeds showroom";

export async function runHq({ browser, outDir, log, state, root, binary, uiDir }) {
  const pg = await startPostgres();
  if (pg.skipped) {
    log(`  SKIP: ${pg.skipped}`);
    return;
  }
  let hq;
  let site;
  const contexts = [];
  try {
    const database = pg.createDatabase("paform_e2e_hq");
    hq = await startHqServer({ root, binary, uiDir, database });
    site = await startServer({ root, binary, uiDir });
    log(`  HQ at ${hq.base}, site at ${site.base}`);
    const { token: adminToken } = JSON.parse(execFileSync(binary, ["hq", "token", "create", "--database", database, "--json"]).toString());
    assert(adminToken, "paform hq token create printed a token");
    await chainView({ browser, outDir, log, state, contexts, hq: hq.base, site: site.base, adminToken });
  } finally {
    for (const context of contexts) await context.close().catch(() => {});
    await site?.stop();
    await hq?.stop();
    await pg.stop();
  }
}

async function chainView({ browser, outDir, log, state, contexts, hq, site, adminToken }) {
  const siteApi = apiClient(site);
  const hqApi = hqClient(hq, adminToken);
  const hqContext = await browser.newContext({ viewport: { width: 1360, height: 960 } });
  const siteContext = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  contexts.push(hqContext, siteContext);
  const page = await hqContext.newPage();
  const sitePage = await siteContext.newPage();
  page.setDefaultTimeout(20_000);
  sitePage.setDefaultTimeout(20_000);
  const hqGuard = guard(page, hq);
  const siteGuard = guard(sitePage, site);
  // What a step may meet: HQ's 401s before signing in; the site's join calls go out from the site.
  let allowed = () => false;
  const judged = new Set();
  const step = async (name, body) => {
    const started = Date.now();
    try {
      await body();
    } catch (error) {
      await page.screenshot({ path: join(outDir, `failure-hq-${name.replace(/\W+/g, "-")}.png`), fullPage: true }).catch(() => {});
      await sitePage.screenshot({ path: join(outDir, `failure-hq-site-${name.replace(/\W+/g, "-")}.png`), fullPage: true }).catch(() => {});
      throw new Error(`${name}: ${error.message}`, { cause: error });
    }
    // Each step answers for what happened during it; the guards' lists only grow.
    const all = [...hqGuard.problems(), ...siteGuard.problems()];
    const unexpected = all.filter((problem) => !judged.has(problem) && !allowed(problem));
    for (const problem of all) judged.add(problem);
    if (unexpected.length) throw new Error(`${name}: ${unexpected.join("\n  ")}`);
    allowed = () => false;
    log(`  ✓ ${name} (${Date.now() - started} ms)`);
  };
  const shot = (name, target = page) => target.screenshot({ path: join(outDir, `${name}.png`), fullPage: false });
  const nav = page.getByRole("navigation", { name: "Main" });

  await step("HQ's / goes to the chain view and asks for the admin token", async () => {
    // Before signing in every HQ call answers 401 (and the browser logs each as a failed resource).
    allowed = (problem) => problem.startsWith("HTTP 401") || (problem.startsWith("console error: Failed to load resource") && problem.includes("401"));
    await page.goto(`${hq}/`);
    await page.waitForURL(`${hq}/chain/`);
    const dialog = page.getByRole("dialog", { name: "HQ sign-in" });
    await dialog.waitFor();
    await dialog.getByText("paform hq token create").waitFor();
    await dialog.getByLabel("HQ admin token").fill(adminToken);
    await Promise.all([page.waitForEvent("load"), dialog.getByRole("button", { name: "Sign in" }).click()]);
  });

  await step("signed in, the navigation offers only Chain and Catalog", async () => {
    await page.getByTestId("chain-audit").filter({ hasText: "every chain verifies" }).waitFor();
    const links = (await nav.getByRole("link").allTextContents()).map((text) => text.trim());
    assertEqual(JSON.stringify(links), JSON.stringify(["Chain", "Catalog"]), "HQ's navigation");
    await nav.getByRole("button", { name: "Sign out of HQ" }).waitFor();
    assertEqual(await page.getByRole("dialog").count(), 0, "no sign-in dialog once signed in");
  });

  let joinCode;
  await step("Add site shows the token once with the join code and its QR code", async () => {
    await page.getByRole("tab", { name: "Sites" }).click();
    await page.getByRole("button", { name: "Add site" }).click();
    const dialog = page.getByRole("dialog", { name: "Add site" });
    await dialog.getByLabel("Name").fill(SITE_NAME);
    await dialog.getByLabel("Order number prefix").fill("LDS");
    await dialog.getByRole("button", { name: "Add site" }).click();
    const added = page.getByRole("dialog", { name: `${SITE_NAME} added` });
    joinCode = (await added.getByTestId("join-code").textContent()).trim();
    const parsed = JSON.parse(joinCode);
    assertEqual(parsed.hq, hq, "the join code names HQ as the browser sees it");
    assert(parsed.token.startsWith("pfn_"), "the join code carries the node token");
    assertEqual((await added.getByTestId("new-site-token").textContent()).trim(), parsed.token, "the token shown is the join code's");
    await added.getByRole("img", { name: /^QR code for / }).waitFor();
    await shot("hq-sites-join-code");
    await added.getByRole("button", { name: "Done" }).click();
    const row = page.getByTestId("chain-site").filter({ hasText: SITE_NAME });
    await row.getByTestId("site-sync").filter({ hasText: "Never synced" }).waitFor();
  });

  await step("the site joins with the join code in Settings → Chain", async () => {
    // A running site joins with its own order-number prefix, which must be the one HQ gave the
    // node (HQ answers 409 otherwise), so the site numbers its orders LDS- first.
    const settings = await siteApi.get("/api/settings");
    await siteApi.put("/api/settings", { ...settings, order_number_prefix: "LDS-" });
    await sitePage.goto(`${site}/settings/`);
    const section = sitePage.locator("section", { has: sitePage.getByRole("heading", { name: "Chain", exact: true }) });
    await section.getByRole("button", { name: "Scan HQ's code" }).waitFor();
    await section.getByLabel("Join code").fill(joinCode);
    assertEqual(await section.getByLabel("HQ address").inputValue(), hq, "the join code filled HQ's address");
    await section.getByRole("button", { name: "Join HQ" }).click();
    await section.getByRole("status").filter({ hasText: `Joined as ${SITE_NAME}.` }).waitFor();
    await shot("hq-site-joined", sitePage);
    const status = await siteApi.get("/api/sync/status");
    assertEqual(status.role, "showroom", "the site's role comes from HQ");
    assertEqual(status.node_name, SITE_NAME, "the site's name comes from HQ");
  });

  let order;
  await step("an order made on the site reaches HQ on sync", async () => {
    const [module] = await pickModules(siteApi);
    const quote = await siteApi.post("/api/quote/generate", { items: [{ module_id: module.id, quantity: 2 }] });
    order = await siteApi.post(`/api/quotes/${encodeURIComponent(quote.id)}/accept`, {
      buyer: { name: "Chain Buyer", email: "chain@example.com" },
      actor: { id: "e2e", name: "E2E Seller", role: "sales" },
    });
    assert(order.number.startsWith("LDS-"), `the order is numbered with the site's prefix (${order.number})`);
    // A second link in the contract chain: the order moves on to payment.
    order = await siteApi.post(`/api/orders/${encodeURIComponent(order.id)}/transitions`, {
      to: "pending_payment",
      actor: { id: "e2e", name: "E2E Seller", role: "sales" },
      note: "deposit requested",
    });
    const synced = await siteApi.post("/api/sync/now", {});
    assertEqual(synced.pending_events, 0, "nothing waits after sync now");
    const orders = await hqApi.get(`/api/orders?q=${encodeURIComponent(order.number)}`);
    assertEqual(orders.orders.length, 1, "HQ holds the order");
  });

  await step("HQ lists the order under the site's name and the site as synced", async () => {
    await page.getByRole("tab", { name: "Sites" }).click();
    await page.reload();
    await page.getByRole("tab", { name: "Sites" }).click();
    await page.getByTestId("chain-site").filter({ hasText: SITE_NAME }).getByTestId("site-sync").filter({ hasText: /^Synced · / }).waitFor();
    await page.getByRole("tab", { name: "Orders" }).click();
    const row = page.getByTestId("chain-order").filter({ hasText: order.number });
    await row.waitFor();
    await row.getByText(SITE_NAME).waitFor();
    await row.getByText("Chain Buyer").waitFor();
    await row.getByText("Pending payment").waitFor();
    await page.getByRole("tabpanel", { name: "Orders" }).getByLabel("Site", { exact: true }).selectOption({ label: SITE_NAME });
    await row.waitFor();
    await shot("hq-chain-orders");
  });

  await step("the order's page at HQ shows its lines and its contract chain", async () => {
    await page.getByTestId("chain-order").filter({ hasText: order.number }).getByRole("link", { name: order.number }).click();
    await page.waitForURL(/\/chain\/order\/\?id=/);
    await page.getByRole("heading", { name: `Order ${order.number}` }).waitFor();
    const contract = page.getByTestId("chain-contract");
    await contract.getByTestId("chain-event").filter({ hasText: "Order created" }).waitFor();
    await contract.getByTestId("chain-event").filter({ hasText: "deposit requested" }).waitFor();
    await contract.getByTestId("chain-event").first().getByText(SITE_NAME).waitFor();
    const events = await hqApi.get(`/api/orders/${encodeURIComponent(order.id)}/events`);
    const contractEvents = events.events.filter((event) => event.chain === "contract");
    assertEqual(await contract.getByTestId("chain-event").count(), contractEvents.length, "every contract event is shown");
    const lines = await page.getByRole("table", { name: "Line items" }).getByRole("row").count();
    assertEqual(lines, order.line_items.length + 2, "header, each line and the total");
    await shot("hq-order-detail");
    state.hq = { order: order.number, contractEvents: contractEvents.length };
  });

  await step("axe finds nothing serious on the chain view and the order's page", async () => {
    const found = [];
    const check = async (where) => {
      for (const violation of await axe(page)) {
        if (violation.impact === "serious" || violation.impact === "critical") found.push(`${where}: ${violation.id} (${violation.help}) ${violation.nodes.join("; ")}`);
      }
    };
    await check("order page");
    await page.goto(`${hq}/chain/`);
    await page.getByTestId("chain-order").first().waitFor();
    await check("chain orders");
    await page.getByRole("tab", { name: "Sites" }).click();
    await page.getByTestId("chain-site").first().waitFor();
    await check("chain sites");
    await page.getByRole("tab", { name: "Quarantine" }).click();
    await page.getByText("Nothing in quarantine").waitFor();
    await check("quarantine");
    assert(found.length === 0, `serious or critical violations:\n  ${found.join("\n  ")}`);
  });

  await catalogAtHq({ step, page, hq, hqApi, siteApi, shot, log, state });
}

/** HQ's catalog screen edits the chain's catalog; a site pulls it on sync. */
async function catalogAtHq({ step, page, hq, hqApi, siteApi, shot, log, state }) {
  await step("a price edited in HQ's catalog reaches the site on sync", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Catalog" }).click();
    await page.getByRole("tab", { name: "Materials" }).click();
    const materials = await hqApi.get("/api/materials?limit=200");
    const material = materials.items[0];
    const price = (Number.parseInt(material.cost_per_sq_ft, 10) + 7).toString() + ".25";
    await page.getByRole("button", { name: `Edit ${material.name}` }).click();
    const dialog = page.getByRole("dialog", { name: `Edit ${material.name}` });
    await dialog.getByLabel("Cost per sq ft").fill(price);
    await dialog.getByRole("button", { name: "Save", exact: true }).click();
    await dialog.waitFor({ state: "hidden" });
    const atHq = await hqApi.get(`/api/materials/${encodeURIComponent(material.id)}`);
    assertEqual(atHq.cost_per_sq_ft, price, "HQ stored the new price");
    await siteApi.post("/api/sync/now", {});
    const atSite = await siteApi.get(`/api/materials/${encodeURIComponent(material.id)}`);
    assertEqual(atSite.cost_per_sq_ft, price, "the site pulled the new price");
    await shot("hq-catalog");
    // HQ stores no model files yet: the module editor says so instead of offering the upload.
    await page.getByRole("tab", { name: "Modules" }).click();
    await page.getByRole("button", { name: /^Edit / }).first().click();
    const moduleDialog = page.getByRole("dialog", { name: /^Edit / });
    await moduleDialog.getByTestId("hq-no-model-upload").waitFor();
    assertEqual(await moduleDialog.getByText("Upload GLB…").count(), 0, "no GLB upload at HQ");
    await moduleDialog.getByRole("button", { name: "Cancel" }).click();
    state.hqCatalog = { material: material.name, price };
  });
}

function hqClient(base, token) {
  return {
    token,
    async get(path) {
      const response = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
      const text = await response.text();
      if (!response.ok) throw new Error(`GET ${path} at HQ → ${response.status}: ${text}`);
      return JSON.parse(text);
    },
  };
}
