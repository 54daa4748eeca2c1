"use client";
// Live updates (SPEC §12): one connection to the server's event stream per page, shared by
// every component that listens. Each event invalidates the TanStack Query keys it touches;
// components that keep server state outside TanStack Query pass `onEvent` to reload.
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { api } from "@/lib/api/client";
import type { LiveEventWire } from "@/lib/api/types";

export type LiveEvent = LiveEventWire | "reset";
type Listener = (event: LiveEvent) => void;

const listeners = new Set<Listener>();
let unsubscribe: (() => void) | null = null;

function dispatch(event: LiveEvent) {
  listeners.forEach((listener) => listener(event));
}

/** The query keys an event makes stale; `null`: all of them. */
export function staleKeys(event: LiveEvent): string[][] | null {
  if (event === "reset") return null;
  switch (event.kind) {
    case "order":
      return [["orders"], ["order", event.subject], ["production", event.subject]];
    case "part":
      return [["production", event.subject.split("/")[0] ?? ""]];
    case "job":
      return [["jobs"]];
    case "catalog":
      // The catalog screen and the configurator keep the catalog under ["catalog", …].
      return [["catalog"], ["materials"], ["modules"], ["stock", event.subject]];
    case "offcut":
      return [["offcuts"]];
    default:
      return null;
  }
}

function invalidate(client: QueryClient, event: LiveEvent) {
  const keys = staleKeys(event);
  if (keys === null) void client.invalidateQueries();
  else for (const queryKey of keys) void client.invalidateQueries({ queryKey });
}

/** Keeps this page's queries fresh from the event stream while mounted; `onEvent` hears every event. */
export function useLiveEvents(onEvent?: Listener): void {
  const client = useQueryClient();
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const listener: Listener = (event) => {
      invalidate(client, event);
      handler.current?.(event);
    };
    listeners.add(listener);
    if (!unsubscribe) unsubscribe = api().subscribeEvents(dispatch);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && unsubscribe) {
        unsubscribe();
        unsubscribe = null;
      }
    };
  }, [client]);
}
