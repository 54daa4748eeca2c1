// The configuration being sold: which modules, in which order (left to right in the room),
// how many of each and any material override. Actions are a discriminated union.
import { create } from "zustand";

export interface ConfigItem {
  /** Stable key of this placed module in the design (not the module id: a module can repeat). */
  key: string;
  moduleId: string;
  quantity: number;
  /** Overrides the module's own material when set. */
  materialId: string | null;
  /** Module options carried through unchanged from a saved design. */
  options?: Record<string, unknown> | null;
}

export type ConfiguratorAction =
  | { type: "module_added"; moduleId: string }
  | { type: "item_removed"; key: string }
  | { type: "quantity_changed"; key: string; quantity: number }
  | { type: "material_changed"; key: string; materialId: string | null }
  | { type: "item_moved"; key: string; direction: -1 | 1 }
  | { type: "item_selected"; key: string | null }
  | { type: "cleared" }
  | { type: "replaced"; items: Omit<ConfigItem, "key">[] };

export interface ConfiguratorState {
  items: ConfigItem[];
  selectedKey: string | null;
  nextKey: number;
}

export const initialConfigurator: ConfiguratorState = { items: [], selectedKey: null, nextKey: 1 };

export function reduceConfigurator(state: ConfiguratorState, action: ConfiguratorAction): ConfiguratorState {
  switch (action.type) {
    case "module_added": {
      const key = `item-${state.nextKey}`;
      return {
        items: [...state.items, { key, moduleId: action.moduleId, quantity: 1, materialId: null }],
        selectedKey: key,
        nextKey: state.nextKey + 1,
      };
    }
    case "item_removed": {
      const items = state.items.filter((item) => item.key !== action.key);
      return { ...state, items, selectedKey: state.selectedKey === action.key ? (items.at(-1)?.key ?? null) : state.selectedKey };
    }
    case "quantity_changed": {
      const quantity = Math.max(1, Math.min(999, Math.trunc(action.quantity) || 1));
      return { ...state, items: state.items.map((item) => (item.key === action.key ? { ...item, quantity } : item)) };
    }
    case "material_changed":
      return {
        ...state,
        items: state.items.map((item) => (item.key === action.key ? { ...item, materialId: action.materialId } : item)),
      };
    case "item_moved": {
      const index = state.items.findIndex((item) => item.key === action.key);
      const target = index + action.direction;
      if (index < 0 || target < 0 || target >= state.items.length) return state;
      const items = [...state.items];
      [items[index], items[target]] = [items[target], items[index]];
      return { ...state, items };
    }
    case "item_selected":
      return { ...state, selectedKey: action.key };
    case "cleared":
      return initialConfigurator;
    case "replaced": {
      // A loaded design gets fresh keys: keys only identify placements within this session.
      const items = action.items.map((item, index) => ({ ...item, key: `item-${state.nextKey + index}` }));
      return { items, selectedKey: null, nextKey: state.nextKey + items.length };
    }
  }
}

export const useConfigurator = create<ConfiguratorState & { dispatch: (action: ConfiguratorAction) => void }>()(
  (set, get) => ({
    ...initialConfigurator,
    dispatch: (action) => set(reduceConfigurator(get(), action)),
  }),
);
