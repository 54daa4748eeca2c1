//! Saved designs (SPEC §11): what the configurator holds — ordered items, a name, an optional
//! customer — kept under optimistic concurrency with every version readable, plus one snapshot
//! picture. (Not the order's design-approval workflow of SPEC §5, which is `design`.)
//!
//! Invariants:
//! - `saved_designs` holds the current version; `saved_design_versions` holds every version,
//!   the current one included, written in the same transaction, so they never disagree.
//! - A `PUT` names the version it read; a stale one is 409 and changes nothing.
//! - A snapshot's bytes are a file under `snapshots/`, renamed into place and its directory
//!   synced before the record pointing at it is committed.

use paform_api::chain::EntryKind;
use paform_core::catalog::Name;
use paform_core::problem::Problems;
use paform_store::records::showroom::{SavedDesignItemRecord, SavedDesignRecord, SnapshotRecord};
use paform_store::tables_v3::{
    MATERIALS, MODULES, SAVED_DESIGN_VERSIONS, SAVED_DESIGNS, SAVED_DESIGNS_BY_CUSTOMER,
};
use paform_store::{ReadTx, WriteTx};
use sha2::{Digest, Sha256};

use crate::catalog::paging;
use crate::convert;
use crate::customers::require_customer;
use crate::dto::{
    Design, DesignInput, DesignItem, DesignListQuery, DesignVersionSummary, ListQuery, Page, Quote,
    QuoteItemRequest, QuoteRequest,
};
use crate::quotes::{MAX_QUOTE_LINES, QuoteLinks};
use crate::{App, AppError};

/// Where design snapshots live, inside the data directory.
pub(crate) const SNAPSHOTS_DIR: &str = "snapshots";
/// The largest snapshot accepted (`PUT /api/designs/{id}/snapshot`).
pub const MAX_SNAPSHOT_BYTES: usize = 5 * 1024 * 1024;
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
/// JSON text of one item's options may be at most this long.
const MAX_OPTIONS_BYTES: usize = 16 * 1024;

fn version_key(id: &str, version: u64) -> String {
    format!("{id}/{version:010}")
}

fn design_view(record: SavedDesignRecord) -> Design {
    Design {
        id: record.id,
        version: record.version,
        name: record.name,
        customer_id: record.customer_id,
        items: record
            .items
            .into_iter()
            .map(|item| DesignItem {
                module_id: item.module_id,
                material_id: item.material_id,
                quantity: i64::from(item.quantity),
                options: item
                    .options
                    .and_then(|text| serde_json::from_str(&text).ok()),
            })
            .collect(),
        has_snapshot: record.snapshot.is_some(),
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

/// The input checked against the catalog and the customers as they stand in `tx`: every
/// problem at once, each named by its field.
fn checked_content(
    tx: &WriteTx,
    input: &DesignInput,
) -> Result<(String, Vec<SavedDesignItemRecord>), AppError> {
    let mut problems = Problems::new();
    let name = problems
        .check("name", Name::parse(&input.name))
        .map(Name::into_string);
    if let Some(customer_id) = &input.customer_id
        && let Err(AppError::Invalid { problems: found }) =
            require_customer(tx, "customer_id", customer_id)
    {
        for problem in found {
            problems.push(problem.field, problem.message);
        }
    }
    if input.items.len() > MAX_QUOTE_LINES {
        problems.push(
            "items",
            format!("must list at most {MAX_QUOTE_LINES} modules"),
        );
    }
    let mut items = Vec::with_capacity(input.items.len());
    for (index, item) in input.items.iter().enumerate() {
        let field = |name: &str| format!("items[{index}].{name}");
        if !tx.contains(&MODULES, &item.module_id)? {
            problems.push(
                field("module_id"),
                format!("module {} does not exist", item.module_id),
            );
        }
        if let Some(material_id) = &item.material_id
            && !tx.contains(&MATERIALS, material_id)?
        {
            problems.push(
                field("material_id"),
                format!("material {material_id} does not exist"),
            );
        }
        let quantity = u32::try_from(item.quantity)
            .ok()
            .filter(|q| (1..=9999).contains(q));
        if quantity.is_none() {
            problems.push(field("quantity"), "must be from 1 to 9999");
        }
        let options = item.options.as_ref().map(|value| value.to_string());
        if options
            .as_ref()
            .is_some_and(|text| text.len() > MAX_OPTIONS_BYTES)
        {
            problems.push(
                field("options"),
                format!("must be at most {MAX_OPTIONS_BYTES} bytes of JSON"),
            );
        }
        items.push(SavedDesignItemRecord {
            module_id: item.module_id.clone(),
            material_id: item.material_id.clone(),
            quantity: quantity.unwrap_or(1),
            options,
        });
    }
    problems.finish()?;
    Ok((name.unwrap_or_default(), items))
}

/// Writes `record` as the current version and as a stored version, moving the customer link.
fn put_design(
    tx: &mut WriteTx,
    record: &SavedDesignRecord,
    previous: Option<&SavedDesignRecord>,
) -> Result<(), AppError> {
    if let Some(old) = previous.and_then(|previous| previous.customer_id.as_deref()) {
        tx.index_remove(&SAVED_DESIGNS_BY_CUSTOMER, old, &record.id)?;
    }
    if let Some(new) = record.customer_id.as_deref() {
        tx.index_insert(&SAVED_DESIGNS_BY_CUSTOMER, new, &record.id)?;
    }
    tx.insert(&SAVED_DESIGNS, &record.id, record)?;
    crate::chain::log(
        tx,
        EntryKind::Design,
        &record.id,
        &design_view(record.clone()),
    )?;
    tx.insert(
        &SAVED_DESIGN_VERSIONS,
        &version_key(&record.id, record.version),
        record,
    )?;
    Ok(())
}

fn load(tx: &ReadTx, id: &str) -> Result<SavedDesignRecord, AppError> {
    tx.get(&SAVED_DESIGNS, id)?
        .ok_or_else(|| AppError::not_found("design", id))
}

impl App {
    pub async fn create_design(&self, input: DesignInput) -> Result<Design, AppError> {
        let now = convert::timestamp(self.now());
        let id = self.new_id();
        let record = self
            .store()
            .write(move |tx| {
                let (name, items) = checked_content(tx, &input)?;
                let record = SavedDesignRecord {
                    id,
                    version: 1,
                    name,
                    customer_id: input.customer_id,
                    items,
                    snapshot: None,
                    created_at: now.clone(),
                    updated_at: now,
                };
                put_design(tx, &record, None)?;
                Ok::<_, AppError>(record)
            })
            .await?;
        Ok(design_view(record))
    }

    /// Stores a new version if `expected_version` is still the current one (409 otherwise).
    pub async fn update_design(&self, id: &str, input: DesignInput) -> Result<Design, AppError> {
        let Some(expected_version) = input.expected_version else {
            return Err(AppError::invalid_field(
                "expected_version",
                "is required: the version this change was made to",
            ));
        };
        let now = convert::timestamp(self.now());
        let id = id.to_owned();
        let record = self
            .store()
            .write(move |tx| {
                let existing = tx
                    .get(&SAVED_DESIGNS, &id)?
                    .ok_or_else(|| AppError::not_found("design", &id))?;
                if existing.version != expected_version {
                    return Err(AppError::Conflict(format!(
                        "design {id} is at version {} but this change was made to version \
                         {expected_version}; reload it and apply the change again",
                        existing.version
                    )));
                }
                let (name, items) = checked_content(tx, &input)?;
                let record = SavedDesignRecord {
                    id,
                    version: existing.version + 1,
                    name,
                    customer_id: input.customer_id,
                    items,
                    snapshot: existing.snapshot.clone(),
                    created_at: existing.created_at.clone(),
                    updated_at: now,
                };
                put_design(tx, &record, Some(&existing))?;
                Ok::<_, AppError>(record)
            })
            .await?;
        Ok(design_view(record))
    }

    /// The current version, or the stored `version`.
    pub fn get_design(&self, id: &str, version: Option<u64>) -> Result<Design, AppError> {
        let record = self.store().read(|tx| match version {
            None => load(tx, id),
            Some(version) => {
                load(tx, id)?;
                tx.get(&SAVED_DESIGN_VERSIONS, &version_key(id, version))?
                    .ok_or_else(|| AppError::not_found("design version", &version_key(id, version)))
            }
        })?;
        Ok(design_view(record))
    }

    /// Every stored version, oldest first.
    pub fn list_design_versions(&self, id: &str) -> Result<Vec<DesignVersionSummary>, AppError> {
        self.store().read(|tx| {
            load(tx, id)?;
            let versions = tx.scan_prefix(&SAVED_DESIGN_VERSIONS, &format!("{id}/"))?;
            Ok(versions
                .into_iter()
                .map(|record| DesignVersionSummary {
                    version: record.version,
                    name: record.name,
                    n_items: record.items.len(),
                    updated_at: record.updated_at,
                })
                .collect())
        })
    }

    /// Designs, newest first, of one customer (`customer_id`) or all, filtered by name.
    pub fn list_designs(&self, query: &DesignListQuery) -> Result<Page<Design>, AppError> {
        let paging = paging(&ListQuery {
            limit: query.limit,
            offset: query.offset,
            q: query.q.clone(),
        })?;
        self.store().read(|tx| {
            let mut matched = Vec::new();
            let mut keep = |record: SavedDesignRecord| {
                if paging
                    .needle
                    .as_deref()
                    .is_none_or(|needle| record.name.to_lowercase().contains(needle))
                {
                    matched.push(record);
                }
            };
            match query.customer_id.as_deref() {
                Some(customer_id) => {
                    let ids =
                        tx.index_ids(&SAVED_DESIGNS_BY_CUSTOMER, customer_id, 0, usize::MAX)?;
                    for id in ids {
                        if let Some(record) = tx.get(&SAVED_DESIGNS, &id)? {
                            keep(record);
                        }
                    }
                }
                None => tx.scan(&SAVED_DESIGNS, None, |record| {
                    keep(record);
                    true
                })?,
            }
            // Ids are UUID v7, so reversing creation order lists the newest first.
            matched.reverse();
            let total = matched.len() as u64;
            let items = matched
                .into_iter()
                .skip(paging.offset)
                .take(paging.limit)
                .map(design_view)
                .collect();
            Ok::<_, AppError>(Page {
                items,
                total,
                limit: paging.limit as u64,
                offset: paging.offset as u64,
            })
        })
    }

    /// Prices the design's current version into a quote that records the design, its version
    /// and its customer.
    pub async fn quote_design(&self, id: &str) -> Result<Quote, AppError> {
        let record = self.store().read(|tx| load(tx, id))?;
        let request = QuoteRequest {
            items: record
                .items
                .iter()
                .map(|item| QuoteItemRequest {
                    module_id: item.module_id.clone(),
                    quantity: i64::from(item.quantity),
                    material_id: item.material_id.clone(),
                })
                .collect(),
            currency: None,
            tax_rate: None,
        };
        let links = QuoteLinks {
            customer_id: record.customer_id.clone(),
            design_id: Some(record.id.clone()),
            design_version: Some(record.version),
        };
        self.generate_linked_quote(request, links).await
    }

    /// Stores the design's picture (PNG, at most `MAX_SNAPSHOT_BYTES`), replacing any earlier
    /// one. It belongs to the design, not to a version, so it adds no version.
    pub async fn put_design_snapshot(&self, id: &str, bytes: Vec<u8>) -> Result<(), AppError> {
        if bytes.len() > MAX_SNAPSHOT_BYTES {
            return Err(AppError::TooLarge(format!(
                "a snapshot may be at most {MAX_SNAPSHOT_BYTES} bytes"
            )));
        }
        if !bytes.starts_with(PNG_SIGNATURE) {
            return Err(AppError::invalid_field("body", "must be a PNG image"));
        }
        self.store().read(|tx| load(tx, id))?;
        let sha256 = hex::encode(Sha256::digest(&bytes));
        let file = format!("{id}-{}.png", &sha256[..16]);
        let dir = self.data_dir().join(SNAPSHOTS_DIR);
        let path = dir.join(&file);
        let size = bytes.len() as u64;
        self.write_data_file(path, bytes, "the snapshot").await?;
        let stored_at = convert::timestamp(self.now());
        let id = id.to_owned();
        let kept = file.clone();
        let replaced = self
            .store()
            .write(move |tx| {
                let mut record = tx
                    .get(&SAVED_DESIGNS, &id)?
                    .ok_or_else(|| AppError::not_found("design", &id))?;
                let replaced = record.snapshot.replace(SnapshotRecord {
                    file,
                    size,
                    sha256,
                    stored_at,
                });
                tx.insert(&SAVED_DESIGNS, &id, &record)?;
                crate::chain::log(tx, EntryKind::Design, &id, &design_view(record.clone()))?;
                Ok::<_, AppError>(replaced)
            })
            .await?;
        // The old picture is no longer pointed at (the same bytes keep the same name); a failed
        // removal only leaves a stray file.
        if let Some(old) = replaced.filter(|old| old.file != kept) {
            let _ = std::fs::remove_file(self.data_dir().join(SNAPSHOTS_DIR).join(old.file));
        }
        Ok(())
    }

    /// The stored snapshot's bytes, or 404 when the design has none.
    pub fn design_snapshot(&self, id: &str) -> Result<Vec<u8>, AppError> {
        let record = self.store().read(|tx| load(tx, id))?;
        let snapshot = record
            .snapshot
            .ok_or_else(|| AppError::not_found("design snapshot", id))?;
        let path = self.data_dir().join(SNAPSHOTS_DIR).join(&snapshot.file);
        std::fs::read(&path).map_err(|error| {
            AppError::internal(
                anyhow::Error::new(error).context(format!("cannot read {}", path.display())),
            )
        })
    }
}
