//! A thin drawing layer over krilla's surface in points with y growing downwards: text (left,
//! right-aligned, clipped to a width), filled rectangles and hairlines. Widths come from the
//! embedded fonts' advance tables, so right-aligned money columns line up exactly.

use std::sync::LazyLock;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

static REGULAR_BYTES: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD_BYTES: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

static REGULAR: LazyLock<(Font, ttf_parser::Face<'static>)> = LazyLock::new(|| load(REGULAR_BYTES));
static BOLD: LazyLock<(Font, ttf_parser::Face<'static>)> = LazyLock::new(|| load(BOLD_BYTES));

fn load(bytes: &'static [u8]) -> (Font, ttf_parser::Face<'static>) {
    let font = Font::new(bytes.into(), 0).expect("the embedded DejaVu font parses");
    let face = ttf_parser::Face::parse(bytes, 0).expect("the embedded DejaVu font parses");
    (font, face)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

fn face(weight: Weight) -> &'static (Font, ttf_parser::Face<'static>) {
    match weight {
        Weight::Regular => &REGULAR,
        Weight::Bold => &BOLD,
    }
}

/// An sRGB colour; krilla's own colour type cannot be built in a constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Colour(pub(crate) u8, pub(crate) u8, pub(crate) u8);

impl Colour {
    fn rgb(self) -> rgb::Color {
        rgb::Color::new(self.0, self.1, self.2)
    }
}

pub(crate) const WHITE: Colour = Colour(255, 255, 255);
pub(crate) const INK: Colour = Colour(0x1f, 0x23, 0x28);
pub(crate) const MUTED: Colour = Colour(0x5f, 0x66, 0x6d);
pub(crate) const RULE: Colour = Colour(0xc9, 0xce, 0xd3);
pub(crate) const BAND: Colour = Colour(0xf1, 0xf3, 0xf5);
pub(crate) const ACCENT: Colour = Colour(0x2b, 0x5c, 0x8a);

/// The width of `text` in points at `size`.
pub(crate) fn text_width(text: &str, weight: Weight, size: f32) -> f32 {
    let face = &face(weight).1;
    let units: u32 = text
        .chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|glyph| face.glyph_hor_advance(glyph))
                .map_or(0, u32::from)
        })
        .sum();
    units as f32 * size / f32::from(face.units_per_em())
}

/// `text` shortened with an ellipsis so it fits in `width`.
pub(crate) fn fit(text: &str, weight: Weight, size: f32, width: f32) -> String {
    if text_width(text, weight, size) <= width {
        return text.to_owned();
    }
    let mut kept: String = text.to_owned();
    while !kept.is_empty() && text_width(&format!("{kept}…"), weight, size) > width {
        kept.pop();
    }
    format!("{}…", kept.trim_end())
}

/// `text` broken into lines no wider than `width` (at spaces; a longer word stays whole).
pub(crate) fn wrap(text: &str, weight: Weight, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && text_width(&candidate, weight, size) > width {
                lines.push(std::mem::replace(&mut line, word.to_owned()));
            } else {
                line = candidate;
            }
        }
        lines.push(line);
    }
    lines
}

fn fill(color: Colour) -> Fill {
    Fill {
        paint: color.rgb().into(),
        ..Fill::default()
    }
}

pub(crate) struct Canvas<'s, 'p> {
    surface: &'s mut Surface<'p>,
}

impl<'s, 'p> Canvas<'s, 'p> {
    pub(crate) fn new(surface: &'s mut Surface<'p>) -> Self {
        Canvas { surface }
    }

    /// Text with its baseline at `y`, starting at `x`.
    pub(crate) fn text(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        color: Colour,
        text: &str,
    ) {
        if text.is_empty() {
            return;
        }
        self.surface.set_fill(Some(fill(color)));
        self.surface.draw_text(
            Point::from_xy(x, y),
            face(weight).0.clone(),
            size,
            text,
            false,
            TextDirection::Auto,
        );
    }

    /// Text with its baseline at `y`, ending at `right`.
    pub(crate) fn text_right(
        &mut self,
        right: f32,
        y: f32,
        size: f32,
        weight: Weight,
        color: Colour,
        text: &str,
    ) {
        let x = right - text_width(text, weight, size);
        self.text(x, y, size, weight, color, text);
    }

    pub(crate) fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, color: Colour) {
        let Some(rect) = Rect::from_xywh(x, y, width, height) else {
            return;
        };
        let mut builder = PathBuilder::new();
        builder.push_rect(rect);
        if let Some(path) = builder.finish() {
            self.surface.set_stroke(None);
            self.surface.set_fill(Some(fill(color)));
            self.surface.draw_path(&path);
        }
    }

    pub(crate) fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, color: Colour) {
        let mut builder = PathBuilder::new();
        builder.move_to(x1, y1);
        builder.line_to(x2, y2);
        if let Some(path) = builder.finish() {
            self.surface.set_fill(None);
            self.surface.set_stroke(Some(Stroke {
                paint: color.rgb().into(),
                width,
                ..Stroke::default()
            }));
            self.surface.draw_path(&path);
            self.surface.set_stroke(None);
        }
    }

    pub(crate) fn surface(&mut self) -> &mut Surface<'p> {
        self.surface
    }
}

/// `1234567.50` → `1,234,567.50` (a display grouping of the application's decimal string).
pub(crate) fn group_digits(amount: &str) -> String {
    let (sign, unsigned) = match amount.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", amount),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    if !whole.bytes().all(|b| b.is_ascii_digit()) {
        return amount.to_owned();
    }
    let mut grouped = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_grouped_by_thousands() {
        for (input, expected) in [
            ("0.00", "0.00"),
            ("999.99", "999.99"),
            ("1000.00", "1,000.00"),
            ("-1234567.5", "-1,234,567.5"),
            ("12", "12"),
        ] {
            assert_eq!(group_digits(input), expected);
        }
    }

    #[test]
    fn long_text_is_shortened_to_fit() {
        let text = "A very long module name that will not fit in a narrow column";
        let fitted = fit(text, Weight::Regular, 9.0, 80.0);
        assert!(fitted.ends_with('…'));
        assert!(text_width(&fitted, Weight::Regular, 9.0) <= 80.0);
    }
}
