// Money as the API writes it ("1799.50"): parsed into integer cents (BigInt), never a float.

export function cents(text) {
  if (text === null || text === undefined) return null;
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(text).trim());
  if (!match) return null;
  const value = BigInt(match[2]) * 100n + BigInt((match[3] || "").padEnd(2, "0"));
  return match[1] ? -value : value;
}

export function money(centsValue) {
  const negative = centsValue < 0n;
  const abs = negative ? -centsValue : centsValue;
  const whole = abs / 100n;
  const fraction = String(abs % 100n).padStart(2, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/** "+12.50" or "-3.00": the difference between two money strings. */
export function change(now, before) {
  const a = cents(now);
  const b = cents(before);
  if (a === null || b === null) return null;
  const d = a - b;
  return `${d > 0n ? "+" : ""}${money(d)}`;
}

/** net / income x 100 with two decimals, rounded half up as the API does; null without income. */
export function rate(net, income) {
  const n = cents(net);
  const i = cents(income);
  if (n === null || !i) return null;
  const scaled = n * 10000n; // hundredths of a percent, before the division
  const negative = scaled < 0n !== i < 0n;
  const absN = scaled < 0n ? -scaled : scaled;
  const absI = i < 0n ? -i : i;
  let q = absN / absI;
  if ((absN % absI) * 2n >= absI) q += 1n;
  return money(negative ? -q : q);
}

/** For charts only (pixels, not money): a money string as a Number. */
export function plot(text) {
  return Number(text);
}
