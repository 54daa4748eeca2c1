//! Authentication of a delivery: the signature is verified over the raw bytes before the
//! body is read at all, then the body is parsed; and how a rejection is worded in the log.

use jiff::Timestamp;
use paform_core::problem::FieldProblem;
use paform_core::webhook::{
    Delivery, PayloadError, SignatureError, SignatureHeader, parse_delivery, verify,
};

use crate::AppError;

pub(super) fn authenticate(
    config: &crate::SyncConfig,
    secret: &str,
    signature: Option<&[u8]>,
    body: &[u8],
    now: Timestamp,
) -> Result<Delivery, AppError> {
    // The signature is checked before anything is read from the body, so a request that is
    // not genuinely signed is a 401 whatever its body.
    let Some(signature) = signature else {
        return Err(malformed(
            "gcms-signature",
            "the gcms-signature header is missing",
        ));
    };
    let signature = std::str::from_utf8(signature)
        .map_err(|_| malformed("gcms-signature", "the gcms-signature header is not text"))?;
    let header = SignatureHeader::parse(signature).map_err(signature_rejection)?;
    verify(
        &header,
        secret.as_bytes(),
        body,
        now.as_millisecond(),
        config.max_age_ms,
        config.max_future_ms,
    )
    .map_err(signature_rejection)?;
    if body.is_empty() {
        return Err(malformed(
            "body",
            "the request body is empty; the webhook must include the payload",
        ));
    }
    parse_delivery(body).map_err(|error| {
        let detail = format!("the delivery body is malformed: {error}");
        match error {
            PayloadError::NotJson(_) => malformed("body", detail),
            PayloadError::Invalid(problems) => AppError::Malformed { detail, problems },
        }
    })
}

pub(super) fn malformed(field: &str, detail: impl Into<String>) -> AppError {
    let detail = detail.into();
    AppError::Malformed {
        problems: vec![FieldProblem::new(field, &detail)],
        detail,
    }
}

pub(super) fn signature_rejection(error: SignatureError) -> AppError {
    match error {
        error if error.is_malformed() => malformed("gcms-signature", error.to_string()),
        error => AppError::Unauthorized(error.to_string()),
    }
}

pub(super) fn rejection_reason(rejection: &AppError) -> String {
    let status = match rejection {
        AppError::Unauthorized(_) => "401",
        AppError::Invalid { .. } => "422",
        _ => "400",
    };
    let detail = match rejection {
        AppError::Invalid { problems } => join_problems(problems),
        other => other.to_string(),
    };
    format!("{status}: {detail}")
}

pub(super) fn join_problems(problems: &[FieldProblem]) -> String {
    let texts: Vec<String> = problems.iter().map(ToString::to_string).collect();
    texts.join("; ")
}
