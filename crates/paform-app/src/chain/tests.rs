//! The node log as the use cases write it, on an in-memory store: one entry per owned write
//! in the write's own transaction, numbered without gaps; the HQ URL rule; the status shape.

use std::sync::Arc;

use jiff::Timestamp;
use paform_store::chain::{NODE_LOG, chain_state, log_entries_after};
use paform_store::records::chain::NodeLogRecord;
use serde_json::Value;

use super::client::check_hq_url;
use crate::dto::{ActorInput, ChainJoin, ChainRole, ChainState, CustomerInput, TransitionRequest};
use crate::{App, AppError, Clock};

struct FixedClock;

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        "2026-12-07T09:00:00Z".parse().expect("valid timestamp")
    }
}

async fn app() -> App {
    App::in_memory(Arc::new(FixedClock), false)
        .await
        .expect("in-memory app")
}

fn log(app: &App) -> Vec<NodeLogRecord> {
    app.store()
        .read(|tx| log_entries_after(tx, 0, usize::MAX))
        .expect("the log reads")
}

fn customer(name: &str) -> CustomerInput {
    CustomerInput {
        name: name.into(),
        email: None,
        phone: None,
        address: None,
        notes: None,
    }
}

#[tokio::test]
async fn a_new_customer_logs_exactly_one_entry_carrying_the_customer_as_the_api_returns_it() {
    let app = app().await;
    let created = app.create_customer(customer("Ada")).await.expect("created");
    let entries = log(&app);
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!((entry.node_seq, entry.kind.as_str()), (1, "customer"));
    assert_eq!(entry.key, created.id);
    let body: Value = serde_json::from_str(&entry.body).expect("json");
    assert_eq!(body, serde_json::to_value(&created).expect("json"));

    app.update_customer(&created.id, customer("Ada Lovelace"))
        .await
        .expect("updated");
    let entries = log(&app);
    assert_eq!(entries.len(), 2);
    assert!(entries[1].body.contains("Ada Lovelace"));
}

#[tokio::test]
async fn a_refused_write_leaves_no_entry_and_uses_no_number() {
    let app = app().await;
    let refused = app.create_customer(customer("   ")).await;
    assert!(
        matches!(refused, Err(AppError::Invalid { .. })),
        "{refused:?}"
    );
    let missing = app.update_customer("nobody", customer("Bob")).await;
    assert!(matches!(missing, Err(AppError::NotFound { .. })));
    assert!(log(&app).is_empty());
    app.create_customer(customer("Bob")).await.expect("created");
    assert_eq!(
        log(&app)[0].node_seq,
        1,
        "no number was used by the refused writes"
    );
}

#[tokio::test]
async fn concurrent_writes_are_numbered_one_to_n_without_gaps_or_repeats() {
    let app = app().await;
    let writes = (0..64).map(|n| {
        let app = app.clone();
        tokio::spawn(async move { app.create_customer(customer(&format!("C{n}"))).await })
    });
    let mut ids = Vec::new();
    for write in writes {
        ids.push(write.await.expect("joins").expect("created").id);
    }
    let entries = log(&app);
    let numbers: Vec<u64> = entries.iter().map(|entry| entry.node_seq).collect();
    assert_eq!(numbers, (1..=64).collect::<Vec<_>>());
    let mut keys: Vec<String> = entries.into_iter().map(|entry| entry.key).collect();
    keys.sort();
    ids.sort();
    assert_eq!(keys, ids, "each write logged once");
    let state = app.store().read(chain_state).expect("state");
    assert_eq!((state.last_seq, state.held_seq), (64, 0));
    assert_eq!(
        app.store().read(|tx| tx.count(&NODE_LOG)).expect("count"),
        64
    );
}

#[tokio::test]
async fn a_sold_and_moved_order_logs_its_quote_and_every_event_with_its_hash() {
    let app = app().await;
    let order = crate::order_tests::sold_order_of(&app, 1).await;
    app.transition_order(
        &order.id,
        TransitionRequest {
            to: "pending_payment".into(),
            actor: ActorInput::Name("Rita".into()),
            note: None,
            expected_version: Some(1),
            override_check: None,
        },
        None,
    )
    .await
    .expect("moved");
    let entries = log(&app);
    let kinds: Vec<&str> = entries.iter().map(|entry| entry.kind.as_str()).collect();
    assert!(kinds.contains(&"quote"), "{kinds:?}");
    let events: Vec<&NodeLogRecord> = entries
        .iter()
        .filter(|entry| entry.kind == "order_event")
        .collect();
    assert!(!events.is_empty());
    let stored = app.order_events(&order.id).expect("events");
    assert_eq!(events.len(), stored.len());
    let first: Value = serde_json::from_str(&events[0].body).expect("json");
    assert_eq!(events[0].key, format!("{}/1", order.id));
    assert_eq!(first["order_id"], order.id.as_str());
    assert_eq!(first["seq"], 1);
    assert_eq!(first["hash"].as_str().map(str::len), Some(64));
    let numbers: Vec<u64> = entries.iter().map(|entry| entry.node_seq).collect();
    assert_eq!(numbers, (1..=entries.len() as u64).collect::<Vec<_>>());
}

#[test]
fn hq_must_be_https_except_on_loopback() {
    for allowed in [
        "https://hq.example.com",
        "https://10.0.0.5:8443/",
        "http://127.0.0.1:9000",
        "http://localhost:9000",
        "http://[::1]:9000",
    ] {
        assert!(check_hq_url(allowed).is_ok(), "{allowed}");
    }
    for refused in [
        "http://hq.example.com",
        "http://192.168.1.10:9000",
        "ftp://hq.example.com",
        "hq.example.com",
        "",
    ] {
        assert!(
            matches!(check_hq_url(refused), Err(AppError::Invalid { .. })),
            "{refused}"
        );
    }
}

#[tokio::test]
async fn a_standalone_install_reports_its_role_and_the_changes_a_join_would_push() {
    let app = app().await;
    let status = app.chain_status().expect("status");
    assert_eq!(status.role, ChainRole::Standalone);
    assert_eq!(status.state, ChainState::Synced);
    assert_eq!(status.pending_events, 0);
    assert_eq!(status.node_id, None);
    app.create_customer(customer("Ada")).await.expect("created");
    let status = app.chain_status().expect("status");
    assert_eq!(
        (status.state, status.pending_events),
        (ChainState::Pending, 1)
    );
}

#[tokio::test]
async fn joining_refuses_plain_http_off_loopback_and_a_missing_token_before_calling_hq() {
    let app = app().await;
    let join = |hq_url: &str, token: &str| ChainJoin {
        hq_url: hq_url.into(),
        token: token.into(),
        ca_pem: None,
    };
    let refused = app.join_chain(join("http://hq.example.com", "t")).await;
    assert!(
        matches!(refused, Err(AppError::Invalid { .. })),
        "{refused:?}"
    );
    let refused = app.join_chain(join("https://hq.example.com", " ")).await;
    assert!(
        matches!(refused, Err(AppError::Invalid { .. })),
        "{refused:?}"
    );
    let bad_ca = app
        .join_chain(ChainJoin {
            ca_pem: Some("not a certificate".into()),
            ..join("https://hq.example.com", "t")
        })
        .await;
    assert!(
        matches!(bad_ca, Err(AppError::Invalid { .. })),
        "{bad_ca:?}"
    );
    // Nothing listens on port 9 of loopback: HQ is unreachable, 503.
    let unreachable = app.join_chain(join("http://127.0.0.1:9", "t")).await;
    assert!(
        matches!(unreachable, Err(AppError::Unavailable(_))),
        "{unreachable:?}"
    );
    assert_eq!(
        app.chain_status().expect("status").role,
        ChainRole::Standalone
    );
}
