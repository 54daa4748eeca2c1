//! Backups (SPEC §13): an archive taken while orders are being written restores every order
//! acknowledged before it, with events that agree and an audit chain that verifies, and its
//! design assets; a corrupted archive is refused naming the file, before anything is
//! written; a non-empty data directory is refused without `--force`; the CLI refuses a
//! store a running server holds.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use paform_app::SyncConfig;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::support::{TestApp, paform_binary, spawn_app, spawn_app_with};

fn paform(args: &[&str]) -> Output {
    Command::new(paform_binary())
        .args(args)
        .env_remove("PAFORM_DATA_DIR")
        .output()
        .expect("paform runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The asset's bytes: recognizable in the archive, so a test can damage exactly them.
fn asset_bytes() -> Vec<u8> {
    let mut bytes = b"PAFORM-ASSET-".to_vec();
    bytes.extend((0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    bytes
}

/// A catalog module to quote, and one order with a design asset.
async fn prepare(app: &TestApp) -> (String, String) {
    let oak = app.material("Oak", "1", None).await;
    let cube = app
        .module("Cube", [304.8, 304.8, 304.8], "9.00", &oak)
        .await;
    let order_id = order(app, &cube).await;
    let request = app
        .post(
            &format!("/api/orders/{order_id}/design-requests"),
            &json!({"description": "Corner"}),
        )
        .await;
    let request_id = request.body["id"].as_str().unwrap();
    let version = app
        .post(
            &format!("/api/design-requests/{request_id}/versions"),
            &json!({"notes": "first"}),
        )
        .await;
    let version_id = version.body["id"].as_str().unwrap();
    let uploaded = app
        .post_raw(
            &format!("/api/design-versions/{version_id}/assets?kind=glb&filename=corner.glb"),
            "application/octet-stream",
            asset_bytes(),
        )
        .await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.body);
    (cube, uploaded.body["id"].as_str().unwrap().to_owned())
}

/// Quotes, accepts and moves one order on; returns its id once all of it is acknowledged.
async fn order(app: &TestApp, cube: &str) -> String {
    let quote = app
        .post(
            "/api/quote/generate",
            &json!({"items": [{"module_id": cube, "quantity": 1}]}),
        )
        .await;
    assert_eq!(quote.status, 201, "{}", quote.body);
    let actor = json!({"id": "u-1", "name": "Sam", "role": "sales"});
    let accepted = app
        .post(
            &format!("/api/quotes/{}/accept", quote.body["id"].as_str().unwrap()),
            &json!({"buyer": {"name": "Ada", "email": "ada@example.com"}, "actor": actor}),
        )
        .await;
    assert_eq!(accepted.status, 201, "{}", accepted.body);
    let id = accepted.body["id"].as_str().unwrap().to_owned();
    let moved = app
        .post(
            &format!("/api/orders/{id}/transitions"),
            &json!({"to": "pending_payment", "actor": actor}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    id
}

/// The ids of every order the server lists.
async fn order_ids(app: &TestApp) -> Vec<String> {
    let listed = app.get("/api/orders?limit=200").await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    assert!(
        listed.body["total"].as_u64().unwrap_or(u64::MAX) <= 200,
        "{}",
        listed.body["total"]
    );
    listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|order| order["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Each order's status is where its status events led, and there is no other kind of gap.
async fn assert_orders_agree_with_their_events(app: &TestApp, ids: &[String]) {
    for id in ids {
        let order = app.get(&format!("/api/orders/{id}")).await;
        assert_eq!(order.status, 200, "order {id} is missing: {}", order.body);
        let events = app.get(&format!("/api/orders/{id}/events")).await.body;
        let last_status = events
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .find(|event| event["kind"] == "status_changed")
            .map(|event| event["data"]["to"].clone());
        match last_status {
            Some(to) => assert_eq!(order.body["status"], to, "order {id}"),
            None => assert_eq!(order.body["status"], "draft", "order {id}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_under_concurrent_writes_restores_every_acknowledged_order_consistently() {
    let app = Arc::new(spawn_app().await);
    let (cube, asset_id) = prepare(&app).await;
    let prepared = order_ids(&app).await;
    // Each acknowledged order with whether its first request started after the backup had
    // answered (then it cannot be in the snapshot).
    let acknowledged: Arc<Mutex<Vec<(String, bool)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let backup_answered = Arc::new(AtomicBool::new(false));
    let writer = {
        let (app, acknowledged, stop) = (app.clone(), acknowledged.clone(), stop.clone());
        let backup_answered = backup_answered.clone();
        tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                let started_after_backup = backup_answered.load(Ordering::SeqCst);
                let id = order(&app, &cube).await;
                acknowledged.lock().await.push((id, started_after_backup));
            }
        })
    };
    while acknowledged.lock().await.len() < 10 {
        tokio::task::yield_now().await;
    }
    let mut before_backup = prepared.clone();
    before_backup.extend(acknowledged.lock().await.iter().map(|(id, _)| id.clone()));
    let backup = app.post("/api/backups", &json!({})).await;
    backup_answered.store(true, Ordering::SeqCst);
    assert_eq!(backup.status, 201, "{}", backup.body);
    while acknowledged
        .lock()
        .await
        .iter()
        .filter(|(_, after)| *after)
        .count()
        < 5
    {
        tokio::task::yield_now().await;
    }
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();
    let acknowledged = acknowledged.lock().await.clone();

    let archive = Path::new(app.data_dir())
        .join("backups")
        .join(backup.body["file"].as_str().unwrap());
    assert_eq!(
        backup.body["size"],
        std::fs::metadata(&archive).unwrap().len()
    );
    let listed = app.get("/api/backups").await.body;
    assert_eq!(listed["backups"][0]["file"], backup.body["file"]);
    assert_eq!(listed["last_backup_at"], backup.body["created_at"]);
    assert_eq!(listed["overdue"], false);

    let restored = tempfile::tempdir().unwrap();
    let copy = restored.path().join("archive.tar.zst");
    std::fs::copy(&archive, &copy).unwrap();
    let target = restored.path().join("data");
    let restore = paform(&[
        "backup",
        "restore",
        copy.to_str().unwrap(),
        "--data-dir",
        target.to_str().unwrap(),
    ]);
    assert!(restore.status.success(), "{}", text(&restore.stderr));
    let verify = paform(&["audit", "verify", "--data-dir", target.to_str().unwrap()]);
    assert!(verify.status.success(), "{}", text(&verify.stdout));
    assert!(
        !target.join("backups").exists(),
        "backups are not backed up"
    );

    let data_dir = tempfile::tempdir().unwrap();
    std::fs::remove_dir(data_dir.path()).unwrap();
    std::fs::rename(&target, data_dir.path()).unwrap();
    let reopened = spawn_app_with(SyncConfig::default(), Some(data_dir)).await;
    assert_orders_agree_with_their_events(&reopened, &before_backup).await;
    // Exactly: every order acknowledged before the backup was asked for is restored, no order
    // begun after the backup answered is, and nothing else appears (the ones in between may
    // or may not have made the snapshot, but only whole).
    let ids = order_ids(&reopened).await;
    for id in &before_backup {
        assert!(
            ids.contains(id),
            "order {id}, acknowledged before the backup, is missing"
        );
    }
    for (id, started_after_backup) in &acknowledged {
        assert!(
            !(*started_after_backup && ids.contains(id)),
            "order {id} was begun after the backup answered, yet it was restored"
        );
    }
    let known: Vec<&String> = prepared
        .iter()
        .chain(acknowledged.iter().map(|(id, _)| id))
        .collect();
    for id in &ids {
        assert!(
            known.contains(&id),
            "order {id} was restored but never acknowledged"
        );
    }
    assert_orders_agree_with_their_events(&reopened, &ids).await;
    let asset = reopened
        .client
        .get(reopened.url(&format!("/api/design-assets/{asset_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), 200);
    assert_eq!(
        asset.bytes().await.unwrap().as_ref(),
        asset_bytes().as_slice()
    );
}

/// A server's data directory backed up by the CLI after the server stopped.
async fn stopped_backup() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let app = spawn_app().await;
    let (_, asset_id) = prepare(&app).await;
    let data_dir = app.stop().await;
    let folder = tempfile::tempdir().unwrap();
    let args = [
        "backup",
        "create",
        "--data-dir",
        data_dir.path().to_str().unwrap(),
        "--to",
        folder.path().to_str().unwrap(),
    ];
    // A server stopped a moment ago may hold the store's lock until its writer thread ends.
    let mut created = paform(&args);
    for _ in 0..500 {
        if created.status.success() || !text(&created.stderr).contains("locked") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        created = paform(&args);
    }
    assert!(created.status.success(), "{}", text(&created.stderr));
    let archive = std::path::PathBuf::from(text(&created.stdout).trim());
    assert!(archive.starts_with(folder.path()));
    let listed = paform(&[
        "backup",
        "list",
        "--folder",
        folder.path().to_str().unwrap(),
    ]);
    assert!(text(&listed.stdout).contains(archive.to_str().unwrap()));
    (folder, archive, asset_id)
}

/// The tar stream inside a compressed archive, as an earlier build wrote it uncompressed.
fn plain_tar(archive: &Path) -> Vec<u8> {
    let compressed = std::fs::read(archive).unwrap();
    assert_eq!(
        compressed[..4],
        [0x28, 0xb5, 0x2f, 0xfd],
        "the archive is a zstd frame"
    );
    zstd::stream::decode_all(compressed.as_slice()).expect("the archive decompresses")
}

#[tokio::test]
async fn backups_are_compressed_and_plain_archives_of_earlier_builds_still_restore() {
    let (folder, archive, asset_id) = stopped_backup().await;
    let name = archive.file_name().unwrap().to_str().unwrap();
    assert!(
        name.starts_with("paform-backup-") && name.ends_with(".tar.zst"),
        "{name}"
    );
    let plain = plain_tar(&archive);
    let compressed_size = std::fs::metadata(&archive).unwrap().len();
    println!(
        "backup of a small store: {} bytes as tar, {compressed_size} bytes as tar.zst",
        plain.len()
    );
    assert!(
        compressed_size * 2 < plain.len() as u64,
        "{compressed_size} compressed bytes of {} plain",
        plain.len()
    );

    let old = folder.path().join(name.trim_end_matches(".zst"));
    std::fs::write(&old, &plain).unwrap();
    let listed = paform(&[
        "backup",
        "list",
        "--folder",
        folder.path().to_str().unwrap(),
    ]);
    assert!(
        text(&listed.stdout).contains(old.to_str().unwrap()),
        "{}",
        text(&listed.stdout)
    );
    let target = tempfile::tempdir().unwrap();
    let dir = target.path().join("data");
    let restore = paform(&[
        "backup",
        "restore",
        old.to_str().unwrap(),
        "--data-dir",
        dir.to_str().unwrap(),
    ]);
    assert!(restore.status.success(), "{}", text(&restore.stderr));
    let verify = paform(&["audit", "verify", "--data-dir", dir.to_str().unwrap()]);
    assert!(verify.status.success(), "{}", text(&verify.stdout));
    assert_eq!(
        std::fs::read(dir.join("assets").join(&asset_id)).unwrap(),
        asset_bytes()
    );
}

#[tokio::test]
async fn a_corrupted_archive_is_refused_naming_the_file_before_anything_is_written() {
    let (_folder, archive, asset_id) = stopped_backup().await;
    let mut bytes = plain_tar(&archive);
    let start = bytes
        .windows(13)
        .position(|window| window == b"PAFORM-ASSET-")
        .expect("the asset is in the archive");
    bytes[start + 1000] ^= 0x01;
    // The damaged stream compressed again, and as a plain archive of an earlier build.
    let recompressed = zstd::stream::encode_all(bytes.as_slice(), 3).unwrap();
    let plain = archive.with_extension("");
    std::fs::write(&archive, &recompressed).unwrap();
    std::fs::write(&plain, &bytes).unwrap();
    for archive in [archive, plain] {
        assert_refused_naming_the_asset(&archive, &asset_id);
    }
}

fn assert_refused_naming_the_asset(archive: &Path, asset_id: &str) {
    let target = tempfile::tempdir().unwrap();
    let restore = paform(&[
        "backup",
        "restore",
        archive.to_str().unwrap(),
        "--data-dir",
        target.path().to_str().unwrap(),
    ]);
    assert!(!restore.status.success());
    let stderr = text(&restore.stderr);
    assert!(
        stderr.contains(&format!("assets/{asset_id}")) && stderr.contains("SHA-256"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(target.path()).unwrap().count(), 0);
    let parent = target.path().parent().unwrap();
    let name = target.path().file_name().unwrap().to_str().unwrap();
    let leftovers = std::fs::read_dir(parent)
        .unwrap()
        .filter(|entry| {
            let entry_name = entry.as_ref().unwrap().file_name();
            entry_name
                .to_string_lossy()
                .starts_with(&format!(".{name}."))
        })
        .count();
    assert_eq!(leftovers, 0, "no restore directory is left behind");
}

#[tokio::test]
async fn a_damaged_compressed_stream_is_refused_before_anything_is_written() {
    let (_folder, archive, _) = stopped_backup().await;
    let mut bytes = std::fs::read(&archive).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x10;
    std::fs::write(&archive, &bytes).unwrap();
    let target = tempfile::tempdir().unwrap();
    let restore = paform(&[
        "backup",
        "restore",
        archive.to_str().unwrap(),
        "--data-dir",
        target.path().to_str().unwrap(),
    ]);
    assert!(!restore.status.success());
    let stderr = text(&restore.stderr);
    assert!(stderr.contains(archive.to_str().unwrap()), "{stderr}");
    assert_eq!(std::fs::read_dir(target.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn a_non_empty_data_directory_is_replaced_only_with_force() {
    let (_folder, archive, _) = stopped_backup().await;
    let target = tempfile::tempdir().unwrap();
    std::fs::write(target.path().join("notes.txt"), "keep me").unwrap();
    let dir = target.path().to_str().unwrap();
    let refused = paform(&[
        "backup",
        "restore",
        archive.to_str().unwrap(),
        "--data-dir",
        dir,
    ]);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("--force"),
        "{}",
        text(&refused.stderr)
    );
    assert!(target.path().join("notes.txt").exists());
    let forced = paform(&[
        "backup",
        "restore",
        archive.to_str().unwrap(),
        "--data-dir",
        dir,
        "--force",
    ]);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    assert!(!target.path().join("notes.txt").exists());
    assert!(target.path().join("paform.redb").exists());
    let verify = paform(&["audit", "verify", "--data-dir", dir]);
    assert!(verify.status.success(), "{}", text(&verify.stdout));
}

#[tokio::test]
async fn the_cli_refuses_to_back_up_a_store_a_running_server_holds() {
    let app = spawn_app().await;
    let created = paform(&[
        "backup",
        "create",
        "--data-dir",
        app.data_dir().to_str().unwrap(),
    ]);
    assert!(!created.status.success());
    let stderr = text(&created.stderr);
    assert!(stderr.contains("locked by a running Paform"), "{stderr}");
    let value: Value = app.get("/api/backups").await.body;
    assert_eq!(value["backups"].as_array().unwrap().len(), 0);
    assert_eq!(value["overdue"], true);
}

/// The catalog's material names, sorted.
async fn material_names(app: &TestApp) -> Vec<String> {
    let page = app.get("/api/materials?limit=100").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let mut names: Vec<String> = page.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|material| material["name"].as_str().expect("a name").to_owned())
        .collect();
    names.sort();
    names
}

/// A server with a material `Before`, a backup of it, then a material `After`; the backup's
/// file name.
async fn backed_up_then_changed() -> (TestApp, String) {
    let app = spawn_app_with(SyncConfig::default(), None).await;
    app.material("Before", "1.00", None).await;
    let backup = app.post("/api/backups", &json!({})).await;
    assert_eq!(backup.status, 201, "{}", backup.body);
    app.material("After", "1.00", None).await;
    let file = backup.body["file"].as_str().expect("a file").to_owned();
    (app, file)
}

#[tokio::test]
async fn a_backup_chosen_in_settings_is_restored_at_the_next_start_and_the_archives_stay() {
    let (app, file) = backed_up_then_changed().await;
    for (name, status) in [
        ("paform-backup-19990101T000000.000Z.tar.zst", 404),
        ("../paform.redb", 404),
    ] {
        app.post("/api/backups/restore", &json!({"file": name}))
            .await
            .assert_problem(status, None);
    }
    let pending = app
        .post("/api/backups/restore", &json!({"file": file}))
        .await;
    assert_eq!(pending.status, 202, "{}", pending.body);
    assert_eq!(pending.body["file"], file.as_str());
    assert_eq!(pending.body["error"], Value::Null);
    assert_eq!(
        app.get("/api/backups").await.body["pending_restore"]["file"],
        file.as_str()
    );
    // Nothing changes while this start runs.
    assert_eq!(material_names(&app).await, ["After", "Before"]);

    let data_dir = app.stop().await;
    let app = spawn_app_with(SyncConfig::default(), Some(data_dir)).await;
    assert_eq!(material_names(&app).await, ["Before"]);
    let backups = app.get("/api/backups").await.body;
    assert_eq!(backups["pending_restore"], Value::Null, "applied once");
    assert_eq!(
        backups["backups"][0]["file"],
        file.as_str(),
        "the archive is kept"
    );

    // A backup taken now does not carry a restore note, so restoring it schedules nothing.
    app.material("Again", "1.00", None).await;
    let data_dir = app.stop().await;
    let app = spawn_app_with(SyncConfig::default(), Some(data_dir)).await;
    assert_eq!(material_names(&app).await, ["Again", "Before"]);
}

#[tokio::test]
async fn a_restore_that_fails_at_start_keeps_the_data_and_says_why_until_cancelled() {
    let (app, file) = backed_up_then_changed().await;
    let pending = app
        .post("/api/backups/restore", &json!({"file": file}))
        .await;
    assert_eq!(pending.status, 202, "{}", pending.body);
    // The archive is damaged after it was chosen.
    let archive = app.data_dir().join("backups").join(&file);
    let bytes = std::fs::read(&archive).expect("the archive");
    std::fs::write(&archive, &bytes[..bytes.len() / 2]).expect("truncated");

    let data_dir = app.stop().await;
    let app = spawn_app_with(SyncConfig::default(), Some(data_dir)).await;
    assert_eq!(material_names(&app).await, ["After", "Before"]);
    let failed = app.get("/api/backups").await.body["pending_restore"].clone();
    let reason = failed["error"].as_str().expect("the failure is kept");
    assert!(reason.contains(&file), "{reason}");

    // A failed note is not tried again at the next start, and cancelling clears it.
    let data_dir = app.stop().await;
    let app = spawn_app_with(SyncConfig::default(), Some(data_dir)).await;
    assert_eq!(material_names(&app).await, ["After", "Before"]);
    let cancelled = app.delete("/api/backups/restore").await;
    assert_eq!(cancelled.status, 204, "{}", cancelled.body);
    assert_eq!(
        app.get("/api/backups").await.body["pending_restore"],
        Value::Null
    );
    // A damaged archive is refused when chosen.
    app.post("/api/backups/restore", &json!({"file": file}))
        .await
        .assert_problem(422, None);
}
