// A throwaway PostgreSQL for the browser tests, made the way tests/it/support/pg.rs makes one:
// Debian's binaries (`PAFORM_PG_BIN`, else the newest /usr/lib/postgresql/*/bin), a cluster in
// a temporary directory on a free loopback port, run as the `postgres` user when we are root
// (initdb refuses root). The server is started by a shell that waits on a pipe from this
// process (`read _`): however this process ends, the pipe closes and the shell stops the
// server and removes the directory. Without PostgreSQL `startPostgres` answers null with the
// reason, except under CI=true, where it throws.
import { execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const READY_TIMEOUT_MS = 60_000;

function binDir() {
  if (process.env.PAFORM_PG_BIN) return existsSync(join(process.env.PAFORM_PG_BIN, "initdb")) ? process.env.PAFORM_PG_BIN : null;
  let versions = [];
  try {
    versions = readdirSync("/usr/lib/postgresql")
      .map((name) => [Number(name), join("/usr/lib/postgresql", name, "bin")])
      .filter(([version, bin]) => Number.isInteger(version) && existsSync(join(bin, "initdb")));
  } catch {
    return null;
  }
  versions.sort((a, b) => a[0] - b[0]);
  return versions.at(-1)?.[1] ?? null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function postgresUid() {
  try {
    return Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  } catch {
    return null;
  }
}

/**
 * Starts the cluster: `{ createDatabase(name) → postgres:// URL, stop() }`, or
 * `{ skipped: reason }` when PostgreSQL is missing outside CI.
 */
export async function startPostgres() {
  const bin = binDir();
  if (!bin) {
    const reason = `PostgreSQL is not installed (no initdb in ${process.env.PAFORM_PG_BIN ?? "/usr/lib/postgresql/*/bin"}): \`make setup\` installs Debian's postgresql package`;
    if (process.env.CI === "true") throw new Error(`PostgreSQL is required under CI: ${reason}`);
    return { skipped: reason };
  }
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "paform-e2e-pg-"));
  if (root) {
    const uid = postgresUid();
    if (uid === null) throw new Error("e2e: running as root, but there is no postgres user to run the cluster as");
    chownSync(dir, uid, uid);
  }
  const asPostgres = (program, args) => (root ? ["runuser", ["-u", "postgres", "--", program, ...args]] : [program, args]);
  const data = join(dir, "data");
  const [initdb, initdbArgs] = asPostgres(join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "paform", "-E", "UTF8", "--no-sync"]);
  try {
    execFileSync(initdb, initdbArgs, { stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    throw new Error(`e2e: initdb failed: ${error.stderr?.toString() ?? error.message}`);
  }
  const port = await freePort();
  const server =
    `${join(bin, "postgres")} -D ${data} -p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off ` +
    `-c synchronous_commit=off -c full_page_writes=off >${dir}/log 2>&1 & pid=$!; read _; kill -INT $pid; wait $pid`;
  const script = root ? `runuser -u postgres -- sh -c '${server}'; rm -rf ${dir}` : `sh -c '${server}'; rm -rf ${dir}`;
  const child = spawn("sh", ["-c", script], { stdio: ["pipe", "ignore", "ignore"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end();
    await exited;
  };
  const psql = (database, sql) =>
    execFileSync(join(bin, "psql"), ["-h", "127.0.0.1", "-p", String(port), "-U", "paform", "-d", database, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql], {
      stdio: ["ignore", "pipe", "pipe"],
    }).toString();
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      execFileSync(join(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port), "-U", "paform", "-d", "postgres"], { stdio: "ignore" });
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) {
        let log = "";
        try {
          log = readFileSync(join(dir, "log"), "utf8");
        } catch {
          // the directory may be gone already
        }
        await stop();
        throw new Error(`e2e: postgres did not become ready: ${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    port,
    /** A fresh, empty database, as a `postgres://` URL. */
    createDatabase(name) {
      psql("postgres", `CREATE DATABASE ${name}`);
      return `postgres://paform@127.0.0.1:${port}/${name}`;
    },
    stop,
  };
}
