import { Text, type TextProps } from "@chakra-ui/react";
import { formatMoney } from "@/lib/money";

/** A money string rendered with its currency; tabular digits so columns line up. */
export function Money({ amount, currency, ...rest }: { amount: string | null | undefined; currency: string } & TextProps) {
  return (
    <Text as="span" fontVariantNumeric="tabular-nums" whiteSpace="nowrap" {...rest}>
      {formatMoney(amount, currency)}
    </Text>
  );
}
