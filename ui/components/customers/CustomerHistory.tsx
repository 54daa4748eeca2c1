"use client";
// A customer's quotes and orders, newest first (SPEC §17): each quote by its number with its
// total, validity and PDF; each order by its number with its status and balance, linked to
// its page. In a chain, an open quote priced on an older catalog than HQ's says "Catalog
// changed" with what its items cost now, and offers a reprice (SPEC §15).
import { Badge, Box, Button, Heading, Link, Spinner, Stack, Table, Text } from "@chakra-ui/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import NextLink from "next/link";
import { DocumentButtons } from "@/components/common/DocumentButtons";
import { Money } from "@/components/common/Money";
import { ProblemAlert } from "@/components/common/ProblemAlert";
import { api } from "@/lib/api/client";
import { quoteLabel, type Quote } from "@/lib/api/views";
import { STATUS_LABEL, STATUS_PALETTE } from "@/lib/format";

const day = (timestamp: string) => new Date(timestamp).toLocaleDateString("en-US");

/** The quote keeps its price; a newer catalog shows beside it with a Reprice (a new quote). */
function CatalogChanged({ quote, customerId }: { quote: Quote; customerId: string }) {
  const queryClient = useQueryClient();
  const open = quote.catalogVersion !== null && new Date(quote.expiresAt).getTime() > Date.now();
  const change = useQuery({
    queryKey: ["quote-catalog-change", quote.id],
    queryFn: () => api().quoteCatalogChange(quote.id),
    enabled: open,
  });
  const reprice = useMutation({
    mutationFn: () => api().repriceQuote(quote.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["customer-history", customerId] }),
  });
  if (!change.data) return null;
  return (
    <Stack gap="1" align="end" mt="1" data-testid="catalog-changed">
      <Badge colorPalette="orange">Catalog changed</Badge>
      <Text fontSize="sm">
        {change.data.total !== null ? (
          <>
            now <Money amount={change.data.total} currency={quote.currency} />
          </>
        ) : (
          `cannot be repriced: ${change.data.unavailable}`
        )}
      </Text>
      {change.data.total !== null && (
        <Button size="xs" variant="outline" loading={reprice.isPending} onClick={() => reprice.mutate()}>
          Reprice
        </Button>
      )}
      {reprice.error && <ProblemAlert error={reprice.error} title="The quote could not be repriced" />}
    </Stack>
  );
}

export function CustomerHistory({ customerId }: { customerId: string }) {
  const history = useQuery({
    queryKey: ["customer-history", customerId],
    queryFn: () => api().customerHistory(customerId),
    enabled: customerId !== "",
  });
  if (history.error) return <ProblemAlert error={history.error} title="The quotes and orders could not be loaded" />;
  if (!history.data) return <Spinner />;
  const { quotes, orders } = history.data;
  return (
    <Stack gap="6" data-testid="customer-history">
      <Box>
        <Heading as="h2" size="lg" mb="3">
          Orders
        </Heading>
        {orders.length === 0 ? (
          <Text>No orders yet.</Text>
        ) : (
          <Box overflowX="auto">
            <Table.Root size="sm" data-testid="customer-orders">
              <Table.Header>
                <Table.Row>
                  <Table.ColumnHeader>Order</Table.ColumnHeader>
                  <Table.ColumnHeader>Date</Table.ColumnHeader>
                  <Table.ColumnHeader>Status</Table.ColumnHeader>
                  <Table.ColumnHeader textAlign="end">Total</Table.ColumnHeader>
                  <Table.ColumnHeader textAlign="end">Balance due</Table.ColumnHeader>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {orders.map((order) => (
                  <Table.Row key={order.id}>
                    <Table.Cell>
                      <Link asChild fontFamily="mono">
                        <NextLink href={`/orders/view/?id=${encodeURIComponent(order.id)}`} prefetch={false}>
                          {order.number}
                        </NextLink>
                      </Link>
                    </Table.Cell>
                    <Table.Cell>{day(order.createdAt)}</Table.Cell>
                    <Table.Cell>
                      <Badge colorPalette={STATUS_PALETTE[order.status]}>{STATUS_LABEL[order.status]}</Badge>
                    </Table.Cell>
                    <Table.Cell textAlign="end">
                      <Money amount={order.total} currency={order.currency} />
                    </Table.Cell>
                    <Table.Cell textAlign="end">
                      <Money amount={order.balanceDue} currency={order.currency} />
                    </Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table.Root>
          </Box>
        )}
      </Box>
      <Box>
        <Heading as="h2" size="lg" mb="3">
          Quotes
        </Heading>
        {quotes.length === 0 ? (
          <Text>No quotes yet.</Text>
        ) : (
          <Box overflowX="auto">
            <Table.Root size="sm" data-testid="customer-quotes">
              <Table.Header>
                <Table.Row>
                  <Table.ColumnHeader>Quote</Table.ColumnHeader>
                  <Table.ColumnHeader>Date</Table.ColumnHeader>
                  <Table.ColumnHeader>Valid until</Table.ColumnHeader>
                  <Table.ColumnHeader textAlign="end">Total</Table.ColumnHeader>
                  <Table.ColumnHeader>Document</Table.ColumnHeader>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {quotes.map((quote) => (
                  <Table.Row key={quote.id}>
                    <Table.Cell fontFamily="mono">
                      {quote.designId ? (
                        <Link asChild>
                          <NextLink href={`/?design=${encodeURIComponent(quote.designId)}`} prefetch={false}>
                            {quoteLabel(quote)}
                          </NextLink>
                        </Link>
                      ) : (
                        quoteLabel(quote)
                      )}
                    </Table.Cell>
                    <Table.Cell>{day(quote.createdAt)}</Table.Cell>
                    <Table.Cell>{day(quote.expiresAt)}</Table.Cell>
                    <Table.Cell textAlign="end">
                      <Money amount={quote.total} currency={quote.currency} />
                      <CatalogChanged quote={quote} customerId={customerId} />
                    </Table.Cell>
                    <Table.Cell>
                      <DocumentButtons kind="quote" id={quote.id} fileName={`quote-${quoteLabel(quote)}.pdf`} />
                    </Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table.Root>
          </Box>
        )}
      </Box>
    </Stack>
  );
}
