// Settings → Backups → Restore… (SPEC §17): choosing an archive asks first, then notes it for
// the next start; the notice says so and can be cancelled; a restore that failed at start
// says why.
import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { setApiForTesting } from "@/lib/api/client";
import type { BackupListWire, PendingRestoreWire } from "@/lib/api/types";
import { BackupsSection } from "@/components/settings/BackupsSection";
import { renderUi, useFakeApi } from "./render";

afterEach(() => setApiForTesting(null));

const FILE = "paform-backup-20261130T054012.345Z.tar.zst";

function list(pending: PendingRestoreWire | null): BackupListWire {
  return {
    folder: "/data/backups",
    interval_hours: 24,
    keep: 14,
    last_backup_at: "2026-11-30T05:40:12.345Z",
    overdue: false,
    backups: [{ file: FILE, created_at: "2026-11-30T05:40:12.345Z", size: 2048 }],
    pending_restore: pending,
  };
}

const pending: PendingRestoreWire = { file: FILE, backup_created_at: "2026-11-30T05:40:12.345Z", requested_at: "2026-12-01T09:00:00Z", error: null };

describe("restoring a backup from Settings", () => {
  it("asks before noting the archive for the next start, then offers to cancel", async () => {
    let noted: PendingRestoreWire | null = null;
    const { requests } = useFakeApi({
      "GET /api/backups": () => ({ status: 200, body: list(noted) }),
      "POST /api/backups/restore": () => {
        noted = pending;
        return { status: 202, body: pending };
      },
      "DELETE /api/backups/restore": () => {
        noted = null;
        return { status: 204, body: null };
      },
    });
    renderUi(<BackupsSection />);
    await userEvent.click(await screen.findByRole("button", { name: `Restore ${FILE}…` }));
    expect(screen.getByText("Replace all data with this backup at the next start?")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Restore at next start" }));
    const notice = await screen.findByTestId("pending-restore");
    expect(notice).toHaveTextContent("replaces all data when Paform next starts");
    expect(notice).toHaveTextContent("Restart the server (`paform serve`)");
    const post = requests.find((request) => request.method === "POST");
    expect(post?.body).toEqual({ file: FILE });
    await userEvent.click(screen.getByRole("button", { name: "Cancel the restore" }));
    await screen.findByRole("button", { name: `Restore ${FILE}…` });
    expect(screen.queryByTestId("pending-restore")).toBeNull();
    expect(requests.some((request) => request.method === "DELETE")).toBe(true);
  });

  it("says why a restore failed at the last start", async () => {
    useFakeApi({
      "GET /api/backups": { status: 200, body: list({ ...pending, error: "paform.redb is damaged: incomplete frame" }) },
    });
    renderUi(<BackupsSection />);
    const notice = await screen.findByTestId("pending-restore");
    expect(notice).toHaveAttribute("role", "alert");
    expect(notice).toHaveTextContent("failed at the last start, and the data was left as it was: paform.redb is damaged");
    expect(screen.getByRole("button", { name: "Dismiss" })).toBeInTheDocument();
  });
});
