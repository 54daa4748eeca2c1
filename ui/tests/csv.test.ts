import { describe, expect, it } from "vitest";

import { columnLabel, csvRecords } from "@/lib/csv";

describe("cut list column labels", () => {
  it("keep units in lower case and capitalize only the first word", () => {
    expect(columnLabel("length_mm")).toBe("Length (mm)");
    expect(columnLabel("thickness_mm")).toBe("Thickness (mm)");
    expect(columnLabel("edge_banding")).toBe("Edge banding");
    expect(columnLabel("label")).toBe("Label");
  });

  it("label every column of a parsed cut list header", () => {
    const { header } = csvRecords("label,length_mm,width_mm\r\nPF-000001-01-A,720,560\r\n");
    expect(header.map(columnLabel)).toEqual(["Label", "Length (mm)", "Width (mm)"]);
  });
});
