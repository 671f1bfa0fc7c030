import type { z } from 'zod';

/** One request/response channel: its input and output schemas, and a line for people. */
export interface Channel<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly doc: string;
}

export const channel = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string): Channel<I, O> => ({
  input,
  output,
  doc,
});
