//! The local network (SPEC §8): a real server bound to 0.0.0.0 and reached on 127.0.0.1
//! requires device tokens on `/api` except health and the signed webhook, refuses foreign
//! `Host` and `Origin` headers, slows down token guessing, and the CLI creates tokens and
//! refuses to serve beyond loopback without one.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use paform_app::dto::DeviceTokenInput;
use paform_app::{App, AppConfig};
use paform_http::ServerOptions;
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::sync::oneshot;

use crate::support::{Reply, paform_binary};

/// A server on 0.0.0.0:0 requiring tokens, and the app behind it (to mint tokens directly).
struct LanServer {
    address: SocketAddr,
    app: App,
    client: reqwest::Client,
    _data_dir: TempDir,
    _shutdown: oneshot::Sender<()>,
}

async fn spawn_lan_server() -> LanServer {
    let data_dir = tempfile::tempdir().expect("a temporary directory can be made");
    let config = AppConfig {
        data_dir: data_dir.path().to_path_buf(),
        seed_demo_catalog: false,
    };
    let app = App::open(&config).await.expect("the app opens");
    let listener = tokio::net::TcpListener::bind("0.0.0.0:0")
        .await
        .expect("0.0.0.0:0 binds");
    let port = listener.local_addr().expect("bound").port();
    let (shutdown, stopped) = oneshot::channel::<()>();
    let served = app.clone();
    tokio::spawn(async move {
        let options = ServerOptions {
            require_token: true,
            ..ServerOptions::default()
        };
        let shutdown = async move {
            let _ = stopped.await;
        };
        paform_http::serve(listener, served, &options, shutdown)
            .await
            .expect("the server runs");
    });
    LanServer {
        address: SocketAddr::from(([127, 0, 0, 1], port)),
        app,
        client: reqwest::Client::new(),
        _data_dir: data_dir,
        _shutdown: shutdown,
    }
}

impl LanServer {
    fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }

    async fn token(&self, name: &str) -> (String, String) {
        let created = self
            .app
            .create_device_token(DeviceTokenInput {
                name: name.into(),
                role: None,
            })
            .await
            .expect("a token is created");
        (created.id, created.token)
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        let content_type = header("content-type");
        let text = response.text().await.expect("the body is readable");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            content_type,
            body,
        }
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        self.send(request).await
    }
}

fn is_auth_problem(reply: &Reply) -> bool {
    reply.status == 401
        && reply.body["detail"]
            .as_str()
            .is_some_and(|detail| detail.contains("device token"))
}

#[tokio::test]
async fn beyond_loopback_the_api_answers_401_without_a_token_and_200_with_one() {
    let server = spawn_lan_server().await;
    let (_, token) = server.token("tablet").await;

    let anonymous = server.get("/api/materials", None).await;
    anonymous.assert_problem(401, None);
    assert!(is_auth_problem(&anonymous), "{}", anonymous.body);

    let wrong_scheme = server
        .send(
            server
                .client
                .get(server.url("/api/materials"))
                .header("authorization", format!("Basic {token}")),
        )
        .await;
    wrong_scheme.assert_problem(401, None);

    let paired = server.get("/api/materials", Some(&token)).await;
    assert_eq!(paired.status, 200, "{}", paired.body);

    let used = server.app.list_device_tokens(false).unwrap();
    assert!(used[0].last_used_at.is_some(), "the use is recorded");
}

#[tokio::test]
async fn a_401_says_how_to_authenticate() {
    let server = spawn_lan_server().await;
    let response = server
        .client
        .get(server.url("/api/settings"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.headers()["www-authenticate"],
        "Bearer realm=\"paform\""
    );
}

#[tokio::test]
async fn a_revoked_token_is_refused() {
    let server = spawn_lan_server().await;
    let (id, token) = server.token("old tablet").await;
    assert_eq!(server.get("/api/materials", Some(&token)).await.status, 200);
    server.app.revoke_device_token(&id).await.unwrap();
    let refused = server.get("/api/materials", Some(&token)).await;
    refused.assert_problem(401, None);
}

#[tokio::test]
async fn health_is_public_and_the_ui_is_not_behind_the_token() {
    let server = spawn_lan_server().await;
    let health = server.get("/api/health", None).await;
    assert_eq!(health.status, 200, "{}", health.body);
    assert_eq!(health.body["status"], "ok");
    // No UI export in this server: the page is a plain 404, not the token's 401.
    let page = server.get("/configurator/", None).await;
    assert_ne!(page.status, 401);
}

#[tokio::test]
async fn the_signed_webhook_is_not_blocked_by_the_token() {
    let server = spawn_lan_server().await;
    let request = server
        .client
        .post(server.url("/api/sync/hygraph"))
        .header("content-type", "application/json")
        .header("gcms-signature", "sign=AAAA, env=master, t=1")
        .body(r#"{"operation":"publish","data":{}}"#);
    let reply = server.send(request).await;
    // The webhook answers by its own rules (no secret: 503; bad signature: 401), never with
    // the device-token problem.
    assert!(
        [400, 401, 503].contains(&reply.status),
        "{} {}",
        reply.status,
        reply.body
    );
    assert!(!is_auth_problem(&reply), "{}", reply.body);
    // Its delivery log is an ordinary API route and needs the token.
    let log = server.get("/api/sync/hygraph/deliveries", None).await;
    assert!(is_auth_problem(&log), "{}", log.body);
}

#[tokio::test]
async fn a_foreign_host_header_is_refused_and_own_names_are_accepted() {
    let server = spawn_lan_server().await;
    let (_, token) = server.token("tablet").await;
    let port = server.address.port();
    for host in [
        "evil.example".to_owned(),
        format!("rebind.attacker.test:{port}"),
    ] {
        let request = server
            .client
            .get(server.url("/api/health"))
            .header("host", host.as_str());
        server.send(request).await.assert_problem(403, None);
    }
    for host in [format!("localhost:{port}"), format!("[::1]:{port}")] {
        let request = server
            .client
            .get(server.url("/api/materials"))
            .bearer_auth(&token)
            .header("host", host.as_str());
        assert_eq!(server.send(request).await.status, 200, "{host}");
    }
}

#[tokio::test]
async fn only_the_own_and_the_desktop_origins_may_call_the_api() {
    let server = spawn_lan_server().await;
    let (_, token) = server.token("tablet").await;
    let with_origin = |origin: &str| {
        server
            .client
            .post(server.url("/api/tokens"))
            .bearer_auth(&token)
            .header("origin", origin)
            .json(&json!({"name": "from a page"}))
    };
    server
        .send(with_origin("https://evil.example"))
        .await
        .assert_problem(403, None);
    let own = format!("http://{}", server.address);
    assert_eq!(server.send(with_origin(&own)).await.status, 201);

    let response = with_origin("tauri://localhost").send().await.unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "tauri://localhost"
    );
}

#[tokio::test]
async fn repeated_wrong_tokens_from_one_address_are_answered_429() {
    let server = spawn_lan_server().await;
    let (_, token) = server.token("tablet").await;
    // Asking without a token (an unpaired browser) is not guessing and is not counted.
    for _ in 0..10 {
        assert_eq!(server.get("/api/materials", None).await.status, 401);
    }
    let guess = format!("pf_{}", "A".repeat(43));
    for _ in 0..5 {
        let reply = server.get("/api/materials", Some(&guess)).await;
        assert!(is_auth_problem(&reply), "{}", reply.body);
    }
    let response = server
        .client
        .get(server.url("/api/materials"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    // Health stays reachable while the address waits.
    assert_eq!(server.get("/api/health", None).await.status, 200);
}

#[tokio::test]
async fn tokens_are_created_listed_and_revoked_through_the_api() {
    let server = spawn_lan_server().await;
    let (_, token) = server.token("desk").await;
    let created = server
        .send(
            server
                .client
                .post(server.url("/api/tokens"))
                .bearer_auth(&token)
                .json(&json!({"name": "shop-floor"})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let new_token = created.body["token"].as_str().unwrap().to_owned();
    let new_id = created.body["id"].as_str().unwrap().to_owned();
    assert!(new_token.starts_with("pf_"));
    assert_eq!(
        server.get("/api/health", Some(&new_token)).await.status,
        200
    );

    let listed = server.get("/api/tokens", Some(&new_token)).await;
    assert_eq!(listed.status, 200);
    let names: Vec<&str> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["desk", "shop-floor"]);
    assert!(!listed.body.to_string().contains(&new_token));
    assert!(!listed.body.to_string().contains(&token));

    let revoke = || {
        server
            .client
            .delete(server.url(&format!("/api/tokens/{new_id}")))
            .bearer_auth(&token)
    };
    assert_eq!(server.send(revoke()).await.status, 204);
    assert_eq!(
        server.send(revoke()).await.status,
        204,
        "revoking is idempotent"
    );
    let unknown = server
        .client
        .delete(server.url("/api/tokens/nope"))
        .bearer_auth(&token);
    server.send(unknown).await.assert_problem(404, None);
    let blank = server
        .client
        .post(server.url("/api/tokens"))
        .bearer_auth(&token)
        .json(&json!({"name": " "}));
    server.send(blank).await.assert_problem(422, Some("name"));

    let remaining = server.get("/api/tokens", Some(&token)).await;
    assert_eq!(remaining.body.as_array().unwrap().len(), 1);
    let all = server
        .get("/api/tokens?include_revoked=true", Some(&token))
        .await;
    assert_eq!(all.body.as_array().unwrap().len(), 2);
}

fn paform(args: &[&str]) -> std::process::Output {
    Command::new(paform_binary())
        .args(args)
        .env_remove("PAFORM_BIND")
        .env_remove("PAFORM_DATA_DIR")
        .output()
        .expect("paform runs")
}

#[test]
fn paform_token_create_prints_the_token_alone_and_list_and_revoke_manage_it() {
    let data_dir = tempfile::tempdir().unwrap();
    let dir = data_dir.path().to_str().unwrap();
    let created = paform(&["token", "create", "--name", "tablet", "--data-dir", dir]);
    assert!(created.status.success(), "{created:?}");
    let stdout = String::from_utf8(created.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout:?}");
    assert!(
        lines[0].starts_with("pf_") && lines[0].len() == 46,
        "{stdout:?}"
    );

    let listed = paform(&["token", "list", "--data-dir", dir]);
    assert!(listed.status.success(), "{listed:?}");
    let listing = String::from_utf8(listed.stdout).unwrap();
    assert!(
        listing.contains("tablet") && !listing.contains(lines[0]),
        "{listing}"
    );
    let id = listing.split('\t').next().unwrap().to_owned();

    let revoked = paform(&["token", "revoke", &id, "--data-dir", dir]);
    assert!(revoked.status.success(), "{revoked:?}");
    let after = paform(&["token", "list", "--data-dir", dir]);
    assert!(String::from_utf8(after.stdout).unwrap().is_empty());
    let unknown = paform(&["token", "revoke", "nope", "--data-dir", dir]);
    assert!(!unknown.status.success());
}

/// Runs `paform serve` and returns (exited with success?, stderr) once it exits, or `None`
/// with the child killed once it has logged that it listens.
fn serve_until_listening_or_exit(args: &[&str]) -> Option<(bool, String)> {
    let mut child = Command::new(paform_binary())
        .args(args)
        .env_remove("PAFORM_BIND")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("paform starts");
    let stderr = child.stderr.take().expect("stderr is piped");
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut text = String::new();
    loop {
        match received.recv_timeout(Duration::from_secs(60)) {
            Ok(line) if line.contains("listening on") => {
                child.kill().expect("the server can be stopped");
                child.wait().expect("the server is reaped");
                return None;
            }
            Ok(line) => {
                text.push_str(&line);
                text.push('\n');
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let status = child.wait().expect("paform exits");
                return Some((status.success(), text));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                child.kill().expect("a hung server can be stopped");
                panic!("paform serve neither listened nor exited: {text}");
            }
        }
    }
}

#[test]
fn paform_serve_beyond_loopback_refuses_to_start_without_a_token_and_starts_with_one() {
    let data_dir = tempfile::tempdir().unwrap();
    let dir = data_dir.path().to_str().unwrap();
    let serve = ["serve", "--bind", "0.0.0.0:0", "--data-dir", dir];
    let (success, stderr) =
        serve_until_listening_or_exit(&serve).expect("paform serve must not start without a token");
    assert!(!success);
    assert!(stderr.contains("paform token create"), "{stderr}");

    let created = paform(&["token", "create", "--name", "tablet", "--data-dir", dir]);
    assert!(created.status.success(), "{created:?}");
    assert_eq!(serve_until_listening_or_exit(&serve), None, "it starts now");
}

#[tokio::test]
async fn the_event_stream_opens_with_a_signed_query_token_and_not_without_one() {
    let server = spawn_lan_server().await;
    assert!(is_auth_problem(&server.get("/api/events", None).await));
    assert_eq!(
        server
            .get("/api/events?token=4102444800.00", None)
            .await
            .status,
        401
    );
    let (_, device_token) = server.token("office").await;
    let minted = server.get("/api/events/token", Some(&device_token)).await;
    assert_eq!(minted.status, 200, "{}", minted.body);
    assert_eq!(minted.body["expires_in"], 60);
    let token = minted.body["token"].as_str().expect("a token");
    let stream = server
        .client
        .get(server.url(&format!("/api/events?token={token}")))
        .send()
        .await
        .expect("the stream opens");
    assert_eq!(stream.status(), 200);
    // The events token opens only the stream.
    let other = server
        .get(&format!("/api/orders?token={token}"), None)
        .await;
    assert!(is_auth_problem(&other));
}
