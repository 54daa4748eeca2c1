//! Settings → Chain in a real browser (SPEC §15), on the standalone server the run starts: the
//! section says the site is standalone and offers the join form; an `http://` HQ off loopback
//! is refused under the address field, an HQ that cannot be reached is refused with the
//! server's reason, and after both the site is still standalone. (The chain itself, with a
//! real HQ on PostgreSQL and a factory, is covered by `tests/it/chain_site.rs`.)
import { join } from "node:path";
import { guard } from "./browser.mjs";
import { apiClient, assert, assertEqual } from "./api.mjs";

export async function runChain({ browser, base, outDir, log }) {
  const api = apiClient(base);
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const guards = guard(page, base);
  const expected = (problem) => problem.includes("/api/sync/join") || problem.includes("Failed to load resource");
  const step = async (name, body) => {
    const started = Date.now();
    try {
      await body();
    } catch (error) {
      await page.screenshot({ path: join(outDir, `failure-${name.replace(/\W+/g, "-")}.png`), fullPage: true }).catch(() => {});
      throw new Error(`${name}: ${error.message}`, { cause: error });
    }
    const unexpected = guards.problems().filter((problem) => !expected(problem));
    if (unexpected.length) throw new Error(`${name}: ${unexpected.join("\n  ")}`);
    log(`  ✓ ${name} (${Date.now() - started} ms)`);
  };
  const section = page.locator("section", { has: page.getByRole("heading", { name: "Chain", exact: true }) });

  await step("Settings → Chain shows a standalone site and the join form", async () => {
    await page.goto(`${base}/settings/`);
    await section.getByTestId("chain-status").filter({ hasText: "Standalone (not part of a chain)" }).waitFor();
    await section.getByRole("button", { name: "Join HQ" }).waitFor();
    assertEqual(await section.getByRole("button", { name: "Sync now" }).count(), 0, "no Sync now before joining");
  });

  await step("an http HQ off loopback is refused under its field", async () => {
    await section.getByLabel("HQ address").fill("http://hq.example.com");
    await section.getByLabel("Node token").fill("pfn_not_a_real_token");
    await section.getByRole("button", { name: "Join HQ" }).click();
    // The server's reason, shown under the field it names (not the field's helper text).
    await section.getByText(/must be https:\/\/ \(plain http:\/\/ is allowed on loopback only\)/).waitFor();
  });

  await step("an HQ that cannot be reached is refused with the reason", async () => {
    await section.getByLabel("HQ address").fill("http://127.0.0.1:9");
    await section.getByLabel("Node token").fill("pfn_not_a_real_token");
    await section.getByRole("button", { name: "Join HQ" }).click();
    await section.getByText("Not joined").waitFor();
    await section.getByText(/cannot reach HQ/i).waitFor();
    await page.screenshot({ path: join(outDir, "09-settings-chain.png"), fullPage: false });
    const status = await api.get("/api/sync/status");
    assertEqual(status.role, "standalone", "the site stays standalone");
    assert(status.node_id === null, "no node id is stored");
  });
  await context.close();
}
