"use client";
// Quote → order: the buyer form. The server freezes the quote's terms into a draft order.
import { Button, CloseButton, Dialog, Portal, Stack, Text } from "@chakra-ui/react";
import { useState } from "react";
import { Money } from "@/components/common/Money";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { TextField } from "@/components/common/TextField";
import { api } from "@/lib/api/client";
import { ApiError } from "@/lib/api/problem";
import type { Order, Quote } from "@/lib/api/views";
import { useSession } from "@/stores/session";

export interface AcceptQuoteDialogProps {
  quote: Quote | null;
  onClose: () => void;
  onAccepted: (order: Order) => void;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function AcceptQuoteDialog({ quote, onClose, onAccepted }: AcceptQuoteDialogProps) {
  const actor = useSession((state) => state.actor);
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [phone, setPhone] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const localErrors = {
    name: name.trim() ? undefined : "Enter the buyer's name",
    email: EMAIL.test(email.trim()) ? undefined : "Enter a valid email address",
  };
  const serverError = error instanceof ApiError ? error : null;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (!quote || localErrors.name || localErrors.email) return;
    setBusy(true);
    setError(null);
    try {
      const order = await api().acceptQuote(
        quote.id,
        { name: name.trim(), email: email.trim(), phone: phone.trim() || undefined },
        actor,
      );
      onAccepted(order);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog.Root open={quote !== null} onOpenChange={(details) => (!details.open ? onClose() : undefined)}>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <form onSubmit={submit} noValidate style={{ display: "contents" }}>
            <Dialog.Header>
              <Dialog.Title>Create order</Dialog.Title>
            </Dialog.Header>
            <Dialog.Body>
              <Stack gap="4">
                {quote ? (
                  <Text fontSize="sm" color="gray.700">
                    The order keeps this quote&apos;s prices: total{" "}
                    <Money amount={quote.total} currency={quote.currency} fontWeight="bold" />.
                  </Text>
                ) : null}
                <TextField
                  label="Buyer name"
                  required
                  autoComplete="name"
                  value={name}
                  onValueChange={setName}
                  error={(touched && localErrors.name) || serverError?.fieldMessage("name")}
                />
                <TextField
                  label="Email"
                  required
                  type="email"
                  autoComplete="email"
                  value={email}
                  onValueChange={setEmail}
                  error={(touched && localErrors.email) || serverError?.fieldMessage("email")}
                />
                <TextField
                  label="Phone"
                  type="tel"
                  autoComplete="tel"
                  value={phone}
                  onValueChange={setPhone}
                  error={serverError?.fieldMessage("phone")}
                />
                <ProblemAlert error={error} />
              </Stack>
            </Dialog.Body>
            <Dialog.Footer>
              <Button variant="outline" onClick={onClose} type="button">
                Cancel
              </Button>
              <Button colorPalette="brand" type="submit" loading={busy}>
                Create order
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
