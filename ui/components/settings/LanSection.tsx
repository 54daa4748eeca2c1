"use client";
// Settings → Local network, live part (desktop app only): starts and stops the local-network
// server on an address and port (the settings' one if the server stores it, else 0.0.0.0:8000),
// and lists the URLs devices reach it on. A browser talks to a server that is already serving,
// so it renders nothing here.
import { Badge, Button, Flex, List, Stack, Text } from "@chakra-ui/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { TextField } from "@/components/common/TextField";
import { native, type LanStatus } from "@/lib/native";

const LAN_STATUS = ["lan-server"] as const;
const DEFAULT_BIND = "0.0.0.0:8000";

export function LanSection({ initialBind }: { initialBind: string }) {
  const desktop = native().desktop;
  const queryClient = useQueryClient();
  const [bind, setBind] = useState(initialBind || DEFAULT_BIND);
  const status = useQuery({ queryKey: LAN_STATUS, queryFn: () => native().lanStatus(), enabled: desktop });
  const toggle = useMutation({
    mutationFn: (running: boolean) => (running ? native().lanStop() : native().lanStart(bind.trim() || DEFAULT_BIND)),
    onSuccess: (next: LanStatus) => queryClient.setQueryData(LAN_STATUS, next),
  });
  if (!desktop) return null;
  const running = status.data?.running ?? false;

  return (
    <Stack gap="3" mt="4" data-testid="lan-server">
      {running ? null : (
        <TextField label="Serve on address and port" placeholder={DEFAULT_BIND} value={bind} onValueChange={setBind} maxW="240px" />
      )}
      <Flex gap="3" align="center" wrap="wrap">
        <Button
          size="sm"
          colorPalette={running ? "red" : "brand"}
          variant={running ? "outline" : "solid"}
          loading={toggle.isPending || status.isPending}
          onClick={() => toggle.mutate(running)}
        >
          {running ? "Stop serving" : "Start serving now"}
        </Button>
        <Badge colorPalette={running ? "green" : "gray"} role="status">
          {running ? `Serving on ${status.data?.address}` : "Not serving"}
        </Badge>
        {running && status.data?.requireToken ? <Text fontSize="sm">Devices need a device token.</Text> : null}
      </Flex>
      {running && status.data?.urls.length ? (
        <Stack gap="1">
          <Text fontSize="sm">Open one of these on a tablet or shop-floor device:</Text>
          <List.Root ps="4" fontFamily="mono" fontSize="sm" data-testid="lan-urls">
            {status.data.urls.map((url) => (
              <List.Item key={url}>{url}</List.Item>
            ))}
          </List.Root>
        </Stack>
      ) : null}
      <ProblemAlert error={toggle.error ?? status.error} title={running ? "The server did not stop" : "The server did not start"} />
    </Stack>
  );
}
