//! The labels PDF of an export (SPEC §12): one label per physical part, in cutting order
//! (material, then sheet, then placement), each naming the nesting sheet its part is cut from.
//! A label's QR code and printed code are its copy's code (`coded_layout`), the code the
//! nesting drawing writes on that part and the shop floor records stations under.

use std::collections::HashMap;

use paform_core::cnc::nesting::NestLayout;
use paform_core::units::Millimetres;
use paform_documents::labels::{self, Label, LabelFormat};

use super::render::RenderedFile;
use super::*;
use crate::part_code;

fn mm(length: Millimetres) -> String {
    length.to_string()
}

pub(super) fn labels_file(
    groups: &[MaterialGroup],
    layouts: &[NestLayout],
    lines: &[ProductionLine],
    label_format: &str,
) -> Result<RenderedFile, AppError> {
    let format = LabelFormat::parse(label_format).unwrap_or(LabelFormat::A4ThreeByEight);
    let mut labels_out = Vec::new();
    for (group, layout) in groups.iter().zip(layouts) {
        let panels: HashMap<&str, &CutPanel> = group
            .panels
            .iter()
            .map(|panel| (panel.label.as_str(), panel))
            .collect();
        let thickness = group.thickness.map_or_else(|| "?".to_owned(), mm);
        let coded = coded_layout(group, layout);
        for (sheet_index, (sheet, coded_sheet)) in
            layout.sheets.iter().zip(&coded.sheets).enumerate()
        {
            for (placement, coded_placement) in sheet.placements.iter().zip(&coded_sheet.placements)
            {
                let Some(panel) = panels.get(placement.id.as_str()) else {
                    continue;
                };
                let line = &lines[panel.line];
                let edge = edge_banding_text(panel.edge_banding);
                labels_out.push(Label {
                    order_number: part_code::order_number(&panel.label)
                        .unwrap_or(&panel.label)
                        .to_owned(),
                    part_code: coded_placement.id.clone(),
                    part_name: panel.name.clone(),
                    module_name: line.module_name.clone(),
                    size: format!("{} × {} × {thickness}", mm(panel.length), mm(panel.width)),
                    material: group.material_name.clone(),
                    edge_banding: if edge.is_empty() {
                        "none".to_owned()
                    } else {
                        edge.to_owned()
                    },
                    sheet: Some(sheet_index as u32 + 1),
                });
            }
        }
    }
    let bytes = labels::render(&labels_out, format).map_err(|error| {
        AppError::internal(
            anyhow::Error::new(error).context("the labels PDF could not be rendered"),
        )
    })?;
    Ok(RenderedFile {
        kind: ArtifactKind::LabelsPdf,
        file: "labels.pdf".to_owned(),
        bytes,
        content_type: artifacts::PDF_CONTENT_TYPE,
        material_id: None,
    })
}
