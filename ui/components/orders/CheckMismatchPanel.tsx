"use client";
// The three-way check's refusal (SPEC §17) on the order page: every line whose 3D model,
// frozen dimensions and cut list disagree by more than 1 mm, one mismatch per row (line,
// module, axis, what disagrees, by how much), and the admin's way on: "Override with a note",
// which resends the move with the note. The server decides who may override: any other role
// gets 403, shown here.
import { Alert, Box, Button, Field, Stack, Text, Textarea } from "@chakra-ui/react";
import { useId, useState } from "react";
import type { CheckMismatch } from "@/lib/api/views";

export interface CheckMismatchPanelProps {
  mismatches: CheckMismatch[];
  /** The server's summary ("the three-way check … found 3 mismatches on 1 line …"). */
  detail?: string;
  busy?: boolean;
  /** Resends the refused move with this note; absent when no override can be offered. */
  onOverride?: (note: string) => void;
}

export function CheckMismatchPanel({ mismatches, detail, busy, onOverride }: CheckMismatchPanelProps) {
  const [note, setNote] = useState("");
  const headingId = useId();
  const noteId = useId();
  const trimmed = note.trim();
  return (
    <Alert.Root status="error" alignItems="flex-start" data-testid="check-mismatches">
      <Alert.Indicator />
      <Box flex="1">
        <Alert.Title id={headingId}>The order cannot go to production: its parts disagree</Alert.Title>
        <Alert.Description>
          {detail ? (
            <Text fontSize="sm" mb="2">
              {detail}
            </Text>
          ) : null}
          <Stack as="ul" gap="1" listStyleType="none" aria-labelledby={headingId}>
            {mismatches.map((mismatch, index) => (
              <Box as="li" key={`${mismatch.lineItemId}-${index}`} fontSize="sm" data-testid="check-mismatch">
                <Text as="span" fontWeight="semibold">
                  Line {mismatch.position} · {mismatch.moduleName}
                </Text>
                {": "}
                {mismatch.axis ? `${mismatch.axis} — ${mismatch.what}` : mismatch.message}
                {mismatch.apart ? (
                  <Text as="span" fontWeight="semibold">
                    {" "}
                    ({mismatch.apart})
                  </Text>
                ) : null}
              </Box>
            ))}
          </Stack>
          {onOverride ? (
            <Stack
              as="form"
              gap="2"
              mt="3"
              onSubmit={(event) => {
                event.preventDefault();
                if (trimmed) onOverride(trimmed);
              }}
            >
              <Field.Root required>
                <Field.Label htmlFor={noteId} fontSize="sm">
                  Override note (admins only; it enters the order’s audit trail)
                </Field.Label>
                <Textarea
                  id={noteId}
                  size="sm"
                  bg="white"
                  rows={2}
                  value={note}
                  onChange={(event) => setNote(event.target.value)}
                />
              </Field.Root>
              <Box>
                <Button type="submit" size="sm" colorPalette="red" variant="outline" loading={busy} disabled={!trimmed}>
                  Override with a note
                </Button>
              </Box>
            </Stack>
          ) : null}
        </Alert.Description>
      </Box>
    </Alert.Root>
  );
}
