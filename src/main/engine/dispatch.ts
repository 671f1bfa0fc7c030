import { DeskError } from '@shared/errors';
import { fail, ok, type Result } from '@shared/result';
import { findChannel, listChannels, type ChannelName, type OutputOf, type ParsedInputOf } from '@shared/contract';
import { describeIssue } from '@shared/zod-path';
import { describeIllFormed, findIllFormed } from '@shared/well-formed';

export type Handler<N extends ChannelName> = (input: ParsedInputOf<N>) => Promise<OutputOf<N>> | OutputOf<N>;
export type Handlers = { [N in ChannelName]: Handler<N> };

export type Dispatch = (name: string, raw: unknown) => Promise<Result<unknown>>;

/**
 * The one place where a call meets the contract, shared by the IPC binding and the browser host:
 * unknown channel → `unknown_channel`; bad input → `invalid_input` naming the field; a DeskError →
 * its code and message; anything else → `internal` with a generic message (the stack goes to the
 * log, never to the caller).
 */
export function createDispatch(handlers: Handlers, log: (line: string) => void): Dispatch {
  for (const [name] of listChannels()) {
    if (typeof (handlers as Record<string, unknown>)[name] !== 'function')
      throw new Error(`no handler for channel ${name}`);
  }
  return async (name, raw) => {
    const channel = findChannel(name);
    if (!channel) return fail('unknown_channel', `no such channel: ${name}`);
    // Before the schema: input nested without end or carrying a lone surrogate is refused by name.
    const ill = findIllFormed(raw);
    if (ill) return fail('invalid_input', describeIllFormed(ill), ill.field || undefined);
    const parsed = channel.input.safeParse(raw === null ? undefined : raw);
    if (!parsed.success) {
      const { field, message } = describeIssue(parsed.error);
      return fail('invalid_input', message, field || undefined);
    }
    try {
      const handler = (handlers as Record<string, (input: unknown) => unknown>)[name]!;
      const value = await handler(parsed.data);
      // Parsing the output strips anything the schema does not name, so a handler cannot leak a field.
      return ok(channel.output.parse(value));
    } catch (error) {
      if (error instanceof DeskError) return fail(error.code, error.message, error.field);
      log(`[${name}] internal error: ${(error as Error)?.stack ?? String(error)}`);
      if (error instanceof RangeError)
        return fail('invalid_input', `${name}: the input is too large or too deep to process`);
      return fail('internal', `${name} failed unexpectedly; details are in the log`);
    }
  };
}
