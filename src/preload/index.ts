import { contextBridge, ipcRenderer } from 'electron';
import { buildClient } from '@shared/contract';
import type { Result } from '@shared/result';

// Exactly the contract's client, nothing else: no generic invoke, no ipcRenderer.
const api = buildClient((name, input) => ipcRenderer.invoke(name, input) as Promise<Result<unknown>>);
contextBridge.exposeInMainWorld('api', api);
