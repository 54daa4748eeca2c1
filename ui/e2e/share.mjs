//! The customer's phone (SPEC §17) in a real browser. The sales screen makes a share link for a
//! saved design (the test server listens on loopback, so the screen says no phone could open
//! it, instead of showing a QR code); a phone-sized, touch, mobile viewport (390 × 844) opens
//! `/share/?token=…` with no device token and draws the design in the configurator's 3D view,
//! "View in your room" gets a GLB blob made from that scene (model-viewer loads it), and no
//! request leaves the server's origin; on Android (its user agent) model-viewer gets the GLB the
//! sales screen stored with the share instead, as Scene Viewer cannot read a blob. A forged
//! link says why it does not open.
import { join } from "node:path";
import { guard } from "./browser.mjs";
import { apiClient, assert, assertEqual } from "./api.mjs";
import { pickModules, waitForPaintedCanvas } from "./flow.mjs";

export async function runShare({ browser, base, outDir, log, state }) {
  const api = apiClient(base);
  const modules = await pickModules(api);
  const design = await api.post("/api/designs", {
    name: "Garcia kitchen",
    items: modules.map((module, index) => ({ module_id: module.id, quantity: index === 0 ? 2 : 1 })),
  });
  const contexts = [];
  const open = async (options, name) => {
    const context = await browser.newContext(options);
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    return { page, guards: guard(page, base), name };
  };
  const step = async ({ page, guards }, name, body, { clean = true } = {}) => {
    const started = Date.now();
    try {
      await body();
    } catch (error) {
      await page.screenshot({ path: join(outDir, `failure-${name.replace(/\W+/g, "-")}.png`), fullPage: true }).catch(() => {});
      throw new Error(`${name}: ${error.message}`, { cause: error });
    }
    if (clean) guards.assertClean(name);
    log(`  ✓ ${name} (${Date.now() - started} ms)`);
  };

  try {
    const desk = await open({ viewport: { width: 1440, height: 1000 } }, "desk");
    let token;
    await step(desk, "the design bar makes a share link (no QR code on a loopback-only server)", async () => {
      await desk.page.goto(`${base}/?design=${design.id}`);
      await desk.page.getByTestId("design-status").filter({ hasText: "Saved · v1" }).waitFor();
      const [response, stored] = await Promise.all([
        desk.page.waitForResponse((answer) => answer.url().endsWith(`/api/designs/${design.id}/share`)),
        // The desk's own 3D view goes with the share as a GLB, for Android's Scene Viewer.
        desk.page.waitForResponse((answer) => answer.request().method() === "PUT" && answer.url().endsWith("/model.glb")),
        desk.page.getByTestId("share-design").getByRole("button", { name: "Share with customer" }).click(),
      ]);
      assertEqual(stored.status(), 204, "stored model status");
      assertEqual(response.status(), 201, "share status");
      const share = await response.json();
      token = share.token;
      assertEqual(share.url_path, `/share/?token=${token}`, "share path");
      assertEqual(share.reachable_from_network, false, "reachable from the network");
      await desk.page.getByTestId("share-not-on-network").waitFor();
    });

    const phone = await open(
      { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
      "phone",
    );
    let glbBytes = 0;
    await step(phone, "a phone opens the shared design in 3D without a device token", async () => {
      await phone.page.goto(`${base}/share/?token=${encodeURIComponent(token)}`);
      await phone.page.getByRole("heading", { level: 1, name: "Garcia kitchen" }).waitFor();
      assertEqual(await phone.page.getByRole("navigation", { name: "Main" }).count(), 0, "staff navigation on the phone");
      const canvas = phone.page.getByRole("img", { name: "3D view of Garcia kitchen" });
      await canvas.waitFor();
      await phone.page.waitForFunction(
        (expected) => window.__paformScene && window.__paformScene.modules === expected && window.__paformScene.drawCalls > 0,
        modules.length,
      );
      // Painted, not just mounted: the canvas shows the furniture in the room's colours.
      await waitForPaintedCanvas(phone.page);
      const box = await canvas.boundingBox();
      assert(box && box.width >= 350 && box.width <= 390 && box.height >= 320, `canvas fits the phone: ${JSON.stringify(box)}`);
    });

    await step(phone, "“View in your room” gets a GLB blob of the same scene for model-viewer", async () => {
      const button = phone.page.getByRole("button", { name: "View in your room" });
      await button.waitFor();
      const viewer = await phone.page.waitForFunction(() => {
        const element = document.querySelector("model-viewer");
        const src = element && (element.src || element.getAttribute("src"));
        return src && src.startsWith("blob:") && element.loaded ? { src, arModes: element.getAttribute("ar-modes"), ar: element.ar } : false;
      });
      const { src, arModes, ar } = await viewer.jsonValue();
      assertEqual(arModes, "scene-viewer quick-look", "ar-modes");
      assertEqual(ar, true, "ar");
      const glb = await phone.page.evaluate(async (url) => {
        const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
        return { magic: String.fromCharCode(...bytes.slice(0, 4)), size: bytes.length };
      }, src);
      assertEqual(glb.magic, "glTF", "GLB magic");
      assert(glb.size > 1000, `a GLB of some size (${glb.size} bytes)`);
      glbBytes = glb.size;
      assert(await button.isEnabled(), "the button is enabled once the model is ready");
      // Headless chromium has no AR: the button shows the exported model in the page instead.
      await button.click();
      await phone.page.getByRole("status").filter({ hasText: "cannot place the model in your room" }).waitFor();
      await phone.page.waitForTimeout(500);
      await phone.page.screenshot({ path: join(outDir, "share-phone.png"), fullPage: true });
      assertEqual(phone.guards.foreignRequests().length, 0, "requests beyond the showroom's server");
    });

    const android = await open(
      {
        viewport: { width: 412, height: 915 },
        isMobile: true,
        hasTouch: true,
        userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
      },
      "android",
    );
    await step(android, "on Android, model-viewer gets the GLB stored with the share (Scene Viewer cannot read a blob)", async () => {
      await android.page.goto(`${base}/share/?token=${encodeURIComponent(token)}`);
      const viewer = await android.page.waitForFunction(() => {
        const element = document.querySelector("model-viewer");
        return element && element.loaded ? { src: element.src, canActivateAR: element.canActivateAR } : false;
      });
      const { src } = await viewer.jsonValue();
      assertEqual(src, `${base}/api/share/${encodeURIComponent(token)}/model.glb`, "model-viewer src on Android");
      const glb = await android.page.evaluate(async (url) => {
        const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
        return String.fromCharCode(...bytes.slice(0, 4));
      }, src);
      assertEqual(glb, "glTF", "stored GLB magic");
      assertEqual(android.guards.foreignRequests().length, 0, "requests beyond the showroom's server");
    });

    const stranger = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, "stranger");
    await step(
      stranger,
      "a forged link says why it does not open",
      async () => {
        const forged = token.replace(/.$/, (last) => (last === "0" ? "1" : "0"));
        await stranger.page.goto(`${base}/share/?token=${encodeURIComponent(forged)}`);
        await stranger.page.getByText("This link does not open a design").waitFor();
        await stranger.page.getByText("signature does not match").waitFor();
        assertEqual(stranger.guards.foreignRequests().length, 0, "requests beyond the showroom's server");
      },
      // The 401 is the point here; the guard would count it as a failure.
      { clean: false },
    );
    state.share = { glbBytes, path: `/share/?token=${encodeURIComponent(token)}` };
  } finally {
    for (const context of contexts) await context.close().catch(() => {});
  }
}
