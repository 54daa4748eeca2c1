import type { Metadata } from "next";
import { Suspense } from "react";
import { CustomerView } from "@/components/customers/CustomerView";

export const metadata: Metadata = { title: "Customer" };

// The id travels in the query string (`/customers/view/?id=…`): a static export has no dynamic segments.
export default function CustomerPage() {
  return (
    <Suspense>
      <CustomerView />
    </Suspense>
  );
}
