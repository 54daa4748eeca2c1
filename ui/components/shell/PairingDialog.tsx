"use client";
// Pairing: a browser on another device must present a device token (SPEC §8). The token is
// created on the desktop app or with `paform token create`, typed here once and kept in
// localStorage; every later request carries it as a bearer token.
import { Button, CloseButton, Dialog, Portal, Stack, Text } from "@chakra-ui/react";
import { useState } from "react";
import { TextField } from "@/components/common/TextField";
import { writeDeviceToken } from "@/lib/api/http";
import { useSession } from "@/stores/session";

export function PairingDialog() {
  const open = useSession((state) => state.pairingOpen);
  const dispatch = useSession((state) => state.dispatch);
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | undefined>();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!token.trim()) {
      setError("Paste the device token");
      return;
    }
    writeDeviceToken(token.trim());
    dispatch({ type: "pairing_closed" });
    window.location.reload();
  }

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(details) => (!details.open ? dispatch({ type: "pairing_closed" }) : undefined)}
    >
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <form onSubmit={submit} noValidate style={{ display: "contents" }}>
            <Dialog.Header>
              <Dialog.Title>Pair this device</Dialog.Title>
            </Dialog.Header>
            <Dialog.Body>
              <Stack gap="4">
                <Text fontSize="sm" color="gray.700">
                  The Paform server needs a device token before this device can use it. Create one in the desktop
                  app under Settings → Devices, or run <code>paform token create --name showroom-tablet</code>,
                  then paste it here.
                </Text>
                <TextField
                  label="Device token"
                  required
                  type="password"
                  autoComplete="off"
                  value={token}
                  onValueChange={(value) => {
                    setToken(value);
                    setError(undefined);
                  }}
                  error={error}
                />
              </Stack>
            </Dialog.Body>
            <Dialog.Footer>
              <Button
                variant="outline"
                type="button"
                onClick={() => {
                  writeDeviceToken(null);
                  dispatch({ type: "pairing_closed" });
                }}
              >
                Not now
              </Button>
              <Button colorPalette="brand" type="submit">
                Pair device
              </Button>
            </Dialog.Footer>
            </form>
            <Dialog.CloseTrigger asChild>
              <CloseButton size="sm" aria-label="Close" />
            </Dialog.CloseTrigger>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
