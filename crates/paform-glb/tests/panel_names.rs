//! The standard names carcass panels after the cut list; this fails when the cut list gains
//! a panel name the checker does not accept.

use paform_core::catalog::{Dimensions, ModuleSpec};
use paform_core::cnc::panelize::panelize;
use paform_core::money::Money;
use paform_core::units::Millimetres;

#[test]
fn every_cut_list_panel_name_is_a_valid_glb_panel_name() {
    let mm = |value| Millimetres::from_f64(value).expect("valid length");
    let module = ModuleSpec {
        dimensions: Dimensions {
            width: mm(600.0),
            height: mm(720.0),
            depth: mm(560.0),
        },
        base_price: Money::ZERO,
        shelves: 2,
    };
    let panels = panelize(&module, Some(mm(18.0))).expect("panelizes");
    let mut names: Vec<&str> = panels.iter().map(|panel| panel.name).collect();
    names.sort_unstable();
    let mut standard = paform_glb::PANEL_NAMES.to_vec();
    standard.sort_unstable();
    assert_eq!(names, standard);
}
