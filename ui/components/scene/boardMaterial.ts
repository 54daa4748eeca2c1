//! What a material looks like on a board, in one place. The boards drawn from a module's cut
//! list (instanced boxes) and the `carcass` and `front` slots of a module's GLB both take their
//! three.js material from here, so one material looks the same whichever way a module is
//! drawn (SPEC §17). Before, a model kept its file's material and only had its colour
//! replaced: glTF's default metalness of 1 (the demo models do not set it) lit without an
//! environment map turned the tint nearly black, and it had neither the board's texture nor
//! its roughness.
import * as THREE from "three";
import { lookOf } from "./furniture";
import type { PlacedModule } from "./layout";
import { materialLook } from "./textures";

export interface Surface {
  /** Equal keys look the same (furniture.ts `lookOf` for boards). */
  key: string;
  color: string;
  /** The texture, multiplied by `color` when `tinted`; null: the plain colour. */
  url: string | null;
  tinted: boolean;
  roughness: number;
}

/** The board surface of a module in its chosen material. */
export function boardSurface(module: Pick<PlacedModule, "materialName" | "color" | "textureUrl">, origin?: string): Surface {
  const look = materialLook({ name: module.materialName, textureUrl: module.textureUrl }, origin);
  return { key: lookOf(module), color: module.color, url: look.url, tinted: look.tinted, roughness: look.roughness };
}

/**
 * Set on board materials: a mesh that is not instanced (a GLB's slot) also takes its texture
 * coordinates from world space, since a model has no UVs laid out for our textures. Not set on
 * the floor, which has its own UVs.
 */
export const MESH_WORLD_UV = "PAFORM_WORLD_UV_MESH";

/**
 * Projects the map from world coordinates by the face's axis: fronts and sides carry the grain
 * vertically, tops and worktops along X. Instanced boxes' matrices only scale and translate,
 * so there `normal` is the face's axis; a model's nodes may rotate, so its normal is taken to
 * world space first (the non-uniform scale of fitting it to the catalog keeps an axis an axis).
 */
export function worldSpaceUv(material: THREE.MeshStandardMaterial) {
  material.onBeforeCompile = (shader) => {
    shader.vertexShader = shader.vertexShader.replace(
      "#include <uv_vertex>",
      `#include <uv_vertex>
#if defined( USE_MAP ) && defined( USE_INSTANCING )
  vec4 paformWorld = modelMatrix * instanceMatrix * vec4( position, 1.0 );
  vec3 paformAxis = abs( normal );
  vec2 paformUv = paformAxis.x > 0.5 ? paformWorld.zy : ( paformAxis.y > 0.5 ? paformWorld.zx : paformWorld.xy );
  vMapUv = ( mapTransform * vec3( paformUv, 1.0 ) ).xy;
#elif defined( USE_MAP ) && defined( ${MESH_WORLD_UV} )
  vec4 paformWorld = modelMatrix * vec4( position, 1.0 );
  vec3 paformAxis = abs( normalize( mat3( modelMatrix ) * normal ) );
  vec2 paformUv = paformAxis.x > 0.5 ? paformWorld.zy : ( paformAxis.y > 0.5 ? paformWorld.zx : paformWorld.xy );
  vMapUv = ( mapTransform * vec3( paformUv, 1.0 ) ).xy;
#endif`,
    );
  };
  material.customProgramCacheKey = () => "paform-world-uv";
}

/** The material of a surface, in its colour; its texture is set by `showTexture` once loaded. */
export function surfaceMaterial(surface: Surface, { meshes = false }: { meshes?: boolean } = {}): THREE.MeshStandardMaterial {
  const material = new THREE.MeshStandardMaterial({ color: surface.color, roughness: surface.roughness, metalness: 0 });
  material.name = surface.key;
  if (meshes) material.defines = { ...material.defines, [MESH_WORLD_UV]: "" };
  worldSpaceUv(material);
  return material;
}

export function showTexture(material: THREE.MeshStandardMaterial, texture: THREE.Texture, tinted: boolean) {
  material.map = texture;
  if (!tinted) material.color.set("#ffffff");
  material.needsUpdate = true;
}
