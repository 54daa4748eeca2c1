"use client";
// The three.js scene. This module (and three, R3F, drei with it) is only reached through
// `next/dynamic` from ./Viewer3D.tsx, so it lands in a lazily loaded chunk and never in the
// first-load JS of a route. It consumes view models (SceneModule), never API DTOs.
//
// Units: the layout is in millimetres; the scene is in metres (÷ 1000), +Y up, fronts +Z.
// Speed: every board, front, handle, plinth and worktop is a box (furniture.ts), and all boxes
// of one look are one InstancedMesh of a shared unit cube, so 40 modules cost a handful of draw
// calls. Textures are laid out in world space (grain along a board's length) by a small shader
// patch, so instancing a stretched unit cube does not stretch the grain.
import { ContactShadows, Detailed, Edges, Line, OrbitControls, useGLTF } from "@react-three/drei";
import { Canvas, useThree, type ThreeEvent } from "@react-three/fiber";
import { Suspense, useEffect, useLayoutEffect, useMemo, useRef } from "react";
import * as THREE from "three";
import type { OrbitControls as OrbitControlsImpl } from "three-stdlib";
import { ErrorBoundary } from "@/components/common/ErrorBoundary";
import { isLocalAssetUrl } from "@/lib/localUrl";
import { furnitureParts, lookOf, type Part } from "./furniture";
import { layoutScene, type PlacedModule, type SceneLayout, type SceneModule } from "./layout";
import { prepareGlbScene } from "./glb";
import { FURNITURE_NAME, LOADING_NAME, MODULE_GLB_NAME, registerExportScene, TEXTURE_TILE_M } from "./exportGlb";
import { registerSnapshotCanvas } from "./snapshot";
import { boardSurface, showTexture, surfaceMaterial, type Surface } from "./boardMaterial";
import { BUNDLED_TEXTURES, FLOOR_TEXTURE, FLOOR_TILE_M } from "./textures";

/** The Draco decoder copied into the export by scripts/copy-draco.mjs. */
export const DRACO_PATH = "/draco/";

const MM = 0.001;
const SELECTED_EDGE = "#2d7a4f";
const BACKGROUND = "#eef1ef";
const WORKTOP_COLOR = "#c4a27a";
const HANDLE_COLOR = "#c9cdd1";
/** GLB levels of detail switch at these camera distances (metres). */
const LOD_DISTANCES = [0, 6, 12];

export interface SceneProps {
  modules: SceneModule[];
  onSelect?: (key: string | null) => void;
  /** The canvas's accessible name. */
  label?: string;
}

/** What the browser tests read (`window.__paformScene`, set only under WebDriver). */
interface SceneProbe {
  fronts: number;
  worktops: number;
  modules: number;
  drawCalls: number;
  triangles: number;
  /** A module's GLB is still loading (its ghost box is shown). */
  loading: boolean;
  /** Asks for a frame (the canvas draws on demand), so a benchmark can render continuously. */
  invalidate: () => void;
  /**
   * Where the first worktop's top and the first front's face are on the canvas (CSS pixels),
   * for pixel probes; and per placed module a grid over the lower part of its front face (clear
   * of handles and of the gap between a pair of doors), whether drawn or modelled.
   */
  samplePoints: () => {
    worktop: [number, number] | null;
    front: [number, number] | null;
    modules: { key: string; name: string; modelled: boolean; face: [number, number][] }[];
  };
}

declare global {
  interface Window {
    __paformScene?: SceneProbe;
  }
}

export default function Scene({ modules, onSelect, label = "3D view of the configuration" }: SceneProps) {
  const layout = useMemo(() => layoutScene(modules), [modules]);
  const furniture = useMemo(() => furnitureParts(layout.modules), [layout]);
  const { minX, maxX, maxY, maxZ } = layout.bounds;
  const centerX = ((minX + maxX) / 2) * MM;
  const span = Math.max((maxX - minX) * MM, maxY * MM, 1.2);
  const shadowKey = useMemo(
    () => layout.modules.map((module) => `${module.key}@${module.x},${module.y},${module.width},${module.height}`).join(";"),
    [layout],
  );

  return (
    // "demand": a frame is drawn only when something changed (props, orbiting, a loaded
    // texture), not 60 times a second; without a GPU (software WebGL) the continuous loop
    // kept the main thread busy and made the whole configurator sluggish.
    <Canvas
      frameloop="demand"
      dpr={[1, 1.5]}
      camera={{ position: [centerX + span * 0.35, span * 0.75, span * 1.5], fov: 40, near: 0.01, far: 200 }}
      shadows="soft"
      gl={{ antialias: true, preserveDrawingBuffer: true }}
      onCreated={({ gl, scene }) => {
        registerSnapshotCanvas(gl.domElement);
        registerExportScene(scene);
      }}
      onPointerMissed={(event) => {
        if (event.type === "click") onSelect?.(null);
      }}
      aria-label={label}
      role="img"
    >
      <color attach="background" args={[BACKGROUND]} />
      <hemisphereLight args={["#ffffff", "#b7a98f", 1.1]} />
      <KeyLight centerX={centerX} span={span} />
      <directionalLight position={[-4, 3, 5]} intensity={0.45} />
      <Room centerX={centerX} span={span} />
      <Furniture parts={furniture.parts} modules={layout.modules} onSelect={onSelect} />
      {layout.modules
        .filter((module) => module.glbUrl && isLocalAssetUrl(module.glbUrl))
        .map((module) => (
          <PlacedGlb key={module.key} module={module} onSelect={onSelect} />
        ))}
      <SelectionOutline module={layout.modules.find((module) => module.selected)} />
      <ContactShadows
        key={shadowKey}
        frames={1}
        position={[centerX, 0.0005, (maxZ * MM) / 2 + 0.3]}
        scale={[(maxX - minX) * MM + 2, maxZ * MM + 1.4]}
        resolution={512}
        blur={2.4}
        far={1.2}
        opacity={0.6}
        color="#2a2520"
      />
      <DimensionLines layout={layout} />
      <CameraRig
        frameKey={layout.modules.length}
        center={[centerX, (maxY * MM) / 2, (maxZ * MM) / 2]}
        size={[(maxX - minX) * MM, maxY * MM]}
        bounds={layout.bounds}
      />
      <Probe parts={furniture.parts} fronts={furniture.fronts} worktops={furniture.worktops.length} placed={layout.modules} />
    </Canvas>
  );
}

/** A sun from the upper right whose soft shadow map covers the whole room (wall units cast onto the wall). */
function KeyLight({ centerX, span }: { centerX: number; span: number }) {
  const light = useRef<THREE.DirectionalLight>(null);
  useLayoutEffect(() => {
    const current = light.current;
    if (!current) return;
    current.target.position.set(centerX, 0.8, 0);
    current.target.updateMatrixWorld();
    const camera = current.shadow.camera;
    const half = span / 2 + 1;
    camera.left = -half;
    camera.right = half;
    camera.top = half;
    camera.bottom = -half;
    camera.far = 30;
    camera.updateProjectionMatrix();
    current.shadow.needsUpdate = true;
  }, [centerX, span]);
  return (
    <directionalLight
      ref={light}
      position={[centerX + 2.5, 4.5, 5]}
      intensity={1.5}
      castShadow
      shadow-mapSize={[1024, 1024]}
      shadow-bias={-0.0004}
      shadow-normalBias={0.01}
      shadow-radius={6}
    />
  );
}

function Room({ centerX, span }: { centerX: number; span: number }) {
  const size = span * 4 + 4;
  const floor = useSurfaceMaterial({ key: "floor", color: "#e9dcc8", url: FLOOR_TEXTURE, roughness: 0.8, tinted: true });
  const wall = useMemo(() => new THREE.MeshStandardMaterial({ color: "#f3f0ea", roughness: 0.95 }), []);
  // UVs such that one tile of the floor texture covers FLOOR_TILE_M (the shared texture repeats every TEXTURE_TILE_M of UV).
  const floorGeometry = useMemo(() => {
    const geometry = new THREE.PlaneGeometry(size, size);
    const uv = geometry.attributes.uv;
    const scale = (size * TEXTURE_TILE_M) / FLOOR_TILE_M;
    for (let index = 0; index < uv.count; index += 1) uv.setXY(index, uv.getX(index) * scale, uv.getY(index) * scale);
    return geometry;
  }, [size]);
  useEffect(() => () => wall.dispose(), [wall]);
  useEffect(() => () => floorGeometry.dispose(), [floorGeometry]);
  return (
    <group>
      <mesh rotation={[-Math.PI / 2, 0, 0]} position={[centerX, 0, size / 2 - 0.5]} material={floor} geometry={floorGeometry} />
      <mesh position={[centerX, size / 4, -0.002]} receiveShadow material={wall}>
        <planeGeometry args={[size, size / 2]} />
      </mesh>
    </group>
  );
}

const textureLoader = new THREE.TextureLoader();
const textureCache = new Map<string, Promise<THREE.Texture>>();

function loadTexture(url: string): Promise<THREE.Texture> {
  let pending = textureCache.get(url);
  if (!pending) {
    pending = textureLoader.loadAsync(url).then((texture) => {
      texture.wrapS = texture.wrapT = THREE.RepeatWrapping;
      texture.colorSpace = THREE.SRGBColorSpace;
      texture.anisotropy = 4;
      texture.repeat.set(1 / TEXTURE_TILE_M, 1 / TEXTURE_TILE_M);
      return texture;
    });
    // A texture that cannot be loaded leaves the material in its plain colour; try again next time.
    pending.catch(() => textureCache.delete(url));
    textureCache.set(url, pending);
  }
  return pending;
}

/** A material that shows its colour at once and its texture when it has arrived. */
function useSurfaceMaterial(surface: Surface, meshes = false) {
  const invalidate = useThree((state) => state.invalidate);
  const { key, color, roughness, url, tinted } = surface;
  const material = useMemo(
    () => surfaceMaterial({ key, color, roughness, url, tinted }, { meshes }),
    [key, color, roughness, url, tinted, meshes],
  );
  useEffect(() => {
    let live = true;
    if (url) {
      loadTexture(url)
        .then((texture) => {
          if (!live) return;
          showTexture(material, texture, tinted);
          invalidate();
        })
        .catch(() => undefined);
    }
    return () => {
      live = false;
      material.dispose();
    };
  }, [material, url, tinted, invalidate]);
  return material;
}

const unitBox = new THREE.BoxGeometry(1, 1, 1).translate(0.5, 0.5, 0.5);

function Furniture({ parts, modules, onSelect }: { parts: Part[]; modules: PlacedModule[]; onSelect?: (key: string) => void }) {
  const groups = useMemo(() => {
    const byLook = new Map<string, Part[]>();
    for (const part of parts) {
      const list = byLook.get(part.look);
      if (list) list.push(part);
      else byLook.set(part.look, [part]);
    }
    return [...byLook.entries()];
  }, [parts]);
  const moduleByLook = useMemo(() => new Map(modules.map((module) => [lookOf(module), module])), [modules]);
  return (
    <group name={FURNITURE_NAME}>
      {groups.map(([look, list]) => (
        <LookMesh key={look} look={look} parts={list} module={moduleByLook.get(look)} onSelect={onSelect} />
      ))}
    </group>
  );
}

function LookMesh({
  look,
  parts,
  module,
  onSelect,
}: {
  look: string;
  parts: Part[];
  module: PlacedModule | undefined;
  onSelect?: (key: string) => void;
}) {
  const kind = look === "handle" ? "handle" : look === "worktop" ? "worktop" : "board";
  const surface: Surface =
    kind === "handle"
      ? { key: look, color: HANDLE_COLOR, url: null, roughness: 0.3, tinted: true }
      : kind === "worktop"
        ? { key: look, color: WORKTOP_COLOR, url: BUNDLED_TEXTURES.wood, roughness: 0.45, tinted: true }
        : module
          ? boardSurface(module)
          : { key: look, color: "#cccccc", url: null, roughness: 0.6, tinted: true };
  const material = useSurfaceMaterial(surface, kind === "board");
  useEffect(() => {
    if (kind === "handle") material.metalness = 0.5;
  }, [kind, material]);
  const mesh = useRef<THREE.InstancedMesh>(null);
  useLayoutEffect(() => {
    const current = mesh.current;
    if (!current) return;
    const matrix = new THREE.Matrix4();
    parts.forEach((part, index) => {
      matrix.makeScale(part.w * MM, part.h * MM, part.d * MM).setPosition(part.x * MM, part.y * MM, part.z * MM);
      current.setMatrixAt(index, matrix);
    });
    current.instanceMatrix.needsUpdate = true;
    current.computeBoundingSphere();
    current.computeBoundingBox();
  }, [parts]);
  const handleClick = (event: ThreeEvent<MouseEvent>) => {
    if (event.instanceId === undefined) return;
    event.stopPropagation();
    const part = parts[event.instanceId];
    if (part && part.kind !== "worktop") onSelect?.(part.moduleKey);
  };
  return (
    <instancedMesh
      // A new count needs a new buffer: remount when it changes.
      key={parts.length}
      ref={mesh}
      args={[unitBox, material, parts.length]}
      castShadow
      receiveShadow
      onClick={handleClick}
      name={`look:${kind}`}
    />
  );
}

function SelectionOutline({ module }: { module: PlacedModule | undefined }) {
  if (!module) return null;
  const width = module.width * MM;
  const height = module.height * MM;
  const depth = module.depth * MM;
  return (
    <mesh position={[module.x * MM + width / 2, (module.y + module.plinthMm) * MM + height / 2, depth / 2 + 0.01]}>
      <boxGeometry args={[width + 0.01, height + 0.01, depth + 0.04]} />
      <meshBasicMaterial visible={false} />
      <Edges color={SELECTED_EDGE} lineWidth={3} />
    </mesh>
  );
}

/** Overall width of each row (in front of it, on the floor) and its height (at its left end). */
function DimensionLines({ layout }: { layout: SceneLayout }) {
  const rows = useMemo(() => {
    const extents = new Map<string, { minX: number; maxX: number; maxY: number; maxZ: number }>();
    for (const module of layout.modules) {
      const top = module.y + module.plinthMm + module.height;
      const row = extents.get(module.placement.row);
      if (!row) extents.set(module.placement.row, { minX: module.x, maxX: module.x + module.width, maxY: top, maxZ: module.depth });
      else {
        row.minX = Math.min(row.minX, module.x);
        row.maxX = Math.max(row.maxX, module.x + module.width);
        row.maxY = Math.max(row.maxY, top);
        row.maxZ = Math.max(row.maxZ, module.depth);
      }
    }
    return [...extents.entries()];
  }, [layout]);
  return (
    <group>
      {rows.map(([row, extent]) => {
        const z = (extent.maxZ + 250) * MM;
        const y = 0.003;
        const left = extent.minX * MM;
        const right = extent.maxX * MM;
        const top = extent.maxY * MM;
        const tick = 0.05;
        const hx = left - 0.12;
        return (
          <group key={row}>
            <Line
              points={[
                [left, y, z], [right, y, z],
                [left, y, z - tick], [left, y, z + tick],
                [right, y, z - tick], [right, y, z + tick],
              ]}
              segments
              color="#3b4a42"
              lineWidth={1.5}
            />
            <DimensionLabel value={extent.maxX - extent.minX} position={[(left + right) / 2, y + 0.04, z]} />
            <Line
              points={[
                [hx, 0, 0.02], [hx, top, 0.02],
                [hx - tick, 0, 0.02], [hx + tick, 0, 0.02],
                [hx - tick, top, 0.02], [hx + tick, top, 0.02],
              ]}
              segments
              color="#3b4a42"
              lineWidth={1.5}
            />
            <DimensionLabel value={extent.maxY} position={[hx, top / 2, 0.02]} />
          </group>
        );
      })}
    </group>
  );
}

/**
 * A dimension drawn into the scene (a sprite with the text painted on a canvas), so it faces the
 * camera, stays readable over the furniture and is part of the snapshot PNG.
 */
function DimensionLabel({ value, position }: { value: number; position: [number, number, number] }) {
  const text = `${Math.round(value).toLocaleString("en-US").replace(/,/g, " ")} mm`;
  const { texture, aspect } = useMemo(() => {
    const scale = 4;
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d")!;
    const font = `600 ${13 * scale}px system-ui, sans-serif`;
    context.font = font;
    const width = Math.ceil(context.measureText(text).width + 16 * scale);
    const height = 24 * scale;
    canvas.width = width;
    canvas.height = height;
    context.font = font;
    context.fillStyle = "rgba(255,255,255,0.92)";
    context.strokeStyle = "#8fa096";
    context.lineWidth = scale;
    context.beginPath();
    context.roundRect(scale, scale, width - 2 * scale, height - 2 * scale, 5 * scale);
    context.fill();
    context.stroke();
    context.fillStyle = "#24302a";
    context.textAlign = "center";
    context.textBaseline = "middle";
    context.fillText(text, width / 2, height / 2 + scale);
    const created = new THREE.CanvasTexture(canvas);
    created.colorSpace = THREE.SRGBColorSpace;
    return { texture: created, aspect: width / height };
  }, [text]);
  useEffect(() => () => texture.dispose(), [texture]);
  // A constant size on screen (about 3 % of the view's height), however far the camera is.
  const height = 0.022;
  return (
    <sprite position={position} scale={[height * aspect, height, 1]} renderOrder={10}>
      <spriteMaterial map={texture} depthTest={false} transparent sizeAttenuation={false} />
    </sprite>
  );
}

/**
 * Frames the whole configuration whenever a module is added or removed (not on every edit, so
 * the sales person's own orbiting is kept while they change materials or quantities), and keeps
 * the camera in the room: in front of the wall, above the floor, not too far, and its target
 * over the furniture.
 */
function CameraRig({
  frameKey,
  center,
  size,
  bounds,
}: {
  frameKey: number;
  center: [number, number, number];
  size: [number, number];
  bounds: SceneLayout["bounds"];
}) {
  const controls = useRef<OrbitControlsImpl>(null);
  const camera = useThree((state) => state.camera) as THREE.PerspectiveCamera;
  const viewport = useThree((state) => state.size);
  const [cx, cy, cz] = center;
  const [width, height] = size;
  const aspect = viewport.width / Math.max(1, viewport.height);
  const fov = (camera.fov * Math.PI) / 180;
  // Distance at which the bounding box fits both vertically and horizontally, with a margin.
  const fitHeight = Math.max(height, 0.5) / 2 / Math.tan(fov / 2);
  const fitWidth = Math.max(width, 0.5) / 2 / Math.tan(fov / 2) / aspect;
  const distance = Math.max(fitHeight, fitWidth) * 1.1 + 0.4;
  useEffect(() => {
    camera.position.set(cx + distance * 0.28, cy + distance * 0.22, cz + distance);
    camera.near = 0.01;
    camera.far = Math.max(100, distance * 10);
    camera.updateProjectionMatrix();
    controls.current?.target.set(cx, cy, cz);
    controls.current?.update();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reframe only when the module count or viewport changes
  }, [frameKey, viewport.width, viewport.height]);
  const keepInRoom = () => {
    const target = controls.current?.target;
    if (!target) return;
    target.x = THREE.MathUtils.clamp(target.x, bounds.minX * MM, bounds.maxX * MM);
    target.y = THREE.MathUtils.clamp(target.y, 0.2, Math.max(0.3, bounds.maxY * MM));
    target.z = THREE.MathUtils.clamp(target.z, 0, bounds.maxZ * MM + 0.5);
    camera.position.z = Math.max(camera.position.z, 0.3);
    camera.position.y = Math.max(camera.position.y, 0.15);
  };
  return (
    <OrbitControls
      ref={controls}
      makeDefault
      enableDamping
      onChange={keepInRoom}
      minDistance={0.6}
      maxDistance={Math.max(4, distance * 2.2)}
      minPolarAngle={0.15}
      maxPolarAngle={Math.PI / 2 - 0.04}
      minAzimuthAngle={-Math.PI * 0.42}
      maxAzimuthAngle={Math.PI * 0.42}
    />
  );
}

const FACE_GRID_X = [0.15, 0.25, 0.35, 0.65, 0.75, 0.85];
const FACE_GRID_Y = [0.1, 0.18, 0.26, 0.34, 0.42];

function Probe({ parts, fronts, worktops, placed }: { parts: Part[]; fronts: number; worktops: number; placed: PlacedModule[] }) {
  const modules = placed.length;
  const gl = useThree((state) => state.gl);
  const invalidate = useThree((state) => state.invalidate);
  const camera = useThree((state) => state.camera);
  const scene = useThree((state) => state.scene);
  const size = useThree((state) => state.size);
  useEffect(() => {
    if (typeof navigator === "undefined" || !navigator.webdriver) return;
    window.__paformScene = {
      fronts,
      worktops,
      modules,
      get drawCalls() {
        return gl.info.render.calls;
      },
      get triangles() {
        return gl.info.render.triangles;
      },
      get loading() {
        return scene.getObjectByName(LOADING_NAME) !== undefined;
      },
      invalidate: () => invalidate(),
      samplePoints: () => {
        const project = (x: number, y: number, z: number): [number, number] => {
          const point = new THREE.Vector3(x * MM, y * MM, z * MM).project(camera);
          return [((point.x + 1) / 2) * size.width, ((1 - point.y) / 2) * size.height];
        };
        const onCanvas = (part: Part | undefined, face: "top" | "front"): [number, number] | null => {
          if (!part) return null;
          return project(
            part.x + part.w / 2,
            face === "top" ? part.y + part.h : part.y + part.h / 2,
            face === "top" ? part.z + part.d * 0.75 : part.z + part.d,
          );
        };
        const faceOf = (module: PlacedModule): [number, number][] => {
          // A drawn module's face is its fronts' (standing proud of the carcass); a model is fitted to the catalog box.
          const front = parts.filter((part) => part.moduleKey === module.key && part.kind === "front");
          const z = module.glbUrl || front.length === 0 ? module.z + module.depth : Math.max(...front.map((part) => part.z + part.d));
          const bottom = module.y + module.plinthMm;
          return FACE_GRID_Y.flatMap((fy) => FACE_GRID_X.map((fx) => project(module.x + fx * module.width, bottom + fy * module.height, z)));
        };
        return {
          worktop: onCanvas(parts.find((part) => part.kind === "worktop"), "top"),
          front: onCanvas(parts.find((part) => part.kind === "front"), "front"),
          modules: placed.map((module) => ({ key: module.key, name: module.name, modelled: Boolean(module.glbUrl), face: faceOf(module) })),
        };
      },
    };
  }, [gl, invalidate, camera, scene, size, parts, fronts, worktops, modules, placed]);
  useEffect(
    () => () => {
      registerSnapshotCanvas(null);
      registerExportScene(null);
    },
    [],
  );
  return null;
}

function PlacedGlb({ module, onSelect }: { module: PlacedModule; onSelect?: (key: string) => void }) {
  const handleClick = (event: ThreeEvent<MouseEvent>) => {
    event.stopPropagation();
    onSelect?.(module.key);
  };
  const url = module.glbUrl!;
  const fallback = <FallbackBox module={module} />;
  return (
    <group name={MODULE_GLB_NAME} position={[module.x * MM, (module.y + module.plinthMm) * MM, module.z * MM]}>
      <ErrorBoundary resetKey={url} fallback={() => fallback}>
        <Suspense fallback={<FallbackBox module={module} ghost />}>
          <GlbModule module={module} url={url} onClick={handleClick} />
        </Suspense>
      </ErrorBoundary>
    </group>
  );
}

/** A GLB that is loading (ghost) or failed: the module's box in its colour. */
function FallbackBox({ module, ghost }: { module: PlacedModule; ghost?: boolean }) {
  const width = module.width * MM;
  const height = module.height * MM;
  const depth = module.depth * MM;
  return (
    <mesh position={[width / 2, height / 2, depth / 2]} castShadow name={ghost ? LOADING_NAME : undefined}>
      <boxGeometry args={[width, height, depth]} />
      <meshStandardMaterial color={module.color} roughness={0.7} transparent={ghost} opacity={ghost ? 0.35 : 1} />
    </mesh>
  );
}

function GlbModule({ module, url, onClick }: { module: PlacedModule; url: string; onClick: (event: ThreeEvent<MouseEvent>) => void }) {
  const gltf = useGLTF(url, DRACO_PATH);
  // The same surface as the module's drawn boards would have (boardMaterial.ts).
  const board = useSurfaceMaterial(boardSurface(module), true);
  const prepared = useMemo(
    () => prepareGlbScene(gltf.scene, { width: module.width, height: module.height, depth: module.depth, board }),
    [gltf.scene, module.width, module.height, module.depth, board],
  );
  useEffect(() => {
    if (prepared.drift) console.warn(`${url}: extras.paform.dimensions_mm differ from the catalog's; drawn at the catalog's size`);
  }, [prepared.drift, url]);
  return (
    <group onClick={onClick}>
      {prepared.levels.length > 1 ? (
        <Detailed distances={LOD_DISTANCES.slice(0, prepared.levels.length)}>
          {prepared.levels.map((level, index) => (
            <primitive key={index} object={level} />
          ))}
        </Detailed>
      ) : (
        <primitive object={prepared.levels[0]} />
      )}
    </group>
  );
}
