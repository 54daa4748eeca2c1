import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { StatusTimeline } from "@/components/orders/StatusTimeline";
import type { OrderEvent } from "@/lib/api/views";
import { renderUi } from "./render";

const alice = { id: "u1", name: "Alice Chen", role: "sales" };
const moved = (seq: number, from: OrderEvent["from"], to: OrderEvent["to"], note: string | null, at: string): OrderEvent => ({
  seq,
  kind: "status_changed",
  from,
  to,
  actor: alice,
  note,
  amount: null,
  priceDelta: null,
  detail: null,
  data: {},
  at,
  hash: `h${seq}`,
});
const events: OrderEvent[] = [moved(1, "draft", "pending_payment", "deposit requested", "2026-03-01T10:00:00Z")];

describe("StatusTimeline", () => {
  it("shows who moved the order and when", () => {
    renderUi(<StatusTimeline status="pending_payment" events={events} allowedNext={["design_review", "cancelled"]} />);
    const step = screen.getByTestId("step-pending_payment");
    expect(step).toHaveAttribute("aria-current", "step");
    expect(within(step).getByText(/Alice Chen \(sales\)/)).toBeInTheDocument();
    expect(within(step).getByText(/deposit requested/)).toBeInTheDocument();
    expect(within(step).getByText(/2026/)).toHaveAttribute("datetime", "2026-03-01T10:00:00Z");
    expect(screen.getByTestId("step-draft")).toHaveAttribute("data-state", "done");
    expect(screen.getByTestId("step-fulfilled")).toHaveAttribute("data-state", "upcoming");
  });

  it("offers only the allowed next steps, forward first", async () => {
    const onTransition = vi.fn();
    renderUi(
      <StatusTimeline
        status="pending_payment"
        events={events}
        allowedNext={["design_review", "cancelled"]}
        onTransition={onTransition}
      />,
    );
    const buttons = screen.getAllByRole("button").map((button) => button.textContent);
    expect(buttons).toEqual(["Move to Design review", "Cancel order"]);
    expect(screen.queryByRole("button", { name: /production ready/i })).toBeNull();
    await userEvent.type(screen.getByLabelText(/note/i), "paid by card");
    await userEvent.click(screen.getByRole("button", { name: "Move to Design review" }));
    expect(onTransition).toHaveBeenCalledWith("design_review", "paid by card");
  });

  it("offers nothing for a final status", () => {
    renderUi(<StatusTimeline status="fulfilled" events={[]} allowedNext={[]} onTransition={vi.fn()} />);
    expect(screen.queryAllByRole("button")).toHaveLength(0);
    expect(screen.getByText(/no further steps/i)).toBeInTheDocument();
  });

  it("marks a cancelled order after the status it was cancelled from", () => {
    const cancelled: OrderEvent[] = [...events, moved(2, "pending_payment", "cancelled", null, "2026-03-02T10:00:00Z")];
    renderUi(<StatusTimeline status="cancelled" events={cancelled} allowedNext={[]} />);
    expect(screen.getByTestId("step-cancelled")).toHaveAttribute("aria-current", "step");
    expect(screen.getByTestId("step-pending_payment")).toHaveAttribute("data-state", "done");
    expect(screen.getByTestId("step-design_review")).toHaveAttribute("data-state", "skipped");
  });

  it("lists the other events of the trail under the status they happened in", () => {
    const trail: OrderEvent[] = [
      { ...moved(1, null, null, null, "2026-03-01T09:00:00Z"), kind: "change_confirmed", priceDelta: "-12.30", actor: null },
      ...events,
      {
        ...moved(2, null, null, null, "2026-03-01T11:00:00Z"),
        kind: "transaction_recorded",
        amount: "100.00",
        detail: "capture · succeeded",
      },
    ];
    renderUi(<StatusTimeline status="pending_payment" events={trail} allowedNext={[]} currency="USD" />);
    const draft = within(screen.getByTestId("step-draft"));
    expect(draft.getByText("Change confirmed")).toBeInTheDocument();
    expect(draft.getByText(/-\$12\.30/)).toBeInTheDocument();
    expect(draft.getByText(/system/)).toBeInTheDocument();
    const pending = within(screen.getByTestId("step-pending_payment"));
    expect(pending.getByText("Transaction recorded")).toBeInTheDocument();
    expect(pending.getByText(/capture · succeeded/)).toBeInTheDocument();
    expect(pending.getByText(/\$100\.00/)).toBeInTheDocument();
    // The change event is no status change: the draft step still counts as created from the quote.
    expect(screen.getByTestId("step-pending_payment")).toHaveAttribute("aria-current", "step");
  });

  it("shows the server's verdict on the hash chain", () => {
    const { unmount } = renderUi(
      <StatusTimeline status="draft" events={[]} allowedNext={[]} audit={{ orders: 1, events: 3, ok: true, broken: [] }} />,
    );
    expect(screen.getByTestId("audit-status")).toHaveTextContent("Audit trail verified ✓");
    unmount();
    renderUi(
      <StatusTimeline
        status="draft"
        events={[]}
        allowedNext={[]}
        audit={{ orders: 1, events: 3, ok: false, broken: [{ orderId: "o1", seq: 3 }, { orderId: "o1", seq: 2 }] }}
      />,
    );
    const verdict = screen.getByTestId("audit-status");
    expect(verdict).toHaveTextContent("Audit trail BROKEN at seq 2");
    expect(verdict).toHaveAttribute("role", "alert");
  });
});
