//! Shop-floor DTOs (SPEC §12): a material's stock, offcuts, cut confirmation, part scans,
//! an order's production progress and the live event stream. Lengths are millimetres.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::NestedSheet;

/// The boards a material is cut from, and the saw: `GET/PUT /api/materials/{id}/stock`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MaterialStock {
    /// At least one size; exports nest on the cheapest mix (by cost, or area when no size
    /// has a cost; give costs for every size or for none).
    pub sheets: Vec<StockSheet>,
    /// The saw blade: the least gap between two parts.
    #[schema(example = 4.0)]
    pub kerf: f64,
    /// Margin trimmed off every edge of a board.
    #[schema(example = 0.0)]
    pub trim: f64,
    pub grain_direction: StockGrain,
    /// How quotes price this material's boards; `by_area` when absent.
    #[serde(default)]
    pub pricing: MaterialPricing,
}

/// SPEC §6's board and blade: the stock of a material whose stock was never set.
impl Default for MaterialStock {
    fn default() -> MaterialStock {
        MaterialStock {
            sheets: vec![StockSheet {
                width: 2440.0,
                height: 1220.0,
                cost: None,
            }],
            kerf: 4.0,
            trim: 0.0,
            grain_direction: StockGrain::Length,
            pricing: MaterialPricing::default(),
        }
    }
}

/// How quotes price a material (SPEC §17): `by_area` charges the panels' area at the
/// material's cost per square foot; `by_sheet` charges the boards the quote's nest takes on
/// this stock (every size needs a cost), plus saw cuts and edge banding per metre.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MaterialPricing {
    #[serde(default)]
    pub mode: PricingMode,
    /// Price per metre of saw cut, a decimal string (`by_sheet` only).
    #[serde(default = "zero_rate")]
    #[schema(example = "0.40")]
    pub saw_cut_per_m: String,
    /// Price per metre of edge banding, a decimal string (`by_sheet` only).
    #[serde(default = "zero_rate")]
    #[schema(example = "0.85")]
    pub edge_banding_per_m: String,
}

impl Default for MaterialPricing {
    fn default() -> MaterialPricing {
        MaterialPricing {
            mode: PricingMode::ByArea,
            saw_cut_per_m: zero_rate(),
            edge_banding_per_m: zero_rate(),
        }
    }
}

fn zero_rate() -> String {
    "0".to_owned()
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PricingMode {
    #[default]
    ByArea,
    BySheet,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StockSheet {
    #[schema(example = 2440.0)]
    pub width: f64,
    #[schema(example = 1220.0)]
    pub height: f64,
    /// Price of one board, a money string; area stands in for it when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "54.90")]
    pub cost: Option<String>,
}

/// `length`: the board's grain runs along its width, and a panel's length follows it;
/// `none` (MDF, chipboard): any panel may be turned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StockGrain {
    #[default]
    Length,
    None,
}

/// One material's sheets in an export, the same sheet objects as the nest output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MaterialLayout {
    pub material_id: String,
    pub sheets: Vec<NestedSheet>,
}

/// A remnant kept for later jobs. `code` (`OC-000007`) is what is written on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Offcut {
    pub id: String,
    #[schema(example = "OC-000007")]
    pub code: String,
    pub material_id: String,
    pub width: f64,
    pub height: f64,
    /// The export whose cutting left it.
    pub from_export: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OffcutListQuery {
    /// Only this material's offcuts.
    pub material_id: Option<String>,
}

/// The answer of `POST /api/v1/exports/{id}/cut`; a repeat answers the same.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CutConfirmation {
    pub export_id: String,
    pub cut_at: String,
    /// Offcuts this cut left (those since discarded or used are still listed here).
    pub offcuts: Vec<Offcut>,
    /// Ids of the offcuts the layout used, now gone.
    pub consumed: Vec<String>,
}

/// A production station, in the order parts pass them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Station {
    Cut,
    Edge,
    Drill,
    Assemble,
}

impl Station {
    pub const ALL: [Station; 4] = [
        Station::Cut,
        Station::Edge,
        Station::Drill,
        Station::Assemble,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Station::Cut => "cut",
            Station::Edge => "edge",
            Station::Drill => "drill",
            Station::Assemble => "assemble",
        }
    }

    pub fn parse(text: &str) -> Option<Station> {
        Station::ALL
            .into_iter()
            .find(|station| station.as_str() == text)
    }
}

/// The body of `POST /api/parts/{code}/scan`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScanRequest {
    pub station: Station,
    /// The operator who scanned, as every write names its actor: `{id, name, role}` (a
    /// plain name is still accepted and means `{id: name, name, role: "staff"}`). Absent:
    /// the paired device whose token sent the scan is the actor; a request without a token
    /// (this machine itself) must then name one.
    #[serde(default)]
    pub actor: Option<super::ActorInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StationScan {
    pub station: Station,
    /// The name of who recorded the station: the operator's when one was given, else the
    /// device's.
    pub actor: String,
    /// The operator named with the scan, when one was (absent on scans recorded before the
    /// actor object).
    #[serde(default)]
    pub operator: Option<super::Actor>,
    /// The paired device that sent the scan (`role: "device"`), when a device token did.
    #[serde(default)]
    pub device: Option<super::Actor>,
    pub at: String,
}

/// One physical part of an order (one copy of a panel) and the stations it has passed.
/// A scan of the bare panel code of a panel cut several times answers for the panel as a
/// whole: `code` is the panel code, `copy` is absent and `quantity` is every copy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PartProgress {
    /// The part's code, as its label prints it: the panel code and the copy number when the
    /// panel is cut several times, the panel code alone when it is cut once.
    #[schema(example = "PF-000042-03-B2")]
    pub code: String,
    /// The panel's code, shared by its copies (the cut list's row).
    #[schema(example = "PF-000042-03-B")]
    pub panel_code: String,
    /// Which copy of the panel this is, from 1; absent when `code` is the panel as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy: Option<u32>,
    /// How many copies of the panel are cut (panel quantity × line quantity).
    pub copies: u32,
    pub order_id: String,
    pub module_name: String,
    pub name: String,
    /// Physical parts under `code`: 1 for a copy, `copies` for the panel as a whole.
    pub quantity: u32,
    /// The stations passed; for the panel as a whole, those every copy has passed.
    pub stations: Vec<StationScan>,
}

/// `GET /api/orders/{id}/production`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OrderProduction {
    pub order_id: String,
    pub order_number: String,
    /// Over physical parts, each counting the furthest station it reached (cut 25, edge 50,
    /// drill 75, assemble 100), rounded down; 100 exactly when every part is assembled.
    pub percentage: u32,
    pub complete: bool,
    /// One entry per physical part, in line, panel and copy order.
    pub parts: Vec<PartProgress>,
}

/// One event on the live stream, the data of every SSE event (whose `event:` is `kind` and
/// whose `id:` is `id`): `kind` is `order`, `part`, `job`, `catalog` or `offcut` with
/// `subject` the id of what changed (a part's is `{order id}/{part code}`), or `reset` with
/// an empty `subject` and the id of the last event so far (refetch everything, then resume
/// after that id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LiveEvent {
    #[schema(minimum = 0)]
    pub id: u64,
    #[schema(value_type = LiveEventKind)]
    pub kind: String,
    pub subject: String,
}

/// The kinds of live event (documents `LiveEvent::kind`, which the hub builds from table names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LiveEventKind {
    Order,
    Part,
    Job,
    Catalog,
    Offcut,
    Reset,
}

/// A signed token for `GET /api/events?token=` (an `EventSource` cannot send headers).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EventsToken {
    pub token: String,
    /// Seconds the token stays valid.
    pub expires_in: u64,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// A token from `GET /api/events/token`, for clients that cannot send headers.
    pub token: Option<String>,
}
