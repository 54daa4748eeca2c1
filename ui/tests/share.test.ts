import * as THREE from "three";
import { describe, expect, it } from "vitest";
import { surfaceMaterial } from "@/components/scene/boardMaterial";
import { bakeInstance, FURNITURE_NAME, furnitureOf, LOADING_NAME, MODULE_GLB_NAME, worldUv } from "@/components/scene/exportGlb";
import { sharedSceneModules, sharedTitle } from "@/components/share/sharedScene";
import { isAndroid, modelSource } from "@/components/share/RoomView";
import { isCustomerPage } from "@/components/shell/AppShell";
import type { SharedViewWire } from "@/lib/api/types";
import { toSharedView, withShareToken } from "@/lib/api/views";

const TOKEN = "d.0190-ab.1765200000.9f00";

function wire(overrides: Partial<SharedViewWire> = {}): SharedViewWire {
  return {
    scope: "design",
    name: "Kitchen",
    items: [
      { module_id: "base", material_id: "oak", quantity: 2 },
      { module_id: "gone", material_id: "oak", quantity: 1 },
      { module_id: "wall", material_id: "walnut", quantity: 1 },
    ],
    modules: [
      {
        id: "base",
        name: "Base 600",
        dimensions: { width: 600, height: 720, depth: 560 },
        assembly_attributes: { doors: 2, glb_url: "/api/modules/base/model?v=abc" },
        placement_constraints: { mount: "floor", row: "kitchen" },
        connection_points: [],
      },
      {
        id: "wall",
        name: "Wall 600",
        dimensions: { width: 600, height: 700, depth: 320 },
        assembly_attributes: { doors: 1 },
        placement_constraints: { mount: "wall", row: "kitchen", elevation_mm: 1450 },
        connection_points: [],
      },
    ],
    materials: [
      { id: "oak", name: "Oak veneer", texture_url: "/api/media/0a1b.jpg", thickness_mm: 18 },
      { id: "walnut", name: "Walnut", texture_url: "https://cdn.example/walnut.jpg", thickness_mm: null },
    ],
    quote: null,
    expires_at: "2026-12-08T17:00:00Z",
    ...overrides,
  };
}

describe("share links", () => {
  it("add the share token to the server's asset URLs only", () => {
    expect(withShareToken("/api/modules/m/model?v=1", TOKEN)).toBe(`/api/modules/m/model?v=1&share=${TOKEN}`);
    expect(withShareToken("/api/media/a.jpg", TOKEN)).toBe(`/api/media/a.jpg?share=${TOKEN}`);
    expect(withShareToken("/api/media/a.jpg#x", "a b")).toBe("/api/media/a.jpg?share=a%20b#x");
    expect(withShareToken("/textures/oak.jpg", TOKEN)).toBe("/textures/oak.jpg");
    expect(withShareToken("https://cdn.example/a.jpg", TOKEN)).toBe("https://cdn.example/a.jpg");
    expect(withShareToken(null, TOKEN)).toBeNull();
  });

  it("map a shared view so the phone's requests carry the token", () => {
    const view = toSharedView(wire(), TOKEN);
    expect(view.modules[0].glbUrl).toBe(`/api/modules/base/model?v=abc&share=${TOKEN}`);
    expect(view.modules[1].glbUrl).toBeNull();
    expect(view.modules[1].placement).toEqual({ mount: "wall", row: "kitchen", elevationMm: 1450, gapMm: 0 });
    expect(view.materials[0].textureUrl).toBe(`/api/media/0a1b.jpg?share=${TOKEN}`);
    expect(view.materials[1].textureUrl).toBe("https://cdn.example/walnut.jpg");
    expect(view.items[0]).toEqual({ moduleId: "base", materialId: "oak", quantity: 2 });
    expect(view.quote).toBeNull();
  });

  it("draw the shared items as the configurator would, skipping modules that are gone", () => {
    const modules = sharedSceneModules(toSharedView(wire(), TOKEN));
    expect(modules.map((module) => module.name)).toEqual(["Base 600", "Wall 600"]);
    expect(modules[0]).toMatchObject({ doors: 2, materialName: "Oak veneer", thicknessMm: 18, selected: false });
    expect(new Set(modules.map((module) => module.key)).size).toBe(2);
  });

  it("title a quote by its number and keep its money as strings", () => {
    const view = toSharedView(
      wire({
        scope: "quote",
        name: "Q-000007",
        quote: {
          number: "Q-000007",
          currency: "EUR",
          lines: [{ module_name: "Base 600", material_name: "Oak", quantity: 2, unit_price: "120.10", line_total: "240.20" }],
          subtotal: "240.20",
          tax: "45.64",
          total: "285.84",
          expires_at: "2027-01-06T00:00:00Z",
        },
      }),
      TOKEN,
    );
    expect(sharedTitle(view)).toBe("Quote Q-000007");
    expect(view.quote?.total).toBe("285.84");
    expect(view.quote?.lines[0].lineTotal).toBe("240.20");
    expect(sharedTitle(toSharedView(wire({ name: "  " }), TOKEN))).toBe("Your design");
  });

  it("give Android's Scene Viewer the stored GLB's URL and every other device the scene's blob", () => {
    const android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36";
    const iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1";
    const stored = `/api/share/${TOKEN}/model.glb`;
    expect(isAndroid(android)).toBe(true);
    expect(isAndroid(iphone)).toBe(false);
    expect(modelSource("blob:x/1", stored, android, "http://192.168.1.20:8000")).toBe(`http://192.168.1.20:8000${stored}`);
    expect(modelSource("blob:x/1", stored, iphone, "http://192.168.1.20:8000")).toBe("blob:x/1");
    expect(modelSource("blob:x/1", null, android, "http://192.168.1.20:8000")).toBe("blob:x/1");
    expect(toSharedView(wire(), TOKEN).modelUrl).toBeNull();
    expect(toSharedView(wire({ model_url: stored }), TOKEN).modelUrl).toBe(stored);
  });

  it("are customer pages without the staff shell", () => {
    expect(isCustomerPage("/share/")).toBe(true);
    expect(isCustomerPage("/share")).toBe(true);
    expect(isCustomerPage("/shared-things/")).toBe(false);
    expect(isCustomerPage("/settings/")).toBe(false);
  });
});

describe("the GLB export", () => {
  it("lays textures out in world space like the view's shader", () => {
    const up = new THREE.Vector3(0, 1, 0);
    const side = new THREE.Vector3(-1, 0, 0);
    const front = new THREE.Vector3(0, 0, 1);
    const point = new THREE.Vector3(0.6, 1.2, 0.3);
    expect(worldUv(point, up)).toEqual([0.3 / 0.6, 0.6 / 0.6]);
    expect(worldUv(point, side)).toEqual([0.3 / 0.6, 1.2 / 0.6]);
    expect(worldUv(point, front)).toEqual([0.6 / 0.6, 1.2 / 0.6]);
  });

  it("turns a board instance into a box of its own size and place", () => {
    const unit = new THREE.BoxGeometry(1, 1, 1).translate(0.5, 0.5, 0.5);
    const matrix = new THREE.Matrix4().makeScale(0.6, 0.72, 0.018).setPosition(1, 0.1, 0.542);
    const box = bakeInstance(unit, matrix);
    box.computeBoundingBox();
    const bounds = box.boundingBox!;
    expect(bounds.min.toArray().map((v) => +v.toFixed(6))).toEqual([1, 0.1, 0.542]);
    expect(bounds.max.toArray().map((v) => +v.toFixed(6))).toEqual([1.6, 0.82, 0.56]);
    expect(box.getAttribute("uv").count).toBe(box.getAttribute("position").count);
  });

  it("exports the furniture only, instances as plain meshes, centred on the floor", () => {
    const scene = new THREE.Scene();
    scene.add(new THREE.Mesh(new THREE.PlaneGeometry(10, 10)));
    const furniture = new THREE.Group();
    furniture.name = FURNITURE_NAME;
    const unit = new THREE.BoxGeometry(1, 1, 1).translate(0.5, 0.5, 0.5);
    const boards = new THREE.InstancedMesh(unit, new THREE.MeshStandardMaterial(), 2);
    boards.setMatrixAt(0, new THREE.Matrix4().makeScale(0.6, 0.8, 0.5));
    boards.setMatrixAt(1, new THREE.Matrix4().makeScale(0.6, 0.8, 0.5).setPosition(0.6, 0, 0));
    furniture.add(boards);
    scene.add(furniture);
    const model = new THREE.Group();
    model.name = MODULE_GLB_NAME;
    model.position.set(1.2, 0, 0);
    const lod = new THREE.LOD();
    lod.addLevel(new THREE.Mesh(new THREE.BoxGeometry(0.6, 0.8, 0.5).translate(0.3, 0.4, 0.25)), 0);
    lod.addLevel(new THREE.Mesh(new THREE.BoxGeometry(0.6, 0.8, 0.5)), 6);
    model.add(lod);
    scene.add(model);

    const exported = furnitureOf(scene);
    const meshes: THREE.Mesh[] = [];
    exported.traverse((node) => {
      if ((node as THREE.Mesh).isMesh) meshes.push(node as THREE.Mesh);
    });
    // Two boards and the model's finest level; not the floor, not the coarser level.
    expect(meshes).toHaveLength(3);
    expect(meshes.some((mesh) => (mesh as THREE.InstancedMesh).isInstancedMesh)).toBe(false);
    const bounds = new THREE.Box3().setFromObject(exported);
    expect(+bounds.min.y.toFixed(6)).toBe(0);
    expect(+((bounds.min.x + bounds.max.x) / 2).toFixed(6)).toBe(0);
    expect(+(bounds.max.x - bounds.min.x).toFixed(6)).toBe(1.8);
    expect(LOADING_NAME).toBe("paform:loading");
  });

  it("gives a model's board-material meshes the view's world-space UVs, and no other mesh", () => {
    const scene = new THREE.Scene();
    const model = new THREE.Group();
    model.name = MODULE_GLB_NAME;
    model.position.set(1.2, 0.1, 0);
    const board = surfaceMaterial({ key: "oak", color: "#c49a6c", url: "/textures/wood.jpg", tinted: true, roughness: 0.62 }, { meshes: true });
    board.map = new THREE.Texture();
    board.map.repeat.set(1 / 0.6, 1 / 0.6);
    const door = new THREE.Mesh(new THREE.PlaneGeometry(0.6, 0.7).deleteAttribute("uv").translate(0.3, 0.35, 0.56), board);
    const handle = new THREE.Mesh(new THREE.BoxGeometry(0.01, 0.16, 0.03), new THREE.MeshStandardMaterial());
    model.add(door, handle);
    scene.add(model);

    const exported = furnitureOf(scene);
    const meshes: THREE.Mesh[] = [];
    exported.traverse((node) => {
      if ((node as THREE.Mesh).isMesh) meshes.push(node as THREE.Mesh);
    });
    const [exportedDoor, exportedHandle] = meshes;
    const uv = exportedDoor.geometry.getAttribute("uv");
    const position = exportedDoor.geometry.getAttribute("position");
    // A front faces +Z: (x, y) in the view's world, in texture repeats.
    for (let index = 0; index < uv.count; index += 1) {
      expect(uv.getX(index)).toBeCloseTo((position.getX(index) + 1.2) / 0.6, 5);
      expect(uv.getY(index)).toBeCloseTo((position.getY(index) + 0.1) / 0.6, 5);
    }
    const material = exportedDoor.material as THREE.MeshStandardMaterial;
    expect(material.map!.repeat.toArray()).toEqual([1, 1]);
    expect(material.color.getHexString()).toBe(board.color.getHexString());
    // The view's own objects are untouched.
    expect(door.geometry.getAttribute("uv")).toBeUndefined();
    expect(exportedHandle.geometry).toBe(handle.geometry);
  });
});
