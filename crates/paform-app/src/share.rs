//! Share links (SPEC §17, "the customer's phone"): a QR code on a design or a quote opens a
//! read-only 3D view of it on a phone on the showroom's network, without a device token.
//!
//! Invariants:
//! - A token is `<d|q>.<id>.<expires unix seconds>.<hex HMAC-SHA256>`, signed with the same
//!   install key as export links (`artifacts::install_mac`) over its own `paform-share-v1`
//!   line, so an export signature never verifies as a share and a share survives a restart.
//!   Nothing is stored: a link cannot be revoked, which is why it lives only 24 hours.
//! - The signature is checked before anything else is believed (expiry, scope) and in
//!   constant time (`Mac::verify_slice`); a link is checked against the app's clock.
//! - A token opens exactly one design or quote: `read_share` reads only its scope, and
//!   `share_covers_asset` lets through only the models and textures that scope draws. It is
//!   never a device token, so every other API path stays closed to it.
//! - What the phone reads leaves out costs, base prices and external ids of the catalog.
//! - Android's Scene Viewer is handed a URL it fetches itself, so it cannot read the phone
//!   page's `blob:` GLB: the sales screen that makes a share uploads the GLB of its own scene
//!   (`put_share_model`, a device token's write) and the phone reads it back under the share
//!   token (`share_model`). The file is named by scope and expiry, written atomically, and
//!   files of expired shares are removed whenever another is written.

use std::collections::BTreeSet;
use std::path::PathBuf;

use hmac::Mac;
use jiff::{SignedDuration, Timestamp};

use crate::artifacts::{install_mac, parse_hex};
use crate::dto::{
    Share, SharedItem, SharedMaterial, SharedModule, SharedQuote, SharedQuoteLine, SharedView,
};
use crate::pairing::is_loopback_url;
use crate::{App, AppError, convert, durable};

/// How long a share link opens its design or quote.
pub const SHARE_TTL: SignedDuration = SignedDuration::from_hours(24);
/// Ids are UUIDs; anything much longer is not one of ours.
const MAX_ID_CHARS: usize = 128;
/// The largest GLB a share may carry (`PUT /api/share/{token}/model.glb`).
pub const MAX_SHARE_MODEL_BYTES: usize = 32 * 1024 * 1024;

/// What a share token opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareScope {
    Design(String),
    Quote(String),
}

impl ShareScope {
    fn letter(&self) -> &'static str {
        match self {
            ShareScope::Design(_) => "d",
            ShareScope::Quote(_) => "q",
        }
    }

    fn name(&self) -> &'static str {
        match self {
            ShareScope::Design(_) => "design",
            ShareScope::Quote(_) => "quote",
        }
    }

    fn id(&self) -> &str {
        match self {
            ShareScope::Design(id) | ShareScope::Quote(id) => id,
        }
    }
}

fn message(scope: &ShareScope, expires: i64) -> String {
    format!(
        "paform-share-v1\n{}\n{}\n{expires}",
        scope.letter(),
        scope.id()
    )
}

fn not_valid(reason: &str) -> AppError {
    AppError::Unauthorized(format!("this share link is not valid: {reason}"))
}

/// An id that can stand in a token and a URL unescaped (UUIDs can).
fn is_plain_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

/// The parts of a token, before its signature is checked.
struct Presented {
    scope: ShareScope,
    expires: i64,
    signature: Vec<u8>,
}

fn parse_token(token: &str) -> Result<Presented, AppError> {
    let malformed = || not_valid("it is not a Paform share token");
    let (rest, signature) = token.rsplit_once('.').ok_or_else(malformed)?;
    let (rest, expires) = rest.rsplit_once('.').ok_or_else(malformed)?;
    let (letter, id) = rest.split_once('.').ok_or_else(malformed)?;
    if !is_plain_id(id) {
        return Err(malformed());
    }
    let scope = match letter {
        "d" => ShareScope::Design(id.to_owned()),
        "q" => ShareScope::Quote(id.to_owned()),
        _ => return Err(malformed()),
    };
    let expires = expires.parse::<i64>().map_err(|_| malformed())?;
    let signature = parse_hex(signature).ok_or_else(malformed)?;
    Ok(Presented {
        scope,
        expires,
        signature,
    })
}

/// The path of a local asset URL (`/api/media/x.jpg?v=1` → `/api/media/x.jpg`).
fn local_path(url: &str) -> Option<&str> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    (path.starts_with('/') && !path.starts_with("//")).then_some(path)
}

/// Whether `bytes` is a binary glTF 2.0 file whose header states its length.
fn is_glb(bytes: &[u8]) -> bool {
    let word = |at: usize| {
        bytes
            .get(at..at + 4)
            .and_then(|slice| <[u8; 4]>::try_from(slice).ok())
            .map(u32::from_le_bytes)
    };
    bytes.starts_with(b"glTF")
        && word(4) == Some(2)
        && word(8).is_some_and(|length| usize::try_from(length).ok() == Some(bytes.len()))
}

/// The expiry in a share model's file name (`d-<id>-<expires>.glb`).
fn file_expiry(name: &str) -> Option<i64> {
    name.strip_suffix(".glb")?.rsplit_once('-')?.1.parse().ok()
}

impl App {
    fn share_model_file(&self, scope: &ShareScope, expires_at: Timestamp) -> PathBuf {
        self.data_dir().join(durable::SHARES_DIR).join(format!(
            "{}-{}-{}.glb",
            scope.letter(),
            scope.id(),
            expires_at.as_second()
        ))
    }

    /// Stores the GLB a sales screen made of the shared design's scene, for phones whose AR
    /// viewer needs a URL (Android's Scene Viewer); replaces an earlier one of the same share.
    pub async fn put_share_model(&self, token: &str, bytes: Vec<u8>) -> Result<(), AppError> {
        let (scope, expires_at) = self.verify_share(token)?;
        if bytes.len() > MAX_SHARE_MODEL_BYTES {
            return Err(AppError::TooLarge(format!(
                "a share's model may be at most {MAX_SHARE_MODEL_BYTES} bytes"
            )));
        }
        if !is_glb(&bytes) {
            return Err(AppError::invalid_field(
                "body",
                "must be a binary glTF 2.0 file (GLB) whose header states its length",
            ));
        }
        let path = self.share_model_file(&scope, expires_at);
        let now = self.now().as_second();
        let folder = path.clone();
        tokio::task::spawn_blocking(move || remove_expired_share_models(&folder, now))
            .await
            .map_err(crate::artifacts::join_error)?;
        self.write_data_file(path, bytes, "the shared model").await
    }

    /// The GLB stored for the share `token` opens; 404 when none was uploaded.
    pub async fn share_model(&self, token: &str) -> Result<Vec<u8>, AppError> {
        let (scope, expires_at) = self.verify_share(token)?;
        let path = self.share_model_file(&scope, expires_at);
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(bytes),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Err(AppError::not_found(
                "share model",
                &format!("{}-{}", scope.letter(), scope.id()),
            )),
            Err(error) => Err(AppError::internal(
                anyhow::Error::new(error).context(format!("cannot read {}", path.display())),
            )),
        }
    }

    /// A 24-hour read-only link to one design or quote (which must exist).
    pub fn create_share(&self, scope: ShareScope) -> Result<Share, AppError> {
        match &scope {
            ShareScope::Design(id) => {
                self.get_design(id, None)?;
            }
            ShareScope::Quote(id) => {
                self.get_quote(id)?;
            }
        }
        if !is_plain_id(scope.id()) {
            // Stored ids are ours, so this is a record written by something else.
            return Err(AppError::invalid_field(
                "id",
                "cannot be shared: it is not a plain id",
            ));
        }
        let expires_at = self.now() + SHARE_TTL;
        let expires = expires_at.as_second();
        let signature = install_mac(self.data_dir(), &message(&scope, expires))?
            .finalize()
            .into_bytes();
        let token = format!(
            "{}.{}.{expires}.{}",
            scope.letter(),
            scope.id(),
            hex::encode(signature)
        );
        let url_path = format!("/share/?token={token}");
        let urls = self.reachable_urls(&url_path);
        let url = urls.first().cloned();
        Ok(Share {
            reachable_from_network: url.as_deref().is_some_and(|url| !is_loopback_url(url)),
            url,
            urls,
            url_path,
            scope: scope.name().to_owned(),
            id: scope.id().to_owned(),
            expires_at: convert::timestamp(expires_at),
            token,
        })
    }

    /// What `token` opens, once its signature and expiry are checked: 401 naming why not.
    fn verify_share(&self, token: &str) -> Result<(ShareScope, Timestamp), AppError> {
        let presented = parse_token(token)?;
        install_mac(
            self.data_dir(),
            &message(&presented.scope, presented.expires),
        )?
        .verify_slice(&presented.signature)
        .map_err(|_| {
            not_valid("its signature does not match (it was altered, or made by another install)")
        })?;
        let expires_at = Timestamp::from_second(presented.expires)
            .map_err(|_| not_valid("its expiry is out of range"))?;
        if self.now() >= expires_at {
            return Err(AppError::Unauthorized(format!(
                "this share link expired at {}; ask the showroom for a new QR code",
                convert::timestamp(expires_at)
            )));
        }
        Ok((presented.scope, expires_at))
    }

    /// The design or quote `token` opens, as the phone page draws it.
    pub fn read_share(&self, token: &str) -> Result<SharedView, AppError> {
        let (scope, expires_at) = self.verify_share(token)?;
        let (name, items, quote) = match &scope {
            ShareScope::Design(id) => {
                let design = self.get_design(id, None)?;
                let items = design
                    .items
                    .into_iter()
                    .map(|item| (item.module_id, item.material_id, item.quantity))
                    .collect::<Vec<_>>();
                (design.name, items, None)
            }
            ShareScope::Quote(id) => {
                let quote = self.get_quote(id)?;
                let items = quote
                    .lines
                    .iter()
                    .map(|line| {
                        (
                            line.module_id.clone(),
                            Some(line.material_id.clone()),
                            i64::from(line.quantity),
                        )
                    })
                    .collect::<Vec<_>>();
                let name = quote.number.clone().unwrap_or_else(|| {
                    let start = quote.id.len().saturating_sub(8);
                    format!("Quote {}", quote.id.get(start..).unwrap_or(&quote.id))
                });
                let shared = SharedQuote {
                    number: quote.number,
                    currency: quote.currency,
                    lines: quote
                        .lines
                        .into_iter()
                        .map(|line| SharedQuoteLine {
                            module_name: line.module_name,
                            material_name: line.material_name,
                            quantity: line.quantity,
                            unit_price: line.unit_price,
                            line_total: line.line_total,
                        })
                        .collect(),
                    subtotal: quote.subtotal,
                    tax: quote.tax,
                    total: quote.total,
                    expires_at: quote.expires_at,
                };
                (name, items, Some(shared))
            }
        };
        let mut modules: Vec<SharedModule> = Vec::new();
        let mut materials: Vec<SharedMaterial> = Vec::new();
        let mut shared_items = Vec::with_capacity(items.len());
        for (module_id, material_id, quantity) in items {
            let module = match self.get_module(&module_id) {
                Ok(module) => module,
                // A module removed from the catalog since: the rest of the design still shows.
                Err(AppError::NotFound { .. }) => continue,
                Err(other) => return Err(other),
            };
            let material_id = material_id.unwrap_or_else(|| module.material_id.clone());
            if !materials.iter().any(|material| material.id == material_id) {
                match self.get_material(&material_id) {
                    Ok(material) => materials.push(SharedMaterial {
                        id: material.id,
                        name: material.name,
                        texture_url: material.texture_url,
                        thickness_mm: material.thickness_mm,
                    }),
                    // The scene draws an unknown material in a neutral colour.
                    Err(AppError::NotFound { .. }) => {}
                    Err(other) => return Err(other),
                }
            }
            if !modules.iter().any(|known| known.id == module.id) {
                modules.push(SharedModule {
                    id: module.id.clone(),
                    name: module.name,
                    dimensions: module.dimensions,
                    assembly_attributes: module.assembly_attributes,
                    placement_constraints: module.placement_constraints,
                    connection_points: module.connection_points,
                });
            }
            shared_items.push(SharedItem {
                module_id: module.id,
                material_id,
                quantity,
            });
        }
        let model_url = self
            .share_model_file(&scope, expires_at)
            .is_file()
            .then(|| format!("/api/share/{token}/model.glb"));
        Ok(SharedView {
            model_url,
            scope: scope.name().to_owned(),
            name,
            items: shared_items,
            modules,
            materials,
            quote,
            expires_at: convert::timestamp(expires_at),
        })
    }

    /// Whether `token` may fetch the asset at `path`: a model of one of its modules
    /// (`/api/modules/{id}/model`) or a local texture of one of its materials. 401 naming
    /// why not.
    pub fn share_covers_asset(&self, token: &str, path: &str) -> Result<(), AppError> {
        let view = self.read_share(token)?;
        let mut covered: BTreeSet<String> = view
            .modules
            .iter()
            .map(|module| format!("/api/modules/{}/model", module.id))
            .collect();
        covered.extend(
            view.materials
                .iter()
                .filter_map(|material| material.texture_url.as_deref())
                .filter_map(local_path)
                .map(str::to_owned),
        );
        if covered.contains(path.strip_suffix('/').unwrap_or(path)) {
            Ok(())
        } else {
            Err(AppError::Unauthorized(format!(
                "this share link opens only its own {}'s models and textures, not {path}",
                view.scope
            )))
        }
    }
}

/// Removes the files of shares that have expired, beside `path`; a file that cannot be
/// removed now is tried again with the next upload.
fn remove_expired_share_models(path: &std::path::Path, now: i64) {
    let Some(folder) = path.parent() else { return };
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if file_expiry(&name.to_string_lossy()).is_some_and(|expires| expires <= now) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_that_are_not_shaped_like_ours_are_refused_before_any_signature_check() {
        for token in [
            "",
            "d",
            "d.abc",
            "d.abc.123",
            "x.abc.123.00",
            "d..123.00",
            "d.a/b.123.00",
            "d.abc.soon.00",
            &format!("d.abc.123.{}", "zz".repeat(32)),
            &format!("d.abc.123.{}", "00".repeat(31)),
        ] {
            assert!(parse_token(token).is_err(), "{token:?}");
        }
        let parsed = parse_token(&format!("q.Q_1-x.17.{}", "ab".repeat(32))).expect("parses");
        assert_eq!(parsed.scope, ShareScope::Quote("Q_1-x".into()));
        assert_eq!(parsed.expires, 17);
    }

    #[test]
    fn only_glb_files_whose_header_states_their_length_are_models() {
        let mut glb = b"glTF".to_vec();
        glb.extend(2_u32.to_le_bytes());
        glb.extend(20_u32.to_le_bytes());
        glb.extend([0_u8; 8]);
        assert!(is_glb(&glb));
        assert!(!is_glb(&glb[..19]));
        assert!(!is_glb(b"glTF"));
        assert!(!is_glb(b"{\"asset\":{\"version\":\"2.0\"}}"));
        let mut version_1 = glb.clone();
        version_1[4] = 1;
        assert!(!is_glb(&version_1));
        assert_eq!(file_expiry("d-0190-ab-1765200000.glb"), Some(1_765_200_000));
        assert_eq!(file_expiry(".d-x-1.glb.0190.tmp"), None);
    }

    #[test]
    fn only_local_paths_of_asset_urls_count() {
        assert_eq!(local_path("/api/media/a.jpg?v=1"), Some("/api/media/a.jpg"));
        assert_eq!(
            local_path("/api/modules/m/model#x"),
            Some("/api/modules/m/model")
        );
        assert_eq!(local_path("//cdn.example/a.jpg"), None);
        assert_eq!(local_path("https://cdn.example/a.jpg"), None);
    }
}
