import type { Metadata } from "next";
import { Suspense } from "react";
import { SharedDesignScreen } from "@/components/share/SharedDesignScreen";

export const metadata: Metadata = { title: "Your design" };

// The share token travels in the query string (`/share/?token=…`), as the QR code's link carries it.
export default function SharePage() {
  return (
    <Suspense>
      <SharedDesignScreen />
    </Suspense>
  );
}
