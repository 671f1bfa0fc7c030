import type { EngineContext } from '../context';
import type { Handlers } from '../dispatch';
import type { NetworkView } from '@shared/contract/network';
import { describeCas, loadNetworkSettings, saveNetworkSettings, type NetworkSettings } from '../network/settings';
import { effectiveNetwork, maskProxy, resetOutbound } from '../network/outbound';

function view(s: NetworkSettings, env: NodeJS.ProcessEnv = process.env): NetworkView {
  const eff = effectiveNetwork(s, env);
  const e = effectiveNetwork({ ...s, proxyUrl: '' }, env);
  return {
    proxyUrl: s.proxyUrl,
    noProxy: s.noProxy,
    caPem: s.caPem,
    cas: describeCas(s.caPem),
    env: {
      httpsProxy: maskProxy(e.httpsProxy),
      httpProxy: maskProxy(e.httpProxy),
      noProxy: e.noProxy.length ? e.noProxy.join(', ') : null,
    },
    effective: {
      proxy: maskProxy(eff.httpsProxy ?? eff.httpProxy),
      source: eff.source,
      noProxy: [...eff.noProxy, ...(eff.bypassLoopback ? ['(loopback)'] : [])].join(', '),
    },
    updatedAt: s.updatedAt,
    updatedBy: s.updatedBy,
  };
}

/** Settings › Network: the proxy and trusted CAs of every outbound call. Saving applies at once. */
export function networkHandlers(ctx: EngineContext): Pick<Handlers, 'network.get' | 'network.save'> {
  return {
    'network.get': () => view(loadNetworkSettings(ctx.store.db)),
    'network.save': (input) => {
      const saved = saveNetworkSettings(ctx.store.db, input, ctx.clock.now());
      resetOutbound(ctx);
      return view(saved);
    },
  };
}
