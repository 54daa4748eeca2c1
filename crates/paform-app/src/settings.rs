//! Settings use cases: the defaults of new quotes, the business named on documents, label,
//! offcut and backup settings, and the Hygraph webhook secret, which is stored but never
//! returned (only whether one is set). The settings record's presence also marks
//! a store that has been started before (the demo catalog is seeded only on first start).

use paform_core::pricing::TaxRate;
use paform_core::problem::Problems;
use paform_store::records::v3::{BusinessRecord, SettingsRecord};
use paform_store::tables_v3::{SETTING_TEXTS, SETTINGS};

use crate::dto::{Business, Settings};
use crate::numbering::{DEFAULT_QUOTE_NUMBER_PREFIX, QUOTE_NUMBER_PREFIX_SETTING, is_valid_prefix};
use crate::{App, AppError};

const DEFAULT_QUOTE_VALIDITY_DAYS: u32 = 30;
/// The wire names of `dto::LabelFormat`.
const LABEL_FORMATS: [&str; 2] = ["a4_3x8", "roll_62mm"];
/// The longest Hygraph webhook secret accepted.
const MAX_SECRET_LEN: usize = 256;

fn default_settings() -> SettingsRecord {
    SettingsRecord {
        currency: "USD".into(),
        tax_rate: "0".into(),
        quote_validity_days: DEFAULT_QUOTE_VALIDITY_DAYS,
        hygraph_secret: None,
        order_number_prefix: SettingsRecord::DEFAULT_ORDER_NUMBER_PREFIX.to_owned(),
        business: BusinessRecord::default(),
        label_format: SettingsRecord::DEFAULT_LABEL_FORMAT.to_owned(),
        offcut_min_width_mm: SettingsRecord::DEFAULT_OFFCUT_MIN_MM,
        offcut_min_height_mm: SettingsRecord::DEFAULT_OFFCUT_MIN_MM,
        backup_folder: None,
        backup_interval_hours: SettingsRecord::DEFAULT_BACKUP_INTERVAL_HOURS,
        backup_keep: SettingsRecord::DEFAULT_BACKUP_KEEP,
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
        let quote_number_prefix = self
            .store()
            .read(|tx| tx.get(&SETTING_TEXTS, QUOTE_NUMBER_PREFIX_SETTING))?
            .unwrap_or_else(|| DEFAULT_QUOTE_NUMBER_PREFIX.to_owned());
        Ok(Settings {
            currency: record.currency,
            tax_rate: record.tax_rate,
            quote_validity_days: record.quote_validity_days,
            order_number_prefix: Some(record.order_number_prefix),
            quote_number_prefix: Some(quote_number_prefix),
            hygraph_secret: None,
            hygraph_secret_set: record.hygraph_secret.is_some(),
            business: Some(Business {
                name: record.business.name,
                address: record.business.address,
                phone: record.business.phone,
                email: record.business.email,
            }),
            label_format: Some(record.label_format),
            offcut_min_width_mm: Some(record.offcut_min_width_mm),
            offcut_min_height_mm: Some(record.offcut_min_height_mm),
            backup_folder: Some(record.backup_folder.unwrap_or_default()),
            backup_interval_hours: Some(record.backup_interval_hours),
            backup_keep: Some(record.backup_keep),
        })
    }

    pub(crate) fn settings_record(&self) -> Result<SettingsRecord, AppError> {
        let found = self
            .store()
            .read(|tx| tx.get(&SETTINGS, SettingsRecord::KEY))?;
        Ok(found.unwrap_or_else(default_settings))
    }

    /// Replaces the quote defaults; every other field that is absent keeps its stored value.
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
        for (field, prefix) in [
            ("order_number_prefix", &input.order_number_prefix),
            ("quote_number_prefix", &input.quote_number_prefix),
        ] {
            if prefix
                .as_deref()
                .is_some_and(|prefix| !is_valid_prefix(prefix))
            {
                problems.push(field, "must have 1 to 10 characters of A-Z, 0-9 and -");
            }
        }
        if let Some(business) = &input.business {
            for (field, value) in [
                ("business.name", &business.name),
                ("business.phone", &business.phone),
                ("business.email", &business.email),
            ] {
                if value.chars().count() > 200 {
                    problems.push(field, "must have at most 200 characters");
                }
            }
            if business.address.chars().count() > 1000 {
                problems.push("business.address", "must have at most 1000 characters");
            }
        }
        if let Some(format) = &input.label_format
            && !LABEL_FORMATS.contains(&format.as_str())
        {
            problems.push("label_format", "must be \"a4_3x8\" or \"roll_62mm\"");
        }
        for (field, value) in [
            ("offcut_min_width_mm", input.offcut_min_width_mm),
            ("offcut_min_height_mm", input.offcut_min_height_mm),
        ] {
            if value.is_some_and(|mm| !(1..=5000).contains(&mm)) {
                problems.push(field, "must be from 1 to 5000 (millimetres)");
            }
        }
        if input
            .backup_interval_hours
            .is_some_and(|hours| hours > 8760)
        {
            problems.push("backup_interval_hours", "must be from 0 (off) to 8760");
        }
        if input
            .backup_keep
            .is_some_and(|keep| !(1..=1000).contains(&keep))
        {
            problems.push("backup_keep", "must be from 1 to 1000");
        }
        if let Some(folder) = &input.backup_folder
            && !folder.is_empty()
            && !std::path::Path::new(folder).is_absolute()
        {
            problems.push(
                "backup_folder",
                "must be an absolute path, or empty for the default",
            );
        }
        problems.finish()?;
        let currency = currency.unwrap_or_default();
        let tax_rate = tax_rate
            .map(|rate| rate.rate().to_string())
            .unwrap_or_default();
        let quote_number_prefix = input.quote_number_prefix.clone();
        self.store()
            .write(move |tx| {
                if let Some(prefix) = &quote_number_prefix {
                    tx.insert(&SETTING_TEXTS, QUOTE_NUMBER_PREFIX_SETTING, prefix)?;
                }
                let stored = tx
                    .get(&SETTINGS, SettingsRecord::KEY)?
                    .unwrap_or_else(default_settings);
                let record = SettingsRecord {
                    currency,
                    tax_rate,
                    quote_validity_days: input.quote_validity_days,
                    // An absent secret keeps the stored one, so saving the quote defaults from
                    // a form that never saw the secret does not erase it.
                    hygraph_secret: hygraph_secret.unwrap_or(stored.hygraph_secret),
                    order_number_prefix: input
                        .order_number_prefix
                        .unwrap_or(stored.order_number_prefix),
                    business: input
                        .business
                        .map(|business| BusinessRecord {
                            name: business.name.trim().to_owned(),
                            address: business.address.trim().to_owned(),
                            phone: business.phone.trim().to_owned(),
                            email: business.email.trim().to_owned(),
                        })
                        .unwrap_or(stored.business),
                    label_format: input.label_format.unwrap_or(stored.label_format),
                    offcut_min_width_mm: input
                        .offcut_min_width_mm
                        .unwrap_or(stored.offcut_min_width_mm),
                    offcut_min_height_mm: input
                        .offcut_min_height_mm
                        .unwrap_or(stored.offcut_min_height_mm),
                    backup_folder: match input.backup_folder {
                        Some(folder) => Some(folder).filter(|folder| !folder.is_empty()),
                        None => stored.backup_folder,
                    },
                    backup_interval_hours: input
                        .backup_interval_hours
                        .unwrap_or(stored.backup_interval_hours),
                    backup_keep: input.backup_keep.unwrap_or(stored.backup_keep),
                };
                tx.insert(&SETTINGS, SettingsRecord::KEY, &record)
                    .map_err(AppError::from)
            })
            .await?;
        self.get_settings()
    }
}
