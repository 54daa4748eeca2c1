// The UI must never reach the internet at run time (no CDN, no remote textures).
// Asset URLs from the catalog are used only when they stay on this machine's origin.

export function isLocalAssetUrl(url: string | null | undefined, origin?: string): boolean {
  if (!url) return false;
  const trimmed = url.trim();
  if (trimmed.startsWith("data:") || trimmed.startsWith("blob:")) return true;
  if (trimmed.startsWith("//")) return false;
  if (trimmed.startsWith("/") || trimmed.startsWith("./") || trimmed.startsWith("../")) return true;
  const here = origin ?? (typeof window === "undefined" ? undefined : window.location.origin);
  try {
    const parsed = new URL(trimmed);
    return here !== undefined && parsed.origin === here;
  } catch {
    return false;
  }
}
