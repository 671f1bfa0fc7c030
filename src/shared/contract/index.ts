import type { z } from 'zod';
import type { Channel } from './channel';
import { appChannels } from './app';
import { workspaceChannels } from './workspace';
import { keysChannels } from './keys';
import { tokensChannels } from './tokens';
import { passthroughChannels, passwordSimulateChannels } from './passthrough';
import { ssoChannels } from './oidc';
import { samlChannels } from './saml';
import { auditChannels } from './audit';
import { signinChannels } from './signin-log';
import { loginProtectionChannels } from './login-protection';
import { inspectChannels } from './inspect';
import { simulatorChannels } from './simulator';
import { provisioningChannels } from './provisioning';
import { directoryChannels } from './directory';
import { networkChannels } from './network';
import type { Result } from '../result';

/**
 * Every channel of SSO Desk. A channel's name is its path here joined by dots (`app.info`).
 * Adding a channel is one entry here and one handler in `src/main/engine/handlers`.
 */
export const contract = {
  app: appChannels,
  workspace: workspaceChannels,
  keys: keysChannels,
  tokens: tokensChannels,
  sso: { ...ssoChannels, saml: samlChannels, passthrough: passthroughChannels },
  simulate: { ...passwordSimulateChannels, ...simulatorChannels },
  audit: auditChannels,
  signins: signinChannels,
  auth: { throttle: loginProtectionChannels },
  inspect: inspectChannels,
  provisioning: provisioningChannels,
  directory: directoryChannels,
  network: networkChannels,
};

export type Contract = typeof contract;

type Tree = { readonly [key: string]: Channel | Tree };

type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends Channel ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];

type At<T, N extends string> = N extends `${infer H}.${infer R}`
  ? H extends keyof T
    ? At<T[H], R>
    : never
  : N extends keyof T
    ? T[N]
    : never;

export type ChannelName = Paths<Contract>;
export type ChannelOf<N extends ChannelName> = At<Contract, N> extends Channel ? At<Contract, N> : never;
export type InputOf<N extends ChannelName> = z.input<ChannelOf<N>['input']>;
export type ParsedInputOf<N extends ChannelName> = z.output<ChannelOf<N>['input']>;
export type OutputOf<N extends ChannelName> = z.output<ChannelOf<N>['output']>;

/** The typed client the renderer holds: the contract's tree with a function at each leaf. */
export type Client<T = Contract> = {
  [K in keyof T]: T[K] extends Channel<infer I, infer O>
    ? (
        ...args: undefined extends z.input<I> ? [input?: z.input<I>] : [input: z.input<I>]
      ) => Promise<Result<z.output<O>>>
    : Client<T[K]>;
};

const isChannel = (node: Channel | Tree): node is Channel => 'input' in node && 'output' in node && 'doc' in node;

/** Every channel with its dotted name. */
export function listChannels(tree: Tree = contract as unknown as Tree, prefix = ''): Array<[string, Channel]> {
  const out: Array<[string, Channel]> = [];
  for (const [key, node] of Object.entries(tree)) {
    if (isChannel(node)) out.push([prefix + key, node]);
    else out.push(...listChannels(node, `${prefix}${key}.`));
  }
  return out;
}

const channelMap = new Map(listChannels());
export const findChannel = (name: string): Channel | undefined => channelMap.get(name);

/** Builds the client over a transport (ipcRenderer.invoke in preload, fetch in the browser host). */
export function buildClient(invoke: (name: string, input: unknown) => Promise<Result<unknown>>): Client {
  const build = (tree: Tree, prefix: string): Record<string, unknown> => {
    const node: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(tree)) {
      const name = prefix + key;
      node[key] = isChannel(child) ? (input?: unknown) => invoke(name, input) : build(child, `${name}.`);
    }
    return node;
  };
  return build(contract as unknown as Tree, '') as Client;
}
