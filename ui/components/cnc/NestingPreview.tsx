"use client";
// Draws nesting results. `SvgPreview` shows the server's own nesting SVG as an image (an
// <img> never runs scripts inside the SVG); `PlacementsPreview` draws a /cnc/nest answer.
import { Box, Flex, Text } from "@chakra-ui/react";
import { useEffect, useState } from "react";
import type { NestResponse } from "@/lib/api/types";

export function SvgPreview({ svg, label }: { svg: string; label: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [svg]);
  if (!url) return null;
  return (
    // A layout of several sheets is taller than the box: the scrolling region takes keyboard focus.
    <Box bg="white" borderWidth="1px" borderRadius="md" p="2" overflow="auto" maxH="70vh" tabIndex={0} role="region" aria-label={`${label} (scrollable)`}>
      {/* eslint-disable-next-line @next/next/no-img-element -- a local blob, not an optimizable asset */}
      <img src={url} alt={label} style={{ width: "100%", height: "auto" }} />
    </Box>
  );
}

const PALETTE = ["#a3c4a8", "#e5c07b", "#9cb8d9", "#d9a0a0", "#c3a6d8", "#a8d5d1", "#e0b48c"];

export function PlacementsPreview({ result, sheet }: { result: NestResponse; sheet: { width: number; height: number } }) {
  const colors = new Map<string, string>();
  const colorOf = (id: string) => {
    if (!colors.has(id)) colors.set(id, PALETTE[colors.size % PALETTE.length]);
    return colors.get(id)!;
  };
  return (
    <Flex direction="column" gap="4">
      {result.sheets.map((placed, sheetIndex) => (
        <Box key={sheetIndex}>
          <Text fontSize="sm" fontWeight="semibold" mb="1">
            Sheet {sheetIndex + 1} · {placed.placements.length} parts
          </Text>
          <svg
            viewBox={`0 0 ${sheet.width} ${sheet.height}`}
            role="img"
            aria-label={`Sheet ${sheetIndex + 1} with ${placed.placements.length} parts`}
            style={{ width: "100%", height: "auto", background: "#faf7f0", border: "1px solid #999" }}
          >
            {placed.placements.map((part, index) => (
              <g key={`${part.id}-${index}`}>
                <rect x={part.x} y={part.y} width={part.width} height={part.height} fill={colorOf(part.id)} stroke="#333" strokeWidth={2} />
                <text
                  x={part.x + part.width / 2}
                  y={part.y + part.height / 2}
                  style={{ fontSize: `${Math.max(18, Math.min(part.width, part.height) / 5)}px` }}
                  textAnchor="middle"
                  dominantBaseline="middle"
                  fill="#111"
                >
                  {part.id}
                  {part.rotated ? " ↻" : ""}
                </text>
              </g>
            ))}
          </svg>
        </Box>
      ))}
    </Flex>
  );
}
