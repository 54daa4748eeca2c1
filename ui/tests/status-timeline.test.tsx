import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { StatusTimeline } from "@/components/orders/StatusTimeline";
import { allowedNextFor, type StatusEvent } from "@/lib/api/views";
import { renderUi } from "./render";

const alice = { id: "u1", name: "Alice Chen", role: "sales" };
const events: StatusEvent[] = [
  { seq: 1, from: "draft", to: "pending_payment", actor: alice, note: "deposit requested", at: "2026-03-01T10:00:00Z" },
];

describe("StatusTimeline", () => {
  it("shows who moved the order and when", () => {
    renderUi(<StatusTimeline status="pending_payment" events={events} allowedNext={allowedNextFor("pending_payment")} />);
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
    renderUi(<StatusTimeline status="fulfilled" events={[]} allowedNext={allowedNextFor("fulfilled")} onTransition={vi.fn()} />);
    expect(screen.queryAllByRole("button")).toHaveLength(0);
    expect(screen.getByText(/no further steps/i)).toBeInTheDocument();
  });

  it("marks a cancelled order after the status it was cancelled from", () => {
    const cancelled: StatusEvent[] = [
      ...events,
      { seq: 2, from: "pending_payment", to: "cancelled", actor: alice, note: null, at: "2026-03-02T10:00:00Z" },
    ];
    renderUi(<StatusTimeline status="cancelled" events={cancelled} allowedNext={[]} />);
    expect(screen.getByTestId("step-cancelled")).toHaveAttribute("aria-current", "step");
    expect(screen.getByTestId("step-pending_payment")).toHaveAttribute("data-state", "done");
    expect(screen.getByTestId("step-design_review")).toHaveAttribute("data-state", "skipped");
  });

  it("mirrors the server's rule for allowed steps", () => {
    expect(allowedNextFor("draft")).toEqual(["pending_payment", "cancelled"]);
    expect(allowedNextFor("production_ready")).toEqual(["fulfilled", "cancelled"]);
    expect(allowedNextFor("cancelled")).toEqual([]);
  });
});
