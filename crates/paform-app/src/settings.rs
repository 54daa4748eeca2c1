//! Settings use cases: the defaults of new quotes and the Hygraph webhook secret, which is
//! stored but never returned (only whether one is set). The settings record's presence also marks
//! a store that has been started before (the demo catalog is seeded only on first start).

use paform_core::pricing::TaxRate;
use paform_core::problem::Problems;
use paform_store::records::v2::SettingsRecord;
use paform_store::tables_v2::SETTINGS;

use crate::dto::Settings;
use crate::{App, AppError};

const DEFAULT_QUOTE_VALIDITY_DAYS: u32 = 30;
/// The longest Hygraph webhook secret accepted.
const MAX_SECRET_LEN: usize = 256;

fn default_settings() -> SettingsRecord {
    SettingsRecord {
        currency: "USD".into(),
        tax_rate: "0".into(),
        quote_validity_days: DEFAULT_QUOTE_VALIDITY_DAYS,
        hygraph_secret: None,
        order_number_prefix: SettingsRecord::DEFAULT_ORDER_NUMBER_PREFIX.to_owned(),
    }
}

/// Writes the default settings if there are none; true on a store's first start.
pub(crate) async fn initialize_settings(app: &App) -> Result<bool, AppError> {
    app.store()
        .write(|tx| {
            if tx.contains(&SETTINGS, SettingsRecord::KEY)? {
                return Ok(false);
            }
            tx.insert(&SETTINGS, SettingsRecord::KEY, &default_settings())?;
            Ok::<_, AppError>(true)
        })
        .await
}

/// An ISO 4217-shaped code: three ASCII capital letters.
pub(crate) fn parse_currency(field: &str, code: &str, problems: &mut Problems) -> Option<String> {
    if code.len() == 3 && code.bytes().all(|byte| byte.is_ascii_uppercase()) {
        Some(code.to_owned())
    } else {
        problems.push(
            field,
            "must be a three-letter ISO 4217 code such as \"USD\"",
        );
        None
    }
}

impl App {
    pub fn get_settings(&self) -> Result<Settings, AppError> {
        let record = self.settings_record()?;
        Ok(Settings {
            currency: record.currency,
            tax_rate: record.tax_rate,
            quote_validity_days: record.quote_validity_days,
            order_number_prefix: Some(record.order_number_prefix),
            hygraph_secret: None,
            hygraph_secret_set: record.hygraph_secret.is_some(),
        })
    }

    pub(crate) fn settings_record(&self) -> Result<SettingsRecord, AppError> {
        let found = self
            .store()
            .read(|tx| tx.get(&SETTINGS, SettingsRecord::KEY))?;
        Ok(found.unwrap_or_else(default_settings))
    }

    pub async fn update_settings(&self, input: Settings) -> Result<Settings, AppError> {
        let mut problems = Problems::new();
        let currency = parse_currency("currency", &input.currency, &mut problems);
        let tax_rate = problems.check("tax_rate", TaxRate::parse(&input.tax_rate));
        if !(1..=365).contains(&input.quote_validity_days) {
            problems.push("quote_validity_days", "must be from 1 to 365");
        }
        let hygraph_secret = input.hygraph_secret.map(|secret| {
            if secret.len() > MAX_SECRET_LEN || secret.trim() != secret {
                problems.push(
                    "hygraph_secret",
                    format!(
                        "must have at most {MAX_SECRET_LEN} characters and no surrounding spaces"
                    ),
                );
            }
            Some(secret).filter(|secret| !secret.is_empty())
        });
        let prefix = input.order_number_prefix.inspect(|prefix| {
            let valid = (1..=10).contains(&prefix.len())
                && prefix
                    .bytes()
                    .all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit() || byte == b'-');
            if !valid {
                problems.push(
                    "order_number_prefix",
                    "must have 1 to 10 characters of A-Z, 0-9 and -",
                );
            }
        });
        problems.finish()?;
        let mut record = SettingsRecord {
            order_number_prefix: String::new(),
            currency: currency.unwrap_or_default(),
            tax_rate: tax_rate
                .map(|rate| rate.rate().to_string())
                .unwrap_or_default(),
            quote_validity_days: input.quote_validity_days,
            hygraph_secret: None,
        };
        self.store()
            .write(move |tx| {
                // An absent secret keeps the stored one, so saving the quote defaults from a
                // form that never saw the secret does not erase it.
                let stored = tx.get(&SETTINGS, SettingsRecord::KEY)?;
                record.order_number_prefix = prefix
                    .or_else(|| stored.as_ref().map(|s| s.order_number_prefix.clone()))
                    .unwrap_or_else(|| SettingsRecord::DEFAULT_ORDER_NUMBER_PREFIX.to_owned());
                record.hygraph_secret = match hygraph_secret {
                    Some(secret) => secret,
                    None => tx
                        .get(&SETTINGS, SettingsRecord::KEY)?
                        .and_then(|stored| stored.hygraph_secret),
                };
                tx.insert(&SETTINGS, SettingsRecord::KEY, &record)
                    .map_err(AppError::from)
            })
            .await?;
        self.get_settings()
    }
}
