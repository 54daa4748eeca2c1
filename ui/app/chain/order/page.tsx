import type { Metadata } from "next";
import { Suspense } from "react";
import { ChainOrderView } from "@/components/chain/ChainOrderView";

export const metadata: Metadata = { title: "Chain order" };

// The id travels in the query string (`/chain/order/?id=…`): a static export has no dynamic
// segments for ids it cannot know at build time.
export default function ChainOrderPage() {
  return (
    <Suspense>
      <ChainOrderView />
    </Suspense>
  );
}
