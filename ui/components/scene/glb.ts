// Applies GLB_ASSET_STANDARD.md to a loaded glTF scene before it is shown:
// - only the finest level of detail is kept visible (nodes suffixed `_LOD0`, or unsuffixed);
// - the material slots `carcass` and `front` take the chosen catalog material's colour;
// - the model is scaled to the catalog dimensions (the catalog is the source of truth) and
//   moved so its bounding box starts at the origin: bottom-left-back corner at (0, 0, 0).
import * as THREE from "three";

const MM = 0.001;
const LOD_SUFFIX = /_LOD(\d+)$/;
export const TINTED_SLOTS = new Set(["carcass", "front"]);

export interface GlbTarget {
  width: number;
  height: number;
  depth: number;
  color: string;
}

/** True for a node that belongs to a coarser level of detail than LOD0. */
export function isCoarseLod(name: string): boolean {
  const match = LOD_SUFFIX.exec(name);
  return match !== null && match[1] !== "0";
}

export function prepareGlbScene(source: THREE.Object3D, target: GlbTarget): THREE.Object3D {
  const root = source.clone(true);
  const tint = new THREE.Color(target.color);
  root.traverse((node) => {
    if (isCoarseLod(node.name)) node.visible = false;
    const mesh = node as THREE.Mesh;
    if (!mesh.isMesh) return;
    mesh.castShadow = true;
    mesh.receiveShadow = true;
    const materials = Array.isArray(mesh.material) ? mesh.material : [mesh.material];
    const replaced = materials.map((material) => {
      if (!TINTED_SLOTS.has(material.name)) return material;
      const copy = material.clone() as THREE.MeshStandardMaterial;
      if (copy.color && !copy.map) copy.color = tint.clone();
      return copy;
    });
    mesh.material = Array.isArray(mesh.material) ? replaced : replaced[0];
  });

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
