// The three-way check's refusal (SPEC §17) as the order page shows it: the client turns a 409
// problem's `mismatches` into readable rows, the panel lists them per line, and "Override with
// a note" resends the move with `override_check`.
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setApiForTesting } from "@/lib/api/client";
import type { CheckMismatchWire } from "@/lib/api/types";
import { checkMismatchesOf, toCheckMismatch } from "@/lib/api/views";
import { CheckMismatchPanel } from "@/components/orders/CheckMismatchPanel";
import { renderUi, useFakeApi } from "./render";

const modelTooWide: CheckMismatchWire = {
  line_item_id: "l1",
  position: 1,
  module_name: "Base 600",
  pair: "model_dimensions",
  kind: "extent",
  axis: "width",
  panel: null,
  model_mm: 600,
  dimensions_mm: 590,
  cut_list_mm: null,
  difference_mm: 10,
  message: "width: the model 600 mm, the dimensions 590 mm (10 mm apart)",
};

const shelfMissing: CheckMismatchWire = {
  line_item_id: "l2",
  position: 2,
  module_name: "Wall 400",
  pair: "dimensions_cut_list",
  kind: "missing_panel",
  axis: null,
  panel: "shelf",
  model_mm: null,
  dimensions_mm: null,
  cut_list_mm: null,
  difference_mm: null,
  message: "the cut list has no shelf panel, which the dimensions make",
};

const refusal = {
  type: "https://paform.dev/problems/conflict",
  title: "Conflict",
  status: 409,
  detail: "the three-way check before production found 2 mismatches on 2 lines",
  mismatches: [modelTooWide, shelfMissing],
};

afterEach(() => setApiForTesting(null));

describe("the three-way check on the order page", () => {
  it("names the line, the module, the axis, both measures and how far apart they are", () => {
    expect(toCheckMismatch(modelTooWide)).toMatchObject({
      position: 1,
      moduleName: "Base 600",
      axis: "Width",
      what: "model 600 mm · dimensions 590 mm",
      apart: "10 mm apart",
    });
    expect(toCheckMismatch({ ...modelTooWide, pair: "dimensions_cut_list", panel: "back", model_mm: null, cut_list_mm: 601.5, dimensions_mm: 600, difference_mm: 1.5 }).what).toBe(
      "dimensions 600 mm · cut list (back) 601.5 mm",
    );
    expect(toCheckMismatch(shelfMissing)).toMatchObject({ axis: null, apart: null, what: shelfMissing.message });
  });

  it("reads the mismatches of a refused move and resends it with the override note", async () => {
    let attempts = 0;
    const { api, requests } = useFakeApi({
      "POST /api/orders/o1/transitions": () => {
        attempts += 1;
        return attempts === 1 ? { status: 409, body: refusal } : { status: 403, body: { title: "Forbidden", status: 403, detail: "only an admin may override" } };
      },
    });
    const refused = await api
      .transitionOrder("o1", { to: "production_ready", actor: { id: "u", name: "Ann", role: "admin" } })
      .catch((error: unknown) => error);
    expect(checkMismatchesOf(refused)).toHaveLength(2);
    expect(requests[0].body).not.toHaveProperty("override_check");

    const overridden = await api
      .transitionOrder("o1", { to: "production_ready", actor: { id: "u", name: "Ann", role: "admin" }, overrideNote: "cut from the drawing" })
      .catch((error: unknown) => error);
    expect(requests[1].body).toMatchObject({ override_check: { note: "cut from the drawing" } });
    expect(checkMismatchesOf(overridden)).toEqual([]);
  });

  it("lists every mismatch and overrides only with a note", async () => {
    const onOverride = vi.fn();
    renderUi(
      <CheckMismatchPanel mismatches={refusal.mismatches.map(toCheckMismatch)} detail={refusal.detail} onOverride={onOverride} />,
    );
    const rows = within(screen.getByRole("list")).getAllByRole("listitem");
    expect(rows.map((row) => row.textContent)).toEqual([
      "Line 1 · Base 600: Width — model 600 mm · dimensions 590 mm (10 mm apart)",
      "Line 2 · Wall 400: the cut list has no shelf panel, which the dimensions make",
    ]);
    const button = screen.getByRole("button", { name: "Override with a note" });
    expect(button).toBeDisabled();
    await userEvent.type(screen.getByLabelText(/Override note/), "  cut from the 590 mm drawing ");
    await userEvent.click(button);
    expect(onOverride).toHaveBeenCalledWith("cut from the 590 mm drawing");
  });
});
