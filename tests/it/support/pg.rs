//! A throwaway PostgreSQL for tests: ONE cluster per test process (a `OnceLock`), made with
//! Debian's `postgresql` binaries in a temporary directory on a free loopback port, and one
//! fresh database per test (`database()`).
//!
//! The server lives exactly as long as the test process: it is started by a shell that waits
//! on a pipe from this process (`read _`), so when the process exits, however it exits, the
//! pipe closes and the shell stops the server and removes the directory. As root the
//! cluster runs as the `postgres` user (initdb refuses root).
//!
//! Without PostgreSQL a test is skipped with a message, except under `CI=true`, where it
//! fails naming the reason.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

struct Cluster {
    port: u16,
    bin: PathBuf,
    /// Held for the life of the process; when it closes the server stops.
    _lifeline: Mutex<(Child, ChildStdin)>,
}

static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
static DATABASES: AtomicU64 = AtomicU64::new(0);

/// The directory holding `initdb` and `postgres` (`PAFORM_PG_BIN`, else the newest
/// `/usr/lib/postgresql/*/bin`).
fn bin_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PAFORM_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a loopback port is free")
}

fn as_postgres(root: bool, program: &Path) -> Command {
    if root {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn start() -> Result<Cluster, String> {
    let bin = bin_dir().ok_or(
        "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): \
         `make setup` installs Debian's postgresql package",
    )?;
    let root = is_root();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("paform-pg-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    if root {
        let status = Command::new("chown")
            .arg("postgres:postgres")
            .arg(&dir)
            .status()
            .map_err(|e| format!("chown: {e}"))?;
        if !status.success() {
            return Err("cannot give the cluster directory to the postgres user".into());
        }
    }
    let data = dir.join("data");
    let out = as_postgres(root, &bin.join("initdb"))
        .arg("-D")
        .arg(&data)
        .args(["-A", "trust", "-U", "paform", "-E", "UTF8", "--no-sync"])
        .output()
        .map_err(|e| format!("initdb does not run: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let port = free_port();
    let server = format!(
        "{postgres} -D {data} -p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off \
         -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 \
         >{dir}/log 2>&1 & pid=$!; read _; kill -INT $pid; wait $pid",
        postgres = bin.join("postgres").display(),
        data = data.display(),
        dir = dir.display(),
    );
    let script = if root {
        format!(
            "runuser -u postgres -- sh -c '{server}'; rm -rf {}",
            dir.display()
        )
    } else {
        format!("sh -c '{server}'; rm -rf {}", dir.display())
    };
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start postgres: {e}"))?;
    let stdin = child.stdin.take().expect("stdin is piped");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ready = Command::new(bin.join("pg_isready"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
                "-U",
                "paform",
                "-d",
                "postgres",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if ready {
            break;
        }
        if Instant::now() > deadline {
            let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
            return Err(format!("postgres did not become ready in 60 s: {log}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(Cluster {
        port,
        bin,
        _lifeline: Mutex::new((child, stdin)),
    })
}

/// A fresh, empty database on the shared cluster, as a `postgres://` URL; `None` when
/// PostgreSQL is missing outside CI (the caller skips). Under `CI=true` it panics instead.
pub(crate) fn database() -> Option<String> {
    let cluster = match CLUSTER.get_or_init(start) {
        Ok(cluster) => cluster,
        Err(reason) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("PostgreSQL is required under CI: {reason}");
            }
            eprintln!("SKIP: no PostgreSQL for this test: {reason}");
            return None;
        }
    };
    let name = format!(
        "t_{}_{}",
        std::process::id(),
        DATABASES.fetch_add(1, Ordering::SeqCst)
    );
    let out = Command::new(cluster.bin.join("psql"))
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &cluster.port.to_string(),
            "-U",
            "paform",
            "-d",
            "postgres",
        ])
        .args([
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            &format!("CREATE DATABASE {name}"),
        ])
        .output()
        .expect("psql runs");
    assert!(
        out.status.success(),
        "CREATE DATABASE failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(format!(
        "postgres://paform@127.0.0.1:{}/{name}",
        cluster.port
    ))
}

/// Runs SQL against a test database with psql, returning its unaligned output.
pub(crate) fn psql(url: &str, sql: &str) -> String {
    let cluster = CLUSTER
        .get()
        .and_then(|c| c.as_ref().ok())
        .expect("database() started the cluster");
    let name = url.rsplit('/').next().expect("a database name");
    let out = Command::new(cluster.bin.join("psql"))
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &cluster.port.to_string(),
            "-U",
            "paform",
            "-d",
            name,
        ])
        .args(["-v", "ON_ERROR_STOP=1", "-At", "-c", sql])
        .output()
        .expect("psql runs");
    assert!(
        out.status.success(),
        "psql failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::io::stderr().flush();
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}
