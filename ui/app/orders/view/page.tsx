import type { Metadata } from "next";
import { Suspense } from "react";
import { OrderView } from "@/components/orders/OrderView";

export const metadata: Metadata = { title: "Order" };

// The id travels in the query string (`/orders/view/?id=…`): a static export has no
// dynamic segments for ids it cannot know at build time.
export default function OrderPage() {
  return (
    <Suspense>
      <OrderView />
    </Suspense>
  );
}
