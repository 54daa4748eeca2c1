// Starts the real `paform serve` for the browser tests: an OS-assigned free port
// (`--bind 127.0.0.1:0`, the bound address is read from the server's log), a fresh temporary
// data directory and the exported UI from ui/out. `startHqServer` starts `paform hq serve` the
// same way on a given PostgreSQL database. Nothing is built here.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const STARTUP_TIMEOUT_MS = 30_000;

/** @param {{ root: string, binary: string, uiDir: string }} options */
export async function startServer({ root, binary, uiDir }) {
  for (const [what, path] of [
    ["server binary (cargo build --bin paform)", binary],
    ["UI export (cd ui && npm run build)", join(uiDir, "index.html")],
  ]) {
    if (!existsSync(path)) throw new Error(`e2e: missing ${what}: ${path}`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), "paform-e2e-"));
  return spawnServer({ root, binary, args: ["serve", "--bind", "127.0.0.1:0", "--data-dir", dataDir, "--ui-dir", uiDir], dataDir });
}

/** `paform hq serve` on `database` (a postgres:// URL) with the UI export; no data directory. */
export async function startHqServer({ root, binary, uiDir, database }) {
  for (const [what, path] of [
    ["server binary (cargo build --bin paform)", binary],
    ["UI export (cd ui && npm run build)", join(uiDir, "index.html")],
  ]) {
    if (!existsSync(path)) throw new Error(`e2e: missing ${what}: ${path}`);
  }
  return spawnServer({ root, binary, args: ["hq", "serve", "--database", database, "--bind", "127.0.0.1:0", "--ui-dir", uiDir], dataDir: null });
}

async function spawnServer({ root, binary, args, dataDir }) {
  const name = `paform ${args[0] === "hq" ? "hq serve" : "serve"}`;
  const removeData = () => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const child = spawn(binary, args, {
    cwd: root,
    env: { ...process.env, NO_COLOR: "1", RUST_LOG: process.env.RUST_LOG ?? "info" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so stop() ends it and nothing else
  });
  // If the runner dies before stop() (Ctrl-C, a closed pipe), still end the server's group.
  const killOnExit = () => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    removeData();
  };
  if (child.pid !== undefined) process.once("exit", killOnExit);
  let log = "";
  const exited = new Promise((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", (error) => resolve({ code: null, signal: null, error }));
  });

  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`e2e: ${name} did not report its address in ${STARTUP_TIMEOUT_MS} ms\n${log}`)), STARTUP_TIMEOUT_MS);
    const onData = (chunk) => {
      log += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    exited.then(({ code, signal, error }) => {
      clearTimeout(timer);
      removeData();
      reject(new Error(`e2e: ${name} ${error ? `could not start: ${error.message}` : `exited early (code ${code}, signal ${signal})`}\n${log}`));
    });
  });

  await waitForHealth(base, exited);

  async function stop() {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }, 10_000);
      await exited;
      clearTimeout(killer);
    }
    process.removeListener("exit", killOnExit);
    removeData();
  }

  return { base, dataDir, stop, log: () => log };
}

/** Polls /api/health until it answers ok; every attempt waits for the previous answer. */
async function waitForHealth(base, exited) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let stopped = false;
  exited.then(() => (stopped = true));
  let lastError = null;
  while (Date.now() < deadline && !stopped) {
    try {
      const response = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2_000) });
      const body = await response.json();
      if (response.ok && body.status === "ok") return body;
      lastError = new Error(`health answered ${response.status} ${JSON.stringify(body)}`);
    } catch (error) {
      lastError = error;
      // The socket is bound before the log line, so a refusal here is rare; back off a tick.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  throw new Error(`e2e: ${base}/api/health never answered ok: ${lastError}`);
}
