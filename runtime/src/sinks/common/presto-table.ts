/** Tables as aligned text in tabulate's "presto" format, for services that show tables as plain text (PagerDuty, Telegram). Pure. */
import type { TableCell } from "@robusta-ts/sdk";

const cellText = (cell: TableCell): string => (cell === null ? "" : String(cell)).replace(/\s+/g, " ");

/**
 * ` name | restarts`, a `-----+---------` rule under the headers, then the rows: cells padded by a
 * space, columns split by "|", numeric columns aligned right, trailing spaces dropped.
 * `headerRoom` is the room a column keeps beside its header (tabulate keeps two spaces).
 */
export function prestoTable(headers: readonly string[], rows: readonly (readonly TableCell[])[], headerRoom = 0): string {
  const width = Math.max(headers.length, ...rows.map((row) => row.length));
  const texts = rows.map((row) => Array.from({ length: width }, (_, i) => cellText(row[i] ?? null)));
  const head = Array.from({ length: width }, (_, i) => headers[i] ?? "");
  const numeric = Array.from({ length: width }, (_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === "number"));
  const room = headers.length > 0 ? headerRoom : 0;
  const widths = Array.from({ length: width }, (_, i) => Math.max(head[i]!.length + room, ...texts.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => ` ${numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)} `)
      .join("|")
      .trimEnd();
  const body = texts.map(line);
  if (headers.length === 0) return body.join("\n");
  return [line(head), widths.map((w) => "-".repeat(w + 2)).join("+"), ...body].join("\n");
}
