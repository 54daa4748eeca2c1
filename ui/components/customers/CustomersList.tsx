"use client";
//! The customers list: search by name, email or phone, page through, and add a customer.
import { Box, Button, Flex, Input, Link, Stack, Table, Text } from "@chakra-ui/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import NextLink from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { PageHeader } from "@/components/common/PageHeader";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { TextField } from "@/components/common/TextField";
import { api } from "@/lib/api/client";

const PAGE = 25;

export function CustomersList() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const [offset, setOffset] = useState(0);
  const [adding, setAdding] = useState(false);
  const [form, setForm] = useState({ name: "", email: "", phone: "" });
  const customers = useQuery({
    queryKey: ["customers", { q: search, offset }],
    queryFn: () => api().listCustomers({ q: search || undefined, limit: PAGE, offset }),
  });
  const create = useMutation({
    mutationFn: () =>
      api().createCustomer({ name: form.name.trim(), email: form.email.trim() || null, phone: form.phone.trim() || null }),
    onSuccess: (customer) => {
      void queryClient.invalidateQueries({ queryKey: ["customers"] });
      router.push(`/customers/view/?id=${encodeURIComponent(customer.id)}`);
    },
  });
  const total = customers.data?.total ?? 0;

  return (
    <Box>
      <PageHeader
        title="Customers"
        subtitle="Everyone you design and quote for."
        actions={
          <Button colorPalette="brand" size="sm" onClick={() => setAdding((value) => !value)}>
            New customer
          </Button>
        }
      />
      {adding ? (
        <Stack
          as="form"
          gap="3"
          mb="6"
          maxW="480px"
          onSubmit={(event) => {
            event.preventDefault();
            if (form.name.trim()) create.mutate();
          }}
        >
          <TextField label="Name" required value={form.name} onValueChange={(name) => setForm({ ...form, name })} />
          <TextField label="Email" value={form.email} onValueChange={(email) => setForm({ ...form, email })} />
          <TextField label="Phone" value={form.phone} onValueChange={(phone) => setForm({ ...form, phone })} />
          {create.error ? <ProblemAlert error={create.error} title="The customer could not be created" /> : null}
          <Button type="submit" alignSelf="start" loading={create.isPending} disabled={!form.name.trim()}>
            Add customer
          </Button>
        </Stack>
      ) : null}
      <Input
        placeholder="Search customers"
        aria-label="Search customers"
        value={search}
        onChange={(event) => {
          setSearch(event.target.value);
          setOffset(0);
        }}
        maxW="360px"
        mb="4"
      />
      {customers.error ? <ProblemAlert error={customers.error} title="The customers could not be loaded" /> : null}
      <Table.Root size="sm">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Name</Table.ColumnHeader>
            <Table.ColumnHeader>Email</Table.ColumnHeader>
            <Table.ColumnHeader>Phone</Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {(customers.data?.items ?? []).map((customer) => (
            <Table.Row key={customer.id}>
              <Table.Cell>
                <Link asChild>
                  <NextLink href={`/customers/view/?id=${encodeURIComponent(customer.id)}`} prefetch={false}>
                    {customer.name}
                  </NextLink>
                </Link>
              </Table.Cell>
              <Table.Cell>{customer.email ?? ""}</Table.Cell>
              <Table.Cell>{customer.phone ?? ""}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
      {customers.data && customers.data.items.length === 0 ? <Text mt="4">No customers found.</Text> : null}
      <Flex gap="3" mt="4" align="center">
        <Button size="sm" variant="outline" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          Previous
        </Button>
        <Text fontSize="sm">
          {total === 0 ? "0" : `${offset + 1}–${Math.min(offset + PAGE, total)}`} of {total}
        </Text>
        <Button size="sm" variant="outline" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
          Next
        </Button>
      </Flex>
    </Box>
  );
}
