"use client";
//! The design bar above the configurator: the saved design's name and customer, Save with
//! autosave after the first save, opening another design, pricing the saved version into a
//! quote, and sharing it with the customer's phone. The design's identity lives in `stores/design.ts`; the items stay in the configurator.
import { Box, Button, chakra, Flex, Input, NativeSelect, Stack, Text } from "@chakra-ui/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { ShareWithCustomer } from "@/components/share/ShareWithCustomer";
import { api } from "@/lib/api/client";
import type { Quote } from "@/lib/api/views";
import { useConfigurator } from "@/stores/configurator";
import { editDesign, itemsChanged, openDesign, saveDesign, useDesign, type DesignState } from "@/stores/design";

export interface DesignBarProps {
  /** The design id from `?design=`, opened once on arrival. */
  initialDesignId: string | null;
  onQuoted: (quote: Quote) => void;
}

export function DesignBar({ initialDesignId, onQuoted }: DesignBarProps) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const design = useDesign();
  const items = useConfigurator((state) => state.items);
  const dispatch = useConfigurator((state) => state.dispatch);
  const [picking, setPicking] = useState(false);
  const [opening, setOpening] = useState(false);
  const loadedItems = useRef(items);

  const open = useMutation({
    mutationFn: (id: string) => openDesign(api(), id),
    onSuccess: (designItems) => {
      dispatch({ type: "replaced", items: designItems });
      loadedItems.current = useConfigurator.getState().items;
      setOpening(false);
    },
  });

  const openedFromUrl = useRef<string | null>(null);
  useEffect(() => {
    if (initialDesignId && openedFromUrl.current !== initialDesignId && initialDesignId !== useDesign.getState().designId) {
      openedFromUrl.current = initialDesignId;
      open.mutate(initialDesignId);
    }
  }, [initialDesignId, open]);

  // Items that differ from what was last loaded are an edit: autosave takes it from there.
  useEffect(() => {
    if (items === loadedItems.current) return;
    loadedItems.current = items;
    itemsChanged(api(), () => useConfigurator.getState().items);
  }, [items]);

  const save = useMutation({
    mutationFn: () => saveDesign(api(), useConfigurator.getState().items),
    onSuccess: (saved) => {
      if (saved) {
        router.replace(`/?design=${encodeURIComponent(saved.id)}`);
        void queryClient.invalidateQueries({ queryKey: ["designs"] });
      }
    },
  });

  const price = useMutation({
    mutationFn: async () => {
      const saved = design.status === "saved" ? null : await saveDesign(api(), useConfigurator.getState().items);
      const id = saved?.id ?? useDesign.getState().designId;
      if (!id || useDesign.getState().status !== "saved") throw new Error("Save the design before pricing it.");
      return api().quoteDesign(id);
    },
    onSuccess: onQuoted,
  });

  return (
    <Box borderWidth="1px" borderRadius="md" p="3" mb="4" bg="white" data-testid="design-bar">
      <Flex gap="3" wrap="wrap" align="end">
        <Stack gap="1" minW="220px" flex="1">
          <chakra.label htmlFor="design-name" fontSize="xs" color="gray.600">
            Design name
          </chakra.label>
          <Input
            id="design-name"
            size="sm"
            value={design.name}
            onChange={(event) => editDesign({ name: event.target.value })}
          />
        </Stack>
        <CustomerPicker
          customerId={design.customerId}
          onChange={(customerId) => editDesign({ customerId })}
          open={picking}
          setOpen={setPicking}
        />
        <Button size="sm" colorPalette="brand" onClick={() => save.mutate()} loading={design.status === "saving"}>
          Save
        </Button>
        <Button size="sm" variant="outline" onClick={() => setOpening((value) => !value)}>
          Open design…
        </Button>
        <Button
          size="sm"
          variant="outline"
          disabled={design.designId === null || items.length === 0}
          loading={price.isPending}
          onClick={() => price.mutate()}
        >
          Price into quote
        </Button>
        <ShareWithCustomer scope="design" id={design.designId} disabledReason="Save the design first" />
        <Text fontSize="sm" color="gray.600" role="status" data-testid="design-status">
          {statusText(design)}
        </Text>
      </Flex>
      {design.status === "conflict" ? (
        <Flex mt="3" gap="3" align="center" role="alert">
          <Text color="red.700">Someone else saved a newer version.</Text>
          <Button size="xs" onClick={() => design.designId && open.mutate(design.designId)}>
            Reload latest
          </Button>
        </Flex>
      ) : null}
      {design.status === "error" && design.error ? <Text mt="2" color="red.700">{design.error}</Text> : null}
      {open.error ? <ProblemAlert error={open.error} title="The design could not be opened" /> : null}
      {price.error ? <ProblemAlert error={price.error} title="The design could not be priced" /> : null}
      {opening ? (
        <DesignList
          customerId={design.customerId}
          onOpen={(id) => {
            open.mutate(id);
            router.replace(`/?design=${encodeURIComponent(id)}`);
          }}
        />
      ) : null}
    </Box>
  );
}

export function statusText(design: DesignState): string {
  switch (design.status) {
    case "new":
      return "Not saved yet";
    case "saved":
      return `Saved · v${design.version}`;
    case "dirty":
      return "Unsaved changes";
    case "saving":
      return "Saving…";
    case "conflict":
      return "Conflict";
    case "error":
      return "Save failed";
  }
}

function CustomerPicker({
  customerId,
  onChange,
  open,
  setOpen,
}: {
  customerId: string | null;
  onChange: (id: string | null) => void;
  open: boolean;
  setOpen: (open: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const [form, setForm] = useState({ name: "", email: "", phone: "" });
  const customers = useQuery({
    queryKey: ["customers", { q: search }],
    queryFn: () => api().listCustomers({ q: search || undefined, limit: 20 }),
  });
  const chosen = useQuery({
    queryKey: ["customer", customerId],
    queryFn: () => api().getCustomer(customerId as string),
    enabled: customerId !== null,
  });
  const create = useMutation({
    mutationFn: () =>
      api().createCustomer({ name: form.name.trim(), email: form.email.trim() || null, phone: form.phone.trim() || null }),
    onSuccess: (customer) => {
      onChange(customer.id);
      setOpen(false);
      setForm({ name: "", email: "", phone: "" });
      void queryClient.invalidateQueries({ queryKey: ["customers"] });
    },
  });
  const options = customers.data?.items ?? [];
  const selected = chosen.data && !options.some((c) => c.id === chosen.data.id) ? [chosen.data, ...options] : options;

  return (
    <Stack gap="1" minW="260px">
      <chakra.label htmlFor="design-customer" fontSize="xs" color="gray.600">
        Customer
      </chakra.label>
      <Flex gap="2">
        <Input
          size="sm"
          placeholder="Find…"
          aria-label="Search customers"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          w="120px"
        />
        <NativeSelect.Root size="sm">
          <NativeSelect.Field
            id="design-customer"
            value={customerId ?? ""}
            onChange={(event) => onChange(event.target.value || null)}
          >
            <option value="">No customer</option>
            {selected.map((customer) => (
              <option key={customer.id} value={customer.id}>
                {customer.name}
              </option>
            ))}
          </NativeSelect.Field>
          <NativeSelect.Indicator />
        </NativeSelect.Root>
        <Button size="sm" variant="ghost" onClick={() => setOpen(!open)}>
          New customer
        </Button>
      </Flex>
      {open ? (
        <Flex
          gap="2"
          mt="1"
          wrap="wrap"
          as="form"
          onSubmit={(event) => {
            event.preventDefault();
            if (form.name.trim()) create.mutate();
          }}
        >
          {(["name", "email", "phone"] as const).map((field) => (
            <Input
              key={field}
              size="sm"
              aria-label={`Customer ${field}`}
              placeholder={field[0].toUpperCase() + field.slice(1)}
              value={form[field]}
              onChange={(event) => setForm({ ...form, [field]: event.target.value })}
              w="140px"
            />
          ))}
          <Button size="sm" type="submit" loading={create.isPending} disabled={!form.name.trim()}>
            Add customer
          </Button>
          {create.error ? <ProblemAlert error={create.error} title="The customer could not be created" /> : null}
        </Flex>
      ) : null}
    </Stack>
  );
}

function DesignList({ customerId, onOpen }: { customerId: string | null; onOpen: (id: string) => void }) {
  const [search, setSearch] = useState("");
  const designs = useQuery({
    queryKey: ["designs", { customerId, q: search }],
    queryFn: () => api().listDesigns({ q: search || undefined, limit: 20, ...(customerId ? { customer_id: customerId } : {}) }),
  });
  return (
    <Box mt="3" borderTopWidth="1px" pt="3">
      <Input
        size="sm"
        placeholder="Search designs by name"
        aria-label="Search designs"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        maxW="320px"
        mb="2"
      />
      {designs.error ? <ProblemAlert error={designs.error} title="The designs could not be loaded" /> : null}
      <Stack gap="1">
        {(designs.data?.items ?? []).map((item) => (
          <Flex key={item.id} gap="3" align="center">
            <Button size="xs" variant="outline" onClick={() => onOpen(item.id)}>
              Open
            </Button>
            <Text fontSize="sm">
              {item.name} · v{item.version} · {item.items.length} modules
            </Text>
          </Flex>
        ))}
        {designs.data && designs.data.items.length === 0 ? (
          <Text fontSize="sm">No designs{customerId ? " for this customer" : ""}.</Text>
        ) : null}
      </Stack>
    </Box>
  );
}
