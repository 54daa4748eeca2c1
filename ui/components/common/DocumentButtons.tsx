"use client";
// "Download … PDF" and "Print" for a quote or an order. The PDF comes from the server; where
// it is saved or printed is decided by `downloadDocument` / `printDocument` in the API client.
import { Button, Flex, Text } from "@chakra-ui/react";
import { useMutation } from "@tanstack/react-query";
import { type DocumentKind, downloadDocument, printDocument } from "@/lib/api/client";
import { describeError } from "@/lib/api/problem";

export function DocumentButtons({ kind, id, fileName }: { kind: DocumentKind; id: string; fileName?: string }) {
  const download = useMutation({ mutationFn: () => downloadDocument(kind, id, fileName) });
  const print = useMutation({ mutationFn: () => printDocument(kind, id) });
  const error = download.error ?? print.error;
  return (
    <Flex gap="2" align="center" wrap="wrap">
      <Button size="xs" variant="outline" loading={download.isPending} onClick={() => download.mutate()}>
        {kind === "quote" ? "Download quote PDF" : "Download order PDF"}
      </Button>
      <Button size="xs" variant="ghost" loading={print.isPending} onClick={() => print.mutate()}>
        Print
      </Button>
      {error ? (
        <Text color="red.700" fontSize="xs" role="alert">
          {describeError(error)}
        </Text>
      ) : null}
    </Flex>
  );
}
