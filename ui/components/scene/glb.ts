// Applies GLB_ASSET_STANDARD.md to a loaded glTF scene before it is shown:
// - levels of detail: the root's `lod:<n>` groups become separate objects, finest first, for
//   drei's <Detailed> to switch by camera distance; nodes outside them belong to every level;
//   a file without `lod:` groups is one level;
// - the material slots `carcass` and `front` take the board material of the chosen catalog
//   material (boardMaterial.ts, the one the drawn boards use); a slot material with its own
//   texture keeps it;
// - the model is scaled to the catalog dimensions (the catalog is the source of truth) and
//   moved so its bounding box starts at the origin: bottom-left-back corner at (0, 0, 0);
// - `extras.paform.dimensions_mm` that disagree with the catalog by more than the standard's
//   1 mm are reported as a drift (the model is still scaled to the catalog).
//
// three's GLTFLoader strips `:` from node names; the original glTF name is in `userData.name`.
import * as THREE from "three";

const MM = 0.001;
const LOD_NAME = /^lod:(\d+)$/;
const DRIFT_TOLERANCE_MM = 1;
export const TINTED_SLOTS = new Set(["carcass", "front"]);

export interface GlbTarget {
  width: number;
  height: number;
  depth: number;
  /** What the `carcass` and `front` slots become: the module's board material. */
  board: THREE.Material;
}

export interface PreparedGlb {
  /** Finest first; one entry for a file without levels of detail. */
  levels: THREE.Object3D[];
  /** The catalog and the model's `extras.paform.dimensions_mm` disagree. */
  drift: boolean;
}

/** The node's name as written in the glTF file. */
export function gltfName(node: THREE.Object3D): string {
  const original = node.userData?.name;
  return typeof original === "string" ? original : node.name;
}

/** The level of a `lod:<n>` group, or null for any other node. */
export function lodLevel(node: THREE.Object3D): number | null {
  const match = LOD_NAME.exec(gltfName(node));
  return match ? Number(match[1]) : null;
}

function metadataDrift(source: THREE.Object3D, target: GlbTarget): boolean {
  let drift = false;
  source.traverse((node) => {
    const paform = node.userData?.paform as { dimensions_mm?: Record<string, unknown> } | undefined;
    const dimensions = paform?.dimensions_mm;
    if (!dimensions) return;
    for (const key of ["width", "height", "depth"] as const) {
      const value = Number(dimensions[key]);
      if (Number.isFinite(value) && Math.abs(value - target[key]) > DRIFT_TOLERANCE_MM) drift = true;
    }
  });
  return drift;
}

function tint(root: THREE.Object3D, board: THREE.Material) {
  root.traverse((node) => {
    const mesh = node as THREE.Mesh;
    if (!mesh.isMesh) return;
    mesh.castShadow = true;
    mesh.receiveShadow = true;
    const materials = Array.isArray(mesh.material) ? mesh.material : [mesh.material];
    // Replaced, not recoloured: the file's own metalness, roughness and (missing) texture
    // would make the same material look different from a drawn board.
    const replaced = materials.map((material) =>
      TINTED_SLOTS.has(material.name) && !(material as THREE.MeshStandardMaterial).map ? board : material,
    );
    mesh.material = Array.isArray(mesh.material) ? replaced : replaced[0];
  });
}

function fitToCatalog(root: THREE.Object3D, target: GlbTarget): THREE.Object3D {
  const box = new THREE.Box3().setFromObject(root, true);
  const size = box.getSize(new THREE.Vector3());
  const wrapper = new THREE.Group();
  wrapper.name = "paform:glb";
  if (size.x > 0 && size.y > 0 && size.z > 0) {
    root.position.sub(box.min);
    wrapper.scale.set((target.width * MM) / size.x, (target.height * MM) / size.y, (target.depth * MM) / size.z);
  }
  wrapper.add(root);
  return wrapper;
}

/** The file's levels present, ascending (empty: no `lod:` groups). */
function levelsOf(source: THREE.Object3D): number[] {
  const levels = new Set<number>();
  source.traverse((node) => {
    const level = lodLevel(node);
    if (level !== null) levels.add(level);
  });
  return [...levels].sort((a, b) => a - b);
}

export function prepareGlbScene(source: THREE.Object3D, target: GlbTarget): PreparedGlb {
  const drift = metadataDrift(source, target);
  const levels = levelsOf(source);
  const build = (level: number | null) => {
    const root = source.clone(true);
    if (level !== null) {
      const others: THREE.Object3D[] = [];
      root.traverse((node) => {
        const own = lodLevel(node);
        if (own !== null && own !== level) others.push(node);
      });
      for (const node of others) node.removeFromParent();
    }
    tint(root, target.board);
    return fitToCatalog(root, target);
  };
  return { levels: levels.length ? levels.map(build) : [build(null)], drift };
}
