//! Records of the showroom tables (SPEC §11): customers and the designs the configurator
//! saves. These tables are new, so they need no migration; their records follow the same
//! rule as every other record (once released, a shape never changes).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerRecord {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// One version of a saved design. The current version is kept in `saved_designs`; every
/// version (the current one included) in `saved_design_versions` under `"{id}/{version:010}"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedDesignRecord {
    pub id: String,
    pub version: u64,
    pub name: String,
    pub customer_id: Option<String>,
    /// In the configurator's order.
    pub items: Vec<SavedDesignItemRecord>,
    /// The stored picture (`<data dir>/snapshots/<file>`), if the UI saved one.
    pub snapshot: Option<SnapshotRecord>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedDesignItemRecord {
    pub module_id: String,
    pub material_id: Option<String>,
    pub quantity: u32,
    /// JSON text of the item's free-form options, if any.
    pub options: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotRecord {
    /// File name under `snapshots/` in the data directory.
    pub file: String,
    pub size: u64,
    pub sha256: String,
    pub stored_at: String,
}
