//! Every fixture (built by `tools/glb/build.mjs`) against the codes the standard names: the
//! valid files pass, each broken one reports its own violation.

use paform_glb::{Dimensions, MAX_FILE_BYTES, Report, check};

const CATALOG: Dimensions = Dimensions {
    width: 600.0,
    height: 720.0,
    depth: 560.0,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("read {path}: {error}"))
}

fn codes(report: &Report) -> Vec<&'static str> {
    let mut codes: Vec<_> = report.violations.iter().map(|v| v.code).collect();
    codes.dedup();
    codes
}

#[test]
fn the_valid_fixtures_pass_with_and_without_catalog_dimensions() {
    for name in ["valid.glb", "valid-draco-lods.glb"] {
        for expected in [Some(CATALOG), None] {
            let report = check(&fixture(name), expected);
            assert!(report.is_valid(), "{name}: {}", report.to_text());
            let size = report.bounding_box_mm.expect("measured");
            assert!((size.width - 600.0).abs() < 1.0, "{name}: {size:?}");
        }
    }
    let draco = check(&fixture("valid-draco-lods.glb"), Some(CATALOG));
    assert!(draco.draco);
    assert_eq!(draco.triangles.len(), 2, "two levels");
    assert!(draco.triangles[1] < draco.triangles[0]);
}

#[test]
fn each_broken_fixture_reports_its_violation() {
    let cases: &[(&str, &[&str])] = &[
        ("not-glb.glb", &["not-glb"]),
        ("truncated.glb", &["not-glb"]),
        ("gltf-version.glb", &["gltf-version"]),
        ("external-uri.glb", &["external-uri"]),
        ("extension.glb", &["extension"]),
        ("node-names.glb", &["node-name"]),
        ("duplicate-name.glb", &["duplicate-name"]),
        ("root.glb", &["root"]),
        ("metadata.glb", &["metadata"]),
        ("material-slot.glb", &["material-slot", "material-missing"]),
        ("position-bounds.glb", &["position-bounds"]),
        ("bounding-box.glb", &["bounding-box"]),
        ("units.glb", &["units"]),
        ("origin.glb", &["origin"]),
        ("lod.glb", &["lod"]),
        ("triangle-budget.glb", &["triangle-budget"]),
        ("texture-size.glb", &["texture-size"]),
    ];
    for (name, expected) in cases {
        let report = check(&fixture(name), Some(CATALOG));
        assert_eq!(&codes(&report), expected, "{name}: {}", report.to_text());
    }
}

#[test]
fn node_names_lists_every_bad_name() {
    let report = check(&fixture("node-names.glb"), Some(CATALOG));
    let text = report.to_text();
    for name in ["panel:side-left", "panel:top", "Door_LOD0", "has no name"] {
        assert!(text.contains(name), "{name} missing from {text}");
    }
}

#[test]
fn declared_dimensions_drift_from_the_catalog() {
    let wider = Dimensions {
        width: 800.0,
        ..CATALOG
    };
    let report = check(&fixture("valid.glb"), Some(wider));
    assert_eq!(codes(&report), ["dimensions-drift", "bounding-box"]);
    assert!(report.to_text().contains("width 600 mm instead of 800 mm"));
}

#[test]
fn a_file_over_five_mib_is_refused_and_still_checked() {
    let mut bytes = pad_binary_chunk(&fixture("valid.glb"), MAX_FILE_BYTES);
    let report = check(&bytes, Some(CATALOG));
    assert_eq!(codes(&report), ["file-size"]);
    bytes.truncate(12);
    assert_eq!(codes(&check(&bytes, None)), ["not-glb"]);
}

/// The GLB with `extra` zero bytes appended to its binary chunk (lengths updated).
fn pad_binary_chunk(glb: &[u8], extra: usize) -> Vec<u8> {
    let json_length = u32::from_le_bytes(glb[12..16].try_into().expect("4 bytes")) as usize;
    let bin_header = 20 + json_length;
    let bin_length =
        u32::from_le_bytes(glb[bin_header..bin_header + 4].try_into().expect("4 bytes")) as usize;
    let mut out = glb.to_vec();
    out.extend(std::iter::repeat_n(0, extra));
    let total = u32::try_from(out.len()).expect("fits");
    out[8..12].copy_from_slice(&total.to_le_bytes());
    let bin = u32::try_from(bin_length + extra).expect("fits");
    out[bin_header..bin_header + 4].copy_from_slice(&bin.to_le_bytes());
    out
}
