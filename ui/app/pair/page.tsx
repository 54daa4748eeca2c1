import type { Metadata } from "next";
import { Suspense } from "react";
import { ClaimPairing } from "@/components/shell/ClaimPairing";

export const metadata: Metadata = { title: "Pair this device" };

// The code travels in the query string (`/pair/?code=…`), as the QR code's link carries it.
export default function PairPage() {
  return (
    <Suspense>
      <ClaimPairing />
    </Suspense>
  );
}
