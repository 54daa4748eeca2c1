import type { Metadata } from "next";
import { CncScreen } from "@/components/cnc/CncScreen";

export const metadata: Metadata = { title: "CNC" };

export default function CncPage() {
  return <CncScreen />;
}
