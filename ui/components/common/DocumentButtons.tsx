"use client";
// "Download … PDF" and "Print" for a quote or an order. The PDF comes from the server; it is
// saved through `native().saveFile` (the native save dialog in the desktop app, a download in
// a browser) and printed by `printDocument`.
import { Button, Flex } from "@chakra-ui/react";
import { useMutation } from "@tanstack/react-query";
import { api, type DocumentKind } from "@/lib/api/client";
import { printDocument } from "@/lib/api/documents";
import { native } from "@/lib/native";
import { SavedFile } from "./SavedFile";

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
  return (
    <Flex gap="2" align="center" wrap="wrap">
      <Button size="xs" variant="outline" loading={download.isPending} onClick={() => download.mutate()}>
        {kind === "quote" ? "Download quote PDF" : "Download order PDF"}
      </Button>
      <Button size="xs" variant="ghost" loading={print.isPending} onClick={() => print.mutate()}>
        Print
      </Button>
      <SavedFile path={download.data?.path} error={download.error ?? print.error} />
    </Flex>
  );
}
