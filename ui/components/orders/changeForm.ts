// The "Change order" form: one set of fields for whichever action is being built, and the
// check that turns them into a `ChangeAction` (or says what is wrong). Pure, so it is tested
// without a screen; the server checks everything again and names `actions[i].field` on a 422.
import type { ChangeAction, ChangeActionType } from "@/lib/api/views";
import { normalizeMoneyInput } from "@/lib/money";

export interface ChangeForm {
  type: ChangeActionType;
  lineItemId: string;
  moduleId: string;
  /** "" keeps the module's own material. */
  materialId: string;
  quantity: string;
  /** Discount target: "" is the whole order. */
  discountLineItemId: string;
  discountBy: "amount" | "percent";
  discountValue: string;
  reason: string;
  finishName: string;
  priceDelta: string;
  shippingAmount: string;
  /** "YYYY-MM-DD" from a date input, or "". */
  promisedDate: string;
}

export function emptyChangeForm(firstLineId = "", firstModuleId = ""): ChangeForm {
  return {
    type: "set_quantity",
    lineItemId: firstLineId,
    moduleId: firstModuleId,
    materialId: "",
    quantity: "1",
    discountLineItemId: "",
    discountBy: "amount",
    discountValue: "",
    reason: "",
    finishName: "",
    priceDelta: "",
    shippingAmount: "",
    promisedDate: "",
  };
}

export type FormResult = { action: ChangeAction; error?: undefined } | { action?: undefined; error: string };

const WHOLE = /^\d+$/;
const PERCENT = /^\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function quantityOf(text: string): number | null {
  const trimmed = text.trim();
  if (!WHOLE.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= 1 && value <= 10_000 ? value : null;
}

/** A non-negative amount such as "25" or "25.50", as "25.00"; null otherwise. */
function amountOf(text: string): string | null {
  const normalized = normalizeMoneyInput(text);
  return normalized && !normalized.startsWith("-") ? normalized : null;
}

export function actionFromForm(form: ChangeForm): FormResult {
  switch (form.type) {
    case "add_item": {
      if (!form.moduleId) return { error: "Choose a module to add" };
      const quantity = quantityOf(form.quantity);
      if (quantity === null) return { error: "Quantity must be a whole number from 1" };
      return { action: { type: "add_item", moduleId: form.moduleId, materialId: form.materialId || null, quantity } };
    }
    case "remove_item":
      if (!form.lineItemId) return { error: "Choose the line to remove" };
      return { action: { type: "remove_item", lineItemId: form.lineItemId } };
    case "set_quantity": {
      if (!form.lineItemId) return { error: "Choose a line" };
      const quantity = quantityOf(form.quantity);
      if (quantity === null) return { error: "Quantity must be a whole number from 1" };
      return { action: { type: "set_quantity", lineItemId: form.lineItemId, quantity } };
    }
    case "discount": {
      const reason = form.reason.trim();
      if (!reason) return { error: "Give a reason for the discount" };
      if (form.discountBy === "percent") {
        const value = form.discountValue.trim();
        if (!PERCENT.test(value) || Number(value) <= 0 || Number(value) > 100)
          return { error: "A percentage is a number above 0 and at most 100" };
        return { action: { type: "discount", lineItemId: form.discountLineItemId || null, by: "percent", value, reason } };
      }
      const value = amountOf(form.discountValue);
      if (!value || value === "0.00") return { error: "Enter a discount amount such as 25.00" };
      return { action: { type: "discount", lineItemId: form.discountLineItemId || null, by: "amount", value, reason } };
    }
    case "finish_override": {
      if (!form.lineItemId) return { error: "Choose a line" };
      const name = form.finishName.trim();
      if (!name) return { error: "Name the finish" };
      const priceDelta = normalizeMoneyInput(form.priceDelta);
      if (!priceDelta) return { error: "The price change per unit is an amount such as 20.00 or -20.00" };
      return { action: { type: "finish_override", lineItemId: form.lineItemId, name, priceDelta } };
    }
    case "shipping": {
      const amount = amountOf(form.shippingAmount);
      if (!amount) return { error: "Enter a shipping amount such as 80.00" };
      const date = form.promisedDate.trim();
      if (date && !DATE.test(date)) return { error: "The promised date is a date such as 2026-12-24" };
      return { action: { type: "shipping", amount, promisedDate: date || null } };
    }
  }
}
