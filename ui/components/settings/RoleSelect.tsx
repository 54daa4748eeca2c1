// The role a new device token gets (SPEC §13), as a native select: what each role may do is
// said in the option itself, so nobody hands out admin by accident.
import { Box } from "@chakra-ui/react";
import type { DeviceRole } from "@/lib/api/types";

export const ROLE_OPTIONS: { value: DeviceRole; label: string }[] = [
  { value: "production", label: "Production — orders (read), CNC, offcuts, scans, jobs" },
  { value: "sales", label: "Sales — catalog, customers, designs, quotes, orders, payments" },
  { value: "admin", label: "Admin — everything, including settings and tokens" },
];

export function RoleSelect({ id, value, onChange }: { id: string; value: DeviceRole; onChange: (role: DeviceRole) => void }) {
  return (
    <Box>
      <label htmlFor={id} style={{ display: "block", fontSize: "0.875rem", fontWeight: 500, marginBottom: "0.25rem" }}>
        Role
      </label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value as DeviceRole)}
        style={{ width: "100%", padding: "0.4rem", borderRadius: "0.375rem", border: "1px solid #d4d4d8", background: "white" }}
      >
        {ROLE_OPTIONS.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Box>
  );
}
