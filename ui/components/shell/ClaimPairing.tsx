"use client";
// The tablet's side of pairing by QR (SPEC §13): the link's code is traded for a device token
// once, the token is kept where the HTTP transport reads it, and the device goes to its home
// page (the shop floor for a production token). Without a code in the link, it can be typed.
import { Box, Button, Stack, Text } from "@chakra-ui/react";
import { useMutation } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { PageHeader } from "@/components/common/PageHeader";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { TextField } from "@/components/common/TextField";
import { api } from "@/lib/api/client";
import { writeDeviceToken } from "@/lib/api/http";

export function ClaimPairing() {
  const router = useRouter();
  const linked = useSearchParams().get("code") ?? "";
  const [code, setCode] = useState(linked);
  const claim = useMutation({
    mutationFn: (value: string) => api().claimPairing(value.trim()),
    onSuccess: (token) => {
      writeDeviceToken(token.token);
      router.replace(token.role === "production" ? "/floor/" : "/");
    },
  });
  // A code is single use: claim the link's code once, even under React's double effects.
  const claimed = useRef(false);
  useEffect(() => {
    if (linked && !claimed.current) {
      claimed.current = true;
      claim.mutate(linked);
    }
  }, [linked, claim]);

  return (
    <Box maxW="480px">
      <PageHeader title="Pair this device" />
      <Stack
        as="form"
        gap="4"
        onSubmit={(event: React.FormEvent) => {
          event.preventDefault();
          if (code.trim()) claim.mutate(code);
        }}
      >
        {claim.isPending ? <Text role="status">Pairing…</Text> : null}
        {claim.isSuccess ? <Text role="status">Paired as {claim.data.name} ({claim.data.role}).</Text> : null}
        {claim.error ? <ProblemAlert error={claim.error} title="This device was not paired" /> : null}
        <Text fontSize="sm" color="gray.700">
          Scan the QR code shown in the desktop app under Settings → Pair a device, or type its 8-character code.
        </Text>
        <TextField label="Pairing code" autoComplete="off" value={code} onValueChange={setCode} />
        <Button type="submit" colorPalette="brand" loading={claim.isPending} disabled={!code.trim()}>
          Pair
        </Button>
      </Stack>
    </Box>
  );
}
