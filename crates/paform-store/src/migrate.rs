//! Schema upgrades, one function per step, each run inside the one write transaction that
//! also records the new version (so an upgrade lands whole or not at all). Every step has a
//! page in `migrations-doc/`.

use std::collections::BTreeMap;

use crate::audit::{self, NewEvent};
use crate::records::{v1, v2, v3};
use crate::specs::freeze_production;
use crate::tables::{tables_v1, tables_v2, tables_v3 as t};
use crate::{StoreError, WriteTx};

/// Schema 1 → 2 (`migrations-doc/0002-orders-are-contracts.md`): order numbers, frozen
/// production data, priced terms, the hash-chained audit trail and provider references.
pub(crate) fn v1_to_v2(tx: &mut WriteTx) -> Result<(), StoreError> {
    if let Some(old) = tx.get(&tables_v1::SETTINGS, v2::SettingsRecord::KEY)? {
        let settings = v2::SettingsRecord {
            currency: old.currency,
            tax_rate: old.tax_rate,
            quote_validity_days: old.quote_validity_days,
            hygraph_secret: old.hygraph_secret,
            order_number_prefix: v2::SettingsRecord::DEFAULT_ORDER_NUMBER_PREFIX.to_owned(),
        };
        tx.insert(&tables_v2::SETTINGS, v2::SettingsRecord::KEY, &settings)?;
    }

    let mut quotes = Vec::new();
    tx.scan(&tables_v1::QUOTES, None, |quote| {
        quotes.push(quote);
        true
    })?;
    let mut tax_rates = BTreeMap::new();
    for quote in quotes {
        let mut lines = Vec::with_capacity(quote.lines.len());
        for line in quote.lines {
            lines.push(v2::QuoteLineRecord {
                production: freeze_from_catalog(tx, &line.module_id, &line.material_id)?,
                module_id: line.module_id,
                module_name: line.module_name,
                material_id: line.material_id,
                material_name: line.material_name,
                quantity: line.quantity,
                area_sq_ft: line.area_sq_ft,
                unit_price: line.unit_price,
                line_total: line.line_total,
            });
        }
        tax_rates.insert(quote.id.clone(), quote.tax_rate.clone());
        let upgraded = v2::QuoteRecord {
            id: quote.id,
            currency: quote.currency,
            tax_rate: quote.tax_rate,
            lines,
            subtotal: quote.subtotal,
            tax: quote.tax,
            total: quote.total,
            created_at: quote.created_at,
            expires_at: quote.expires_at,
        };
        tx.insert(&tables_v2::QUOTES, &upgraded.id, &upgraded)?;
    }

    let mut orders = Vec::new();
    tx.scan(&tables_v1::ORDERS, None, |order| {
        orders.push(order);
        true
    })?;
    let n_orders = orders.len() as u64;
    // Ids are UUID v7, so key order is acceptance order and numbers follow it.
    for (index, order) in orders.into_iter().enumerate() {
        let number = format!(
            "{}{:06}",
            v2::SettingsRecord::DEFAULT_ORDER_NUMBER_PREFIX,
            index + 1
        );
        upgrade_order(tx, order, number, &tax_rates)?;
    }
    tx.insert(&t::COUNTERS, ORDER_NUMBER_COUNTER, &n_orders)?;
    Ok(())
}

/// Schema 2 → 3 (`migrations-doc/0003-showroom-floor-and-shop.md`): settings gain the
/// business, label, offcut and backup settings (defaults); quotes and orders gain their
/// customer and design links (none); tokens issued before roles become `admin`.
pub(crate) fn v2_to_v3(tx: &mut WriteTx) -> Result<(), StoreError> {
    if let Some(old) = tx.get(&tables_v2::SETTINGS, v3::SettingsRecord::KEY)? {
        let settings = v3::SettingsRecord {
            currency: old.currency,
            tax_rate: old.tax_rate,
            quote_validity_days: old.quote_validity_days,
            hygraph_secret: old.hygraph_secret,
            order_number_prefix: old.order_number_prefix,
            business: v3::BusinessRecord::default(),
            label_format: v3::SettingsRecord::DEFAULT_LABEL_FORMAT.to_owned(),
            offcut_min_width_mm: v3::SettingsRecord::DEFAULT_OFFCUT_MIN_MM,
            offcut_min_height_mm: v3::SettingsRecord::DEFAULT_OFFCUT_MIN_MM,
            backup_folder: None,
            backup_interval_hours: v3::SettingsRecord::DEFAULT_BACKUP_INTERVAL_HOURS,
            backup_keep: v3::SettingsRecord::DEFAULT_BACKUP_KEEP,
        };
        tx.insert(&t::SETTINGS, v3::SettingsRecord::KEY, &settings)?;
    }
    for quote in scan_all(tx, &tables_v2::QUOTES)? {
        let upgraded = v3::QuoteRecord {
            id: quote.id,
            currency: quote.currency,
            tax_rate: quote.tax_rate,
            lines: quote.lines,
            subtotal: quote.subtotal,
            tax: quote.tax,
            total: quote.total,
            created_at: quote.created_at,
            expires_at: quote.expires_at,
            customer_id: None,
            design_id: None,
            design_version: None,
        };
        tx.insert(&t::QUOTES, &upgraded.id, &upgraded)?;
    }
    for order in scan_all(tx, &tables_v2::ORDERS)? {
        let upgraded = order_v2_to_v3(order);
        tx.insert(&t::ORDERS, &upgraded.id, &upgraded)?;
    }
    for change in scan_all(tx, &tables_v2::ORDER_CHANGES)? {
        let upgraded = v3::OrderChangeRecord {
            id: change.id,
            order_id: change.order_id,
            status: change.status,
            actions: change.actions,
            note: change.note,
            requested_by: change.requested_by,
            base_version: change.base_version,
            totals_before: change.totals_before,
            totals_after: change.totals_after,
            price_delta: change.price_delta,
            order_after: order_v2_to_v3(change.order_after),
            created_at: change.created_at,
            decided_at: change.decided_at,
            decided_by: change.decided_by,
            decision_note: change.decision_note,
        };
        tx.insert(&t::ORDER_CHANGES, &upgraded.id, &upgraded)?;
    }
    for token in scan_all(tx, &tables_v2::DEVICE_TOKENS)? {
        let upgraded = v3::DeviceTokenRecord {
            id: token.id,
            name: token.name,
            sha256: token.sha256,
            role: v3::DeviceTokenRecord::UPGRADED_ROLE.to_owned(),
            created_at: token.created_at,
            last_used_at: token.last_used_at,
            revoked_at: token.revoked_at,
        };
        tx.insert(&t::DEVICE_TOKENS, &upgraded.id, &upgraded)?;
    }
    Ok(())
}

/// Schema 3 → 4 (`migrations-doc/0004-the-order-is-its-events.md`): every order without an
/// `order_created` event gets one, appended after its existing history (the chain is never
/// re-rooted, so every hash it had stays valid) and marked `upgraded`. It carries the order as
/// stored, and its `at` is the latest moment that snapshot includes (the order's `updated_at`
/// or its last event's `at`), so upgrading the same file twice writes the same chain.
/// Every event of the order, the new one last, enters the node log in chain order.
pub(crate) fn v3_to_v4(tx: &mut WriteTx) -> Result<(), StoreError> {
    // No schema before 4 had a node log; what it holds now was logged by the earlier steps of
    // this same upgrade (schema 2 rewrites chains), so it starts over and every event is
    // logged exactly once, below.
    for entry in scan_all(tx, &crate::chain::NODE_LOG)? {
        tx.remove(
            &crate::chain::NODE_LOG,
            &crate::chain::log_key(entry.node_seq),
        )?;
    }
    tx.remove(
        &crate::chain::CHAIN_STATE,
        crate::records::chain::ChainStateRecord::KEY,
    )?;
    for order in scan_all(tx, &t::ORDERS)? {
        let events = tx.scan_prefix(&t::ORDER_EVENTS, &format!("{}/", order.id))?;
        if audit::has_order_created(&events) {
            continue;
        }
        let at = events
            .iter()
            .map(|event| event.at.as_str())
            .chain(std::iter::once(order.updated_at.as_str()))
            .max()
            .unwrap_or(order.updated_at.as_str())
            .to_owned();
        // The node log (SPEC §15) starts with the whole history, so a site that joins HQ
        // later pushes every chain from its first link.
        for event in &events {
            crate::chain::log_order_event(tx, event, crate::chain::OrderChain::Contract)?;
        }
        audit::append_order_event(
            tx,
            NewEvent {
                order_id: &order.id,
                kind: paform_core::order::projection::ORDER_CREATED,
                actor: None,
                note: Some("written by the schema 4 upgrade".to_owned()),
                data: audit::order_created_data(&order, true)?,
                at: &at,
            },
        )?;
    }
    Ok(())
}

fn scan_all<R: crate::Record>(tx: &WriteTx, table: &crate::Table<R>) -> Result<Vec<R>, StoreError> {
    let mut records = Vec::new();
    tx.scan(table, None, |record| {
        records.push(record);
        true
    })?;
    Ok(records)
}

fn order_v2_to_v3(order: v2::OrderRecord) -> v3::OrderRecord {
    v3::OrderRecord {
        id: order.id,
        number: order.number,
        quote_id: order.quote_id,
        status: order.status,
        version: order.version,
        buyer: order.buyer,
        customer_id: None,
        currency: order.currency,
        tax_rate: order.tax_rate,
        subtotal: order.subtotal,
        discount: order.discount,
        discount_amount: order.discount_amount,
        shipping: order.shipping,
        shipping_promised_date: order.shipping_promised_date,
        tax: order.tax,
        total: order.total,
        line_items: order.line_items,
        next_position: order.next_position,
        created_by: order.created_by,
        created_at: order.created_at,
        updated_at: order.updated_at,
    }
}

/// The key of the order number counter in `counters`.
pub const ORDER_NUMBER_COUNTER: &str = "order_number";
/// The key of the quote number counter in `counters` (SPEC §17; absent until the first
/// numbered quote, which is number 1).
pub const QUOTE_NUMBER_COUNTER: &str = "quote_number";

fn freeze_from_catalog(
    tx: &WriteTx,
    module_id: &str,
    material_id: &str,
) -> Result<Option<v2::FrozenProductionRecord>, StoreError> {
    match (
        tx.get(&t::MODULES, module_id)?,
        tx.get(&t::MATERIALS, material_id)?,
    ) {
        (Some(module), Some(material)) => freeze_production(&module, &material),
        _ => Ok(None),
    }
}

fn upgrade_order(
    tx: &mut WriteTx,
    order: v1::OrderRecord,
    number: String,
    tax_rates: &BTreeMap<String, String>,
) -> Result<(), StoreError> {
    let quote = tx.get(&tables_v2::QUOTES, &order.quote_id)?;
    let mut lines = Vec::with_capacity(order.line_items.len());
    for (index, line) in order.line_items.into_iter().enumerate() {
        let production = match &quote {
            Some(quote) => quote
                .lines
                .get(index)
                .and_then(|quote_line| quote_line.production.clone()),
            None => freeze_from_catalog(tx, &line.module_id, &line.material_id)?,
        };
        lines.push(v2::OrderLineRecord {
            id: line.id,
            position: index as u32 + 1,
            module_id: line.module_id,
            module_name: line.module_name,
            material_id: line.material_id,
            material_name: line.material_name,
            quantity: line.quantity,
            unit_price: line.unit_price,
            area_sq_ft: line.area_sq_ft,
            finish_override: None,
            discount: None,
            discount_amount: "0.00".to_owned(),
            line_total: line.line_total,
            production,
        });
    }
    let upgraded = v2::OrderRecord {
        number,
        quote_id: order.quote_id.clone(),
        status: order.status,
        version: order.version,
        buyer: order.buyer,
        currency: order.currency,
        tax_rate: tax_rates
            .get(&order.quote_id)
            .cloned()
            .unwrap_or_else(|| "0".to_owned()),
        subtotal: order.subtotal,
        discount: None,
        discount_amount: "0.00".to_owned(),
        shipping: "0.00".to_owned(),
        shipping_promised_date: None,
        tax: order.tax,
        total: order.total,
        next_position: lines.len() as u32 + 1,
        line_items: lines,
        created_by: order.created_by,
        created_at: order.created_at,
        updated_at: order.updated_at,
        id: order.id,
    };
    tx.insert(&tables_v2::ORDERS, &upgraded.id, &upgraded)?;
    tx.insert(&t::ORDERS_BY_NUMBER, &upgraded.number, &upgraded.id)?;
    chain_history(tx, &upgraded.id)
}

/// Rewrites an order's history as one hash chain: its status events, payments, ledger
/// entries and design approvals, in time order (ties keep that order). Ledger entries are
/// rewritten in the v2 shape and indexed by provider reference (the first of duplicates wins).
fn chain_history(tx: &mut WriteTx, order_id: &str) -> Result<(), StoreError> {
    let prefix = format!("{order_id}/");
    let status_events = tx.scan_prefix(&tables_v1::ORDER_EVENTS, &prefix)?;
    let ledger = tx.scan_prefix(&tables_v1::LEDGER, &prefix)?;
    let payment_ids = tx.index_ids(&t::PAYMENTS_BY_ORDER, order_id, 0, usize::MAX)?;
    let mut history: Vec<(String, u8, NewEventOwned)> = Vec::new();
    for event in &status_events {
        tx.remove(
            &tables_v1::ORDER_EVENTS,
            &audit::sequence_key(order_id, event.seq),
        )?;
        history.push((
            event.at.clone(),
            0,
            NewEventOwned {
                kind: "status_changed",
                actor: Some(event.actor.clone()),
                note: event.note.clone(),
                data: audit::status_data(&event.from, &event.to),
            },
        ));
    }
    for payment_id in payment_ids {
        if let Some(payment) = tx.get(&t::PAYMENTS, &payment_id)? {
            history.push((
                payment.created_at.clone(),
                1,
                NewEventOwned {
                    kind: "payment_created",
                    actor: None,
                    note: None,
                    data: audit::payment_data(&payment),
                },
            ));
        }
    }
    for entry in ledger {
        let upgraded = v2::LedgerEntryRecord {
            entry: match entry.entry {
                v1::LedgerEntryKind::Transaction {
                    kind,
                    status,
                    provider,
                    provider_ref,
                } => v2::LedgerEntryKind::Transaction {
                    kind,
                    status,
                    provider,
                    provider_ref,
                },
                v1::LedgerEntryKind::Adjustment { kind, reason } => {
                    v2::LedgerEntryKind::Adjustment {
                        kind,
                        reason,
                        provider_ref: None,
                    }
                }
            },
            id: entry.id,
            order_id: entry.order_id,
            payment_id: entry.payment_id,
            seq: entry.seq,
            amount: entry.amount,
            at: entry.at,
        };
        let key = audit::sequence_key(order_id, upgraded.seq);
        tx.insert(&t::LEDGER, &key, &upgraded)?;
        if let v2::LedgerEntryKind::Transaction {
            provider,
            provider_ref,
            ..
        } = &upgraded.entry
        {
            let reference = provider_ref_key(provider, provider_ref);
            if !tx.contains(&t::LEDGER_BY_PROVIDER_REF, &reference)? {
                tx.insert(&t::LEDGER_BY_PROVIDER_REF, &reference, &key)?;
            }
        }
        let (kind, data) = audit::ledger_data(&upgraded);
        history.push((
            upgraded.at.clone(),
            2,
            NewEventOwned {
                kind,
                actor: None,
                note: None,
                data,
            },
        ));
    }
    for request_id in tx.index_ids(&t::DESIGN_REQUESTS_BY_ORDER, order_id, 0, usize::MAX)? {
        for version_id in
            tx.index_ids(&t::DESIGN_VERSIONS_BY_REQUEST, &request_id, 0, usize::MAX)?
        {
            let Some(version) = tx.get(&t::DESIGN_VERSIONS, &version_id)? else {
                continue;
            };
            if let Some(approved_at) = &version.approved_at {
                history.push((
                    approved_at.clone(),
                    3,
                    NewEventOwned {
                        kind: "design_approved",
                        actor: None,
                        note: None,
                        data: audit::approval_data(&version),
                    },
                ));
            }
        }
    }
    // RFC 3339 UTC timestamps of one format sort as text.
    history.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    for (at, _, event) in history {
        audit::append_order_event(
            tx,
            NewEvent {
                order_id,
                kind: event.kind,
                actor: event.actor,
                note: event.note,
                data: event.data,
                at: &at,
            },
        )?;
    }
    Ok(())
}

struct NewEventOwned {
    kind: &'static str,
    actor: Option<v2::ActorRecord>,
    note: Option<String>,
    data: serde_json::Value,
}

/// The key of `ledger_by_provider_ref`: provider and reference, separated by a character
/// neither may contain.
pub fn provider_ref_key(provider: &str, provider_ref: &str) -> String {
    format!("{provider}\u{1f}{provider_ref}")
}
