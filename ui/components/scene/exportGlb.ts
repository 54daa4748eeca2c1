// The configurator's scene as a GLB (SPEC §17, "View in your room"): the mounted scene
// registers itself here, and `exportSceneGlb` writes the furniture — not the room, shadows or
// dimension lines — with three's GLTFExporter, so AR shows exactly what the 3D view draws.
//
// Why the furniture is rewritten before export: the view draws every board as an instance of
// one unit cube and lays textures out in world space in a shader patch. AR viewers (Scene
// Viewer, Quick Look through model-viewer's USDZ) know neither instancing extensions nor that
// patch, so each instance becomes a plain box whose UVs carry the same world-space layout; a
// module's model, whose `carcass` and `front` slots wear the same board material (without UVs
// of its own), gets UVs of that layout too.
// Only reached through a dynamic import, so three stays out of every route's first load.
import * as THREE from "three";
import { MESH_WORLD_UV } from "./boardMaterial";

/** Names Scene.tsx gives the objects the export looks for. */
export const FURNITURE_NAME = "paform:furniture";
export const MODULE_GLB_NAME = "paform:module-glb";
/** A GLB still loading (its ghost box): the scene is not ready to export. */
export const LOADING_NAME = "paform:loading";
/** One texture repeat covers this many metres of board (as in Scene.tsx). */
export const TEXTURE_TILE_M = 0.6;

let registered: THREE.Scene | null = null;

export function registerExportScene(scene: THREE.Scene | null): void {
  registered = scene;
}

/** Whether a scene is mounted. */
export function registeredScene(): boolean {
  return registered !== null;
}

/** Whether a scene is mounted and every model in it has loaded. */
export function sceneReady(): boolean {
  if (!registered) return false;
  let loading = false;
  registered.traverse((node) => {
    if (node.name === LOADING_NAME) loading = true;
  });
  return !loading;
}

/**
 * Texture coordinates of a world-space point on a face with this normal, in texture repeats:
 * sides carry the grain vertically (z, y), tops along X (z, x), fronts (x, y) — the shader's rule.
 */
export function worldUv(world: THREE.Vector3, normal: THREE.Vector3): [number, number] {
  const axis = new THREE.Vector3(Math.abs(normal.x), Math.abs(normal.y), Math.abs(normal.z));
  const [u, v] = axis.x > 0.5 ? [world.z, world.y] : axis.y > 0.5 ? [world.z, world.x] : [world.x, world.y];
  return [u / TEXTURE_TILE_M, v / TEXTURE_TILE_M];
}

/** A plain box for one instance: the unit cube moved by `matrix`, UVs laid out in world space. */
export function bakeInstance(unit: THREE.BufferGeometry, matrix: THREE.Matrix4): THREE.BufferGeometry {
  const geometry = unit.clone().applyMatrix4(matrix);
  const position = geometry.getAttribute("position");
  const normal = geometry.getAttribute("normal");
  const uvs = new Float32Array(position.count * 2);
  const point = new THREE.Vector3();
  const direction = new THREE.Vector3();
  for (let index = 0; index < position.count; index += 1) {
    point.fromBufferAttribute(position, index);
    direction.fromBufferAttribute(normal, index);
    const [u, v] = worldUv(point, direction);
    uvs[index * 2] = u;
    uvs[index * 2 + 1] = v;
  }
  geometry.setAttribute("uv", new THREE.BufferAttribute(uvs, 2));
  return geometry;
}

/** The material as a file can carry it: the texture without the view's repeat (UVs hold it). */
function exportMaterial(material: THREE.Material, cache: Map<THREE.Material, THREE.Material>): THREE.Material {
  const known = cache.get(material);
  if (known) return known;
  const copy = material.clone();
  const standard = copy as THREE.MeshStandardMaterial;
  if (standard.map) {
    const map = standard.map.clone();
    map.repeat.set(1, 1);
    map.offset.set(0, 0);
    map.wrapS = map.wrapT = THREE.RepeatWrapping;
    standard.map = map;
  }
  cache.set(material, copy);
  return copy;
}

function flattenInstances(mesh: THREE.InstancedMesh, into: THREE.Object3D, cache: Map<THREE.Material, THREE.Material>) {
  const matrix = new THREE.Matrix4();
  const material = Array.isArray(mesh.material) ? mesh.material[0] : mesh.material;
  const exported = exportMaterial(material, cache);
  for (let index = 0; index < mesh.count; index += 1) {
    mesh.getMatrixAt(index, matrix);
    const box = new THREE.Mesh(bakeInstance(mesh.geometry, matrix.clone().premultiply(mesh.matrixWorld)), exported);
    box.name = `${mesh.name}#${index}`;
    into.add(box);
  }
}

/**
 * A model's mesh in a board material (boardMaterial.ts, textured from world space in the
 * view) gets that layout as UVs, from the view's world matrix `world` of the mesh.
 */
function bakeModelUv(mesh: THREE.Mesh, world: THREE.Matrix4, cache: Map<THREE.Material, THREE.Material>) {
  const material = Array.isArray(mesh.material) ? null : (mesh.material as THREE.MeshStandardMaterial);
  if (!material?.map || !material.defines || !(MESH_WORLD_UV in material.defines)) return;
  const geometry = mesh.geometry.clone();
  const position = geometry.getAttribute("position");
  const normal = geometry.getAttribute("normal");
  if (!normal) return;
  const normalMatrix = new THREE.Matrix3().getNormalMatrix(world);
  const uvs = new Float32Array(position.count * 2);
  const point = new THREE.Vector3();
  const direction = new THREE.Vector3();
  for (let index = 0; index < position.count; index += 1) {
    point.fromBufferAttribute(position, index).applyMatrix4(world);
    direction.fromBufferAttribute(normal, index).applyMatrix3(normalMatrix);
    const [u, v] = worldUv(point, direction.normalize());
    uvs[index * 2] = u;
    uvs[index * 2 + 1] = v;
  }
  geometry.setAttribute("uv", new THREE.BufferAttribute(uvs, 2));
  mesh.geometry = geometry;
  mesh.material = exportMaterial(material, cache);
}

/** A model's finest level only: the other levels would overlap it in a file. */
function finestLevels(root: THREE.Object3D) {
  root.traverse((node) => {
    const lod = node as THREE.LOD;
    if (!lod.isLOD) return;
    for (const level of lod.levels.slice(1)) lod.remove(level.object);
    lod.levels.splice(1);
  });
}

/** The furniture of `scene` as a new scene, centred on the floor at the origin. */
export function furnitureOf(scene: THREE.Scene): THREE.Scene {
  scene.updateMatrixWorld(true);
  const root = new THREE.Group();
  root.name = "paform:design";
  const cache = new Map<THREE.Material, THREE.Material>();
  scene.traverse((node) => {
    if (node.name === FURNITURE_NAME) {
      node.traverse((child) => {
        const instanced = child as THREE.InstancedMesh;
        if (instanced.isInstancedMesh && instanced.count > 0) flattenInstances(instanced, root, cache);
      });
    } else if (node.name === MODULE_GLB_NAME) {
      const copy = node.clone(true);
      finestLevels(copy);
      copy.matrix.copy(node.matrixWorld);
      copy.matrix.decompose(copy.position, copy.quaternion, copy.scale);
      copy.updateMatrixWorld(true);
      copy.traverse((child) => {
        const mesh = child as THREE.Mesh;
        if (mesh.isMesh) bakeModelUv(mesh, mesh.matrixWorld, cache);
      });
      root.add(copy);
    }
  });
  const bounds = new THREE.Box3().setFromObject(root);
  const exported = new THREE.Scene();
  if (!bounds.isEmpty()) {
    const centre = bounds.getCenter(new THREE.Vector3());
    root.position.set(-centre.x, -bounds.min.y, -centre.z);
  }
  exported.add(root);
  return exported;
}

/**
 * The mounted scene's furniture as GLB bytes, or null when no scene is ready; `force` exports
 * a scene whose models are still loading (their boxes stand in for them).
 */
export async function exportSceneGlb({ force = false }: { force?: boolean } = {}): Promise<Blob | null> {
  if (!registered || (!force && !sceneReady())) return null;
  const { GLTFExporter } = await import("three/examples/jsm/exporters/GLTFExporter.js");
  const furniture = furnitureOf(registered);
  const result = await new GLTFExporter().parseAsync(furniture, { binary: true, onlyVisible: true });
  if (!(result instanceof ArrayBuffer)) return null;
  return new Blob([result], { type: "model/gltf-binary" });
}

const EXPORT_RETRY_MS = 400;

/**
 * The mounted scene's GLB once its models have loaded; after `patienceMs` a scene still
 * loading is exported as it is (its boxes stand in for the models). Null when no scene is
 * mounted by then, or when `alive()` turns false.
 */
export async function exportWhenReady(alive: () => boolean, patienceMs: number): Promise<Blob | null> {
  const started = Date.now();
  while (alive()) {
    const patient = Date.now() - started < patienceMs;
    if (sceneReady()) return exportSceneGlb();
    if (!patient) return registeredScene() ? exportSceneGlb({ force: true }) : null;
    await new Promise((resolve) => setTimeout(resolve, EXPORT_RETRY_MS));
  }
  return null;
}
