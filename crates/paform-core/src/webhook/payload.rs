//! The body of a Hygraph delivery, read by hand from `serde_json::Value` into a typed
//! `Delivery`: operation, entry identity, ordering data and, for a publish, the fields of the
//! SPEC §7 content model (`Material`, `Module`).
//!
//! Invariants: a `Delivery` of a `publish` of a `Material` or `Module` always carries its
//! parsed `Content`, and no other delivery does (drafts may be half filled and removals may
//! carry nothing but the id, and neither applies fields); a publish or unpublish always carries
//! `updatedAt`, because ordering deliveries depends on it. Money is parsed as an exact decimal
//! and never passes through `f64` when it arrives as a string. Every problem found is reported
//! at once, each named by its path in the body (`data.basePrice`).

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::problem::{FieldProblem, Problems};
use crate::units::{Millimetres, UnitError};

use super::revision::{Operation, Revision};

/// The longest entry id accepted. Hygraph ids are 25-character cuids; the margin is generous.
const MAX_ENTRY_ID_LEN: usize = 128;

/// The content stage a delivery describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    Draft,
    Published,
    /// A custom content stage of the Hygraph project.
    Other(String),
}

/// The `__typename` of the entry. Anything but the two models Paform syncs is `Other`, so the
/// caller can record the delivery as ignored instead of rejecting it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Typename {
    Material,
    Module,
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryIdError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {MAX_ENTRY_ID_LEN} characters")]
    TooLong,
    #[error("must contain only letters, digits, `-` and `_`")]
    InvalidCharacter,
}

/// A Hygraph entry id, the value stored in `external_ids.hygraph`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntryId(String);

impl EntryId {
    pub fn parse(text: &str) -> Result<EntryId, EntryIdError> {
        if text.is_empty() {
            return Err(EntryIdError::Empty);
        }
        if text.len() > MAX_ENTRY_ID_LEN {
            return Err(EntryIdError::TooLong);
        }
        let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if !text.chars().all(allowed) {
            return Err(EntryIdError::InvalidCharacter);
        }
        Ok(EntryId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The published fields of a Material, as Hygraph sent them. Plain data: the app turns it
/// into a catalog value. `cost_per_sq_ft` is exact and not negative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Material {
    pub name: String,
    pub cost_per_sq_ft: Decimal,
    pub thickness_mm: Option<Millimetres>,
    pub texture_url: Option<String>,
}

/// The published fields of a Module, as Hygraph sent them. Plain data: the app turns it into a
/// catalog value. `base_price` is exact and not negative; the free-form objects default to `{}`,
/// `{}` and `[]` when absent or null.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    pub name: String,
    pub width: Millimetres,
    pub height: Millimetres,
    pub depth: Millimetres,
    pub base_price: Decimal,
    pub material_id: EntryId,
    pub assembly_attributes: Value,
    pub placement_constraints: Value,
    pub connection_points: Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Material(Material),
    Module(Module),
}

/// One parsed delivery. See the module invariants for when `content` is present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    operation: Operation,
    typename: Typename,
    id: EntryId,
    stage: Option<Stage>,
    updated_at: Option<Timestamp>,
    version: Option<u64>,
    content: Option<Content>,
    key: String,
}

impl Delivery {
    pub fn operation(&self) -> Operation {
        self.operation
    }

    pub fn typename(&self) -> &Typename {
        &self.typename
    }

    pub fn id(&self) -> &EntryId {
        &self.id
    }

    pub fn stage(&self) -> Option<&Stage> {
        self.stage.as_ref()
    }

    /// `data.updatedAt`; always present for publish and unpublish.
    pub fn updated_at(&self) -> Option<Timestamp> {
        self.updated_at
    }

    /// `data.version`, when Hygraph sent one.
    pub fn version(&self) -> Option<u64> {
        self.version
    }

    /// The parsed fields; present exactly for a publish of a Material or Module.
    pub fn content(&self) -> Option<&Content> {
        self.content.as_ref()
    }

    pub fn into_content(self) -> Option<Content> {
        self.content
    }

    /// The idempotency key of the body this delivery was parsed from (see `delivery_key`).
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Where this delivery stands in its entry's history (see `supersedes`).
    pub fn revision(&self) -> Revision {
        Revision {
            updated_at: self.updated_at,
            version: self.version,
            operation: self.operation,
            delivery_key: self.key.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("body is not JSON: {0}")]
    NotJson(String),
    /// Every problem found in a JSON body, each named by its path.
    #[error("{}", join_problems(.0))]
    Invalid(Vec<FieldProblem>),
}

fn join_problems(problems: &[FieldProblem]) -> String {
    let texts: Vec<String> = problems.iter().map(FieldProblem::to_string).collect();
    texts.join("; ")
}

/// What is wrong with one field; `FieldProblem` pairs it with the field's path.
#[derive(Debug, thiserror::Error)]
enum FieldError {
    #[error("is required")]
    Missing,
    #[error("is required for {0}")]
    MissingFor(Operation),
    #[error("expected {0}")]
    Expected(&'static str),
    #[error("expected one of create, update, delete, publish, unpublish")]
    UnknownOperation,
    #[error("must not be blank")]
    Blank,
    #[error("must not be negative")]
    Negative,
    #[error("expected an RFC 3339 timestamp with an offset")]
    NotTimestamp,
    #[error("{0}")]
    Length(#[from] UnitError),
    #[error("{0}")]
    Id(#[from] EntryIdError),
}

const EXPECTED_DECIMAL: &str = "a decimal string or number";

/// Reads a delivery body. The signature must have been verified over these same bytes first.
pub fn parse_delivery(body: &[u8]) -> Result<Delivery, PayloadError> {
    let root: Value =
        serde_json::from_slice(body).map_err(|error| PayloadError::NotJson(error.to_string()))?;
    let Some(root) = root.as_object() else {
        let problem = FieldProblem::new("body", FieldError::Expected("a JSON object"));
        return Err(PayloadError::Invalid(vec![problem]));
    };

    let mut problems = Problems::new();
    let operation = problems.check("operation", required(root, "operation").and_then(operation));
    let data = problems.check("data", required(root, "data").and_then(object));
    let Some(data) = data else {
        return Err(PayloadError::Invalid(
            problems.finish().err().unwrap_or_default(),
        ));
    };

    let typename = problems.check(
        "data.__typename",
        required(data, "__typename").and_then(typename),
    );
    let id = problems.check("data.id", required(data, "id").and_then(entry_id));
    let stage = problems.check("data.stage", optional(data, "stage").map(stage).transpose());
    let version = problems.check(
        "data.version",
        optional(data, "version").map(version).transpose(),
    );
    let updated_at = optional(data, "updatedAt").map(timestamp).transpose();
    let updated_at = match (operation, updated_at) {
        (Some(op @ (Operation::Publish | Operation::Unpublish)), Ok(None)) => {
            Err(FieldError::MissingFor(op))
        }
        (_, other) => other,
    };
    let updated_at = problems.check("data.updatedAt", updated_at);

    let content = match (operation, &typename) {
        (Some(Operation::Publish), Some(Typename::Material)) => {
            material(data, &mut problems).map(Content::Material)
        }
        (Some(Operation::Publish), Some(Typename::Module)) => {
            module(data, &mut problems).map(Content::Module)
        }
        _ => None,
    };

    let (Some(operation), Some(typename), Some(id), Some(stage), Some(version), Some(updated_at)) =
        (operation, typename, id, stage, version, updated_at)
    else {
        return Err(PayloadError::Invalid(
            problems.finish().err().unwrap_or_default(),
        ));
    };
    problems.finish().map_err(PayloadError::Invalid)?;

    Ok(Delivery {
        operation,
        typename,
        id,
        stage,
        updated_at,
        version,
        content,
        key: super::delivery_key(body),
    })
}

fn material(data: &Map<String, Value>, problems: &mut Problems) -> Option<Material> {
    let name = problems.check("data.name", required(data, "name").and_then(name));
    let cost_per_sq_ft = problems.check(
        "data.costPerSqFt",
        required(data, "costPerSqFt").and_then(decimal),
    );
    let thickness_mm = problems.check(
        "data.thicknessMm",
        optional(data, "thicknessMm").map(millimetres).transpose(),
    );
    let texture_url = match optional(data, "texture") {
        None => Some(None),
        Some(texture) => match object(texture) {
            Ok(texture) => {
                let url = required(texture, "url").and_then(non_blank_string);
                problems.check("data.texture.url", url).map(Some)
            }
            Err(error) => problems
                .check("data.texture", Err::<(), _>(error))
                .map(|()| None),
        },
    };
    Some(Material {
        name: name?,
        cost_per_sq_ft: cost_per_sq_ft?,
        thickness_mm: thickness_mm?,
        texture_url: texture_url?,
    })
}

fn module(data: &Map<String, Value>, problems: &mut Problems) -> Option<Module> {
    let name = problems.check("data.name", required(data, "name").and_then(name));
    let width = problems.check("data.width", required(data, "width").and_then(millimetres));
    let height = problems.check(
        "data.height",
        required(data, "height").and_then(millimetres),
    );
    let depth = problems.check("data.depth", required(data, "depth").and_then(millimetres));
    let base_price = problems.check(
        "data.basePrice",
        required(data, "basePrice").and_then(decimal),
    );
    let material_id = match required(data, "material").and_then(object) {
        Ok(material) => problems.check(
            "data.material.id",
            required(material, "id").and_then(entry_id),
        ),
        Err(error) => problems.check("data.material", Err::<EntryId, _>(error)),
    };
    let assembly_attributes = problems.check(
        "data.assemblyAttributes",
        free_form(data, "assemblyAttributes", Shape::Object),
    );
    let placement_constraints = problems.check(
        "data.placementConstraints",
        free_form(data, "placementConstraints", Shape::Object),
    );
    let connection_points = problems.check(
        "data.connectionPoints",
        free_form(data, "connectionPoints", Shape::Array),
    );
    Some(Module {
        name: name?,
        width: width?,
        height: height?,
        depth: depth?,
        base_price: base_price?,
        material_id: material_id?,
        assembly_attributes: assembly_attributes?,
        placement_constraints: placement_constraints?,
        connection_points: connection_points?,
    })
}

/// A field that must be present and not null.
fn required<'a>(map: &'a Map<String, Value>, key: &str) -> Result<&'a Value, FieldError> {
    optional(map, key).ok_or(FieldError::Missing)
}

/// A field that may be absent; an explicit `null` counts as absent, as GraphQL means it.
fn optional<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).filter(|value| !value.is_null())
}

fn object(value: &Value) -> Result<&Map<String, Value>, FieldError> {
    value.as_object().ok_or(FieldError::Expected("an object"))
}

fn string(value: &Value) -> Result<&str, FieldError> {
    value.as_str().ok_or(FieldError::Expected("a string"))
}

fn non_blank_string(value: &Value) -> Result<String, FieldError> {
    let text = string(value)?;
    if text.trim().is_empty() {
        return Err(FieldError::Blank);
    }
    Ok(text.to_owned())
}

fn name(value: &Value) -> Result<String, FieldError> {
    non_blank_string(value)
}

fn operation(value: &Value) -> Result<Operation, FieldError> {
    Operation::parse(string(value)?).ok_or(FieldError::UnknownOperation)
}

fn typename(value: &Value) -> Result<Typename, FieldError> {
    Ok(match non_blank_string(value)?.as_str() {
        "Material" => Typename::Material,
        "Module" => Typename::Module,
        other => Typename::Other(other.to_owned()),
    })
}

fn entry_id(value: &Value) -> Result<EntryId, FieldError> {
    Ok(EntryId::parse(string(value)?)?)
}

fn stage(value: &Value) -> Result<Stage, FieldError> {
    Ok(match non_blank_string(value)?.as_str() {
        "DRAFT" => Stage::Draft,
        "PUBLISHED" => Stage::Published,
        other => Stage::Other(other.to_owned()),
    })
}

fn version(value: &Value) -> Result<u64, FieldError> {
    value
        .as_u64()
        .ok_or(FieldError::Expected("a whole number of at least 0"))
}

fn timestamp(value: &Value) -> Result<Timestamp, FieldError> {
    Timestamp::from_str(string(value)?).map_err(|_| FieldError::NotTimestamp)
}

fn millimetres(value: &Value) -> Result<Millimetres, FieldError> {
    let number = value
        .as_f64()
        .ok_or(FieldError::Expected("a number of millimetres"))?;
    Ok(Millimetres::from_f64(number)?)
}

/// An exact, non-negative decimal from a string (`"12.50"`, parsed digit by digit) or a JSON
/// number (parsed from its textual form, so `12.5` stays 12.5 and never picks up binary noise).
fn decimal(value: &Value) -> Result<Decimal, FieldError> {
    let parsed = match value {
        Value::String(text) => {
            if !is_plain_decimal(text) {
                return Err(FieldError::Expected(EXPECTED_DECIMAL));
            }
            Decimal::from_str(text)
        }
        Value::Number(number) => {
            let text = number.to_string();
            if text.contains(['e', 'E']) {
                Decimal::from_scientific(&text)
            } else {
                Decimal::from_str(&text)
            }
        }
        _ => return Err(FieldError::Expected(EXPECTED_DECIMAL)),
    };
    let parsed = parsed.map_err(|_| FieldError::Expected(EXPECTED_DECIMAL))?;
    if parsed.is_sign_negative() && !parsed.is_zero() {
        return Err(FieldError::Negative);
    }
    Ok(parsed)
}

/// `-?digits(.digits)?`: what a person types for an amount, and nothing `Decimal::from_str`
/// would also take (underscores, a bare `.5`, a trailing `.`).
fn is_plain_decimal(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

#[derive(Clone, Copy)]
enum Shape {
    Object,
    Array,
}

/// One of the spec's free-form values, kept opaque but checked for its outer shape.
fn free_form(data: &Map<String, Value>, key: &str, shape: Shape) -> Result<Value, FieldError> {
    match (optional(data, key), shape) {
        (None, Shape::Object) => Ok(Value::Object(Map::new())),
        (None, Shape::Array) => Ok(Value::Array(Vec::new())),
        (Some(value @ Value::Object(_)), Shape::Object) => Ok(value.clone()),
        (Some(value @ Value::Array(_)), Shape::Array) => Ok(value.clone()),
        (Some(_), Shape::Object) => Err(FieldError::Expected("an object")),
        (Some(_), Shape::Array) => Err(FieldError::Expected("an array")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).expect("test decimal is valid")
    }

    fn parse(body: &Value) -> Result<Delivery, PayloadError> {
        parse_delivery(body.to_string().as_bytes())
    }

    fn mm(value: f64) -> Millimetres {
        Millimetres::from_f64(value).expect("test length is valid")
    }

    fn id(text: &str) -> EntryId {
        EntryId::parse(text).expect("test id is valid")
    }

    /// Asserts that `body` is rejected with exactly these `field: message` problems.
    fn check_problems(body: Value, expected: &[&str]) {
        let problems = match parse(&body) {
            Err(PayloadError::Invalid(problems)) => problems,
            other => panic!("expected field problems for {body}, got {other:?}"),
        };
        let actual: Vec<String> = problems.iter().map(FieldProblem::to_string).collect();
        assert_eq!(actual, expected, "body {body}");
    }

    fn material_publish() -> Value {
        json!({
            "operation": "publish",
            "data": {
                "__typename": "Material",
                "id": "clmat0001",
                "stage": "PUBLISHED",
                "updatedAt": "2024-03-01T10:00:00.123456+00:00",
                "name": "Oak veneer",
                "costPerSqFt": "12.50",
                "thicknessMm": 18,
                "texture": { "url": "https://media.graphassets.com/oak", "handle": "oak" },
                "createdBy": { "__typename": "User", "id": "u1" }
            }
        })
    }

    fn module_publish() -> Value {
        json!({
            "operation": "publish",
            "data": {
                "__typename": "Module",
                "id": "clmod0001",
                "stage": "PUBLISHED",
                "updatedAt": "2024-03-01T10:00:00Z",
                "version": 7,
                "name": "Küche base 600",
                "width": 600,
                "height": 720.5,
                "depth": 560,
                "basePrice": 149.9,
                "material": { "__typename": "Material", "id": "clmat0001" },
                "assemblyAttributes": { "hinges": 2 },
                "connectionPoints": [{ "side": "left" }]
            }
        })
    }

    #[test]
    fn a_material_publish_parses_into_typed_fields() {
        let delivery = parse(&material_publish()).expect("material publish is valid");
        assert_eq!(delivery.operation(), Operation::Publish);
        assert_eq!(delivery.typename(), &Typename::Material);
        assert_eq!(delivery.id(), &id("clmat0001"));
        assert_eq!(delivery.stage(), Some(&Stage::Published));
        assert_eq!(
            delivery.updated_at(),
            Some(
                "2024-03-01T10:00:00.123456Z"
                    .parse()
                    .expect("valid timestamp")
            )
        );
        assert_eq!(delivery.version(), None);
        let expected = Material {
            name: "Oak veneer".to_owned(),
            cost_per_sq_ft: dec("12.50"),
            thickness_mm: Some(mm(18.0)),
            texture_url: Some("https://media.graphassets.com/oak".to_owned()),
        };
        assert_eq!(delivery.content(), Some(&Content::Material(expected)));
        assert_eq!(
            delivery.key(),
            super::super::delivery_key(material_publish().to_string().as_bytes())
        );
    }

    #[test]
    fn a_material_without_optional_fields_parses_with_none() {
        let mut body = material_publish();
        body["data"]["thicknessMm"] = Value::Null;
        body["data"]
            .as_object_mut()
            .expect("data is an object")
            .remove("texture");
        let delivery = parse(&body).expect("optional fields may be absent");
        let Some(Content::Material(material)) = delivery.content() else {
            panic!("expected material content");
        };
        assert_eq!(
            (material.thickness_mm, material.texture_url.as_deref()),
            (None, None)
        );
    }

    #[test]
    fn a_module_publish_parses_into_typed_fields_with_defaults() {
        let delivery = parse(&module_publish()).expect("module publish is valid");
        assert_eq!(delivery.version(), Some(7));
        let expected = Module {
            name: "Küche base 600".to_owned(),
            width: mm(600.0),
            height: mm(720.5),
            depth: mm(560.0),
            base_price: dec("149.9"),
            material_id: id("clmat0001"),
            assembly_attributes: json!({ "hinges": 2 }),
            placement_constraints: json!({}),
            connection_points: json!([{ "side": "left" }]),
        };
        assert_eq!(delivery.into_content(), Some(Content::Module(expected)));
    }

    #[test]
    fn decimals_are_exact_from_strings_and_from_number_text() {
        let cases = [
            (json!("12.50"), dec("12.50")),
            (json!("0.1"), dec("0.1")),
            (json!("1234567890.123456789"), dec("1234567890.123456789")),
            (json!(0.1), dec("0.1")),
            (json!(149.9), dec("149.9")),
            (json!(100), dec("100")),
            (json!(1.5e-7), dec("0.00000015")),
            (json!(0), dec("0")),
        ];
        for (input, expected) in cases {
            let parsed = decimal(&input).expect("decimal input is valid");
            assert_eq!(parsed, expected, "input {input}");
        }
    }

    #[test]
    fn a_module_publish_with_bad_fields_names_every_field_path() {
        let mut body = module_publish();
        let data = body["data"].as_object_mut().expect("data is an object");
        data.insert("basePrice".to_owned(), json!(true));
        data.insert("width".to_owned(), json!(0));
        data.insert("height".to_owned(), json!("720"));
        data.remove("depth");
        data.insert("name".to_owned(), json!("  "));
        data.insert("material".to_owned(), json!({ "id": "" }));
        data.insert("placementConstraints".to_owned(), json!([1]));
        data.insert("connectionPoints".to_owned(), json!({}));
        check_problems(
            body,
            &[
                "data.name: must not be blank",
                "data.width: must be greater than 0 mm",
                "data.height: expected a number of millimetres",
                "data.depth: is required",
                "data.basePrice: expected a decimal string or number",
                "data.material.id: must not be empty",
                "data.placementConstraints: expected an object",
                "data.connectionPoints: expected an array",
            ],
        );
    }

    #[test]
    fn a_material_publish_with_bad_fields_names_every_field_path() {
        let cases = [
            (
                json!({ "costPerSqFt": "-1.00" }),
                "data.costPerSqFt: must not be negative",
            ),
            (
                json!({ "costPerSqFt": "1,50" }),
                "data.costPerSqFt: expected a decimal string or number",
            ),
            (
                json!({ "costPerSqFt": "1e3" }),
                "data.costPerSqFt: expected a decimal string or number",
            ),
            (
                json!({ "costPerSqFt": ".5" }),
                "data.costPerSqFt: expected a decimal string or number",
            ),
            (
                json!({ "costPerSqFt": null }),
                "data.costPerSqFt: is required",
            ),
            (
                json!({ "thicknessMm": -3 }),
                "data.thicknessMm: must be greater than 0 mm",
            ),
            (
                json!({ "texture": "oak.png" }),
                "data.texture: expected an object",
            ),
            (json!({ "texture": {} }), "data.texture.url: is required"),
            (json!({ "name": 5 }), "data.name: expected a string"),
        ];
        for (patch, expected) in cases {
            let mut body = material_publish();
            for (key, value) in patch.as_object().expect("patch is an object") {
                body["data"][key] = value.clone();
            }
            check_problems(body, &[expected]);
        }
    }

    #[test]
    fn envelope_problems_are_reported_together() {
        check_problems(
            json!({ "operation": "archive", "data": { "__typename": "", "id": "a b" } }),
            &[
                "operation: expected one of create, update, delete, publish, unpublish",
                "data.__typename: must not be blank",
                "data.id: must contain only letters, digits, `-` and `_`",
            ],
        );
        check_problems(
            json!({ "data": [] }),
            &["operation: is required", "data: expected an object"],
        );
        check_problems(json!([]), &["body: expected a JSON object"]);
        check_problems(
            json!({ "operation": "update", "data": { "__typename": "Material", "id": "m",
                    "updatedAt": "yesterday", "version": -1, "stage": 3 } }),
            &[
                "data.stage: expected a string",
                "data.version: expected a whole number of at least 0",
                "data.updatedAt: expected an RFC 3339 timestamp with an offset",
            ],
        );
    }

    #[test]
    fn a_body_that_is_not_json_is_rejected_as_such() {
        let outcome = parse_delivery(b"{\"operation\":");
        assert!(
            matches!(outcome, Err(PayloadError::NotJson(_))),
            "{outcome:?}"
        );
        let outcome = parse_delivery(b"\xff");
        assert!(
            matches!(outcome, Err(PayloadError::NotJson(_))),
            "{outcome:?}"
        );
    }

    #[test]
    fn publish_and_unpublish_require_updated_at_but_delete_does_not() {
        check_problems(
            json!({ "operation": "unpublish", "data": { "__typename": "Material", "id": "m" } }),
            &["data.updatedAt: is required for unpublish"],
        );
        let mut body = material_publish();
        body["data"]["updatedAt"] = Value::Null;
        check_problems(body, &["data.updatedAt: is required for publish"]);

        let delete =
            json!({ "operation": "delete", "data": { "__typename": "Module", "id": "m" } });
        let delivery = parse(&delete).expect("a delete may carry only the id");
        assert_eq!(
            (delivery.updated_at(), delivery.stage(), delivery.content()),
            (None, None, None)
        );
    }

    #[test]
    fn fields_are_only_parsed_for_a_publish() {
        for operation in ["create", "update", "unpublish", "delete"] {
            let mut body = module_publish();
            body["operation"] = json!(operation);
            body["data"]["basePrice"] = json!("not a price");
            let delivery = parse(&body).expect("fields of non-publish deliveries are not applied");
            assert_eq!(delivery.content(), None, "operation {operation}");
        }
    }

    #[test]
    fn an_unknown_typename_parses_as_other_without_content() {
        let body = json!({ "operation": "publish", "data": {
            "__typename": "BlogPost", "id": "post1", "updatedAt": "2024-03-01T10:00:00Z",
            "title": "Hello"
        } });
        let delivery = parse(&body).expect("unknown models are accepted");
        assert_eq!(delivery.typename(), &Typename::Other("BlogPost".to_owned()));
        assert_eq!(delivery.content(), None);
    }

    #[test]
    fn draft_and_custom_stages_are_kept() {
        for (text, expected) in [
            ("DRAFT", Stage::Draft),
            ("QA", Stage::Other("QA".to_owned())),
        ] {
            let body = json!({ "operation": "update", "data": {
                "__typename": "Material", "id": "m", "stage": text } });
            let delivery = parse(&body).expect("update is valid");
            assert_eq!(delivery.stage(), Some(&expected));
        }
    }

    #[test]
    fn entry_id_parse_rejects_empty_long_and_odd_ids() {
        assert_eq!(
            EntryId::parse("ckx9abc_-1").map(|id| id.to_string()),
            Ok("ckx9abc_-1".to_owned())
        );
        assert_eq!(EntryId::parse(""), Err(EntryIdError::Empty));
        assert_eq!(EntryId::parse(&"a".repeat(129)), Err(EntryIdError::TooLong));
        assert_eq!(EntryId::parse("a/b"), Err(EntryIdError::InvalidCharacter));
    }
}
