// Quote and order PDFs in the page: printing one through a hidden frame. Saving one as a
// file goes through lib/native.ts, which the desktop shell swaps for its save dialog.
import { api, type DocumentKind } from "./client";

/** Opens a quote or order PDF in a hidden frame and asks the browser to print it. */
export async function printDocument(kind: DocumentKind, id: string): Promise<void> {
  const bytes = await api().fetchDocument(kind, id);
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: "application/pdf" }));
  const frame = document.createElement("iframe");
  frame.style.position = "fixed";
  frame.style.width = "0";
  frame.style.height = "0";
  frame.style.border = "0";
  frame.src = url;
  frame.onload = () => {
    frame.contentWindow?.focus();
    frame.contentWindow?.print();
    setTimeout(() => {
      frame.remove();
      URL.revokeObjectURL(url);
    }, 60_000);
  };
  document.body.appendChild(frame);
}
