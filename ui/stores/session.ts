// Who is at the screen and whether this device still needs pairing.
// Actions are a discriminated union handled by one reducer (STYLE rule 12).
import { create } from "zustand";
import type { Actor } from "@/lib/api/views";

const ACTOR_KEY = "paform.actor";

export type SessionAction =
  | { type: "pairing_required" }
  | { type: "pairing_closed" }
  | { type: "actor_changed"; actor: Actor };

interface SessionState {
  pairingOpen: boolean;
  actor: Actor;
  dispatch: (action: SessionAction) => void;
}

const DEFAULT_ACTOR: Actor = { id: "showroom", name: "Showroom staff", role: "sales" };

function loadActor(): Actor {
  try {
    const raw = globalThis.localStorage?.getItem(ACTOR_KEY);
    if (raw) {
      const parsed = JSON.parse(raw) as Partial<Actor>;
      if (parsed.id && parsed.name && parsed.role) return parsed as Actor;
    }
  } catch {
    // Fall back to the default actor.
  }
  return DEFAULT_ACTOR;
}

export function reduceSession(state: Pick<SessionState, "pairingOpen" | "actor">, action: SessionAction) {
  switch (action.type) {
    case "pairing_required":
      return { ...state, pairingOpen: true };
    case "pairing_closed":
      return { ...state, pairingOpen: false };
    case "actor_changed":
      return { ...state, actor: action.actor };
  }
}

export const useSession = create<SessionState>()((set, get) => ({
  pairingOpen: false,
  actor: typeof window === "undefined" ? DEFAULT_ACTOR : loadActor(),
  dispatch: (action) => {
    const next = reduceSession(get(), action);
    if (action.type === "actor_changed") {
      try {
        globalThis.localStorage?.setItem(ACTOR_KEY, JSON.stringify(action.actor));
      } catch {
        // Not persisted; it lasts for this page.
      }
    }
    set(next);
  },
}));
