// The shop floor (SPEC §12) in the browser: an order is opened in one tab, a part is marked
// at a station from the floor page in another by its typed code, and the order page shows the
// new progress from the live event stream without being reloaded.
import { join } from "node:path";
import { apiClient, assert, assertEqual } from "./api.mjs";
import { pickModules } from "./flow.mjs";

export async function runFloor({ browser, base, outDir, log, state }) {
  const api = apiClient(base);
  const modules = await pickModules(api);
  const quote = await api.post("/api/quote/generate", { items: [{ module_id: modules[0].id, quantity: 1 }] });
  const order = await api.post(`/api/quotes/${encodeURIComponent(quote.id)}/accept`, {
    buyer: { name: "Floor Test", email: "floor@example.com" },
    actor: { id: "e2e", name: "E2E", role: "sales" },
  });
  const production = await api.get(`/api/orders/${encodeURIComponent(order.id)}/production`);
  const code = production.parts[0].code;

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const office = await context.newPage();
  const tablet = await context.newPage();
  office.setDefaultTimeout(15_000);
  tablet.setDefaultTimeout(15_000);
  const started = Date.now();
  try {
    // The event stream answers with its headers at once; waiting for them means the page is
    // subscribed before the write it should hear about.
    const streaming = office.waitForResponse((response) => new URL(response.url()).pathname === "/api/events");
    await office.goto(`${base}/orders/view/?id=${encodeURIComponent(order.id)}`);
    assertEqual((await streaming).status(), 200, "event stream status");
    await office.getByTestId("production-percentage").getByText("0 %").waitFor();
    // Set on the page itself: still there afterwards means the page was not reloaded.
    await office.evaluate(() => {
      window.__notReloaded = true;
    });

    await tablet.goto(`${base}/floor/`);
    await tablet.getByTestId("part-code").fill(code);
    const [scanned] = await Promise.all([
      tablet.waitForResponse((response) => response.url().includes(`/api/parts/${encodeURIComponent(code)}/scan`)),
      tablet.getByTestId("station-cut").click(),
    ]);
    assertEqual(scanned.status(), 200, "scan status");
    // SPEC §17: the floor page names its operator with §5's actor object, not a plain string.
    const sent = scanned.request().postDataJSON();
    assert(sent.actor && typeof sent.actor === "object" && sent.actor.id && sent.actor.name && sent.actor.role, `the scan's actor is an object: ${JSON.stringify(sent.actor)}`);
    const recorded = (await scanned.json()).stations[0];
    assertEqual(recorded.operator?.id, sent.actor.id, "the recorded operator");
    await tablet.getByTestId("scan-result").getByText(code).waitFor();

    const expected = `${Math.floor(100 / (4 * production.parts.length))} %`;
    const seenAt = Date.now();
    await office.getByTestId(`part-${code}`).getByText("cut ✓").waitFor();
    await office.getByTestId("production-percentage").getByText(expected).waitFor();
    const latency = Date.now() - seenAt;
    assert(await office.evaluate(() => window.__notReloaded === true), "the order page updated without a reload");
    await office.screenshot({ path: join(outDir, "06-floor-order-live.png"), fullPage: true });
    await tablet.screenshot({ path: join(outDir, "07-floor-tablet.png"), fullPage: true });
    // SPEC §17: an 800-px-wide portrait tablet gets the navigation as a bar across the top
    // and station buttons whose labels fit.
    const portrait = await browser.newContext({ viewport: { width: 800, height: 1280 } });
    try {
      const page = await portrait.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${base}/floor/`);
      await page.getByTestId("station-assemble").waitFor();
      const nav = await page.getByRole("navigation", { name: "Main" }).boundingBox();
      assert(nav && nav.width >= 780, `the navigation spans the page (${nav?.width} px wide)`);
      for (const station of ["cut", "edge", "drill", "assemble"]) {
        const fits = await page.getByTestId(`station-${station}`).evaluate((button) => button.scrollWidth <= button.clientWidth);
        assert(fits, `the ${station} button's label is not clipped`);
      }
      await page.screenshot({ path: join(outDir, "08-floor-portrait-tablet.png"), fullPage: true });
    } finally {
      await portrait.close();
    }
    state.floor = { code, percentage: expected, updateMs: latency };
    log(`  ✓ floor: ${code} cut on the tablet, order page shows ${expected} live (${Date.now() - started} ms)`);
  } finally {
    await context.close();
  }
}
