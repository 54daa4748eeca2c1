//! The desktop shell's command shapes (`src-tauri`): the `api_request` contract documented
//! in `ui/lib/api/tauri.ts`, native file saving and picking, and the local-network server.
//! They live with the other DTOs because serde derives belong here; no use case takes them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `invoke("api_request", {request})`: one REST call, answered in-process.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DesktopApiRequest {
    /// `GET`, `POST`, `PUT` or `DELETE`.
    pub method: String,
    /// The REST path, e.g. `/api/orders/…/transitions`.
    pub path: String,
    #[serde(default)]
    pub query: BTreeMap<String, String>,
    /// The JSON body; `null` or absent when there is none.
    #[serde(default)]
    pub body: Option<Value>,
    /// A raw body (asset uploads) instead of `body`, in standard base64.
    #[serde(default)]
    pub body_base64: Option<String>,
    /// The content type of `body_base64`.
    #[serde(default)]
    pub content_type: Option<String>,
}

/// The answer: an error status is an answer too, with the problem object as `body`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DesktopApiAnswer {
    pub status: u16,
    /// The JSON body, or `null` (no body, or bytes in `body_base64`).
    pub body: Value,
    /// A body that is not JSON (an asset, a CSV), in standard base64.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_base64: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
}

/// Where `save_export` wrote a file; `path` is `None` when the user cancelled the dialog.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SavedExport {
    pub path: Option<String>,
    pub bytes: u64,
}

/// The `export-progress` event: how much of an export file is on disk.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SaveProgress {
    pub filename: String,
    pub written: u64,
    pub total: u64,
}

/// A file the user picked for upload as a design asset.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PickedAsset {
    pub filename: String,
    pub content_type: String,
    pub size: u64,
    pub bytes_base64: String,
}

/// The local-network server of the desktop app (off by default).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LanServerStatus {
    pub running: bool,
    /// The bound address, e.g. `0.0.0.0:8000`, while running.
    pub address: Option<String>,
    /// Where other devices reach it, e.g. `http://192.168.1.20:8000/` (one per network
    /// address of this machine when bound to all of them); empty while stopped.
    #[serde(default)]
    pub urls: Vec<String>,
    /// Whether requests need a device token (anything beyond loopback).
    pub require_token: bool,
    /// Whether any device token exists (needed to start beyond loopback).
    pub has_device_tokens: bool,
}
