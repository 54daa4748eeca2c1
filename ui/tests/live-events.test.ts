import { describe, expect, it } from "vitest";
import { staleKeys } from "@/lib/live/useLiveEvents";

describe("live events", () => {
  it("make the queries they touch stale, and a reset all of them", () => {
    expect(staleKeys({ id: 1, kind: "part", subject: "order-1/PF-000001-01-A" })).toEqual([["production", "order-1"]]);
    expect(staleKeys({ id: 2, kind: "order", subject: "order-1" })).toEqual([["orders"], ["order", "order-1"], ["production", "order-1"]]);
    expect(staleKeys({ id: 3, kind: "offcut", subject: "x" })).toEqual([["offcuts"]]);
    expect(staleKeys({ id: 4, kind: "catalog", subject: "m-1" })).toEqual([["catalog"], ["materials"], ["modules"], ["stock", "m-1"]]);
    expect(staleKeys("reset")).toBeNull();
  });
});
