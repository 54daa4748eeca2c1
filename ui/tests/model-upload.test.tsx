// The catalog editor's GLB upload (SPEC §17): a stored model shows what the check measured,
// a refused one lists every rule it breaks, and the module's glb_url follows the stored model.
import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setApiForTesting } from "@/lib/api/client";
import { ModelUpload } from "@/components/catalog/ModelUpload";
import { renderUi, useFakeApi } from "./render";

afterEach(() => setApiForTesting(null));

/** jsdom's File has no `arrayBuffer`, which every browser has. */
function glb(): File {
  const bytes = new Uint8Array([0x67, 0x6c, 0x54, 0x46]);
  const file = new File([bytes], "base.glb", { type: "model/gltf-binary" });
  Object.defineProperty(file, "arrayBuffer", { value: async () => bytes.buffer });
  return file;
}

function show(onStored = vi.fn()) {
  renderUi(<ModelUpload moduleId="m1" dimensions={{ width: 600, height: 720, depth: 560 }} onStored={onStored} />);
  return onStored;
}

describe("ModelUpload", () => {
  it("uploads the GLB and shows what the check measured", async () => {
    const { requests } = useFakeApi({
      "PUT /api/modules/m1/model": () => ({
        status: 201,
        body: { module_id: "m1", glb_url: "/api/modules/m1/model?v=abc", size_bytes: 40960, sha256: "ab", draco: true, bounding_box_mm: { width: 600, height: 720, depth: 560 }, triangles: [1200, 300], violations: [] },
      }),
    });
    const onStored = show();
    await userEvent.upload(screen.getByLabelText("Upload GLB…"), glb());
    const report = await screen.findByTestId("model-report");
    expect(report).toHaveTextContent("Model stored");
    expect(report).toHaveTextContent("40 KiB, Draco-compressed");
    expect(report).toHaveTextContent("bounding box 600 × 720 × 560 mm");
    expect(report).toHaveTextContent("1,200 / 300");
    expect(onStored).toHaveBeenCalledWith("/api/modules/m1/model?v=abc");
    expect(requests[0].method).toBe("PUT");
  });

  it("lists every rule a refused model breaks and keeps the old model", async () => {
    useFakeApi({
      "PUT /api/modules/m1/model": () => ({
        status: 422,
        body: { title: "Invalid input", status: 422, errors: [
          { field: "bounding-box", message: "width is 590 mm, the module 600 mm" },
          { field: "node-name", message: "the root node must be named module" },
        ] },
      }),
    });
    const onStored = show();
    await userEvent.upload(screen.getByLabelText("Upload GLB…"), glb());
    const violations = await screen.findByTestId("model-violations");
    expect(violations).toHaveTextContent("breaks 2 rules");
    expect(violations).toHaveTextContent("bounding-box: width is 590 mm, the module 600 mm");
    expect(violations).toHaveTextContent("node-name: the root node must be named module");
    expect(onStored).not.toHaveBeenCalled();
  });
});

describe("millimetres", () => {
  it("rounds a model's measure to a tenth of a millimetre", async () => {
    const { millimetres } = await import("@/components/catalog/ModelUpload");
    expect(millimetres(600.0000163912773)).toBe("600");
    expect(millimetres(719.96)).toBe("720");
    expect(millimetres(559.94)).toBe("559.9");
  });
});
