import { describe, expect, it } from "vitest";
import { layoutScene, PLINTH_MM, type SceneModule } from "@/components/scene/layout";
import type { Connector } from "@/lib/api/views";

function module(key: string, width: number, extra: Partial<SceneModule> = {}): SceneModule {
  return {
    key,
    name: key,
    width,
    height: 800,
    depth: 500,
    placement: { mount: "floor", row: "main", elevationMm: 0, gapMm: 0 },
    connectors: [],
    glbUrl: null,
    color: "#ccc",
    textureUrl: null,
    materialName: "White Melamine",
    thicknessMm: 18,
    doors: 1,
    drawers: 0,
    shelves: 1,
    selected: false,
    ...extra,
  };
}

const side = (name: Connector["side"], x: number): Connector => ({ name, side: name, x, y: 400, z: 250 });

describe("scene layout", () => {
  it("stands modules side by side, backs against the wall", () => {
    const placed = layoutScene([module("a", 600), module("b", 400), module("c", 900)]).modules;
    expect(placed.map((item) => [item.x, item.y, item.z, item.plinthMm])).toEqual([
      [0, 0, 0, PLINTH_MM],
      [600, 0, 0, PLINTH_MM],
      [1000, 0, 0, PLINTH_MM],
    ]);
  });

  it("keeps the larger gap of two neighbours", () => {
    const gap = (gapMm: number) => ({ placement: { mount: "floor" as const, row: "main", elevationMm: 0, gapMm } });
    const placed = layoutScene([module("a", 600, gap(10)), module("b", 400, gap(30))]).modules;
    expect(placed[1].x).toBe(630);
  });

  it("joins connection points when both neighbours have them", () => {
    const placed = layoutScene([
      module("a", 600, { connectors: [side("right", 590)] }),
      module("b", 400, { connectors: [side("left", 5)] }),
    ]).modules;
    expect(placed[1].x).toBe(585);
  });

  it("hangs wall modules at their elevation in their own run", () => {
    const wall = { placement: { mount: "wall" as const, row: "main", elevationMm: 1400, gapMm: 0 } };
    const layout = layoutScene([module("a", 600), module("b", 600), module("w", 500, wall), module("w2", 500, wall)]);
    const [, , first, second] = layout.modules;
    expect([first.x, first.y, first.plinthMm]).toEqual([0, 1400, 0]);
    expect(second.x).toBe(500);
    expect(layout.bounds).toEqual({ minX: 0, maxX: 1200, maxY: 2200, maxZ: 500 });
  });

  it("stacks a top box on the first free floor module and starts a new row further right", () => {
    const wardrobe = (mount: "floor" | "on_top") => ({ placement: { mount, row: "wardrobe", elevationMm: 0, gapMm: 0 } });
    const layout = layoutScene([
      module("base", 600),
      module("robe1", 1000, wardrobe("floor")),
      module("robe2", 1000, wardrobe("floor")),
      module("top1", 1000, { ...wardrobe("on_top"), height: 450 }),
      module("top2", 1000, { ...wardrobe("on_top"), height: 450 }),
    ]);
    const at = Object.fromEntries(layout.modules.map((item) => [item.key, [item.x, item.y]]));
    // A top box sits on the wardrobe's carcass, which stands on its plinth.
    expect(at).toEqual({
      base: [0, 0],
      robe1: [1200, 0],
      robe2: [2200, 0],
      top1: [1200, 800 + PLINTH_MM],
      top2: [2200, 800 + PLINTH_MM],
    });
  });
});
