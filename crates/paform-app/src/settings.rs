//! Settings use cases: the defaults of new quotes. The settings record's presence also marks
//! a store that has been started before (the demo catalog is seeded only on first start).

use paform_core::pricing::TaxRate;
use paform_core::problem::Problems;
use paform_store::records::v1::SettingsRecord;
use paform_store::tables_v1::SETTINGS;

use crate::dto::Settings;
use crate::{App, AppError};

const DEFAULT_QUOTE_VALIDITY_DAYS: u32 = 30;

fn default_settings() -> SettingsRecord {
    SettingsRecord {
        currency: "USD".into(),
        tax_rate: "0".into(),
        quote_validity_days: DEFAULT_QUOTE_VALIDITY_DAYS,
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
        problems.finish()?;
        let record = SettingsRecord {
            currency: currency.unwrap_or_default(),
            tax_rate: tax_rate
                .map(|rate| rate.rate().to_string())
                .unwrap_or_default(),
            quote_validity_days: input.quote_validity_days,
        };
        let stored = record.clone();
        self.store()
            .write(move |tx| {
                tx.insert(&SETTINGS, SettingsRecord::KEY, &stored)
                    .map_err(AppError::from)
            })
            .await?;
        self.get_settings()
    }
}
