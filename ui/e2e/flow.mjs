// The showroom flow in a real browser against the real server:
// configurator (three modules, 3D canvas, live quote = API quote, the first module's material
// priced by the sheet and its boards listed) → order with a buyer (its
// number on the page and found by the orders search) → a change order (quantity of line 1 → 2,
// priced, confirmed) → pending payment → deposit requested and captured → design review (request, version, asset
// upload and download, approval) → production ready → CNC export with the nesting preview.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { guard } from "./browser.mjs";
import { apiClient, assert, assertEqual, fromCents, moneyDigits, toCents } from "./api.mjs";

const WANTED_MODULES = ["Kitchen Base 600", "Kitchen Sink Base 800", "Kitchen Wall 600"];
const BUYER = { name: "Ada Lovelace", email: "ada@example.test", phone: "+1 555 0100" };

/** Picks three modules of the server's catalog: the wanted ones when seeded, else the first three. */
export async function pickModules(api) {
  const page = await api.get("/api/modules?limit=200");
  const byName = new Map(page.items.map((module) => [module.name, module]));
  const picked = WANTED_MODULES.every((name) => byName.has(name))
    ? WANTED_MODULES.map((name) => byName.get(name))
    : page.items.slice(0, 3);
  assert(picked.length === 3, `the catalog needs at least three modules (has ${page.items.length})`);
  return picked;
}

/** Resolves once the live quote is current (not stale, not loading) with `lines` lines. */
export async function waitForFreshQuote(page, lines) {
  const handle = await page.waitForFunction(
    (expected) => {
      const breakdown = document.querySelector('[data-testid="quote-breakdown"]');
      if (!breakdown || breakdown.getAttribute("aria-busy") !== "false") return false;
      if (breakdown.querySelectorAll("tbody tr").length !== expected) return false;
      const total = breakdown.querySelector('[data-testid="quote-total"]');
      return total && total.textContent ? { total: total.textContent, at: performance.now() } : false;
    },
    lines,
    { polling: "raf" },
  );
  return handle.jsonValue();
}

/** Counts what the WebGL canvas drew (preserveDrawingBuffer is on), inside the page. */
export async function waitForPaintedCanvas(page) {
  const handle = await page.waitForFunction(
    () => {
      const canvas = document.querySelector('[data-testid="viewer3d"] canvas');
      if (!canvas || !canvas.width || !canvas.height) return false;
      const probe = document.createElement("canvas");
      probe.width = 240;
      probe.height = Math.max(1, Math.round((240 * canvas.height) / canvas.width));
      const context = probe.getContext("2d", { willReadFrequently: true });
      context.drawImage(canvas, 0, 0, probe.width, probe.height);
      const data = context.getImageData(0, 0, probe.width, probe.height).data;
      const colours = new Set();
      let background = 0;
      let dark = 0;
      const pixels = data.length / 4;
      for (let index = 0; index < data.length; index += 4) {
        const [r, g, b] = [data[index], data[index + 1], data[index + 2]];
        colours.add((r << 16) | (g << 8) | b);
        // #eef1ef is the scene's clear colour; dark pixels only come from module edges,
        // dark materials and shadows (the room itself is light).
        if (Math.abs(r - 0xee) + Math.abs(g - 0xf1) + Math.abs(b - 0xef) < 6) background += 1;
        if (0.2126 * r + 0.7152 * g + 0.0722 * b < 110) dark += 1;
      }
      const result = { colours: colours.size, background: background / pixels, dark: dark / pixels, width: canvas.width, height: canvas.height };
      return result.colours >= 48 && result.background < 0.98 && result.dark > 0.002 ? result : false;
    },
    null,
    { polling: "raf" },
  );
  return handle.jsonValue();
}

export async function runFlow({ browser, base, outDir, log, state }) {
  const api = apiClient(base);
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const guards = guard(page, base);
  const shot = (name, target = page) => target.screenshot({ path: join(outDir, `${name}.png`), fullPage: target === page });
  const openapi = await api.get("/api/openapi.json");
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

  const quoteRequests = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/api/quote/generate") {
      quoteRequests.push(JSON.parse(request.postData() ?? "{}"));
    }
  });

  const modules = await pickModules(api);
  const items = modules.map((module) => ({ module_id: module.id, quantity: 1 }));
  // SPEC §17: the first module's material is priced by the boards its nest takes.
  const bySheet = modules[0].material_id;
  const stock = await api.get(`/api/materials/${bySheet}/stock`);
  await api.put(`/api/materials/${bySheet}/stock`, {
    ...stock,
    sheets: stock.sheets.map((sheet) => ({ ...sheet, cost: "58.00" })),
    pricing: { mode: "by_sheet", saw_cut_per_m: "0.45", edge_banding_per_m: "0.90" },
  });

  await step("configurator: add three modules", async () => {
    await page.goto(`${base}/`);
    await page.getByRole("button", { name: `Add ${modules[0].name}`, exact: true }).waitFor();
    const placed = page.getByRole("list", { name: "Placed modules, left to right" }).getByRole("listitem");
    for (const [index, module] of modules.entries()) {
      await page.getByRole("button", { name: `Add ${module.name}`, exact: true }).click();
      await placed.nth(index).waitFor();
    }
    assertEqual(await placed.count(), 3, "placed modules");
  });

  await step("3D canvas renders", async () => {
    const painted = await waitForPaintedCanvas(page);
    state.canvas = painted;
    await shot("01-configurator-canvas", page.getByTestId("viewer3d"));
    log(`    canvas ${painted.width}×${painted.height}: ${painted.colours} colours, ${(painted.dark * 100).toFixed(1)}% dark, ${(painted.background * 100).toFixed(1)}% background`);
  });

  await step("3D shows fronts and one worktop", async () => {
    // The scene graph (window.__paformScene, exposed under WebDriver only) and the pixels where
    // it says a front and the worktop are: not the background, and the worktop in its warm oak.
    await page.waitForFunction(() => window.__paformScene?.modules === 3);
    const scene = await page.evaluate(() => {
      const probe = window.__paformScene;
      const canvas = document.querySelector('[data-testid="viewer3d"] canvas');
      const points = probe.samplePoints();
      const copy = document.createElement("canvas");
      copy.width = canvas.width;
      copy.height = canvas.height;
      const context = copy.getContext("2d", { willReadFrequently: true });
      context.drawImage(canvas, 0, 0);
      const scale = canvas.width / canvas.clientWidth;
      const pixel = (point) => (point ? [...context.getImageData(Math.round(point[0] * scale), Math.round(point[1] * scale), 1, 1).data.slice(0, 3)] : null);
      return { fronts: probe.fronts, worktops: probe.worktops, drawCalls: probe.drawCalls, worktop: pixel(points.worktop), front: pixel(points.front) };
    });
    // A module with a GLB shows the model's own fronts; the built ones are the others'.
    const expectedFronts = modules
      .filter((module) => !module.assembly_attributes?.glb_url)
      .reduce((sum, module) => sum + Math.max(0, Number(module.assembly_attributes?.doors ?? 0)) + Math.max(0, Number(module.assembly_attributes?.drawers ?? 0)), 0);
    assertEqual(scene.fronts, expectedFronts, "fronts drawn (doors + drawers of the placed modules)");
    assertEqual(scene.worktops, 1, "one continuous worktop over the base units");
    const background = (rgb) => Math.abs(rgb[0] - 0xee) + Math.abs(rgb[1] - 0xf1) + Math.abs(rgb[2] - 0xef) < 6;
    assert(scene.front && !background(scene.front), `a front is painted where the scene puts it (pixel ${scene.front})`);
    assert(scene.worktop && scene.worktop[0] - scene.worktop[2] > 20, `the worktop is painted in warm oak (pixel ${scene.worktop})`);
    state.scene3d = scene;
    log(`    ${scene.fronts} fronts, ${scene.worktops} worktop, ${scene.drawCalls} draw calls; front pixel ${scene.front}, worktop pixel ${scene.worktop}`);
  });

  let quote;
  await step("quote on screen equals the API's", async () => {
    const shown = await waitForFreshQuote(page, 3);
    quote = await api.post("/api/quote/generate", { items });
    assertEqual(moneyDigits(shown.total), quote.total, "quote total on screen vs POST /api/quote/generate");
    const last = quoteRequests.at(-1);
    assertEqual(JSON.stringify(last?.items), JSON.stringify(items), "items the UI quoted");
    const subtotal = quote.lines.reduce((sum, line) => sum + toCents(line.line_total), 0n);
    assertEqual(fromCents(subtotal), quote.subtotal, "API subtotal = Σ line totals");
    await shot("02-configurator-quote");
    log(`    total ${shown.total} = API ${quote.total} ${quote.currency}`);
  });

  await step("the quote lists its boards and the by-sheet charge", async () => {
    const boards = page.getByTestId("quote-boards");
    for (const material of quote.boards) {
      const count = material.boards.reduce((sum, board) => sum + board.count, 0);
      const heading = `${material.material_name}: ${count} board${count === 1 ? "" : "s"}, ${Math.round(material.yield_ratio * 100)} % yield`;
      await boards.getByText(heading).waitFor();
    }
    const priced = quote.boards.find((material) => material.material_id === bySheet);
    assert(priced?.pricing === "by_sheet" && priced.charges, `the by-sheet material has charges: ${JSON.stringify(priced)}`);
    await boards.getByText(`Edge banding, ${priced.edge_banding_m} m at 0.90/m`).waitFor();
    const sheets = priced.boards.filter((board) => !board.offcut_code).reduce((sum, board) => sum + toCents(board.unit_cost) * BigInt(board.count), 0n);
    assertEqual(fromCents(sheets), priced.charges.sheets, "sheets charge = Σ count × board cost");
    await shot("02b-quote-boards", page.getByRole("region", { name: "Quote" }));
    log(`    ${quote.boards.length} materials; ${priced.material_name}: board charge ${priced.charges.total}`);
  });

  let orderId;
  let orderNumber;
  let orderTotal;
  await step("accept the quote into an order with a buyer", async () => {
    await page.getByRole("button", { name: "Create order" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Buyer name").fill(BUYER.name);
    await dialog.getByLabel("Email").fill(BUYER.email);
    await dialog.getByLabel("Phone").fill(BUYER.phone);
    const [accepted] = await Promise.all([
      page.waitForResponse((response) => /\/api\/quotes\/[^/]+\/accept$/.test(new URL(response.url()).pathname)),
      dialog.getByRole("button", { name: "Create order" }).click(),
    ]);
    assertEqual(accepted.status(), 201, "accept status");
    await page.waitForURL(/\/orders\/view\/\?id=/);
    orderId = new URL(page.url()).searchParams.get("id");
    state.orderId = orderId;
    await page.getByTestId("step-draft").and(page.locator('[data-state="current"]')).waitFor();
    const order = await api.get(`/api/orders/${orderId}`);
    assertEqual(order.status, "draft", "order status");
    assertEqual(order.total, quote.total, "order total = quote total");
    assertEqual(order.buyer.name, BUYER.name, "buyer");
    assertEqual(order.line_items.length, 3, "line items");
    assert(/^[A-Z0-9-]{1,10}\d{6}$/.test(order.number), `order number ${order.number}`);
    orderNumber = order.number;
    orderTotal = order.total;
    state.orderNumber = orderNumber;
    await page.getByRole("heading", { level: 1, name: `Order ${orderNumber}` }).waitFor();
    await page.getByTestId("order-created").getByText(orderNumber).waitFor();
    await page.getByText(BUYER.email, { exact: false }).first().waitFor();
    // Every line shows the dimensions frozen into it.
    const first = order.line_items[0];
    if (first.production) {
      const { width, height, depth } = first.production.dimensions;
      await page.getByTestId("line-1").getByTestId("line-dimensions").getByText(`${width} × ${height} × ${depth} mm`).waitFor();
    }
  });

  await step("the orders list finds the order by its number", async () => {
    await page.goto(`${base}/orders/`);
    const digits = orderNumber.replace(/^\D*0*/, "");
    const [searched] = await Promise.all([
      page.waitForResponse((response) => {
        const url = new URL(response.url());
        return url.pathname === "/api/orders" && url.searchParams.get("q") === digits;
      }),
      page.getByLabel("Search").fill(digits),
    ]);
    assertEqual(searched.status(), 200, "search status");
    const found = await searched.json();
    assert(found.items.some((item) => item.id === orderId), `searching "${digits}" finds ${orderNumber}`);
    const link = page.getByRole("link", { name: orderNumber, exact: true });
    await link.waitFor();
    await link.click();
    await page.waitForURL(/\/orders\/view\/\?id=/);
    await page.getByRole("heading", { level: 1, name: `Order ${orderNumber}` }).waitFor();
  });

  await step("change order: quantity of line 1 → 2, priced, confirmed", async () => {
    const before = await api.get(`/api/orders/${orderId}`);
    const changes = page.locator('section[aria-labelledby="changes-heading"]');
    await changes.getByRole("button", { name: "Change order" }).click();
    const builder = changes.getByTestId("change-builder");
    await builder.getByLabel("Action", { exact: true }).selectOption("set_quantity");
    await builder.getByLabel("Line", { exact: true }).selectOption(before.line_items[0].id);
    await builder.getByLabel("Quantity", { exact: true }).fill("2");
    await builder.getByRole("button", { name: "Add action" }).click();
    const [requested] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith(`/api/orders/${orderId}/changes`) && response.request().method() === "POST"),
      builder.getByRole("button", { name: "Request change" }).click(),
    ]);
    assertEqual(requested.status(), 201, "change requested");
    const change = await requested.json();
    assertEqual(change.status, "requested", "change status");
    assertEqual(change.totals_before.total, before.total, "totals before = the order's");
    assertEqual(change.price_delta, fromCents(toCents(change.totals_after.total) - toCents(change.totals_before.total)), "price delta = after − before");
    assert(toCents(change.price_delta) > 0n, "one more module costs more");
    const delta = changes.getByTestId("price-delta");
    await delta.waitFor();
    assertEqual(moneyDigits(await delta.textContent()), change.price_delta, "price delta on screen");
    await changes.locator('[data-testid="diff-line"][data-kind="changed"]').first().waitFor();
    await shot("03a-order-change-requested");

    const [confirmed] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith(`/api/order-changes/${change.id}/confirm`)),
      changes.getByRole("button", { name: "Confirm change" }).click(),
    ]);
    assertEqual(confirmed.status(), 200, "change confirmed");
    const after = await api.get(`/api/orders/${orderId}`);
    assertEqual(after.total, change.totals_after.total, "order total after the change");
    assertEqual(after.line_items[0].quantity, 2, "quantity of line 1");
    assertEqual(after.version, before.version + 1, "order version");
    await page.waitForFunction(
      (expected) => {
        const total = document.querySelector('[data-testid="order-total"]');
        return total?.textContent?.replace(/[^\d.-]/g, "") === expected;
      },
      after.total,
      { polling: "raf" },
    );
    await changes.getByTestId("past-change").getByTestId("change-status").filter({ hasText: "confirmed" }).waitFor();
    await page.getByTestId("step-draft").getByText("Change confirmed").waitFor();
    orderTotal = after.total;
    log(`    ${orderNumber}: ${before.total} → ${after.total} (${change.price_delta})`);
  });

  const transition = async (label, to) => {
    const [response] = await Promise.all([
      page.waitForResponse((candidate) => candidate.url().endsWith(`/api/orders/${orderId}/transitions`)),
      page.getByRole("button", { name: `Move to ${label}` }).click(),
    ]);
    assertEqual(response.status(), 200, `transition to ${to}`);
    await page.locator(`[data-testid="step-${to}"][data-state="current"]`).waitFor();
  };

  await step("draft → pending payment", () => transition("Pending payment", "pending_payment"));

  const payments = page.locator('section[aria-labelledby="payments-heading"]');
  await step("record a deposit and capture it", async () => {
    const deposit = toCents(orderTotal) >= 10_000n ? "100.00" : orderTotal;
    await payments.getByLabel("Kind").selectOption("deposit");
    await payments.getByLabel(`Amount (${quote.currency})`).fill(deposit);
    const [created] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith(`/api/orders/${orderId}/payments`) && response.request().method() === "POST"),
      payments.getByRole("button", { name: "Request", exact: true }).click(),
    ]);
    assertEqual(created.status(), 201, "payment created");
    const payment = await created.json();
    const status = payments.getByTestId("payment-status");
    await status.filter({ hasText: "pending" }).waitFor();

    await payments.getByLabel("Record").selectOption("capture");
    await payments.getByLabel("Gateway reference").fill("e2e-capture-1");
    const [captured] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith(`/api/payments/${payment.id}/transactions`)),
      payments.getByRole("button", { name: "Add", exact: true }).click(),
    ]);
    assertEqual(captured.status(), 201, "transaction recorded");
    const transaction = await captured.json();
    assertEqual(`${transaction.type}/${transaction.status}/${transaction.amount}`, `capture/succeeded/${deposit}`, "returned transaction");
    await status.filter({ hasText: "captured" }).waitFor();
    await payments.getByText("e2e-capture-1").waitFor();
    const order = await api.get(`/api/orders/${orderId}`);
    assertEqual(order.amount_paid, deposit, "amount paid");
    assertEqual(order.balance_due, fromCents(toCents(orderTotal) - toCents(deposit)), "balance due");
    const paidFigure = payments.getByText("Amount paid").locator("..");
    await paidFigure.getByText(new RegExp(deposit.replace(".", "\\."))).waitFor();
  });

  await step("pending payment → design review", () => transition("Design review", "design_review"));

  const design = page.locator('section[aria-labelledby="design-requests-heading"]');
  await step("design request: version, asset upload and download, approval", async () => {
    await design.getByLabel("New request").fill("Handle-less fronts, push-to-open");
    await Promise.all([
      page.waitForResponse((response) => response.url().endsWith(`/api/orders/${orderId}/design-requests`) && response.request().method() === "POST"),
      design.getByRole("button", { name: "Add request" }).click(),
    ]);
    await design.getByText("Handle-less fronts, push-to-open").waitFor();
    await design.getByLabel("New version notes").fill("First drawing");
    await Promise.all([
      page.waitForResponse((response) => /\/api\/design-requests\/[^/]+\/versions$/.test(response.url())),
      design.getByRole("button", { name: "Add version" }).click(),
    ]);
    await design.getByText("v1").waitFor();

    const pdf = Buffer.from("%PDF-1.4\n% paform e2e drawing\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
    const [uploaded] = await Promise.all([
      page.waitForResponse((response) => /\/api\/design-versions\/[^/]+\/assets\?/.test(response.url())),
      design.locator('input[type="file"]').setInputFiles({ name: "drawing.pdf", mimeType: "application/pdf", buffer: pdf }),
    ]);
    assertEqual(uploaded.status(), 201, "asset upload");
    const asset = await uploaded.json();
    assertEqual(`${asset.kind} ${asset.filename} ${asset.size}`, `pdf drawing.pdf ${pdf.length}`, "uploaded asset");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      design.getByRole("button", { name: "drawing.pdf" }).click(),
    ]);
    assertEqual(download.suggestedFilename(), "drawing.pdf", "downloaded file name");
    const bytes = readFileSync(await download.path());
    assert(bytes.equals(pdf), "downloaded bytes equal the uploaded ones");

    await Promise.all([
      page.waitForResponse((response) => /\/api\/design-versions\/[^/]+\/approve$/.test(response.url())),
      design.getByRole("button", { name: "Approve" }).click(),
    ]);
    await design.getByText("approved").first().waitFor();
    const [request] = await api.get(`/api/orders/${orderId}/design-requests`);
    assert(request.approved && request.versions[0].approved, "design request approved on the server");
  });

  await step("design review → production ready (jobs queued)", async () => {
    await transition("Production ready", "production_ready");
    const events = await api.get(`/api/orders/${orderId}/events`);
    const moves = events.filter((event) => event.kind === "status_changed");
    assertEqual(moves.map((event) => `${event.data.from}→${event.data.to}`).join(" "), "draft→pending_payment pending_payment→design_review design_review→production_ready", "audit trail");
    assert(events.some((event) => event.kind === "change_confirmed"), "the confirmed change is in the audit trail");
    assert(events.every((event, index) => index === 0 || event.prev_hash === events[index - 1].hash), "events are hash-chained");
    // Every reached step shows who moved the order there.
    for (const to of ["pending_payment", "design_review", "production_ready"]) {
      await page.getByTestId(`step-${to}`).getByText(moves[0].actor.name).first().waitFor();
    }
    const audit = await api.get(`/api/audit/verify?order_id=${encodeURIComponent(orderId)}`);
    assert(audit.ok && audit.broken.length === 0, "the server verifies the order's chain");
    await page.getByTestId("audit-status").getByText("Audit trail verified ✓").waitFor();
    const jobs = await api.get("/api/jobs?status=pending&limit=200");
    const kinds = jobs.items.filter((job) => job.order_id === orderId).map((job) => job.kind).sort();
    assertEqual(kinds.join(","), "logistics,manufacturing", "jobs enqueued for the order");
    await shot("03-order-production-ready");
  });

  const hasExport = Boolean(openapi.paths?.["/api/v1/exports/cnc"]);
  const hasNest = Boolean(openapi.paths?.["/api/v1/cnc/nest"]);
  state.cnc = { export: hasExport, nest: hasNest };
  if (hasExport) {
    await step("CNC export with nesting preview", async () => {
      await page.goto(`${base}/cnc/`);
      const source = page.getByLabel("Source");
      await source.locator(`option[value="${orderId}"]`).waitFor({ state: "attached" });
      await source.selectOption(orderId);
      const [exported] = await Promise.all([
        page.waitForResponse((response) => response.url().endsWith("/api/v1/exports/cnc")),
        page.getByRole("button", { name: "Export cut list" }).click(),
      ]);
      assertEqual(exported.status(), 201, "export status");
      const result = await exported.json();
      const preview = page.getByTestId("nesting-preview");
      await preview.waitFor();
      const images = await page.waitForFunction(
        () => {
          const all = [...document.querySelectorAll('[data-testid="nesting-preview"] img')];
          return all.length > 0 && all.every((image) => image.complete && image.naturalWidth > 0) ? all.length : false;
        },
        null,
        { polling: "raf" },
      );
      const svgCount = result.artifacts.filter((artifact) => artifact.kind === "nesting_svg").length;
      assertEqual(await images.jsonValue(), svgCount, "nesting previews shown (one per material)");
      const rows = await page.getByRole("region", { name: "Panel list" }).locator("tbody tr").count();
      assert(rows > 0, "the cut list has panel rows");
      await page.getByTestId("stat-panels").getByText(String(result.summary.panels), { exact: true }).waitFor();
      await page.getByTestId("stat-sheets").getByText(String(result.summary.sheets), { exact: true }).waitFor();
      for (const artifact of result.artifacts) {
        await page.getByRole("button", { name: `Download ${artifact.key.split("/").pop()}` }).waitFor();
      }
      await preview.scrollIntoViewIfNeeded();
      await shot("04-cnc-export");
      log(`    ${result.summary.panels} panels on ${result.summary.sheets} sheets, utilization ${(result.summary.utilization * 100).toFixed(1)}%, ${rows} cut-list rows, ${svgCount} nesting SVG(s)`);
    });
    await step("confirm the export as cut, print the offcuts' labels", async () => {
      const [cut] = await Promise.all([
        page.waitForResponse((response) => response.url().endsWith("/cut")),
        page.getByRole("button", { name: "Confirm as cut" }).click(),
      ]);
      assertEqual(cut.status(), 200, "cut confirmation status");
      const confirmation = await cut.json();
      assert(confirmation.offcuts.length > 0, "the cut leaves offcuts");
      const list = page.getByTestId("offcut-list");
      for (const offcut of confirmation.offcuts) await list.getByText(offcut.code, { exact: true }).waitFor();
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Print offcut labels" }).click(),
      ]);
      const bytes = readFileSync(await download.path());
      assertEqual(bytes.subarray(0, 5).toString(), "%PDF-", "offcut labels PDF header");
      log(`    ${confirmation.offcuts.length} offcuts; labels PDF ${bytes.length} bytes`);
    });
  } else {
    log("  - CNC export skipped: /api/v1/exports/cnc is not in /api/openapi.json yet");
  }
  if (hasNest) {
    await step("CNC nesting sandbox", async () => {
      if (!page.url().includes("/cnc/")) await page.goto(`${base}/cnc/`);
      const [nested] = await Promise.all([
        page.waitForResponse((response) => response.url().endsWith("/api/v1/cnc/nest")),
        page.getByRole("button", { name: "Nest parts" }).click(),
      ]);
      assertEqual(nested.status(), 200, "nest status");
      const result = await nested.json();
      await page.getByRole("img", { name: /^Sheet 1 with \d+ parts$/ }).waitFor();
      assertEqual(await page.getByRole("img", { name: /^Sheet \d+ with \d+ parts$/ }).count(), result.sheets.length, "sheets drawn");
      await shot("05-cnc-sandbox");
    });
  } else {
    log("  - CNC nesting sandbox skipped: /api/v1/cnc/nest is not in /api/openapi.json yet");
  }

  state.foreignRequests = guards.foreignRequests();
  await context.close();
}
