import { describe, expect, it } from "vitest";
import { absMoney, formatMoney, formatRate, formatSignedMoney, isNegativeMoney, isZeroMoney, normalizeMoneyInput } from "@/lib/money";

describe("money formatting", () => {
  it.each([
    ["1234.50", "USD", "$1,234.50"],
    ["0.00", "USD", "$0.00"],
    ["-3.5", "USD", "-$3.50"],
    ["1000000.00", "EUR", "€1,000,000.00"],
    ["99999999999999999.99", "USD", "$99,999,999,999,999,999.99"],
    ["not money", "USD", "not money"],
  ])("formats %s %s as %s", (amount, currency, expected) => {
    expect(formatMoney(amount, currency)).toBe(expected);
  });

  it.each([
    ["0.13", "13%"],
    ["0", "0%"],
    ["0.0825", "8.25%"],
    ["1", "100%"],
  ])("formats the rate %s as %s", (rate, expected) => {
    expect(formatRate(rate)).toBe(expected);
  });

  it("normalizes typed amounts to two decimals and rejects anything else", () => {
    expect(normalizeMoneyInput("12")).toBe("12.00");
    expect(normalizeMoneyInput("012.5")).toBe("12.50");
    expect(normalizeMoneyInput("1.234")).toBeNull();
    expect(normalizeMoneyInput("1e3")).toBeNull();
  });
});

import { csvRecords } from "@/lib/csv";

describe("cut list CSV", () => {
  it("reads quoted fields and CRLF line ends", () => {
    const { header, records } = csvRecords('panel,length,material\r\n"Side, left",720,"Oak ""A"""\r\nTop,600,Oak\r\n');
    expect(header).toEqual(["panel", "length", "material"]);
    expect(records).toEqual([
      { panel: "Side, left", length: "720", material: 'Oak "A"' },
      { panel: "Top", length: "600", material: "Oak" },
    ]);
  });
});

describe("signed money", () => {
  it("signs changes in money without turning them into numbers", () => {
    expect(formatSignedMoney("12.3", "USD")).toBe("+$12.30");
    expect(formatSignedMoney("-12.30", "USD")).toBe("-$12.30");
    expect(formatSignedMoney("-0.00", "USD")).toBe("$0.00");
    expect(isNegativeMoney("-0.01")).toBe(true);
    expect(isNegativeMoney("-0.00")).toBe(false);
    expect(isNegativeMoney("5")).toBe(false);
    expect(isZeroMoney("0.00")).toBe(true);
    expect(isZeroMoney("0.01")).toBe(false);
    expect(absMoney("-6.33")).toBe("6.33");
  });
});
