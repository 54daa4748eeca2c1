// The shared design as the configurator's scene draws it: the same view models
// (`sceneModuleOf`), the same colours, so the phone shows what the showroom's screen showed.
import { sceneModuleOf, type SceneModule } from "@/components/scene/layout";
import type { SharedView } from "@/lib/api/views";
import { materialColor } from "@/lib/materialColor";

export function sharedSceneModules(view: SharedView): SceneModule[] {
  const modules = new Map(view.modules.map((module) => [module.id, module]));
  const materials = new Map(view.materials.map((material) => [material.id, material]));
  return view.items.flatMap((item, index) => {
    const module = modules.get(item.moduleId);
    if (!module) return [];
    const material = materials.get(item.materialId);
    return [sceneModuleOf(`item-${index + 1}`, module, material, materialColor(material?.name), false)];
  });
}

/** The page's heading: the design's name, or "Quote Q-000123". */
export function sharedTitle(view: SharedView): string {
  if (view.scope === "quote") return view.quote?.number ? `Quote ${view.quote.number}` : view.name;
  return view.name.trim() || "Your design";
}
