import { describe, expect, it, vi } from "vitest";
import { ApiError } from "@/lib/api/problem";
import { createDesktopNative, exportProgressOf, type ExportStep } from "@/lib/native";

const noListen = async () => () => {};

describe("desktop native powers", () => {
  it("saves text through save_export as base64 and reports where it landed", async () => {
    const invoke = vi.fn().mockResolvedValue({ path: "/home/shop/cut-list.csv", bytes: 3 });
    const saved = await createDesktopNative(invoke, noListen).saveFile({ suggestedName: "cut-list.csv", kind: "cut_list_csv", bytes: "a,b" });
    expect(invoke).toHaveBeenCalledWith("save_export", { kind: "cut_list_csv", filename: "cut-list.csv", bytes_base64: "YSxi" });
    expect(saved).toEqual({ saved: true, path: "/home/shop/cut-list.csv" });
  });

  it("treats a cancelled dialog as not saved", async () => {
    const invoke = vi.fn().mockResolvedValue({ path: null, bytes: 0 });
    expect(await createDesktopNative(invoke, noListen).saveFile({ suggestedName: "a.pdf", bytes: new Uint8Array([1]) })).toEqual({ saved: false, path: null });
  });

  it("turns a refused command into the same ApiError as the HTTP API", async () => {
    const invoke = vi.fn().mockRejectedValue({ status: 409, title: "Conflict", detail: "needs a device token" });
    const failed = await createDesktopNative(invoke, noListen).lanStart("0.0.0.0:8000").catch((error) => error);
    expect(failed).toBeInstanceOf(ApiError);
    expect(failed.status).toBe(409);
    expect(failed.detail).toBe("needs a device token");
  });

  it("maps the LAN status and reports export steps while the export runs", async () => {
    const steps: ExportStep[] = [];
    let handler: ((step: ExportStep) => void) | undefined;
    const unlisten = vi.fn();
    const listen = vi.fn(async (_event: string, on: (step: ExportStep) => void) => {
      handler = on as (step: ExportStep) => void;
      return unlisten;
    });
    const invoke = vi.fn(async (command: string) => {
      if (command === "lan_server_status") return { running: true, address: "0.0.0.0:8000", urls: ["http://10.0.0.2:8000/"], require_token: true, has_device_tokens: true };
      handler?.({ step: "panelize", panels: 4, materials: 1 });
      return { export_id: "x", artifacts: [], summary: { panels: 4, sheets: 1, utilization: 0.5 } };
    });
    const desktop = createDesktopNative(invoke as never, listen as never);
    expect(await desktop.lanStatus()).toEqual({ running: true, address: "0.0.0.0:8000", urls: ["http://10.0.0.2:8000/"], requireToken: true, hasDeviceTokens: true });
    const exported = await desktop.exportCnc({ items: [] }, (step) => steps.push(step));
    expect(exported.export_id).toBe("x");
    expect(listen).toHaveBeenCalledWith("cnc-export-progress", expect.any(Function));
    expect(steps).toEqual([{ step: "panelize", panels: 4, materials: 1 }]);
    expect(unlisten).toHaveBeenCalled();
  });

  it("fills the progress bar step by step", () => {
    expect(exportProgressOf({ step: "panelize", panels: 4, materials: 2 }).percent).toBe(10);
    expect(exportProgressOf({ step: "nest", material_id: "m", material_name: "Oak", index: 2, total: 2 })).toEqual({ percent: 40, label: "Nesting Oak (2 of 2)" });
    expect(exportProgressOf({ step: "upload", key: "k", index: 3, total: 3 }).percent).toBe(95);
    expect(exportProgressOf({ step: "done", sheets: 2 }).percent).toBe(100);
  });
});
