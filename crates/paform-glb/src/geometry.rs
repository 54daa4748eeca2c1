//! Just enough linear algebra to measure a model without decoding it: node transforms as
//! 4×4 column-major matrices, accessor bounds, and the box of transformed corners.

use gltf::json;

/// A column-major 4×4 matrix, as glTF stores them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mat4([f64; 16]);

impl Mat4 {
    pub(crate) const IDENTITY: Mat4 = Mat4([
        1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0,
    ]);

    pub(crate) fn mul(&self, other: &Mat4) -> Mat4 {
        let (a, b) = (&self.0, &other.0);
        let mut out = [0.0; 16];
        for col in 0..4 {
            for row in 0..4 {
                out[col * 4 + row] = (0..4).map(|k| a[k * 4 + row] * b[col * 4 + k]).sum();
            }
        }
        Mat4(out)
    }

    fn apply(&self, p: [f64; 3]) -> [f64; 3] {
        let m = &self.0;
        [0, 1, 2].map(|row| m[row] * p[0] + m[4 + row] * p[1] + m[8 + row] * p[2] + m[12 + row])
    }
}

/// A node's transform relative to its parent: its matrix, or T·R·S.
pub(crate) fn local_transform(node: &json::Node) -> Mat4 {
    if let Some(matrix) = node.matrix {
        return Mat4(matrix.map(f64::from));
    }
    let [tx, ty, tz] = node.translation.unwrap_or([0.0; 3]).map(f64::from);
    let [x, y, z, w] = node
        .rotation
        .map_or([0.0, 0.0, 0.0, 1.0], |r| r.0)
        .map(f64::from);
    let [sx, sy, sz] = node.scale.unwrap_or([1.0; 3]).map(f64::from);
    Mat4([
        (1.0 - 2.0 * (y * y + z * z)) * sx,
        (2.0 * (x * y + z * w)) * sx,
        (2.0 * (x * z - y * w)) * sx,
        0.0,
        (2.0 * (x * y - z * w)) * sy,
        (1.0 - 2.0 * (x * x + z * z)) * sy,
        (2.0 * (y * z + x * w)) * sy,
        0.0,
        (2.0 * (x * z + y * w)) * sz,
        (2.0 * (y * z - x * w)) * sz,
        (1.0 - 2.0 * (x * x + y * y)) * sz,
        0.0,
        tx,
        ty,
        tz,
        1.0,
    ])
}

/// An axis-aligned box, empty until a point is added.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Aabb {
    min: [f64; 3],
    max: [f64; 3],
}

impl Aabb {
    pub(crate) const EMPTY: Aabb = Aabb {
        min: [f64::INFINITY; 3],
        max: [f64::NEG_INFINITY; 3],
    };

    fn add(&mut self, p: [f64; 3]) {
        for (axis, value) in p.into_iter().enumerate() {
            self.min[axis] = self.min[axis].min(value);
            self.max[axis] = self.max[axis].max(value);
        }
    }

    /// Adds the eight corners of a local box moved by `world`.
    pub(crate) fn extend_transformed(&mut self, local: &Aabb, world: &Mat4) {
        for corner in 0..8 {
            let pick = |axis: usize| {
                if corner & (1 << axis) == 0 {
                    local.min[axis]
                } else {
                    local.max[axis]
                }
            };
            self.add(world.apply([pick(0), pick(1), pick(2)]));
        }
    }

    pub(crate) fn corners(&self) -> Option<([f64; 3], [f64; 3])> {
        (self.min[0] <= self.max[0]).then_some((self.min, self.max))
    }
}

/// The `min`/`max` of a VEC3 accessor, when both are three finite numbers.
pub(crate) fn accessor_bounds(accessor: &json::Accessor) -> Option<Aabb> {
    let read = |value: &Option<json::Value>| -> Option<[f64; 3]> {
        let values = value.as_ref()?.as_array()?;
        let [x, y, z] = values.as_slice() else {
            return None;
        };
        let point = [x.as_f64()?, y.as_f64()?, z.as_f64()?];
        point.iter().all(|v| v.is_finite()).then_some(point)
    };
    let (min, max) = (read(&accessor.min)?, read(&accessor.max)?);
    (0..3)
        .all(|axis| min[axis] <= max[axis])
        .then_some(Aabb { min, max })
}

/// Triangles drawn by one instance of a mesh (points and lines draw none).
pub(crate) fn mesh_triangles(root: &json::Root, mesh: &json::Mesh) -> u64 {
    use json::mesh::Mode;
    use json::validation::Checked;
    mesh.primitives
        .iter()
        .map(|primitive| {
            let vertices = match primitive.indices {
                Some(indices) => root.accessors[indices.value()].count.0,
                None => primitive
                    .attributes
                    .get(&Checked::Valid(json::mesh::Semantic::Positions))
                    .map_or(0, |a| root.accessors[a.value()].count.0),
            };
            match primitive.mode {
                Checked::Valid(Mode::Triangles) => vertices / 3,
                Checked::Valid(Mode::TriangleStrip | Mode::TriangleFan) => {
                    vertices.saturating_sub(2)
                }
                _ => 0,
            }
        })
        .sum()
}
