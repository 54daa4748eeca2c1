//! Customer use cases (SPEC §11): the people a showroom sells to, searched by name, email or
//! phone. Designs, quotes and orders link to a customer by id; the links are kept in the
//! `*_by_customer` indexes, written in the same transaction as the record that links.

use paform_api::chain::EntryKind;
use paform_core::catalog::Name;
use paform_core::problem::Problems;
use paform_store::records::showroom::CustomerRecord;
use paform_store::tables_v3::{CUSTOMERS, ORDERS, ORDERS_BY_CUSTOMER, QUOTES_BY_CUSTOMER};
use paform_store::{ReadTx, WriteTx};

use crate::catalog::paging;
use crate::convert;
use crate::dto::{Customer, CustomerHistory, CustomerInput, ListQuery, Page};
use crate::orders::{is_email, is_phone, order_view};
use crate::quotes::quote_view;
use crate::{App, AppError};

const MAX_ADDRESS_CHARS: usize = 1000;
const MAX_NOTES_CHARS: usize = 10_000;

/// An optional text field: trimmed, empty means absent, at most `max` characters.
fn optional_text(
    problems: &mut Problems,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let value = value.map(str::trim).filter(|value| !value.is_empty())?;
    if value.chars().count() > max {
        problems.push(field, format!("must be at most {max} characters"));
    }
    Some(value.to_owned())
}

fn validated_record(
    input: &CustomerInput,
    id: String,
    created_at: String,
    updated_at: String,
) -> Result<CustomerRecord, AppError> {
    let mut problems = Problems::new();
    let name = problems
        .check("name", Name::parse(&input.name))
        .map(Name::into_string);
    let email = optional_text(&mut problems, "email", input.email.as_deref(), 254);
    if email.as_deref().is_some_and(|email| !is_email(email)) {
        problems.push("email", "must be an email address such as name@example.com");
    }
    let phone = optional_text(&mut problems, "phone", input.phone.as_deref(), 40);
    if phone.as_deref().is_some_and(|phone| !is_phone(phone)) {
        problems.push(
            "phone",
            "must be a phone number of digits, spaces and + - ( )",
        );
    }
    let address = optional_text(
        &mut problems,
        "address",
        input.address.as_deref(),
        MAX_ADDRESS_CHARS,
    );
    let notes = optional_text(
        &mut problems,
        "notes",
        input.notes.as_deref(),
        MAX_NOTES_CHARS,
    );
    problems.finish()?;
    Ok(CustomerRecord {
        id,
        name: name.unwrap_or_default(),
        email,
        phone,
        address,
        notes,
        created_at,
        updated_at,
    })
}

pub(crate) fn customer_view(record: CustomerRecord) -> Customer {
    Customer {
        id: record.id,
        name: record.name,
        email: record.email,
        phone: record.phone,
        address: record.address,
        notes: record.notes,
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

/// Whether the customer answers a lowercase search: part of the name or email, or the
/// digits of the phone number.
fn matches_search(record: &CustomerRecord, needle: &str) -> bool {
    let contains = |text: &Option<String>| {
        text.as_deref()
            .is_some_and(|text| text.to_lowercase().contains(needle))
    };
    let digits = |text: &str| -> String { text.chars().filter(char::is_ascii_digit).collect() };
    let needle_digits = digits(needle);
    record.name.to_lowercase().contains(needle)
        || contains(&record.email)
        || contains(&record.phone)
        || (!needle_digits.is_empty()
            && record
                .phone
                .as_deref()
                .is_some_and(|phone| digits(phone).contains(&needle_digits)))
}

/// The customer `id`, or 422 naming `field` when there is none (a link to a customer).
pub(crate) fn require_customer(
    tx: &WriteTx,
    field: &str,
    id: &str,
) -> Result<CustomerRecord, AppError> {
    tx.get(&CUSTOMERS, id)?
        .ok_or_else(|| AppError::invalid_field(field, format!("customer {id} does not exist")))
}

/// Ids filed under `customer_id` in `index`, newest first (ids are UUID v7).
fn linked_ids(
    tx: &ReadTx,
    index: &paform_store::Index,
    customer_id: &str,
) -> Result<Vec<String>, AppError> {
    let mut ids = tx.index_ids(index, customer_id, 0, usize::MAX)?;
    ids.reverse();
    Ok(ids)
}

impl App {
    pub async fn create_customer(&self, input: CustomerInput) -> Result<Customer, AppError> {
        let now = convert::timestamp(self.now());
        let record = validated_record(&input, self.new_id(), now.clone(), now)?;
        let stored = record.clone();
        self.store()
            .write(move |tx| {
                tx.insert(&CUSTOMERS, &stored.id, &stored)?;
                crate::chain::log(
                    tx,
                    EntryKind::Customer,
                    &stored.id,
                    &customer_view(stored.clone()),
                )
            })
            .await?;
        Ok(customer_view(record))
    }

    pub async fn update_customer(
        &self,
        id: &str,
        input: CustomerInput,
    ) -> Result<Customer, AppError> {
        let now = convert::timestamp(self.now());
        let id = id.to_owned();
        let record = self
            .store()
            .write(move |tx| {
                let existing = tx
                    .get(&CUSTOMERS, &id)?
                    .ok_or_else(|| AppError::not_found("customer", &id))?;
                let record = validated_record(&input, id, existing.created_at, now)?;
                tx.insert(&CUSTOMERS, &record.id, &record)?;
                crate::chain::log(
                    tx,
                    EntryKind::Customer,
                    &record.id,
                    &customer_view(record.clone()),
                )?;
                Ok::<_, AppError>(record)
            })
            .await?;
        Ok(customer_view(record))
    }

    pub fn get_customer(&self, id: &str) -> Result<Customer, AppError> {
        let record = self.store().read(|tx| tx.get(&CUSTOMERS, id))?;
        record
            .map(customer_view)
            .ok_or_else(|| AppError::not_found("customer", id))
    }

    /// Customers in creation order, filtered by `?q=` (name, email or phone).
    pub fn list_customers(&self, query: &ListQuery) -> Result<Page<Customer>, AppError> {
        let paging = paging(query)?;
        self.store().read(|tx| {
            let mut items = Vec::new();
            let mut total = 0u64;
            tx.scan(&CUSTOMERS, None, |record| {
                if paging
                    .needle
                    .as_deref()
                    .is_none_or(|needle| matches_search(&record, needle))
                {
                    if total as usize >= paging.offset && items.len() < paging.limit {
                        items.push(customer_view(record));
                    }
                    total += 1;
                }
                true
            })?;
            Ok::<_, AppError>(Page {
                items,
                total,
                limit: paging.limit as u64,
                offset: paging.offset as u64,
            })
        })
    }

    /// The quotes priced for a customer and their orders, newest first.
    pub fn customer_history(&self, id: &str) -> Result<CustomerHistory, AppError> {
        self.store().read(|tx| {
            if !tx.contains(&CUSTOMERS, id)? {
                return Err(AppError::not_found("customer", id));
            }
            let mut quotes = Vec::new();
            for quote_id in linked_ids(tx, &QUOTES_BY_CUSTOMER, id)? {
                quotes.extend(quote_view(tx, &quote_id)?);
            }
            let mut orders = Vec::new();
            for order_id in linked_ids(tx, &ORDERS_BY_CUSTOMER, id)? {
                if let Some(record) = tx.get(&ORDERS, &order_id)? {
                    orders.push(order_view(tx, record)?);
                }
            }
            Ok(CustomerHistory { quotes, orders })
        })
    }
}
