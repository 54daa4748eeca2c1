// SPEC §17, "a modelled module takes the same tint as a drawn one in the same material": a
// module drawn from its GLB (the demo's Kitchen Base 600) and one drawn from its cut-list
// panels (Kitchen Base 400) stand side by side in the same material (the drawn one's Material
// select set to the model's), and the average colour of the lower part of each front, where
// `window.__paformScene.samplePoints()` says it is on the canvas, must agree.
import { join } from "node:path";
import { guard } from "./browser.mjs";
import { apiClient, assert } from "./api.mjs";
import { waitForFreshQuote } from "./flow.mjs";

const MODELLED = "Kitchen Base 600";
const DRAWN = ["Kitchen Base 400", "Kitchen Base 800"];
/**
 * Largest difference allowed in any channel of the two averages (0–255). Both fronts face +Z
 * under the same directional and hemisphere lights, so their diffuse light is equal; what can
 * differ is the specular highlight (each is seen from a slightly different angle), which part
 * of the world-space grain each shows, and the worktop's shadow reaching a little further over
 * the proud drawn doors. Those measure a few units; the bug was a model several times darker.
 */
const TOLERANCE = 12;

/** Mean RGB over a 5 × 5 pixel patch around each sample point (CSS pixels) of each module. */
async function faceColours(page) {
  return page.evaluate(() => {
    const probe = window.__paformScene;
    const canvas = document.querySelector('[data-testid="viewer3d"] canvas');
    const copy = document.createElement("canvas");
    copy.width = canvas.width;
    copy.height = canvas.height;
    const context = copy.getContext("2d", { willReadFrequently: true });
    context.drawImage(canvas, 0, 0);
    const scale = canvas.width / canvas.clientWidth;
    return probe.samplePoints().modules.map((module) => {
      const sum = [0, 0, 0];
      let count = 0;
      for (const [x, y] of module.face) {
        const data = context.getImageData(Math.round(x * scale) - 2, Math.round(y * scale) - 2, 5, 5).data;
        for (let index = 0; index < data.length; index += 4) {
          sum[0] += data[index];
          sum[1] += data[index + 1];
          sum[2] += data[index + 2];
          count += 1;
        }
      }
      return { name: module.name, modelled: module.modelled, face: module.face, rgb: sum.map((value) => Math.round(value / count)) };
    });
  });
}

export async function runTint({ browser, base, outDir, log, state }) {
  const api = apiClient(base);
  const catalog = await api.get("/api/modules?limit=200");
  const byName = new Map(catalog.items.map((module) => [module.name, module]));
  const modelled = byName.get(MODELLED);
  const drawn = DRAWN.map((name) => byName.get(name)).find((module) => module && !module.assembly_attributes?.glb_url);
  assert(modelled?.assembly_attributes?.glb_url, `${MODELLED} has a GLB in the demo catalog`);
  assert(drawn, `one of ${DRAWN.join(", ")} is drawn from its panels`);

  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const guards = guard(page, base);
  try {
    await page.goto(`${base}/`);
    const placed = page.getByRole("list", { name: "Placed modules, left to right" }).getByRole("listitem");
    for (const [index, module] of [modelled, drawn].entries()) {
      await page.getByRole("button", { name: `Add ${module.name}`, exact: true }).click();
      await placed.nth(index).waitFor();
    }
    // The same material for both: the drawn one takes the model's (an override on its item).
    await placed.nth(1).getByLabel("Material").selectOption(modelled.material_id);
    await waitForFreshQuote(page, 2);
    await page.waitForFunction(() => window.__paformScene?.modules === 2 && !window.__paformScene.loading, null, { polling: "raf" });
    // A click on the empty wall clears the selection outline; then the textures' frames settle.
    await page.getByTestId("viewer3d").click({ position: { x: 20, y: 60 } });
    await page.waitForTimeout(1500);
    await page.evaluate(() => window.__paformScene.invalidate());
    await page.waitForTimeout(300);
    const picture = join(outDir, "tint-modelled-and-drawn.png");
    await page.getByTestId("viewer3d").screenshot({ path: picture });
    const faces = await faceColours(page);
    const model = faces.find((face) => face.modelled);
    const board = faces.find((face) => !face.modelled);
    assert(model && board, `one modelled and one drawn module in the scene: ${JSON.stringify(faces)}`);
    const difference = Math.max(...model.rgb.map((value, index) => Math.abs(value - board.rgb[index])));
    state.tint = { material: modelled.material_id, modelled: model.rgb, drawn: board.rgb, difference, tolerance: TOLERANCE };
    log(`    ${modelled.name} (model) rgb(${model.rgb}) vs ${drawn.name} (drawn) rgb(${board.rgb}): differ by ${difference} (≤ ${TOLERANCE}); ${picture}`);
    assert(
      difference <= TOLERANCE,
      `the same material looks different modelled rgb(${model.rgb}) and drawn rgb(${board.rgb}): ${difference} > ${TOLERANCE}`,
    );
    guards.assertClean("model tint");
    log("  ✓ a modelled and a drawn module in the same material look the same");
  } finally {
    await context.close();
  }
}
