// "Share with customer" (SPEC §17): the button makes the share through the one API client and
// shows its link as a QR code, or, when no phone could reach the server, says so instead.
import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ShareWithCustomer } from "@/components/share/ShareWithCustomer";
import { setApiForTesting } from "@/lib/api/client";
import type { ShareWire } from "@/lib/api/types";
import { renderUi, useFakeApi } from "./render";

function share(overrides: Partial<ShareWire>): ShareWire {
  const token = "d.d1.1765200000.ab";
  return {
    token,
    url_path: `/share/?token=${token}`,
    url: `http://192.168.1.20:8000/share/?token=${token}`,
    urls: [`http://192.168.1.20:8000/share/?token=${token}`],
    reachable_from_network: true,
    scope: "design",
    id: "d1",
    expires_at: "2026-12-08T17:00:00Z",
    ...overrides,
  };
}

// No 3D view here: without this, sharing waits seconds for one to mount before it shows the
// link. A mounted scene with no GLB to give stores nothing, as no scene would.
vi.mock("@/components/scene/exportGlb", () => ({ registeredScene: () => true, exportWhenReady: async () => null }));

afterEach(() => setApiForTesting(null));

describe("ShareWithCustomer", () => {
  it("shows the link as a QR code with its expiry", async () => {
    const { requests } = useFakeApi({ "POST /api/designs/d1/share": { status: 201, body: share({}) } });
    renderUi(<ShareWithCustomer scope="design" id="d1" />);
    await userEvent.click(screen.getByRole("button", { name: "Share with customer" }));
    expect(await screen.findByAltText("QR code for http://192.168.1.20:8000/share/?token=d.d1.1765200000.ab")).toBeInTheDocument();
    expect(screen.getByText(/Works until/)).toBeInTheDocument();
    expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual(["POST /api/designs/d1/share"]);
  });

  it("says no phone can open it when the server listens only on this computer", async () => {
    useFakeApi({
      "POST /api/quotes/q1/share": {
        status: 201,
        body: share({ scope: "quote", id: "q1", url: "http://127.0.0.1:8000/share/?token=x", reachable_from_network: false }),
      },
    });
    renderUi(<ShareWithCustomer scope="quote" id="q1" />);
    await userEvent.click(screen.getByRole("button", { name: "Share with customer" }));
    expect(await screen.findByTestId("share-not-on-network")).toHaveTextContent("127.0.0.1:8000");
    expect(screen.queryByRole("img")).toBeNull();
  });

  it("is disabled until there is something saved to share", () => {
    useFakeApi({});
    renderUi(<ShareWithCustomer scope="design" id={null} disabledReason="Save the design first" />);
    expect(screen.getByRole("button", { name: "Share with customer" })).toBeDisabled();
  });
});
