//! What a placed module is made of, as plain boxes in millimetres, before any three.js object
//! exists: the carcass from the same panels as its cut list (`paform-core` `cnc/panelize.rs`,
//! same names and sizes), door and drawer fronts with their gaps and handles, the plinth, and
//! the worktops that run unbroken over neighbouring base units. The renderer only instances
//! these boxes, so everything here is unit-tested without WebGL.
//
// Frames: a module's own frame has its origin at the carcass's bottom-left-back corner, +X to
// the right, +Y up, fronts towards +Z. Scene boxes are in the room's frame (layout.ts).
import type { PlacedModule } from "./layout";

/** Board thickness when a material does not say (the demo catalog's boards are 18–19 mm). */
export const DEFAULT_THICKNESS_MM = 18;
/** Between two fronts, and between a front and its neighbour module's front. */
export const FRONT_GAP_MM = 3;
export const FRONT_THICKNESS_MM = 19;
export const WORKTOP_THICKNESS_MM = 38;
/** How far a worktop reaches past the fronts, and past a free end of its run. */
export const WORKTOP_FRONT_OVERHANG_MM = 20;
export const WORKTOP_END_OVERHANG_MM = 10;
/** Neighbours closer than this share one worktop. */
export const WORKTOP_JOIN_MM = 5;
/** A floor module at most this tall is a base unit (gets a worktop unless it says otherwise). */
export const BASE_UNIT_MAX_HEIGHT_MM = 900;
const PLINTH_SETBACK_MM = 50;
const PLINTH_BOARD_MM = 16;
const HANDLE = { length: 160, thickness: 12, projection: 28, inset: 40 };

export type PartKind = "carcass" | "front" | "handle" | "plinth" | "worktop";

/** An axis-aligned box: min corner and size, millimetres. */
export interface Box {
  x: number;
  y: number;
  z: number;
  w: number;
  h: number;
  d: number;
}

export interface CutPanel {
  /** The cut list's panel name (`side`, `top-bottom`, `back`, `shelf`). */
  name: string;
  /** Along the grain. */
  length: number;
  width: number;
  thickness: number;
  quantity: number;
}

export interface CarcassPanel extends Box {
  name: CutPanel["name"];
}

export interface Carcass {
  /** The cut list, in panelize's order and grouping. */
  panels: CutPanel[];
  /** One box per physical board, in the module's frame. */
  boxes: CarcassPanel[];
}

/**
 * The carcass of a W × H × D module from boards of thickness `t`, as `panelize.rs` cuts it: two
 * full-height sides, a top and a bottom between them, an inset back between top and bottom,
 * and `shelves` shelves in front of the back, evenly spaced. Null when the module is too small
 * for two boards (the cut list refuses it too); the viewer then draws a plain box.
 */
export function carcass(width: number, height: number, depth: number, t: number, shelves: number): Carcass | null {
  const innerWidth = width - 2 * t;
  const innerHeight = height - 2 * t;
  const shelfDepth = depth - t;
  if (innerWidth <= 0 || innerHeight <= 0 || shelfDepth <= 0) return null;
  const count = Math.max(0, Math.trunc(shelves));
  const panels: CutPanel[] = [
    { name: "side", length: height, width: depth, thickness: t, quantity: 2 },
    { name: "top-bottom", length: innerWidth, width: depth, thickness: t, quantity: 2 },
    { name: "back", length: innerHeight, width: innerWidth, thickness: t, quantity: 1 },
  ];
  if (count > 0) panels.push({ name: "shelf", length: innerWidth, width: shelfDepth, thickness: t, quantity: count });
  const boxes: CarcassPanel[] = [
    { name: "side", x: 0, y: 0, z: 0, w: t, h: height, d: depth },
    { name: "side", x: width - t, y: 0, z: 0, w: t, h: height, d: depth },
    { name: "top-bottom", x: t, y: 0, z: 0, w: innerWidth, h: t, d: depth },
    { name: "top-bottom", x: t, y: height - t, z: 0, w: innerWidth, h: t, d: depth },
    { name: "back", x: t, y: t, z: 0, w: innerWidth, h: innerHeight, d: t },
  ];
  const pitch = innerHeight / (count + 1);
  for (let index = 1; index <= count; index += 1) {
    boxes.push({ name: "shelf", x: t, y: t + index * pitch - t / 2, z: t, w: innerWidth, h: t, d: shelfDepth });
  }
  return { panels, boxes };
}

export type ModuleRole = "base" | "wall" | "tall";

export function moduleRole(module: Pick<PlacedModule, "placement" | "height">): ModuleRole {
  if (module.placement.mount === "wall") return "wall";
  if (module.placement.mount === "floor" && module.height <= BASE_UNIT_MAX_HEIGHT_MM) return "base";
  return "tall";
}

export interface Front extends Box {
  kind: "door" | "drawer";
}

export interface FrontLayout {
  fronts: Front[];
  handles: Box[];
}

/**
 * Overlay fronts over a W × H carcass face (module frame, standing at z = depth): `drawers`
 * stacked at the top (the whole face when there are no doors), `doors` side by side below.
 * Every front is inset by half a gap from the module's edges, so two neighbours' fronts are
 * one gap apart. Handles: a door's on the edge away from its hinge (a pair opens in the middle;
 * a single door is hinged left), near the top of a base unit, near the bottom of a wall unit,
 * at counter height on a tall one; a drawer's centred near its top edge.
 */
export function frontLayout(
  width: number,
  height: number,
  depth: number,
  doors: number,
  drawers: number,
  role: ModuleRole,
  /** Height of the carcass's bottom above the floor, for a tall unit's handle height. */
  elevation = 0,
): FrontLayout {
  const g = FRONT_GAP_MM;
  const doorCount = Math.max(0, Math.trunc(doors));
  const drawerCount = Math.max(0, Math.trunc(drawers));
  const fronts: Front[] = [];
  const handles: Box[] = [];
  if (doorCount + drawerCount === 0 || width <= 4 * g || height <= 4 * g) return { fronts, handles };
  const z = depth;
  const left = g / 2;
  const usableWidth = width - g;
  const top = height - g / 2;
  const drawerBand = doorCount === 0 ? height - g : Math.min(drawerCount * 180, (height - g) / 2);
  const drawerHeight = drawerCount > 0 ? (drawerBand - (drawerCount - 1) * g) / drawerCount : 0;
  for (let index = 0; index < drawerCount; index += 1) {
    const y = top - (index + 1) * drawerHeight - index * g;
    fronts.push({ kind: "drawer", x: left, y, z, w: usableWidth, h: drawerHeight, d: FRONT_THICKNESS_MM });
    const length = Math.min(HANDLE.length * 2, usableWidth * 0.5);
    const handleY = y + drawerHeight - Math.min(HANDLE.inset, drawerHeight / 3) - HANDLE.thickness;
    handles.push({
      x: left + (usableWidth - length) / 2,
      y: handleY,
      z: z + FRONT_THICKNESS_MM,
      w: length,
      h: HANDLE.thickness,
      d: HANDLE.projection,
    });
  }
  if (doorCount > 0) {
    const doorTop = drawerCount > 0 ? top - drawerBand - g : top;
    const doorHeight = doorTop - g / 2;
    const doorWidth = (usableWidth - (doorCount - 1) * g) / doorCount;
    const length = Math.min(HANDLE.length, doorHeight * 0.5);
    for (let index = 0; index < doorCount; index += 1) {
      const x = left + index * (doorWidth + g);
      fronts.push({ kind: "door", x, y: g / 2, z, w: doorWidth, h: doorHeight, d: FRONT_THICKNESS_MM });
      // Hinged on the outside of a pair (the left one of a single door and of every odd index).
      const handleOnRight = doorCount === 1 || index % 2 === 0;
      const handleX = handleOnRight ? x + doorWidth - HANDLE.inset : x + HANDLE.inset - HANDLE.thickness;
      let handleY: number;
      if (role === "wall") handleY = g / 2 + HANDLE.inset;
      else if (role === "base") handleY = doorTop - HANDLE.inset - length;
      else handleY = Math.min(Math.max(1000 - elevation - length / 2, g / 2 + HANDLE.inset), doorTop - HANDLE.inset - length);
      handles.push({ x: handleX, y: handleY, z: z + FRONT_THICKNESS_MM, w: HANDLE.thickness, h: length, d: HANDLE.projection });
    }
  }
  return { fronts, handles };
}

/** The toe kick under a floor module: a board set back from the carcass front (module frame). */
export function plinth(width: number, depth: number, plinthHeight: number): Box | null {
  if (plinthHeight <= 0) return null;
  return { x: 0, y: -plinthHeight, z: depth - PLINTH_SETBACK_MM - PLINTH_BOARD_MM, w: width, h: plinthHeight, d: PLINTH_BOARD_MM };
}

type WorktopCandidate = Pick<PlacedModule, "key" | "x" | "y" | "width" | "height" | "depth" | "placement" | "plinthMm"> & {
  worktop?: boolean;
};

export interface Worktop extends Box {
  /** The modules it covers, left to right. */
  keys: string[];
}

/**
 * One continuous slab over each run of neighbouring base units (room frame): units of one row
 * whose sides are at most WORKTOP_JOIN_MM apart and whose tops are level share a slab. It
 * covers the deepest unit plus the fronts and an overhang, and reaches past free ends a little.
 * A unit that is not a base unit (a tall housing) breaks the run.
 */
export function worktops(modules: WorktopCandidate[]): Worktop[] {
  const bases = modules
    .filter((module) => module.worktop ?? moduleRole(module) === "base")
    .sort((a, b) => a.x - b.x);
  const blockers = modules.filter((module) => !bases.includes(module) && module.placement.mount !== "wall");
  const runs: WorktopCandidate[][] = [];
  for (const module of bases) {
    const run = runs.find((candidate) => {
      const last = candidate.at(-1)!;
      return (
        last.placement.row === module.placement.row &&
        Math.abs(last.y + last.plinthMm + last.height - (module.y + module.plinthMm + module.height)) < 1 &&
        module.x - (last.x + last.width) <= WORKTOP_JOIN_MM &&
        module.x + 1 >= last.x + last.width - 1
      );
    });
    if (run) run.push(module);
    else runs.push([module]);
  }
  return runs.map((run) => {
    const first = run[0];
    const last = run.at(-1)!;
    const free = (x: number) => !blockers.some((blocker) => blocker.x <= x + WORKTOP_JOIN_MM && blocker.x + blocker.width >= x - WORKTOP_JOIN_MM);
    const startX = first.x - (free(first.x) ? WORKTOP_END_OVERHANG_MM : 0);
    const endX = last.x + last.width + (free(last.x + last.width) ? WORKTOP_END_OVERHANG_MM : 0);
    const depth = Math.max(...run.map((module) => module.depth)) + FRONT_THICKNESS_MM + WORKTOP_FRONT_OVERHANG_MM;
    return {
      keys: run.map((module) => module.key),
      x: startX,
      y: first.y + first.plinthMm + first.height,
      z: 0,
      w: endX - startX,
      h: WORKTOP_THICKNESS_MM,
      d: depth,
    };
  });
}

/** One box to draw, in the room's frame (millimetres). */
export interface Part extends Box {
  kind: PartKind;
  /** Parts with the same look share one material (and one instanced mesh). */
  look: string;
  moduleKey: string;
}

export interface FurnitureParts {
  parts: Part[];
  worktops: Worktop[];
  /** Door and drawer fronts drawn (GLB modules bring their own and are not counted). */
  fronts: number;
}

/** The look of a module's boards: its material, its colour and its own texture if any. */
export function lookOf(module: Pick<PlacedModule, "materialName" | "color" | "textureUrl">): string {
  return JSON.stringify([module.materialName, module.color, module.textureUrl ?? ""]);
}

/**
 * Every box of a configuration: carcass boards and fronts of the modules without a GLB,
 * handles, plinths and the worktops (those also over GLB modules, which are drawn from the file).
 */
export function furnitureParts(modules: PlacedModule[]): FurnitureParts {
  const parts: Part[] = [];
  let fronts = 0;
  const add = (module: PlacedModule, kind: PartKind, look: string, box: Box) => {
    parts.push({
      kind,
      look,
      moduleKey: module.key,
      x: module.x + box.x,
      y: module.y + module.plinthMm + box.y,
      z: module.z + box.z,
      w: box.w,
      h: box.h,
      d: box.d,
    });
  };
  for (const module of modules) {
    const look = lookOf(module);
    const base = plinth(module.width, module.depth, module.plinthMm);
    if (base) add(module, "plinth", look, base);
    if (module.glbUrl) continue;
    const body = carcass(module.width, module.height, module.depth, module.thicknessMm ?? DEFAULT_THICKNESS_MM, module.shelves);
    if (body) for (const panel of body.boxes) add(module, "carcass", look, panel);
    else add(module, "carcass", look, { x: 0, y: 0, z: 0, w: module.width, h: module.height, d: module.depth });
    const role = moduleRole(module);
    const layout = frontLayout(module.width, module.height, module.depth, module.doors, module.drawers, role, module.y + module.plinthMm);
    for (const front of layout.fronts) add(module, "front", look, front);
    for (const handle of layout.handles) add(module, "handle", "handle", handle);
    fronts += layout.fronts.length;
  }
  const tops = worktops(modules);
  for (const top of tops) parts.push({ ...top, kind: "worktop", look: "worktop", moduleKey: top.keys[0] });
  return { parts, worktops: tops, fronts };
}
