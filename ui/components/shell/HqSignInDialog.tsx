"use client";
// Sign in at HQ (SPEC §15): every call to HQ needs an HQ admin token, from any address (HQ
// usually sits behind a reverse proxy, so loopback earns no trust). The token comes from
// `paform hq token create` on HQ's machine; it is kept where a site keeps its device token.
import { Button, CloseButton, Dialog, Portal, Stack, Text } from "@chakra-ui/react";
import { useState } from "react";
import { TextField } from "@/components/common/TextField";
import { readDeviceToken, writeDeviceToken } from "@/lib/api/http";
import { useSession } from "@/stores/session";

export function HqSignInDialog() {
  const open = useSession((state) => state.pairingOpen);
  const dispatch = useSession((state) => state.dispatch);
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | undefined>();
  // A token was kept and HQ still answered 401: it was revoked or belongs to another HQ.
  const [stale] = useState(() => Boolean(readDeviceToken()));

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!token.trim()) {
      setError("Paste the HQ admin token");
      return;
    }
    writeDeviceToken(token.trim());
    dispatch({ type: "pairing_closed" });
    window.location.reload();
  }

  return (
    <Dialog.Root open={open} onOpenChange={(details) => (!details.open ? dispatch({ type: "pairing_closed" }) : undefined)}>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <form onSubmit={submit} noValidate style={{ display: "contents" }}>
              <Dialog.Header>
                <Dialog.Title>HQ sign-in</Dialog.Title>
              </Dialog.Header>
              <Dialog.Body>
                <Stack gap="4">
                  {stale ? (
                    <Text fontSize="sm" color="red.700" role="alert">
                      HQ did not accept the token this browser kept. It may have been revoked.
                    </Text>
                  ) : null}
                  <Text fontSize="sm" color="gray.700">
                    HQ shows the chain only to its administrators. On HQ&apos;s machine run{" "}
                    <code>paform hq token create --database postgres://…</code> and paste the token it prints here. This
                    browser keeps it until you sign out.
                  </Text>
                  <TextField
                    label="HQ admin token"
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
                <Button variant="outline" type="button" onClick={() => dispatch({ type: "pairing_closed" })}>
                  Not now
                </Button>
                <Button colorPalette="brand" type="submit">
                  Sign in
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
