// An order's status as the site's order screens show it; a status this UI does not know (a
// newer site) is shown as HQ sent it, in grey, not under a wrong label.
import { Badge } from "@chakra-ui/react";
import { isOrderStatus } from "@/lib/api/types";
import { STATUS_LABEL, STATUS_PALETTE } from "@/lib/format";

export function StatusChip({ status }: { status: string }) {
  if (!isOrderStatus(status)) return <Badge colorPalette="gray">{status}</Badge>;
  return <Badge colorPalette={STATUS_PALETTE[status]}>{STATUS_LABEL[status]}</Badge>;
}
