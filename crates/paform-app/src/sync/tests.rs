//! Behaviour of the Hygraph sync against an in-memory store and a fixed clock: every arrival
//! order of a set of deliveries converges to the same catalog, pending modules are applied
//! with their material, removals of materials in use are deferred, and rejected deliveries
//! never count as received.

use std::sync::Arc;

use jiff::Timestamp;
use paform_core::webhook::signature_header;
use serde_json::{Value, json};

use crate::dto::{ListQuery, SyncDeliveriesQuery, SyncOutcome, SyncReceipt};
use crate::{App, AppError, Clock, SyncConfig};

const SECRET: &str = "test-secret";
const NOW_MS: i64 = 1_760_000_000_000;

struct FixedClock;

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_millisecond(NOW_MS).expect("the test instant is in range")
    }
}

async fn sync_app() -> App {
    App::in_memory(Arc::new(FixedClock), false)
        .await
        .expect("an in-memory app opens")
        .with_sync_config(SyncConfig {
            hygraph_secret: Some(SECRET.to_owned()),
            ..SyncConfig::default()
        })
}

async fn deliver(app: &App, body: &Value) -> Result<SyncReceipt, AppError> {
    let body = body.to_string();
    let header = signature_header(SECRET.as_bytes(), &body, "master", NOW_MS);
    app.receive_hygraph_delivery(Some(header.as_bytes()), body.as_bytes())
        .await
}

async fn status(app: &App, body: &Value) -> SyncOutcome {
    deliver(app, body)
        .await
        .unwrap_or_else(|error| panic!("{body} was refused: {error:?}"))
        .status
}

/// `updatedAt` `seconds` after a fixed instant.
fn at(seconds: i64) -> String {
    Timestamp::from_second(1_750_000_000 + seconds)
        .expect("test time is in range")
        .to_string()
}

fn material(id: &str, seconds: i64, name: &str, cost: &str) -> Value {
    json!({"operation": "publish", "data": {"__typename": "Material", "id": id,
        "stage": "PUBLISHED", "updatedAt": at(seconds), "name": name, "costPerSqFt": cost}})
}

fn module(id: &str, seconds: i64, name: &str, price: &str, material_id: &str) -> Value {
    json!({"operation": "publish", "data": {"__typename": "Module", "id": id,
        "stage": "PUBLISHED", "updatedAt": at(seconds), "name": name, "width": 600,
        "height": 720, "depth": 560, "basePrice": price, "material": {"id": material_id}}})
}

fn removal(operation: &str, typename: &str, id: &str, seconds: Option<i64>) -> Value {
    let mut data = json!({"__typename": typename, "id": id, "stage": "PUBLISHED"});
    if let Some(seconds) = seconds {
        data["updatedAt"] = json!(at(seconds));
    }
    json!({"operation": operation, "data": data})
}

fn draft_update(typename: &str, id: &str, seconds: i64, name: &str) -> Value {
    json!({"operation": "update", "data": {"__typename": typename, "id": id,
        "stage": "DRAFT", "updatedAt": at(seconds), "name": name}})
}

/// The catalog as the sync sees it: `(hygraph id, name, price, material's hygraph id)`,
/// independent of local ids.
fn catalog(app: &App) -> Vec<(String, String, String, String)> {
    let all = ListQuery {
        limit: Some(500),
        ..ListQuery::default()
    };
    let materials = app.list_materials(&all).expect("materials list").items;
    let hygraph_of = |local: &str| {
        materials
            .iter()
            .find(|material| material.id == local)
            .and_then(|material| material.external_ids.get("hygraph").cloned())
            .unwrap_or_else(|| format!("unsynced {local}"))
    };
    let mut rows: Vec<_> = materials
        .iter()
        .map(|material| {
            (
                hygraph_of(&material.id),
                material.name.clone(),
                material.cost_per_sq_ft.clone(),
                String::new(),
            )
        })
        .collect();
    for module in app.list_modules(&all).expect("modules list").items {
        rows.push((
            module
                .external_ids
                .get("hygraph")
                .cloned()
                .unwrap_or_default(),
            module.name,
            module.base_price,
            hygraph_of(&module.material_id),
        ));
    }
    rows.sort();
    rows
}

fn row(id: &str, name: &str, price: &str, material: &str) -> (String, String, String, String) {
    (id.into(), name.into(), price.into(), material.into())
}

/// Every ordering of `0..n`, by Heap's algorithm.
fn permutations(n: usize) -> Vec<Vec<usize>> {
    fn heap(k: usize, items: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if k <= 1 {
            out.push(items.clone());
            return;
        }
        heap(k - 1, items, out);
        for i in 0..k - 1 {
            let swap_with = if k.is_multiple_of(2) { i } else { 0 };
            items.swap(swap_with, k - 1);
            heap(k - 1, items, out);
        }
    }
    let mut items: Vec<usize> = (0..n).collect();
    let mut out = Vec::new();
    heap(n, &mut items, &mut out);
    out
}

/// Delivers `deliveries` in every order, then all of them again, and checks that each order
/// ends in `expected` and that the replays change nothing.
async fn check_convergence(deliveries: &[Value], expected: &[(String, String, String, String)]) {
    let orders = permutations(deliveries.len());
    let distinct: std::collections::BTreeSet<_> = orders.iter().collect();
    assert_eq!(distinct.len(), (1..=deliveries.len()).product::<usize>());
    for order in orders {
        let app = sync_app().await;
        for &index in &order {
            deliver(&app, &deliveries[index])
                .await
                .unwrap_or_else(|error| panic!("order {order:?}: {error:?}"));
        }
        assert_eq!(catalog(&app), expected, "arrival order {order:?}");
        for &index in &order {
            assert_eq!(
                status(&app, &deliveries[index]).await,
                SyncOutcome::Duplicate
            );
        }
        assert_eq!(catalog(&app), expected, "after replays of {order:?}");
    }
}

#[tokio::test]
async fn every_arrival_order_of_edits_converges_to_the_newest_published_versions() {
    let deliveries = [
        material("mat1", 10, "Oak", "4.50"),
        material("mat1", 20, "Oak Natural", "4.75"),
        module("mod1", 10, "Base 60", "120.00", "mat1"),
        module("mod1", 30, "Base 60 Deluxe", "150.00", "mat1"),
        draft_update("Module", "mod1", 40, "Base 60 draft"),
    ];
    let expected = [
        row("mat1", "Oak Natural", "4.75", ""),
        row("mod1", "Base 60 Deluxe", "150.00", "mat1"),
    ];
    check_convergence(&deliveries, &expected).await;
}

#[tokio::test]
async fn every_arrival_order_of_publishes_and_removals_converges() {
    let deliveries = [
        material("mat1", 10, "Oak", "4.50"),
        module("mod1", 10, "Base 60", "120.00", "mat1"),
        module("mod1", 20, "Base 60 v2", "125.00", "mat1"),
        removal("unpublish", "Module", "mod1", Some(30)),
        material("mat1", 15, "Oak v2", "4.60"),
    ];
    let expected = [row("mat1", "Oak v2", "4.60", "")];
    check_convergence(&deliveries, &expected).await;
}

#[tokio::test]
async fn every_arrival_order_with_a_delete_keeps_the_entry_deleted() {
    let deliveries = [
        module("mod1", 10, "Base 60", "120.00", "mat1"),
        removal("delete", "Module", "mod1", None),
        module("mod1", 50, "Base 60 late copy", "130.00", "mat1"),
        material("mat1", 10, "Oak", "4.50"),
        module("mod2", 10, "Wall 40", "80.00", "mat1"),
    ];
    let expected = [
        row("mat1", "Oak", "4.50", ""),
        row("mod2", "Wall 40", "80.00", "mat1"),
    ];
    check_convergence(&deliveries, &expected).await;
}

#[tokio::test]
async fn a_module_waits_for_its_material_and_is_applied_with_it() {
    let app = sync_app().await;
    let early = deliver(&app, &module("mod1", 10, "Base 60", "120.00", "mat1"))
        .await
        .expect("accepted");
    assert_eq!(early.status, SyncOutcome::Pending);
    assert!(catalog(&app).is_empty());

    let material = deliver(&app, &material("mat1", 10, "Oak", "4.50"))
        .await
        .expect("accepted");
    assert_eq!(material.status, SyncOutcome::Applied);
    assert_eq!(material.released, vec!["mod1".to_owned()]);
    assert_eq!(
        catalog(&app),
        [
            row("mat1", "Oak", "4.50", ""),
            row("mod1", "Base 60", "120.00", "mat1")
        ]
    );
    // The pending delivery was marked applied, so its replay is a duplicate.
    assert_eq!(
        status(&app, &module("mod1", 10, "Base 60", "120.00", "mat1")).await,
        SyncOutcome::Duplicate
    );
}

#[tokio::test]
async fn removing_a_material_in_use_is_deferred_until_its_last_module_leaves() {
    let app = sync_app().await;
    status(&app, &material("mat1", 10, "Oak", "4.50")).await;
    status(&app, &module("mod1", 10, "Base 60", "120.00", "mat1")).await;

    let unpublish = deliver(&app, &removal("unpublish", "Material", "mat1", Some(20)))
        .await
        .expect("accepted");
    assert_eq!(unpublish.status, SyncOutcome::Deferred);
    assert!(
        unpublish
            .reason
            .as_deref()
            .is_some_and(|reason| reason.contains("in use by 1 module"))
    );
    assert_eq!(catalog(&app).len(), 2);

    status(&app, &removal("unpublish", "Module", "mod1", Some(20))).await;
    assert!(catalog(&app).is_empty(), "{:?}", catalog(&app));
}

#[tokio::test]
async fn an_older_publish_arriving_late_is_ignored() {
    let app = sync_app().await;
    status(&app, &material("mat1", 20, "Oak new", "5.00")).await;
    let late = deliver(&app, &material("mat1", 10, "Oak old", "4.00"))
        .await
        .expect("accepted");
    assert_eq!(late.status, SyncOutcome::Ignored);
    assert_eq!(catalog(&app), [row("mat1", "Oak new", "5.00", "")]);
}

#[tokio::test]
async fn a_publish_updates_a_material_created_by_hand_with_the_same_hygraph_id() {
    let app = sync_app().await;
    let by_hand = app
        .create_material(crate::dto::MaterialInput {
            name: "Oak".into(),
            texture_url: None,
            cost_per_sq_ft: "4".into(),
            thickness_mm: Some(18.0),
            external_ids: [("hygraph".to_owned(), "mat1".to_owned())].into(),
        })
        .await
        .expect("created");
    status(&app, &material("mat1", 10, "Oak synced", "4.25")).await;
    let after = app.get_material(&by_hand.id).expect("same id");
    assert_eq!(after.name, "Oak synced");
    assert_eq!(after.created_at, by_hand.created_at);
    assert_eq!(catalog(&app).len(), 1);
}

#[tokio::test]
async fn a_rejected_delivery_is_logged_but_the_same_body_still_applies_later() {
    let app = sync_app().await;
    let body = material("mat1", 10, "Oak", "4.50").to_string();
    let wrong = signature_header(b"not-the-secret", &body, "master", NOW_MS);
    let refused = app
        .receive_hygraph_delivery(Some(wrong.as_bytes()), body.as_bytes())
        .await;
    assert!(
        matches!(refused, Err(AppError::Unauthorized(_))),
        "{refused:?}"
    );

    assert_eq!(
        status(&app, &material("mat1", 10, "Oak", "4.50")).await,
        SyncOutcome::Applied
    );
    let log = app
        .list_sync_deliveries(&SyncDeliveriesQuery::default())
        .expect("log");
    let outcomes: Vec<_> = log.items.iter().map(|line| line.outcome).collect();
    assert_eq!(outcomes, [SyncOutcome::Applied, SyncOutcome::Rejected]);
    assert!(
        log.items[1]
            .reason
            .as_deref()
            .is_some_and(|reason| reason.starts_with("401"))
    );
}

#[tokio::test]
async fn published_fields_the_catalog_refuses_are_rejected_naming_the_body_field() {
    let app = sync_app().await;
    let refused = deliver(&app, &module("mod1", 10, "Base", "12.345", "mat1")).await;
    let Err(AppError::Invalid { problems }) = refused else {
        panic!("expected field problems, got {refused:?}");
    };
    assert_eq!(problems[0].field, "data.basePrice");
    assert!(catalog(&app).is_empty());
}

#[tokio::test]
async fn without_a_secret_nothing_is_applied() {
    let app = App::in_memory(Arc::new(FixedClock), false)
        .await
        .expect("opens");
    let refused = deliver(&app, &material("mat1", 10, "Oak", "4.50")).await;
    assert!(
        matches!(refused, Err(AppError::Unavailable(_))),
        "{refused:?}"
    );
    assert!(catalog(&app).is_empty());
}

#[tokio::test]
async fn the_log_keeps_its_newest_lines_first_and_pages() {
    let app = sync_app().await;
    for second in 0..5 {
        status(
            &app,
            &material("mat1", second, &format!("Oak {second}"), "4"),
        )
        .await;
    }
    let page = app
        .list_sync_deliveries(&SyncDeliveriesQuery {
            limit: Some(2),
            offset: Some(1),
        })
        .expect("log");
    assert_eq!(page.total, 5);
    let keys: Vec<_> = page
        .items
        .iter()
        .map(|line| line.delivery_key.clone().unwrap_or_default())
        .collect();
    let expected: Vec<_> = [3, 2]
        .iter()
        .map(|&second| {
            paform_core::webhook::delivery_key(
                material("mat1", second, &format!("Oak {second}"), "4")
                    .to_string()
                    .as_bytes(),
            )
        })
        .collect();
    assert_eq!(keys, expected);
}
