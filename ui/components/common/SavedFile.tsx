"use client";
// What became of a file saved through `native().saveFile`: where it went, with "Open folder"
// (the desktop app's file manager; a browser's downloads show their own), or why it failed.
import { Button, Text } from "@chakra-ui/react";
import { useState } from "react";
import { describeError } from "@/lib/api/problem";
import { native } from "@/lib/native";

export function SavedFile({ path, error, name }: { path?: string | null; error?: unknown; name?: string }) {
  const [folderError, setFolderError] = useState<unknown>(null);
  const shown = error ?? folderError;
  return (
    <>
      {path ? (
        <>
          <Text color="green.700" fontSize="xs" role="status" data-testid="saved-path">
            Saved to {path}
          </Text>
          <Button
            size="xs"
            variant="ghost"
            onClick={() => native().openFolder(path).then(() => setFolderError(null), setFolderError)}
            aria-label={name ? `Open the folder of ${name}` : undefined}
          >
            Open folder
          </Button>
        </>
      ) : null}
      {shown ? (
        <Text color="red.700" fontSize="xs" role="alert">
          {typeof shown === "string" ? shown : describeError(shown)}
        </Text>
      ) : null}
    </>
  );
}
