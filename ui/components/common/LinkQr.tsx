"use client";
// A link another device opens by camera (a tablet's pairing link, a customer's share link),
// and what to say instead when the server listens only on this computer, where no other
// device can reach it (SPEC §13, §17): no QR code is shown that nothing could open.
import { Alert, Image, Stack, Text } from "@chakra-ui/react";
import QRCode from "qrcode";
import { useEffect, useState } from "react";
import { native } from "@/lib/native";

/** `url` as a QR code image, or null while it is drawn (or if it cannot be). */
export function LinkQr({ url, size = 240 }: { url: string; size?: number }) {
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    QRCode.toDataURL(url, { margin: 1, width: size, errorCorrectionLevel: "M" }).then(
      (data) => current && setQr(data),
      () => current && setQr(null),
    );
    return () => {
      current = false;
    };
  }, [url, size]);
  return qr ? (
    <Image src={qr} alt={`QR code for ${url}`} width={`${size}px`} height={`${size}px`} borderWidth="1px" borderRadius="md" />
  ) : null;
}

/**
 * The server listens only on this machine (`host`; null when no server listens at all, as in
 * the desktop app with its local network off): tell how to put it on the local network.
 * `device` names who would scan ("tablet", "phone"), `again` what to do once it is ("show a
 * new pairing code").
 */
export function NotOnTheNetwork({ host, device, again, testId }: { host: string | null; device: string; again: string; testId?: string }) {
  const desktop = native().desktop;
  return (
    <Alert.Root status="warning" data-testid={testId} alignItems="start">
      <Alert.Indicator />
      <Alert.Content>
        <Alert.Title>This server is not on the local network</Alert.Title>
        <Alert.Description>
          <Stack gap="2" mt="1">
            {host ? (
              <Text>
                It listens only on this computer (<code>{host}</code>), so no {device} can open a link or QR code.
              </Text>
            ) : (
              <Text>No server is listening for other devices, so no {device} can open a link or QR code.</Text>
            )}
            {desktop ? (
              <Text>
                Turn on <b>Local network</b> in Settings to serve on this computer&apos;s network address, then {again}.
              </Text>
            ) : (
              <Text>
                Restart the server listening on every interface, for example <code>paform serve --bind 0.0.0.0:8000</code>, open
                Paform through the computer&apos;s network address and {again}. In the desktop app, turn on{" "}
                <b>Settings → Local network</b>.
              </Text>
            )}
          </Stack>
        </Alert.Description>
      </Alert.Content>
    </Alert.Root>
  );
}
