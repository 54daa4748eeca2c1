// End-to-end test of the desktop app (src-tauri) through WebDriver: tauri-driver in front of
// WebKitWebDriver, a plain fetch client, the debug binary under Xvfb (run it through
// `make test-desktop`). It launches the app on a fresh data directory, waits for
// the navigation, adds a module in the configurator, waits for the live quote's total, then
// drives the UI's own buttons: a CNC export of the configuration with its progress bar, the
// cut list saved through the native save path (the dialog bypassed by
// PAFORM_DESKTOP_SAVE_DIR) and checked on disk, Settings → Local network refused without a
// device token, started with one and answering on the LAN address it lists (401 without the
// token, 200 with it), a pairing QR code claimed over the LAN for a production token (orders
// yes, catalog 403, a second claim 410), then stopped. A second launch must hand over and exit (one instance).
// Only setup (a device token) and one refusal check call commands directly. It saves a
// screenshot to test-output/desktop.png and prints launch-to-interactive time and the idle
// resident memory of the app.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const binary = process.env.PAFORM_DESKTOP_BINARY ?? join(root, "target", "release", "paform-desktop");
const cargoHome = process.env.CARGO_HOME ?? join(process.env.HOME ?? "/root", ".cargo");
const driverBinary = process.env.TAURI_DRIVER ?? join(cargoHome, "bin", "tauri-driver");
const nativeDriver = process.env.WEBKIT_WEBDRIVER ?? "/usr/bin/WebKitWebDriver";
const port = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const base = `http://127.0.0.1:${port}`;
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
const outputDir = join(root, "test-output");

for (const [what, path] of [["the app", binary], ["tauri-driver", driverBinary], ["WebKitWebDriver", nativeDriver]]) {
  if (!existsSync(path)) {
    console.error(`desktop test: ${what} is missing at ${path} (run \`make test-desktop\`)`);
    process.exit(2);
  }
}

const scratch = mkdtempSync(join(tmpdir(), "paform-desktop-"));
const dataDir = join(scratch, "data");
const saveDir = join(scratch, "saved");
mkdirSync(saveDir, { recursive: true });

// The app inherits this environment through tauri-driver and WebKitWebDriver.
const driver = spawn(driverBinary, ["--port", String(port), "--native-driver", nativeDriver], {
  env: {
    ...process.env,
    PAFORM_DATA_DIR: dataDir,
    PAFORM_DESKTOP_SAVE_DIR: saveDir,
    PAFORM_DESKTOP_NO_DIALOG: "1",
    RUST_LOG: process.env.RUST_LOG ?? "warn",
  },
  stdio: ["ignore", "inherit", "inherit"],
});

function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}

async function call(method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json).slice(0, 500)}`);
  }
  return json.value;
}

async function waitFor(what, probe, timeoutMs = 20000, everyMs = 50) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ""}`);
}

/** The resident memory (kB) of the process running `path`, and of its WebKit helpers. */
function residentMemory(path) {
  const processes = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  let app = 0;
  let helpers = 0;
  const appPids = new Set();
  const parentOf = new Map();
  for (const pid of processes) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const ppid = status.match(/^PPid:\s+(\d+)/m)?.[1];
      parentOf.set(pid, ppid);
      const exe = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
      if (exe === path) {
        appPids.add(pid);
        app += Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1] ?? 0);
      }
    } catch {
      // The process ended while being read.
    }
  }
  for (const pid of processes) {
    if (!appPids.has(parentOf.get(pid))) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      helpers += Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1] ?? 0);
    } catch {
      // Ended meanwhile.
    }
  }
  return { app, helpers };
}

let session;
let failed = false;
try {
  await waitFor("tauri-driver", async () => (await fetch(`${base}/status`)).ok, 15000);

  const launched = performance.now();
  session = (await call("POST", "/session", {
    capabilities: { alwaysMatch: { "tauri:options": { application: binary } } },
  })).sessionId;
  const find = (css) => call("POST", `/session/${session}/element`, { using: "css selector", value: css });
  const findAll = (css) => call("POST", `/session/${session}/elements`, { using: "css selector", value: css });
  const text = async (element) => call("GET", `/session/${session}/element/${element[ELEMENT]}/text`);
  const attribute = (element, name) => call("GET", `/session/${session}/element/${element[ELEMENT]}/attribute/${name}`);
  const click = (element) => call("POST", `/session/${session}/element/${element[ELEMENT]}/click`, {});
  /** The first `tag` element whose whole text is `label`. */
  const findText = (tag, label) =>
    call("POST", `/session/${session}/element`, { using: "xpath", value: `//${tag}[normalize-space()='${label}']` });
  const invoke = (command, args) =>
    call("POST", `/session/${session}/execute/async`, {
      script:
        "const [command, args, done] = arguments;" +
        "window.__TAURI_INTERNALS__.invoke(command, args)" +
        ".then((value) => done({ ok: value }), (error) => done({ error }));",
      args: [command, args],
    });

  await waitFor("the navigation", () => find("nav[aria-label='Main']"));
  const interactiveMs = performance.now() - launched;

  // Configure: add the first catalog module, then wait for the live quote's total.
  const addButtons = await waitFor("a module to add", async () => {
    const found = await findAll("button[aria-label^='Add ']");
    return found.length > 0 ? found : null;
  });
  await call("POST", `/session/${session}/element/${addButtons[0][ELEMENT]}/click`, {});
  const total = await waitFor("the quote total", async () => {
    const shown = await text(await find("[data-testid='quote-total']"));
    return /\d/.test(shown) ? shown : null;
  });

  // Export through the UI's own buttons: CNC → export the current configuration, watch the
  // progress bar fill (cnc_export's steps), then save the cut list; the native save dialog
  // is bypassed by PAFORM_DESKTOP_SAVE_DIR, the code after the choice is the same.
  await click(await find("nav[aria-label='Main'] a[href^='/cnc'] > *"));
  const exportButton = await waitFor("the export button", () => findText("button", "Export cut list"));
  await waitFor("a source to export", async () => (await attribute(exportButton, "disabled")) === null);
  await click(exportButton);
  await waitFor("the progress bar", () => find("[data-testid='export-progress']"));
  const saveButton = await waitFor("the cut list's save button", async () => {
    const found = await findAll("button[aria-label^='Download '][aria-label$='.csv']");
    return found[0] ?? null;
  }, 60000);
  const progressLabel = await text(await find("[data-testid='export-progress']"));
  if (!/Done/.test(progressLabel)) throw new Error(`the progress bar did not finish: ${progressLabel}`);
  const cutListName = (await attribute(saveButton, "aria-label")).replace(/^Download /, "");
  await click(saveButton);
  const shownPath = await waitFor("the saved path", async () => text(await find("[data-testid='saved-path']")));
  const savedPath = join(saveDir, cutListName);
  if (!shownPath.includes(savedPath)) throw new Error(`the UI shows ${shownPath}, expected ${savedPath}`);
  const savedText = readFileSync(savedPath, "utf8");
  if (!savedText.includes(",") || savedText.split("\n").length < 2) throw new Error(`the saved cut list is not a CSV: ${savedText.slice(0, 200)}`);
  await findText("button", "Open folder");
  // A name with a folder is refused with a problem, not written anywhere.
  const refused = await invoke("save_export", { kind: "cut_list", filename: "../escape.csv", bytes_base64: "eA==" });
  if (refused.error?.status !== 422) throw new Error(`a path was accepted as a file name: ${JSON.stringify(refused)}`);

  // Settings → Local network: refused beyond loopback without a device token (the problem is
  // shown), then served with one on the LAN address the section lists, then stopped.
  await click(await find("nav[aria-label='Main'] a[href^='/settings'] > *"));
  const bindField = await waitFor("the address field", () => find("[data-testid='lan-server'] input"));
  await call("POST", `/session/${session}/element/${bindField[ELEMENT]}/clear`, {});
  await call("POST", `/session/${session}/element/${bindField[ELEMENT]}/value`, { text: "0.0.0.0:0" });
  await click(await waitFor("the start button", () => findText("button", "Start serving now")));
  const refusal = await waitFor("the refusal", async () => text(await find("[data-testid='lan-server'] [role='alert']")));
  if (!/token/i.test(refusal)) throw new Error(`the LAN server was not refused for want of a token: ${refusal}`);
  const created = await invoke("api_request", {
    request: { method: "POST", path: "/api/tokens", query: {}, body: { name: "tablet" } },
  });
  if (created.ok?.status !== 201) throw new Error(`the token was not created: ${JSON.stringify(created)}`);
  await click(await findText("button", "Start serving now"));
  const urls = await waitFor("the LAN addresses", async () => {
    const items = await findAll("[data-testid='lan-urls'] li");
    return items.length ? Promise.all(items.map(text)) : null;
  });
  const lanBase = urls[0].replace(/\/$/, "");
  const anonymous = await fetch(`${lanBase}/api/materials`);
  const paired = await fetch(`${lanBase}/api/materials`, { headers: { authorization: `Bearer ${created.ok.body.token}` } });
  const page = await fetch(`${lanBase}/`);
  if (anonymous.status !== 401 || paired.status !== 200 || page.status !== 200) {
    throw new Error(`LAN answers at ${lanBase}: anonymous ${anonymous.status}, paired ${paired.status}, UI ${page.status}`);
  }
  // Pairing by QR while the LAN server runs: Settings shows the claim link as a QR code; a
  // tablet claiming it over the LAN gets a production token, which reads orders but not
  // the catalog, and the code works once.
  await click(await findText("button", "Show pairing code"));
  const qrAlt = await waitFor("the pairing QR code", async () =>
    attribute(await find("[data-testid='pairing-code'] img"), "alt"),
  );
  const claimUrl = new URL(String(qrAlt).replace(/^QR code for /, ""));
  const code = claimUrl.searchParams.get("code");
  if (!code || !claimUrl.pathname.startsWith("/pair")) throw new Error(`the QR code holds no claim link: ${qrAlt}`);
  const claim = () =>
    fetch(`${lanBase}/api/pairing/claim`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code }),
    });
  const claimed = await claim();
  const tablet = await claimed.json();
  if (claimed.status !== 201 || tablet.role !== "production") {
    throw new Error(`the pairing code was not claimed for production: ${claimed.status} ${JSON.stringify(tablet)}`);
  }
  const asTablet = (path) => fetch(`${lanBase}${path}`, { headers: { authorization: `Bearer ${tablet.token}` } });
  const [orders, catalog, again] = [(await asTablet("/api/orders")).status, (await asTablet("/api/materials")).status, (await claim()).status];
  if (orders !== 200 || catalog !== 403 || again !== 410) {
    throw new Error(`production token: orders ${orders}, catalog ${catalog}; second claim ${again}`);
  }
  await click(await findText("button", "Stop serving"));
  await waitFor("the stopped state", () => findText("*[@role='status']", "Not serving"));
  const afterStop = await fetch(`${lanBase}/api/health`).then(() => "answered", () => "refused");
  if (afterStop !== "refused") throw new Error("the LAN server still answers after Stop");

  // One instance: a second launch on the same data hands over to this one and exits.
  const second = spawn(binary, [], { env: { ...process.env, PAFORM_DATA_DIR: dataDir, PAFORM_DESKTOP_NO_DIALOG: "1" }, stdio: "ignore" });
  const secondExit = await Promise.race([
    new Promise((done) => second.on("exit", (code) => done(code))),
    sleep(20000).then(() => "still running"),
  ]);
  if (secondExit !== 0) {
    second.kill("SIGKILL");
    throw new Error(`a second launch did not hand over and exit 0: ${secondExit}`);
  }
  await find("nav[aria-label='Main']");

  // Idle memory, after the page has settled.
  await sleep(2000);
  const memory = residentMemory(binary);

  mkdirSync(outputDir, { recursive: true });
  const screenshot = await call("GET", `/session/${session}/screenshot`);
  writeFileSync(join(outputDir, "desktop.png"), Buffer.from(screenshot, "base64"));

  console.log(
    JSON.stringify({
      launch_to_interactive_ms: Math.round(interactiveMs),
      quote_total: total,
      saved: savedPath,
      saved_bytes: savedText.length,
      lan_urls: urls,
      idle_rss_app_kb: memory.app,
      idle_rss_webkit_helpers_kb: memory.helpers,
      screenshot: "test-output/desktop.png",
    }),
  );
  console.log("desktop test: passed");
} catch (error) {
  failed = true;
  console.error(`desktop test: FAILED: ${error.stack ?? error}`);
} finally {
  if (session) await call("DELETE", `/session/${session}`).catch(() => {});
  driver.kill("SIGTERM");
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
