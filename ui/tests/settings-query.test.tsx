// The settings form through TanStack Query, against a fake transport: the stored settings
// load into the form, edits stay a draft until saved, "Saved." lasts until the next edit, and
// a refusal's field message stays while the user corrects the field.
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { setApiForTesting } from "@/lib/api/client";
import { SettingsScreen } from "@/components/settings/SettingsScreen";
import { renderUi, useFakeApi } from "./render";

/** A whole screen renders every section; a loaded 2-core machine needs more than the default 5 s. */
const SCREEN_TIMEOUT_MS = 20_000;

afterEach(() => setApiForTesting(null));

describe("the settings screen", () => {
  it("loads, saves a draft and says so until the next edit", async () => {
    let stored = { currency: "USD", tax_rate: "0.13", quote_validity_days: 30 };
    const { requests } = useFakeApi({
      "GET /api/settings": () => ({ status: 200, body: stored }),
      "PUT /api/settings": (request) => {
        const body = request.body as typeof stored;
        if (body.tax_rate === "abc")
          return { status: 422, body: { title: "Invalid", status: 422, errors: [{ field: "tax_rate", message: "not a rate" }] } };
        stored = { ...stored, tax_rate: body.tax_rate };
        return { status: 200, body: stored };
      },
    });
    renderUi(<SettingsScreen />);
    expect(screen.getByText("Loading settings…")).toBeInTheDocument();
    const taxRate = await screen.findByLabelText(/Tax rate/);
    expect(taxRate).toHaveValue("0.13");

    await userEvent.clear(taxRate);
    await userEvent.type(taxRate, "0.15");
    await userEvent.click(screen.getByRole("button", { name: "Save settings" }));
    expect(await screen.findByText("Saved.")).toBeInTheDocument();
    expect(requests.find((request) => request.method === "PUT")?.body).toMatchObject({ currency: "USD", tax_rate: "0.15" });
    expect(screen.getByLabelText(/Tax rate/)).toHaveValue("0.15");

    await userEvent.clear(screen.getByLabelText(/Tax rate/));
    expect(screen.queryByText("Saved.")).toBeNull();
    await userEvent.type(screen.getByLabelText(/Tax rate/), "abc");
    await userEvent.click(screen.getByRole("button", { name: "Save settings" }));
    expect(await screen.findByText("not a rate")).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText(/Tax rate/), "d");
    expect(screen.getByText("not a rate")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText(/Tax rate/)).toHaveValue("abcd"));
  }, SCREEN_TIMEOUT_MS);
});
