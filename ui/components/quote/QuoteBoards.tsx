"use client";
// What a quote's kitchen takes in boards (SPEC §17): per material the boards of its nest, the
// yield, and for a material priced by the sheet every part of its charge, which the lines'
// prices already carry (shared by panel area).
import { Box, Flex, Heading, Stack, Text } from "@chakra-ui/react";
import { Money } from "@/components/common/Money";
import type { MaterialBoards } from "@/lib/api/views";

export function QuoteBoards({ boards, currency }: { boards: MaterialBoards[]; currency: string }) {
  if (boards.length === 0) return null;
  return (
    <Box as="section" aria-labelledby="quote-boards-heading" mt="3" data-testid="quote-boards">
      <Heading as="h3" id="quote-boards-heading" size="sm" mb="1">
        Boards
      </Heading>
      <Stack gap="2" fontSize="sm">
        {boards.map((material) => (
          <Box key={material.materialId}>
            <Text fontWeight="medium">{boardsHeading(material)}</Text>
            {material.unavailable ? (
              <Text fontSize="xs" color="orange.800">
                Not nested on its stock: {material.unavailable}
              </Text>
            ) : (
              <Stack gap="0" fontSize="xs" color="gray.700">
                {material.boards.map((board, index) => (
                  <Part key={index} label={boardLabel(board)}>
                    {material.charges && board.unitCost && !board.offcutCode ? (
                      <Money amount={times(board.unitCost, board.count)} currency={currency} />
                    ) : null}
                  </Part>
                ))}
                {material.charges ? (
                  <>
                    {material.boards.some((board) => board.offcutCode) ? (
                      <Part label="Offcuts from stock, at their area">
                        <Money amount={material.charges.offcuts} currency={currency} />
                      </Part>
                    ) : null}
                    <Part label={`Saw cuts, ${material.cutLengthM} m at ${material.charges.sawCutPerM}/m`}>
                      <Money amount={material.charges.sawCuts} currency={currency} />
                    </Part>
                    <Part label={`Edge banding, ${material.edgeBandingM} m at ${material.charges.edgeBandingPerM}/m`}>
                      <Money amount={material.charges.edgeBanding} currency={currency} />
                    </Part>
                    <Part label="Board cost, in the lines by panel area" strong>
                      <Money amount={material.charges.total} currency={currency} />
                    </Part>
                  </>
                ) : (
                  <Text>
                    Saw cuts {material.cutLengthM} m · edge banding {material.edgeBandingM} m · priced by panel area
                  </Text>
                )}
              </Stack>
            )}
          </Box>
        ))}
      </Stack>
    </Box>
  );
}

export function boardsHeading(material: MaterialBoards): string {
  const count = material.boards.reduce((sum, board) => sum + board.count, 0);
  const yieldPercent = Math.round(material.yieldRatio * 100);
  return `${material.materialName}: ${count} board${count === 1 ? "" : "s"}, ${yieldPercent} % yield`;
}

function boardLabel(board: MaterialBoards["boards"][number]): string {
  const size = `${board.width} × ${board.height} mm`;
  if (board.offcutCode) return `Offcut ${board.offcutCode}, ${size}`;
  return board.unitCost ? `${board.count} × board ${size} at ${board.unitCost}` : `${board.count} × board ${size}`;
}

/** count × a money string, exactly, in cents. */
export function times(amount: string, count: number): string {
  const [whole, fraction = ""] = amount.split(".");
  const cents = BigInt(whole + fraction.padEnd(2, "0").slice(0, 2)) * BigInt(count);
  const text = cents.toString().padStart(3, "0");
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

function Part({ label, strong, children }: { label: string; strong?: boolean; children?: React.ReactNode }) {
  return (
    <Flex justify="space-between" gap="2" fontWeight={strong ? "semibold" : "normal"}>
      <Text as="span">{label}</Text>
      {children}
    </Flex>
  );
}
