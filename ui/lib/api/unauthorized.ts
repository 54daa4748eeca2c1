// The listener bus for refused calls: every 401, from any call over either transport,
// notifies the listeners here (the pairing dialog). It keeps nothing but the listeners.

type UnauthorizedListener = () => void;
const listeners = new Set<UnauthorizedListener>();

/** The pairing dialog subscribes here; every 401 from any call notifies it. Returns the unsubscribe. */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Called by the client once for each 401 answer. */
export function notifyUnauthorized(): void {
  listeners.forEach((listener) => listener());
}
