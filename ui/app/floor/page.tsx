import type { Metadata } from "next";
import { FloorScreen } from "@/components/floor/FloorScreen";

export const metadata: Metadata = { title: "Floor" };

export default function FloorPage() {
  return <FloorScreen />;
}
