//! The configurator's picture: the mounted 3D canvas registers itself here, so code outside the
//! lazily loaded scene chunk (the design bar, the Snapshot button) can capture it as a PNG
//! without importing three.js. The canvas keeps its drawing buffer, so the last frame is read.

let canvas: HTMLCanvasElement | null = null;

export function registerSnapshotCanvas(element: HTMLCanvasElement | null): void {
  canvas = element;
}

/** The current 3D view as a PNG, or null when no scene is shown. */
export function captureSnapshot(): Promise<Blob | null> {
  const source = canvas;
  if (!source || !source.isConnected) return Promise.resolve(null);
  return new Promise((resolve) => source.toBlob((blob) => resolve(blob), "image/png"));
}

/** Saves a blob as a file through a temporary link (browser and Tauri webview alike). */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
