// Pure layout of a configuration: where each module stands, in millimetres, before any
// three.js object exists (so it is unit-tested without WebGL and shared by every renderer).
//
// Rules (GLB_ASSET_STANDARD.md §6, matching the catalog's `placement_constraints`):
// - Modules are grouped by `row` (e.g. "kitchen", "wardrobe") in the order rows first appear;
//   each row stands to the right of the previous one with ROW_GAP_MM between them.
// - Within a row, modules stand side by side along +X in configuration order, backs against
//   the wall plane z = 0, fronts towards +Z. Floor (`mount: "floor"`) and wall
//   (`mount: "wall"`, hung at `elevation_mm`) modules form two runs that start at the row's
//   left edge, so upper and lower cabinets line up.
// - When the previous module of a run has a `right` connection point and this one a `left`
//   one, the two points coincide; otherwise the modules abut, separated by the larger of
//   their two `gap_mm`.
// - `mount: "on_top"` stacks a module on the first floor module of its row that carries
//   nothing yet (a top box on a wardrobe); with none free it stands on the floor run.
import type { Connector, Placement } from "@/lib/api/views";

export const ROW_GAP_MM = 600;

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
  selected: boolean;
}

export interface PlacedModule extends SceneModule {
  /** Bottom-left-back corner, millimetres. */
  x: number;
  y: number;
  z: number;
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

export function layoutScene(items: SceneModule[]): SceneLayout {
  const rows = new Map<string, RowState>();
  let rightmost = 0;
  const placed: PlacedModule[] = [];
  for (const item of items) {
    let row = rows.get(item.placement.row);
    if (!row) {
      const originX = rows.size === 0 ? 0 : rightmost + ROW_GAP_MM;
      row = { originX, floor: null, wall: null, floorModules: [], topped: new Set(), maxX: originX };
      rows.set(item.placement.row, row);
    }
    let module: PlacedModule;
    const base =
      item.placement.mount === "on_top" ? row.floorModules.find((candidate) => !row.topped.has(candidate.key)) : undefined;
    if (base) {
      row.topped.add(base.key);
      module = { ...item, x: base.x, y: base.y + base.height, z: 0 };
    } else if (item.placement.mount === "wall") {
      module = { ...item, x: nextInRun(row.wall, item, row.originX), y: item.placement.elevationMm, z: 0 };
      row.wall = module;
    } else {
      module = { ...item, x: nextInRun(row.floor, item, row.originX), y: 0, z: 0 };
      row.floor = module;
      row.floorModules.push(module);
    }
    placed.push(module);
    row.maxX = Math.max(row.maxX, module.x + module.width);
    rightmost = Math.max(rightmost, row.maxX);
  }
  return {
    modules: placed,
    bounds: {
      minX: placed.length ? Math.min(...placed.map((module) => module.x)) : 0,
      maxX: placed.length ? Math.max(...placed.map((module) => module.x + module.width)) : 0,
      maxY: placed.length ? Math.max(...placed.map((module) => module.y + module.height)) : 0,
      maxZ: placed.length ? Math.max(...placed.map((module) => module.depth)) : 0,
    },
  };
}
