// The desktop shell's native powers, with browser fallbacks, behind one interface. Whether
// the page runs in the desktop app is decided once, by the API client's transport choice
// (`pickTransport`): screens ask `native()` and never look for Tauri themselves.
//
// Desktop: files save through the native save dialog (`save_export`; tests bypass the dialog
// with PAFORM_DESKTOP_SAVE_DIR), `openFolder` shows a saved file's folder, `pickFile` opens
// the native picker (`pick_asset_file`), CNC exports run through `cnc_export` and report
// each step as a `cnc-export-progress` event, and the local-network server starts and stops.
// Browser: saving is a download, picking is a file input, exports are one HTTP call without
// steps, and there is no local-network server to control.
import { api } from "./api/client";
import { ApiError, toProblem, TransportError } from "./api/problem";
import { base64ToBytes, bytesToBase64 } from "./api/tauri";
import type { CncExportRequest, CncExportResponse } from "./api/types";

export interface SaveRequest {
  suggestedName: string;
  /** What is saved (`cut_list_csv`, `nesting_svg`, `pdf`, …): the dialog's filter label. */
  kind?: string;
  contentType?: string;
  bytes: Uint8Array | string;
}

/** `path` is where the desktop saved the file; null when the user cancelled the dialog, or in
 * a browser, where the download location is the browser's business. */
export interface SaveResult {
  saved: boolean;
  path: string | null;
}

export interface PickedFile {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

/** One step of a CNC export, as the shell reports it (`paform_app::dto::ExportProgress`). */
export type ExportStep =
  | { step: "panelize"; panels: number; materials: number }
  | { step: "nest"; material_id: string; material_name: string; index: number; total: number }
  | { step: "render"; artifacts: number }
  | { step: "upload"; key: string; index: number; total: number }
  | { step: "done"; sheets: number };

export interface LanStatus {
  running: boolean;
  address: string | null;
  /** Where devices reach it; the first is the one to give a tablet. */
  urls: string[];
  requireToken: boolean;
  hasDeviceTokens: boolean;
}

export interface Native {
  readonly desktop: boolean;
  saveFile(request: SaveRequest): Promise<SaveResult>;
  /** The desktop's folder of a saved file, in the file manager. */
  openFolder(path: string): Promise<void>;
  /** `accept`: extensions without dots (a browser filter; the desktop filters design assets). */
  pickFile(accept: string[]): Promise<PickedFile | null>;
  exportCnc(request: CncExportRequest, onStep: (step: ExportStep) => void): Promise<CncExportResponse>;
  lanStatus(): Promise<LanStatus>;
  /** Starts the desktop app again (a restore chosen in Settings applies at start). */
  restart(): Promise<void>;
  lanStart(bind: string): Promise<LanStatus>;
  lanStop(): Promise<LanStatus>;
}

/** How far an export is (0–100) and what it does now, for the progress bar. */
export function exportProgressOf(step: ExportStep): { percent: number; label: string } {
  switch (step.step) {
    case "panelize":
      return { percent: 10, label: `${step.panels} panels in ${step.materials} materials` };
    case "nest":
      return {
        percent: 10 + Math.round((60 * (step.index - 1)) / Math.max(step.total, 1)),
        label: `Nesting ${step.material_name} (${step.index} of ${step.total})`,
      };
    case "render":
      return { percent: 75, label: `Drawing ${step.artifacts} files` };
    case "upload":
      return {
        percent: 75 + Math.round((20 * step.index) / Math.max(step.total, 1)),
        label: `Storing file ${step.index} of ${step.total}`,
      };
    case "done":
      return { percent: 100, label: `Done: ${step.sheets} sheets` };
  }
}

type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;
type Listen = <T>(event: string, handler: (payload: T) => void) => Promise<() => void>;

interface LanStatusWire {
  running: boolean;
  address?: string | null;
  urls?: string[];
  require_token: boolean;
  has_device_tokens: boolean;
}

function toLanStatus(wire: LanStatusWire): LanStatus {
  return {
    running: wire.running,
    address: wire.address ?? null,
    urls: wire.urls ?? [],
    requireToken: wire.require_token,
    hasDeviceTokens: wire.has_device_tokens,
  };
}

function toBytes(content: Uint8Array | string): Uint8Array {
  return typeof content === "string" ? new TextEncoder().encode(content) : content;
}

/** A failed command rejects with the HTTP API's problem object: the same `ApiError`. */
async function command<T>(invoke: Invoke, name: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(name, args);
  } catch (cause) {
    const status = (cause as { status?: unknown } | null)?.status;
    if (typeof status === "number") throw new ApiError(status, toProblem(status, cause));
    throw new TransportError(`the desktop command ${name} failed: ${String(cause)}`, { cause });
  }
}

export function createDesktopNative(invoke: Invoke, listen: Listen): Native {
  return {
    desktop: true,
    async saveFile(request) {
      const saved = await command<{ path: string | null }>(invoke, "save_export", {
        kind: request.kind ?? "export",
        filename: request.suggestedName,
        bytes_base64: bytesToBase64(toBytes(request.bytes)),
      });
      return { saved: saved.path !== null, path: saved.path };
    },
    openFolder: (path) => command<void>(invoke, "open_folder", { path }),
    async pickFile() {
      const picked = await command<{ filename: string; content_type: string; bytes_base64: string } | null>(
        invoke,
        "pick_asset_file",
      );
      if (!picked) return null;
      return { filename: picked.filename, contentType: picked.content_type, bytes: base64ToBytes(picked.bytes_base64) };
    },
    async exportCnc(request, onStep) {
      const unlisten = await listen<ExportStep>("cnc-export-progress", onStep);
      try {
        return await command<CncExportResponse>(invoke, "cnc_export", { request });
      } finally {
        unlisten();
      }
    },
    lanStatus: () => command<LanStatusWire>(invoke, "lan_server_status").then(toLanStatus),
    lanStart: (bind) => command<LanStatusWire>(invoke, "lan_server_start", { bind }).then(toLanStatus),
    lanStop: () => command<LanStatusWire>(invoke, "lan_server_stop").then(toLanStatus),
    restart: () => command<void>(invoke, "restart"),
  };
}

const noLanServer = () =>
  Promise.reject(new ApiError(404, { title: "Not available", status: 404, detail: "only the desktop app runs a local-network server" }));

export const browserNative: Native = {
  desktop: false,
  async saveFile(request) {
    const blob = new Blob([toBytes(request.bytes) as BlobPart], { type: request.contentType ?? "application/octet-stream" });
    const url = URL.createObjectURL(blob);
    const anchor = document.createElement("a");
    anchor.href = url;
    anchor.download = request.suggestedName;
    anchor.click();
    setTimeout(() => URL.revokeObjectURL(url), 5_000);
    return { saved: true, path: null };
  },
  openFolder: () => Promise.resolve(),
  pickFile(accept) {
    return new Promise((resolve) => {
      const input = document.createElement("input");
      input.type = "file";
      input.accept = accept.map((extension) => `.${extension}`).join(",");
      input.addEventListener("change", async () => {
        const file = input.files?.[0];
        if (!file) return resolve(null);
        resolve({ filename: file.name, contentType: file.type, bytes: new Uint8Array(await file.arrayBuffer()) });
      });
      input.addEventListener("cancel", () => resolve(null));
      input.click();
    });
  },
  exportCnc: (request) => api().exportCnc(request),
  lanStatus: noLanServer,
  lanStart: noLanServer,
  lanStop: noLanServer,
  restart: () =>
    Promise.reject(new ApiError(404, { title: "Not available", status: 404, detail: "the server restarts where it runs (`paform serve`)" })),
};

async function tauriInvoke<T>(name: string, args?: Record<string, unknown>): Promise<T> {
  const core = await import("@tauri-apps/api/core");
  return core.invoke<T>(name, args);
}

async function tauriListen<T>(name: string, handler: (payload: T) => void): Promise<() => void> {
  const event = await import("@tauri-apps/api/event");
  return event.listen<T>(name, (message) => handler(message.payload));
}

let shared: Native | null = null;

/** The page's native powers: the desktop's when the API client talks to the desktop shell. */
export function native(): Native {
  if (!shared) shared = api().transport === "tauri" ? createDesktopNative(tauriInvoke, tauriListen) : browserNative;
  return shared;
}

/** Tests swap in their own. */
export function setNativeForTesting(value: Native | null): void {
  shared = value;
}
