import { describe, expect, it } from "vitest";
import * as THREE from "three";
import fixture from "./fixtures/panelize.json";
import {
  carcass,
  FRONT_GAP_MM,
  frontLayout,
  furnitureParts,
  WORKTOP_END_OVERHANG_MM,
  WORKTOP_FRONT_OVERHANG_MM,
  FRONT_THICKNESS_MM,
  worktops,
} from "@/components/scene/furniture";
import { boardSurface, MESH_WORLD_UV, surfaceMaterial } from "@/components/scene/boardMaterial";
import { prepareGlbScene } from "@/components/scene/glb";
import { layoutScene, type SceneModule } from "@/components/scene/layout";
import { BUNDLED_TEXTURES, finishOf, materialLook } from "@/components/scene/textures";

function module(key: string, width: number, extra: Partial<SceneModule> = {}): SceneModule {
  return {
    key,
    name: key,
    width,
    height: 720,
    depth: 560,
    placement: { mount: "floor", row: "kitchen", elevationMm: 0, gapMm: 0 },
    connectors: [],
    glbUrl: null,
    color: "#f1f0ec",
    textureUrl: null,
    materialName: "White Melamine",
    thicknessMm: 18,
    doors: 2,
    drawers: 0,
    shelves: 1,
    selected: false,
    ...extra,
  };
}

const wall = { placement: { mount: "wall" as const, row: "kitchen", elevationMm: 1450, gapMm: 0 }, depth: 320 };
const tall = { height: 2100 };

describe("carcass", () => {
  it("cuts the same panels as the server's cut list", () => {
    const { width, height, depth, thickness, shelves } = fixture.module;
    const body = carcass(width, height, depth, thickness, shelves)!;
    expect(body.panels.map(({ name, length, width, quantity }) => ({ name, length, width, quantity }))).toEqual(fixture.panels);
  });

  it("places one board per panel, each the panel's size and thickness, inside the module", () => {
    const { width, height, depth, thickness, shelves } = fixture.module;
    const body = carcass(width, height, depth, thickness, shelves)!;
    for (const panel of body.panels) {
      const boards = body.boxes.filter((box) => box.name === panel.name);
      expect(boards).toHaveLength(panel.quantity);
      for (const board of boards) {
        const sizes = [board.w, board.h, board.d].sort((a, b) => a - b);
        expect(sizes).toEqual([panel.thickness, panel.width, panel.length].sort((a, b) => a - b));
        expect(board.x).toBeGreaterThanOrEqual(0);
        expect(board.x + board.w).toBeLessThanOrEqual(width);
        expect(board.y + board.h).toBeLessThanOrEqual(height);
        expect(board.z + board.d).toBeLessThanOrEqual(depth);
      }
    }
  });

  it("refuses a module narrower than two boards, as the cut list does", () => {
    expect(carcass(30, 720, 560, 18, 0)).toBeNull();
  });
});

describe("fronts", () => {
  it("splits a pair of doors with one gap between them and half a gap at the edges", () => {
    const { fronts, handles } = frontLayout(600, 720, 560, 2, 0, "base");
    expect(fronts.map((front) => [front.kind, front.x, front.w])).toEqual([
      ["door", FRONT_GAP_MM / 2, (600 - 2 * FRONT_GAP_MM) / 2],
      ["door", FRONT_GAP_MM / 2 + (600 - 2 * FRONT_GAP_MM) / 2 + FRONT_GAP_MM, (600 - 2 * FRONT_GAP_MM) / 2],
    ]);
    expect(fronts.every((front) => front.z === 560 && front.h === 720 - FRONT_GAP_MM)).toBe(true);
    // A pair opens in the middle: both handles sit next to the centre line, near the top.
    expect(handles).toHaveLength(2);
    expect(handles[0].x).toBeGreaterThan(250);
    expect(handles[1].x).toBeLessThan(350);
    expect(handles.every((handle) => handle.y > 400)).toBe(true);
  });

  it("stacks drawers over the whole face with gaps, each with a centred handle", () => {
    const { fronts, handles } = frontLayout(600, 720, 560, 0, 3, "base");
    expect(fronts).toHaveLength(3);
    const total = fronts.reduce((sum, front) => sum + front.h, 0) + 2 * FRONT_GAP_MM;
    expect(total).toBeCloseTo(720 - FRONT_GAP_MM);
    expect(fronts[0].y).toBeGreaterThan(fronts[1].y);
    for (const [index, handle] of handles.entries()) {
      expect(handle.x + handle.w / 2).toBeCloseTo(300);
      expect(handle.y).toBeGreaterThan(fronts[index].y);
      expect(handle.y + handle.h).toBeLessThan(fronts[index].y + fronts[index].h);
    }
  });

  it("puts a wall unit's handle near its bottom and leaves an open unit without fronts", () => {
    const { handles } = frontLayout(400, 720, 320, 1, 0, "wall");
    expect(handles[0].y).toBeLessThan(100);
    expect(frontLayout(600, 1800, 350, 0, 0, "tall").fronts).toEqual([]);
  });
});

describe("worktops", () => {
  it("runs one slab over neighbouring base units, past the fronts and the free ends", () => {
    const layout = layoutScene([module("a", 600), module("b", 800), module("c", 400), module("w", 600, wall)]);
    const tops = worktops(layout.modules);
    expect(tops).toHaveLength(1);
    expect(tops[0].keys).toEqual(["a", "b", "c"]);
    expect(tops[0].x).toBe(-WORKTOP_END_OVERHANG_MM);
    expect(tops[0].w).toBe(1800 + 2 * WORKTOP_END_OVERHANG_MM);
    expect(tops[0].d).toBe(560 + FRONT_THICKNESS_MM + WORKTOP_FRONT_OVERHANG_MM);
    expect(tops[0].y).toBe(layout.modules[0].plinthMm + 720);
  });

  it("is broken by a tall unit, and stops flush against it", () => {
    const layout = layoutScene([module("a", 600), module("t", 600, tall), module("b", 600), module("c", 600)]);
    const tops = worktops(layout.modules);
    expect(tops.map((top) => top.keys)).toEqual([["a"], ["b", "c"]]);
    expect(tops[0].x + tops[0].w).toBe(600);
    expect(tops[1].x).toBe(1200);
  });

  it("can be switched off by the module", () => {
    expect(worktops(layoutScene([module("a", 600, { worktop: false })]).modules)).toEqual([]);
  });
});

describe("furniture parts", () => {
  it("draws fronts, handles, a plinth for floor units and none for wall units", () => {
    const layout = layoutScene([module("a", 600), module("d", 600, { doors: 0, drawers: 3 }), module("w", 600, wall)]);
    const { parts, fronts, worktops: tops } = furnitureParts(layout.modules);
    expect(fronts).toBe(2 + 3 + 2);
    expect(tops).toHaveLength(1);
    expect(parts.filter((part) => part.kind === "plinth").map((part) => part.moduleKey)).toEqual(["a", "d"]);
    const wallBoards = parts.filter((part) => part.moduleKey === "w" && part.kind === "carcass");
    expect(Math.min(...wallBoards.map((part) => part.y))).toBe(1450);
  });

  it("leaves carcass and fronts of a module with a GLB to the file", () => {
    const layout = layoutScene([module("g", 600, { glbUrl: "/api/modules/g/model" })]);
    const { parts, fronts } = furnitureParts(layout.modules);
    expect(fronts).toBe(0);
    expect(parts.map((part) => part.kind).sort()).toEqual(["plinth", "worktop"]);
  });
});

describe("material textures", () => {
  it("maps material names to the bundled finishes", () => {
    expect(finishOf("Natural Oak Veneer")).toBe("wood");
    expect(finishOf("Birch Plywood")).toBe("wood");
    expect(finishOf("Sage Matte Lacquer MDF")).toBe("lacquer");
    expect(finishOf("Anthracite Fenix NTM")).toBe("lacquer");
    expect(finishOf("White Melamine")).toBe("melamine");
    expect(finishOf("Something else")).toBe("melamine");
  });

  it("prefers a material's own local texture, shown untinted, and never a remote one", () => {
    const origin = "http://127.0.0.1:8123";
    expect(materialLook({ name: "Oak", textureUrl: "/media/oak.jpg" }, origin)).toMatchObject({ url: "/media/oak.jpg", tinted: false });
    expect(materialLook({ name: "Oak", textureUrl: "https://cdn.example/oak.jpg" }, origin)).toMatchObject({
      url: BUNDLED_TEXTURES.wood,
      tinted: true,
    });
  });
});

describe("GLB levels of detail", () => {
  function glb(withLods: boolean) {
    const root = new THREE.Group();
    root.name = "modulebase-600";
    root.userData = { name: "module:base-600", paform: { standard: 1, dimensions_mm: { width: 600, height: 720, depth: 560 } } };
    const levels = withLods ? [0, 1] : [null];
    for (const level of levels) {
      const group = new THREE.Group();
      if (level !== null) {
        group.name = `lod${level}`;
        group.userData = { name: `lod:${level}` };
      }
      const material = new THREE.MeshStandardMaterial({ color: "#ffffff" });
      material.name = "carcass";
      const mesh = new THREE.Mesh(new THREE.BoxGeometry(0.6, 0.72, 0.56), material);
      mesh.position.set(0.3, 0.36, 0.28);
      group.add(mesh);
      root.add(group);
    }
    return root;
  }

  it("splits lod:<n> groups into levels, finest first, each tinted and fitted to the catalog", () => {
    const prepared = prepareGlbScene(glb(true), { width: 600, height: 720, depth: 560, board: new THREE.MeshStandardMaterial({ color: "#7d9274" }) });
    expect(prepared.levels).toHaveLength(2);
    expect(prepared.drift).toBe(false);
    for (const level of prepared.levels) {
      const meshes: THREE.Mesh[] = [];
      level.traverse((node) => {
        if ((node as THREE.Mesh).isMesh) meshes.push(node as THREE.Mesh);
      });
      expect(meshes).toHaveLength(1);
      expect((meshes[0].material as THREE.MeshStandardMaterial).color.getHexString()).toBe("7d9274");
      const box = new THREE.Box3().setFromObject(level);
      expect(box.min.toArray().map((value) => Math.round(value * 1000))).toEqual([0, 0, 0]);
    }
  });

  it("treats a file without levels as one level and reports drifting metadata", () => {
    const prepared = prepareGlbScene(glb(false), { width: 800, height: 720, depth: 560, board: new THREE.MeshStandardMaterial() });
    expect(prepared.levels).toHaveLength(1);
    expect(prepared.drift).toBe(true);
  });
});

describe("one look for drawn and modelled boards", () => {
  // A model as GLTFLoader hands it over: the demo files set a base colour and roughness per
  // slot but no metalness, which glTF then defaults to 1.
  function demoModel() {
    const root = new THREE.Group();
    const slot = (name: string, color: [number, number, number], roughness: number) => {
      const material = new THREE.MeshStandardMaterial({ roughness, metalness: 1 });
      material.color.setRGB(...color);
      material.name = name;
      const mesh = new THREE.Mesh(new THREE.BoxGeometry(0.6, 0.72, 0.56), material);
      mesh.name = `box-${name}`;
      root.add(mesh);
      return mesh;
    };
    slot("carcass", [0.93, 0.92, 0.89], 0.7);
    slot("front", [0.78, 0.66, 0.5], 0.7);
    slot("handle", [0.12, 0.12, 0.13], 0.3);
    return root;
  }

  function slots(prepared: ReturnType<typeof prepareGlbScene>) {
    const byName = new Map<string, THREE.MeshStandardMaterial>();
    prepared.levels[0].traverse((node) => {
      const mesh = node as THREE.Mesh;
      if (mesh.isMesh) byName.set(mesh.name, mesh.material as THREE.MeshStandardMaterial);
    });
    return byName;
  }

  it("gives a model's carcass and front the material a drawn board of the same material gets", () => {
    const oak = { materialName: "Natural Oak Veneer", color: "#c49a6c", textureUrl: null };
    const [modelled, drawn] = layoutScene([
      module("modelled", 600, { ...oak, glbUrl: "/api/modules/base-600/model" }),
      module("drawn", 400, oak),
    ]).modules;
    const board = surfaceMaterial(boardSurface(modelled), { meshes: true });
    const drawnBoard = surfaceMaterial(boardSurface(drawn), { meshes: true });
    const prepared = slots(prepareGlbScene(demoModel(), { width: 600, height: 720, depth: 560, board }));
    for (const slot of ["box-carcass", "box-front"]) {
      const material = prepared.get(slot)!;
      expect(material).toBe(board);
      expect({
        name: material.name,
        color: material.color.getHexString(),
        roughness: material.roughness,
        metalness: material.metalness,
        defines: material.defines,
      }).toEqual({
        name: drawnBoard.name,
        color: drawnBoard.color.getHexString(),
        roughness: drawnBoard.roughness,
        metalness: drawnBoard.metalness,
        defines: drawnBoard.defines,
      });
    }
    expect(board.metalness).toBe(0);
    expect(board.roughness).toBe(0.62);
    expect(board.defines).toHaveProperty(MESH_WORLD_UV);
    expect(boardSurface(modelled)).toEqual(boardSurface(drawn));
    // Hardware is the model's own.
    expect(prepared.get("box-handle")!.color.getHexString()).toBe(new THREE.Color().setRGB(0.12, 0.12, 0.13).getHexString());
  });

  it("leaves a slot with its own texture as the file has it", () => {
    const model = demoModel();
    const front = model.getObjectByName("box-front") as THREE.Mesh;
    const own = front.material as THREE.MeshStandardMaterial;
    own.map = new THREE.Texture();
    const board = surfaceMaterial(boardSurface(module("m", 600)), { meshes: true });
    const prepared = slots(prepareGlbScene(model, { width: 600, height: 720, depth: 560, board }));
    expect(prepared.get("box-front")!.map).toBe(own.map);
    expect(prepared.get("box-carcass")).toBe(board);
  });
});
