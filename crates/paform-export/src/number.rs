//! The one number format of the exports: millimetres rounded to 0.001 mm with trailing
//! zeros dropped (`1220`, `12.2`, `0.125`), so floating-point noise such as
//! `0.30000000000000004` never reaches a file and equal inputs give equal text.

/// Formats a length for CSV, SVG and DXF output.
pub(crate) fn mm(value: f64) -> String {
    let rounded = format!("{value:.3}");
    let trimmed = if rounded.contains('.') {
        rounded.trim_end_matches('0').trim_end_matches('.')
    } else {
        rounded.as_str()
    };
    if trimmed == "-0" {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::mm;

    #[test]
    fn lengths_print_without_noise_or_trailing_zeros() {
        let cases = [
            (1220.0, "1220"),
            (12.2, "12.2"),
            (0.1 + 0.2, "0.3"),
            (0.125, "0.125"),
            (-0.0001, "0"),
            (2440.5, "2440.5"),
        ];
        for (value, expected) in cases {
            assert_eq!(mm(value), expected, "{value}");
        }
    }
}
