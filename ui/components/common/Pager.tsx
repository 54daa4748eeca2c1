"use client";
// Previous / next through a server-paginated list (`limit` + `offset`, the API's pages), with
// "21–40 of 93". Shown only when there is more than one page.
import { Button, Flex, Text } from "@chakra-ui/react";

export interface PagerProps {
  offset: number;
  limit: number;
  total: number;
  onOffset: (offset: number) => void;
}

export function Pager({ offset, limit, total, onOffset }: PagerProps) {
  if (total <= limit) return null;
  return (
    <Flex justify="space-between" align="center" mt="3">
      <Text fontSize="sm" color="gray.700">
        {offset + 1}–{Math.min(offset + limit, total)} of {total}
      </Text>
      <Flex gap="2">
        <Button size="sm" variant="outline" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
          Previous
        </Button>
        <Button size="sm" variant="outline" disabled={offset + limit >= total} onClick={() => onOffset(offset + limit)}>
          Next
        </Button>
      </Flex>
    </Flex>
  );
}
