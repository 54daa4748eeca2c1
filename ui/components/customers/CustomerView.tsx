"use client";
//! One customer: edit their details, open any of their saved designs in the configurator, and
//! see their orders and quotes.
import { Box, Button, Flex, Heading, Link, Spinner, Stack, Text } from "@chakra-ui/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import NextLink from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { PageHeader } from "@/components/common/PageHeader";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { TextField } from "@/components/common/TextField";
import { api, type CustomerInput } from "@/lib/api/client";
import { CustomerHistory } from "./CustomerHistory";

const FIELDS = [
  ["name", "Name"],
  ["email", "Email"],
  ["phone", "Phone"],
  ["address", "Address"],
  ["notes", "Notes"],
] as const;

export function CustomerView() {
  const id = useSearchParams().get("id") ?? "";
  const queryClient = useQueryClient();
  const customer = useQuery({ queryKey: ["customer", id], queryFn: () => api().getCustomer(id), enabled: id !== "" });
  const designs = useQuery({
    queryKey: ["designs", { customerId: id }],
    queryFn: () => api().listDesigns({ customer_id: id, limit: 100 }),
    enabled: id !== "",
  });
  const [form, setForm] = useState<Record<(typeof FIELDS)[number][0], string> | null>(null);
  useEffect(() => {
    if (customer.data && form === null) {
      const data = customer.data;
      setForm({
        name: data.name,
        email: data.email ?? "",
        phone: data.phone ?? "",
        address: data.address ?? "",
        notes: data.notes ?? "",
      });
    }
  }, [customer.data, form]);
  const save = useMutation({
    mutationFn: (input: CustomerInput) => api().updateCustomer(id, input),
    onSuccess: (saved) => {
      queryClient.setQueryData(["customer", id], saved);
      void queryClient.invalidateQueries({ queryKey: ["customers"] });
    },
  });

  if (customer.error) return <ProblemAlert error={customer.error} title="The customer could not be loaded" />;
  if (!customer.data || !form) return <Spinner />;

  return (
    <Box>
      <PageHeader title={customer.data.name} subtitle={<Link asChild><NextLink href="/customers/">All customers</NextLink></Link>} />
      <Stack
        as="form"
        gap="3"
        maxW="480px"
        mb="8"
        onSubmit={(event) => {
          event.preventDefault();
          const blank = (value: string) => value.trim() || null;
          save.mutate({
            name: form.name.trim(),
            email: blank(form.email),
            phone: blank(form.phone),
            address: blank(form.address),
            notes: blank(form.notes),
          });
        }}
      >
        {FIELDS.map(([field, label]) => (
          <TextField
            key={field}
            label={label}
            required={field === "name"}
            multiline={field === "notes" || field === "address"}
            value={form[field]}
            onValueChange={(value) => setForm({ ...form, [field]: value })}
          />
        ))}
        {save.error ? <ProblemAlert error={save.error} title="The customer could not be saved" /> : null}
        <Flex gap="3" align="center">
          <Button type="submit" colorPalette="brand" loading={save.isPending} disabled={!form.name.trim()}>
            Save
          </Button>
          {save.isSuccess ? <Text fontSize="sm" role="status">Saved</Text> : null}
        </Flex>
      </Stack>
      <Heading as="h2" size="lg" mb="3">
        Designs
      </Heading>
      {designs.error ? <ProblemAlert error={designs.error} title="The designs could not be loaded" /> : null}
      <Stack gap="2">
        {(designs.data?.items ?? []).map((design) => (
          <Flex key={design.id} gap="3" align="center">
            <Text>
              {design.name} · v{design.version} · {design.items.length} modules · {new Date(design.updatedAt).toLocaleDateString("en-US")}
            </Text>
            <Link asChild fontSize="sm">
              <NextLink href={`/?design=${encodeURIComponent(design.id)}`} prefetch={false}>
                Open in configurator
              </NextLink>
            </Link>
          </Flex>
        ))}
        {designs.data && designs.data.items.length === 0 ? <Text>No saved designs yet.</Text> : null}
      </Stack>
      <Box mt="8">
        <CustomerHistory customerId={id} />
      </Box>
    </Box>
  );
}
