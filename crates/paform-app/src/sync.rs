//! Catalog sync from Hygraph (SPEC §7): `receive_hygraph_delivery` authenticates a webhook
//! delivery, applies it to the catalog at most once, and logs what became of it;
//! `list_sync_deliveries` reads that log back.
//!
//! Invariants:
//! - Nothing is applied without a configured secret and a signature verified over the raw
//!   body bytes (the core's `verify`, constant time).
//! - One accepted delivery is one store write: its catalog change, its `sync_deliveries`
//!   record (the idempotency key), its `sync_entries` revision and its log line commit
//!   together or not at all, so a delivery is never applied twice nor marked without being
//!   applied, also across restarts.
//! - Per entry, the catalog holds the effect of the greatest revision received (the core's
//!   `supersedes`); removals stay in `sync_entries` as tombstones, so a late publish never
//!   resurrects an entry.
//! - Every check that can refuse a delivery runs before its first write, as the store's
//!   group commit requires; after the first write only store failures can end the closure.
//! - Rejected deliveries are logged under their own log line and never enter
//!   `sync_deliveries`, so a later authentic delivery of the same body still applies.
//!
//! Two rules go beyond the core's ordering, and are documented in `docs/hygraph.md`:
//! a module whose material is not in the catalog waits in `sync_pending` and is applied in the
//! same transaction that publishes the material; a material removal is deferred while
//! modules still use it (a material in use is never deleted, SPEC §3), and completes when the
//! last of those modules leaves the catalog through the sync.

use std::collections::BTreeMap;
use std::fmt;

use jiff::Timestamp;
use paform_core::problem::FieldProblem;
use paform_core::webhook::{
    Content, Delivery, EntryId, MAX_AGE_MS, MAX_FUTURE_MS, Operation, PayloadError, Revision,
    SignatureError, SignatureHeader, Typename, delivery_key, parse_delivery, supersedes, verify,
};
use paform_store::WriteTx;
use paform_store::records::v2::{
    PendingDeliveryRecord, SyncDeliveryRecord, SyncEntryRecord, SyncLogRecord, SyncPendingRecord,
    SyncRevisionRecord,
};
use paform_store::tables_v2::{
    MATERIALS, MATERIALS_BY_HYGRAPH_ID, MODULES, MODULES_BY_HYGRAPH_ID, MODULES_BY_MATERIAL,
    SYNC_DELIVERIES, SYNC_ENTRIES, SYNC_LOG, SYNC_PENDING,
};
use paform_store::{StoreError, Table};

use crate::catalog::{
    self, HYGRAPH, hygraph_id, put_material, put_module, remove_material_record,
    remove_module_record, validated_material_record, validated_module_record,
};
use crate::convert;
use crate::dto::{
    Dimensions, ListQuery, MaterialInput, ModuleInput, Page, SyncDeliveriesQuery, SyncDelivery,
    SyncOutcome, SyncReceipt,
};
use crate::{App, AppError};

/// The env variable holding the webhook secret; it wins over the `hygraph_secret` setting.
pub const HYGRAPH_SECRET_ENV: &str = "PAFORM_HYGRAPH_SECRET";

/// How many log lines are kept; older ones are dropped as new ones arrive, so rejected
/// requests from the network cannot grow the store without bound.
const MAX_LOG_LINES: u64 = 10_000;

/// The sync's configuration, read once when the app opens.
#[derive(Clone)]
pub struct SyncConfig {
    /// The webhook secret from the environment; when `None` the `hygraph_secret` setting is used.
    pub hygraph_secret: Option<String>,
    /// The oldest signature accepted, in milliseconds (SPEC §7: 5 minutes).
    pub max_age_ms: i64,
    /// The furthest in the future a signature may be, in milliseconds (SPEC §7: 1 minute).
    pub max_future_ms: i64,
}

impl Default for SyncConfig {
    fn default() -> SyncConfig {
        SyncConfig {
            hygraph_secret: None,
            max_age_ms: MAX_AGE_MS,
            max_future_ms: MAX_FUTURE_MS,
        }
    }
}

impl SyncConfig {
    /// The defaults plus `PAFORM_HYGRAPH_SECRET`, when it is set and not empty.
    pub fn from_env() -> SyncConfig {
        SyncConfig {
            hygraph_secret: std::env::var(HYGRAPH_SECRET_ENV)
                .ok()
                .filter(|secret| !secret.is_empty()),
            ..SyncConfig::default()
        }
    }
}

impl fmt::Debug for SyncConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The secret never reaches a log line.
        f.debug_struct("SyncConfig")
            .field("hygraph_secret_set", &self.hygraph_secret.is_some())
            .field("max_age_ms", &self.max_age_ms)
            .field("max_future_ms", &self.max_future_ms)
            .finish()
    }
}

impl App {
    /// Handles one webhook delivery: `signature` is the raw `gcms-signature` header, `body`
    /// the raw request body.
    ///
    /// Answers `Unavailable` without a secret, `Malformed` for an unreadable header or body,
    /// `Unauthorized` for a bad, stale or future signature, `Invalid` for published fields the
    /// catalog refuses, and otherwise a receipt saying what became of the delivery.
    pub async fn receive_hygraph_delivery(
        &self,
        signature: Option<&[u8]>,
        body: &[u8],
    ) -> Result<SyncReceipt, AppError> {
        let secret = self.hygraph_secret()?;
        let now = self.now();
        let delivery = match authenticate(self.sync_config(), &secret, signature, body, now) {
            Ok(delivery) => delivery,
            Err(rejection) => {
                let key = (!body.is_empty()).then(|| delivery_key(body));
                self.log_rejection(key, None, &rejection).await;
                return Err(rejection);
            }
        };
        // `verify` has checked that the body is UTF-8.
        let body_text = String::from_utf8_lossy(body).into_owned();
        let context = Context {
            app: self.clone(),
            at: convert::timestamp(now),
        };
        let to_apply = delivery.clone();
        let outcome = self
            .store()
            .write(move |tx| process(tx, &context, &to_apply, &body_text))
            .await;
        if let Err(rejection @ AppError::Invalid { .. }) = &outcome {
            let key = Some(delivery.key().to_owned());
            self.log_rejection(key, Some(&delivery), rejection).await;
        }
        outcome
    }

    /// The delivery log, newest first.
    pub fn list_sync_deliveries(
        &self,
        query: &SyncDeliveriesQuery,
    ) -> Result<Page<SyncDelivery>, AppError> {
        let paging = catalog::paging(&ListQuery {
            limit: query.limit,
            offset: query.offset,
            q: None,
        })?;
        self.store().read(|tx| {
            let total = tx.count(&SYNC_LOG)?;
            let mut items = Vec::new();
            let mut seen = 0usize;
            let mut corrupt = None;
            tx.scan(&SYNC_LOG, None, |line| {
                if seen >= paging.offset {
                    match log_line_dto(line) {
                        Ok(item) => items.push(item),
                        Err(error) => corrupt = Some(error),
                    }
                }
                seen += 1;
                items.len() < paging.limit && corrupt.is_none()
            })?;
            if let Some(error) = corrupt {
                return Err(error.into());
            }
            Ok(Page {
                items,
                total,
                limit: paging.limit as u64,
                offset: paging.offset as u64,
            })
        })
    }

    /// The secret in effect: the env's, else the settings'.
    fn hygraph_secret(&self) -> Result<String, AppError> {
        if let Some(secret) = &self.sync_config().hygraph_secret {
            return Ok(secret.clone());
        }
        self.settings_record()?.hygraph_secret.ok_or_else(|| {
            AppError::Unavailable(format!(
                "Hygraph sync is not configured: set {HYGRAPH_SECRET_ENV} or the hygraph_secret \
                 setting to the webhook's secret; nothing was applied"
            ))
        })
    }

    /// Logs a refused delivery. A failure to log is itself only logged: the client must still
    /// learn why its delivery was refused.
    async fn log_rejection(
        &self,
        delivery_key: Option<String>,
        delivery: Option<&Delivery>,
        rejection: &AppError,
    ) {
        let line = SyncLogRecord {
            seq: 0,
            received_at: convert::timestamp(self.now()),
            delivery_key,
            outcome: outcome_name(SyncOutcome::Rejected).to_owned(),
            operation: delivery.map(|d| d.operation().as_str().to_owned()),
            typename: delivery.map(|d| typename_text(d.typename()).to_owned()),
            entry_id: delivery.map(|d| d.id().as_str().to_owned()),
            reason: Some(rejection_reason(rejection)),
        };
        let written = self
            .store()
            .write(move |tx| append_log(tx, line).map_err(AppError::from))
            .await;
        if let Err(error) = written {
            tracing::warn!(%error, "cannot log a rejected Hygraph delivery");
        }
    }
}

/// What a write closure needs from outside: ids and the time of receipt.
struct Context {
    app: App,
    /// The receipt time, RFC 3339; also the catalog's `updated_at` for applied changes.
    at: String,
}

/// What became of one delivery, before it is recorded.
struct Decision {
    outcome: SyncOutcome,
    reason: Option<String>,
}

impl Decision {
    fn new(outcome: SyncOutcome, reason: impl Into<Option<String>>) -> Decision {
        Decision {
            outcome,
            reason: reason.into(),
        }
    }
}

fn authenticate(
    config: &crate::SyncConfig,
    secret: &str,
    signature: Option<&[u8]>,
    body: &[u8],
    now: Timestamp,
) -> Result<Delivery, AppError> {
    // The signature is checked before anything is read from the body, so a request that is
    // not genuinely signed is a 401 whatever its body.
    let Some(signature) = signature else {
        return Err(malformed(
            "gcms-signature",
            "the gcms-signature header is missing",
        ));
    };
    let signature = std::str::from_utf8(signature)
        .map_err(|_| malformed("gcms-signature", "the gcms-signature header is not text"))?;
    let header = SignatureHeader::parse(signature).map_err(signature_rejection)?;
    verify(
        &header,
        secret.as_bytes(),
        body,
        now.as_millisecond(),
        config.max_age_ms,
        config.max_future_ms,
    )
    .map_err(signature_rejection)?;
    if body.is_empty() {
        return Err(malformed(
            "body",
            "the request body is empty; the webhook must include the payload",
        ));
    }
    parse_delivery(body).map_err(|error| {
        let detail = format!("the delivery body is malformed: {error}");
        match error {
            PayloadError::NotJson(_) => malformed("body", detail),
            PayloadError::Invalid(problems) => AppError::Malformed { detail, problems },
        }
    })
}

fn malformed(field: &str, detail: impl Into<String>) -> AppError {
    let detail = detail.into();
    AppError::Malformed {
        problems: vec![FieldProblem::new(field, &detail)],
        detail,
    }
}

fn signature_rejection(error: SignatureError) -> AppError {
    match error {
        error if error.is_malformed() => malformed("gcms-signature", error.to_string()),
        error => AppError::Unauthorized(error.to_string()),
    }
}

fn rejection_reason(rejection: &AppError) -> String {
    let status = match rejection {
        AppError::Unauthorized(_) => "401",
        AppError::Invalid { .. } => "422",
        _ => "400",
    };
    let detail = match rejection {
        AppError::Invalid { problems } => join_problems(problems),
        other => other.to_string(),
    };
    format!("{status}: {detail}")
}

fn join_problems(problems: &[FieldProblem]) -> String {
    let texts: Vec<String> = problems.iter().map(ToString::to_string).collect();
    texts.join("; ")
}

/// The write closure of one accepted delivery.
fn process(
    tx: &mut WriteTx,
    context: &Context,
    delivery: &Delivery,
    body: &str,
) -> Result<SyncReceipt, AppError> {
    if let Some(first) = tx.get(&SYNC_DELIVERIES, delivery.key())? {
        let reason = format!(
            "first received at {} ({})",
            first.received_at, first.outcome
        );
        let decision = Decision::new(SyncOutcome::Duplicate, reason);
        append_log(tx, log_line(context, delivery, &decision))?;
        return Ok(receipt(delivery, decision, Vec::new()));
    }
    let mut released = Vec::new();
    let decision = decide(tx, context, delivery, body, &mut released)?;
    record(tx, context, delivery, &decision)?;
    Ok(receipt(delivery, decision, released))
}

fn receipt(delivery: &Delivery, decision: Decision, released: Vec<String>) -> SyncReceipt {
    SyncReceipt {
        status: decision.outcome,
        delivery_key: delivery.key().to_owned(),
        operation: delivery.operation().as_str().to_owned(),
        typename: typename_text(delivery.typename()).to_owned(),
        entry_id: delivery.id().as_str().to_owned(),
        reason: decision.reason,
        released,
    }
}

/// Decides and applies one delivery; refuses (before writing) a publish whose fields the
/// catalog does not accept.
fn decide(
    tx: &mut WriteTx,
    context: &Context,
    delivery: &Delivery,
    body: &str,
    released: &mut Vec<String>,
) -> Result<Decision, AppError> {
    if let Typename::Other(name) = delivery.typename() {
        let reason = format!("the model {name} is not synced");
        return Ok(Decision::new(SyncOutcome::Ignored, reason));
    }
    match (delivery.operation(), delivery.content()) {
        (Operation::Create | Operation::Update, _) => {
            let reason = "a draft change; it is applied when the entry is published".to_owned();
            Ok(Decision::new(SyncOutcome::Recorded, reason))
        }
        (Operation::Publish, Some(Content::Material(material))) => {
            publish_material(tx, context, delivery, material, released)
        }
        (Operation::Publish, Some(Content::Module(module))) => {
            publish_module(tx, context, delivery, module, body)
        }
        (Operation::Publish, None) => {
            // `parse_delivery` gives every Material and Module publish its content.
            let reason = "a publish without content".to_owned();
            Ok(Decision::new(SyncOutcome::Ignored, reason))
        }
        (Operation::Unpublish | Operation::Delete, _) => match delivery.typename() {
            Typename::Material => remove_material(tx, delivery),
            _ => remove_module(tx, delivery),
        },
    }
}

fn publish_material(
    tx: &mut WriteTx,
    context: &Context,
    delivery: &Delivery,
    material: &paform_core::webhook::Material,
    released: &mut Vec<String>,
) -> Result<Decision, AppError> {
    let input = MaterialInput {
        name: material.name.clone(),
        texture_url: material.texture_url.clone(),
        cost_per_sq_ft: material.cost_per_sq_ft.to_string(),
        thickness_mm: material.thickness_mm.map(|mm| mm.to_f64()),
        external_ids: hygraph_external_ids(delivery.id()),
    };
    let mut record = validated_material_record(
        &input,
        String::new(),
        context.at.clone(),
        context.at.clone(),
    )
    .map_err(in_body)?;
    if let Some(reason) = superseded(tx, delivery)? {
        return Ok(Decision::new(SyncOutcome::Ignored, reason));
    }
    let existing = find_by_hygraph_id(tx, &MATERIALS, &MATERIALS_BY_HYGRAPH_ID, delivery.id())?;
    match &existing {
        Some(previous) => {
            record.id = previous.id.clone();
            record.created_at = previous.created_at.clone();
            record.external_ids = merged_external_ids(&previous.external_ids, delivery.id());
        }
        None => record.id = context.app.new_id(),
    }
    put_material(tx, &record, existing.as_ref())?;
    set_entry(tx, delivery, Some(record.id), false)?;
    release_pending(tx, context, delivery.id(), released)?;
    Ok(Decision::new(SyncOutcome::Applied, None))
}

fn publish_module(
    tx: &mut WriteTx,
    context: &Context,
    delivery: &Delivery,
    module: &paform_core::webhook::Module,
    body: &str,
) -> Result<Decision, AppError> {
    let input = ModuleInput {
        name: module.name.clone(),
        dimensions: Dimensions {
            width: module.width.to_f64(),
            height: module.height.to_f64(),
            depth: module.depth.to_f64(),
        },
        base_price: module.base_price.to_string(),
        material_id: String::new(),
        assembly_attributes: module.assembly_attributes.clone(),
        placement_constraints: module.placement_constraints.clone(),
        connection_points: module.connection_points.clone(),
        external_ids: hygraph_external_ids(delivery.id()),
    };
    let mut record = validated_module_record(
        &input,
        String::new(),
        context.at.clone(),
        context.at.clone(),
    )
    .map_err(in_body)?;
    if let Some(reason) = superseded(tx, delivery)? {
        return Ok(Decision::new(SyncOutcome::Ignored, reason));
    }
    let material_entry = &module.material_id;
    let Some(material) =
        find_by_hygraph_id(tx, &MATERIALS, &MATERIALS_BY_HYGRAPH_ID, material_entry)?
    else {
        add_pending(tx, material_entry, delivery, body)?;
        let reason = format!("waiting for material {material_entry}");
        return Ok(Decision::new(SyncOutcome::Pending, reason));
    };
    record.material_id = material.id;
    let existing = find_by_hygraph_id(tx, &MODULES, &MODULES_BY_HYGRAPH_ID, delivery.id())?;
    match &existing {
        Some(previous) => {
            record.id = previous.id.clone();
            record.created_at = previous.created_at.clone();
            record.external_ids = merged_external_ids(&previous.external_ids, delivery.id());
        }
        None => record.id = context.app.new_id(),
    }
    put_module(tx, &record, existing.as_ref())?;
    if let Some(previous) = existing.filter(|previous| previous.material_id != record.material_id) {
        finish_deferred_removal(tx, &previous.material_id)?;
    }
    set_entry(tx, delivery, Some(record.id), false)?;
    Ok(Decision::new(SyncOutcome::Applied, None))
}

fn remove_material(tx: &mut WriteTx, delivery: &Delivery) -> Result<Decision, AppError> {
    if let Some(reason) = superseded(tx, delivery)? {
        return Ok(Decision::new(SyncOutcome::Ignored, reason));
    }
    let existing = find_by_hygraph_id(tx, &MATERIALS, &MATERIALS_BY_HYGRAPH_ID, delivery.id())?;
    let (decision, kept) = match existing {
        None => {
            let reason = "the material was not in the catalog".to_owned();
            (Decision::new(SyncOutcome::Applied, reason), None)
        }
        Some(material) => {
            let users = tx.index_len(&MODULES_BY_MATERIAL, &material.id)?;
            if users == 0 {
                remove_material_record(tx, &material)?;
                (Decision::new(SyncOutcome::Applied, None), None)
            } else {
                let reason = format!(
                    "material in use by {users} module(s); it leaves the catalog when the last \
                     of them is unpublished"
                );
                (
                    Decision::new(SyncOutcome::Deferred, reason),
                    Some(material.id),
                )
            }
        }
    };
    set_entry(tx, delivery, kept, true)?;
    Ok(decision)
}

fn remove_module(tx: &mut WriteTx, delivery: &Delivery) -> Result<Decision, AppError> {
    if let Some(reason) = superseded(tx, delivery)? {
        return Ok(Decision::new(SyncOutcome::Ignored, reason));
    }
    let existing = find_by_hygraph_id(tx, &MODULES, &MODULES_BY_HYGRAPH_ID, delivery.id())?;
    let reason = match &existing {
        Some(module) => {
            remove_module_record(tx, module)?;
            finish_deferred_removal(tx, &module.material_id)?;
            None
        }
        None => Some("the module was not in the catalog".to_owned()),
    };
    set_entry(tx, delivery, None, true)?;
    Ok(Decision::new(SyncOutcome::Applied, reason))
}

/// Removes a material whose removal was deferred, once no module uses it any more.
fn finish_deferred_removal(tx: &mut WriteTx, material_id: &str) -> Result<(), AppError> {
    let Some(material) = tx.get(&MATERIALS, material_id)? else {
        return Ok(());
    };
    let Some(entry_id) = hygraph_id(&material.external_ids).map(str::to_owned) else {
        return Ok(());
    };
    let Some(mut entry) = tx.get(&SYNC_ENTRIES, &entry_id)? else {
        return Ok(());
    };
    if entry.removed && tx.index_len(&MODULES_BY_MATERIAL, material_id)? == 0 {
        remove_material_record(tx, &material)?;
        entry.local_id = None;
        tx.insert(&SYNC_ENTRIES, &entry_id, &entry)?;
    }
    Ok(())
}

/// Applies the module deliveries that waited for this material, in this same transaction.
/// Runs after writes, so a refusal becomes an `ignored` outcome instead of an error.
fn release_pending(
    tx: &mut WriteTx,
    context: &Context,
    material_entry: &EntryId,
    released: &mut Vec<String>,
) -> Result<(), AppError> {
    let Some(pending) = tx.get(&SYNC_PENDING, material_entry.as_str())? else {
        return Ok(());
    };
    tx.remove(&SYNC_PENDING, material_entry.as_str())?;
    for waiting in pending.deliveries {
        let Ok(delivery) = parse_delivery(waiting.body.as_bytes()) else {
            tracing::error!(key = %waiting.delivery_key, "a pending delivery no longer parses");
            continue;
        };
        let Some(Content::Module(module)) = delivery.content() else {
            continue;
        };
        let decision = match publish_module(tx, context, &delivery, module, &waiting.body) {
            Ok(decision) => decision,
            Err(AppError::Invalid { problems }) => {
                Decision::new(SyncOutcome::Ignored, join_problems(&problems))
            }
            Err(other) => return Err(other),
        };
        let decision = match decision.outcome {
            SyncOutcome::Applied => {
                released.push(delivery.id().as_str().to_owned());
                let reason = format!("applied when material {material_entry} arrived");
                Decision::new(SyncOutcome::Applied, reason)
            }
            _ => decision,
        };
        if decision.outcome != SyncOutcome::Pending {
            record(tx, context, &delivery, &decision)?;
        }
    }
    Ok(())
}

fn add_pending(
    tx: &mut WriteTx,
    material_entry: &EntryId,
    delivery: &Delivery,
    body: &str,
) -> Result<(), StoreError> {
    let mut pending =
        tx.get(&SYNC_PENDING, material_entry.as_str())?
            .unwrap_or(SyncPendingRecord {
                deliveries: Vec::new(),
            });
    if pending
        .deliveries
        .iter()
        .any(|waiting| waiting.delivery_key == delivery.key())
    {
        return Ok(());
    }
    pending.deliveries.push(PendingDeliveryRecord {
        delivery_key: delivery.key().to_owned(),
        module_entry_id: delivery.id().as_str().to_owned(),
        body: body.to_owned(),
    });
    tx.insert(&SYNC_PENDING, material_entry.as_str(), &pending)
}

/// Why the delivery must not replace the entry's stored revision, or `None` when it must.
fn superseded(tx: &WriteTx, delivery: &Delivery) -> Result<Option<String>, StoreError> {
    let Some(entry) = tx.get(&SYNC_ENTRIES, delivery.id().as_str())? else {
        return Ok(None);
    };
    let stored = revision(&entry.revision, delivery.id())?;
    if supersedes(&delivery.revision(), &stored) {
        return Ok(None);
    }
    let at = entry
        .revision
        .updated_at
        .map(|at| format!(" of {at}"))
        .unwrap_or_default();
    Ok(Some(format!(
        "older than the {}{at} already applied",
        entry.revision.operation
    )))
}

fn revision(stored: &SyncRevisionRecord, entry: &EntryId) -> Result<Revision, StoreError> {
    let corrupt = || StoreError::Corrupt {
        table: SYNC_ENTRIES.name(),
        key: entry.as_str().to_owned(),
    };
    let updated_at = match &stored.updated_at {
        Some(text) => Some(text.parse::<Timestamp>().map_err(|_| corrupt())?),
        None => None,
    };
    Ok(Revision {
        updated_at,
        version: stored.version,
        operation: Operation::parse(&stored.operation).ok_or_else(corrupt)?,
        delivery_key: stored.delivery_key.clone(),
    })
}

fn set_entry(
    tx: &mut WriteTx,
    delivery: &Delivery,
    local_id: Option<String>,
    removed: bool,
) -> Result<(), StoreError> {
    let revision = delivery.revision();
    let entry = SyncEntryRecord {
        typename: typename_text(delivery.typename()).to_owned(),
        revision: SyncRevisionRecord {
            updated_at: revision.updated_at.map(|at| at.to_string()),
            version: revision.version,
            operation: revision.operation.as_str().to_owned(),
            delivery_key: revision.delivery_key,
        },
        local_id,
        removed,
    };
    tx.insert(&SYNC_ENTRIES, delivery.id().as_str(), &entry)
}

/// The first (oldest) local record carrying this Hygraph id in `external_ids`.
fn find_by_hygraph_id<R: paform_store::Record>(
    tx: &WriteTx,
    table: &Table<R>,
    index: &paform_store::Index,
    entry: &EntryId,
) -> Result<Option<R>, StoreError> {
    let ids = tx.index_ids(index, entry.as_str(), 0, 1)?;
    match ids.first() {
        Some(id) => tx.get(table, id),
        None => Ok(None),
    }
}

fn hygraph_external_ids(entry: &EntryId) -> BTreeMap<String, String> {
    BTreeMap::from([(HYGRAPH.to_owned(), entry.as_str().to_owned())])
}

/// The previous record's other systems' ids, plus this entry's Hygraph id.
fn merged_external_ids(previous: &[(String, String)], entry: &EntryId) -> Vec<(String, String)> {
    let mut ids: BTreeMap<String, String> = convert::external_ids(previous);
    ids.insert(HYGRAPH.to_owned(), entry.as_str().to_owned());
    convert::external_id_pairs(&ids)
}

/// Names the catalog's field problems by their place in the Hygraph body.
fn in_body(error: AppError) -> AppError {
    let AppError::Invalid { problems } = error else {
        return error;
    };
    let problems = problems
        .into_iter()
        .map(|problem| {
            let field = match problem.field.as_str() {
                "cost_per_sq_ft" => "data.costPerSqFt".to_owned(),
                "thickness_mm" => "data.thicknessMm".to_owned(),
                "texture_url" => "data.texture.url".to_owned(),
                "base_price" => "data.basePrice".to_owned(),
                "assembly_attributes" => "data.assemblyAttributes".to_owned(),
                "placement_constraints" => "data.placementConstraints".to_owned(),
                "connection_points" => "data.connectionPoints".to_owned(),
                other => format!("data.{}", other.trim_start_matches("dimensions.")),
            };
            FieldProblem::new(&field, &problem.message)
        })
        .collect();
    AppError::Invalid { problems }
}

/// Marks the delivery as processed and logs it. A delivery that was pending keeps its first
/// receipt time.
fn record(
    tx: &mut WriteTx,
    context: &Context,
    delivery: &Delivery,
    decision: &Decision,
) -> Result<(), StoreError> {
    let received_at = tx
        .get(&SYNC_DELIVERIES, delivery.key())?
        .map(|first| first.received_at)
        .unwrap_or_else(|| context.at.clone());
    let stored = SyncDeliveryRecord {
        outcome: outcome_name(decision.outcome).to_owned(),
        received_at,
        operation: delivery.operation().as_str().to_owned(),
        typename: typename_text(delivery.typename()).to_owned(),
        entry_id: delivery.id().as_str().to_owned(),
        reason: decision.reason.clone(),
    };
    tx.insert(&SYNC_DELIVERIES, delivery.key(), &stored)?;
    append_log(tx, log_line(context, delivery, decision))
}

fn log_line(context: &Context, delivery: &Delivery, decision: &Decision) -> SyncLogRecord {
    SyncLogRecord {
        seq: 0,
        received_at: context.at.clone(),
        delivery_key: Some(delivery.key().to_owned()),
        outcome: outcome_name(decision.outcome).to_owned(),
        operation: Some(delivery.operation().as_str().to_owned()),
        typename: Some(typename_text(delivery.typename()).to_owned()),
        entry_id: Some(delivery.id().as_str().to_owned()),
        reason: decision.reason.clone(),
    }
}

/// Appends a log line under the next sequence number and drops the line `MAX_LOG_LINES`
/// before it. Keys count down, so a forward scan reads newest first.
fn append_log(tx: &mut WriteTx, mut line: SyncLogRecord) -> Result<(), StoreError> {
    let mut newest = 0;
    tx.scan(&SYNC_LOG, None, |previous| {
        newest = previous.seq;
        false
    })?;
    line.seq = newest + 1;
    tx.insert(&SYNC_LOG, &log_key(line.seq), &line)?;
    if line.seq > MAX_LOG_LINES {
        tx.remove(&SYNC_LOG, &log_key(line.seq - MAX_LOG_LINES))?;
    }
    Ok(())
}

fn log_key(seq: u64) -> String {
    format!("{:016x}", u64::MAX - seq)
}

fn log_line_dto(line: SyncLogRecord) -> Result<SyncDelivery, StoreError> {
    let outcome = parse_outcome(&line.outcome).ok_or_else(|| StoreError::Corrupt {
        table: SYNC_LOG.name(),
        key: log_key(line.seq),
    })?;
    Ok(SyncDelivery {
        received_at: line.received_at,
        outcome,
        delivery_key: line.delivery_key,
        operation: line.operation,
        typename: line.typename,
        entry_id: line.entry_id,
        reason: line.reason,
    })
}

const OUTCOMES: [(SyncOutcome, &str); 7] = [
    (SyncOutcome::Applied, "applied"),
    (SyncOutcome::Duplicate, "duplicate"),
    (SyncOutcome::Recorded, "recorded"),
    (SyncOutcome::Ignored, "ignored"),
    (SyncOutcome::Pending, "pending"),
    (SyncOutcome::Deferred, "deferred"),
    (SyncOutcome::Rejected, "rejected"),
];

fn outcome_name(outcome: SyncOutcome) -> &'static str {
    OUTCOMES
        .iter()
        .find(|(candidate, _)| *candidate == outcome)
        .map(|(_, name)| *name)
        .unwrap_or("rejected")
}

fn parse_outcome(name: &str) -> Option<SyncOutcome> {
    OUTCOMES
        .iter()
        .find(|(_, candidate)| *candidate == name)
        .map(|(outcome, _)| *outcome)
}

fn typename_text(typename: &Typename) -> &str {
    match typename {
        Typename::Material => "Material",
        Typename::Module => "Module",
        Typename::Other(name) => name,
    }
}

#[cfg(test)]
mod tests;
