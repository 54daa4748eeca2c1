// A small RFC 4180 reader for the cut list CSV (quoted fields, doubled quotes, CRLF).

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[index + 1] === "\n") index += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += char;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((cells) => cells.some((cell) => cell !== ""));
}

/** Header row + records as objects keyed by the header names. */
export function csvRecords(text: string): { header: string[]; records: Record<string, string>[] } {
  const [header = [], ...rows] = parseCsv(text);
  return {
    header,
    records: rows.map((cells) => Object.fromEntries(header.map((name, index) => [name, cells[index] ?? ""]))),
  };
}

/**
 * A column's heading for people: `length_mm` → "Length (mm)", `edge_banding` → "Edge banding".
 * Only the first letter is capitalized, so units keep their case.
 */
export function columnLabel(name: string): string {
  const words = name.replaceAll("_", " ").replace(/ mm$/, " (mm)");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
