//! Checks a GLB file against `GLB_ASSET_STANDARD.md` (version 1): bytes in, a report listing
//! every violation out, each with the code the standard names. No I/O, so the CLI
//! (`paform glb check`) and the upload route give the same report for the same bytes.
//!
//! The geometry is never decoded: Draco-compressed meshes cannot be read by the `gltf` crate,
//! and glTF requires `min`/`max` on every `POSITION` accessor (compressed or not), so the
//! bounding box comes from those bounds transformed by each node's world transform. Once the
//! container and the JSON are sound, every rule is checked, so one upload shows every problem.

mod geometry;
mod names;

use std::collections::{BTreeMap, HashMap, HashSet};

use gltf::json;
use serde::Serialize;

use geometry::{Aabb, Mat4};
pub use names::PANEL_NAMES;
use names::{NodeName, parse_node_name};

/// The version of the standard this crate checks.
pub const STANDARD_VERSION: u64 = 1;
/// The largest file the standard accepts.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// The triangle budget of level 0.
pub const MAX_LOD0_TRIANGLES: u64 = 50_000;
/// The largest texture side, in pixels.
pub const MAX_TEXTURE_PX: usize = 2048;
/// The bounding-box tolerance per axis, in metres (1 mm).
pub const TOLERANCE_M: f64 = 0.001;
/// The material slots, in the standard's order.
pub const MATERIAL_SLOTS: &[&str] = &["carcass", "front", "handle", "metal", "glass"];

const DRACO: &str = "KHR_draco_mesh_compression";
/// A box this much larger than expected (within 1 %) was modelled in millimetres.
const MILLIMETRE_FACTOR: f64 = 1000.0;
/// With no size known, an axis longer than this is taken for millimetres.
const IMPLAUSIBLE_M: f64 = 10.0;

/// Catalog dimensions of a module, in millimetres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Dimensions {
    pub width: f64,
    pub height: f64,
    pub depth: f64,
}

impl Dimensions {
    fn axes(&self) -> [f64; 3] {
        [self.width, self.height, self.depth]
    }
}

impl std::str::FromStr for Dimensions {
    type Err = String;

    /// `WxHxD` in millimetres, e.g. `600x720x560`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = text.split(['x', 'X', '×']).collect();
        let [width, height, depth] = parts.as_slice() else {
            return Err(format!(
                "dimensions must be WxHxD in millimetres, got {text:?}"
            ));
        };
        let number = |part: &str| -> Result<f64, String> {
            match part.trim().parse::<f64>() {
                Ok(value) if value.is_finite() && value > 0.0 => Ok(value),
                _ => Err(format!("{part:?} is not a positive number of millimetres")),
            }
        };
        Ok(Dimensions {
            width: number(width)?,
            height: number(height)?,
            depth: number(depth)?,
        })
    }
}

/// One broken rule: the standard's code and a message naming what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub code: &'static str,
    pub message: String,
}

/// What the check found. `violations` is empty exactly when the file follows the standard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub violations: Vec<Violation>,
    pub size_bytes: usize,
    /// True when some mesh is Draco-compressed.
    pub draco: bool,
    /// Level 0's bounding box size in millimetres, when the geometry could be measured.
    pub bounding_box_mm: Option<Dimensions>,
    /// Triangles per level of detail (one entry when the file has no `lod:` groups).
    pub triangles: Vec<u64>,
}

impl Report {
    pub fn is_valid(&self) -> bool {
        self.violations.is_empty()
    }

    /// The report as the CLI prints it: one line per violation, then a verdict.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        for violation in &self.violations {
            text.push_str(&format!("{}: {}\n", violation.code, violation.message));
        }
        if let Some(size) = self.bounding_box_mm {
            text.push_str(&format!(
                "bounding box: {} x {} x {} mm\n",
                round(size.width),
                round(size.height),
                round(size.depth)
            ));
        }
        if self.is_valid() {
            text.push_str("valid\n");
        } else {
            text.push_str(&format!("{} violation(s)\n", self.violations.len()));
        }
        text
    }
}

fn round(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Checks `bytes` against the standard; `expected` is the module's catalog size, when known.
pub fn check(bytes: &[u8], expected: Option<Dimensions>) -> Report {
    let mut checker = Checker {
        report: Report {
            violations: Vec::new(),
            size_bytes: bytes.len(),
            draco: false,
            bounding_box_mm: None,
            triangles: Vec::new(),
        },
    };
    if bytes.len() > MAX_FILE_BYTES {
        checker.push(
            "file-size",
            format!(
                "the file is {} bytes; the standard allows at most {MAX_FILE_BYTES} (5 MiB)",
                bytes.len()
            ),
        );
    }
    if let Some((root, bin)) = checker.parse(bytes) {
        checker.check_document(&root, bin.as_deref(), expected);
    }
    checker.report
}

struct Checker {
    report: Report,
}

/// One node's place in the scene: its world transform and the level it belongs to.
struct Placed {
    index: usize,
    world: Mat4,
    /// `None` for nodes outside any `lod:` group (they belong to every level).
    level: Option<u32>,
}

impl Checker {
    fn push(&mut self, code: &'static str, message: impl Into<String>) {
        self.report.violations.push(Violation {
            code,
            message: message.into(),
        });
    }

    /// The container and the JSON; `None` when nothing further can be checked safely.
    fn parse(&mut self, bytes: &[u8]) -> Option<(json::Root, Option<Vec<u8>>)> {
        if !bytes.starts_with(b"glTF") {
            self.push(
                "not-glb",
                "the file does not start with the GLB magic `glTF`; upload binary glTF (.glb)",
            );
            return None;
        }
        let glb = match gltf::binary::Glb::from_slice(bytes) {
            Ok(glb) => glb,
            Err(gltf::Error::Binary(gltf::binary::Error::Version(version))) => {
                self.push(
                    "gltf-version",
                    format!("the GLB container is version {version}; glTF 2.0 is required"),
                );
                return None;
            }
            Err(error) => {
                self.push("not-glb", format!("the GLB container is broken: {error}"));
                return None;
            }
        };
        let root: json::Root = match json::deserialize::from_slice(&glb.json) {
            Ok(root) => root,
            Err(error) => {
                self.push(
                    "invalid-gltf",
                    format!("the glTF JSON chunk does not parse: {error}"),
                );
                return None;
            }
        };
        if root.asset.version != "2.0" {
            self.push(
                "gltf-version",
                format!(
                    "asset.version is {:?}; glTF 2.0 is required",
                    root.asset.version
                ),
            );
            return None;
        }
        let draco = root.extensions_used.iter().any(|name| name == DRACO);
        let mut errors = Vec::new();
        {
            use json::validation::Validate;
            root.validate(&root, json::Path::new, &mut |path, error| {
                let path = path().to_string();
                // Required extensions are judged by the standard's own list below; a Draco
                // accessor has no buffer view of its own (its data is in the extension).
                // Missing POSITION bounds are the standard's `position-bounds`, checked below.
                let draco_accessor =
                    draco && path.starts_with("accessors[") && path.ends_with("].bufferView");
                let position_bounds =
                    path.ends_with("[\"POSITION\"].min") || path.ends_with("[\"POSITION\"].max");
                if !path.starts_with("extensionsRequired") && !draco_accessor && !position_bounds {
                    errors.push(format!("{path}: {error}"));
                }
            });
        }
        if !errors.is_empty() {
            for error in errors {
                self.push("invalid-gltf", error);
            }
            return None;
        }
        Some((root, glb.bin.map(|bin| bin.into_owned())))
    }

    fn check_document(
        &mut self,
        root: &json::Root,
        bin: Option<&[u8]>,
        expected: Option<Dimensions>,
    ) {
        self.report.draco = root.extensions_used.iter().any(|name| name == DRACO);
        self.check_extensions(root);
        self.check_uris(root);
        self.check_textures(root, bin);
        self.check_materials(root);
        let Some(root_index) = self.check_root(root) else {
            return;
        };
        let metadata = self.check_metadata(root, root_index, expected);
        let Some(placed) = self.place_nodes(root, root_index) else {
            return;
        };
        let levels = self.check_names_and_levels(root, root_index, &placed);
        self.check_triangles(root, &placed, &levels);
        self.check_bounds(root, &placed, expected.or(metadata));
    }

    fn check_extensions(&mut self, root: &json::Root) {
        for name in &root.extensions_required {
            let allowed = name == DRACO
                || name == "KHR_texture_transform"
                || name.starts_with("KHR_materials_");
            if !allowed {
                self.push(
                    "extension",
                    format!(
                        "the required extension {name} is not supported offline; allowed: \
                         {DRACO}, KHR_texture_transform, KHR_materials_*"
                    ),
                );
            }
        }
    }

    fn check_uris(&mut self, root: &json::Root) {
        let external = |uri: &Option<String>| {
            uri.as_deref()
                .filter(|uri| !uri.starts_with("data:"))
                .map(str::to_owned)
        };
        for (i, buffer) in root.buffers.iter().enumerate() {
            if let Some(uri) = external(&buffer.uri) {
                self.push(
                    "external-uri",
                    format!("buffer {i} points at {uri:?}; embed it in the GLB's binary chunk"),
                );
            }
        }
        for (i, image) in root.images.iter().enumerate() {
            if let Some(uri) = external(&image.uri) {
                self.push(
                    "external-uri",
                    format!("image {i} points at {uri:?}; embed it in the GLB"),
                );
            }
        }
    }

    fn check_textures(&mut self, root: &json::Root, bin: Option<&[u8]>) {
        for (i, image) in root.images.iter().enumerate() {
            let Some(view) = image.buffer_view else {
                continue;
            };
            let view = &root.buffer_views[view.value()];
            // Only the GLB's own chunk (buffer 0 without a URI) can be read here.
            let Some(bin) =
                bin.filter(|_| view.buffer.value() == 0 && root.buffers[0].uri.is_none())
            else {
                continue;
            };
            let start = view.byte_offset.map_or(0, |offset| offset.0 as usize);
            let Some(data) = bin.get(start..start.saturating_add(view.byte_length.0 as usize))
            else {
                self.push(
                    "invalid-gltf",
                    format!("image {i}'s buffer view runs past the binary chunk"),
                );
                continue;
            };
            match imagesize::blob_size(data) {
                Ok(size) if size.width > MAX_TEXTURE_PX || size.height > MAX_TEXTURE_PX => {
                    self.push(
                        "texture-size",
                        format!(
                            "image {i} is {} x {} px; at most {MAX_TEXTURE_PX} px per side",
                            size.width, size.height
                        ),
                    );
                }
                Ok(_) => {}
                Err(_) => self.push(
                    "texture-size",
                    format!("image {i} is neither a readable PNG nor JPEG"),
                ),
            }
        }
    }

    fn check_materials(&mut self, root: &json::Root) {
        for (i, material) in root.materials.iter().enumerate() {
            match material.name.as_deref() {
                Some(name) if MATERIAL_SLOTS.contains(&name) => {}
                name => self.push(
                    "material-slot",
                    format!(
                        "material {i} is named {}; a material is named after a slot: {}",
                        name.map_or("nothing".to_owned(), |name| format!("{name:?}")),
                        MATERIAL_SLOTS.join(", ")
                    ),
                ),
            }
        }
        for (m, mesh) in root.meshes.iter().enumerate() {
            for (p, primitive) in mesh.primitives.iter().enumerate() {
                if primitive.material.is_none() {
                    self.push(
                        "material-missing",
                        format!(
                            "mesh {} primitive {p} has no material; give it one of the slots",
                            mesh.name
                                .as_deref()
                                .map_or(m.to_string(), |n| format!("{n:?}"))
                        ),
                    );
                }
            }
        }
    }

    /// The one root node of the one scene, named `module:<slug>`.
    fn check_root(&mut self, root: &json::Root) -> Option<usize> {
        let scene = match (root.scene, root.scenes.len()) {
            (Some(scene), _) => scene.value(),
            (None, 1) => 0,
            (None, count) => {
                self.push(
                    "root",
                    format!("the file has {count} scenes and no default; it holds one module"),
                );
                return None;
            }
        };
        let nodes = &root.scenes[scene].nodes;
        let [node] = nodes.as_slice() else {
            self.push(
                "root",
                format!(
                    "the scene has {} root nodes; it has exactly one, named module:<slug>",
                    nodes.len()
                ),
            );
            return None;
        };
        let index = node.value();
        let name = root.nodes[index].name.as_deref().unwrap_or("");
        if !matches!(parse_node_name(name), Ok(NodeName::Module(_))) {
            self.push(
                "root",
                format!("the root node is named {name:?}; it is named module:<slug>"),
            );
        }
        Some(index)
    }

    /// `extras.paform` on the root; returns its `dimensions_mm` when they can be read.
    fn check_metadata(
        &mut self,
        root: &json::Root,
        root_index: usize,
        expected: Option<Dimensions>,
    ) -> Option<Dimensions> {
        let node = &root.nodes[root_index];
        let extras: Option<serde_json::Value> = node
            .extras
            .as_ref()
            .and_then(|raw| serde_json::from_str(raw.get()).ok());
        let Some(paform) = extras.as_ref().and_then(|extras| extras.get("paform")) else {
            self.push(
                "metadata",
                "the root node's extras carry no `paform` object (standard, module_slug, \
                 dimensions_mm)",
            );
            return None;
        };
        match paform.get("standard").and_then(serde_json::Value::as_u64) {
            Some(STANDARD_VERSION) => {}
            other => self.push(
                "metadata",
                format!(
                    "extras.paform.standard is {}; this checker reads version {STANDARD_VERSION}",
                    other.map_or("missing".to_owned(), |v| v.to_string())
                ),
            ),
        }
        let root_slug = node
            .name
            .as_deref()
            .and_then(|name| name.strip_prefix("module:"));
        match paform
            .get("module_slug")
            .and_then(serde_json::Value::as_str)
        {
            Some(slug) if names::is_token(slug) => {
                if root_slug.is_some_and(|root_slug| root_slug != slug) {
                    self.push(
                        "metadata",
                        format!(
                            "extras.paform.module_slug is {slug:?} but the root is named {:?}",
                            node.name.as_deref().unwrap_or("")
                        ),
                    );
                }
            }
            Some(slug) => self.push(
                "metadata",
                format!("extras.paform.module_slug {slug:?} is not lowercase words joined by -"),
            ),
            None => self.push("metadata", "extras.paform.module_slug is missing"),
        }
        let dimension = |key: &str| {
            paform
                .get("dimensions_mm")
                .and_then(|d| d.get(key))
                .and_then(serde_json::Value::as_f64)
                .filter(|v| v.is_finite() && *v > 0.0)
        };
        let (Some(width), Some(height), Some(depth)) =
            (dimension("width"), dimension("height"), dimension("depth"))
        else {
            self.push(
                "metadata",
                "extras.paform.dimensions_mm needs positive width, height and depth in millimetres",
            );
            return None;
        };
        let declared = Dimensions {
            width,
            height,
            depth,
        };
        if let Some(expected) = expected {
            let drift: Vec<String> = axis_names()
                .iter()
                .zip(declared.axes().iter().zip(expected.axes()))
                .filter(|(_, (declared, expected))| (*declared - expected).abs() > 1.0)
                .map(|(axis, (declared, expected))| format!("{axis} {declared} mm ≠ {expected} mm"))
                .collect();
            if !drift.is_empty() {
                self.push(
                    "dimensions-drift",
                    format!(
                        "extras.paform.dimensions_mm differ from the catalog: {}",
                        drift.join(", ")
                    ),
                );
            }
        }
        Some(declared)
    }

    /// Every node reachable from the root with its world transform and level; `None` (with a
    /// violation) when the hierarchy has a cycle or a node with two parents.
    fn place_nodes(&mut self, root: &json::Root, root_index: usize) -> Option<Vec<Placed>> {
        let mut placed = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![(root_index, Mat4::IDENTITY, None, true)];
        while let Some((index, parent, level, is_root)) = stack.pop() {
            if !seen.insert(index) {
                self.push(
                    "invalid-gltf",
                    format!("node {index} is reached twice: the node hierarchy is not a tree"),
                );
                return None;
            }
            let node = &root.nodes[index];
            let world = parent.mul(&geometry::local_transform(node));
            placed.push(Placed {
                index,
                world,
                level,
            });
            for child in node.children.iter().flatten() {
                let child_level = match (is_root, root.nodes[child.value()].name.as_deref()) {
                    (true, Some(name)) => match parse_node_name(name) {
                        Ok(NodeName::Lod(n)) => Some(n),
                        _ => level,
                    },
                    _ => level,
                };
                stack.push((child.value(), world, child_level, false));
            }
        }
        placed.sort_by_key(|p| p.index);
        Some(placed)
    }

    /// Node names, their uniqueness per level and the `lod:` groups; returns the levels.
    fn check_names_and_levels(
        &mut self,
        root: &json::Root,
        root_index: usize,
        placed: &[Placed],
    ) -> Vec<u32> {
        let root_children: HashSet<usize> = root.nodes[root_index]
            .children
            .iter()
            .flatten()
            .map(|c| c.value())
            .collect();
        let mut lods = Vec::new();
        // The root's name is the `root` rule's.
        for p in placed.iter().filter(|p| p.index != root_index) {
            let node = &root.nodes[p.index];
            let Some(name) = node.name.as_deref() else {
                self.push(
                    "node-name",
                    format!(
                        "node {} has no name; every node is named prefix:name",
                        p.index
                    ),
                );
                continue;
            };
            match parse_node_name(name) {
                Err(problem) => self.push("node-name", format!("node {name:?}: {problem}")),
                Ok(NodeName::Module(_)) => self.push(
                    "node-name",
                    format!("node {name:?}: only the root is named module:<slug>"),
                ),
                Ok(NodeName::Connect) if node.mesh.is_some() => self.push(
                    "node-name",
                    format!("node {name:?}: a connection point is an empty node without a mesh"),
                ),
                Ok(NodeName::Lod(n)) => {
                    if root_children.contains(&p.index) {
                        lods.push(n);
                    } else {
                        self.push(
                            "lod",
                            format!("node {name:?}: lod: groups sit directly under the root"),
                        );
                    }
                }
                Ok(_) => {}
            }
        }
        lods.sort_unstable();
        if lods.windows(2).any(|w| w[0] == w[1]) {
            self.push("lod", "a lod: group appears twice under the root");
            lods.dedup();
        }
        if !lods.is_empty() && lods.iter().enumerate().any(|(i, n)| *n as usize != i) {
            self.push(
                "lod",
                format!(
                    "the levels are {}; they start at lod:0 and are consecutive",
                    lods.iter()
                        .map(|n| format!("lod:{n}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        let levels = if lods.is_empty() { vec![0] } else { lods };
        for &level in &levels {
            let mut names: HashMap<&str, usize> = HashMap::new();
            for p in placed.iter().filter(|p| p.level.is_none_or(|l| l == level)) {
                if let Some(name) = root.nodes[p.index].name.as_deref() {
                    *names.entry(name).or_default() += 1;
                }
            }
            let mut duplicates: Vec<&str> = names
                .into_iter()
                .filter(|(_, count)| *count > 1)
                .map(|(name, _)| name)
                .collect();
            duplicates.sort_unstable();
            for name in duplicates {
                self.push(
                    "duplicate-name",
                    format!("{name:?} names more than one node of level {level}"),
                );
            }
        }
        levels
    }

    fn check_triangles(&mut self, root: &json::Root, placed: &[Placed], levels: &[u32]) {
        let mut per_level = BTreeMap::new();
        for &level in levels {
            let count: u64 = placed
                .iter()
                .filter(|p| p.level.is_none_or(|l| l == level))
                .filter_map(|p| root.nodes[p.index].mesh)
                .map(|mesh| geometry::mesh_triangles(root, &root.meshes[mesh.value()]))
                .sum();
            per_level.insert(level, count);
        }
        self.report.triangles = per_level.values().copied().collect();
        if let Some(&lod0) = per_level.get(&0)
            && lod0 > MAX_LOD0_TRIANGLES
        {
            self.push(
                "triangle-budget",
                format!("level 0 has {lod0} triangles; the budget is {MAX_LOD0_TRIANGLES}"),
            );
        }
        for pair in self.report.triangles.clone().windows(2).enumerate() {
            let (i, [finer, coarser]) = pair else {
                continue;
            };
            if coarser >= finer {
                self.push(
                    "lod",
                    format!(
                        "lod:{} has {coarser} triangles, not fewer than lod:{i}'s {finer}",
                        i + 1
                    ),
                );
            }
        }
    }

    fn check_bounds(&mut self, root: &json::Root, placed: &[Placed], expected: Option<Dimensions>) {
        let position_bounds = |primitive: &json::mesh::Primitive| {
            primitive
                .attributes
                .get(&json::validation::Checked::Valid(
                    json::mesh::Semantic::Positions,
                ))
                .and_then(|a| geometry::accessor_bounds(&root.accessors[a.value()]))
        };
        let mut unmeasured = false;
        for (m, mesh) in root.meshes.iter().enumerate() {
            for (p, primitive) in mesh.primitives.iter().enumerate() {
                if position_bounds(primitive).is_none() {
                    unmeasured = true;
                    self.push(
                        "position-bounds",
                        format!(
                            "mesh {m} primitive {p} has no POSITION accessor with numeric min \
                             and max; glTF requires them, Draco or not"
                        ),
                    );
                }
            }
        }
        let mut bounds = Aabb::EMPTY;
        for p in placed.iter().filter(|p| p.level.is_none_or(|l| l == 0)) {
            let Some(mesh) = root.nodes[p.index].mesh else {
                continue;
            };
            for local in root.meshes[mesh.value()]
                .primitives
                .iter()
                .filter_map(position_bounds)
            {
                bounds.extend_transformed(&local, &p.world);
            }
        }
        let Some((min, max)) = bounds.corners() else {
            if !unmeasured {
                self.push("bounding-box", "level 0 has no geometry to measure");
            }
            return;
        };
        let size = [max[0] - min[0], max[1] - min[1], max[2] - min[2]];
        self.report.bounding_box_mm = Some(Dimensions {
            width: size[0] * 1000.0,
            height: size[1] * 1000.0,
            depth: size[2] * 1000.0,
        });
        let Some(expected) = expected else {
            if size.iter().any(|axis| *axis > IMPLAUSIBLE_M) {
                self.push("units", format!(
                    "the model is {} m; modelled in millimetres? The standard's unit is the metre",
                    describe(size)
                ));
            }
            return;
        };
        let expected_m = expected.axes().map(|mm| mm / 1000.0);
        let millimetres = size
            .iter()
            .zip(expected_m)
            .all(|(axis, want)| (axis / want / MILLIMETRE_FACTOR - 1.0).abs() <= 0.01);
        if millimetres {
            self.push("units", format!(
                "the model is {} m, 1000 times the module's {} m: it was modelled in millimetres; \
                 the standard's unit is the metre",
                describe(size),
                describe(expected_m)
            ));
            return;
        }
        let off: Vec<String> = axis_names()
            .iter()
            .zip(size.iter().zip(expected_m))
            .filter(|(_, (axis, want))| (*axis - want).abs() > TOLERANCE_M)
            .map(|(name, (axis, want))| {
                format!(
                    "{name} {} mm instead of {} mm",
                    round(axis * 1000.0),
                    round(want * 1000.0)
                )
            })
            .collect();
        if !off.is_empty() {
            self.push(
                "bounding-box",
                format!(
                    "the bounding box does not match the module's {} x {} x {} mm within 1 mm: {}",
                    expected.width,
                    expected.height,
                    expected.depth,
                    off.join(", ")
                ),
            );
        }
        if min.iter().any(|corner| corner.abs() > TOLERANCE_M) {
            self.push(
                "origin",
                format!(
                    "the bounding box starts at ({}) m; the origin is the bottom-left-back corner",
                    describe_point(min)
                ),
            );
        }
    }
}

fn axis_names() -> [&'static str; 3] {
    ["width", "height", "depth"]
}

fn describe(size: [f64; 3]) -> String {
    size.map(|v| format!("{}", (v * 1000.0).round() / 1000.0))
        .join(" x ")
}

fn describe_point(point: [f64; 3]) -> String {
    point
        .map(|v| format!("{}", (v * 1000.0).round() / 1000.0))
        .join(", ")
}
