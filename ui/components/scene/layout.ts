// Pure layout of a configuration: where each module stands, in millimetres, before any
// three.js object exists (so it is unit-tested without WebGL and shared by every renderer).
//
// Rules (GLB_ASSET_STANDARD.md §6, matching the catalog's `placement_constraints`):
// - Modules are grouped by `row` (e.g. "kitchen", "wardrobe") in the order rows first appear;
//   each row stands to the right of the previous one with ROW_GAP_MM between them.
// - Within a row, modules stand side by side along +X in configuration order, backs against
//   the wall plane z = 0, fronts towards +Z. Floor (`mount: "floor"`) and wall
//   (`mount: "wall"`, hung at `elevation_mm`) modules form two runs that start at the row's
//   left edge, so upper and lower cabinets line up; a wall module moves right past a tall floor
//   module already standing where it would hang.
// - When the previous module of a run has a `right` connection point and this one a `left`
//   one, the two points coincide; otherwise the modules abut, separated by the larger of
//   their two `gap_mm`.
// - `mount: "on_top"` stacks a module on the first floor module of its row that carries
//   nothing yet (a top box on a wardrobe); with none free it stands on the floor run.
// - Floor modules stand on a PLINTH_MM plinth: the catalog height is the carcass's, so base
//   units, wall units at 1450 mm and tall units line up as in a real kitchen.
import type { Connector, Material, Module, Placement } from "@/lib/api/views";

export const ROW_GAP_MM = 600;
/** Floor modules stand on a plinth (toe kick) this tall; the catalog height is the carcass. */
export const PLINTH_MM = 100;

export interface SceneModule {
  key: string;
  name: string;
  width: number;
  height: number;
  depth: number;
  placement: Placement;
  connectors: Connector[];
  glbUrl: string | null;
  color: string;
  textureUrl: string | null;
  /** The chosen material: its name picks the bundled texture, its board thickness the carcass. */
  materialName: string;
  thicknessMm: number | null;
  /** From `assembly_attributes`. */
  doors: number;
  drawers: number;
  shelves: number;
  /** `assembly_attributes.worktop`; unset: base units get one. */
  worktop?: boolean;
  selected: boolean;
}

export interface PlacedModule extends SceneModule {
  /** Bottom-left-back corner, millimetres; the carcass starts `plinthMm` above `y`. */
  x: number;
  y: number;
  z: number;
  plinthMm: number;
}

export interface SceneLayout {
  modules: PlacedModule[];
  /** Bounding box of everything placed, millimetres. */
  bounds: { minX: number; maxX: number; maxY: number; maxZ: number };
}

interface RowState {
  originX: number;
  floor: PlacedModule | null;
  wall: PlacedModule | null;
  floorModules: PlacedModule[];
  topped: Set<string>;
  maxX: number;
}

function nextInRun(previous: PlacedModule | null, item: SceneModule, originX: number): number {
  if (!previous) return originX;
  const right = previous.connectors.find((connector) => connector.side === "right");
  const left = item.connectors.find((connector) => connector.side === "left");
  if (right && left) return previous.x + right.x - left.x;
  return previous.x + previous.width + Math.max(previous.placement.gapMm, item.placement.gapMm);
}

function placeInRow(row: RowState, item: SceneModule): PlacedModule {
  const base =
    item.placement.mount === "on_top" ? row.floorModules.find((candidate) => !row.topped.has(candidate.key)) : undefined;
  if (base) {
    row.topped.add(base.key);
    return { ...item, x: base.x, y: base.y + base.plinthMm + base.height, z: 0, plinthMm: 0 };
  }
  if (item.placement.mount === "wall") {
    const y = item.placement.elevationMm;
    let x = nextInRun(row.wall, item, row.originX);
    // Past any tall floor module that reaches up to where this one hangs (a pantry).
    for (const floor of row.floorModules) {
      const overlaps = floor.x < x + item.width && x < floor.x + floor.width;
      if (overlaps && floor.y + floor.plinthMm + floor.height > y) x = floor.x + floor.width;
    }
    const module = { ...item, x, y, z: 0, plinthMm: 0 };
    row.wall = module;
    return module;
  }
  const module = { ...item, x: nextInRun(row.floor, item, row.originX), y: 0, z: 0, plinthMm: PLINTH_MM };
  row.floor = module;
  row.floorModules.push(module);
  return module;
}

export function layoutScene(items: SceneModule[]): SceneLayout {
  // Rows in the order they first appear; a module added to an earlier row later still stands
  // in that row, and the rows to its right move over.
  const byRow = new Map<string, SceneModule[]>();
  for (const item of items) {
    const list = byRow.get(item.placement.row);
    if (list) list.push(item);
    else byRow.set(item.placement.row, [item]);
  }
  const placedByKey = new Map<string, PlacedModule>();
  let rightmost = 0;
  for (const rowItems of byRow.values()) {
    const originX = placedByKey.size === 0 ? 0 : rightmost + ROW_GAP_MM;
    const row: RowState = { originX, floor: null, wall: null, floorModules: [], topped: new Set(), maxX: originX };
    // Floor modules first, so a wall module knows the tall ones it must pass.
    const mountOrder = { floor: 0, on_top: 1, wall: 2 } as const;
    const ordered = [...rowItems].sort((a, b) => mountOrder[a.placement.mount] - mountOrder[b.placement.mount]);
    for (const item of ordered) {
      const module = placeInRow(row, item);
      placedByKey.set(item.key, module);
      row.maxX = Math.max(row.maxX, module.x + module.width);
    }
    rightmost = Math.max(rightmost, row.maxX);
  }
  const placed = items.flatMap((item) => placedByKey.get(item.key) ?? []);
  return {
    modules: placed,
    bounds: {
      minX: placed.length ? Math.min(...placed.map((module) => module.x)) : 0,
      maxX: placed.length ? Math.max(...placed.map((module) => module.x + module.width)) : 0,
      maxY: placed.length ? Math.max(...placed.map((module) => module.y + module.plinthMm + module.height)) : 0,
      maxZ: placed.length ? Math.max(...placed.map((module) => module.depth)) : 0,
    },
  };
}

function count(value: unknown): number {
  const number = typeof value === "number" ? value : Number(value);
  return Number.isFinite(number) && number > 0 ? Math.trunc(number) : 0;
}

/** The view model of one configured module: catalog module + chosen material. */
/** What a scene module is made from: a catalog module, or the part of it a share carries. */
export type SceneModuleSource = Pick<
  Module,
  "name" | "width" | "height" | "depth" | "placement" | "connectors" | "glbUrl" | "assemblyAttributes"
>;
export type SceneMaterialSource = Pick<Material, "name" | "textureUrl" | "thicknessMm">;

export function sceneModuleOf(
  key: string,
  module: SceneModuleSource,
  material: SceneMaterialSource | undefined,
  color: string,
  selected: boolean,
): SceneModule {
  const attributes = module.assemblyAttributes;
  return {
    key,
    name: module.name,
    width: module.width,
    height: module.height,
    depth: module.depth,
    placement: module.placement,
    connectors: module.connectors,
    glbUrl: module.glbUrl,
    color,
    textureUrl: material?.textureUrl ?? null,
    materialName: material?.name ?? "",
    thicknessMm: material?.thicknessMm ?? null,
    doors: count(attributes.doors),
    drawers: count(attributes.drawers),
    shelves: count(attributes.shelves),
    ...(typeof attributes.worktop === "boolean" ? { worktop: attributes.worktop } : {}),
    selected,
  };
}
