// The live event stream (SPEC §12): every committed change on the server, as it happens.
// Over HTTP a Server-Sent Events stream on `/api/events`; the desktop shell has no HTTP
// stream, so there (and wherever `EventSource` is missing) it polls: a `"reset"` every few
// seconds, which tells listeners to read everything again.
import { readDeviceToken } from "./http";
import type { Transport } from "./transport";
import type { EventsTokenWire, LiveEventWire } from "./types";

export type LiveEventListener = (event: LiveEventWire | "reset") => void;

/** How often the desktop shell refetches in place of live events, and how long a failed stream waits. */
export const POLL_MS = 5_000;
const EVENT_KINDS = ["order", "part", "job", "catalog", "offcut"] as const;

/** Hears every committed change until the returned unsubscribe is called. `fetchToken` gets a
 * short-lived stream token for a paired device (an `EventSource` cannot send the bearer header). */
export function subscribeLiveEvents(
  transport: Transport["kind"],
  listener: LiveEventListener,
  fetchToken: () => Promise<EventsTokenWire>,
): () => void {
  if (transport === "tauri" || typeof EventSource === "undefined") {
    const timer = setInterval(() => listener("reset"), POLL_MS);
    return () => clearInterval(timer);
  }
  return openEventStream(listener, fetchToken);
}

/** A browser `EventSource` on `/api/events`. A paired device first fetches a 60 s signed token;
 * the browser reconnects by itself and sends `Last-Event-ID`, and a fresh token is fetched
 * whenever the stream fails. */
function openEventStream(listener: LiveEventListener, fetchToken: () => Promise<EventsTokenWire>): () => void {
  let source: EventSource | null = null;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const open = async () => {
    let url = "/api/events";
    if (readDeviceToken()) {
      try {
        url += `?token=${encodeURIComponent((await fetchToken()).token)}`;
      } catch {
        retry = setTimeout(() => void open(), POLL_MS);
        return;
      }
    }
    if (closed) return;
    source = new EventSource(url);
    for (const kind of EVENT_KINDS) {
      source.addEventListener(kind, (message) => {
        try {
          listener(JSON.parse((message as MessageEvent<string>).data) as LiveEventWire);
        } catch {
          listener("reset");
        }
      });
    }
    source.addEventListener("reset", () => listener("reset"));
    source.onerror = () => {
      // A closed stream (token expired, server restarted) is reopened with a fresh token;
      // what was missed meanwhile is refetched.
      if (source?.readyState === EventSource.CLOSED) {
        source = null;
        listener("reset");
        retry = setTimeout(() => void open(), POLL_MS);
      }
    };
  };
  void open();
  return () => {
    closed = true;
    clearTimeout(retry);
    source?.close();
  };
}
