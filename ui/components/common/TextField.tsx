import { Field, Input, Textarea, type InputProps } from "@chakra-ui/react";

interface TextFieldProps extends Omit<InputProps, "onChange" | "value"> {
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  error?: string;
  helper?: string;
  multiline?: boolean;
}

/** A labelled input with its helper and error text wired for screen readers. */
export function TextField({ label, value, onValueChange, error, helper, required, multiline, ...rest }: TextFieldProps) {
  return (
    <Field.Root invalid={Boolean(error)} required={required}>
      <Field.Label>
        {label}
        {required ? <Field.RequiredIndicator /> : null}
      </Field.Label>
      {multiline ? (
        <Textarea value={value} onChange={(event) => onValueChange(event.target.value)} rows={3} />
      ) : (
        <Input value={value} onChange={(event) => onValueChange(event.target.value)} {...rest} />
      )}
      {helper && !error ? <Field.HelperText>{helper}</Field.HelperText> : null}
      {error ? <Field.ErrorText>{error}</Field.ErrorText> : null}
    </Field.Root>
  );
}
