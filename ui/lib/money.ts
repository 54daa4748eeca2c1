// Money is a decimal string from the server ("1234.50", "-3.00") and stays one: this module
// only formats it, by splitting the string into sign, whole part and cents. Nothing here
// converts money to a floating-point number, so no total can drift by a cent.

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

interface CurrencyShape {
  symbol: string;
  symbolFirst: boolean;
  spaced: boolean;
  group: string;
  decimal: string;
  fractionDigits: number;
}

const shapes = new Map<string, CurrencyShape>();

function currencyShape(currency: string, locale: string): CurrencyShape {
  const key = `${locale}|${currency}`;
  const cached = shapes.get(key);
  if (cached) return cached;
  let shape: CurrencyShape;
  try {
    const format = new Intl.NumberFormat(locale, { style: "currency", currency, currencyDisplay: "narrowSymbol" });
    // Formatting a constant only discovers the symbol and separators; the amount is never used.
    const parts = format.formatToParts(1234.5);
    const symbolIndex = parts.findIndex((part) => part.type === "currency");
    const integerIndex = parts.findIndex((part) => part.type === "integer");
    shape = {
      symbol: parts[symbolIndex]?.value ?? currency,
      symbolFirst: symbolIndex < integerIndex,
      spaced: parts.some((part) => part.type === "literal" && /\s/.test(part.value)),
      group: parts.find((part) => part.type === "group")?.value ?? ",",
      decimal: parts.find((part) => part.type === "decimal")?.value ?? ".",
      fractionDigits: format.resolvedOptions().maximumFractionDigits ?? 2,
    };
  } catch {
    shape = { symbol: currency, symbolFirst: true, spaced: true, group: ",", decimal: ".", fractionDigits: 2 };
  }
  shapes.set(key, shape);
  return shape;
}

/** True for a decimal string such as "12", "12.5" or "-0.30". */
export function isDecimalString(value: string): boolean {
  return DECIMAL.test(value.trim());
}

/** "1234.5" + "USD" → "$1,234.50". An unparseable value is shown as it came, never as 0. */
export function formatMoney(amount: string | null | undefined, currency = "USD", locale = "en-US"): string {
  if (amount === null || amount === undefined) return "—";
  const match = DECIMAL.exec(String(amount).trim());
  if (!match) return String(amount);
  const [, minus, wholeDigits, fractionDigits = ""] = match;
  const shape = currencyShape(currency, locale);
  const whole = wholeDigits.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, shape.group);
  const cents = shape.fractionDigits > 0 ? shape.decimal + fractionDigits.padEnd(shape.fractionDigits, "0") : "";
  const number = whole + cents;
  const isZero = /^0*$/.test(wholeDigits + fractionDigits);
  const sign = minus && !isZero ? "-" : "";
  const gap = shape.spaced ? "\u00a0" : "";
  return shape.symbolFirst ? `${sign}${shape.symbol}${gap}${number}` : `${sign}${number}${gap}${shape.symbol}`;
}

/** "0.13" → "13%", "0.0825" → "8.25%": moves the decimal point in the string. */
export function formatRate(rate: string | null | undefined): string {
  if (rate === null || rate === undefined) return "—";
  const match = DECIMAL.exec(String(rate).trim());
  if (!match) return String(rate);
  const [, minus, whole, fraction = ""] = match;
  const point = whole.length + 2;
  const all = whole + fraction.padEnd(2, "0");
  const integerPart = all.slice(0, point).replace(/^0+(?=\d)/, "") || "0";
  const fractionPart = all.slice(point).replace(/0+$/, "");
  return `${minus ?? ""}${integerPart}${fractionPart ? `.${fractionPart}` : ""}%`;
}

/** A decimal string with two fractional digits if the input is one, else null (form validation). */
export function normalizeMoneyInput(value: string): string | null {
  const match = DECIMAL.exec(value.trim());
  if (!match) return null;
  const [, minus, whole, fraction = ""] = match;
  if (fraction.length > 2) return null;
  return `${minus ?? ""}${whole.replace(/^0+(?=\d)/, "")}.${fraction.padEnd(2, "0")}`;
}

/** True for a decimal string below zero ("-0.01"); "-0.00" is zero. */
export function isNegativeMoney(amount: string | null | undefined): boolean {
  const match = DECIMAL.exec(String(amount ?? "").trim());
  return Boolean(match?.[1]) && !/^0*$/.test((match?.[2] ?? "") + (match?.[3] ?? ""));
}

/** True for a decimal string that is exactly zero ("0", "0.00", "-0.00"). */
export function isZeroMoney(amount: string | null | undefined): boolean {
  const match = DECIMAL.exec(String(amount ?? "").trim());
  return Boolean(match) && /^0*$/.test((match?.[2] ?? "") + (match?.[3] ?? ""));
}

/** The amount without its sign: "-12.30" → "12.30". */
export function absMoney(amount: string): string {
  return amount.trim().replace(/^-/, "");
}

/** A change in money with its sign always shown: "12.3" → "+$12.30", "-5" → "-$5.00", "0" → "$0.00". */
export function formatSignedMoney(amount: string | null | undefined, currency = "USD", locale = "en-US"): string {
  if (amount === null || amount === undefined || !isDecimalString(amount)) return formatMoney(amount, currency, locale);
  if (isZeroMoney(amount)) return formatMoney(absMoney(amount), currency, locale);
  return isNegativeMoney(amount) ? formatMoney(amount, currency, locale) : `+${formatMoney(amount, currency, locale)}`;
}
