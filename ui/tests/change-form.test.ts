import { describe, expect, it } from "vitest";
import { actionFromForm, emptyChangeForm, type ChangeForm } from "@/components/orders/changeForm";

const form = (patch: Partial<ChangeForm>): ChangeForm => ({ ...emptyChangeForm("l1", "m1"), ...patch });

describe("change order form", () => {
  it.each<[Partial<ChangeForm>, unknown]>([
    [{ type: "set_quantity", quantity: "2" }, { type: "set_quantity", lineItemId: "l1", quantity: 2 }],
    [{ type: "add_item", quantity: "3" }, { type: "add_item", moduleId: "m1", materialId: null, quantity: 3 }],
    [{ type: "add_item", materialId: "walnut" }, { type: "add_item", moduleId: "m1", materialId: "walnut", quantity: 1 }],
    [{ type: "remove_item" }, { type: "remove_item", lineItemId: "l1" }],
    [
      { type: "discount", discountValue: "25", reason: " loyal " },
      { type: "discount", lineItemId: null, by: "amount", value: "25.00", reason: "loyal" },
    ],
    [
      { type: "discount", discountLineItemId: "l1", discountBy: "percent", discountValue: "7.5", reason: "x" },
      { type: "discount", lineItemId: "l1", by: "percent", value: "7.5", reason: "x" },
    ],
    [
      { type: "finish_override", finishName: "Walnut oil", priceDelta: "-20" },
      { type: "finish_override", lineItemId: "l1", name: "Walnut oil", priceDelta: "-20.00" },
    ],
    [{ type: "shipping", shippingAmount: "80", promisedDate: "2026-12-24" }, { type: "shipping", amount: "80.00", promisedDate: "2026-12-24" }],
    [{ type: "shipping", shippingAmount: "0" }, { type: "shipping", amount: "0.00", promisedDate: null }],
  ])("turns %j into an action", (patch, expected) => {
    expect(actionFromForm(form(patch))).toEqual({ action: expected });
  });

  it.each<[Partial<ChangeForm>, RegExp]>([
    [{ type: "set_quantity", quantity: "0" }, /whole number/],
    [{ type: "set_quantity", quantity: "1.5" }, /whole number/],
    [{ type: "set_quantity", lineItemId: "" }, /Choose a line/],
    [{ type: "discount", discountValue: "10" }, /reason/],
    [{ type: "discount", discountValue: "-10", reason: "r" }, /amount/],
    [{ type: "discount", discountBy: "percent", discountValue: "120", reason: "r" }, /percentage/],
    [{ type: "finish_override", finishName: "", priceDelta: "1" }, /Name the finish/],
    [{ type: "finish_override", finishName: "Oil", priceDelta: "1.234" }, /price change/],
    [{ type: "shipping", shippingAmount: "abc" }, /shipping amount/],
    [{ type: "shipping", shippingAmount: "10", promisedDate: "24/12/2026" }, /promised date/],
  ])("refuses %j", (patch, message) => {
    const result = actionFromForm(form(patch));
    expect(result.action).toBeUndefined();
    expect(result.error).toMatch(message);
  });
});
