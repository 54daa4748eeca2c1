// Display helpers for dates, lengths and statuses.
import type { OrderStatus } from "@/lib/api/views";

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" });
}

export function formatMm(value: number): string {
  return `${Number.isInteger(value) ? value : value.toFixed(1)} mm`;
}

export function formatDimensions(width: number, height: number, depth: number): string {
  return `${width} × ${height} × ${depth} mm`;
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Which physical parts a production entry stands for (SPEC §12: every copy of a panel has its
 * own code): "copy 2 of 4", "all 4 copies" (a scan of a bare panel code), or "" for a panel
 * cut once.
 */
export function formatPartCopy(part: { copy?: number | null; copies: number; quantity: number }): string {
  if (part.copies <= 1) return "";
  if (part.copy == null) return `all ${part.quantity} copies`;
  return `copy ${part.copy} of ${part.copies}`;
}

export const STATUS_LABEL: Record<OrderStatus, string> = {
  draft: "Draft",
  pending_payment: "Pending payment",
  design_review: "Design review",
  production_ready: "Production ready",
  fulfilled: "Fulfilled",
  cancelled: "Cancelled",
};

export const STATUS_PALETTE: Record<OrderStatus, string> = {
  draft: "gray",
  pending_payment: "orange",
  design_review: "purple",
  production_ready: "blue",
  fulfilled: "green",
  cancelled: "red",
};
