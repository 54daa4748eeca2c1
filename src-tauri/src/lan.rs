//! The optional local-network server (SPEC §1, §8): the same `paform_http::serve` as
//! `paform serve`, started inside the desktop app over the same `App`, so tablets and
//! shop-floor devices can use this machine's API and UI.
//!
//! Invariants:
//! - Off until started; at most one runs; it stops with the app.
//! - Beyond loopback it requires device tokens and refuses to start while none exists.
//! - Tablets get the UI from the files embedded in this binary, written once per start
//!   into `lan-ui/` in the data directory (a browser cannot read Tauri's own protocol).

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use paform_app::dto::LanServerStatus;
use paform_app::{App, AppError};
use paform_http::ServerOptions;
use tauri::AppHandle;
use tokio::sync::{Mutex, oneshot};

use crate::error::CommandResult;

/// How long a stop waits for open requests before it drops them.
const STOP_GRACE: Duration = Duration::from_secs(5);

struct Running {
    address: SocketAddr,
    require_token: bool,
    shutdown: oneshot::Sender<()>,
    task: tauri::async_runtime::JoinHandle<()>,
}

#[derive(Default)]
pub(crate) struct LanServer {
    running: Mutex<Option<Running>>,
}

pub(crate) fn parse_bind(bind: &str) -> Result<SocketAddr, AppError> {
    bind.trim().parse().map_err(|_| {
        AppError::invalid_field("bind", "must be an address and port such as 0.0.0.0:8000")
    })
}

impl LanServer {
    pub(crate) async fn status(&self, app: &App) -> CommandResult<LanServerStatus> {
        let running = self.running.lock().await;
        let address = running.as_ref().map(|server| server.address);
        Ok(LanServerStatus {
            running: running.is_some(),
            address: address.map(|address| address.to_string()),
            urls: address.map(reachable_urls).unwrap_or_default(),
            require_token: running.as_ref().is_some_and(|server| server.require_token),
            has_device_tokens: app.has_active_device_tokens()?,
        })
    }

    pub(crate) async fn start(
        &self,
        handle: &AppHandle,
        app: &App,
        bind: &str,
    ) -> CommandResult<LanServerStatus> {
        let bind = parse_bind(bind)?;
        {
            let mut running = self.running.lock().await;
            if let Some(server) = running.as_ref() {
                return Err(AppError::Conflict(format!(
                    "the local-network server already runs on {}; stop it first",
                    server.address
                ))
                .into());
            }
            let require_token = paform_http::requires_token(&bind);
            if require_token && !app.has_active_device_tokens()? {
                return Err(AppError::Conflict(format!(
                    "serving on {bind} needs a device token for every device, and none exists: \
                     create one under Settings → Device tokens first"
                ))
                .into());
            }
            let listener = tokio::net::TcpListener::bind(bind)
                .await
                .map_err(|error| AppError::Conflict(format!("cannot listen on {bind}: {error}")))?;
            let address = listener
                .local_addr()
                .map_err(|error| AppError::internal(anyhow::Error::new(error)))?;
            let ui_dir = write_embedded_ui(handle, &app.data_dir().join("lan-ui"))
                .inspect_err(|error| tracing::warn!(%error, "the UI is not served to devices"))
                .ok();
            let options = ServerOptions {
                ui_dir,
                require_token,
                ..ServerOptions::default()
            };
            let (shutdown, stopped) = oneshot::channel::<()>();
            let served = app.clone();
            let task = tauri::async_runtime::spawn(async move {
                let stopped = async move {
                    let _ = stopped.await;
                };
                if let Err(error) = paform_http::serve(listener, served, &options, stopped).await {
                    tracing::error!(%error, "the local-network server failed");
                }
            });
            tracing::info!(%address, require_token, "local-network server listening");
            *running = Some(Running {
                address,
                require_token,
                shutdown,
                task,
            });
        }
        self.status(app).await
    }

    pub(crate) async fn stop(&self, app: &App) -> CommandResult<LanServerStatus> {
        let server = self.running.lock().await.take();
        if let Some(server) = server {
            let _ = server.shutdown.send(());
            let mut task = server.task;
            if tokio::time::timeout(STOP_GRACE, &mut task).await.is_err() {
                task.abort();
            }
            tracing::info!(address = %server.address, "local-network server stopped");
        }
        self.status(app).await
    }
}

/// The URLs other devices use: the bound address itself, or, when bound to every address
/// (`0.0.0.0`, `::`), each non-loopback address of this machine of the same family. Loopback
/// comes last, so the first URL is the one to hand to a tablet.
fn reachable_urls(bound: SocketAddr) -> Vec<String> {
    let port = bound.port();
    let mut ips: Vec<IpAddr> = if bound.ip().is_unspecified() {
        if_addrs::get_if_addrs()
            .unwrap_or_default()
            .into_iter()
            .map(|interface| interface.ip())
            .filter(|ip| ip.is_ipv4() == bound.is_ipv4() && !ip.is_loopback())
            .filter(|ip| !matches!(ip, IpAddr::V6(v6) if v6.is_unicast_link_local()))
            .collect()
    } else {
        vec![bound.ip()]
    };
    ips.sort();
    ips.dedup();
    if bound.ip().is_unspecified() {
        ips.push(if bound.is_ipv4() {
            IpAddr::from([127, 0, 0, 1])
        } else {
            IpAddr::from([0, 0, 0, 0, 0, 0, 0, 1])
        });
    }
    ips.into_iter()
        .map(|ip| format!("http://{}/", SocketAddr::new(ip, port)))
        .collect()
}

/// Writes the UI embedded in this binary into `dir` (replacing what an older start left).
fn write_embedded_ui(handle: &AppHandle, dir: &Path) -> std::io::Result<PathBuf> {
    let resolver = handle.asset_resolver();
    let keys: Vec<String> = resolver.iter().map(|(key, _)| key.into_owned()).collect();
    if keys.is_empty() {
        return Err(std::io::Error::other("this build embeds no UI"));
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    for key in keys {
        let relative = key.trim_start_matches('/');
        // Embedded keys come from our own build; still, never write outside `dir`.
        if relative
            .split('/')
            .any(|part| part == ".." || part.is_empty())
        {
            continue;
        }
        let Some(asset) = resolver.get(key.clone()) else {
            continue;
        };
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, asset.bytes)?;
    }
    Ok(dir.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_specific_bind_is_its_own_url_and_a_wildcard_ends_with_loopback() {
        assert_eq!(
            reachable_urls("192.168.1.20:8000".parse().unwrap()),
            ["http://192.168.1.20:8000/"]
        );
        let all = reachable_urls("0.0.0.0:8000".parse().unwrap());
        assert_eq!(all.last().unwrap(), "http://127.0.0.1:8000/");
        assert!(all.iter().all(|url| url.ends_with(":8000/")));
    }

    #[test]
    fn bind_addresses_are_parsed_and_bad_ones_name_the_field() {
        assert_eq!(
            parse_bind(" 0.0.0.0:8000 ").unwrap(),
            "0.0.0.0:8000".parse().unwrap()
        );
        for bad in ["", "8000", "localhost:8000", "0.0.0.0"] {
            let Err(AppError::Invalid { problems }) = parse_bind(bad) else {
                panic!("{bad:?} was accepted");
            };
            assert_eq!(problems[0].field, "bind");
        }
    }
}
