//! One instance per data directory (SPEC §13): the running app listens on a Unix socket in its
//! data directory; a second launch connects, asks it to bring its window to the front and
//! exits. A plain socket needs neither a session bus nor a dependency (the D-Bus based
//! single-instance plugin would change features of crates the whole workspace shares, so
//! every build would compile them twice).
//!
//! Invariants:
//! - Only the instance that holds the store lock listens, so removing a stale socket left by
//!   a crashed run never takes the socket of a live one.
//! - The only message is a request to focus; nothing read from the socket is interpreted.
//! - Where Unix sockets are missing (Windows), a second launch finds the store locked and
//!   says so instead.

use std::path::{Path, PathBuf};

const SOCKET_NAME: &str = "desktop.sock";

fn socket_path(data_dir: &Path) -> PathBuf {
    data_dir.join(SOCKET_NAME)
}

/// Asks a running instance on `data_dir` to show its window; true when one answered.
#[cfg(unix)]
pub(crate) fn hand_over(data_dir: &Path) -> bool {
    use std::io::Write;
    match std::os::unix::net::UnixStream::connect(socket_path(data_dir)) {
        Ok(mut stream) => stream.write_all(b"focus\n").is_ok(),
        Err(_) => false,
    }
}

#[cfg(not(unix))]
pub(crate) fn hand_over(_data_dir: &Path) -> bool {
    false
}

/// Listens for later launches and calls `focus` for each; call once the store is locked.
#[cfg(unix)]
pub(crate) fn listen(data_dir: &Path, focus: impl Fn() + Send + 'static) -> std::io::Result<()> {
    use std::io::Read;
    let path = socket_path(data_dir);
    match std::fs::remove_file(&path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
        _ => {}
    }
    let listener = std::os::unix::net::UnixListener::bind(&path)?;
    std::thread::Builder::new()
        .name("paform-instance".into())
        .spawn(move || {
            for mut stream in listener.incoming().flatten() {
                // Drain the short message so the sender's write completes; its content is moot.
                let _ = stream.read(&mut [0u8; 16]);
                focus();
            }
        })?;
    Ok(())
}

#[cfg(not(unix))]
pub(crate) fn listen(_data_dir: &Path, _focus: impl Fn() + Send + 'static) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_second_launch_reaches_the_first_and_a_stale_socket_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!hand_over(dir.path()), "nobody listens yet");
        // A crashed run leaves its socket file behind.
        drop(std::os::unix::net::UnixListener::bind(socket_path(dir.path())).unwrap());
        assert!(!hand_over(dir.path()), "a stale socket is not an instance");
        let (focused, focus_requests) = mpsc::channel();
        listen(dir.path(), move || focused.send(()).unwrap()).unwrap();
        assert!(hand_over(dir.path()));
        focus_requests
            .recv_timeout(Duration::from_secs(5))
            .expect("the running instance was asked to focus");
    }
}
