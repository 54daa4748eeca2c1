"use client";
// "Download … PDF" and "Print" for a quote or an order. The PDF comes from the server; it is
// saved through `native().saveFile` (the native save dialog in the desktop app, a download in
// a browser) and printed by `printDocument`.
import { Button, Flex, Text } from "@chakra-ui/react";
import { useMutation } from "@tanstack/react-query";
import { api, type DocumentKind, printDocument } from "@/lib/api/client";
import { describeError } from "@/lib/api/problem";
import { native } from "@/lib/native";

export function DocumentButtons({ kind, id, fileName }: { kind: DocumentKind; id: string; fileName?: string }) {
  const download = useMutation({
    mutationFn: async () => {
      const bytes = await api().fetchDocument(kind, id);
      return native().saveFile({
        suggestedName: fileName ?? `${kind}-${id}.pdf`,
        kind: "pdf",
        contentType: "application/pdf",
        bytes,
      });
    },
  });
  const print = useMutation({ mutationFn: () => printDocument(kind, id) });
  const error = download.error ?? print.error;
  const savedPath = download.data?.path;
  return (
    <Flex gap="2" align="center" wrap="wrap">
      <Button size="xs" variant="outline" loading={download.isPending} onClick={() => download.mutate()}>
        {kind === "quote" ? "Download quote PDF" : "Download order PDF"}
      </Button>
      <Button size="xs" variant="ghost" loading={print.isPending} onClick={() => print.mutate()}>
        Print
      </Button>
      {savedPath ? (
        <>
          <Text color="green.700" fontSize="xs" role="status">
            Saved to {savedPath}
          </Text>
          <Button size="xs" variant="ghost" onClick={() => void native().openFolder(savedPath)}>
            Open folder
          </Button>
        </>
      ) : null}
      {error ? (
        <Text color="red.700" fontSize="xs" role="alert">
          {describeError(error)}
        </Text>
      ) : null}
    </Flex>
  );
}
