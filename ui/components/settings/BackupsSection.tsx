"use client";
// Backups (SPEC §13): the backup folder's archives, "Back up now", and a warning when the
// newest archive is older than the schedule's interval. `BackupOverdueBanner` shows the same
// warning in the app shell; it stays hidden for devices whose role may not see backups.
// "Restore…" chooses an archive to restore when Paform next starts (a running Paform cannot
// swap its own store): the desktop app offers to restart at once, a server restarts where it
// runs.
import { Box, Button, Flex, Table, Text, VisuallyHidden } from "@chakra-ui/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import NextLink from "next/link";
import { useState } from "react";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { api } from "@/lib/api/client";
import type { BackupListWire, PendingRestoreWire } from "@/lib/api/types";
import { native } from "@/lib/native";
import { formatDateTime } from "@/lib/format";
import { Section } from "./Section";

export const BACKUPS_KEY = ["backups"] as const;
/** The shell looks again every 10 minutes: the schedule checks as often. */
const BANNER_POLL_MS = 10 * 60 * 1000;

function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function overdueText(list: BackupListWire): string {
  return list.last_backup_at
    ? `The last backup is from ${formatDateTime(list.last_backup_at)}, more than ${list.interval_hours} h ago.`
    : "There is no backup of this data yet.";
}

export function BackupsSection() {
  const queryClient = useQueryClient();
  const backups = useQuery({ queryKey: BACKUPS_KEY, queryFn: () => api().listBackups() });
  const create = useMutation({
    mutationFn: () => api().createBackup(),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: BACKUPS_KEY }),
  });
  const [confirming, setConfirming] = useState<string | null>(null);
  const restore = useMutation({
    mutationFn: (file: string) => api().requestRestore(file),
    onSuccess: () => {
      setConfirming(null);
      return queryClient.invalidateQueries({ queryKey: BACKUPS_KEY });
    },
  });
  const list = backups.data;
  return (
    <Section
      title="Backups"
      description="Archives of every order, payment, design asset and export. Restore one here (it replaces all data when Paform next starts) or with `paform backup restore FILE --data-dir DIR`."
    >
      {backups.error ? <ProblemAlert error={backups.error} title="Backups are not available here" /> : null}
      {create.error ? <ProblemAlert error={create.error} title="The backup failed" /> : null}
      {restore.error ? <ProblemAlert error={restore.error} title="That backup cannot be restored" /> : null}
      {list?.pending_restore ? <PendingRestoreNotice pending={list.pending_restore} /> : null}
      {list ? (
        <>
          {list.overdue ? (
            <Box role="alert" mb="3" px="3" py="2" borderRadius="md" bg="orange.100" color="orange.900">
              <Text fontSize="sm">{overdueText(list)}</Text>
            </Box>
          ) : null}
          <Text fontSize="sm" mb="1">
            Last backup: <b>{formatDateTime(list.last_backup_at)}</b> · every {list.interval_hours} h, keeping {list.keep}
          </Text>
          <Text fontSize="sm" color="gray.600" mb="3" wordBreak="break-all">
            Folder: <code>{list.folder}</code>
          </Text>
          <Table.Root size="sm" mb="3">
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeader>Archive</Table.ColumnHeader>
                <Table.ColumnHeader>Made</Table.ColumnHeader>
                <Table.ColumnHeader textAlign="end">Size</Table.ColumnHeader>
                <Table.ColumnHeader textAlign="end">
                  <VisuallyHidden>Restore</VisuallyHidden>
                </Table.ColumnHeader>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {list.backups.map((backup) => (
                <Table.Row key={backup.file}>
                  <Table.Cell fontFamily="mono" fontSize="xs">
                    {backup.file}
                  </Table.Cell>
                  <Table.Cell>{formatDateTime(backup.created_at)}</Table.Cell>
                  <Table.Cell textAlign="end">{formatSize(backup.size)}</Table.Cell>
                  <Table.Cell textAlign="end">
                    {confirming === backup.file ? (
                      <Flex gap="2" justify="end" align="center" wrap="wrap">
                        <Text fontSize="xs" color="red.800">
                          Replace all data with this backup at the next start?
                        </Text>
                        <Button size="xs" colorPalette="red" loading={restore.isPending} onClick={() => restore.mutate(backup.file)}>
                          Restore at next start
                        </Button>
                        <Button size="xs" variant="ghost" onClick={() => setConfirming(null)}>
                          Keep the data
                        </Button>
                      </Flex>
                    ) : (
                      <Button size="xs" variant="outline" aria-label={`Restore ${backup.file}…`} onClick={() => setConfirming(backup.file)}>
                        Restore…
                      </Button>
                    )}
                  </Table.Cell>
                </Table.Row>
              ))}
              {list.backups.length === 0 ? (
                <Table.Row>
                  <Table.Cell colSpan={4} color="gray.600">
                    No backups yet.
                  </Table.Cell>
                </Table.Row>
              ) : null}
            </Table.Body>
          </Table.Root>
        </>
      ) : null}
      <Flex gap="3" align="center">
        <Button size="sm" colorPalette="brand" loading={create.isPending} onClick={() => create.mutate()}>
          Back up now
        </Button>
        {create.data ? (
          <Text fontSize="sm" color="green.700" role="status">
            Saved {create.data.file} ({formatSize(create.data.size)}).
          </Text>
        ) : null}
      </Flex>
    </Section>
  );
}

/** A restore waiting for the next start, or the reason the last start could not apply it. */
function PendingRestoreNotice({ pending }: { pending: PendingRestoreWire }) {
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => api().cancelRestore(),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: BACKUPS_KEY }),
  });
  const restart = useMutation({ mutationFn: () => native().restart() });
  const failed = Boolean(pending.error);
  return (
    <Box role={failed ? "alert" : "status"} mb="3" px="3" py="2" borderRadius="md" bg={failed ? "red.50" : "blue.50"} color={failed ? "red.900" : "blue.900"} data-testid="pending-restore">
      {failed ? (
        <Text fontSize="sm">
          The restore of <code>{pending.file}</code> failed at the last start, and the data was left as it was: {pending.error}
        </Text>
      ) : (
        <Text fontSize="sm">
          The backup of {formatDateTime(pending.backup_created_at)} (<code>{pending.file}</code>) replaces all data when Paform next starts.
          {native().desktop ? "" : " Restart the server (`paform serve`) where it runs to apply it."}
        </Text>
      )}
      <Flex gap="2" mt="2">
        {!failed && native().desktop ? (
          <Button size="xs" colorPalette="brand" loading={restart.isPending} onClick={() => restart.mutate()}>
            Restart now
          </Button>
        ) : null}
        <Button size="xs" variant="outline" loading={cancel.isPending} onClick={() => cancel.mutate()}>
          {failed ? "Dismiss" : "Cancel the restore"}
        </Button>
      </Flex>
      {restart.error ? <ProblemAlert error={restart.error} title="Paform did not restart" /> : null}
    </Box>
  );
}

export function BackupOverdueBanner() {
  const backups = useQuery({
    queryKey: BACKUPS_KEY,
    queryFn: () => api().listBackups(),
    retry: false,
    refetchInterval: BANNER_POLL_MS,
  });
  if (!backups.data?.overdue) return null;
  return (
    <Box role="alert" mb="4" px="4" py="3" borderRadius="md" bg="yellow.100" color="yellow.900" borderWidth="1px" borderColor="yellow.300">
      <Text fontWeight="semibold">Back up this data</Text>
      <Text fontSize="sm">
        {overdueText(backups.data)}{" "}
        <NextLink href="/settings/" style={{ textDecoration: "underline" }}>
          Settings → Backups
        </NextLink>
      </Text>
    </Box>
  );
}
