// The finder's list as CSV (RFC 4180), for a spreadsheet. Every text cell is quoted, and one
// that a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage
// return) is prefixed with an apostrophe: a partner name is feed data, and a name such as
// `=HYPERLINK(...)` must stay text on a colleague's machine.
import type { Catalog } from "../../catalog/catalog.js";
import { type FinderAnswerView, shareOf } from "./finder-view.js";

type Cell = string | number | boolean;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: numbers and booleans as they are, text quoted and defused. */
export function csvCell(v: Cell): string {
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean") return v ? "true" : "false";
  const safe = FORMULA_START.test(v) ? `'${v}` : v;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export const CSV_COLUMNS = [
  "rank",
  "score",
  "eligibility",
  "partner_id",
  "partner_name",
  "tier",
  "locations",
  "accepting_referrals",
  "open_referrals",
  "max_open_referrals",
  "track_record_products",
  "reasons",
] as const;

export function finderCsv(answer: FinderAnswerView, catalog: Catalog): string {
  const rows = answer.candidates.map((c) => {
    const p = c.partner;
    const cap = p.internal.capacity;
    return csvLine([
      c.rank,
      c.score,
      c.eligibility,
      p.id,
      p.name,
      catalog.label("tier", p.tier),
      p.locations.map((l) => `${l.city} (${l.country})`).join("; "),
      cap.acceptingReferrals,
      cap.openReferrals,
      cap.maxOpenReferrals,
      Object.entries(p.internal.trackRecord.products)
        .map(([code, n]) => `${code}: ${n}`)
        .join("; "),
      c.reasons
        .map(
          (r) =>
            `${r.signal} ${r.contribution.toFixed(4)} (${Math.round(shareOf(r.contribution, c.score) * 100)}%)`,
        )
        .join("; "),
    ]);
  });
  // A byte-order mark, so spreadsheet programs read the UTF-8 names (ü, 日本) correctly.
  return `\uFEFF${csvLine([...CSV_COLUMNS])}${rows.join("")}`;
}
