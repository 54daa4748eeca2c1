// End-to-end test of the desktop app (src-tauri) through WebDriver: tauri-driver in front of
// WebKitWebDriver, a plain fetch client, the release binary under Xvfb (run it with
// `xvfb-run`, see the Makefile's `test-desktop`). It launches the app on a fresh data
// directory, waits for the navigation, adds a module in the configurator, waits for the live
// quote's total, makes a CNC export through `api_request` and saves its cut list through
// `save_export` (the dialog bypassed by PAFORM_DESKTOP_SAVE_DIR), checks the file, starts the
// local-network server (refused beyond loopback without a token, then 401/200 with one) and
// saves a screenshot to test-output/desktop.png. It prints launch-to-interactive time and the
// resident memory of the app once idle.
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

for (const [what, path] of [["the release app", binary], ["tauri-driver", driverBinary], ["WebKitWebDriver", nativeDriver]]) {
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

  // Export through the same router the server runs, then save the cut list natively.
  const modules = await invoke("api_request", { request: { method: "GET", path: "/api/modules", query: {}, body: null } });
  if (modules.error) throw new Error(`api_request failed: ${JSON.stringify(modules.error)}`);
  const moduleId = modules.ok.body.items[0].id;
  const exported = await invoke("api_request", {
    request: { method: "POST", path: "/api/v1/exports/cnc", query: {}, body: { items: [{ module_id: moduleId, quantity: 2 }] } },
  });
  if (exported.ok?.status !== 201) throw new Error(`the CNC export failed: ${JSON.stringify(exported)}`);
  const cutList = exported.ok.body.artifacts.find((artifact) => /csv/.test(artifact.content_type ?? artifact.file ?? ""));
  const link = new URL(cutList.url, "http://localhost");
  const download = await invoke("api_request", {
    request: { method: "GET", path: link.pathname, query: Object.fromEntries(link.searchParams), body: null },
  });
  if (download.ok?.status !== 200) throw new Error(`the cut list download failed: ${JSON.stringify(download).slice(0, 500)}`);
  const bytes = download.ok.body_base64 ?? Buffer.from(JSON.stringify(download.ok.body)).toString("base64");
  const saved = await invoke("save_export", { kind: "cut_list", filename: "cut-list.csv", bytes_base64: bytes });
  if (!saved.ok?.path) throw new Error(`save_export failed: ${JSON.stringify(saved)}`);
  const savedPath = join(saveDir, "cut-list.csv");
  const savedText = readFileSync(savedPath, "utf8");
  if (savedText !== Buffer.from(bytes, "base64").toString("utf8") || savedText.length === 0) {
    throw new Error("the saved cut list differs from the export");
  }
  // A name with a folder is refused with a problem, not written anywhere.
  const refused = await invoke("save_export", { kind: "cut_list", filename: "../escape.csv", bytes_base64: bytes });
  if (refused.error?.status !== 422) throw new Error(`a path was accepted as a file name: ${JSON.stringify(refused)}`);

  // The local-network server: refused beyond loopback without a token, then served with one.
  const refusedLan = await invoke("lan_server_start", { bind: "0.0.0.0:0" });
  if (refusedLan.error?.status !== 409) throw new Error(`served beyond loopback without a token: ${JSON.stringify(refusedLan)}`);
  const created = await invoke("api_request", {
    request: { method: "POST", path: "/api/tokens", query: {}, body: { name: "tablet" } },
  });
  if (created.ok?.status !== 201) throw new Error(`the token was not created: ${JSON.stringify(created)}`);
  const lan = await invoke("lan_server_start", { bind: "0.0.0.0:0" });
  if (!lan.ok?.running || !lan.ok.require_token) throw new Error(`the LAN server did not start: ${JSON.stringify(lan)}`);
  const lanBase = `http://127.0.0.1:${lan.ok.address.split(":").pop()}`;
  const anonymous = await fetch(`${lanBase}/api/materials`);
  const paired = await fetch(`${lanBase}/api/materials`, { headers: { authorization: `Bearer ${created.ok.body.token}` } });
  const page = await fetch(`${lanBase}/`);
  if (anonymous.status !== 401 || paired.status !== 200 || page.status !== 200) {
    throw new Error(`LAN answers: anonymous ${anonymous.status}, paired ${paired.status}, UI ${page.status}`);
  }
  const stopped = await invoke("lan_server_stop", {});
  if (stopped.ok?.running !== false) throw new Error(`the LAN server did not stop: ${JSON.stringify(stopped)}`);

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
