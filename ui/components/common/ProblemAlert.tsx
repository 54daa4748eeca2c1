import { Alert, List } from "@chakra-ui/react";
import { ApiError, describeError } from "@/lib/api/problem";

/** Shows an API problem (title, detail and each field message) or any other error. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error : null;
  return (
    <Alert.Root status="error" role="alert">
      <Alert.Indicator />
      <Alert.Content>
        <Alert.Title>{title ?? problem?.title ?? "Something went wrong"}</Alert.Title>
        <Alert.Description>
          {problem ? problem.detail ?? (problem.fieldErrors.length ? null : problem.message) : describeError(error)}
          {problem && problem.fieldErrors.length > 0 ? (
            <List.Root ps="4" mt="1">
              {problem.fieldErrors.map((item) => (
                <List.Item key={`${item.field}:${item.message}`}>
                  <strong>{item.field}</strong>: {item.message}
                </List.Item>
              ))}
            </List.Root>
          ) : null}
        </Alert.Description>
      </Alert.Content>
    </Alert.Root>
  );
}
