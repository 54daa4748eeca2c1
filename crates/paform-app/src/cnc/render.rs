//! Rendering an export: the cut list CSV, the saw sequence CSV and, per material, the
//! nesting SVG and DXF. Pure: the same groups and layouts always give the same bytes.
//! The cut list has one row per panel (its panel code and quantity); the drawings write each
//! part's copy code, as its label does.

use paform_core::cnc::nesting::NestLayout;
use paform_core::units::Millimetres;
use paform_export::{
    CutListRow, SawSection, cut_list_csv, nesting_dxf, nesting_svg, saw_sequence_csv,
};

use super::*;

/// A file name part made of the material's name: lowercase ASCII letters, digits and `-`.
pub(super) fn slug(name: &str) -> String {
    let mut slug = String::new();
    for character in name.chars() {
        if character.is_ascii_alphanumeric() {
            slug.push(character.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(40).collect();
    if slug.is_empty() {
        "material".to_owned()
    } else {
        slug
    }
}

pub(super) fn layout_area(layout: &NestLayout) -> f64 {
    layout
        .sheets
        .iter()
        .flat_map(|sheet| &sheet.placements)
        .map(|placement| placement.width * placement.height)
        .sum()
}

/// The area of the boards a layout uses.
pub(super) fn stock_area(layout: &NestLayout) -> f64 {
    layout
        .sheets
        .iter()
        .map(|sheet| sheet.stock.width * sheet.stock.height)
        .sum()
}

/// One rendered file of an export.
pub(super) struct RenderedFile {
    pub(super) kind: ArtifactKind,
    pub(super) file: String,
    pub(super) bytes: Vec<u8>,
    pub(super) content_type: &'static str,
    pub(super) material_id: Option<String>,
}

pub(super) fn render_files(
    order_id: &str,
    order_title: &str,
    groups: &[MaterialGroup],
    layouts: &[NestLayout],
    lines: &[ProductionLine],
) -> Vec<RenderedFile> {
    let rows: Vec<CutListRow> = groups
        .iter()
        .flat_map(|group| {
            group.panels.iter().map(move |panel| {
                let line = &lines[panel.line];
                CutListRow {
                    label: panel.label.clone(),
                    order_id: order_id.to_owned(),
                    line_item_id: line.line_item_id.clone(),
                    module_id: line.module_id.clone(),
                    module_name: line.module_name.clone(),
                    panel_name: panel.name.clone(),
                    material_name: group.material_name.clone(),
                    length_mm: panel.length.to_f64(),
                    width_mm: panel.width.to_f64(),
                    // 0 stands for "not known": the material has no thickness on record.
                    thickness_mm: group.thickness.map_or(0.0, Millimetres::to_f64),
                    grain: nest_grain(panel.grain),
                    edge_banding: edge_banding_text(panel.edge_banding).to_owned(),
                    quantity: panel.quantity,
                }
            })
        })
        .collect();
    let sections: Vec<SawSection<'_>> = groups
        .iter()
        .zip(layouts)
        .map(|(group, layout)| SawSection {
            material_name: &group.material_name,
            layout,
        })
        .collect();
    let mut files = vec![
        RenderedFile {
            kind: ArtifactKind::CutListCsv,
            file: "cut-list.csv".to_owned(),
            bytes: cut_list_csv(&rows),
            content_type: artifacts::CSV_CONTENT_TYPE,
            material_id: None,
        },
        RenderedFile {
            kind: ArtifactKind::SawSequenceCsv,
            file: "saw-sequence.csv".to_owned(),
            bytes: saw_sequence_csv(&sections),
            content_type: artifacts::CSV_CONTENT_TYPE,
            material_id: None,
        },
    ];
    for (index, (group, layout)) in groups.iter().zip(layouts).enumerate() {
        let stem = format!("nesting-{:02}-{}", index + 1, slug(&group.material_name));
        let thickness = group
            .thickness
            .map(|thickness| format!(", {thickness} mm"))
            .unwrap_or_default();
        let title = format!(
            "{order_title}: {}{thickness}, {} sheet(s), {:.1} m of saw cuts",
            group.material_name,
            layout.sheets.len(),
            layout.cut_length / 1000.0
        );
        let coded = coded_layout(group, layout);
        let svg = nesting_svg(&coded, &title);
        files.push(RenderedFile {
            kind: ArtifactKind::NestingSvg,
            file: format!("{stem}.svg"),
            bytes: svg.into_bytes(),
            content_type: artifacts::SVG_CONTENT_TYPE,
            material_id: Some(group.material_id.clone()),
        });
        files.push(RenderedFile {
            kind: ArtifactKind::NestingDxf,
            file: format!("{stem}.dxf"),
            bytes: nesting_dxf(&coded),
            content_type: artifacts::DXF_CONTENT_TYPE,
            material_id: Some(group.material_id.clone()),
        });
    }
    files
}
