// One card of the settings screen: a heading, an optional description, its content.
import { Box, Heading, Text } from "@chakra-ui/react";
import type { ReactNode } from "react";

export function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <Box as="section" bg="white" borderWidth="1px" borderRadius="lg" p="5">
      <Heading as="h2" size="md">
        {title}
      </Heading>
      {description ? (
        <Text fontSize="sm" color="gray.600" mb="4">
          {description}
        </Text>
      ) : null}
      {children}
    </Box>
  );
}
