"use client";
// The three.js scene. This module (and three, R3F, drei with it) is only reached through
// `next/dynamic` from ./Viewer3D.tsx, so it lands in a lazily loaded chunk and never in the
// first-load JS of a route. It consumes view models (SceneModule), never API DTOs.
//
// Units: the layout is in millimetres; the scene is in metres (÷ 1000), +Y up, fronts +Z.
import { Edges, OrbitControls, useGLTF, useTexture } from "@react-three/drei";
import { Canvas, useThree, type ThreeEvent } from "@react-three/fiber";
import { Suspense, useEffect, useMemo, useRef } from "react";
import * as THREE from "three";
import type { OrbitControls as OrbitControlsImpl } from "three-stdlib";
import { ErrorBoundary } from "@/components/common/ErrorBoundary";
import { isLocalAssetUrl } from "@/lib/localUrl";
import { layoutScene, type PlacedModule, type SceneModule } from "./layout";
import { prepareGlbScene } from "./glb";

/** The Draco decoder copied into the export by scripts/copy-draco.mjs. */
export const DRACO_PATH = "/draco/";

const MM = 0.001;
const SELECTED_EDGE = "#2d7a4f";
const EDGE = "#4a4a4a";

export interface SceneProps {
  modules: SceneModule[];
  onSelect?: (key: string) => void;
}

export default function Scene({ modules, onSelect }: SceneProps) {
  const layout = useMemo(() => layoutScene(modules), [modules]);
  const { minX, maxX, maxY, maxZ } = layout.bounds;
  const centerX = ((minX + maxX) / 2) * MM;
  const span = Math.max((maxX - minX) * MM, maxY * MM, 1.2);

  return (
    // "demand": a frame is drawn only when something changed (props, orbiting, a loaded
    // texture), not 60 times a second; without a GPU (software WebGL) the continuous loop
    // kept the main thread busy and made the whole configurator sluggish.
    <Canvas
      frameloop="demand"
      dpr={[1, 2]}
      camera={{ position: [centerX + span * 0.35, span * 0.75, span * 1.5], fov: 40, near: 0.01, far: 200 }}
      shadows="percentage"
      gl={{ antialias: true, preserveDrawingBuffer: true }}
      aria-label="3D view of the configuration"
      role="img"
    >
      <color attach="background" args={["#eef1ef"]} />
      <hemisphereLight args={["#ffffff", "#b7a98f", 0.9]} />
      <directionalLight position={[3, 5, 4]} intensity={1.6} castShadow shadow-mapSize={[1024, 1024]} />
      <directionalLight position={[-4, 3, 2]} intensity={0.5} />
      <Room centerX={centerX} span={span} />
      {layout.modules.map((module) => (
        <PlacedModuleView key={module.key} module={module} onSelect={onSelect} />
      ))}
      <CameraRig
        frameKey={layout.modules.length}
        center={[centerX, (maxY * MM) / 2, (maxZ * MM) / 2]}
        size={[(maxX - minX) * MM, maxY * MM]}
      />
    </Canvas>
  );
}

function Room({ centerX, span }: { centerX: number; span: number }) {
  const size = span * 4 + 4;
  return (
    <group>
      <mesh rotation={[-Math.PI / 2, 0, 0]} position={[centerX, 0, size / 2 - 0.5]} receiveShadow>
        <planeGeometry args={[size, size]} />
        <meshStandardMaterial color="#d9d4ca" roughness={0.95} />
      </mesh>
      <mesh position={[centerX, size / 4, -0.002]} receiveShadow>
        <planeGeometry args={[size, size / 2]} />
        <meshStandardMaterial color="#f4f2ee" roughness={1} />
      </mesh>
    </group>
  );
}

/**
 * Frames the whole configuration whenever a module is added or removed (not on every edit, so
 * the sales person's own orbiting is kept while they change materials or quantities).
 */
function CameraRig({ frameKey, center, size }: { frameKey: number; center: [number, number, number]; size: [number, number] }) {
  const controls = useRef<OrbitControlsImpl>(null);
  const camera = useThree((state) => state.camera) as THREE.PerspectiveCamera;
  const viewport = useThree((state) => state.size);
  const [cx, cy, cz] = center;
  const [width, height] = size;
  useEffect(() => {
    const aspect = viewport.width / Math.max(1, viewport.height);
    const fov = (camera.fov * Math.PI) / 180;
    // Distance at which the bounding box fits both vertically and horizontally, with a margin.
    const fitHeight = Math.max(height, 0.5) / 2 / Math.tan(fov / 2);
    const fitWidth = Math.max(width, 0.5) / 2 / Math.tan(fov / 2) / aspect;
    const distance = Math.max(fitHeight, fitWidth) * 1.1 + 0.4;
    camera.position.set(cx + distance * 0.28, cy + distance * 0.32, cz + distance);
    camera.near = 0.01;
    camera.far = Math.max(100, distance * 10);
    camera.updateProjectionMatrix();
    controls.current?.target.set(cx, cy, cz);
    controls.current?.update();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reframe only when the module count or viewport changes
  }, [frameKey, viewport.width, viewport.height]);
  return (
    <OrbitControls
      ref={controls}
      makeDefault
      enableDamping
      minDistance={0.4}
      maxDistance={40}
      maxPolarAngle={Math.PI / 2 - 0.02}
    />
  );
}

function PlacedModuleView({ module, onSelect }: { module: PlacedModule; onSelect?: (key: string) => void }) {
  const handleClick = (event: ThreeEvent<MouseEvent>) => {
    event.stopPropagation();
    onSelect?.(module.key);
  };
  const glbUrl = module.glbUrl && isLocalAssetUrl(module.glbUrl) ? module.glbUrl : null;
  const box = <BoxModule module={module} onClick={handleClick} />;
  return (
    <group position={[module.x * MM, module.y * MM, module.z * MM]}>
      {glbUrl ? (
        <ErrorBoundary resetKey={glbUrl} fallback={() => box}>
          <Suspense fallback={<BoxModule module={module} onClick={handleClick} ghost />}>
            <GlbModule module={module} url={glbUrl} onClick={handleClick} />
          </Suspense>
        </ErrorBoundary>
      ) : (
        box
      )}
    </group>
  );
}

interface ModuleMeshProps {
  module: PlacedModule;
  onClick: (event: ThreeEvent<MouseEvent>) => void;
  ghost?: boolean;
}

/** Without a GLB: the module's box from its dimensions, in the material's texture or colour. */
function BoxModule({ module, onClick, ghost }: ModuleMeshProps) {
  const textureUrl = module.textureUrl && isLocalAssetUrl(module.textureUrl) ? module.textureUrl : null;
  const plain = <BoxBody module={module} onClick={onClick} ghost={ghost} />;
  if (!textureUrl || ghost) return plain;
  return (
    <ErrorBoundary resetKey={textureUrl} fallback={() => plain}>
      <Suspense fallback={plain}>
        <TexturedBox module={module} onClick={onClick} url={textureUrl} />
      </Suspense>
    </ErrorBoundary>
  );
}

function TexturedBox({ module, onClick, url }: ModuleMeshProps & { url: string }) {
  const texture = useTexture(url);
  const map = useMemo(() => {
    const copy = texture.clone();
    copy.wrapS = copy.wrapT = THREE.RepeatWrapping;
    copy.colorSpace = THREE.SRGBColorSpace;
    copy.repeat.set(Math.max(1, module.width / 600), Math.max(1, module.height / 600));
    copy.needsUpdate = true;
    return copy;
  }, [texture, module.width, module.height]);
  return <BoxBody module={module} onClick={onClick} map={map} />;
}

function BoxBody({ module, onClick, ghost, map }: ModuleMeshProps & { map?: THREE.Texture }) {
  const width = module.width * MM;
  const height = module.height * MM;
  const depth = module.depth * MM;
  return (
    <mesh
      position={[width / 2, height / 2, depth / 2]}
      castShadow
      receiveShadow
      onClick={onClick}
      name={`module:${module.key}`}
    >
      <boxGeometry args={[width, height, depth]} />
      <meshStandardMaterial
        color={map ? "#ffffff" : module.color}
        map={map ?? null}
        roughness={0.7}
        transparent={ghost}
        opacity={ghost ? 0.35 : 1}
      />
      <Edges color={module.selected ? SELECTED_EDGE : EDGE} lineWidth={module.selected ? 3 : 1} />
    </mesh>
  );
}

function GlbModule({ module, url, onClick }: ModuleMeshProps & { url: string }) {
  const gltf = useGLTF(url, DRACO_PATH);
  const object = useMemo(
    () =>
      prepareGlbScene(gltf.scene, {
        width: module.width,
        height: module.height,
        depth: module.depth,
        color: module.color,
      }),
    [gltf.scene, module.width, module.height, module.depth, module.color],
  );
  return (
    <group onClick={onClick}>
      <primitive object={object} />
      {module.selected ? (
        <mesh position={[(module.width * MM) / 2, (module.height * MM) / 2, (module.depth * MM) / 2]}>
          <boxGeometry args={[module.width * MM, module.height * MM, module.depth * MM]} />
          <meshBasicMaterial visible={false} />
          <Edges color={SELECTED_EDGE} lineWidth={3} />
        </mesh>
      ) : null}
    </group>
  );
}
