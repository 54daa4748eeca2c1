import { Flex, Heading, Stack, Text } from "@chakra-ui/react";
import type { ReactNode } from "react";

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <Flex align={{ base: "start", md: "center" }} justify="space-between" gap="4" mb="6" wrap="wrap">
      <Stack gap="1">
        <Heading as="h1" size="2xl" letterSpacing="-0.01em">
          {title}
        </Heading>
        {subtitle ? (
          <Text color="gray.600" fontSize="sm">
            {subtitle}
          </Text>
        ) : null}
      </Stack>
      {actions ? <Flex gap="2">{actions}</Flex> : null}
    </Flex>
  );
}
